//! One test per classification rule: a small spec, one edit, the exact changes. The
//! helpers and the operation and resource rules are here; the other rules have a
//! module each.

use super::{classify, surface, Bump, Change, Class, Surface, Version};

mod arguments;
mod fields;
mod values;
mod versions;

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
