//! Client-side validation: a call that breaks the spec's constraints fails with
//! `InvalidArgument`, and nothing is sent.

use std::fmt::Debug;

use cloudflare_token_validation::types::EditConfigRequest;
use cloudflare_token_validation::{Call, Client, ConfigurationListParams, Error, RulesListParams};
use futures_util::future::BoxFuture;
use futures_util::{Stream, StreamExt};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::Mock;

use crate::support::{
    assert_requests, client_for, envelope, list_configs, ok, serve_with, CONFIG_ID, ZONE,
};
use crate::{create_request, credentials_request};

fn assert_invalid<T: Debug>(
    result: Result<T, Error>,
    expected_field: &str,
    expected_message: &str,
) {
    match result {
        Err(Error::InvalidArgument { field, message }) => {
            assert_eq!(
                (field.as_str(), message.as_str()),
                (expected_field, expected_message)
            );
        }
        other => panic!("expected InvalidArgument for `{expected_field}`, got {other:?}"),
    }
}

/// One call that must fail on the client: its outcome (a value, formatted), and the
/// field and message of the `InvalidArgument` it must fail with.
type Rejection = (
    BoxFuture<'static, Result<String, Error>>,
    &'static str,
    &'static str,
);

fn rejected<T: Debug + Send + 'static>(
    call: Call<T>,
    field: &'static str,
    message: &'static str,
) -> Rejection {
    let outcome = async move { call.await.map(|value| format!("{value:?}")) };
    (Box::pin(outcome), field, message)
}

/// Like [`rejected`], for a stream that must yield the error as its only item.
fn rejected_stream<T: Debug + Send + 'static>(
    stream: impl Stream<Item = Result<T, Error>> + Send + 'static,
    field: &'static str,
    message: &'static str,
) -> Rejection {
    let outcome = async move {
        let items: Vec<Result<T, Error>> = stream.collect().await;
        assert_eq!(items.len(), 1);
        let only = items.into_iter().next().expect("one item");
        only.map(|value| format!("{value:?}"))
    };
    (Box::pin(outcome), field, message)
}

