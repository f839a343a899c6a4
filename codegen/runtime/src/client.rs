//! The client and its builder: the configuration every call of a client shares.

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::redirect;
use url::{Host, Url};

use super::auth::{Credentials, Secret};
use super::descriptor::ApiDescriptor;
use super::error::Error;
use super::retry::{Backoff, RetryBudget, Sleep, TokioSleep};

/// The default cap on a response body: far above any JSON answer of a typical API,
/// far below what would hurt a process.
pub(crate) const DEFAULT_MAX_RESPONSE_SIZE: u64 = 32 * 1024 * 1024;
/// The default grace period for a body that makes no progress.
const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(20);
/// The default retry budget: 100 retries (20 after timeouts) in a row with no
/// success between them.
const DEFAULT_RETRY_BUDGET: u32 = 500;

/// A client for one API. Cloning is cheap and clones share connections, so a clone
/// (or a resource handle, which holds one) can be moved into a spawned task.
///
/// Build one with `Client::from_env` or `Client::builder`; [`ClientBuilder`] lists the
/// defaults (retries, timeouts, size limits) and how to change them.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) api: &'static ApiDescriptor,
    pub(crate) http: reqwest::Client,
    /// True when `http` was built here (not passed in), so variants can be built too.
    own_http: bool,
    /// HTTP clients for per-call connect timeouts (reqwest sets it per client).
    by_connect_timeout: Mutex<Vec<(Duration, reqwest::Client)>>,
    /// Without a trailing slash; request paths start with one.
    pub(crate) base_url: String,
    /// `base_url` parsed, so that a call parses only its own path and query.
    pub(crate) base: Url,
    /// The API's `User-Agent`, built once; `None` if it is not a valid header value.
    pub(crate) user_agent: Option<HeaderValue>,
    pub(crate) credentials: Credentials,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) backoff: Backoff,
    pub(crate) sleeper: Arc<dyn Sleep>,
    pub(crate) retry_non_idempotent: bool,
    pub(crate) max_response_size: u64,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) stall_timeout: Duration,
    pub(crate) retry_budget: RetryBudget,
    /// Whether the HTTP clients built here bypass system proxies (plain-http base URL).
    no_proxy: bool,
}

impl Client {
    /// The base URL that request paths are appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn api(&self) -> &'static ApiDescriptor {
        self.inner.api
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials)
            .field("max_retries", &inner.max_retries)
            .field("timeout", &inner.timeout)
            .field("operation_timeout", &inner.operation_timeout)
            .field("backoff", &inner.backoff)
            .field("retry_non_idempotent", &inner.retry_non_idempotent)
            .field("max_response_size", &inner.max_response_size)
            .field("retry_budget_left", &inner.retry_budget.left())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
///
/// Defaults: the API's base URL, 2 retries (POST and PATCH only when the server
/// provably did not act), a 60 s timeout per attempt and none over the whole call, a
/// 5 s connect timeout, 20 s for a stalled body, retry backoff from 0.5 s up to 8 s,
/// a retry budget of 500 tokens, and responses of at most 32 MiB.
#[must_use]
pub struct ClientBuilder {
    api: &'static ApiDescriptor,
    /// One slot per scheme of the descriptor, in its order.
    credentials: Vec<Option<Secret>>,
    base_url: Option<String>,
    allow_insecure_http: bool,
    http: Option<reqwest::Client>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    backoff: Backoff,
    sleeper: Arc<dyn Sleep>,
    retry_non_idempotent: bool,
    max_response_size: u64,
    operation_timeout: Option<Duration>,
    stall_timeout: Duration,
    retry_budget: u32,
    error: Option<Error>,
}

impl ClientBuilder {
    /// A builder for the API that `api` describes; generated crates call it from
    /// `Client::builder`, which is what users call.
    #[doc(hidden)]
    pub fn new(api: &'static ApiDescriptor) -> Self {
        ClientBuilder {
            api,
            credentials: vec![None; api.schemes.len()],
            base_url: None,
            allow_insecure_http: false,
            http: None,
            max_retries: 2,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(5),
            backoff: Backoff {
                initial: Duration::from_millis(500),
                max: Duration::from_secs(8),
            },
            sleeper: Arc::new(TokioSleep),
            retry_non_idempotent: false,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            operation_timeout: None,
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            retry_budget: DEFAULT_RETRY_BUDGET,
            error: None,
        }
    }

