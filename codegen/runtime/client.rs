//! The client, its builder, and turning a [`Request`] into what goes on the wire.

use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::redirect;
use url::{Host, Url};

use super::auth::{Applied, Credentials, Secret};
use super::call::Call;
use super::decode::Decoder;
use super::descriptor::ApiDescriptor;
use super::error::Error;
use super::request::{encode, Request};
use super::retry::{Backoff, Sleep, TokioSleep};

/// A client for one API. Cloning is cheap and clones share connections.
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
    base_url: String,
    /// `base_url` parsed, so that a call parses only its own path and query.
    base: Url,
    /// The API's `User-Agent`, built once; `None` if it is not a valid header value.
    user_agent: Option<HeaderValue>,
    credentials: Credentials,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) backoff: Backoff,
    pub(crate) sleeper: Arc<dyn Sleep>,
}

impl Client {
    /// Starts a call: `decoder` (one of the runtime's `decode` functions) turns the
    /// successful response body into `T`. Nothing is sent until it is awaited.
    pub fn call<T>(&self, request: Request, decoder: Decoder<T>) -> Call<T> {
        Call::new(self.clone(), request, decoder)
    }

    /// The base URL that request paths are appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn api(&self) -> &'static ApiDescriptor {
        self.inner.api
    }
}

impl ClientInner {
    /// The request as it goes on the wire: credentials and defaults attached, the URL
    /// built. `page` replaces the page parameter; `extra` headers (from the call)
    /// override the request's. Built once per attempt, so a call that succeeds at
    /// once copies nothing twice.
    pub(crate) fn prepare(
        &self,
        request: &Request,
        page: Option<(&str, u64)>,
        extra: &HeaderMap,
    ) -> Result<reqwest::Request, Error> {
        let security = request.security.unwrap_or(self.api.security);
        let applied = self.credentials.select(security).map_err(Error::Config)?;

        let mut headers = request.headers.clone();
        for (name, value) in extra {
            headers.insert(name.clone(), value.clone());
        }
        if !headers.contains_key(USER_AGENT) {
            if let Some(agent) = &self.user_agent {
                headers.insert(USER_AGENT, agent.clone());
            }
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        if let Some((content_type, _)) = &request.body {
            let value = HeaderValue::from_str(content_type)
                .map_err(|_| Error::Config(format!("invalid content type `{content_type}`")))?;
            headers.insert(CONTENT_TYPE, value);
        }

        let mut query = Vec::new();
        let mut cookies = request.cookies.clone();
        let mut secret_cookie = false;
        for credential in applied {
            match credential {
                Applied::Header(name, value) => {
                    headers.insert(name.clone(), value.clone());
                }
                Applied::Query(name, value) => query.push((encode(name), encode(value.expose()))),
                Applied::Cookie(name, value) => {
                    cookies.push(format!("{}={}", encode(name), encode(value.expose())));
                    secret_cookie = true;
                }
            }
        }
        if !cookies.is_empty() {
            // Values are percent-encoded, so this cannot fail.
            if let Ok(mut value) = HeaderValue::from_str(&cookies.join("; ")) {
                value.set_sensitive(secret_cookie);
                headers.insert(COOKIE, value);
            }
        }

        let url = self.url(request, page, &query)?;
        let mut out = reqwest::Request::new(request.method.clone(), url);
        *out.headers_mut() = headers;
        if let Some((_, bytes)) = &request.body {
            *out.body_mut() = Some(bytes.clone().into());
        }
        Ok(out)
    }

    /// The request's URL: `base_url` + path + query, as it has always been, but resolved
    /// against the parsed base so that a call does not parse the scheme and host (IDNA
    /// included) again.
    fn url(
        &self,
        request: &Request,
        page: Option<(&str, u64)>,
        query: &[(String, String)],
    ) -> Result<Url, Error> {
        // The base's path (`/v4`), then the request's path (with a leading `/`) and
        // query; `rest` is what goes after `base_url`.
        let base_path = self.base.path().trim_end_matches('/');
        let mut owned = String::new();
        let target = match request.query_string(page, query) {
            // Nothing to add: the request's own path (the usual case) as it is.
            None if base_path.is_empty() && request.path.starts_with('/') => request.path.as_str(),
            tail => {
                owned.reserve(base_path.len() + request.path.len() + 1);
                owned.push_str(base_path);
                if !request.path.starts_with('/') {
                    owned.push('/');
                }
                owned.push_str(&request.path);
                if let Some(tail) = tail {
                    owned.push('?');
                    owned.push_str(&tail);
                }
                owned.as_str()
            }
        };
        let rest = &target[base_path.len()..];
        // Resolution and parsing the whole differ only where the parser would read the
        // target as naming a host: `//host/…` (or with backslashes, which special
        // schemes read as slashes), also once it has dropped tabs and newlines. Those
        // are parsed whole; and a result on another origin is never taken.
        let whole = || Url::parse(&format!("{}{rest}", self.base_url));
        let parsed = if matches!(target.as_bytes(), [_, b'/' | b'\\', ..])
            || target.contains(['\t', '\n', '\r'])
        {
            whole()
        } else {
            match Url::options().base_url(Some(&self.base)).parse(target) {
                Ok(url) if same_origin(&url, &self.base) => Ok(url),
                _ => whole(),
            }
        };
        // The URL may hold a query-string credential, so it stays out of the message.
        parsed.map_err(|e| Error::Config(format!("invalid request url: {e}")))
    }
}

/// Whether `a` and `b` share scheme, host and port; unlike comparing `Url::origin`s,
/// this allocates nothing.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials)
            .field("max_retries", &inner.max_retries)
            .field("timeout", &inner.timeout)
            .field("backoff", &inner.backoff)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
///
/// Defaults: the API's base URL, 2 retries, a 60 s timeout per attempt, a 5 s
/// connect timeout, and retry backoff from 0.5 s up to 8 s.
#[must_use]
pub struct ClientBuilder {
    api: &'static ApiDescriptor,
    /// One slot per scheme of the descriptor, in its order.
    credentials: Vec<Option<Secret>>,
    base_url: Option<String>,
    allow_insecure_http: bool,
    http: Option<reqwest::Client>,
    max_retries: u32,
    timeout: Duration,
    connect_timeout: Duration,
    backoff: Backoff,
    sleeper: Arc<dyn Sleep>,
    error: Option<Error>,
}

impl ClientBuilder {
    /// A builder for the API that `api` describes.
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
            error: None,
        }
    }

    /// Sets the credential for the security scheme `scheme`. An empty value
    /// counts as unset.
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

    fn with_vars(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
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
    /// redirect policy and default headers then apply.
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
        let http = match self.http {
            Some(http) => http,
            None => build_http(self.connect_timeout)?,
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
            }),
        })
    }
}

