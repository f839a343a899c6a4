//! Raw responses (`.with_response()`) and how each operation unwraps the Cloudflare
//! envelope.

use cloudflare_token_validation::types::TokenConfiguration;
use serde_json::json;
use wiremock::matchers::body_json;
use wiremock::MockServer;

use crate::support::{
    assert_requests, client_for, envelope, get_config, json_body, mount_sequence, ok, ok_seed, on,
    on_with_headers, serve_with, CONFIG_ID, CONFIG_RESPONSE, CREATE_REQUEST, CREDENTIALS_PATH,
    CREDENTIALS_REQUEST, CREDENTIALS_RESPONSE, LIST_PATH, RULE_ID, RULE_PATH, ZONE,
};
use crate::{config_server, create_request, credentials_request};

#[tokio::test]
async fn with_response_gives_status_headers_and_value() {
    let with_ray = ok_seed(CONFIG_RESPONSE).insert_header("cf-ray", "8f1b2c3d4e5f6a7b-SJC");
    let server = config_server(&[], with_ray).await;

    let response = get_config(&client_for(&server))
        .with_response()
        .await
        .expect("raw response");

    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("cf-ray")
            .and_then(|v| v.to_str().ok()),
        Some("8f1b2c3d4e5f6a7b-SJC")
    );
    assert_eq!(response.value().id, CONFIG_ID);
    assert_eq!(
        response.into_value().title,
        "Example Token Validation Configuration"
    );
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn get_unwraps_the_result() {
    let server = config_server(&[], ok_seed(CONFIG_RESPONSE)).await;
    let expected: TokenConfiguration =
        serde_json::from_value(json_body(CONFIG_RESPONSE)["result"].clone())
            .expect("the seed decodes");

    let config = get_config(&client_for(&server)).await.expect("decodes");

    assert_eq!(config, expected);
    assert_eq!(config.credentials.keys.len(), 1);
    assert_eq!(config.token_sources.len(), 2);
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn create_sends_the_body_and_unwraps_the_result() {
    let json_post = on_with_headers("POST", LIST_PATH, &[("content-type", "application/json")])
        .and(body_json(json_body(CREATE_REQUEST)));
    let server = serve_with(json_post, ok_seed(CONFIG_RESPONSE), 1).await;

    let created = client_for(&server)
        .token_validation()
        .configuration()
        .create(ZONE, &create_request())
        .await
        .expect("created");

    assert_eq!(created.id, CONFIG_ID);
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn credentials_update_returns_the_whole_body_with_top_level_keys() {
    let put = on("PUT", CREDENTIALS_PATH).and(body_json(json_body(CREDENTIALS_REQUEST)));
    let server = serve_with(put, ok_seed(CREDENTIALS_RESPONSE), 1).await;

    let updated = client_for(&server)
        .token_validation()
        .configuration()
        .credentials()
        .update(ZONE, CONFIG_ID, &credentials_request())
        .await
        .expect("updated");

    assert!(updated.success);
    assert_eq!(updated.keys.len(), 1);
    assert_eq!(
        serde_json::to_value(&updated.keys).expect("serializes"),
        json_body(CREDENTIALS_RESPONSE)["keys"]
    );
    assert_eq!(updated.errors.len(), 1);
    assert_eq!(updated.errors[0].code, 1000);
    assert_eq!(updated.messages[0].message, "message");
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn rule_delete_returns_an_option() {
    let server = MockServer::start().await;
    let deleted = [json!(null), json!({"id": RULE_ID})].map(|result| ok(envelope(result)));
    mount_sequence(&server, "DELETE", RULE_PATH, deleted).await;
    let client = client_for(&server);
    let rules = client.token_validation().rules();

    let none = rules.delete(ZONE, RULE_ID).await.expect("null result");
    assert_eq!(none, None);
    let some = rules.delete(ZONE, RULE_ID).await.expect("object result");
    let some = some.expect("a result object");
    assert_eq!(some.get("id"), Some(&json!(RULE_ID)));
    assert_eq!(some.len(), 1);

    assert_requests(&server, 2).await;
}
