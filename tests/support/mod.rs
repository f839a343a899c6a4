//! Setup shared by the test binaries: the ids and paths the suites talk about, the
//! seed bodies, canned Cloudflare envelopes and responses, a recording [`Sleep`],
//! clients pointed at a wiremock server, and helpers that mount responses and check
//! how many requests a server saw; `raw` is a hand-written HTTP/1.1 server for faults
//! wiremock cannot produce.
//!
//! Each binary includes this module with `mod support;` (a binary in a folder of its
//! own, such as `behaviour/`, with `#[path = "../support/mod.rs"]`) and uses part of it.
#![allow(dead_code)]

pub mod raw;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cloudflare_token_validation::clock::Sleep;
use cloudflare_token_validation::types::{CreateConfigRequest, Rule, TokenConfiguration};
use cloudflare_token_validation::{Call, Client, ClientBuilder, ConfigurationListParams, Page};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

pub const TOKEN: &str = "test-token-9f8e7d6c5b4a";
pub const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
pub const CONFIG_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
pub const RULE_ID: &str = "0d9bf70c-92e1-4bb3-9411-34a3bcc59003";
pub const LIST_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config";
pub const CONFIG_PATH: &str =
    "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config/f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
pub const CREDENTIALS_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config/f174e90a-fafe-4643-bbbc-4a0ed4fc8415/credentials";
pub const RULES_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/rules";
pub const RULE_PATH: &str =
    "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/rules/0d9bf70c-92e1-4bb3-9411-34a3bcc59003";

pub const LIST_RESPONSE: &str = include_str!("../data/seed/list-configs-response.json");
pub const CONFIG_RESPONSE: &str = include_str!("../data/seed/create-config-response.json");
pub const CREATE_REQUEST: &str = include_str!("../data/seed/create-config-request.json");
pub const CREDENTIALS_REQUEST: &str = include_str!("../data/seed/update-credentials-request.json");
pub const CREDENTIALS_RESPONSE: &str =
    include_str!("../data/seed/update-credentials-response.json");

// ------------------------------------------------------------------- bodies

/// A seed file (or any JSON text) as a value.
pub fn json_body(text: &str) -> Value {
    serde_json::from_str(text).expect("seed files are valid JSON")
}

/// A successful Cloudflare envelope around `result`.
pub fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// A failed Cloudflare envelope listing `errors` as `(code, message)`.
pub fn error_body(errors: &[(i64, &str)]) -> Value {
    let errors: Vec<Value> = errors
        .iter()
        .map(|(code, message)| json!({"code": code, "message": message}))
        .collect();
    json!({"success": false, "errors": errors, "messages": [], "result": null})
}

/// A rule as Cloudflare's documentation shows it, with the given `action`.
pub fn rule_json(action: &str) -> Value {
    json!({
        "id": RULE_ID,
        "action": action,
        "description": "Long description for Token Validation Rule",
        "enabled": true,
        "expression": "is_jwt_valid(\"52973293-cb04-4a97-8f55-e7d2ad1107dd\")",
        "selector": {
            "exclude": [{"operation_ids": ["f9c5615e-fe15-48ce-bec6-cfc1946f1bec"]}],
            "include": [{"host": ["v1.example.com", "v2.example.com"]}]
        },
        "title": "Example Token Validation Rule",
        "created_at": "2014-01-01T05:20:00.12345Z",
        "last_updated": "2014-01-01T05:20:00.12345Z"
    })
}

// ---------------------------------------------------------------- responses

/// 200 with `body` as JSON.
pub fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// 200 with the seed file `text` as JSON.
pub fn ok_seed(text: &str) -> ResponseTemplate {
    ok(json_body(text))
}

/// `status` with a failed envelope carrying one error.
pub fn failure(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(error_body(&[(code, message)]))
}

// ------------------------------------------------------------------ clients

/// A clock that records every retry wait and returns at once.
#[derive(Debug, Default)]
pub struct RecordingSleep {
    delays: Mutex<Vec<Duration>>,
}

/// The recording clock a client was built with.
pub type Recorder = Arc<RecordingSleep>;