    /// Sets the credential for the security scheme `scheme`. An empty value
    /// counts as unset. Generated crates expose one named setter per scheme instead.
    #[doc(hidden)]
    pub fn credential(mut self, scheme: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.api.scheme(scheme) {
            Some((i, _)) => self.credentials[i] = (!value.is_empty()).then(|| Secret::new(value)),
            None if self.error.is_none() => {
                let known: Vec<&str> = self.api.schemes.iter().map(|s| s.name).collect();
                let message = format!(
                    "unknown credential `{scheme}`; expected one of: {}",
                    known.join(", ")
                );
                self.error = Some(Error::Config(message));
            }
            None => {}
        }
        self
    }

    /// Reads the base URL and credentials from the API's environment variables,
    /// for whatever is not set yet. Empty variables count as unset.
    pub fn from_env(self) -> Self {
        self.with_vars(|name| std::env::var(name).ok())
    }

    pub(crate) fn with_vars(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: Option<&str>| var(name?).filter(|v| !v.is_empty());
        if self.base_url.is_none() {
            self.base_url = read(self.api.base_url_env);
        }
        for (slot, scheme) in self.credentials.iter_mut().zip(self.api.schemes) {
            if slot.is_none() {
                *slot = read(scheme.env).map(Secret::new);
            }
        }
        self
    }

    /// Sets the base URL that request paths are appended to.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL to a non-loopback host, which sends
    /// credentials unencrypted. Loopback hosts are always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Uses this HTTP client instead of building one. Its own connect timeout,
    /// redirect policy, default headers and proxy settings then apply: the client
    /// built here bypasses system proxies for a plain-http base URL, a client
    /// passed in is used as it is.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How many times a failed attempt is retried (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The timeout for each attempt, from sending to the end of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout (default 5 s). It applies to the HTTP client this
    /// builder creates; with [`ClientBuilder::http_client`] the caller's own applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The first retry wait and the cap on later ones (defaults 0.5 s and 8 s).
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff = Backoff { initial, max };
        self
    }

    /// Retries POST and PATCH calls as freely as idempotent ones (default false),
    /// for an API known to make them safe to repeat.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The largest response body accepted, in bytes (default 32 MiB). A larger one
    /// fails the call with [`Error::BodyTooLarge`] as soon as it is known.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// A deadline over the whole call: every attempt and every wait between them
    /// (default none, so only the per-attempt timeout bounds an attempt).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// How long a response body may make no progress before the attempt fails as a
    /// timeout (default 20 s).
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// The retry budget shared by the client's calls, in tokens (default 500): a
    /// retry takes 5 (10 after a timeout) and a success returns 1, so under
    /// sustained failure retries stop. 0 turns retries off.
    pub fn retry_budget(mut self, tokens: u32) -> Self {
        self.retry_budget = tokens;
        self
    }

    /// The clock retry waits go through (default `tokio::time::sleep`).
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleep>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Builds the client, failing if the base URL is unusable or no credentials
    /// satisfy the API's security requirement.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let (base_url, base) = check_base_url(
            self.base_url
                .as_deref()
                .unwrap_or(self.api.default_base_url),
            self.allow_insecure_http,
        )?;
        let credentials = Credentials::prepare(self.api, &self.credentials)?;
        credentials
            .select(self.api.security)
            .map(drop)
            .map_err(Error::Config)?;
        let own_http = self.http.is_none();
        // A proxy would see credentials in plain text on a plain-http connection.
        let no_proxy = base.scheme() == "http";
        let http = match self.http {
            Some(http) => http,
            None => build_http(self.connect_timeout, no_proxy)?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                api: self.api,
                http,
                own_http,
                by_connect_timeout: Mutex::new(Vec::new()),
                base_url,
                base,
                user_agent: HeaderValue::from_str(self.api.user_agent).ok(),
                credentials,
                max_retries: self.max_retries,
                timeout: self.timeout,
                backoff: self.backoff,
                sleeper: self.sleeper,
                retry_non_idempotent: self.retry_non_idempotent,
                max_response_size: self.max_response_size,
                operation_timeout: self.operation_timeout,
                stall_timeout: self.stall_timeout,
                retry_budget: RetryBudget::new(self.retry_budget),
                no_proxy,
            }),
        })
    }
}

