//! One test per classification rule: a small spec, one edit, the exact changes.

use super::{classify, surface, Bump, Change, Class, Surface, Version};

const BASE: &str = r##"openapi: 3.0.3
info: {title: t, version: '1', x-crate-version: 0.3.1}
servers: [{url: 'https://api.example.com'}]
paths:
  /rules:
    get:
      operationId: listRules
      x-fern-sdk-group-name: rules
      x-fern-sdk-method-name: list
      summary: List rules
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Rule'}}}}
    post:
      operationId: createRule
      x-fern-sdk-group-name: rules
      x-fern-sdk-method-name: create
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewRule'}}}}
      responses: {'204': {description: none}}
components:
  schemas:
    Rule:
      type: object
      required: [id]
      properties:
        id: {type: string, description: The id}
        status: {$ref: '#/components/schemas/Status'}
        kind: {type: string, default: plain}
    Status: {type: string, enum: [active, paused]}
    NewRule:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 32}
        mode: {type: string, default: fast}
"##;

fn surface_of(text: &str) -> Surface {
    match crate::lower_spec(text, "spec.yaml") {
        Ok((api, _)) => surface(&api),
        Err(d) => panic!("{d}"),
    }
}

/// The changes one textual edit of [`BASE`] makes.
fn edit(from: &str, to: &str) -> Vec<(Class, String)> {
    assert!(BASE.contains(from), "`{from}` is not in the base spec");
    let changed = BASE.replacen(from, to, 1);
    classify(&surface_of(BASE), &surface_of(&changed))
        .into_iter()
        .map(|c| (c.class, c.what))
        .collect()
}

fn one(class: Class, what: &str) -> Vec<(Class, String)> {
    vec![(class, what.to_owned())]
}

#[test]
fn the_same_spec_has_no_changes() {
    assert_eq!(edit("", ""), Vec::new());
    assert_eq!(Bump::required(&[]), None);
}

#[test]
fn the_surface_is_keyed_by_what_users_write() {
    let s = surface_of(BASE);
    let keys: Vec<&str> = s.operations.keys().map(String::as_str).collect();
    assert_eq!(keys, ["client.rules().create", "client.rules().list"]);
    assert_eq!(s.resources.keys().collect::<Vec<_>>(), ["client.rules()"]);
    let json = serde_json::to_string(&s).unwrap_or_default();
    let back: Result<Surface, _> = serde_json::from_str(&json);
    assert_eq!(back.ok(), Some(s));
}

#[test]
fn removed_operation_is_breaking() {
    let from = "    post:\n      operationId: createRule";
    let cut = BASE.find(from).unwrap_or_default();
    let end = BASE.find("components:").unwrap_or_default();
    let changes = edit(&BASE[cut..end], "");
    assert_eq!(
        changes,
        vec![
            (
                Class::Breaking,
                "removed operation `client.rules().create` (POST /rules)".to_owned()
            ),
            (Class::Breaking, "removed struct `NewRule`".to_owned()),
        ]
    );
}

#[test]
fn added_operation_is_additive() {
    assert_eq!(
        edit(
            "components:",
            "  /rules/{id}:\n    delete:\n      operationId: deleteRule\n      x-fern-sdk-group-name: rules\n      x-fern-sdk-method-name: delete\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: none}}\ncomponents:"
        ),
        one(
            Class::Additive,
            "added operation `client.rules().delete` (DELETE /rules/{id})"
        )
    );
}

#[test]
fn removed_and_added_resources() {
    let changes = edit(
        "x-fern-sdk-group-name: rules\n      x-fern-sdk-method-name: list",
        "x-fern-sdk-group-name: filters\n      x-fern-sdk-method-name: list",
    );
    assert_eq!(
        changes,
        vec![
            (
                Class::Additive,
                "added resource `client.filters()`".to_owned()
            ),
            (
                Class::Additive,
                "added operation `client.filters().list` (GET /rules)".to_owned()
            ),
            (
                Class::Breaking,
                "removed operation `client.rules().list` (GET /rules)".to_owned()
            ),
        ]
    );
}

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

