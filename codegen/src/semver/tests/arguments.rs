//! Parameters, positional arguments, bodies, credentials and union accessors.

use super::*;

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
