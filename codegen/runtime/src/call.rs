//! One API call in flight: per-call options, the retry loop, timeouts and tracing.
//!
//! A [`Call`] is inert until awaited. It then sends its request, retrying as
//! [`retry`](super::retry) decides, and decodes the successful response. When
//! retries run out, the last attempt's error is returned.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::client::{Client, ClientInner};
use super::decode::{api_error, DecodeCtx, Decoder};
use super::error::Error;
use super::request::Request;
use super::retry::{is_retryable, retry_after, should_retry};
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

/// A response as received, before decoding.
pub(crate) struct Raw {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// As received, not copied: a copy would cost a pass over every body.
    pub(crate) body: Bytes,
}

impl Client {
    /// Starts a call: `decoder` (one of the runtime's `decode` functions) turns the
    /// successful response body into `T`. Nothing is sent until it is awaited.
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

    /// Adds a header to this call, replacing any header of that name the
    /// request would carry (credentials excepted).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            (Err(_), _) => self
                .request
                .fail(Error::invalid(name, "not a valid header name")),
            (_, Err(_)) => self.request.fail(Error::invalid(
                name,
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
        let inner = &self.client.inner;
        let prepare = || wire::prepare(inner, &self.request, page, &self.headers);
        let first = prepare()?;
        let retries = self.max_retries.unwrap_or(inner.max_retries);
        let timeout = self.timeout.unwrap_or(inner.timeout);
        let http = inner.http_for(self.connect_timeout)?;
        let span = tracing::info_span!(
            "http_request",
            method = %self.request.method,
            path = self.request.template,
            status = Empty,
            attempt = Empty,
            duration_ms = Empty,
        );
        send_with_retries(inner, &http, first, prepare, retries, timeout, &span)
            .instrument(span.clone())
            .await
    }

    pub(crate) fn decode(&self, raw: &Raw) -> Result<T, Error> {
        let ctx = DecodeCtx::new(self.client.inner.api, raw.status, &raw.headers);
        (self.decoder)(&ctx, &raw.body)
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
            .finish_non_exhaustive()
    }
}

/// Sends `first`, then, while the policy says so, a fresh `prepare()` of the same
/// request: a request is consumed by sending it, and preparing again only when an
/// attempt failed keeps the usual call free of copies made just in case.
async fn send_with_retries(
    inner: &ClientInner,
    http: &reqwest::Client,
    first: reqwest::Request,
    prepare: impl Fn() -> Result<reqwest::Request, Error>,
    retries: u32,
    timeout: Duration,
    span: &Span,
) -> Result<Raw, Error> {
    let started = Instant::now();
    let mut attempt = 0;
    let mut next = Some(first);
    let result = loop {
        span.record("attempt", attempt);
        let request = match next.take().map_or_else(&prepare, Ok) {
            Ok(request) => request,
            Err(error) => break Err(error),
        };
        let (error, retry, wait) = match attempt_once(http, request, timeout).await {
            Ok(raw) => {
                span.record("status", raw.status.as_u16());
                if raw.status.is_success() {
                    break Ok(raw);
                }
                let retry = should_retry(raw.status, &raw.headers);
                let wait = retry_after(&raw.headers, SystemTime::now());
                (
                    Error::Api(api_error(inner.api, raw.status, &raw.headers, &raw.body)),
                    retry,
                    wait,
                )
            }
            Err(error) => {
                let retry = is_retryable(&error);
                (error, retry, None)
            }
        };
        if !retry || attempt >= retries {
            break Err(error);
        }
        let wait = wait.unwrap_or_else(|| inner.backoff.delay(attempt));
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(attempt, wait_ms, reason = %error, "retrying request");
        inner.sleeper.sleep(wait).await;
        attempt += 1;
    };
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );
    result
}

/// One exchange, bounded as a whole (headers and body) by `timeout`.
async fn attempt_once(
    http: &reqwest::Client,
    request: reqwest::Request,
    timeout: Duration,
) -> Result<Raw, Error> {
    let exchange = async {
        let mut response = http.execute(request).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Raw {
            status,
            headers,
            body,
        })
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result.map_err(Error::transport),
        Err(_) => Err(Error::Timeout { after: timeout }),
    }
}
