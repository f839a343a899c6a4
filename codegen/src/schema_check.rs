//! Part of stage 1 (load): a structural pre-check of every schema in the raw document,
//! before `openapiv3` types it.
//!
//! Two reasons. The messages are better: "`properties` must be a mapping of schemas"
//! with the exact pointer, where serde would say "did not match any variant of untagged
//! enum". And typing is safe afterwards: `openapiv3` tries every variant of its untagged
//! enums at every level, so a hard error deep inside nested schemas costs time
//! exponential in the depth. Schemas that pass here type in linear time, and nesting is
//! capped.

use serde_json::Value;

use crate::diag::pointer;
use crate::load::kind;

/// Schemas may nest this deep (properties, items, allOf, …) before the check gives up.
const MAX_SCHEMA_DEPTH: usize = 64;

/// `(pointer, message)` for each problem found, in document order.
pub(crate) fn check_document(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            check_schema(schema, &pointer("#/components/schemas", name), 0, &mut out);
        }
    }
    for section in ["paths", "components"] {
        if let Some(v) = doc.get(section) {
            find_schemas(v, &format!("#/{section}"), &mut out);
        }
    }
    out
}

/// Walks non-schema objects, checking every `schema` value met on the way.
fn find_schemas(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let child_at = pointer(at, k);
                // Examples are data, extensions are anyone's; component schemas were
                // checked already.
                if k == "example"
                    || k == "examples"
                    || k.starts_with("x-")
                    || child_at == "#/components/schemas"
                {
                    continue;
                }
                if k == "schema" {
                    check_schema(child, &child_at, 0, out);
                } else {
                    find_schemas(child, &child_at, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find_schemas(child, &pointer(at, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn check_schema(v: &Value, at: &str, depth: usize, out: &mut Vec<(String, String)>) {
    if depth > MAX_SCHEMA_DEPTH {
        out.push((
            at.to_owned(),
            format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels deep"),
        ));
        return;
    }
    let Some(map) = v.as_object() else {
        out.push((
            at.to_owned(),
            format!("expected a schema (a mapping), found {}", kind(v)),
        ));
        return;
    };
    let mut expect = |key: &str, ok: bool, what: &str| {
        if !ok {
            let found = map.get(key).map_or("nothing", kind);
            out.push((
                pointer(at, key),
                format!("`{key}` must be {what}, found {found}"),
            ));
        }
    };
    for (key, value) in map {
        match key.as_str() {
            "$ref" | "type" | "format" | "pattern" | "title" | "description" => {
                expect(key, value.is_string(), "a string");
            }
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
            | "exclusiveMinimum" | "exclusiveMaximum" => {
                expect(key, value.is_boolean(), "a boolean");
            }
            "minimum" | "maximum" | "multipleOf" => expect(key, value.is_number(), "a number"),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => expect(key, value.is_u64(), "a non-negative integer"),
            "required" => expect(
                key,
                value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "a list of property names",
            ),
            "enum" => expect(key, value.is_array(), "a list"),
            "discriminator" => {
                let mapping_ok = value.get("mapping").is_none_or(|m| {
                    m.as_object()
                        .is_some_and(|m| m.values().all(Value::is_string))
                });
                let ok = value.get("propertyName").is_some_and(Value::is_string) && mapping_ok;
                expect(
                    key,
                    ok,
                    "a mapping with a string `propertyName` and a string `mapping`",
                );
            }
            _ => {}
        }
    }
    if let Some(props) = map.get("properties") {
        match props.as_object() {
            Some(props) => {
                let base = pointer(at, "properties");
                for (name, schema) in props {
                    check_schema(schema, &pointer(&base, name), depth + 1, out);
                }
            }
            None => out.push((
                pointer(at, "properties"),
                format!(
                    "`properties` must be a mapping of schemas, found {}",
                    kind(props)
                ),
            )),
        }
    }
    if let Some(items) = map.get("items") {
        check_schema(items, &pointer(at, "items"), depth + 1, out);
    }
    if let Some(not) = map.get("not") {
        check_schema(not, &pointer(at, "not"), depth + 1, out);
    }
    match map.get("additionalProperties") {
        None | Some(Value::Bool(_)) => {}
        Some(schema) => check_schema(schema, &pointer(at, "additionalProperties"), depth + 1, out),
    }
    for list in ["allOf", "oneOf", "anyOf"] {
        if let Some(value) = map.get(list) {
            match value.as_array() {
                Some(items) => {
                    let base = pointer(at, list);
                    for (i, schema) in items.iter().enumerate() {
                        check_schema(schema, &pointer(&base, &i.to_string()), depth + 1, out);
                    }
                }
                None => out.push((
                    pointer(at, list),
                    format!("`{list}` must be a list of schemas, found {}", kind(value)),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_wrong_keyword_types_with_pointers() {
        let doc = serde_json::json!({
            "components": {"schemas": {
                "A": {"type": "object", "properties": 5},
                "B": {"type": "array", "items": "string"},
                "C": {"required": "id", "allOf": [{"maxLength": -1}]},
            }},
            "paths": {"/x": {"get": {"parameters": [{"name": "q", "in": "query", "schema": []}]}}}
        });
        let found = check_document(&doc);
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            vec![
                "#/components/schemas/A/properties",
                "#/components/schemas/B/items",
                "#/components/schemas/C/required",
                "#/components/schemas/C/allOf/0/maxLength",
                "#/paths/~1x/get/parameters/0/schema",
            ]
        );
    }

    #[test]
    fn caps_depth() {
        let mut v = serde_json::json!({"type": "string"});
        for _ in 0..100 {
            v = serde_json::json!({"items": v});
        }
        let doc = serde_json::json!({"components": {"schemas": {"Deep": v}}});
        assert_eq!(check_document(&doc).len(), 1);
    }
}
