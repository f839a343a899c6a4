//! The client's one error type, and the API and decode errors it carries.
//!
//! No variant ever holds a credential: request URLs are stripped from transport
//! errors (query-string API keys would otherwise show), and validation messages
//! never echo the offending value. Errors from a call name its [`Operation`] (the
//! `operationId`, method and path template), never the URL.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value};

/// Bodies are kept only this far, so a huge error page cannot bloat an error.
pub(crate) const SNIPPET_LIMIT: usize = 512;
/// How much of a server message, an echoed name or a body snippet `Display` shows.
const DISPLAY_TEXT: usize = 200;
/// How many server messages `Display` lists before summarising the rest.
const DISPLAY_MESSAGES: usize = 3;

/// Everything that can go wrong with a call.
///
/// When retries run out, the error of the last attempt is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status, or with a success status but
    /// an envelope whose `success` flag is false.
    #[error(transparent)]
    Api(ApiError),
    /// The response could not be decoded into the expected type.
    #[error(transparent)]
    Decode(DecodeError),
    /// The request could not be sent or the response not received (DNS, connect,
    /// TLS, reset connections). The request URL is removed from the source error.
    #[error(transparent)]
    Transport(TransportError),
    /// An attempt took longer than the per-attempt timeout, its body made no
    /// progress for the stall grace period, or the call ran past its operation
    /// timeout.
    #[error("{}", timeout_text(operation.as_ref(), *after, *attempts, *whole_call))]
    #[non_exhaustive]
    Timeout {
        /// The timeout that elapsed: per attempt, or over the whole call.
        after: Duration,
        /// How many attempts were made (each bounded by the per-attempt timeout).
        attempts: u32,
        /// Whether `after` is the whole-call operation timeout rather than the
        /// per-attempt one.
        whole_call: bool,
        /// The operation the call was for.
        operation: Option<Operation>,
    },
    /// The response body is larger than the client accepts; reading stopped there.
    #[error(
        "response body (status {status}) exceeds the limit of {limit} bytes; \
         raise it with `max_response_size` on the client builder or the call"
    )]
    BodyTooLarge {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit in bytes.
        limit: u64,
    },
    /// Arguments failed validation, so nothing was sent. Every violation of the call
    /// is reported at once: `field` and `message` are the first, and when there are
    /// more (in parameters or the body), the message goes on to list each
    /// (``; `body.description`: …``).
    #[error("invalid argument `{field}`: {message}")]
    InvalidArgument {
        /// Where the bad value sits, e.g. `zone_id` or `body.credentials.keys[0].kid`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The client or the call is misconfigured, e.g. missing credentials or a bad base URL.
    #[error("{0}")]
    Config(String),
    /// Auto-pagination stopped because the server kept answering without making
    /// progress (the same page twice, or too many pages).
    #[error("pagination stopped: {0}")]
    Pagination(String),
}

impl Error {
    /// A timeout of one attempt, before the call knows how many attempts it made.
    pub(crate) fn attempt_timeout(after: Duration) -> Self {
        Error::Timeout {
            after,
            attempts: 1,
            whole_call: false,
            operation: None,
        }
    }

    /// Names the call's operation in the error, where its `Display` shows one.
    pub(crate) fn in_operation(mut self, op: &Operation) -> Self {
        let slot = match &mut self {
            Error::Api(e) => &mut e.inner.operation,
            Error::Decode(e) => &mut e.inner.operation,
            Error::Transport(e) => &mut e.operation,
            Error::Timeout { operation, .. } => operation,
            _ => return self,
        };
        if slot.is_none() {
            *slot = Some(op.clone());
        }
        self
    }

    /// Records how many attempts a call made before it failed with this error.
    pub(crate) fn after_attempts(mut self, made: u32) -> Self {
        if let Error::Timeout { attempts, .. } = &mut self {
            *attempts = made;
        }
        self
    }

