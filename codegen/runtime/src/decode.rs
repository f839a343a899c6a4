//! Decoders that turn a successful response body into the caller's type.
//!
//! Generated code picks one per operation: [`data`] unwraps the API's envelope,
//! [`page`] also reads the page counters, [`body`] keeps the whole JSON body,
//! [`text`] and [`bytes`] take non-JSON bodies as they are, and [`empty`]
//! ignores the body. The envelope is read in one streaming pass (no
//! `serde_json::Value` of the payload); when that fails, the position serde_json
//! reports is turned into the path of the value that broke (`json_path`).

use std::fmt;
use std::marker::PhantomData;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::descriptor::{ApiDescriptor, Envelope};
use super::error::{ApiError, ApiMessage, DecodeError, DecodeKind, Error};
use super::json_path;
use super::page::{Page, PageInfo};

/// The signature of every decoder passed to [`Client::call`](super::Client::call).
pub type Decoder<T> = fn(&DecodeCtx<'_>, &[u8]) -> Result<T, Error>;

/// What a decoder knows about the response besides its body.
#[derive(Debug, Clone, Copy)]
pub struct DecodeCtx<'a> {
    api: &'static ApiDescriptor,
    status: StatusCode,
    headers: &'a HeaderMap,
}

impl<'a> DecodeCtx<'a> {
    /// The context of a response with `status` and `headers`, from the API `api` describes.
    pub fn new(api: &'static ApiDescriptor, status: StatusCode, headers: &'a HeaderMap) -> Self {
        DecodeCtx {
            api,
            status,
            headers,
        }
    }

    /// The API being called.
    pub fn api(&self) -> &'static ApiDescriptor {
        self.api
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }
}

