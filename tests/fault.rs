//! The fault suite: how the generated Cloudflare Token Validation client behaves when
//! the network or the server misbehaves.
//!
//! Every test runs against a local server on 127.0.0.1 (wiremock, or a raw
//! `TcpListener` for broken connections), injects a recording [`Sleep`] so retry
//! waits take no real time and can be asserted, and checks the exact outcome: the
//! error variant and its details, the delays the client chose, and how many
//! requests the server saw. Covered: `Retry-After` / `retry-after-ms`, 429/5xx
//! retries, connection resets and bodies cut mid-response, per-attempt timeouts,
//! truncated / empty / non-JSON / HTML bodies, `success: false` with HTTP 200,
//! missing required fields, unknown enum values and fields, Cloudflare's 404 error
//! list, exhausted retries with jittered backoff, `x-should-retry`, and the
//! per-request and client-level retry counts.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cloudflare_token_validation::types::Action;
use cloudflare_token_validation::{Client, ClientBuilder, ConfigurationListParams, Error, Sleep};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "fault-suite-token-5e3b1c";
const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CONFIG_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const RULE_ID: &str = "0d9bf70c-92e1-4bb3-9411-34a3bcc59003";
const LIST_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config";
const CONFIG_PATH: &str =
    "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config/f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const RULE_PATH: &str =
    "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/rules/0d9bf70c-92e1-4bb3-9411-34a3bcc59003";

const LIST_RESPONSE: &str = include_str!("data/seed/list-configs-response.json");
const CONFIG_RESPONSE: &str = include_str!("data/seed/create-config-response.json");

/// A clock that records every retry wait and returns at once.
#[derive(Debug, Default)]
struct RecordingSleep {
    delays: Mutex<Vec<Duration>>,
}

impl RecordingSleep {
    fn delays(&self) -> Vec<Duration> {
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

fn builder(base_url: &str, sleeper: &Arc<RecordingSleep>) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .api_token(TOKEN)
        .sleeper(sleeper.clone())
}

fn client(server: &MockServer, sleeper: &Arc<RecordingSleep>) -> Client {
    builder(&server.uri(), sleeper)
        .build()
        .expect("a loopback test client builds")
}

fn json_body(text: &str) -> Value {
    serde_json::from_str(text).expect("seed files are valid JSON")
}

/// A rule as Cloudflare's documentation shows it, with the given `action`.
fn rule_json(action: &str) -> Value {
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

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

fn error_body(code: i64, message: &str) -> Value {
    json!({"success": false, "errors": [{"code": code, "message": message}], "messages": [], "result": null})
}

/// Mounts `first` for the first request to `path_` only, and `then` for the rest.
async fn mount_sequence(
    server: &MockServer,
    path_: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
    then_times: u64,
) {
    Mock::given(method("GET"))
        .and(path(path_))
        .respond_with(first)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(path_))
        .respond_with(then)
        .expect(then_times)
        .mount(server)
        .await;
}

/// Checks wiremock's expectations and the total number of requests it received.
async fn assert_requests(server: &MockServer, expected: usize) {
    server.verify().await;
    let received = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(received.len(), expected, "requests received: {received:?}");
}

/// Asserts a backoff wait for retry number `attempt + 1` lies in 75-100 % of
/// `min(0.5 s * 2^attempt, 8 s)`.
fn assert_backoff(delay: Duration, attempt: u32) {
    let full = (0.5 * f64::from(2u32.pow(attempt))).min(8.0);
    let secs = delay.as_secs_f64();
    assert!(
        secs >= full * 0.75 - 1e-9 && secs <= full + 1e-9,
        "retry {attempt}: {delay:?} outside [{}, {full}] s",
        full * 0.75
    );
}

fn list_params() -> ConfigurationListParams {
    ConfigurationListParams::new().per_page(5)
}

#[tokio::test]
async fn rate_limited_429_obeys_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    mount_sequence(
        &server,
        LIST_PATH,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "3")
            .set_body_json(error_body(
                971,
                "Please wait and consider throttling your request speed",
            )),
        ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)),
        1,
    )
    .await;

    let page = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect("the retry succeeds");

    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, CONFIG_ID);
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(3)]);
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn service_unavailable_503_is_retried_with_backoff() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    mount_sequence(
        &server,
        LIST_PATH,
        ResponseTemplate::new(503).set_body_json(error_body(10000, "service unavailable")),
        ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)),
        1,
    )
    .await;

    let page = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect("the retry succeeds");

    assert_eq!(page.items.len(), 1);
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 1, "{delays:?}");
    assert_backoff(delays[0], 0);
    assert_requests(&server, 2).await;
}