impl RecordingSleep {
    /// Every wait asked for so far, in order.
    pub fn delays(&self) -> Vec<Duration> {
        self.delays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.delays
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// A builder for `base_url` with the test token and `sleeper` as its clock.
pub fn builder(base_url: &str, sleeper: &Recorder) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .api_token(TOKEN)
        .sleeper(sleeper.clone())
}

/// A builder for `base_url` with the test token and a fresh recording clock.
pub fn recording_builder(base_url: &str) -> (ClientBuilder, Recorder) {
    let sleeper = Recorder::default();
    (builder(base_url, &sleeper), sleeper)
}

/// Builds a test client.
pub fn build(builder: ClientBuilder) -> Client {
    builder.build().expect("a loopback test client builds")
}

/// A client for `server` and the clock that records its retry waits.
pub fn recording_client(server: &MockServer) -> (Client, Recorder) {
    recording_client_with(server, |b| b)
}

/// Like [`recording_client`], with the builder adjusted by `configure` first.
pub fn recording_client_with(
    server: &MockServer,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Client, Recorder) {
    let (builder, sleeper) = recording_builder(&server.uri());
    (build(configure(builder)), sleeper)
}

/// A client for `server` whose retry waits take no time.
pub fn client_for(server: &MockServer) -> Client {
    recording_client(server).0
}

// -------------------------------------------------------------------- calls

/// `list` of token configurations in the test zone.
pub fn list_configs(
    client: &Client,
    params: ConfigurationListParams,
) -> Call<Page<TokenConfiguration>> {
    client.token_validation().configuration().list(ZONE, params)
}

/// `get` of the test configuration.
pub fn get_config(client: &Client) -> Call<TokenConfiguration> {
    client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
}

/// `create` of the seed configuration in the test zone: a POST.
pub fn create_config(client: &Client) -> Call<TokenConfiguration> {
    let body: CreateConfigRequest =
        serde_json::from_str(CREATE_REQUEST).expect("the seed request decodes");
    client
        .token_validation()
        .configuration()
        .create(ZONE, &body)
}

/// `get` of the test rule.
pub fn get_rule(client: &Client) -> Call<Rule> {
    client.token_validation().rules().get(ZONE, RULE_ID)
}

// ------------------------------------------------------------------- server

/// A mock for `method_ path_` requests.
pub fn on(method_: &str, path_: &str) -> MockBuilder {
    Mock::given(method(method_)).and(path(path_))
}

/// A mock for `method_ path_` requests carrying every header in `headers`.
pub fn on_with_headers(method_: &str, path_: &str, headers: &[(&str, &str)]) -> MockBuilder {
    headers
        .iter()
        .fold(on(method_, path_), |mock, (name, value)| {
            mock.and(header(*name, *value))
        })
}

/// Answers requests `mock` matches with `response`, expecting exactly `times`.
pub async fn mount_with(
    server: &MockServer,
    mock: MockBuilder,
    response: impl Respond + 'static,
    times: u64,
) {
    mock.respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

/// Answers `method_ path_` with `response`, expecting exactly `times` requests.
pub async fn mount(
    server: &MockServer,
    method_: &str,
    path_: &str,
    response: ResponseTemplate,
    times: u64,
) {
    mount_with(server, on(method_, path_), response, times).await;
}

/// Answers successive `method_ path_` requests with `responses` in order, one each.
pub async fn mount_sequence(
    server: &MockServer,
    method_: &str,
    path_: &str,
    responses: impl IntoIterator<Item = ResponseTemplate>,
) {
    for response in responses {
        on(method_, path_)
            .respond_with(response)
            .up_to_n_times(1)
            .expect(1)
            .mount(server)
            .await;
    }
}

/// A fresh server answering requests `mock` matches with `response`, expecting
/// exactly `times`.
pub async fn serve_with(
    mock: MockBuilder,
    response: impl Respond + 'static,
    times: u64,
) -> MockServer {
    let server = MockServer::start().await;
    mount_with(&server, mock, response, times).await;
    server
}

/// A fresh server answering `method_ path_` with `response`, expecting exactly
/// `times` requests.
pub async fn serve(
    method_: &str,
    path_: &str,
    response: ResponseTemplate,
    times: u64,
) -> MockServer {
    serve_with(on(method_, path_), response, times).await
}

/// The requests the server received, after checking wiremock's expectations.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.verify().await;
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Checks wiremock's expectations and that the server received exactly `expected`
/// requests; returns them.
pub async fn assert_requests(server: &MockServer, expected: usize) -> Vec<Request> {
    let received = requests(server).await;
    assert_eq!(received.len(), expected, "requests received: {received:?}");
    received
}
