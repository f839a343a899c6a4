//! The seed documents' example bodies decode into the generated types and encode back
//! to the same JSON; absent optional fields are never sent as `null`; a key that fits no
//! variant says which variants were tried and why each failed; a response value for a
//! test is built from its JSON.

use cloudflare_token_validation::types::{
    CreateConfigRequest, CredentialsRequest, CredentialsSuccess, EditConfigRequest, JwkRequest,
    JwkResponse, TokenConfiguration,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn seed(name: &str) -> Value {
    let path = format!("{}/data/seed/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value, what: &str) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let back = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(&back, value, "{what} does not survive a round trip");
    typed
}

#[test]
fn create_config_request() {
    let body: CreateConfigRequest =
        round_trip(&seed("create-config-request.json"), "create request");
    assert_eq!(body.credentials.keys.len(), 1);
    assert!(matches!(body.credentials.keys[0], JwkRequest::Es256(_)));
}

#[test]
fn create_config_response_result() {
    let response = seed("create-config-response.json");
    let config: TokenConfiguration = round_trip(&response["result"], "create response result");
    assert_eq!(config.id, "f174e90a-fafe-4643-bbbc-4a0ed4fc8415");
    assert_eq!(config.created_at.year(), 2014);
    assert_eq!(config.created_at.nanosecond(), 123_450_000);
}

#[test]
fn list_configs_response_result() {
    let response = seed("list-configs-response.json");
    let configs: Vec<TokenConfiguration> = round_trip(&response["result"], "list response result");
    assert_eq!(configs.len(), 1);
}

#[test]
fn update_credentials_request_and_response() {
    let _: CredentialsRequest = round_trip(
        &seed("update-credentials-request.json"),
        "credentials request",
    );
    let response: CredentialsSuccess = round_trip(
        &seed("update-credentials-response.json"),
        "credentials response",
    );
    assert!(response.success);
    assert!(matches!(response.keys[0], JwkResponse::Es256(_)));
}

#[test]
fn absent_optional_fields_are_not_sent() {
    let edit = EditConfigRequest::new().with_title("new title");
    assert_eq!(
        serde_json::to_string(&edit).ok().as_deref(),
        Some(r#"{"title":"new title"}"#)
    );
}

#[test]
fn a_key_that_fits_no_variant_says_why() {
    let key = serde_json::json!({"kid": "k1", "kty": "EC", "alg": "ES512", "crv": "P-521", "x": "a", "y": "b"});
    let err = serde_json::from_value::<JwkResponse>(key)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    for variant in ["Rsa", "Es256", "Es384", "Oct"] {
        assert!(
            err.contains(variant),
            "error does not mention {variant}: {err}"
        );
    }
    assert!(
        err.contains("ES256"),
        "error does not say what ES256 expected: {err}"
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let mut rule = serde_json::json!({
        "action": "challenge", "description": "d", "enabled": true, "expression": "e",
        "id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "selector": {}, "title": "t"
    });
    let parsed: cloudflare_token_validation::types::Rule =
        serde_json::from_value(rule.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.action.as_str(), "challenge");
    rule["selector"] = serde_json::json!({});
    assert_eq!(serde_json::to_value(&parsed).ok(), Some(rule));
}

#[test]
fn secrets_are_redacted_from_debug() {
    let key: JwkRequest = serde_json::from_value(serde_json::json!({
        "kid": "k1", "kty": "oct", "alg": "HS256", "k": "super-secret-material"
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let debug = format!("{key:?}");
    assert!(!debug.contains("super-secret-material"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
}

#[test]
fn string_enums_keep_their_wire_form() {
    use cloudflare_token_validation::types::Action;
    assert_eq!(Action::from("block"), Action::Block);
    assert_eq!(Action::Block.as_str(), "block");
    assert_eq!(Action::Log.to_string(), "log");
    assert_eq!(
        Action::from("challenge"),
        Action::Unknown("challenge".to_owned())
    );
    let parsed: Vec<Action> =
        serde_json::from_str(r#"["log","challenge"]"#).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        parsed,
        [Action::Log, Action::Unknown("challenge".to_owned())]
    );
    assert_eq!(
        serde_json::to_string(&parsed).ok().as_deref(),
        Some(r#"["log","challenge"]"#)
    );
    let err = serde_json::from_str::<Action>("1")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("invalid type: integer `1`, expected a string at line 1 column 1")
    );
}

/// What a user's own test does now that response types are `#[non_exhaustive]`: build
/// the value from its JSON, through the crate's re-exported `serde_json`, change a
/// field in place, and match the open enum with a wildcard arm.
#[test]
fn a_response_value_is_built_from_its_json() {
    use cloudflare_token_validation::serde_json as json;
    use cloudflare_token_validation::types::{Action, Rule};

    let mut rule: Rule = json::from_value(json::json!({
        "action": "log", "description": "d", "enabled": true, "expression": "e",
        "id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", "selector": {}, "title": "t"
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    rule.action = Action::Block;
    let verdict = match &rule.action {
        Action::Block => "block",
        Action::Log => "log",
        // A value the API adds later: `Unknown` until the crate knows it, then a variant.
        _ => "other",
    };
    assert_eq!(verdict, "block");
}
