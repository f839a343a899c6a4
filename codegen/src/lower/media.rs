//! Media types: which `content` entries are media types at all, which the client can
//! encode, what a body becomes when it can encode none (raw bytes), and how a parameter
//! described by `content` is sent. Nothing declared is dropped without a warning.

use std::borrow::Cow;

use openapiv3::{Content, MediaType, ReferenceOr, RequestBody, Schema};

use crate::diag::Reporter;
use crate::ir::{Body, BodyEncoding, Ty};
use crate::pointer::Pointer;

/// Media types for a message: `` `a`, `b` ``.
pub(super) fn media_list<'a>(types: impl Iterator<Item = &'a String>) -> String {
    types
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The entries of `content` whose keys are media types (`type/subtype`); the others
/// (`undefined`, `examples`, …) are reported and skipped.
pub(super) fn media_entries<'c>(
    content: &'c indexmap::IndexMap<String, MediaType>,
    content_at: &Pointer,
    r: &mut Reporter<'_>,
) -> Vec<(&'c String, &'c MediaType)> {
    content
        .iter()
        .filter(|(key, _)| {
            let essence = key.split(';').next().unwrap_or(key).trim();
            let valid = essence
                .split_once('/')
                .is_some_and(|(t, s)| !t.is_empty() && !s.is_empty() && !s.contains('/'));
            if !valid {
                r.warning(
                    content_at.join(key),
                    format!("`{key}` is not a media type; this entry is skipped"),
                )
                .help("use a media type such as `application/json` as the key");
            }
            valid
        })
        .collect()
}

/// Every media type the client can encode in `content`, best first: JSON, then forms,
/// text, bytes. Wildcards (`*/*`, `image/*`) name no type to send, so are not here.
pub(super) fn supported_media<'c>(
    content: &[(&'c String, &'c MediaType)],
) -> Vec<(String, BodyEncoding, &'c MediaType)> {
    let essence = |k: &str| k.split(';').next().unwrap_or(k).trim().to_ascii_lowercase();
    let rank = |k: &str| -> Option<(u8, BodyEncoding)> {
        match k {
            k if k.contains('*') => None,
            "application/json" => Some((0, BodyEncoding::Json)),
            k if k.ends_with("+json") => Some((1, BodyEncoding::Json)),
            "application/x-www-form-urlencoded" => Some((2, BodyEncoding::Form)),
            "multipart/form-data" => Some((3, BodyEncoding::Multipart)),
            k if k.starts_with("text/") => Some((4, BodyEncoding::Text)),
            "application/octet-stream" | "application/pdf" => Some((5, BodyEncoding::Bytes)),
            k if k.starts_with("image/") || k.starts_with("audio/") || k.starts_with("video/") => {
                Some((5, BodyEncoding::Bytes))
            }
            _ => None,
        }
    };
    let mut found: Vec<(u8, String, BodyEncoding, &MediaType)> = content
        .iter()
        .filter_map(|(k, m)| rank(&essence(k)).map(|(r, e)| (r, (*k).clone(), e, *m)))
        .collect();
    found.sort_by_key(|(r, ..)| *r);
    // One method per encoding: the best media type of each.
    let mut seen = Vec::new();
    found
        .into_iter()
        .filter(|(_, _, e, _)| {
            let first = !seen.contains(e);
            seen.push(*e);
            first
        })
        .map(|(_, k, e, m)| (k, e, m))
        .collect()
}

/// A wildcard (`*/*`, `application/*`) whose schema describes JSON is JSON: that is what
/// such documents (often generated) mean. An empty or binary schema is not.
pub(super) fn json_wildcard<'c>(
    content: &[(&'c String, &'c MediaType)],
    content_at: &Pointer,
    what: &str,
    r: &mut Reporter<'_>,
) -> Option<(String, BodyEncoding, &'c MediaType)> {
    let (key, media) = content.iter().find(|(k, m)| {
        let jsonish = m.schema.as_ref().is_some_and(|s| match s {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(s) => {
                !matches!(
                    &s.schema_kind,
                    openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
                ) && serde_json::to_value(s).is_ok_and(|v| v != serde_json::json!({}))
            }
        });
        (k.starts_with("*/") || k.starts_with("application/*")) && jsonish
    })?;
    let how = if what == "request" {
        "the body is sent as `application/json`"
    } else {
        "the body is decoded as JSON"
    };
    r.warning(
        content_at.join(key),
        format!("{what} media type `{key}` names no type; {how}, as its schema describes"),
    )
    .help("name the media type, such as `application/json`");
    Some(((*key).clone(), BodyEncoding::Json, *media))
}

/// A body the client cannot encode, taken as bytes: sent with its media type when the
/// document names exactly one, else with the content type the caller gives.
pub(super) fn raw_body(
    body: &RequestBody,
    content: &[(&String, &MediaType)],
    content_at: &Pointer,
    r: &mut Reporter<'_>,
) -> Body {
    let types: Vec<&String> = content.iter().map(|(k, _)| *k).collect();
    let listed = media_list(types.iter().copied());
    let (media_type, encoding, how) = match types.as_slice() {
        [one] if !one.contains('*') => (
            (*one).clone(),
            BodyEncoding::Bytes,
            format!("raw bytes, sent as `{one}`"),
        ),
        _ => (
            types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            BodyEncoding::Raw,
            "raw bytes and the content type to send".to_owned(),
        ),
    };
    let what = match types.as_slice() {
        [] => "the request body declares no media type".to_owned(),
        [one] if one.contains('*') => format!("request media type {listed} is a wildcard"),
        _ => format!("request media type(s) {listed} cannot be encoded by the client"),
    };
    r.warning(
        content_at,
        format!("{what}; the method takes the body as {how}"),
    )
    .help("JSON, form, multipart, text/* and binary bodies are typed; encode this one yourself");
    Body {
        media_type,
        encoding,
        ty: Ty::Bytes,
        required: body.required,
        doc: body.description.clone(),
    }
}

/// The schema of a parameter described by `content` (its one media type), where it
/// sits, and whether the value goes as JSON text. Any other media type is sent as a plain
/// value, with a warning; no schema means any JSON value.
pub(super) fn param_content(
    name: &str,
    content: &Content,
    p_at: &Pointer,
    r: &mut Reporter<'_>,
) -> Option<(Cow<'static, ReferenceOr<Schema>>, Pointer, bool)> {
    let content_at = p_at.join("content");
    let Some((media_type, media)) = content.first() else {
        r.error(
            &content_at,
            format!("parameter `{name}` has an empty `content`"),
        )
        .help("give `content` one media type, or describe the parameter with `schema`");
        return None;
    };
    let media_at = content_at.join(media_type);
    if content.len() > 1 {
        r.warning(
            &content_at,
            format!("parameter `{name}` lists several media types in `content`; the first, `{media_type}`, is used"),
        )
        .help("a parameter's `content` holds exactly one media type");
    }
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    let json = essence == "application/json" || essence.ends_with("+json");
    if !json {
        r.warning(
            &media_at,
            format!("parameter `{name}` is described as `{media_type}`; its value is sent as plain text"),
        )
        .help("describe the parameter with `schema` and `style`");
    }
    let schema = media.schema.clone().unwrap_or_else(|| {
        ReferenceOr::Item(Schema {
            schema_data: openapiv3::SchemaData::default(),
            schema_kind: openapiv3::SchemaKind::Any(openapiv3::AnySchema::default()),
        })
    });
    let schema_at = media_at.join("schema");
    Some((Cow::Owned(schema), schema_at, json))
}
