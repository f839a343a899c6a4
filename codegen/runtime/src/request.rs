//! A request under construction. Parameters are validated and encoded as they are
//! added; every invalid argument of a call is collected, and the error is reported
//! when the call is awaited, so a request with a bad argument is never sent.

use std::borrow::Cow;
use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde::Serialize;

use super::error::{Error, Operation};
use super::form::{Multipart, MultipartBody};
use super::validate::{check_rendered, Check, ParamValue, Validate, Validator};

/// How a query parameter holding a list or an object is spelled (OpenAPI `style`
/// and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a=1&a=2` when exploded, `a=1,2` otherwise.
    Form {
        /// Repeat the parameter for each item.
        explode: bool,
    },
    /// `a=1%202`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// `a[key]=value` for objects; lists repeat the parameter.
    DeepObject,
}

/// One HTTP request, built by generated code and sent through
/// [`Client::call`](super::Client::call).
pub struct Request {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    /// The API's name for the operation (`operationId`), for error messages.
    pub(crate) operation: &'static str,
    pub(crate) path: String,
    /// Percent-encoded `(name, value)` pairs, in the order added.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    /// Encoded `name=value` cookie pairs.
    pub(crate) cookies: Vec<String>,
    pub(crate) body: Option<(Cow<'static, str>, Vec<u8>)>,
    pub(crate) security: Option<&'static [&'static [&'static str]]>,
    /// Declared safe to repeat although its method is not idempotent.
    pub(crate) idempotent: bool,
    /// The header that carries an idempotency key, one generated per call.
    pub(crate) idempotency_key: Option<&'static str>,
    pub(crate) error: Option<Error>,
}

impl Request {
    /// Names the operation (the API's `operationId`), which errors then mention.
    pub fn operation(mut self, id: &'static str) -> Self {
        self.operation = id;
        self
    }

    /// The operation, method and path template, as errors name them.
    pub(crate) fn context(&self) -> Operation {
        Operation::new(self.operation, self.method.clone(), self.template)
    }

    /// Starts a request for `template`, a path such as `/zones/{zone_id}/rules`
    /// relative to the client's base URL.
    pub fn new(method: Method, template: &'static str) -> Self {
        // Room for typical values (ids of 32-36 characters) so filling the
        // placeholders in place does not reallocate.
        let placeholders = template.bytes().filter(|&b| b == b'{').count();
        let mut path = String::with_capacity(template.len() + 40 * placeholders);
        path.push_str(template);
        Request {
            method,
            template,
            operation: "",
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            security: None,
            idempotent: false,
            idempotency_key: None,
            error: None,
        }
    }

    /// Declares the operation idempotent, so that it is retried as freely as a GET
    /// although its method (POST, PATCH) is not.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sends a fresh idempotency key in the header `name` with each call, the same
    /// one on all of its retries; the server then acts once, so the call is
    /// retried as freely as a GET.
    pub fn idempotency_key(mut self, name: &'static str) -> Self {
        self.idempotency_key = Some(name);
        self
    }

    /// Fills the `{name}` placeholder. Everything except RFC 3986 unreserved
    /// characters is percent-encoded, so a value can never leave its segment.
    pub fn path<V: ParamValue + ?Sized>(mut self, name: &str, value: &V, checks: &[Check]) -> Self {
        if self.broken() {
            return self;
        }
        // A string goes straight in: checked as it is and, unless it needs escaping
        // (identifiers do not), never copied before it lands in the path.
        if let Some(value) = value.as_single_str() {
            if self.checked(name, &[value], checks) {
                let segment = if value.bytes().all(unreserved) {
                    Cow::Borrowed(value)
                } else {
                    Cow::Owned(encode(value))
                };
                self.put_segment(name, &segment);
            }
            return self;
        }
        let Some(values) = self.rendered(name, value, checks) else {
            return self;
        };
        let mut segment = String::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                segment.push(',');
            }
            encode_into(v, &mut segment);
        }
        self.put_segment(name, &segment);
        self
    }

