//! Unit tests of the 3.1 → 3.0 mapping, on JSON trees.

use serde_json::json;

use super::*;

/// The normalised document, the warnings' pointers, and where the moved nodes were
/// written (asked for `probe`).
fn normalised(mut doc: Value, probe: &str) -> (Value, Vec<String>, Option<String>) {
    let lines = LineIndex::new("");
    let mut r = Reporter::new("spec.yaml", &lines);
    document(&mut doc, &lines, &mut r);
    let warnings = r
        .finish()
        .items()
        .iter()
        .map(|d| d.pointer.clone())
        .collect();
    let written = lines.written(probe);
    (doc, warnings, written)
}

fn schema_doc(schema: Value) -> Value {
    json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}})
}

fn schema_of(doc: &Value) -> &Value {
    &doc["components"]["schemas"]["S"]
}

#[test]
fn type_lists_become_nullable_or_unions() {
    let (doc, ..) = normalised(schema_doc(json!({"type": ["string", "null"]})), "#");
    assert_eq!(
        schema_of(&doc),
        &json!({"type": "string", "nullable": true})
    );
    let (doc, ..) = normalised(
        schema_doc(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1})),
        "#",
    );
    assert_eq!(
        schema_of(&doc),
        &json!({"oneOf": [
            {"type": "string", "maxLength": 3},
            {"type": "integer", "minimum": 1},
        ]})
    );
    let (doc, ..) = normalised(schema_doc(json!({"type": ["integer", "number"]})), "#");
    assert_eq!(schema_of(&doc), &json!({"type": "number"}));
}

#[test]
fn a_null_branch_makes_the_other_nullable_and_records_the_move() {
    let (doc, warnings, written) = normalised(
        schema_doc(json!({
            "anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}],
            "title": "T",
        })),
        "#/components/schemas/S/maxLength",
    );
    assert_eq!(
        schema_of(&doc),
        &json!({"type": "string", "maxLength": 5, "title": "T", "nullable": true})
    );
    assert!(warnings.is_empty());
    assert_eq!(
        written.as_deref(),
        Some("#/components/schemas/S/anyOf/0/maxLength")
    );
    let (doc, _, written) = normalised(
        schema_doc(json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/X"}]})),
        "#/components/schemas/S/allOf/0/$ref",
    );
    assert_eq!(
        schema_of(&doc),
        &json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true})
    );
    assert_eq!(
        written.as_deref(),
        Some("#/components/schemas/S/anyOf/1/$ref")
    );
}

#[test]
fn const_ref_siblings_and_examples() {
    let (doc, ..) = normalised(
        schema_doc(json!({"properties": {
            "kind": {"const": "a"},
            "pet": {"$ref": "#/components/schemas/Pet", "description": "d"},
            "n": {"type": "integer", "examples": [1, 2], "exclusiveMinimum": 0},
        }})),
        "#",
    );
    let props = &schema_of(&doc)["properties"];
    assert_eq!(props["kind"], json!({"type": "string", "enum": ["a"]}));
    assert_eq!(
        props["pet"],
        json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/Pet"}]})
    );
    assert_eq!(
        props["n"],
        json!({"type": "integer", "example": 1, "minimum": 0, "exclusiveMinimum": true})
    );
}

#[test]
fn defs_become_components_and_refs_follow() {
    let (doc, _, written) = normalised(
        schema_doc(json!({
            "properties": {"a": {"$ref": "#/components/schemas/S/$defs/A"}},
            "$defs": {"A": {"type": "string"}},
        })),
        "#/components/schemas/A/type",
    );
    assert_eq!(doc["components"]["schemas"]["A"], json!({"type": "string"}));
    assert_eq!(
        schema_of(&doc)["properties"]["a"],
        json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(
        written.as_deref(),
        Some("#/components/schemas/S/$defs/A/type")
    );
}

#[test]
fn keywords_without_a_3_0_form_are_dropped_with_a_warning() {
    let (doc, warnings, _) = normalised(
        schema_doc(json!({"type": "object", "if": {}, "then": {}, "$comment": "c"})),
        "#",
    );
    assert_eq!(schema_of(&doc), &json!({"type": "object"}));
    assert_eq!(
        warnings,
        ["#/components/schemas/S/if", "#/components/schemas/S/then"]
    );
}

#[test]
fn document_level_forms() {
    let (doc, warnings, _) = normalised(
        json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://example.com/dialect",
            "webhooks": {"w": {"$ref": "#/components/pathItems/P"}},
            "components": {"pathItems": {"P": {"post": {}}}},
        }),
        "#",
    );
    assert_eq!(doc["paths"], json!({}));
    assert_eq!(doc["webhooks"]["w"], json!({"post": {"responses": {}}}));
    assert!(doc["components"].get("pathItems").is_none());
    assert_eq!(warnings, ["#/jsonSchemaDialect"]);
}

#[test]
fn inline_tagged_branches_become_components() {
    let (doc, _, written) = normalised(
        schema_doc(json!({
            "oneOf": [
                {"properties": {"kind": {"const": "a"}}},
                {"$ref": "#/components/schemas/B"},
            ],
            "discriminator": {"propertyName": "kind"},
        })),
        "#/components/schemas/SA/properties",
    );
    assert_eq!(
        schema_of(&doc),
        &json!({
            "oneOf": [
                {"$ref": "#/components/schemas/SA"},
                {"$ref": "#/components/schemas/B"},
            ],
            "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/SA"}},
        })
    );
    assert_eq!(
        doc["components"]["schemas"]["SA"]["properties"]["kind"],
        json!({"type": "string", "enum": ["a"]})
    );
    assert_eq!(
        written.as_deref(),
        Some("#/components/schemas/S/oneOf/0/properties")
    );
}