/// Decodes the envelope's data property as `T` (the whole body when the API has
/// no envelope). A missing data property, or no body at all, decodes as JSON
/// `null`, so `Option<T>` gets `None`.
pub fn data<T: DeserializeOwned>(ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<T, Error> {
    let Some(envelope) = ctx.api.envelope else {
        return whole(ctx, body);
    };
    // No body (a 204, or an empty 200) has no envelope either: it is fine for types
    // that accept null, e.g. `Option<T>` or `()`.
    if body.iter().all(u8::is_ascii_whitespace) {
        if let Ok(value) = null() {
            return Ok(value);
        }
    }
    let parts = envelope_parts::<T>(ctx, body, &envelope, None)?;
    check_success(ctx, body, &parts)?;
    match parts.data {
        Some(value) => Ok(value),
        None => null::<T>().map_err(|e| {
            let message = format!("property is missing ({e})");
            decode_error(
                ctx,
                DecodeKind::Invalid,
                envelope.data.to_owned(),
                message,
                body,
            )
        }),
    }
}

/// Decodes a list in the envelope's data property, with the page counters.
/// A missing or `null` list is an empty page.
pub fn page<T: DeserializeOwned>(ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<Page<T>, Error> {
    let Some(envelope) = ctx.api.envelope else {
        let items = whole::<Option<Vec<T>>>(ctx, body)?.unwrap_or_default();
        return Ok(Page { items, info: None });
    };
    let pagination = ctx.api.pagination;
    let parts = envelope_parts::<Option<Vec<T>>>(ctx, body, &envelope, pagination.map(|p| p.info))?;
    check_success(ctx, body, &parts)?;
    let info = parts
        .info
        .zip(pagination)
        .map(|(raw, p)| PageInfo::from_counters(raw, &p));
    Ok(Page {
        items: parts.data.flatten().unwrap_or_default(),
        info,
    })
}

/// Decodes the whole body as `T`; an envelope whose `success` flag is false is
/// still an error.
pub fn body<T: DeserializeOwned>(ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<T, Error> {
    let value = whole(ctx, body)?;
    match unsuccessful(ctx, body) {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// Ignores the body, except for an envelope whose `success` flag is false.
pub fn empty(ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<(), Error> {
    match unsuccessful(ctx, body) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Decodes a text body (any content type) as UTF-8.
pub fn text(ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        let message = format!("body is not valid UTF-8: {e}");
        decode_error(ctx, DecodeKind::Invalid, String::new(), message, body)
    })
}

/// Returns the body as it came.
pub fn bytes(_ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(body.to_vec())
}

/// Builds the error for a non-success status, reading the envelope's message
/// lists leniently; any body, JSON or not, still yields an [`ApiError`].
pub(crate) fn api_error(
    api: &ApiDescriptor,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiError {
    let mut errors = Vec::new();
    let mut messages = Vec::new();
    // Error bodies are small and irregular, so a `Value` is the right tool here.
    if let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(body) {
        let (errors_key, messages_key) = match api.envelope {
            Some(e) => (e.errors, e.messages),
            None => (Some("errors"), Some("messages")),
        };
        let mut take = |key: Option<&str>| {
            key.and_then(|k| map.remove(k))
                .map(ApiMessage::list_from_value)
        };
        errors = take(errors_key).unwrap_or_default();
        messages = take(messages_key).unwrap_or_default();
        if errors.is_empty() && messages.is_empty() {
            // Answers from outside the API proper (gateways, proxies) use these.
            if let Some(found) = ["error", "message"].iter().find_map(|k| map.remove(*k)) {
                errors = ApiMessage::list_from_value(found);
            }
        }
    }
    ApiError::new(status, headers, errors, messages, body)
}

/// The whole body as `T`.
fn whole<T: DeserializeOwned>(ctx: &DecodeCtx<'_>, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).or_else(|first| {
        if body.iter().all(u8::is_ascii_whitespace) {
            // An empty body is fine for types that accept null, e.g. `Option<T>` or `()`.
            if let Ok(value) = null() {
                return Ok(value);
            }
        }
        Err(explain(ctx, body, first))
    })
}

/// `T` from JSON `null`, read by the same deserializer as a body, so that `T`'s
/// decoder is compiled for one deserializer rather than also for [`Value`]; the error
/// without serde_json's position, which would point into the literal, not the body.
fn null<T: DeserializeOwned>() -> Result<T, String> {
    serde_json::from_slice(b"null").map_err(|e: serde_json::Error| {
        let text = e.to_string();
        match text.rfind(" at line ") {
            Some(at) => text[..at].to_owned(),
            None => text,
        }
    })
}

/// What one pass over an envelope collects.
struct Parts<T> {
    data: Option<T>,
    success: Option<bool>,
    errors: Option<Value>,
    messages: Option<Value>,
    info: Option<Map<String, Value>>,
}

fn envelope_parts<T: DeserializeOwned>(
    ctx: &DecodeCtx<'_>,
    body: &[u8],
    envelope: &Envelope,
    info: Option<&'static str>,
) -> Result<Parts<T>, Error> {
    let seed = EnvelopeSeed::<T> {
        envelope,
        info,
        skip_data: false,
        keep_lists: false,
        data: PhantomData,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    seed.deserialize(&mut de)
        .and_then(|parts| de.end().map(|()| parts))
        .map_err(|first| explain(ctx, body, first))
}

fn check_success<T>(ctx: &DecodeCtx<'_>, body: &[u8], parts: &Parts<T>) -> Result<(), Error> {
    if parts.success != Some(false) {
        return Ok(());
    }
    Err(unsuccessful(ctx, body).unwrap_or_else(|| {
        Error::Api(ApiError::new(
            ctx.status,
            ctx.headers,
            Vec::new(),
            Vec::new(),
            body,
        ))
    }))
}

/// The API error of an envelope with `success: false`, if the body is one. The
/// decoding pass skips the message lists (a successful envelope's are rarely read,
/// and building them costs every call); this pass reads them.
fn unsuccessful(ctx: &DecodeCtx<'_>, body: &[u8]) -> Option<Error> {
    let envelope = ctx.api.envelope?;
    envelope.success?;
    let seed = EnvelopeSeed::<IgnoredAny> {
        envelope: &envelope,
        info: None,
        skip_data: true,
        keep_lists: true,
        data: PhantomData,
    };
    let parts = seed
        .deserialize(&mut serde_json::Deserializer::from_slice(body))
        .ok()?;
    if parts.success != Some(false) {
        return None;
    }
    let list = |v: Option<Value>| v.map(ApiMessage::list_from_value).unwrap_or_default();
    Some(Error::Api(ApiError::new(
        ctx.status,
        ctx.headers,
        list(parts.errors),
        list(parts.messages),
        body,
    )))
}

/// Turns a failed decode into the most useful error: an empty or non-JSON body
/// says so plainly, an envelope reporting failure becomes an [`ApiError`], and
/// anything else names the path where serde_json gave up. Not generic: it is
/// compiled once, not once per response type.
fn explain(ctx: &DecodeCtx<'_>, body: &[u8], first: serde_json::Error) -> Error {
    if let Some(error) = unreadable(ctx, body, &first) {
        return error;
    }
    let path = json_path::path_at(body, first.line(), first.column());
    decode_error(ctx, DecodeKind::Invalid, path, first.to_string(), body)
}

/// The error for a body that is empty, not JSON, or an envelope reporting failure.
fn unreadable(ctx: &DecodeCtx<'_>, body: &[u8], first: &serde_json::Error) -> Option<Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some(decode_error(
            ctx,
            DecodeKind::Empty,
            String::new(),
            "empty body".to_owned(),
            body,
        ));
    }
    if let Some(e) = unsuccessful(ctx, body) {
        return Some(e);
    }
    (!looks_like_json(body)).then(|| {
        decode_error(
            ctx,
            DecodeKind::NotJson,
            String::new(),
            first.to_string(),
            body,
        )
    })
}

fn decode_error(
    ctx: &DecodeCtx<'_>,
    kind: DecodeKind,
    path: String,
    message: String,
    body: &[u8],
) -> Error {
    Error::Decode(DecodeError::new(
        kind,
        ctx.status,
        ctx.headers,
        path,
        message,
        body,
    ))
}

/// Whether the body starts like a JSON value (HTML error pages start with `<`).
fn looks_like_json(body: &[u8]) -> bool {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    matches!(
        first,
        Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
    )
}

/// Reads an envelope object, decoding the data property as `T` in place and
/// skipping properties nobody asked for.
struct EnvelopeSeed<'a, T> {
    envelope: &'a Envelope,
    info: Option<&'static str>,
    /// Only the status properties are wanted, e.g. to look for `success: false`.
    skip_data: bool,
    /// Keep the message lists; otherwise they are only checked to be JSON.
    keep_lists: bool,
    data: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    type Value = Parts<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Parts<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = Parts<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a response envelope object with `{}`",
            self.envelope.data
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts<T>, A::Error> {
        let mut parts = Parts {
            data: None,
            success: None,
            errors: None,
            messages: None,
            info: None,
        };
        let fields = FieldSeed {
            envelope: self.envelope,
            info: self.info,
        };
        while let Some(field) = map.next_key_seed(fields)? {
            match field {
                Field::Data if !self.skip_data => {
                    if parts.data.is_some() {
                        return Err(de::Error::duplicate_field(self.envelope.data));
                    }
                    parts.data = Some(map.next_value()?);
                }
                Field::Success => parts.success = map.next_value::<Value>()?.as_bool(),
                Field::Errors if self.keep_lists => parts.errors = Some(map.next_value()?),
                Field::Messages if self.keep_lists => parts.messages = Some(map.next_value()?),
                Field::Info => {
                    if let Value::Object(counters) = map.next_value()? {
                        parts.info = Some(counters);
                    }
                }
                Field::Data | Field::Errors | Field::Messages | Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(parts)
    }
}

#[derive(Clone, Copy)]
enum Field {
    Data,
    Success,
    Errors,
    Messages,
    Info,
    Other,
}

/// Classifies an envelope key without allocating it.
#[derive(Clone, Copy)]
struct FieldSeed<'a> {
    envelope: &'a Envelope,
    info: Option<&'static str>,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Field;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldSeed<'_> {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
        let e = self.envelope;
        Ok(if key == e.data {
            Field::Data
        } else if Some(key) == e.success {
            Field::Success
        } else if Some(key) == e.errors {
            Field::Errors
        } else if Some(key) == e.messages {
            Field::Messages
        } else if Some(key) == self.info {
            Field::Info
        } else {
            Field::Other
        })
    }
}