    /// Fills the `{name}` placeholder with an encoded segment, refusing segments
    /// that would not stay one.
    fn put_segment(&mut self, name: &str, segment: &str) {
        if segment.is_empty() {
            self.fail(Error::invalid(name, "path parameter must not be empty"));
        } else if segment == "." || segment == ".." {
            // Dot segments are resolved away by URL parsing and would change the endpoint.
            self.fail(Error::invalid(
                name,
                "path parameter must not be `.` or `..`",
            ));
        } else if !fill(&mut self.path, name, segment) {
            self.fail(Error::Config(format!(
                "path `{}` has no parameter `{name}`",
                self.template
            )));
        }
    }

    /// Adds a query parameter; an absent (`None`) value adds nothing.
    pub fn query<V: ParamValue + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: Style,
        checks: &[Check],
    ) -> Self {
        if self.broken() {
            return self;
        }
        // One string: every style spells it the same way.
        if let Some(value) = value.as_single_str() {
            if self.checked(name, &[value], checks) {
                self.query.push((encode(name), encode(value)));
            }
            return self;
        }
        let mut fields = Vec::new();
        if value.append_fields(&mut fields) {
            self.query_object(name, &fields, style);
            return self;
        }
        let Some(values) = self.rendered(name, value, checks) else {
            return self;
        };
        if values.is_empty() {
            return self;
        }
        let key = encode(name);
        let delimiter = match style {
            Style::Form { explode: true } | Style::DeepObject => {
                self.query
                    .extend(values.iter().map(|v| (key.clone(), encode(v))));
                return self;
            }
            Style::Form { explode: false } => ",",
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
        };
        let joined: Vec<String> = values.iter().map(|v| encode(v)).collect();
        self.query.push((key, joined.join(delimiter)));
        self
    }

    fn query_object(&mut self, name: &str, fields: &[(String, String)], style: Style) {
        let delimiter = match style {
            Style::Form { explode: true } => {
                self.query
                    .extend(fields.iter().map(|(k, v)| (encode(k), encode(v))));
                return;
            }
            Style::DeepObject => {
                let name = encode(name);
                self.query.extend(
                    fields
                        .iter()
                        .map(|(k, v)| (format!("{name}[{}]", encode(k)), encode(v))),
                );
                return;
            }
            Style::Form { explode: false } => ",",
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
        };
        let parts: Vec<String> = fields
            .iter()
            .flat_map(|(k, v)| [encode(k), encode(v)])
            .collect();
        if !parts.is_empty() {
            self.query.push((encode(name), parts.join(delimiter)));
        }
    }

    /// Sets a header parameter (lists are comma-joined); an absent value sets nothing.
    pub fn header<V: ParamValue + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        checks: &[Check],
    ) -> Self {
        let Some(values) = self.rendered(name, value, checks) else {
            return self;
        };
        if values.is_empty() {
            return self;
        }
        let header = match HeaderName::from_bytes(name.as_bytes()) {
            Ok(header) if !refused_header(&header) => header,
            _ => {
                self.fail(Error::Config(format!(
                    "`{name}` cannot be a header parameter"
                )));
                return self;
            }
        };
        match HeaderValue::from_str(&values.join(",")) {
            Ok(v) => {
                self.headers.insert(header, v);
            }
            Err(_) => self.fail(Error::invalid(
                name,
                "contains characters not allowed in an HTTP header",
            )),
        }
        self
    }

    /// Adds a cookie parameter (percent-encoded); an absent value adds nothing.
    pub fn cookie<V: ParamValue + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        checks: &[Check],
    ) -> Self {
        let Some(values) = self.rendered(name, value, checks) else {
            return self;
        };
        if !values.is_empty() {
            let joined: Vec<String> = values.iter().map(|v| encode(v)).collect();
            self.cookies
                .push(format!("{}={}", encode(name), joined.join(",")));
        }
        self
    }

    /// Validates `body` against the spec's constraints, then serializes it as JSON.
    pub fn json<B: Serialize + Validate + ?Sized>(self, body: &B) -> Self {
        self.json_as("application/json", body)
    }

    /// Like [`Request::json`], with a JSON media type of the API's own (`…+json`).
    pub fn json_as<B: Serialize + Validate + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
    ) -> Self {
        if self.broken() || !self.validate_body(body) || self.error.is_some() {
            return self;
        }
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((Cow::Borrowed(content_type), bytes)),
            Err(e) => self.fail(Error::invalid("body", format!("cannot be serialized: {e}"))),
        }
        self
    }

    /// Applies `attach` when an optional body is present; sends no body otherwise.
    pub fn optional_body<B>(self, body: Option<B>, attach: impl FnOnce(Self, B) -> Self) -> Self {
        match body {
            Some(body) => attach(self, body),
            None => self,
        }
    }

    /// Sets a pre-encoded body.
    pub fn body(mut self, content_type: &'static str, bytes: Vec<u8>) -> Self {
        self.body = Some((Cow::Borrowed(content_type), bytes));
        self
    }

    /// Sets a pre-encoded body with a content type chosen at run time.
    pub fn raw_body(mut self, content_type: &str, bytes: Vec<u8>) -> Self {
        self.body = Some((Cow::Owned(content_type.to_owned()), bytes));
        self
    }

    /// Validates `body`, then sends it as `application/x-www-form-urlencoded`.
    pub fn form<B: Serialize + Validate + ?Sized>(mut self, body: &B) -> Self {
        if self.broken() || !self.validate_body(body) || self.error.is_some() {
            return self;
        }
        match super::form::urlencoded(body) {
            Ok(text) => {
                self.body = Some((
                    Cow::Borrowed("application/x-www-form-urlencoded"),
                    text.into_bytes(),
                ));
            }
            Err(e) => self.fail(Error::invalid(
                "body",
                format!("cannot be form-encoded: {e}"),
            )),
        }
        self
    }

    /// Validates `body`, then sends it as `multipart/form-data`.
    pub fn multipart<B: MultipartBody + Validate + ?Sized>(mut self, body: &B) -> Self {
        if self.broken() || !self.validate_body(body) || self.error.is_some() {
            return self;
        }
        let mut form = Multipart::default();
        body.write_parts(&mut form);
        let (content_type, bytes) = form.encode();
        self.body = Some((Cow::Owned(content_type), bytes));
        self
    }

    /// Runs the body's checks; on a violation records it and returns false.
    fn validate_body<B: Validate + ?Sized>(&mut self, body: &B) -> bool {
        let mut v = Validator::new("body");
        body.validate(&mut v);
        match v.finish() {
            Ok(()) => true,
            Err(e) => {
                self.fail(e);
                false
            }
        }
    }

    /// Overrides the API-wide security requirement for this operation.
    pub fn security(mut self, security: &'static [&'static [&'static str]]) -> Self {
        self.security = Some(security);
        self
    }

    /// Records an error. Invalid arguments add up: each later violation joins the
    /// first one's message (``; `title`: …``), so one failed call names every bad
    /// argument. Any other error is kept only when it comes first: later ones are
    /// usually consequences of it.
    pub(crate) fn fail(&mut self, error: Error) {
        match (&mut self.error, error) {
            (None, error) => self.error = Some(error),
            (
                Some(Error::InvalidArgument { message, .. }),
                Error::InvalidArgument {
                    field,
                    message: more,
                },
            ) => {
                message.push_str(&format!("; `{field}`: {more}"));
            }
            _ => {}
        }
    }

    /// Whether the request failed in a way other than an invalid argument: arguments
    /// are still checked after an invalid one, so that the error lists them all.
    fn broken(&self) -> bool {
        matches!(&self.error, Some(e) if !matches!(e, Error::InvalidArgument { .. }))
    }

    /// Renders and checks a parameter; `None` when the request already failed.
    fn rendered<V: ParamValue + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        checks: &[Check],
    ) -> Option<Vec<String>> {
        if self.broken() {
            return None;
        }
        let mut values = Vec::new();
        value.append_to(&mut values);
        self.checked(name, &values, checks).then_some(values)
    }

    /// Checks a parameter's rendered values; on a violation records it and
    /// returns false.
    fn checked<S: AsRef<str>>(&mut self, name: &str, values: &[S], checks: &[Check]) -> bool {
        if values.is_empty() || checks.is_empty() {
            return true;
        }
        // Started at "" so that no name is allocated for a value that passes
        // (`Each` still builds item paths as it goes).
        let mut v = Validator::new("");
        check_rendered(values, checks, &mut v);
        match v.finish_param(name) {
            Ok(()) => true,
            Err(e) => {
                self.fail(e);
                false
            }
        }
    }

    /// The query string (without `?`), `None` when empty. `page` replaces any value
    /// of that query parameter; `extra` pairs (already encoded) go last.
    pub(crate) fn query_string(
        &self,
        page: Option<(&str, u64)>,
        extra: &[(String, String)],
    ) -> Option<String> {
        // The page parameter keeps its position when the request already has it.
        let page = page.map(|(name, n)| (encode(name), n.to_string()));
        let mut page_pending = page.as_ref();
        let mut out = String::new();
        let mut add = |k: &str, v: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        };
        for (k, v) in &self.query {
            match page.as_ref() {
                Some((name, _)) if name == k => {
                    if let Some((name, n)) = page_pending.take() {
                        add(name, n);
                    }
                }
                _ => add(k, v),
            }
        }
        if let Some((k, v)) = page_pending {
            add(k, v);
        }
        for (k, v) in extra {
            add(k, v);
        }
        (!out.is_empty()).then_some(out)
    }

    /// The value of a query parameter as first given, for pagination's start page.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        let name = encode(name);
        self.query
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for Request {
    // Bodies can hold secrets (credentials being uploaded), so only their size shows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body.as_ref().map(|(_, b)| b.len()))
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// Whether `name` frames the message or the connection (RFC 9110 and 9112), or
/// speaks to a proxy: the HTTP client owns these, and a caller's value could make it
/// send a truncated or smuggled message.
pub(crate) fn refused_header(name: &HeaderName) -> bool {
    const FRAMING: [&str; 9] = [
        "content-length",
        "host",
        "transfer-encoding",
        "connection",
        "te",
        "upgrade",
        "trailer",
        "keep-alive",
        "expect",
    ];
    let name = name.as_str();
    FRAMING.contains(&name) || name.starts_with("proxy-")
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(s, &mut out);
    out
}

/// [`encode`], appending to `out`. Runs of unreserved characters are copied whole:
/// identifiers, the usual path and query values, are nothing else.
fn encode_into(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && unreserved(bytes[i]) {
            i += 1;
        }
        // An ASCII run starts and ends on character boundaries.
        if let Some(run) = s.get(start..i) {
            out.push_str(run);
        }
        if let Some(&b) = bytes.get(i) {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
            i += 1;
        }
    }
}

/// RFC 3986 unreserved characters, the only ones [`encode`] keeps as they are.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Replaces every `{name}` placeholder in `path` with `segment`, in place (this runs
/// for every path parameter of every call); false when there is none. `segment` is
/// percent-encoded, so it cannot contain a placeholder itself.
fn fill(path: &mut String, name: &str, segment: &str) -> bool {
    let mut found = false;
    let mut from = 0;
    while let Some(offset) = path[from..].find('{') {
        let at = from + offset;
        let end = at + 1 + name.len();
        if path[at + 1..].starts_with(name) && path[end..].starts_with('}') {
            path.replace_range(at..=end, segment);
            from = at + segment.len();
            found = true;
        } else {
            from = at + 1;
        }
    }
    found
}
