//! One API call in flight: per-call options, the retry loop, timeouts and tracing.
//!
//! A [`Call`] is inert until awaited. It then sends its request, retrying as
//! [`retry`](super::retry) decides, and decodes the successful response. When
//! retries run out, the last attempt's error is returned. Each retry carries the
//! header `x-retry-count`; an operation with an idempotency key header sends one
//! key, generated per call, with every attempt.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::attempt::{attempt, Limits, Raw};
use super::client::{Client, ClientInner};
use super::decode::{api_error, DecodeCtx, Decoder};
use super::error::{shown, Error};
use super::request::{refused_header, Request};
use super::retry::{is_retryable, retry_after, should_retry, Repeat, RETRY_COUNT_HEADER};
use super::wire;

/// A request ready to be sent, decoding its response as `T`.
///
/// Await it (or call [`Call::send`]) for the value, or [`Call::with_response`]
/// for the status and headers too.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    pub(crate) client: Client,
    pub(crate) request: Request,
    decoder: Decoder<T>,
    max_retries: Option<u32>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_size: Option<u64>,
    retry_non_idempotent: Option<bool>,
    headers: HeaderMap,
}

/// A decoded value with the response's status and headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub value: T,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Consumes the response, keeping the decoded body.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl Client {
    /// Starts a call: `decoder` (one of the runtime's `decode` functions) turns the
    /// successful response body into `T`. Nothing is sent until it is awaited.
    ///
    /// Plumbing for the generated methods, hidden from the client's documented API.
    #[doc(hidden)]
    pub fn call<T>(&self, request: Request, decoder: Decoder<T>) -> Call<T> {
        Call::new(self.clone(), request, decoder)
    }
}

impl<T> Call<T> {
    pub(crate) fn new(client: Client, request: Request, decoder: Decoder<T>) -> Self {
        Call {
            client,
            request,
            decoder,
            max_retries: None,
            timeout: None,
            connect_timeout: None,
            operation_timeout: None,
            max_response_size: None,
            retry_non_idempotent: None,
            headers: HeaderMap::new(),
        }
    }

    /// Overrides the client's retry count for this call.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Overrides the client's per-attempt timeout for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the client's connect timeout for this call. Needs the client's own HTTP
    /// client: with one passed to `http_client`, the call fails with `Error::Config`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Overrides the client's operation timeout (over all attempts and waits) for
    /// this call.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Overrides the client's cap on the response body, in bytes, for this call.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Overrides the client's choice of retrying this call as freely as an
    /// idempotent one, even if its method is POST or PATCH.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = Some(retry);
        self
    }

    /// Adds a header to this call, replacing any header of that name the
    /// request would carry (credentials excepted). Headers that frame the message
    /// or the connection (`Content-Length`, `Host`, `Transfer-Encoding`,
    /// `Connection`, `Proxy-*` and the like) are refused: the HTTP client sets them.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), _) if refused_header(&name) => self.request.fail(Error::invalid(
                name.as_str(),
                "sets how the message is framed or forwarded, which the HTTP client controls",
            )),
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            (Err(_), _) => self
                .request
                .fail(Error::invalid(shown(name), "not a valid header name")),
            (_, Err(_)) => self.request.fail(Error::invalid(
                shown(name),
                "contains characters not allowed in an HTTP header",
            )),
        }
        self
    }

    /// Sends the request and decodes the response.
    pub async fn send(self) -> Result<T, Error> {
        self.with_response().await.map(Response::into_value)
    }

    /// Sends the request and decodes the response, keeping its status and headers.
    pub async fn with_response(mut self) -> Result<Response<T>, Error> {
        if let Some(error) = self.request.error.take() {
            return Err(error);
        }
        let raw = self.fetch(None).await?;
        let value = self.decode(&raw)?;
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value,
        })
    }

    /// Sends the request (with `page` as the page parameter, if given) until it
    /// succeeds or retries run out. The request's own error must have been taken.
    pub(crate) async fn fetch(&self, page: Option<(&'static str, u64)>) -> Result<Raw, Error> {
        self.fetch_once(page)
            .await
            .map_err(|e| e.in_operation(&self.request.context()))
    }

    async fn fetch_once(&self, page: Option<(&'static str, u64)>) -> Result<Raw, Error> {
        let inner = &self.client.inner;
        let headers = self.headers_with_key()?;
        let prepare = || wire::prepare(inner, &self.request, page, &headers);
        let first = prepare()?;
        let declared = self.request.idempotent
            || self.request.idempotency_key.is_some()
            || self
                .retry_non_idempotent
                .unwrap_or(inner.retry_non_idempotent);
        let policy = Policy {
            retries: self.max_retries.unwrap_or(inner.max_retries),
            repeat: Repeat::for_method(&self.request.method, declared),
            limits: Limits {
                timeout: self.timeout.unwrap_or(inner.timeout),
                max_size: self.max_response_size.unwrap_or(inner.max_response_size),
                stall: inner.stall_timeout,
            },
        };
        let http = inner.http_for(self.connect_timeout)?;
        let span = tracing::info_span!(
            "http_request",
            method = %self.request.method,
            path = self.request.template,
            status = Empty,
            attempt = Empty,
            duration_ms = Empty,
        );
        let attempts = AtomicU32::new(0);
        let Some(limit) = self.operation_timeout.or(inner.operation_timeout) else {
            let send =
                send_with_retries(inner, &http, first, prepare, policy, None, &span, &attempts);
            return send.instrument(span.clone()).await;
        };
        let deadline = Instant::now() + limit;
        let send = send_with_retries(
            inner,
            &http,
            first,
            prepare,
            policy,
            Some(deadline),
            &span,
            &attempts,
        );
        match tokio::time::timeout(limit, send.instrument(span.clone())).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                after: limit,
                attempts: attempts.load(Ordering::Relaxed),
                whole_call: true,
                operation: None,
            }),
        }
    }

    /// The call's own headers plus, for an operation with an idempotency key
    /// header, a fresh key (unless the caller set one), shared by every attempt.
    fn headers_with_key(&self) -> Result<Cow<'_, HeaderMap>, Error> {
        let Some(name) = self.request.idempotency_key else {
            return Ok(Cow::Borrowed(&self.headers));
        };
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
        if self.headers.contains_key(&name) || self.request.headers.contains_key(&name) {
            return Ok(Cow::Borrowed(&self.headers));
        }
        let mut headers = self.headers.clone();
        // A UUID's text is always a valid header value.
        if let Ok(key) = HeaderValue::from_str(&idempotency_key()) {
            headers.insert(name, key);
        }
        Ok(Cow::Owned(headers))
    }

    pub(crate) fn decode(&self, raw: &Raw) -> Result<T, Error> {
        let ctx = DecodeCtx::new(self.client.inner.api, raw.status, &raw.headers);
        (self.decoder)(&ctx, &raw.body).map_err(|e| e.in_operation(&self.request.context()))
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .finish_non_exhaustive()
    }
}

