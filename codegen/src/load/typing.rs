//! Typing the checked JSON tree with `openapiv3`, and saying in our words what failed.
//!
//! A valid document is typed once. An invalid one is typed again section by section
//! (the table [`SECTIONS`]), so that one bad schema does not hide the next; the whole
//! document's error stands only when no section has one. Serde's messages name Rust
//! types ("no variant of enum ParameterSchemaOrContent found in flattened data"), so
//! each failure is told again: what was expected at the pointer, and what was found.

use openapiv3::{
    OpenAPI, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::{kind, Pointer};

/// Checks one entry of a section, or says where and why it is not valid.
type Check = fn(&Value, &Pointer, &str) -> Result<(), Failure>;

/// The sections typed one entry at a time: where they are, what an entry is called, and
/// the type that entry must have.
const SECTIONS: &[(&str, &str, Check)] = &[
    ("#/paths", "path item", entry::<ReferenceOr<PathItem>>),
    (
        "#/components/schemas",
        "schema",
        entry::<ReferenceOr<Schema>>,
    ),
    (
        "#/components/parameters",
        "parameter",
        entry::<ReferenceOr<Parameter>>,
    ),
    (
        "#/components/requestBodies",
        "request body",
        entry::<ReferenceOr<RequestBody>>,
    ),
    (
        "#/components/responses",
        "response",
        entry::<ReferenceOr<Response>>,
    ),
    (
        "#/components/securitySchemes",
        "security scheme",
        entry::<ReferenceOr<SecurityScheme>>,
    ),
];

/// One typing failure: the node and our message.
#[derive(Debug)]
pub(super) struct Failure {
    at: Pointer,
    message: String,
}

/// Types the document; on failure reports every section's errors and returns `None`.
pub(super) fn type_document(raw: &Value, r: &mut Reporter<'_>) -> Option<OpenAPI> {
    let whole = match typed::<OpenAPI>(raw, &Pointer::root(), "OpenAPI document") {
        Ok(doc) => return Some(doc),
        Err(failure) => failure,
    };
    let mut found = false;
    for (section, what, check) in SECTIONS {
        let Some(base) = Pointer::parse(section) else {
            continue;
        };
        let Some(map) = base.resolve(raw).and_then(Value::as_object) else {
            continue;
        };
        for (key, value) in map {
            if key.starts_with("x-") && *section == "#/paths" {
                continue;
            }
            if let Err(failure) = check(value, &base.join(key), what) {
                r.error(failure.at.as_str(), failure.message);
                found = true;
            }
        }
    }
    if !found {
        r.error(whole.at.as_str(), whole.message);
    }
    None
}

fn entry<T: DeserializeOwned>(value: &Value, at: &Pointer, what: &str) -> Result<(), Failure> {
    typed::<T>(value, at, what).map(|_| ())
}

fn typed<T: DeserializeOwned>(value: &Value, base: &Pointer, what: &str) -> Result<T, Failure> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let mut at = base.clone();
        let mut node = Some(value);
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    at = at.index(*index);
                    node = node.and_then(|n| n.get(index));
                }
                serde_path_to_error::Segment::Map { key } => {
                    at = at.join(key);
                    node = node.and_then(|n| n.get(key));
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        let found = node.map_or("nothing", kind);
        let message = in_our_words(&e.into_inner().to_string(), what, found);
        Failure { at, message }
    })
}

/// Serde's message for a failed node, told again without Rust type names.
fn in_our_words(serde_text: &str, what: &str, found: &str) -> String {
    if let Some(field) = quoted_after(serde_text, "missing field ") {
        return format!("not a valid {what}: the required field `{field}` is missing");
    }
    if let Some(value) = quoted_after(serde_text, "unknown variant ") {
        let allowed = serde_text
            .split_once("expected ")
            .map_or("", |(_, allowed)| allowed);
        return format!("`{value}` is not allowed here; expected {allowed}");
    }
    if serde_text.contains("ParameterSchemaOrContent") {
        return format!("not a valid {what}: a parameter needs either `schema` or `content`");
    }
    if serde_text.contains("variant") {
        return format!(
            "not a valid {what} here: expected an object of the right shape or a `$ref`, found {found}"
        );
    }
    if let Some((_, expected)) = serde_text.split_once(", expected ") {
        return format!(
            "not a valid {what}: expected {}, found {found}",
            expected_in_our_words(expected)
        );
    }
    format!("not a valid {what}: this node does not have the shape the specification requires")
}

/// The text between the backticks that follow `prefix`.
fn quoted_after<'s>(text: &'s str, prefix: &str) -> Option<&'s str> {
    let rest = text.split_once(prefix)?.1.strip_prefix('`')?;
    rest.split_once('`').map(|(inside, _)| inside)
}

/// Serde's "expected" (a Rust type or a visitor's words) as a kind of YAML value.
fn expected_in_our_words(expected: &str) -> &'static str {
    let expected = expected.trim();
    if expected.starts_with("struct") || expected.contains("map") {
        "a mapping"
    } else if expected.contains("sequence") {
        "a list"
    } else if expected.contains("bool") {
        "a boolean"
    } else if expected.contains("string") || expected.contains("char") {
        "a string"
    } else if expected.starts_with('u') {
        "a non-negative integer"
    } else if expected.starts_with('i') || expected.contains("integer") {
        "an integer"
    } else if expected.starts_with('f') || expected.contains("number") {
        "a number"
    } else {
        "a value of another kind"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure<T: DeserializeOwned + std::fmt::Debug>(v: Value, what: &str) -> (String, String) {
        match typed::<T>(&v, &Pointer::root().join("x"), what) {
            Ok(t) => panic!("typed: {t:?}"),
            Err(f) => (f.at.to_string(), f.message),
        }
    }

    #[test]
    fn serde_words_are_replaced_by_ours() {
        let (at, message) =
            failure::<Parameter>(serde_json::json!({"name": "q", "in": "query"}), "parameter");
        assert_eq!(at, "#/x");
        assert_eq!(
            message,
            "not a valid parameter: a parameter needs either `schema` or `content`"
        );
        let (at, message) = failure::<Response>(
            serde_json::json!({"description": "d", "headers": 5}),
            "response",
        );
        assert_eq!(at, "#/x/headers");
        assert_eq!(
            message,
            "not a valid response: expected a mapping, found a number"
        );
        let (_, message) = failure::<PathItem>(serde_json::json!({"get": {}}), "path item");
        assert_eq!(
            message,
            "not a valid path item: the required field `responses` is missing"
        );
        let (at, message) = failure::<Parameter>(
            serde_json::json!({"name": "q", "in": "body", "schema": {}}),
            "parameter",
        );
        assert_eq!(at, "#/x/in");
        assert_eq!(
            message,
            "`body` is not allowed here; expected one of `query`, `header`, `path`, `cookie`"
        );
    }
}
