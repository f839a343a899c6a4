//! Typing the checked JSON tree with `openapiv3`, and saying in our words what failed.
//!
//! A valid document is typed once. An invalid one is typed again section by section
//! (the table [`SECTIONS`]) and part by part, so that one bad schema does not hide the
//! next and each failure is reported at the deepest node that has it; the whole
//! document's error stands only when no section has one. Serde's messages name Rust
//! types ("no variant of enum ParameterSchemaOrContent found in flattened data"), so
//! each failure is told again: what was expected at the pointer, and what was found.

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::{kind, Pointer};

/// The sections typed one entry at a time, and what each entry is.
const SECTIONS: &[(&str, Node)] = &[
    ("#/paths", Node::PathItem),
    ("#/components/schemas", Node::Schema),
    ("#/components/parameters", Node::Parameter),
    ("#/components/requestBodies", Node::RequestBody),
    ("#/components/responses", Node::Response),
    ("#/components/securitySchemes", Node::SecurityScheme),
];

/// The HTTP methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A kind of node typed on its own. `openapiv3` flattens extensions into every object,
/// and serde loses the path inside a flattened or untagged value, so a failure is
/// looked for again in the node's parts ([`Node::parts`]) to find the deepest one.
#[derive(Debug, Clone, Copy)]
enum Node {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Schema,
    SecurityScheme,
}

impl Node {
    /// What the node is called in a message.
    fn what(self) -> &'static str {
        match self {
            Node::PathItem => "path item",
            Node::Operation => "operation",
            Node::Parameter => "parameter",
            Node::RequestBody => "request body",
            Node::Response => "response",
            Node::Schema => "schema",
            Node::SecurityScheme => "security scheme",
        }
    }

    /// Types `value` as this node, or as a `$ref` when it is one.
    fn check(self, value: &Value, at: &Pointer) -> Result<(), Failure> {
        let what = self.what();
        match self {
            Node::PathItem => entry::<PathItem>(value, at, what),
            Node::Operation => typed::<Operation>(value, at, what).map(|_| ()),
            Node::Parameter => entry::<Parameter>(value, at, what),
            Node::RequestBody => entry::<RequestBody>(value, at, what),
            Node::Response => entry::<Response>(value, at, what),
            Node::Schema => entry::<Schema>(value, at, what),
            Node::SecurityScheme => entry::<SecurityScheme>(value, at, what),
        }
    }

    /// The nodes inside this one that are typed on their own.
    fn parts<'v>(self, value: &'v Value, at: &Pointer) -> Vec<(&'v Value, Pointer, Node)> {
        let mut parts = Vec::new();
        let Some(map) = value.as_object() else {
            return parts;
        };
        if let Some(Value::Array(items)) = map.get("parameters") {
            let base = at.join("parameters");
            for (i, item) in items.iter().enumerate() {
                parts.push((item, base.index(i), Node::Parameter));
            }
        }
        match self {
            Node::PathItem => {
                for method in METHODS {
                    if let Some(op) = map.get(*method) {
                        parts.push((op, at.join(method), Node::Operation));
                    }
                }
            }
            Node::Operation => {
                if let Some(body) = map.get("requestBody") {
                    parts.push((body, at.join("requestBody"), Node::RequestBody));
                }
                if let Some(Value::Object(responses)) = map.get("responses") {
                    let base = at.join("responses");
                    for (code, response) in responses {
                        parts.push((response, base.join(code), Node::Response));
                    }
                }
            }
            _ => {}
        }
        parts
    }

    /// Every failure in `value`, deepest first: a node's own failure stands only when
    /// none of its parts fails.
    fn failures(self, value: &Value, at: &Pointer, out: &mut Vec<Failure>) {
        let Err(failure) = self.check(value, at) else {
            return;
        };
        let before = out.len();
        for (part, part_at, node) in self.parts(value, at) {
            node.failures(part, &part_at, out);
        }
        if out.len() == before {
            out.push(failure);
        }
    }
}

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
    let mut failures = Vec::new();
    for (section, node) in SECTIONS {
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
            node.failures(value, &base.join(key), &mut failures);
        }
    }
    if failures.is_empty() {
        failures.push(whole);
    }
    for failure in failures {
        r.error(&failure.at, failure.message);
    }
    None
}

/// An entry is a `$ref` or a `T`, and is typed as the one it claims to be.
fn entry<T: DeserializeOwned>(value: &Value, at: &Pointer, what: &str) -> Result<(), Failure> {
    if value.get("$ref").is_some() {
        typed::<ReferenceOr<T>>(value, at, what).map(|_| ())
    } else {
        typed::<T>(value, at, what).map(|_| ())
    }
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
        return "a parameter needs either `schema` or `content`".to_owned();
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
        assert_eq!(message, "a parameter needs either `schema` or `content`");
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