/// The HTTP client this runtime builds: the given connect timeout, redirects only within
/// the same origin (so credentials in headers never follow a redirect elsewhere).
fn build_http(connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(same_origin_redirects())
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
        let http = build_http(timeout)?;
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
            .finish_non_exhaustive()
    }
}

/// Validates a base URL and returns it normalised, without a trailing slash, and
/// parsed.
fn check_base_url(raw: &str, allow_insecure_http: bool) -> Result<(String, Url), Error> {
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
fn without_userinfo(raw: &str) -> String {
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

#[cfg(test)]
mod tests {
    use reqwest::Method;

    use super::super::descriptor::{ParamLocation, SchemeKind, SecurityScheme};
    use super::*;

    static API: ApiDescriptor = ApiDescriptor {
        user_agent: "example/1.0",
        default_base_url: "https://api.example.com/v4/",
        base_url_env: Some("RTDEV_TEST_BASE_URL"),
        schemes: &[
            SecurityScheme {
                name: "api_token",
                kind: SchemeKind::Bearer,
                env: Some("RTDEV_TEST_TOKEN"),
            },
            SecurityScheme {
                name: "api_email",
                kind: SchemeKind::ApiKey {
                    location: ParamLocation::Header,
                    param: "X-Auth-Email",
                },
                env: Some("RTDEV_TEST_EMAIL"),
            },
            SecurityScheme {
                name: "api_key",
                kind: SchemeKind::ApiKey {
                    location: ParamLocation::Query,
                    param: "key",
                },
                env: Some("RTDEV_TEST_KEY"),
            },
        ],
        security: &[&["api_token"], &["api_email", "api_key"]],
        envelope: None,
        pagination: None,
    };

    #[test]
    fn defaults_match_the_documented_ones() {
        let b = ClientBuilder::new(&API);
        assert_eq!(b.max_retries, 2);
        assert_eq!(b.timeout, Duration::from_secs(60));
        assert_eq!(b.connect_timeout, Duration::from_secs(5));
    }

    const SECRET: &str = "s3cr3t-value";

    #[test]
    fn base_url_rules() {
        let ok = |raw| check_base_url(raw, false).expect("accepted").0;
        assert_eq!(
            ok("https://api.example.com/v4/"),
            "https://api.example.com/v4"
        );
        assert_eq!(ok("https://api.example.com"), "https://api.example.com");
        assert_eq!(ok("http://127.0.0.2:4010/"), "http://127.0.0.2:4010");
        assert_eq!(ok("http://[::1]:4010"), "http://[::1]:4010");
        assert_eq!(ok("http://LOCALHOST:1/x//"), "http://localhost:1/x");
        let err = |raw| check_base_url(raw, false).expect_err("refused").to_string();
        assert!(err("http://api.example.com").starts_with("refusing plain http base url"));
        assert!(check_base_url("http://api.example.com", true).is_ok());
        assert!(err("ftp://x").contains("unsupported"));
        assert!(err("https://x/?a=1").contains("query"));
        assert!(!err(&format!("https://u:{SECRET}@x/")).contains(SECRET));
        let unparsable = check_base_url(&format!("https://u:{SECRET}@x:99999/"), false)
            .expect_err("invalid port")
            .to_string();
        assert!(
            unparsable.starts_with("invalid base url `https://[redacted]@x:99999/`: "),
            "{unparsable}"
        );
    }

    #[test]
    fn userinfo_is_redacted_from_text() {
        assert_eq!(
            without_userinfo("https://u:p@h:1/a@b?c=@d"),
            "https://[redacted]@h:1/a@b?c=@d"
        );
        assert_eq!(without_userinfo("u:p@h/x"), "[redacted]@h/x");
        assert_eq!(without_userinfo("https://h/a@b"), "https://h/a@b");
        let builder = ClientBuilder::new(&API).base_url(format!("https://u:{SECRET}@x"));
        let shown = format!("{builder:?}");
        assert!(
            shown.contains("https://[redacted]@x") && !shown.contains(SECRET),
            "{shown}"
        );
    }

    #[test]
    fn build_requires_credentials() {
        let err = ClientBuilder::new(&API)
            .build()
            .expect_err("no credentials");
        assert_eq!(
            err.to_string(),
            "no credentials: set RTDEV_TEST_TOKEN, or RTDEV_TEST_EMAIL and RTDEV_TEST_KEY"
        );
        let err = ClientBuilder::new(&API)
            .credential("nope", "x")
            .build()
            .expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown credential `nope`; expected one of: api_token, api_email, api_key"
        );
        let err = ClientBuilder::new(&API)
            .credential("api_token", "")
            .build()
            .expect_err("empty");
        assert!(matches!(err, Error::Config(_)));
    }

    #[test]
    fn secrets_never_print() {
        let builder = ClientBuilder::new(&API)
            .credential("api_token", SECRET)
            .credential("api_key", SECRET);
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains(SECRET) && shown.contains("api_token"),
            "{shown}"
        );
        let client = builder.build().expect("client");
        let shown = format!("{client:?}");
        assert!(
            !shown.contains(SECRET) && shown.contains("api_key"),
            "{shown}"
        );
        assert_eq!(client.base_url(), "https://api.example.com/v4");

        let bad = ClientBuilder::new(&API)
            .credential("api_token", format!("{SECRET}\n"))
            .build();
        let shown = format!(
            "{bad:?} {}",
            bad.as_ref()
                .map(|_| String::new())
                .unwrap_or_else(|e| e.to_string())
        );
        assert!(!shown.contains(SECRET), "{shown}");
    }

    #[test]
    fn prepare_attaches_credentials() {
        let client = ClientBuilder::new(&API)
            .credential("api_email", "me@example.com")
            .credential("api_key", "k&y")
            .build()
            .expect("client");
        let request = Request::new(Method::GET, "/zones/{id}").path("id", "a/b", &[]);
        let mut extra = HeaderMap::new();
        extra.insert("x-extra", HeaderValue::from_static("1"));
        let p = client
            .inner
            .prepare(&request, Some(("page", 2)), &extra)
            .expect("prepared");
        assert_eq!(
            p.url().as_str(),
            "https://api.example.com/v4/zones/a%2Fb?page=2&key=k%26y"
        );
        assert_eq!(p.headers()["x-auth-email"], "me@example.com");
        assert!(p.headers()["x-auth-email"].is_sensitive());
        assert_eq!(p.headers()[USER_AGENT], "example/1.0");
        assert_eq!(p.headers()["x-extra"], "1");
        assert!(!p.headers().contains_key(reqwest::header::AUTHORIZATION));

        let relative = Request::new(Method::GET, "rel").security(&[]);
        let p = client
            .inner
            .prepare(&relative, None, &HeaderMap::new())
            .expect("prepared");
        assert_eq!(p.url().as_str(), "https://api.example.com/v4/rel");
        // Resolved against the base, this would be a URL on another host.
        let other_host = ClientBuilder::new(&API)
            .base_url("https://api.example.com")
            .credential("api_token", "t")
            .build()
            .expect("client");
        let request = Request::new(Method::GET, "//evil.example/{x}").path("x", "y", &[]);
        let p = other_host
            .inner
            .prepare(&request, None, &HeaderMap::new())
            .expect("prepared");
        assert_eq!(p.url().as_str(), "https://api.example.com//evil.example/y");
        // The parser drops tabs and newlines, after which this too would name a host.
        let tabbed = Request::new(Method::GET, "/\t/evil.example/x");
        let p = other_host
            .inner
            .prepare(&tabbed, None, &HeaderMap::new())
            .expect("prepared");
        assert_eq!(p.url().as_str(), "https://api.example.com//evil.example/x");
        // A base path that starts with `//` is sent once, not twice.
        let slashed = ClientBuilder::new(&API)
            .base_url("https://api.example.com//api")
            .credential("api_token", "t")
            .build()
            .expect("client");
        let p = slashed
            .inner
            .prepare(
                &Request::new(Method::GET, "/zones"),
                Some(("page", 2)),
                &HeaderMap::new(),
            )
            .expect("prepared");
        assert_eq!(
            p.url().as_str(),
            "https://api.example.com//api/zones?page=2"
        );

        let public = Request::new(Method::GET, "/public").security(&[]);
        assert!(client
            .inner
            .prepare(&public, None, &HeaderMap::new())
            .is_ok());
        let token_only = Request::new(Method::GET, "/t").security(&[&["api_token"]]);
        let err = client
            .inner
            .prepare(&token_only, None, &HeaderMap::new())
            .map(drop)
            .expect_err("no token");
        assert_eq!(err.to_string(), "no credentials: set RTDEV_TEST_TOKEN");
    }

    #[test]
    fn from_env_fills_unset_values() {
        let vars = |name: &str| {
            let value = match name {
                "RTDEV_TEST_BASE_URL" => "https://env.example.com/",
                "RTDEV_TEST_TOKEN" => "from-env",
                "RTDEV_TEST_EMAIL" => "",
                _ => return None,
            };
            Some(value.to_owned())
        };
        let client = ClientBuilder::new(&API)
            .with_vars(vars)
            .build()
            .expect("client from env");
        assert_eq!(client.base_url(), "https://env.example.com");
        assert_eq!(format!("{:?}", client.inner.credentials), "[\"api_token\"]");
        let client = ClientBuilder::new(&API)
            .base_url("https://explicit.example.com")
            .credential("api_key", "k")
            .with_vars(vars)
            .build()
            .expect("client");
        assert_eq!(client.base_url(), "https://explicit.example.com");
        assert_eq!(
            format!("{:?}", client.inner.credentials),
            "[\"api_token\", \"api_key\"]"
        );
    }
}
