//! Creates (POST) and edits (PATCH) under faults: sent once unless the server
//! provably did not act on them, retried freely only when the caller says so, and
//! every retry numbered in `x-retry-count`.

use std::time::Duration;

use cloudflare_token_validation::runtime as rt;
use cloudflare_token_validation::{ClientBuilder, Error};
use serde_json::Value;
use wiremock::{MockServer, ResponseTemplate};

use super::support::raw::{self, Reply};
use super::support::{
    assert_requests, build, create_config, failure, mount_sequence, ok_seed, recording_builder,
    recording_client_with, serve, CONFIG_RESPONSE, LIST_PATH,
};
use super::{api_error, status};

/// Makes one create against a fresh server answering every POST with `response`,
/// with a client `configure` adjusts; checks the server saw exactly `requests`.
async fn create_against(
    response: ResponseTemplate,
    requests: usize,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Result<(), Error>, Vec<Duration>) {
    let server = serve("POST", LIST_PATH, response, requests as u64).await;
    let (client, sleeper) = recording_client_with(&server, configure);
    let result = create_config(&client).await.map(drop);
    assert_requests(&server, requests).await;
    (result, sleeper.delays())
}

#[tokio::test]
async fn create_closed_after_the_request_was_read_is_sent_once() {
    let server = raw::start(|_| Reply::Close).await;
    let (builder, sleeper) = recording_builder(&server.url);
    let err = create_config(&build(builder))
        .await
        .expect_err("the server never answers");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.seen.requests(), 1);
    assert_eq!(server.seen.connections(), 1);
    assert!(sleeper.delays().is_empty());
}

#[tokio::test]
async fn create_answered_500_is_sent_once() {
    let (result, delays) = create_against(failure(500, 10000, "internal"), 1, |b| b).await;
    assert_eq!(status(&result.expect_err("500")), Some(500));
    assert!(delays.is_empty());
}

#[tokio::test]
async fn create_answered_409_is_sent_once() {
    let (result, delays) = create_against(failure(409, 10009, "conflict"), 1, |b| b).await;
    let err = result.expect_err("409");
    assert!(api_error(&err).is_conflict(), "{err:?}");
    assert!(delays.is_empty());
}

#[tokio::test]
async fn create_timing_out_after_sending_is_sent_once() {
    let slow = ok_seed(CONFIG_RESPONSE).set_delay(Duration::from_secs(5));
    let configure = |b: ClientBuilder| b.timeout(Duration::from_millis(200));
    let (result, delays) = create_against(slow, 1, configure).await;
    let err = result.expect_err("too slow");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(delays.is_empty());
}

#[tokio::test]
async fn create_answered_503_without_retry_after_is_sent_once() {
    let (result, _) = create_against(failure(503, 10000, "busy"), 1, |b| b).await;
    assert_eq!(status(&result.expect_err("503")), Some(503));
}

/// Answers the first create with `first` and the next with the seed configuration;
/// returns the request heads and waits.
async fn create_after_one_retry(
    first: ResponseTemplate,
) -> (Vec<wiremock::Request>, Vec<Duration>) {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "POST",
        LIST_PATH,
        [first, ok_seed(CONFIG_RESPONSE)],
    )
    .await;
    let (client, sleeper) = recording_client_with(&server, |b| b);
    create_config(&client).await.expect("the retry succeeds");
    (assert_requests(&server, 2).await, sleeper.delays())
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn create_answered_429_is_retried_and_the_retry_is_numbered() {
    let (requests, delays) =
        create_after_one_retry(failure(429, 971, "slow down").insert_header("retry-after", "2"))
            .await;
    assert_eq!(delays, vec![Duration::from_secs(2)]);
    assert_eq!(header(&requests[0], "x-retry-count"), None);
    assert_eq!(header(&requests[1], "x-retry-count"), Some("1"));
}

#[tokio::test]
async fn create_answered_503_with_retry_after_is_retried() {
    let busy = failure(503, 10000, "busy").insert_header("retry-after", "1");
    let (_, delays) = create_after_one_retry(busy).await;
    assert_eq!(delays, vec![Duration::from_secs(1)]);
}

#[tokio::test]
async fn create_answered_500_with_x_should_retry_true_is_retried() {
    let (_, delays) = create_after_one_retry(
        failure(500, 10000, "retry me").insert_header("x-should-retry", "true"),
    )
    .await;
    assert_eq!(delays.len(), 1);
}