/// The HTTP client this runtime builds: the given connect timeout, redirects only within
/// the same origin (so credentials in headers never follow a redirect elsewhere), and,
/// with `no_proxy`, no system proxy (`HTTP_PROXY` and the like).
fn build_http(connect_timeout: Duration, no_proxy: bool) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(same_origin_redirects());
    let builder = if no_proxy {
        builder.no_proxy()
    } else {
        builder
    };
    builder
        .build()
        .map_err(|e| Error::Config(format!("cannot build the http client: {e}")))
}

impl ClientInner {
    /// The HTTP client for a call: the client's own, or, for a per-call connect timeout,
    /// one built (once) with that timeout.
    pub(crate) fn http_for(
        &self,
        connect_timeout: Option<Duration>,
    ) -> Result<reqwest::Client, Error> {
        let Some(timeout) = connect_timeout else {
            return Ok(self.http.clone());
        };
        if !self.own_http {
            return Err(Error::Config(
                "a per-call connect timeout needs the client's own HTTP client; \
                 set the connect timeout on the reqwest::Client passed to `http_client`"
                    .to_owned(),
            ));
        }
        let mut cache = self
            .by_connect_timeout
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, http)) = cache.iter().find(|(t, _)| *t == timeout) {
            return Ok(http.clone());
        }
        let http = build_http(timeout, self.no_proxy)?;
        cache.push((timeout, http.clone()));
        Ok(http)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set: Vec<&str> = self
            .api
            .schemes
            .iter()
            .zip(&self.credentials)
            .filter(|(_, value)| value.is_some())
            .map(|(scheme, _)| scheme.name)
            .collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(without_userinfo))
            .field("credentials", &set)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("backoff", &self.backoff)
            .field("sleeper", &self.sleeper)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("max_response_size", &self.max_response_size)
            .field("operation_timeout", &self.operation_timeout)
            .field("stall_timeout", &self.stall_timeout)
            .field("retry_budget", &self.retry_budget)
            .finish_non_exhaustive()
    }
}

/// Validates a base URL and returns it normalised, without a trailing slash, and
/// parsed.
pub(crate) fn check_base_url(raw: &str, allow_insecure_http: bool) -> Result<(String, Url), Error> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        let shown = without_userinfo(raw);
        Error::Config(format!("invalid base url `{shown}`: {e}"))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        // Not echoed: the URL holds a password.
        return Err(Error::Config(
            "base url must not contain a user name or password".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "base url `{url}` must not have a query or fragment"
        )));
    }
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => return Err(Error::Config(format!("base url `{url}` has no host"))),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_insecure_http => {}
        "http" => {
            return Err(Error::Config(format!(
                "refusing plain http base url `{url}`: credentials would travel unencrypted; \
                 use https, or ClientBuilder::allow_insecure_http(true)"
            )))
        }
        other => {
            return Err(Error::Config(format!(
                "unsupported base url scheme `{other}`"
            )))
        }
    }
    Ok((url.as_str().trim_end_matches('/').to_owned(), url))
}

/// `raw` with any `user:password@` part replaced, for `Debug` and messages: it
/// works on text, so it also covers URLs that do not parse.
pub(crate) fn without_userinfo(raw: &str) -> String {
    let (scheme, rest) = raw.split_at(raw.find("://").map_or(0, |i| i + 3));
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => format!("{scheme}[redacted]@{}", &rest[at + 1..]),
        None => raw.to_owned(),
    }
}

/// Follows redirects only within the same origin: API keys in custom headers
/// would otherwise be sent to whatever host a redirect names.
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() >= 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}