#[test]
fn parameters() {
    assert_eq!(
        edit(
            "{name: page, in: query, schema",
            "{name: page, in: query, required: true, schema"
        ),
        one(
            Class::Breaking,
            "`client.rules().list` takes (page: i64) instead of (params: RulesListParams)"
        )
    );
    assert_eq!(
        edit(
            "        - {name: page,",
            "        - {name: q, in: query, schema: {type: string}}\n        - {name: page,"
        ),
        one(
            Class::Additive,
            "added optional parameter `q: String` to `client.rules().list`"
        )
    );
    assert_eq!(
        edit(
            "        - {name: page,",
            "        - {name: q, in: query, required: true, schema: {type: string}}\n        - {name: page,"
        ),
        one(
            Class::Breaking,
            "`client.rules().list` takes (q: &str, params: RulesListParams) instead of (params: RulesListParams)"
        )
    );
    assert_eq!(
        edit(
            "      parameters:\n        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}\n",
            ""
        ),
        vec![
            (
                Class::Breaking,
                "`client.rules().list` takes () instead of (params: RulesListParams)".to_owned()
            ),
            (
                Class::Breaking,
                "removed parameter `page` of `client.rules().list`".to_owned()
            ),
        ]
    );
}

/// A spec whose one operation has the given parameters and request body.
fn with_params(params: &str, body: &str) -> Surface {
    surface_of(&format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /zones/{{zone}}/records/{{record}}:
    post:
      operationId: setRecord
      parameters:
{params}
{body}
      responses: {{'204': {{description: none}}}}
"
    ))
}

fn changes(a: &Surface, b: &Surface) -> Vec<(Class, String)> {
    classify(a, b)
        .into_iter()
        .map(|c| (c.class, c.what))
        .collect()
}

const ZONE: &str = "        - {name: zone, in: path, required: true, schema: {type: string}}";
const RECORD: &str = "        - {name: record, in: path, required: true, schema: {type: string}}";
const LIMIT: &str = "        - {name: limit, in: query, schema: {type: integer}}";

#[test]
fn the_first_optional_parameter_adds_an_argument() {
    let json = "      requestBody: {required: true, content: {application/json: {schema: {type: object}}}}";
    let before = with_params(&format!("{ZONE}\n{RECORD}"), json);
    let after = with_params(&format!("{ZONE}\n{RECORD}\n{LIMIT}"), json);
    assert_eq!(
        changes(&before, &after),
        vec![
            (Class::Breaking, "`client.set_record` takes (zone: &str, record: &str, params: SetRecordParams, body: &serde_json::Map<String, serde_json::Value>) instead of (zone: &str, record: &str, body: &serde_json::Map<String, serde_json::Value>)".to_owned()),
            (Class::Additive, "added optional parameter `limit: i64` to `client.set_record`".to_owned()),
        ]
    );
}

#[test]
fn required_arguments_are_positional() {
    let q = |name: &str, ty: &str| {
        format!("        - {{name: {name}, in: query, required: true, schema: {{type: {ty}}}}}")
    };
    let before = with_params(
        &format!("{ZONE}\n{}\n{}", q("a", "string"), q("b", "integer")),
        "",
    );
    let swapped = with_params(
        &format!("{ZONE}\n{}\n{}", q("b", "integer"), q("a", "string")),
        "",
    );
    assert_eq!(
        changes(&before, &swapped),
        one(
            Class::Breaking,
            "`client.set_record` takes (zone: &str, record: &str, b: i64, a: &str) instead of (zone: &str, record: &str, a: &str, b: i64)"
        )
    );
    // Two arguments of one type swapped: every call still compiles, but each value is
    // sent as the other. The names are all that show it.
    let same = with_params(
        &format!("{ZONE}\n{}\n{}", q("a", "string"), q("b", "string")),
        "",
    );
    let flipped = with_params(
        &format!("{ZONE}\n{}\n{}", q("b", "string"), q("a", "string")),
        "",
    );
    assert_eq!(
        changes(&same, &flipped),
        one(
            Class::Docs,
            "arguments of `client.set_record` renamed: (zone: &str, record: &str, b: &str, a: &str) instead of (zone: &str, record: &str, a: &str, b: &str)"
        )
    );
    // A renamed argument is not a removed and an added one.
    let renamed = with_params(
        &format!("{ZONE}\n{}\n{}", q("a", "string"), q("c", "string")),
        "",
    );
    let got = changes(&same, &renamed);
    assert_eq!(
        got.first(),
        Some(&(
            Class::Docs,
            "arguments of `client.set_record` renamed: (zone: &str, record: &str, a: &str, c: &str) instead of (zone: &str, record: &str, a: &str, b: &str)".to_owned()
        )),
        "{got:?}"
    );
    assert!(got.iter().all(|(c, _)| *c != Class::Breaking), "{got:?}");
}