/// How a raw test server breaks each connection it accepts.
#[derive(Debug, Clone, Copy)]
enum Breakage {
    /// Wait for the request to arrive, then close without reading it: the kernel
    /// answers with a TCP reset because unread data is pending.
    Reset,
    /// Read the request, send headers promising 1000 bytes and a few of them, close.
    MidResponse,
}

/// Starts a server on 127.0.0.1 that breaks every connection as `breakage` says;
/// returns its base URL and a counter of accepted connections.
async fn broken_server(breakage: Breakage) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            match breakage {
                Breakage::Reset => {
                    // Errors only mean the client already went away.
                    let _ = socket.readable().await;
                    drop(socket);
                }
                Breakage::MidResponse => {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                content-length: 1000\r\n\r\n{\"success\":true,\"result\":[";
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.flush().await;
                    drop(socket);
                }
            }
        }
    });
    (format!("http://{addr}"), accepted)
}

#[tokio::test]
async fn connection_reset_is_retried_then_reported_as_transport_error() {
    let (base_url, accepted) = broken_server(Breakage::Reset).await;
    let sleeper = Arc::new(RecordingSleep::default());
    let client = builder(&base_url, &sleeper).build().expect("client builds");

    let err = client
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("every connection is reset");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(err.status(), None);
    // 1 attempt + the default 2 retries.
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 2, "{delays:?}");
    assert_backoff(delays[0], 0);
    assert_backoff(delays[1], 1);
}

#[tokio::test]
async fn connection_closed_mid_response_is_retried_then_transport_error() {
    let (base_url, accepted) = broken_server(Breakage::MidResponse).await;
    let sleeper = Arc::new(RecordingSleep::default());
    let client = builder(&base_url, &sleeper)
        .max_retries(3)
        .build()
        .expect("client builds");

    let err = client
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("every body is cut short");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.to_string().starts_with("transport error: "), "{err}");
    // 1 attempt + 3 retries.
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
    assert_eq!(sleeper.delays().len(), 3);
}

#[tokio::test]
async fn slow_response_past_the_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json_body(LIST_RESPONSE))
                .set_delay(Duration::from_secs(5)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &sleeper)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .expect("client builds");

    let err = client
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("the server is too slow");

    match &err {
        Error::Timeout { after } => assert_eq!(*after, Duration::from_millis(200)),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_timeout());
    assert_eq!(err.to_string(), "request timed out after 200ms");
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn timeouts_are_retried_and_the_last_timeout_is_returned() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json_body(LIST_RESPONSE))
                .set_delay(Duration::from_secs(5)),
        )
        .expect(3)
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &sleeper)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client builds");

    let err = client
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("every attempt is too slow");

    assert!(
        matches!(err, Error::Timeout { after } if after == Duration::from_millis(100)),
        "{err:?}"
    );
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 2, "{delays:?}");
    assert_backoff(delays[0], 0);
    assert_backoff(delays[1], 1);
    assert_requests(&server, 3).await;
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_a_snippet() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    let truncated = &CONFIG_RESPONSE[..CONFIG_RESPONSE.len() / 2];
    assert!(truncated.len() > 512, "the seed is long enough to be cut");
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(truncated, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect_err("the body is cut in half");

    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.body_snippet(), &truncated[..512]);
    assert_eq!(decode.content_type(), Some("application/json"));
    assert!(
        decode.message().starts_with("EOF while parsing"),
        "{}",
        decode.message()
    );
    assert!(
        err.to_string()
            .starts_with("invalid response body at `result"),
        "{err}"
    );
    assert!(sleeper.delays().is_empty(), "decode errors are not retried");
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn html_502_from_a_proxy_reads_plainly_after_retries() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n\
                </body>\r\n</html>\r\n";
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .expect(3)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("the proxy keeps failing");

    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status(), 502);
    assert!(api.is_server_error());
    assert!(api.errors().is_empty());
    assert_eq!(api.body_snippet(), html);
    let text = err.to_string();
    assert!(
        text.starts_with(
            "api error (status 502 Bad Gateway): text/html body: <html>  <head><title>502 Bad Gateway</title>"
        ),
        "{text}"
    );
    for serde_noise in ["expected value", "line 1 column", "invalid type"] {
        assert!(!text.contains(serde_noise), "{text}");
    }
    assert_eq!(sleeper.delays().len(), 2);
    assert_requests(&server, 3).await;
}