/// Makes the calls `cases` builds with a client whose server must see no request,
/// and checks each fails with its own `InvalidArgument`.
async fn assert_rejected_before_sending(cases: impl FnOnce(&Client) -> Vec<Rejection>) {
    let server = serve_with(Mock::given(any()), ok(envelope(json!(null))), 0).await;
    for (outcome, field, message) in cases(&client_for(&server)) {
        assert_invalid(outcome.await, field, message);
    }
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn zone_id_longer_than_32_is_rejected() {
    let long = "a".repeat(33);
    assert_rejected_before_sending(|client| {
        let list = client
            .token_validation()
            .configuration()
            .list(&long, ConfigurationListParams::new());
        vec![rejected(list, "zone_id", "length 33 exceeds maxLength 32")]
    })
    .await;
}

#[tokio::test]
async fn config_id_must_be_exactly_36_chars() {
    assert_rejected_before_sending(|client| {
        let configs = client.token_validation().configuration();
        let short = configs.get(ZONE, &CONFIG_ID[..35]);
        let long = configs.delete(ZONE, &format!("{CONFIG_ID}0"));
        vec![
            rejected(short, "config_id", "length 35 is less than minLength 36"),
            rejected(long, "config_id", "length 37 exceeds maxLength 36"),
        ]
    })
    .await;
}

#[tokio::test]
async fn page_zero_is_rejected() {
    assert_rejected_before_sending(|client| {
        let list = list_configs(client, ConfigurationListParams::new().page(0));
        vec![rejected(list, "page", "0 is less than minimum 1")]
    })
    .await;
}

#[tokio::test]
async fn per_page_must_be_between_5_and_50() {
    assert_rejected_before_sending(|client| {
        let four = || list_configs(client, ConfigurationListParams::new().per_page(4));
        let rules = client
            .token_validation()
            .rules()
            .list(ZONE, RulesListParams::new().per_page(51));
        vec![
            rejected(four(), "per_page", "4 is less than minimum 5"),
            rejected(rules, "per_page", "51 exceeds maximum 50"),
            // Streams report the same error as their only item.
            rejected_stream(four().items(), "per_page", "4 is less than minimum 5"),
        ]
    })
    .await;
}

#[tokio::test]
async fn token_sources_must_have_1_to_4_items() {
    assert_rejected_before_sending(|client| {
        let configs = client.token_validation().configuration();
        let mut body = create_request();
        body.token_sources = vec![];
        let none = configs.create(ZONE, &body);
        body.token_sources = (0..5)
            .map(|i| format!("http.request.headers[\"x-auth-{i}\"][0]"))
            .collect();
        let five = configs.create(ZONE, &body);
        let edit = EditConfigRequest::new().with_token_sources(vec![]);
        let edit_none = configs.edit(ZONE, CONFIG_ID, &edit);
        let (field, fewer) = ("body.token_sources", "has 0 items, fewer than minItems 1");
        vec![
            rejected(none, field, fewer),
            rejected(five, field, "has 5 items, more than maxItems 4"),
            rejected(edit_none, field, fewer),
        ]
    })
    .await;
}

#[tokio::test]
async fn credentials_keys_must_have_1_to_4_items() {
    assert_rejected_before_sending(|client| {
        let credentials = client.token_validation().configuration().credentials();
        let mut body = credentials_request();
        let key = body.keys[0].clone();
        body.keys = vec![];
        let none = credentials.update(ZONE, CONFIG_ID, &body);
        body.keys = vec![key; 5];
        let five = credentials.update(ZONE, CONFIG_ID, &body);
        vec![
            rejected(none, "body.keys", "has 0 items, fewer than minItems 1"),
            rejected(five, "body.keys", "has 5 items, more than maxItems 4"),
        ]
    })
    .await;
}

#[tokio::test]
async fn token_source_must_be_a_header_or_cookie_reference() {
    assert_rejected_before_sending(|client| {
        let mut body = create_request();
        body.token_sources = vec![
            "http.request.headers[\"x-auth\"][0]".to_owned(),
            "http.request.body.raw".to_owned(),
        ];
        let create = client.token_validation().configuration().create(ZONE, &body);
        vec![rejected(
            create,
            "body.token_sources[1]",
            "does not match pattern `(?:^http.request.headers\\[.*?\\]\\[\\d+\\]$)|(?:^http.request.cookies\\[.*?\\]\\[\\d+\\]$)`",
        )]
    })
    .await;
}

#[tokio::test]
async fn title_longer_than_50_is_rejected() {
    assert_rejected_before_sending(|client| {
        let configs = client.token_validation().configuration();
        let mut body = create_request();
        body.title = "t".repeat(51);
        let long = configs.create(ZONE, &body);
        // 50 characters (not bytes) is fine: 50 × 'é' is 100 bytes.
        body.title = "é".repeat(50);
        let fine = configs.create(&"z".repeat(33), &body);
        vec![
            rejected(long, "body.title", "length 51 exceeds maxLength 50"),
            rejected(fine, "zone_id", "length 33 exceeds maxLength 32"),
        ]
    })
    .await;
}

#[tokio::test]
async fn framing_and_hop_by_hop_headers_are_refused_and_nothing_is_sent() {
    let server = serve_with(Mock::given(any()), ok(envelope(json!({}))), 0).await;
    let client = client_for(&server);
    let names = [
        "Content-Length",
        "host",
        "Transfer-Encoding",
        "connection",
        "TE",
        "upgrade",
        "trailer",
        "keep-alive",
        "proxy-authorization",
        "Proxy-Connection",
    ];
    for name in names {
        let call = client
            .token_validation()
            .configuration()
            .create(ZONE, &create_request())
            .header(name, "10");
        match call.await {
            Err(Error::InvalidArgument { field, message }) => {
                assert_eq!(field, name.to_ascii_lowercase());
                assert_eq!(
                    message,
                    "sets how the message is framed or forwarded, which the HTTP client controls"
                );
            }
            other => panic!("expected InvalidArgument for `{name}`, got {other:?}"),
        }
    }
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn an_invalid_header_name_is_echoed_bounded_and_without_control_characters() {
    let server = serve_with(Mock::given(any()), ok(envelope(json!({}))), 0).await;
    let client = client_for(&server);
    let long = format!("bad\r\nname\u{1b}[31m{}", "x".repeat(100_000));
    let err = client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .header(&long, "v")
        .await
        .expect_err("not a header name");
    let Error::InvalidArgument { field, message } = &err else {
        panic!("expected InvalidArgument, got {err:?}")
    };
    assert_eq!(message, "not a valid header name");
    assert!(field.starts_with("bad  name [31mxxx"), "{field}");
    assert!(field.len() < 300, "{}", field.len());
    assert!(!err.to_string().chars().any(char::is_control), "{err}");
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn every_violation_of_a_call_is_reported_at_once() {
    assert_rejected_before_sending(|client| {
        let mut body = create_request();
        body.title = "t".repeat(51);
        body.description = "d".repeat(501);
        let create = client
            .token_validation()
            .configuration()
            .create(&"z".repeat(33), &body);
        vec![rejected(
            create,
            "zone_id",
            "length 33 exceeds maxLength 32; \
             `body.description`: length 501 exceeds maxLength 500; \
             `body.title`: length 51 exceeds maxLength 50",
        )]
    })
    .await;
}