    /// The operation the failed call was for, when the error came from one.
    pub fn operation(&self) -> Option<&Operation> {
        match self {
            Error::Api(e) => e.operation(),
            Error::Decode(e) => e.inner.operation.as_ref(),
            Error::Transport(e) => e.operation.as_ref(),
            Error::Timeout { operation, .. } => operation.as_ref(),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn transport(err: reqwest::Error) -> Self {
        Error::Transport(TransportError {
            operation: None,
            source: err.without_url(),
        })
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error, if the server reported one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the server answered 404.
    pub fn is_not_found(&self) -> bool {
        self.as_api().is_some_and(ApiError::is_not_found)
    }

    /// Whether the server answered 429.
    pub fn is_rate_limited(&self) -> bool {
        self.as_api().is_some_and(ApiError::is_rate_limited)
    }

    /// Whether the server answered 401 or 403.
    pub fn is_auth(&self) -> bool {
        self.as_api().is_some_and(ApiError::is_auth)
    }

    /// Whether an attempt timed out, either ours or the HTTP client's.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport(e) => e.source.is_timeout(),
            _ => false,
        }
    }
}

/// What `Display` says of a timeout: which limit, and after how many attempts.
fn timeout_text(
    op: Option<&Operation>,
    after: Duration,
    attempts: u32,
    whole_call: bool,
) -> String {
    let prefix = op.map(|op| format!("{op}: ")).unwrap_or_default();
    let tries = if attempts == 1 { "attempt" } else { "attempts" };
    if whole_call {
        format!("{prefix}timed out after {after:?} over the whole call (operation timeout), {attempts} {tries} made")
    } else {
        format!("{prefix}timed out after {after:?} per attempt, {attempts} {tries} made")
    }
}

/// The operation a call was for: the API's `operationId`, the HTTP method and the
/// path template (never the URL, which could carry a secret in its query).
/// Boxed, so that carrying one keeps [`Error`] small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation(Box<OperationInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct OperationInner {
    id: &'static str,
    method: Method,
    path: &'static str,
}

impl Operation {
    pub(crate) fn new(id: &'static str, method: Method, path: &'static str) -> Self {
        Operation(Box::new(OperationInner { id, method, path }))
    }

    /// The API's name for the operation (`operationId`); empty if it has none.
    pub fn id(&self) -> &'static str {
        self.0.id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.0.method
    }

    /// The path template, e.g. `/zones/{zone_id}/rules`.
    pub fn path(&self) -> &'static str {
        self.0.path
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = &self.0;
        if op.id.is_empty() {
            write!(f, "{} {}", op.method, op.path)
        } else {
            write!(f, "`{}` ({} {})", op.id, op.method, op.path)
        }
    }
}

/// The request could not be sent or the response not received. `Display` prints the
/// whole cause chain (e.g. down to "connection refused"); the URL is never in it.
#[derive(Debug)]
pub struct TransportError {
    operation: Option<Operation>,
    pub(crate) source: reqwest::Error,
}

impl TransportError {
    /// The operation the call was for.
    pub fn operation(&self) -> Option<&Operation> {
        self.operation.as_ref()
    }

    /// Whether the HTTP client timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether connecting failed.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = &self.operation {
            write!(f, "{op}: ")?;
        }
        write!(f, "transport error: {}", self.source)?;
        let mut cause = std::error::Error::source(&self.source);
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A message from the server, decoded leniently from the envelope's `errors` or
/// `messages` list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiMessage {
    /// The numeric code, when the server gave one.
    pub code: Option<i64>,
    /// The human-readable text.
    pub message: String,
    /// Every other property, e.g. `documentation_url`.
    pub extra: Map<String, Value>,
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown(&self.message))?;
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        Ok(())
    }
}

impl ApiMessage {
    /// Accepts a list, a single object or a bare string, because error bodies are
    /// the least consistent part of most APIs.
    pub(crate) fn list_from_value(value: Value) -> Vec<ApiMessage> {
        match value {
            Value::Array(items) => items.into_iter().filter_map(Self::from_value).collect(),
            other => Self::from_value(other).into_iter().collect(),
        }
    }