#[test]
fn a_body_media_type_that_changes_the_signature_is_breaking() {
    let json = "      requestBody: {required: true, content: {application/json: {schema: {type: string}}}}";
    let any = "      requestBody: {required: true, content: {'*/*': {schema: {type: string}}}}";
    let before = with_params(&format!("{ZONE}\n{RECORD}"), json);
    let after = with_params(&format!("{ZONE}\n{RECORD}"), any);
    let got = changes(&before, &after);
    assert_eq!(
        got.first().map(|(c, _)| *c),
        Some(Class::Breaking),
        "{got:?}"
    );
    assert!(got[0].1.contains("content_type: &str"), "{got:?}");
}

#[test]
fn credential_setters() {
    let spec = |scheme: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
components:
  securitySchemes:
    {scheme}: {{type: http, scheme: bearer}}
security: [{{{scheme}: []}}]
paths:
  /a:
    get:
      operationId: getA
      responses: {{'204': {{description: none}}}}
"
        )
    };
    let got = changes(&surface_of(&spec("token")), &surface_of(&spec("key")));
    assert_eq!(
        got,
        vec![
            (
                Class::Additive,
                "added credential setter `ClientBuilder::key` (scheme `key`, bearer)".to_owned()
            ),
            (
                Class::Breaking,
                "removed credential setter `ClientBuilder::token`".to_owned()
            ),
        ]
    );
}

#[test]
fn union_accessors_and_from_impls() {
    let spec = |extra: &str| {
        format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /pets:
    get:
      operationId: getPet
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}}}
components:
  schemas:
    Pet: {{oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}{extra}]}}
    Cat: {{type: object, required: [name], properties: {{name: {{type: string}}, purrs: {{type: boolean}}}}}}
    Dog: {{type: object, required: [name], properties: {{name: {{type: string}}, barks: {{type: boolean}}}}}}
    Fish: {{type: object, properties: {{fins: {{type: integer}}}}}}
"
        )
    };
    let got = changes(
        &surface_of(&spec("")),
        &surface_of(&spec(", {$ref: '#/components/schemas/Fish'}")),
    );
    assert!(
        got.contains(&(Class::Breaking, "removed accessor `Pet::name`".to_owned())),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            Class::Additive,
            "added `impl From<Fish> for Pet`".to_owned()
        )),
        "{got:?}"
    );
}

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

#[test]
fn bumps_follow_the_worst_class() {
    let c = |class| Change {
        class,
        what: String::new(),
    };
    assert_eq!(Bump::required(&[c(Class::Docs)]), Some(Bump::Patch));
    assert_eq!(Bump::required(&[c(Class::Behaviour)]), Some(Bump::Patch));
    assert_eq!(
        Bump::required(&[c(Class::Docs), c(Class::Additive)]),
        Some(Bump::Minor)
    );
    assert_eq!(
        Bump::required(&[c(Class::Breaking), c(Class::Additive)]),
        Some(Bump::Major)
    );
}

#[test]
fn bumps_apply_cargo_rules() {
    let v = |s: &str| Version::parse(s).unwrap_or_else(|e| panic!("{e}"));
    let table = [
        (Bump::Major, "0.1.3", "0.2.0"),
        (Bump::Minor, "0.1.3", "0.1.4"),
        (Bump::Patch, "0.1.3", "0.1.4"),
        (Bump::Major, "0.0.3", "0.0.4"),
        (Bump::Minor, "0.0.3", "0.0.4"),
        (Bump::Major, "1.2.3", "2.0.0"),
        (Bump::Minor, "1.2.3", "1.3.0"),
        (Bump::Patch, "1.2.3", "1.2.4"),
    ];
    for (bump, from, to) in table {
        let got = bump.apply(&v(from)).map(|v| v.to_string());
        assert_eq!(got.as_deref(), Ok(to), "{bump:?} {from}");
    }
    assert!(v("0.10.0") > v("0.9.9"));
    let largest = v("18446744073709551615.0.0");
    let err = Bump::Major.apply(&largest).err().unwrap_or_default();
    assert!(err.contains("the major part"), "{err}");
    assert!(Bump::Minor.apply(&largest).is_ok());
}