#[tokio::test]
async fn success_false_with_status_200_is_an_api_error() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": false,
            "errors": [
                {"code": 10001, "message": "Token configuration is invalid"},
                {"code": 10002, "message": "Credentials are missing"}
            ],
            "messages": [],
            "result": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect_err("success is false");

    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status(), 200);
    let errors: Vec<(Option<i64>, &str)> = api
        .errors()
        .iter()
        .map(|e| (e.code, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (Some(10001), "Token configuration is invalid"),
            (Some(10002), "Credentials are missing")
        ]
    );
    assert_eq!(
        err.to_string(),
        "api error (status 200 OK): Token configuration is invalid (code 10001); \
         Credentials are missing (code 10002)"
    );
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn missing_required_field_is_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    let mut rule = rule_json("block");
    rule.as_object_mut()
        .expect("a rule is an object")
        .remove("title");
    Mock::given(method("GET"))
        .and(path(RULE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(rule)))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .rules()
        .get(ZONE, RULE_ID)
        .await
        .expect_err("title is required");

    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    // A missing field is reported at the object that lacks it.
    assert_eq!(decode.path(), "result");
    assert!(
        decode.message().starts_with("missing field `title`"),
        "{}",
        decode.message()
    );
    assert!(
        err.to_string().starts_with(
            "invalid response body at `result` (status 200 OK): missing field `title`"
        ),
        "{err}"
    );
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn wrong_type_deep_inside_is_a_decode_error_with_the_full_path() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    let mut body = json_body(LIST_RESPONSE);
    body["result"][0]["token_sources"][1] = json!(42);
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("a token source is a number");

    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.path(), "result[0].token_sources[1]");
    assert!(
        decode
            .message()
            .starts_with("invalid type: integer `42`, expected a string"),
        "{}",
        decode.message()
    );
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn unknown_enum_value_is_kept_as_unknown() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(RULE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(rule_json("challenge"))))
        .expect(1)
        .mount(&server)
        .await;

    let rule = client(&server, &sleeper)
        .token_validation()
        .rules()
        .get(ZONE, RULE_ID)
        .await
        .expect("an unknown action still decodes");

    assert_eq!(rule.action, Action::Unknown("challenge".to_owned()));
    assert_eq!(rule.action.as_str(), "challenge");
    assert_eq!(rule.title, "Example Token Validation Rule");
    assert_eq!(rule.id.as_deref(), Some(RULE_ID));
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn extra_unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    let mut body = json_body(CONFIG_RESPONSE);
    body["result_info"] = json!({"trace": "abc"});
    body["result"]["risk_score"] = json!({"value": 7, "labels": ["new"]});
    body["result"]["credentials"]["keys"][0]["use"] = json!("sig");
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let expected: cloudflare_token_validation::types::TokenConfiguration =
        serde_json::from_value(json_body(CONFIG_RESPONSE)["result"].clone())
            .expect("the seed decodes");

    let config = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("extra fields do not break decoding");

    assert_eq!(config, expected);
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn empty_body_where_json_is_expected_is_a_clear_decode_error() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw("", "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect_err("nothing to decode");

    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.body_snippet(), "");
    assert_eq!(
        err.to_string(),
        "expected a JSON body but got an empty body (status 200 OK)"
    );
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn not_found_with_cloudflare_error_list_is_not_retried() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"success":false,"errors":[{"code":7003,"message":"No route for the URI"}],"messages":[],"result":null}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect_err("404");

    assert!(err.is_not_found(), "{err:?}");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status(), 404);
    assert_eq!(api.errors().len(), 1);
    assert_eq!(api.errors()[0].code, Some(7003));
    assert_eq!(api.errors()[0].message, "No route for the URI");
    assert_eq!(
        err.to_string(),
        "api error (status 404 Not Found): No route for the URI (code 7003)"
    );
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn retries_exhausted_returns_the_last_error_after_backoff() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body(10000, "internal error")))
        .expect(3)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("always 500");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        err.to_string(),
        "api error (status 500 Internal Server Error): internal error (code 10000)"
    );
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 2, "{delays:?}");
    assert!(
        (0.375..=0.5).contains(&delays[0].as_secs_f64()),
        "{delays:?}"
    );
    assert!(
        (0.75..=1.0).contains(&delays[1].as_secs_f64()),
        "{delays:?}"
    );
    assert_requests(&server, 3).await;
}

