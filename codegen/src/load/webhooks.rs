//! Part of stage 1 (load): the events an OpenAPI 3.1 document says the API sends
//! (`webhooks`), read as the payload schema of each, for lowering to type.
//!
//! A webhook is a path item the API calls on the receiver's side; what a receiver needs
//! is the request body, so only that is read. A webhook without a body schema is told
//! and skipped: there is nothing to decode.

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::Pointer;

/// One incoming event: the webhook's name in the spec, its method, and the schema of the
/// body the API sends.
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) key: String,
    pub(crate) method: String,
    pub(crate) schema: ReferenceOr<Schema>,
    /// The schema's pointer.
    pub(crate) at: Pointer,
    pub(crate) doc: Option<String>,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every webhook of the document with a body schema, in spec order.
pub(super) fn read(raw: &Value, r: &mut Reporter<'_>) -> Vec<Webhook> {
    let mut found = Vec::new();
    let Some(Value::Object(hooks)) = raw.get("webhooks") else {
        return found;
    };
    let base = Pointer::root().join("webhooks");
    for (key, item) in hooks {
        let item_at = base.join(key);
        if item.get("$ref").is_some() {
            r.warning(
                item_at.as_str(),
                "a webhook `$ref` outside `components/pathItems` is not supported; it is skipped",
            )
            .help("define the path item under components/pathItems or inline");
            continue;
        }
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_at = item_at.join(method);
            let Some((schema, at)) = body_schema(raw, op, &op_at) else {
                r.warning(
                    op_at.as_str(),
                    format!("webhook `{key}` has no request body schema; it is skipped"),
                )
                .help("describe the payload under `requestBody` with a `content` schema");
                continue;
            };
            // A schema that does not type was reported by the structural check.
            if let Ok(schema) = serde_json::from_value(schema.clone()) {
                found.push(Webhook {
                    key: key.clone(),
                    method: (*method).to_owned(),
                    schema,
                    at,
                    doc: doc(op).or_else(|| doc(item)),
                });
            }
        }
    }
    found
}

/// The body schema of a webhook operation: the JSON media type's, else the first.
fn body_schema<'v>(raw: &'v Value, op: &'v Value, op_at: &Pointer) -> Option<(&'v Value, Pointer)> {
    let mut body = op.get("requestBody")?;
    let mut body_at = op_at.join("requestBody");
    if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
        body_at = Pointer::parse(reference)?;
        body = body_at.resolve(raw)?;
    }
    let Value::Object(content) = body.get("content")? else {
        return None;
    };
    let (media, value) = content
        .iter()
        .find(|(m, _)| m.contains("json"))
        .or_else(|| content.iter().next())?;
    let schema = value.get("schema")?;
    Some((schema, body_at.join("content").join(media).join("schema")))
}

fn doc(v: &Value) -> Option<String> {
    ["description", "summary"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
}