    fn from_value(value: Value) -> Option<ApiMessage> {
        match value {
            Value::Null => None,
            Value::String(message) => Some(ApiMessage {
                code: None,
                message,
                extra: Map::new(),
            }),
            Value::Object(mut extra) => {
                let code = extra.remove("code").and_then(|c| match c {
                    Value::Number(n) => n.as_i64().or_else(|| integral(n.as_f64()?)),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                });
                let message = match extra.remove("message") {
                    Some(Value::String(s)) => s,
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                Some(ApiMessage {
                    code,
                    message,
                    extra,
                })
            }
            other => Some(ApiMessage {
                code: None,
                message: other.to_string(),
                extra: Map::new(),
            }),
        }
    }
}

/// Text from outside (a server's message, a caller's header name) as `Display`
/// shows it: control characters become spaces, so it cannot forge lines or
/// terminal escapes, and it is cut after 200 bytes.
pub(crate) fn shown(text: &str) -> String {
    let cut = floor_char_boundary(text, DISPLAY_TEXT);
    let mut out: String = text[..cut]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cut < text.len() {
        out.push('…');
    }
    out
}

/// Converts integral floats such as `3.0`, which some servers emit for counters.
pub(crate) fn integral(f: f64) -> Option<i64> {
    let exact = f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15;
    exact.then_some(f as i64)
}

/// An error reported by the server.
pub struct ApiError {
    inner: Box<ApiErrorInner>,
}

struct ApiErrorInner {
    operation: Option<Operation>,
    status: StatusCode,
    errors: Vec<ApiMessage>,
    messages: Vec<ApiMessage>,
    headers: HeaderMap,
    content_type: Option<String>,
    snippet: Snippet,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        headers: &HeaderMap,
        errors: Vec<ApiMessage>,
        messages: Vec<ApiMessage>,
        body: &[u8],
    ) -> Self {
        ApiError {
            inner: Box::new(ApiErrorInner {
                operation: None,
                status,
                errors,
                messages,
                content_type: content_type(headers),
                headers: headers.clone(),
                snippet: Snippet::new(body),
            }),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The operation the call was for: its `operationId`, method and path template.
    pub fn operation(&self) -> Option<&Operation> {
        self.inner.operation.as_ref()
    }

    /// The server's error messages.
    pub fn errors(&self) -> &[ApiMessage] {
        &self.inner.errors
    }

    /// The server's informational messages.
    pub fn messages(&self) -> &[ApiMessage] {
        &self.inner.messages
    }

    /// The response headers, e.g. to find a request id for support.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The start of the response body (at most 512 bytes, cut on a character boundary).
    pub fn body_snippet(&self) -> &str {
        &self.inner.snippet.text
    }

    /// 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == StatusCode::NOT_FOUND
    }

    /// 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == StatusCode::TOO_MANY_REQUESTS
    }

    /// 401 Unauthorized or 403 Forbidden.
    pub fn is_auth(&self) -> bool {
        matches!(
            self.status(),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        )
    }

    /// 409 Conflict.
    pub fn is_conflict(&self) -> bool {
        self.status() == StatusCode::CONFLICT
    }

    /// Any 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.status().is_server_error()
    }

    /// Any 4xx status.
    pub fn is_client_error(&self) -> bool {
        self.status().is_client_error()
    }
}