#[tokio::test]
async fn x_should_retry_false_stops_retrying_a_500() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-should-retry", "false")
                .set_body_json(error_body(10000, "internal error")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("500");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn x_should_retry_true_retries_a_400() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    mount_sequence(
        &server,
        LIST_PATH,
        ResponseTemplate::new(400)
            .insert_header("x-should-retry", "true")
            .set_body_json(error_body(10001, "try again")),
        ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)),
        1,
    )
    .await;

    let page = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect("the retry succeeds");

    assert_eq!(page.items.len(), 1);
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 1, "{delays:?}");
    assert_backoff(delays[0], 0);
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn plain_400_is_not_retried() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(error_body(10001, "bad request")))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("400");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn retry_after_ms_wins_over_retry_after() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    mount_sequence(
        &server,
        LIST_PATH,
        ResponseTemplate::new(503)
            .insert_header("retry-after-ms", "1500")
            .insert_header("retry-after", "9")
            .set_body_json(error_body(10000, "busy")),
        ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)),
        1,
    )
    .await;

    client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect("the retry succeeds");

    assert_eq!(sleeper.delays(), vec![Duration::from_millis(1500)]);
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn retry_after_over_a_minute_falls_back_to_backoff() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    mount_sequence(
        &server,
        LIST_PATH,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "3600")
            .set_body_json(error_body(971, "slow down")),
        ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)),
        1,
    )
    .await;

    client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect("the retry succeeds");

    let delays = sleeper.delays();
    assert_eq!(delays.len(), 1, "{delays:?}");
    assert_backoff(delays[0], 0);
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn per_request_max_retries_zero_sends_once() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body(10000, "busy")))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, &sleeper)
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .max_retries(0)
        .await
        .expect_err("503");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn client_level_max_retries_five_sends_six_times() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body(10000, "busy")))
        .expect(6)
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &sleeper)
        .max_retries(5)
        .build()
        .expect("client builds");

    let err = client
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .await
        .expect_err("503");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 5, "{delays:?}");
    for (attempt, delay) in (0u32..).zip(&delays) {
        assert_backoff(*delay, attempt);
    }
    assert_requests(&server, 6).await;
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client_level() {
    let server = MockServer::start().await;
    let sleeper = Arc::new(RecordingSleep::default());
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body(10000, "busy")))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &sleeper)
        .max_retries(5)
        .build()
        .expect("client builds");

    client
        .token_validation()
        .configuration()
        .list(ZONE, list_params())
        .max_retries(1)
        .await
        .expect_err("503");

    assert_eq!(sleeper.delays().len(), 1);
    assert_requests(&server, 2).await;
}
