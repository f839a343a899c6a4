//! Fields, required and nullable, and type changes.

use super::*;

#[test]
fn removed_field_is_breaking() {
    assert_eq!(
        edit("        kind: {type: string, default: plain}\n", ""),
        one(Class::Breaking, "removed field `Rule.kind`")
    );
}

#[test]
fn new_optional_response_field_is_additive() {
    assert_eq!(
        edit(
            "        kind:",
            "        note: {type: string}\n        kind:"
        ),
        one(
            Class::Additive,
            "added optional field `Rule.note`: `String`"
        )
    );
    // A response struct is `#[non_exhaustive]`: a new required field breaks no one.
    assert_eq!(
        edit(
            "required: [id]\n      properties:",
            "required: [id, note]\n      properties:\n        note: {type: string}"
        ),
        one(Class::Additive, "added field `Rule.note`: `String`")
    );
}

#[test]
fn new_fields_of_request_types() {
    assert_eq!(
        edit(
            "        mode:",
            "        label: {type: string}\n        mode:"
        ),
        one(
            Class::Additive,
            "added optional field `NewRule.label`: `String`"
        )
    );
    assert_eq!(
        edit(
            "required: [name]\n      properties:",
            "required: [name, label]\n      properties:\n        label: {type: string}"
        ),
        one(
            Class::Breaking,
            "added required field `NewRule.label`: `String` to a request type (`NewRule::new` takes it)"
        )
    );
    // A required field that may be null gets a `with_` setter; `new` is unchanged.
    assert_eq!(
        edit(
            "required: [name]\n      properties:",
            "required: [name, label]\n      properties:\n        label: {type: string, nullable: true}"
        ),
        one(Class::Additive, "added field `NewRule.label`: `String`")
    );
    // `new` starts the map empty, and the struct is `#[non_exhaustive]`.
    assert_eq!(
        edit(
            "        mode: {type: string, default: fast}",
            "        mode: {type: string, default: fast}\n      additionalProperties: {type: integer}"
        ),
        one(
            Class::Additive,
            "additional properties of `NewRule` changed from `none` to `i64`"
        )
    );
}

#[test]
fn whole_body_or_envelope_data_is_behaviour() {
    let spec = |schema: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
x-sdk-envelope: {{data: result}}
paths:
  /name:
    get:
      operationId: getName
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {schema}}}}}}}
"
        )
    };
    let data = surface_of(&spec(
        "{type: object, required: [result], properties: {result: {type: string}}}",
    ));
    let whole = surface_of(&spec("{type: string}"));
    let changes: Vec<(Class, String)> = classify(&data, &whole)
        .into_iter()
        .map(|c| (c.class, c.what))
        .collect();
    assert_eq!(
        changes,
        one(
            Class::Behaviour,
            "`client.get_name` decodes the whole body (was the data inside the body)"
        )
    );
}

#[test]
fn required_and_nullable_changes_are_breaking() {
    assert_eq!(
        edit("required: [name]", "required: [name, mode]"),
        one(Class::Breaking, "field `NewRule.mode` became required")
    );
    assert_eq!(
        edit("required: [id]", "required: []"),
        one(
            Class::Breaking,
            "field `Rule.id` became optional (its type gains `Option`)"
        )
    );
    assert_eq!(
        edit(
            "id: {type: string, description: The id}",
            "id: {type: string, nullable: true, description: The id}"
        ),
        one(
            Class::Breaking,
            "field `Rule.id` became nullable (its type changes)"
        )
    );
}

#[test]
fn type_change_is_breaking() {
    assert_eq!(
        edit(
            "id: {type: string, description: The id}",
            "id: {type: integer, description: The id}"
        ),
        one(
            Class::Breaking,
            "field `Rule.id` changed type from `String` to `i64`"
        )
    );
}