#[test]
fn versions_parse_with_errors_that_say_where() {
    let table = [
        (
            "1.2",
            "`1.2` has 2 part(s); expected three, MAJOR.MINOR.PATCH",
        ),
        (
            "1.02.0",
            "the minor part `02` of `1.02.0` has a leading zero",
        ),
        ("1.x.0", "the minor part `x` of `1.x.0` is not a number"),
        ("1..0", "the minor part `` of `1..0` is not a number"),
        (
            "1.0.0-beta",
            "`1.0.0-beta` has the suffix `-beta`; pre-release and build versions are not supported",
        ),
    ];
    for (text, error) in table {
        assert_eq!(Version::parse(text), Err(error.to_owned()), "{text}");
    }
    assert_eq!(
        Version::parse("10.0.7").map(|v| v.to_string()),
        Ok("10.0.7".to_owned())
    );
}

#[test]
fn the_spec_sets_the_crate_version() {
    let api = crate::lower_spec(BASE, "spec.yaml").map(|(api, _)| api);
    assert_eq!(
        api.ok().and_then(|a| a.crate_version),
        Some("0.3.1".to_owned())
    );
    let bad = BASE.replacen("x-crate-version: 0.3.1", "x-crate-version: 1.0", 1);
    let errors = crate::lower_spec(&bad, "spec.yaml")
        .err()
        .map(|d| d.to_string());
    let errors = errors.unwrap_or_default();
    assert!(
        errors.contains(
            "invalid crate version: expected semver text such as `0.1.0`, found a number"
        ) && errors.contains("#/info/x-crate-version"),
        "{errors}"
    );
}

/// A spec with resource features on and untagged operations on the client itself.
fn featured(extra_paths: &str, pet_schema: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
x-sdk-resource-features: true
paths:
  /v1/pets:
    get:
      operationId: listPets
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}}}
  /v1/users:
    get:
      operationId: listUsers
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{pet_schema}'}}}}}}}}
{extra_paths}components:
  schemas:
    Pet: {{type: object, properties: {{name: {{type: string}}}}}}
    User: {{type: object, properties: {{name: {{type: string}}}}}}
"
    )
}

#[test]
fn adding_a_path_renames_no_feature() {
    let health = "  /health:
    get:
      operationId: health
      responses: {'204': {description: none}}
";
    let before = surface_of(&featured("", "User"));
    let after = surface_of(&featured(health, "User"));
    assert_eq!(
        before.features.as_deref(),
        Some(["pets".to_owned(), "users".to_owned()].as_slice())
    );
    assert_eq!(
        changes(&before, &after),
        vec![
            (
                Class::Additive,
                "added operation `client.health` (GET /health)".to_owned()
            ),
            (Class::Additive, "added feature `health`".to_owned()),
        ]
    );
}

#[test]
fn features_gate_and_ungate_items() {
    // `Pet` reached by both features is ungated; by `pets` alone, gated.
    let shared = surface_of(&featured("", "Pet"));
    let own = surface_of(&featured("", "User"));
    let got = changes(&shared, &own);
    assert!(
        got.contains(&(
            Class::Breaking,
            "`Pet` is now gated by feature `pets` (builds with `default-features = false` lose it)"
                .to_owned()
        )),
        "{got:?}"
    );
    let back = changes(&own, &shared);
    assert!(
        back.contains(&(
            Class::Additive,
            "`Pet` is no longer gated by feature `pets`".to_owned()
        )),
        "{back:?}"
    );
    // Features turned on for the whole crate: one line says what it gates.
    let off = surface_of(&featured("", "User").replace(
        "x-sdk-resource-features: true",
        "x-sdk-resource-features: false",
    ));
    let got = changes(&off, &own);
    assert!(
        got.contains(&(
            Class::Breaking,
            "resource features turned on for the crate: 4 item(s) are now gated, so builds with `default-features = false` lose them until they enable the features".to_owned()
        )),
        "{got:?}"
    );
    // A baseline written before features were recorded compares as before.
    let old = Surface {
        features: None,
        ..off
    };
    assert!(changes(&old, &own)
        .iter()
        .all(|(c, _)| *c != Class::Breaking));
}
