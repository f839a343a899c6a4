//! Part of stage 1 (load): a structural check of every schema in the raw document,
//! before `openapiv3` types it.
//!
//! Two reasons. The messages are better: "`properties` must be a mapping of schemas"
//! with the exact pointer, where serde would say "did not match any variant of untagged
//! enum". And typing is safe afterwards: `openapiv3` tries every variant of its untagged
//! enums at every level, so a hard error deep inside nested schemas costs time
//! exponential in the depth. Schemas that pass here type in linear time, and nesting is
//! capped.

use serde_json::Value;

use super::repair;
use crate::diag::Reporter;
use crate::pointer::{kind, Pointer};

/// Schemas may nest this deep (properties, items, allOf, …) before the check gives up.
/// Only inline nesting counts: a `$ref` is not followed, so a schema that refers back to
/// itself (a tree) is legal here, and stack depth is bounded by the text alone.
const MAX_SCHEMA_DEPTH: usize = 64;

/// Reports each problem found, in document order. `webhooks` (OpenAPI 3.1) is checked
/// only when the document's version has it; a 3.0 document's is not read at all.
pub(super) fn check_document(doc: &mut Value, webhooks: bool, r: &mut Reporter<'_>) {
    let schemas = Pointer::root().join("components").join("schemas");
    if let Some(map) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in map.iter_mut() {
            check_schema(schema, &schemas.join(name), 0, r);
        }
    }
    let sections: &[&str] = if webhooks {
        &["paths", "webhooks", "components"]
    } else {
        &["paths", "components"]
    };
    for section in sections {
        if let Some(v) = doc.get_mut(section) {
            find_schemas(v, &Pointer::root().join(section), &schemas, r);
        }
    }
}

/// Walks non-schema objects, checking every `schema` value met on the way.
fn find_schemas(v: &mut Value, at: &Pointer, skip: &Pointer, r: &mut Reporter<'_>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                let child_at = at.join(k);
                // Examples are data, extensions are anyone's; component schemas were
                // checked already.
                if k == "example" || k == "examples" || k.starts_with("x-") || child_at == *skip {
                    continue;
                }
                if k == "schema" {
                    check_schema(child, &child_at, 0, r);
                } else {
                    find_schemas(child, &child_at, skip, r);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                find_schemas(child, &at.index(i), skip, r);
            }
        }
        _ => {}
    }
}

/// One schema and, through [`check_children`], the schemas inside it; the schema is
/// repaired first where [`repair`] knows how.
fn check_schema(v: &mut Value, at: &Pointer, depth: usize, r: &mut Reporter<'_>) {
    if depth > MAX_SCHEMA_DEPTH {
        r.error(
            at,
            format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels deep"),
        );
        return;
    }
    let Some(map) = v.as_object_mut() else {
        r.error(
            at,
            format!("expected a schema (a mapping), found {}", kind(v)),
        );
        return;
    };
    repair::schema(map, at, r);
    for (key, value) in map.iter() {
        if let Some(what) = keyword_mismatch(key, value) {
            r.error(
                at.join(key),
                format!("`{key}` must be {what}, found {}", kind(value)),
            );
        }
    }
    check_children(map, at, depth, r);
}

/// What a keyword's value must be, when `value` is not that; `None` when it fits or
/// the keyword is not one this check knows.
fn keyword_mismatch(key: &str, value: &Value) -> Option<&'static str> {
    let (ok, what) = match key {
        "$ref" | "type" | "format" | "pattern" | "title" | "description" => {
            (value.is_string(), "a string")
        }
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
        | "exclusiveMinimum" | "exclusiveMaximum" => (value.is_boolean(), "a boolean"),
        "minimum" | "maximum" | "multipleOf" => (value.is_number(), "a number"),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
            (value.is_u64(), "a non-negative integer")
        }
        "required" => (
            value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            "a list of property names",
        ),
        "enum" => (value.is_array(), "a list"),
        "discriminator" => {
            let mapping_ok = value.get("mapping").is_none_or(|m| {
                m.as_object()
                    .is_some_and(|m| m.values().all(Value::is_string))
            });
            (
                value.get("propertyName").is_some_and(Value::is_string) && mapping_ok,
                "a mapping with a string `propertyName` and a string `mapping`",
            )
        }
        _ => (true, ""),
    };
    (!ok).then_some(what)
}

/// The schemas nested in one: properties, items, `not`, additional properties and the
/// members of `allOf`, `oneOf` and `anyOf`.
fn check_children(
    map: &mut serde_json::Map<String, Value>,
    at: &Pointer,
    depth: usize,
    r: &mut Reporter<'_>,
) {
    if let Some(props) = map.get_mut("properties") {
        let base = at.join("properties");
        match props {
            Value::Object(props) => {
                for (name, schema) in props.iter_mut() {
                    check_schema(schema, &base.join(name), depth + 1, r);
                }
            }
            props => {
                r.error(
                    base,
                    format!(
                        "`properties` must be a mapping of schemas, found {}",
                        kind(props)
                    ),
                );
            }
        }
    }
    for single in ["items", "not"] {
        if let Some(schema) = map.get_mut(single) {
            check_schema(schema, &at.join(single), depth + 1, r);
        }
    }
    match map.get_mut("additionalProperties") {
        None | Some(Value::Bool(_)) => {}
        Some(schema) => check_schema(schema, &at.join("additionalProperties"), depth + 1, r),
    }
    for list in ["allOf", "oneOf", "anyOf"] {
        let Some(value) = map.get_mut(list) else {
            continue;
        };
        let base = at.join(list);
        match value {
            Value::Array(items) => {
                for (i, schema) in items.iter_mut().enumerate() {
                    check_schema(schema, &base.index(i), depth + 1, r);
                }
            }
            value => {
                r.error(
                    base,
                    format!("`{list}` must be a list of schemas, found {}", kind(value)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::load::lines::LineIndex;

    fn check(doc: &Value) -> Diagnostics {
        let lines = LineIndex::new("");
        let mut r = Reporter::new("spec.yaml", &lines);
        check_document(&mut doc.clone(), false, &mut r);
        r.finish()
    }

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
        let found = check(&doc);
        let pointers: Vec<&str> = found.items().iter().map(|d| d.pointer.as_str()).collect();
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
    fn recursion_through_refs_is_not_nesting() {
        let doc = serde_json::json!({"components": {"schemas": {
            "Tree": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            "Node": {"properties": {"children": {"items": {"$ref": "#/components/schemas/Node"}}}},
        }}});
        assert!(check(&doc).items().is_empty());
    }

    #[test]
    fn caps_depth() {
        let mut v = serde_json::json!({"type": "string"});
        for _ in 0..100 {
            v = serde_json::json!({"items": v});
        }
        let doc = serde_json::json!({"components": {"schemas": {"Deep": v}}});
        assert_eq!(check(&doc).items().len(), 1);
    }
}