/// How one call retries and bounds its attempts.
#[derive(Debug, Clone, Copy)]
struct Policy {
    retries: u32,
    repeat: Repeat,
    limits: Limits,
}

/// Sends `first`, then, while the policy and the client's retry budget allow, a
/// fresh `prepare()` of the same request: a request is consumed by sending it, and
/// preparing again only when an attempt failed keeps the usual call free of copies
/// made just in case. A wait that would end past `deadline` is not begun: the last
/// error says more than a timeout would. `attempts` counts the attempts begun, for a
/// timeout over the whole call to report.
#[allow(
    clippy::too_many_arguments,
    reason = "one call's fixed context; a struct for it would only be unpacked again here"
)]
async fn send_with_retries(
    inner: &ClientInner,
    http: &reqwest::Client,
    first: reqwest::Request,
    prepare: impl Fn() -> Result<reqwest::Request, Error>,
    policy: Policy,
    deadline: Option<Instant>,
    span: &Span,
    attempts: &AtomicU32,
) -> Result<Raw, Error> {
    let started = Instant::now();
    let mut attempt_no = 0;
    let mut next = Some(first);
    let result = loop {
        span.record("attempt", attempt_no);
        attempts.store(attempt_no + 1, Ordering::Relaxed);
        let request = match next.take().map_or_else(&prepare, Ok) {
            Ok(mut request) => {
                if attempt_no > 0 {
                    request
                        .headers_mut()
                        .insert(RETRY_COUNT_HEADER, HeaderValue::from(attempt_no));
                }
                request
            }
            Err(error) => break Err(error),
        };
        let (error, retry, wait) = match attempt(http, request, policy.limits).await {
            Ok(raw) => {
                span.record("status", raw.status.as_u16());
                if raw.status.is_success() {
                    inner.retry_budget.refund();
                    break Ok(raw);
                }
                let retry = should_retry(raw.status, &raw.headers, policy.repeat);
                let wait = retry_after(&raw.headers, SystemTime::now());
                (
                    Error::Api(api_error(inner.api, raw.status, &raw.headers, &raw.body)),
                    retry,
                    wait,
                )
            }
            Err(error) => {
                let retry = is_retryable(&error, policy.repeat);
                (error, retry, None)
            }
        };
        if !retry || attempt_no >= policy.retries {
            break Err(error.after_attempts(attempt_no + 1));
        }
        let wait = wait.unwrap_or_else(|| inner.backoff.delay(attempt_no));
        let past_deadline = deadline.is_some_and(|deadline| Instant::now() + wait >= deadline);
        if past_deadline || !inner.retry_budget.take(error.is_timeout()) {
            break Err(error.after_attempts(attempt_no + 1));
        }
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(attempt = attempt_no, wait_ms, reason = %error, "retrying request");
        inner.sleeper.sleep(wait).await;
        attempt_no += 1;
    };
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );
    result
}

/// A fresh version-4 UUID as text. `RandomState` is seeded randomly per process and
/// re-keyed per instance; the counter makes two keys in one instant differ anyway.
fn idempotency_key() -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let now = SystemTime::now();
    let high = RandomState::new().hash_one((now, n));
    let low = RandomState::new().hash_one((n, now));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_le_bytes());
    bytes[8..].copy_from_slice(&low.to_le_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}
