//! Constraints, enum values, union variants, defaults, routes, docs, kinds, returns, directions and webhooks.

use super::*;

#[test]
fn narrowed_constraint_is_breaking_and_widened_additive() {
    assert_eq!(
        edit("maxLength: 32", "maxLength: 16"),
        one(
            Class::Breaking,
            "field `NewRule.name` constraint narrowed from [len ..=32] to [len ..=16]: calls that passed may now fail client-side (cargo-semver-checks cannot see this)"
        )
    );
    assert_eq!(
        edit("maxLength: 32", "maxLength: 64"),
        one(
            Class::Additive,
            "field `NewRule.name` constraint widened from [len ..=32] to [len ..=64]: more values are accepted"
        )
    );
    assert_eq!(
        edit("minimum: 1,", "minimum: 0,"),
        one(
            Class::Additive,
            "parameter `page` of `client.rules().list` constraint widened from [1..=] to [0..=]: more values are accepted"
        )
    );
    assert_eq!(
        edit("maxLength: 32", "maxLength: 32, pattern: '^[a-z]+$'"),
        one(
            Class::Breaking,
            "field `NewRule.name` constraint narrowed from [len ..=32] to [len ..=32, /^[a-z]+$/]: calls that passed may now fail client-side (cargo-semver-checks cannot see this)"
        )
    );
    // The client checks only what it sends.
    assert_eq!(
        edit(
            "id: {type: string, description: The id}",
            "id: {type: string, maxLength: 8, description: The id}"
        ),
        one(
            Class::Docs,
            "field `Rule.id` constraint changed from none to [len ..=8] (responses are not checked)"
        )
    );
}

