//! The schema keywords of JSON Schema 2020-12 that have one 3.0 form each, rewritten in
//! place by [`super::Run::schema`]: `type` lists, null-only schemas, `const`, `examples`
//! and the content keywords.

use serde_json::{Map, Value};

use super::LineIndex;
use crate::pointer::Pointer;

/// The keywords that belong to one JSON type, moved into its branch when `type` lists
/// several.
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    ("string", &["minLength", "maxLength", "pattern", "format"]),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
    ),
    (
        "integer",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
    ),
    (
        "array",
        &[
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "prefixItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
        ],
    ),
];
/// True for a schema that allows only null: `{type: "null"}` and its spellings.
pub(super) fn only_null(v: &Value) -> bool {
    let Some(map) = v.as_object() else {
        return false;
    };
    match (map.get("type"), map.get("enum"), map.get("const")) {
        (Some(Value::String(t)), _, _) => t == "null",
        (Some(Value::Array(types)), _, _) => types.iter().all(|t| t == "null"),
        (None, Some(Value::Array(values)), _) => values.iter().all(Value::is_null),
        (None, None, Some(Value::Null)) => true,
        _ => false,
    }
}

/// `type` as a list: `"null"` in it makes the schema nullable; one other type is the
/// type; several are an untagged union, each branch with the keywords of its type.
pub(super) fn type_list(map: &mut Map<String, Value>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        Some(Value::Array(types)) if types.iter().all(Value::is_string) => types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return,
    };
    let mut others: Vec<String> = Vec::new();
    for t in &types {
        if t == "null" {
            map.insert("nullable".to_owned(), Value::Bool(true));
        } else if !others.contains(t) {
            others.push(t.clone());
        }
    }
    // Every integer is a number.
    if others.iter().any(|t| t == "number") {
        others.retain(|t| t != "integer");
    }
    match others.as_slice() {
        [] => {
            map.remove("type");
        }
        [one] => {
            map.insert("type".to_owned(), Value::from(one.as_str()));
        }
        several => {
            let key = if map.contains_key("oneOf") {
                "anyOf"
            } else {
                "oneOf"
            };
            if map.contains_key(key) {
                // Both unions are taken; the structural check reports the list.
                return;
            }
            let branches = several.iter().map(|t| type_branch(map, t)).collect();
            for (_, keywords) in TYPE_KEYWORDS {
                for k in *keywords {
                    map.remove(*k);
                }
            }
            map.remove("enum");
            map.remove("type");
            map.insert(key.to_owned(), Value::Array(branches));
        }
    }
}

/// The branch of one JSON type in a union made from a `type` list.
fn type_branch(map: &Map<String, Value>, ty: &str) -> Value {
    let mut branch = Map::new();
    branch.insert("type".to_owned(), Value::from(ty));
    let keywords = TYPE_KEYWORDS
        .iter()
        .find(|(t, _)| *t == ty)
        .map_or(&[][..], |(_, k)| *k);
    for k in keywords {
        if let Some(v) = map.get(*k) {
            branch.insert((*k).to_owned(), v.clone());
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let of_type: Vec<Value> = values
            .iter()
            .filter(|v| json_type(v) == Some(ty) || (ty == "number" && v.is_number()))
            .cloned()
            .collect();
        if !of_type.is_empty() {
            branch.insert("enum".to_owned(), Value::Array(of_type));
        }
    }
    Value::Object(branch)
}

/// The JSON type of a value, as `type` names it.
fn json_type(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// `const` is a one-value `enum` (a literal), typed by its value when `type` is absent.
pub(super) fn constant(map: &mut Map<String, Value>, at: &Pointer, lines: &LineIndex<'_>) {
    let Some(value) = map.remove("const") else {
        return;
    };
    if value.is_null() {
        map.insert("nullable".to_owned(), Value::Bool(true));
        return;
    }
    if !map.contains_key("type") {
        if let Some(t) = json_type(&value) {
            map.insert("type".to_owned(), Value::from(t));
        }
    }
    if !map.contains_key("enum") {
        lines.moved(at.join("enum").index(0).as_str(), at.join("const").as_str());
        map.insert("enum".to_owned(), Value::Array(vec![value]));
    }
}

/// `examples` (a list in a 3.1 schema) → its first entry as the 3.0 `example`.
pub(super) fn examples(map: &mut Map<String, Value>) {
    if !matches!(map.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(list)) = map.remove("examples") {
        if let Some(first) = list.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a string of another media type
/// than text (`contentMediaType: image/png`) is 3.0's `format: binary`.
pub(super) fn content(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (&encoding, &media) {
        (Some(Value::String(e)), _) if e == "base64" || e == "base64url" => "byte",
        (Some(Value::String(e)), _) if e == "binary" => "binary",
        (None, Some(Value::String(m))) if !is_text(m) => "binary",
        _ => return,
    };
    if map.get("type").is_none_or(|t| t == "string") {
        map.insert("type".to_owned(), Value::from("string"));
        map.insert("format".to_owned(), Value::from(format));
    }
}

/// A media type whose content is text, kept a Rust `String`.
fn is_text(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media.starts_with("text/") || media.contains("json") || media.contains("xml")
}

/// Keywords a documented constant may carry beside its value.
const CONSTANT_DOCS: &[&str] = &[
    "const",
    "enum",
    "type",
    "title",
    "description",
    "deprecated",
];

/// A union whose every branch is one documented constant (`oneOf: [{const: 1, title:
/// …}, …]`, the 3.1 way to document each value of an enum) is that enum: an untagged
/// union of same-typed scalars could never tell its branches apart.
pub(super) fn enum_of_constants(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get(key) else {
            continue;
        };
        let values: Option<Vec<Value>> = branches.iter().map(constant_of).collect();
        let Some(values) = values.filter(|v| !v.is_empty()) else {
            continue;
        };
        let Some(ty) = json_type(&values[0]) else {
            continue;
        };
        let same = values.iter().all(|v| {
            json_type(v) == Some(ty) || (matches!(ty, "integer" | "number") && v.is_number())
        });
        if !same || matches!(ty, "object" | "array") || map.contains_key("enum") {
            continue;
        }
        let ty = if values.iter().any(|v| json_type(v) == Some("number")) {
            "number"
        } else {
            ty
        };
        if map.get("type").is_some_and(|t| t != ty) {
            continue;
        }
        map.remove(key);
        map.insert("type".to_owned(), Value::from(ty));
        map.insert("enum".to_owned(), Value::Array(values));
        return;
    }
}

/// The one value a branch allows, when it is a documented constant.
fn constant_of(branch: &Value) -> Option<Value> {
    let map = branch.as_object()?;
    if !map
        .keys()
        .all(|k| CONSTANT_DOCS.contains(&k.as_str()) || k.starts_with("x-"))
    {
        return None;
    }
    let value = match (map.get("const"), map.get("enum")) {
        (Some(v), None) => v.clone(),
        (None, Some(Value::Array(values))) if values.len() == 1 => values[0].clone(),
        _ => return None,
    };
    (!value.is_null()).then_some(value)
}