#[tokio::test]
async fn create_that_cannot_connect_is_retried() {
    // A port that was just free: nothing listens, so nothing was sent.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let (builder, sleeper) = recording_builder(&format!("http://127.0.0.1:{port}"));
    let err = create_config(&build(builder))
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(sleeper.delays().len(), 2, "1 attempt + 2 retries");
}

#[tokio::test]
async fn full_retries_per_client_and_per_call() {
    let internal = || failure(500, 10000, "internal");
    let (result, delays) = create_against(internal(), 3, |b| b.retry_non_idempotent(true)).await;
    assert_eq!(status(&result.expect_err("500")), Some(500));
    assert_eq!(delays.len(), 2);

    let server = serve("POST", LIST_PATH, internal(), 3).await;
    let (client, _) = recording_client_with(&server, |b| b);
    create_config(&client)
        .retry_non_idempotent(true)
        .await
        .expect_err("500");
    assert_requests(&server, 3).await;

    let server = serve("POST", LIST_PATH, internal(), 1).await;
    let (client, _) = recording_client_with(&server, |b| b.retry_non_idempotent(true));
    create_config(&client)
        .retry_non_idempotent(false)
        .await
        .expect_err("500");
    assert_requests(&server, 1).await;
}

/// A POST built as generated code would build an operation that declares an
/// idempotency key header.
fn keyed_post(client: &rt::Client) -> rt::Call<Value> {
    let request = rt::Request::new(rt::Method::POST, "/things").idempotency_key("Idempotency-Key");
    client.call(request, rt::decode::body)
}

#[tokio::test]
async fn an_idempotency_key_is_sent_once_per_call_and_reused_by_its_retries() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "POST",
        "/things",
        [
            ResponseTemplate::new(500),
            ResponseTemplate::new(500),
            ResponseTemplate::new(200).set_body_string("{}"),
            ResponseTemplate::new(200).set_body_string("{}"),
        ],
    )
    .await;
    let (client, _) = recording_client_with(&server, |b| b);
    keyed_post(&client)
        .await
        .expect("the second retry succeeds");
    keyed_post(&client).await.expect("succeeds at once");
    let requests = assert_requests(&server, 4).await;
    let keys: Vec<&str> = requests
        .iter()
        .map(|r| header(r, "idempotency-key").expect("every attempt has a key"))
        .collect();
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2]);
    assert_ne!(keys[2], keys[3], "a new call has a new key");
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
    let declared = rt::Request::new(rt::Method::POST, "/things").idempotent();
    let server = serve("POST", "/things", ResponseTemplate::new(500), 3).await;
    let (client, _) = recording_client_with(&server, |b| b);
    client
        .call(declared, rt::decode::body::<Value>)
        .await
        .expect_err("500");
    assert_requests(&server, 3).await;
}

/// A spec with a POST per extension, each set to `value` as YAML.
fn spec_with(idempotent: &str, key: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: Retries, version: 1.0.0}}
servers: [{{url: 'https://api.example.com'}}]
paths:
  /a:
    post:
      operationId: declared
      x-sdk-idempotent: {idempotent}
      responses: {{'204': {{description: done}}}}
  /b:
    post:
      operationId: keyed
      x-sdk-idempotency-key: {key}
      responses: {{'204': {{description: done}}}}
"
    )
}

fn codegen_settings() -> codegen::Settings {
    codegen::Settings {
        crate_name: "retries".to_owned(),
        crate_version: Some("0.1.0".to_owned()),
        description: "retries".to_owned(),
        command: "cargo test --test fault".to_owned(),
        standalone: true,
        resource_features: codegen::ResourceFeatures::Auto,
    }
}

#[test]
fn the_spec_extensions_reach_the_emitted_requests() {
    let out = codegen::generate(
        &spec_with("true", "Idempotency-Key"),
        "retries.yaml",
        &codegen_settings(),
    )
    .expect("generates");
    let client = out
        .files
        .values()
        .find(|t| t.contains("fn keyed"))
        .expect("client file");
    assert!(client.contains(".idempotent()"), "{client}");
    assert!(
        client.contains(".idempotency_key(\"Idempotency-Key\")"),
        "{client}"
    );

    let err = codegen::generate(
        &spec_with("yes", "'a b'"),
        "retries.yaml",
        &codegen_settings(),
    )
    .expect_err("both values are invalid")
    .to_string();
    assert!(
        err.contains("`x-sdk-idempotent` must be a boolean, found a string"),
        "{err}"
    );
    assert!(err.contains("`a b` is not a valid header name"), "{err}");
    assert!(err.contains("#/paths/~1a/post/x-sdk-idempotent"), "{err}");
}