#[test]
fn enum_values() {
    assert_eq!(
        edit("enum: [active, paused]", "enum: [active]"),
        one(
            Class::Breaking,
            "removed enum value `Status::Paused` (\"paused\")"
        )
    );
    assert_eq!(
        edit("enum: [active, paused]", "enum: [active, paused, deleted]"),
        vec![
            (
                Class::Additive,
                "added enum value `Status::Deleted` (\"deleted\")".to_owned()
            ),
            (
                Class::Behaviour,
                "`Status` values \"deleted\" that decoded as `Status::Unknown` now decode as `Status::Deleted`"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn a_new_value_of_a_request_enum_is_only_additive() {
    let base = BASE.replacen(
        "mode: {type: string, default: fast}",
        "mode: {type: string, enum: [fast, slow]}",
        1,
    );
    let changed = base.replacen("enum: [fast, slow]", "enum: [fast, slow, auto]", 1);
    let changes = classify(&surface_of(&base), &surface_of(&changed));
    assert_eq!(
        changes,
        vec![Change {
            class: Class::Additive,
            what: "added enum value `NewRuleMode::Auto` (\"auto\")".to_owned()
        }]
    );
}

#[test]
fn union_variants() {
    let base = BASE.replacen(
        "        kind: {type: string, default: plain}",
        "        kind: {oneOf: [{type: string}, {type: integer}]}",
        1,
    );
    let added = base.replacen(
        "[{type: string}, {type: integer}]",
        "[{type: string}, {type: integer}, {type: boolean}]",
        1,
    );
    let removed = base.replacen(
        "[{type: string}, {type: integer}]",
        "[{type: string}, {type: boolean}]",
        1,
    );
    let whats = |a: &str, b: &str| -> Vec<(Class, String)> {
        classify(&surface_of(a), &surface_of(b))
            .into_iter()
            .map(|c| (c.class, c.what))
            .collect()
    };
    assert_eq!(
        whats(&base, &added),
        one(
            Class::Additive,
            "added union variant `RuleKind::Boolean(bool)`"
        )
    );
    assert_eq!(
        whats(&base, &removed),
        vec![
            (
                Class::Additive,
                "added union variant `RuleKind::Boolean(bool)`".to_owned()
            ),
            (
                Class::Breaking,
                "removed union variant `RuleKind::Integer`".to_owned()
            ),
        ]
    );
}

#[test]
fn changed_defaults() {
    assert_eq!(
        edit("default: fast", "default: slow"),
        one(
            Class::Behaviour,
            "field `NewRule.mode` default changed from \"fast\" to \"slow\": a server-side behaviour change, the server treats callers who omit it differently"
        )
    );
    assert_eq!(
        edit("default: plain", "default: fancy"),
        one(
            Class::Behaviour,
            "field `Rule.kind` default changed from \"plain\" to \"fancy\": a server-side behaviour change, an absent value means something else"
        )
    );
}

#[test]
fn changed_method_or_path_is_behaviour() {
    assert_eq!(
        edit("  /rules:\n", "  /rule-list:\n"),
        vec![
            (
                Class::Behaviour,
                "`client.rules().create` now calls POST /rule-list (was POST /rules)".to_owned()
            ),
            (
                Class::Behaviour,
                "`client.rules().list` now calls GET /rule-list (was GET /rules)".to_owned()
            ),
        ]
    );
}

#[test]
fn changed_docs_are_docs() {
    assert_eq!(
        edit("summary: List rules", "summary: List all rules"),
        one(Class::Docs, "docs of `client.rules().list` changed")
    );
    assert_eq!(
        edit("description: The id", "description: The rule's id"),
        one(Class::Docs, "docs of field `Rule.id` changed")
    );
}

#[test]
fn a_type_that_changes_kind_is_removed() {
    assert_eq!(
        edit(
            "Status: {type: string, enum: [active, paused]}",
            "Status: {type: integer}"
        ),
        vec![
            (
                Class::Breaking,
                "field `Rule.status` changed type from `Status` to `i64`".to_owned()
            ),
            (Class::Breaking, "removed enum `Status`".to_owned()),
        ]
    );
}

#[test]
fn changed_return_type_is_breaking() {
    assert_eq!(
        edit(
            "schema: {$ref: '#/components/schemas/Rule'}",
            "schema: {type: string}"
        ),
        vec![
            (
                Class::Breaking,
                "`client.rules().list` returns `String` instead of `Rule`".to_owned()
            ),
            (Class::Breaking, "removed struct `Rule`".to_owned()),
            (Class::Breaking, "removed enum `Status`".to_owned()),
        ]
    );
}

#[test]
fn bodies_and_directions() {
    assert_eq!(
        edit("schemas/NewRule'}}}}", "schemas/Rule'}}}}"),
        vec![
            (
                Class::Breaking,
                "`client.rules().create` takes (body: &Rule) instead of (body: &NewRule)"
                    .to_owned()
            ),
            (Class::Breaking, "removed struct `NewRule`".to_owned()),
            (
                Class::Additive,
                "`Rule` is now sent and received (was received only)".to_owned()
            ),
        ]
    );
    assert_eq!(
        edit(
            "requestBody: {required: true,",
            "requestBody: {required: false,"
        ),
        one(
            Class::Breaking,
            "`client.rules().create` takes (body: Option<&NewRule>) instead of (body: &NewRule)"
        )
    );
    // Every struct is `#[non_exhaustive]` already, and a received one keeps `new`.
    assert_eq!(
        edit(
            "        kind: {type: string, default: plain}",
            "        kind: {type: string, default: plain}\n        spec: {$ref: '#/components/schemas/NewRule'}"
        ),
        vec![
            (
                Class::Additive,
                "`NewRule` is now sent and received (was sent only)".to_owned()
            ),
            (
                Class::Additive,
                "added optional field `Rule.spec`: `NewRule`".to_owned()
            ),
        ]
    );
}

#[test]
fn webhooks() {
    let base = "openapi: 3.1.0
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
webhooks:
  petSold:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {id: {type: integer}}}
      responses: {'200': {description: ok}}
";
    let added = format!(
        "{base}  petLost:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: string}}\n"
    );
    let whats = |a: &str, b: &str| -> Vec<(Class, String)> {
        classify(&surface_of(a), &surface_of(b))
            .into_iter()
            .map(|c| (c.class, c.what))
            .collect()
    };
    assert_eq!(
        whats(base, &added),
        one(Class::Additive, "added webhook `Webhook::PetLost(String)`")
    );
    assert_eq!(
        whats(&added, base),
        one(Class::Breaking, "removed webhook `Webhook::PetLost`")
    );
}