impl fmt::Debug for ApiError {
    // Response headers are left out: they can carry session cookies.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.inner.operation)
            .field("status", &self.inner.status)
            .field("errors", &self.inner.errors)
            .field("messages", &self.inner.messages)
            .field("content_type", &self.inner.content_type)
            .field("body_snippet", &self.inner.snippet.text)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(op) = &self.inner.operation {
            write!(f, "{op}: ")?;
        }
        write!(f, "api error (status {})", self.inner.status)?;
        let listed = if self.inner.errors.is_empty() {
            &self.inner.messages
        } else {
            &self.inner.errors
        };
        if listed.is_empty() {
            return match &self.inner.content_type {
                _ if self.inner.snippet.text.is_empty() => f.write_str(": empty body"),
                Some(ct) => write!(f, ": {ct} body: {}", self.inner.snippet.short()),
                None => write!(f, ": {}", self.inner.snippet.short()),
            };
        }
        for (i, message) in listed.iter().take(DISPLAY_MESSAGES).enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            fmt::Display::fmt(message, f)?;
        }
        if listed.len() > DISPLAY_MESSAGES {
            write!(f, "; and {} more", listed.len() - DISPLAY_MESSAGES)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A response that could not be decoded.
pub struct DecodeError {
    inner: Box<DecodeErrorInner>,
}

struct DecodeErrorInner {
    operation: Option<Operation>,
    kind: DecodeKind,
    status: StatusCode,
    path: String,
    message: String,
    content_type: Option<String>,
    snippet: Snippet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeKind {
    Empty,
    NotJson,
    Invalid,
}

impl DecodeError {
    pub(crate) fn new(
        kind: DecodeKind,
        status: StatusCode,
        headers: &HeaderMap,
        path: String,
        message: String,
        body: &[u8],
    ) -> Self {
        DecodeError {
            inner: Box::new(DecodeErrorInner {
                operation: None,
                kind,
                status,
                path,
                message,
                content_type: content_type(headers),
                snippet: Snippet::new(body),
            }),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The JSON path of the failure, e.g. `result[0].credentials.keys[0]`; empty at the root.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// What went wrong, without the path.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The response's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.inner.content_type.as_deref()
    }

    /// The start of the response body (at most 512 bytes, cut on a character boundary).
    pub fn body_snippet(&self) -> &str {
        &self.inner.snippet.text
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.inner.status)
            .field("path", &self.inner.path)
            .field("message", &self.inner.message)
            .field("content_type", &self.inner.content_type)
            .field("body_snippet", &self.inner.snippet.text)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.inner;
        if let Some(op) = &d.operation {
            write!(f, "{op}: ")?;
        }
        match d.kind {
            DecodeKind::Empty => {
                write!(
                    f,
                    "expected a JSON body but got an empty body (status {})",
                    d.status
                )
            }
            DecodeKind::NotJson => {
                f.write_str("expected a JSON body but the bytes are not JSON (")?;
                match &d.content_type {
                    Some(ct) => write!(f, "content type {}", shown(ct))?,
                    None => f.write_str("no content type")?,
                }
                write!(f, ", status {}): {}", d.status, d.snippet.short())
            }
            DecodeKind::Invalid if d.path.is_empty() => {
                write!(
                    f,
                    "invalid response body (status {}): {}",
                    d.status, d.message
                )
            }
            DecodeKind::Invalid => {
                write!(
                    f,
                    "invalid response body at `{}` (status {}): {}",
                    d.path, d.status, d.message
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The bounded start of a body.
struct Snippet {
    text: String,
    truncated: bool,
}

impl Snippet {
    fn new(body: &[u8]) -> Self {
        let text = snippet(body, SNIPPET_LIMIT);
        Snippet {
            truncated: text.len() < body.len(),
            text,
        }
    }

    /// A one-line prefix for `Display`.
    fn short(&self) -> String {
        let mut out = shown(&self.text);
        if self.truncated && !out.ends_with('…') {
            out.push('…');
        }
        out
    }
}

/// At most `max` bytes of `body` as text: never splits a character, and replaces
/// invalid UTF-8 instead of failing.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let head = &body[..body.len().min(max)];
    // A multi-byte character cut by the byte limit is dropped, not mangled.
    let valid = match std::str::from_utf8(head) {
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        _ => head.len(),
    };
    let mut text = String::from_utf8_lossy(&head[..valid]).into_owned();
    // Replacement characters are wider than the bytes they replace.
    text.truncate(floor_char_boundary(&text, max));
    text
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}
