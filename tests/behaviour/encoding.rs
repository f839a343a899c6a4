//! What goes on the wire: path and query encoding, a retried request sent again
//! unchanged, and a base URL's path prefix.

use cloudflare_token_validation::{ConfigurationListParams, RulesListParams};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use crate::support::{
    assert_requests, build, client_for, envelope, failure, get_config, mount, mount_sequence, ok,
    ok_seed, recording_builder, serve, serve_with, CONFIG_ID, CONFIG_PATH, CONFIG_RESPONSE,
    CREDENTIALS_PATH, CREDENTIALS_RESPONSE, RULES_PATH, ZONE,
};
use crate::{credentials_request, header_value, list_body};

#[tokio::test]
async fn path_parameters_stay_one_percent_encoded_segment() {
    let server = serve_with(Mock::given(any()), ok(list_body(&[], None)), 1).await;

    client_for(&server)
        .token_validation()
        .configuration()
        .list("../../accounts", ConfigurationListParams::new())
        .await
        .expect("sent as one segment");

    let received = assert_requests(&server, 1).await;
    assert_eq!(
        received[0].url.path(),
        "/zones/..%2F..%2Faccounts/token_validation/config"
    );
    assert_eq!(received[0].url.query(), None);
}

#[tokio::test]
async fn array_query_parameters_use_the_repeat_form() {
    let server = serve("GET", RULES_PATH, ok(envelope(json!([]))), 1).await;
    let a = "52973293-cb04-4a97-8f55-e7d2ad1107dd";
    let b = "46eab8d1-6376-45e3-968f-2c649d77d423";

    client_for(&server)
        .token_validation()
        .rules()
        .list(
            ZONE,
            RulesListParams::new().token_configuration(vec![a.to_owned(), b.to_owned()]),
        )
        .await
        .expect("listed");

    let received = assert_requests(&server, 1).await;
    assert_eq!(
        received[0].url.query(),
        Some(format!("token_configuration={a}&token_configuration={b}").as_str())
    );
}

/// Each attempt builds its request afresh: a retry must send the very same one.
#[tokio::test]
async fn a_retried_request_is_sent_again_unchanged() {
    let server = MockServer::start().await;
    let busy = failure(503, 10000, "busy");
    mount_sequence(
        &server,
        "PUT",
        CREDENTIALS_PATH,
        [busy, ok_seed(CREDENTIALS_RESPONSE)],
    )
    .await;
    let client = client_for(&server);
    client
        .token_validation()
        .configuration()
        .credentials()
        .update(ZONE, CONFIG_ID, &credentials_request())
        .await
        .expect("succeeds on the retry");

    let received = assert_requests(&server, 2).await;
    let (first, second) = (&received[0], &received[1]);
    assert_eq!(first.url, second.url);
    assert_eq!(first.method, second.method);
    assert_eq!(first.body, second.body);
    assert!(!first.body.is_empty(), "the body was sent");
    for name in ["authorization", "content-type", "accept", "user-agent"] {
        assert_eq!(
            header_value(first, name),
            header_value(second, name),
            "header {name}"
        );
        assert!(
            header_value(first, name).is_some(),
            "header {name} was sent"
        );
    }
}

/// A base URL with a path (`…/client/v4`, with or without a trailing slash) keeps it
/// in front of every operation's path.
#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    for suffix in ["/client/v4", "/client/v4/"] {
        let server = MockServer::start().await;
        let prefixed = format!("/client/v4{CONFIG_PATH}");
        mount(&server, "GET", &prefixed, ok_seed(CONFIG_RESPONSE), 1).await;
        let (builder, _) = recording_builder(&format!("{}{suffix}", server.uri()));
        get_config(&build(builder))
            .await
            .unwrap_or_else(|e| panic!("base url ending in {suffix}: {e}"));
        assert_requests(&server, 1).await;
    }
}
