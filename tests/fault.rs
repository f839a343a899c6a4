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
//! per-request and client-level retry counts. `creates` covers POST and PATCH (sent
//! once unless provably unprocessed, idempotency keys, `x-retry-count`); `edges` the
//! smaller findings (every HTTP-date form, empty and 204 bodies, non-JSON bytes,
//! control characters in server text).
//!
//! [`Sleep`]: cloudflare_token_validation::clock::Sleep

mod support;

#[path = "fault/creates.rs"]
mod creates;
#[path = "fault/edges.rs"]
mod edges;

use std::convert::identity;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cloudflare_token_validation::types::{Action, TokenConfiguration};
use cloudflare_token_validation::{
    ApiError, Call, Client, ClientBuilder, ConfigurationListParams, DecodeError, Error, Page,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::{MockServer, ResponseTemplate};

use support::{
    assert_requests, build, envelope, error_body, failure, get_config, get_rule, json_body,
    list_configs, mount_sequence, ok, ok_seed, recording_builder, recording_client,
    recording_client_with, rule_json, serve, CONFIG_ID, CONFIG_PATH, CONFIG_RESPONSE, LIST_PATH,
    LIST_RESPONSE, RULE_ID, RULE_PATH,
};

type ListCall = Call<Page<TokenConfiguration>>;

/// The list call every list test makes.
fn list(client: &Client) -> ListCall {
    list_configs(client, ConfigurationListParams::new().per_page(5))
}

/// Serves `response` to every `GET path_`, makes the call `call` builds with a
/// recording client that `configure` adjusts, and checks the server then saw exactly
/// `requests` requests. Returns the outcome and the waits the client chose.
async fn against<T: Send + 'static>(
    path_: &str,
    response: ResponseTemplate,
    requests: u64,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    call: impl FnOnce(&Client) -> Call<T>,
) -> (Result<T, Error>, Vec<Duration>) {
    let server = serve("GET", path_, response, requests).await;
    let (client, sleeper) = recording_client_with(&server, configure);
    let result = call(&client).await;
    let expected = usize::try_from(requests).expect("a small request count");
    assert_requests(&server, expected).await;
    (result, sleeper.delays())
}

/// Answers the first list request with `first` and the retry with the seed list;
/// checks the retry returned the seed page after exactly two requests, and returns
/// the waits the client chose.
async fn list_after_one_retry(first: ResponseTemplate) -> Vec<Duration> {
    let server = MockServer::start().await;
    mount_sequence(&server, "GET", LIST_PATH, [first, ok_seed(LIST_RESPONSE)]).await;
    let (client, sleeper) = recording_client(&server);

    let page = list(&client).await.expect("the retry succeeds");

    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, CONFIG_ID);
    assert_requests(&server, 2).await;
    sleeper.delays()
}

/// A 200 with `text` as a JSON body, verbatim.
/// How errors of the list call begin: its operation, method and path template.
const LIST_OPERATION: &str =
    "`token-validation-config-list` (GET /zones/{zone_id}/token_validation/config): ";

/// An error's `Display` without the operation it begins with (asserted elsewhere), so
/// that assertions read as the detail they are about.
fn detail(err: &Error) -> String {
    let text = err.to_string();
    match err.operation() {
        Some(op) => text
            .strip_prefix(&format!("{op}: "))
            .unwrap_or(&text)
            .to_owned(),
        None => text,
    }
}

fn raw_json(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text, "application/json")
}

/// The seed list, answered after 5 s.
fn slow_list() -> ResponseTemplate {
    ok_seed(LIST_RESPONSE).set_delay(Duration::from_secs(5))
}

fn decode_error(err: &Error) -> &DecodeError {
    let Error::Decode(decode) = err else {
        panic!("expected a decode error, got {err:?}")
    };
    decode
}

fn api_error(err: &Error) -> &ApiError {
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}")
    };
    api
}

fn status(err: &Error) -> Option<u16> {
    err.status().map(|s| s.as_u16())
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

/// Asserts there were exactly `count` waits, each a backoff for its retry.
fn assert_backoffs(delays: &[Duration], count: usize) {
    assert_eq!(delays.len(), count, "{delays:?}");
    for (attempt, delay) in (0u32..).zip(delays) {
        assert_backoff(*delay, attempt);
    }
}

#[tokio::test]
async fn rate_limited_429_obeys_retry_after_then_succeeds() {
    let first = failure(
        429,
        971,
        "Please wait and consider throttling your request speed",
    )
    .insert_header("retry-after", "3");
    assert_eq!(
        list_after_one_retry(first).await,
        vec![Duration::from_secs(3)]
    );
}

#[tokio::test]
async fn service_unavailable_503_is_retried_with_backoff() {
    let first = failure(503, 10000, "service unavailable");
    assert_backoffs(&list_after_one_retry(first).await, 1);
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

/// Lists from a server that breaks every connection as `breakage` says, with a
/// recording client `configure` adjusts; returns the error, how many connections the
/// server accepted, and the waits the client chose.
async fn list_from_broken(
    breakage: Breakage,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Error, usize, Vec<Duration>) {
    let (base_url, accepted) = broken_server(breakage).await;
    let (builder, sleeper) = recording_builder(&base_url);
    let err = list(&build(configure(builder)))
        .await
        .expect_err("every connection breaks");
    (err, accepted.load(Ordering::SeqCst), sleeper.delays())
}

#[tokio::test]
async fn connection_reset_is_retried_then_reported_as_transport_error() {
    let (err, accepted, delays) = list_from_broken(Breakage::Reset, identity).await;

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(err.status(), None);
    // The operation, method and path template, then the whole cause chain.
    let text = err.to_string();
    assert!(text.starts_with(LIST_OPERATION), "{text}");
    assert!(
        text.contains(": transport error: error sending request: "),
        "{text}"
    );
    assert_eq!(
        err.operation().map(|op| op.id()),
        Some("token-validation-config-list")
    );
    // 1 attempt + the default 2 retries.
    assert_eq!(accepted, 3);
    assert_backoffs(&delays, 2);
}

#[tokio::test]
async fn connection_closed_mid_response_is_retried_then_transport_error() {
    let (err, accepted, delays) =
        list_from_broken(Breakage::MidResponse, |b| b.max_retries(3)).await;

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("{LIST_OPERATION}transport error: ")),
        "{err}"
    );
    // 1 attempt + 3 retries.
    assert_eq!(accepted, 4);
    assert_eq!(delays.len(), 3);
}

#[tokio::test]
async fn slow_response_past_the_timeout_is_a_timeout_error() {
    let configure = |b: ClientBuilder| b.timeout(Duration::from_millis(200)).max_retries(0);
    let (result, delays) = against(LIST_PATH, slow_list(), 1, configure, list).await;
    let err = result.expect_err("the server is too slow");

    match &err {
        Error::Timeout { after, .. } => assert_eq!(*after, Duration::from_millis(200)),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_timeout());
    assert_eq!(
        err.to_string(),
        format!("{LIST_OPERATION}timed out after 200ms per attempt, 1 attempt made")
    );
    assert!(delays.is_empty());
}

#[tokio::test]
async fn timeouts_are_retried_and_the_last_timeout_is_returned() {
    let configure = |b: ClientBuilder| b.timeout(Duration::from_millis(100));
    let (result, delays) = against(LIST_PATH, slow_list(), 3, configure, list).await;
    let err = result.expect_err("every attempt is too slow");

    assert!(
        matches!(err, Error::Timeout { after, attempts: 3, .. } if after == Duration::from_millis(100)),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("timed out after 100ms per attempt, 3 attempts made"),
        "{err}"
    );
    assert_backoffs(&delays, 2);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_a_snippet() {
    let truncated = &CONFIG_RESPONSE[..CONFIG_RESPONSE.len() / 2];
    assert!(truncated.len() > 512, "the seed is long enough to be cut");
    let (result, delays) = against(CONFIG_PATH, raw_json(truncated), 1, identity, get_config).await;
    let err = result.expect_err("the body is cut in half");

    let decode = decode_error(&err);
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.body_snippet(), &truncated[..512]);
    assert_eq!(decode.content_type(), Some("application/json"));
    assert!(
        decode.message().starts_with("EOF while parsing"),
        "{}",
        decode.message()
    );
    assert!(
        detail(&err).starts_with("invalid response body at `result"),
        "{err}"
    );
    assert!(delays.is_empty(), "decode errors are not retried");
}

#[tokio::test]
async fn html_502_from_a_proxy_reads_plainly_after_retries() {
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n\
                </body>\r\n</html>\r\n";
    let bad_gateway = ResponseTemplate::new(502).set_body_raw(html, "text/html");
    let (result, delays) = against(LIST_PATH, bad_gateway, 3, identity, list).await;
    let err = result.expect_err("the proxy keeps failing");

    let api = api_error(&err);
    assert_eq!(api.status(), 502);
    assert_eq!(
        api.operation().map(|op| op.path()),
        Some("/zones/{zone_id}/token_validation/config")
    );
    assert!(api.is_server_error());
    assert!(api.errors().is_empty());
    assert_eq!(api.body_snippet(), html);
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{LIST_OPERATION}api error (status 502 Bad Gateway): text/html body: <html>  <head><title>502 Bad Gateway</title>"
        )),
        "{text}"
    );
    for serde_noise in ["expected value", "line 1 column", "invalid type"] {
        assert!(!text.contains(serde_noise), "{text}");
    }
    assert_eq!(delays.len(), 2);
}

#[tokio::test]
async fn success_false_with_status_200_is_an_api_error() {
    let body = error_body(&[
        (10001, "Token configuration is invalid"),
        (10002, "Credentials are missing"),
    ]);
    let (result, delays) = against(CONFIG_PATH, ok(body), 1, identity, get_config).await;
    let err = result.expect_err("success is false");

    let api = api_error(&err);
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
        detail(&err),
        "api error (status 200 OK): Token configuration is invalid (code 10001); \
         Credentials are missing (code 10002)"
    );
    assert!(delays.is_empty());
}

#[tokio::test]
async fn missing_required_field_is_a_decode_error_naming_the_path() {
    let mut rule = rule_json("block");
    rule.as_object_mut()
        .expect("a rule is an object")
        .remove("title");
    let (result, _) = against(RULE_PATH, ok(envelope(rule)), 1, identity, get_rule).await;
    let err = result.expect_err("title is required");

    let decode = decode_error(&err);
    // A missing field is reported at the object that lacks it.
    assert_eq!(decode.path(), "result");
    assert!(
        decode.message().starts_with("missing field `title`"),
        "{}",
        decode.message()
    );
    assert!(
        detail(&err).starts_with(
            "invalid response body at `result` (status 200 OK): missing field `title`"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn wrong_type_deep_inside_is_a_decode_error_with_the_full_path() {
    let mut body = json_body(LIST_RESPONSE);
    body["result"][0]["token_sources"][1] = json!(42);
    let (result, _) = against(LIST_PATH, ok(body), 1, identity, list).await;
    let err = result.expect_err("a token source is a number");

    let decode = decode_error(&err);
    assert_eq!(decode.path(), "result[0].token_sources[1]");
    assert!(
        decode
            .message()
            .starts_with("invalid type: integer `42`, expected a string"),
        "{}",
        decode.message()
    );
}

#[tokio::test]
async fn unknown_enum_value_is_kept_as_unknown() {
    let body = envelope(rule_json("challenge"));
    let (result, _) = against(RULE_PATH, ok(body), 1, identity, get_rule).await;
    let rule = result.expect("an unknown action still decodes");

    assert_eq!(rule.action, Action::Unknown("challenge".to_owned()));
    assert_eq!(rule.action.as_str(), "challenge");
    assert_eq!(rule.title, "Example Token Validation Rule");
    assert_eq!(rule.id, RULE_ID);
}

#[tokio::test]
async fn extra_unknown_fields_are_ignored() {
    let mut body = json_body(CONFIG_RESPONSE);
    body["result_info"] = json!({"trace": "abc"});
    body["result"]["risk_score"] = json!({"value": 7, "labels": ["new"]});
    body["result"]["credentials"]["keys"][0]["use"] = json!("sig");
    let expected: TokenConfiguration =
        serde_json::from_value(json_body(CONFIG_RESPONSE)["result"].clone())
            .expect("the seed decodes");

    let (result, _) = against(CONFIG_PATH, ok(body), 1, identity, get_config).await;

    assert_eq!(
        result.expect("extra fields do not break decoding"),
        expected
    );
}

#[tokio::test]
async fn empty_body_where_json_is_expected_is_a_clear_decode_error() {
    let (result, _) = against(CONFIG_PATH, raw_json(""), 1, identity, get_config).await;
    let err = result.expect_err("nothing to decode");

    assert_eq!(decode_error(&err).body_snippet(), "");
    assert_eq!(
        detail(&err),
        "expected a JSON body but got an empty body (status 200 OK)"
    );
}

#[tokio::test]
async fn not_found_with_cloudflare_error_list_is_not_retried() {
    let not_found = failure(404, 7003, "No route for the URI");
    let (result, delays) = against(CONFIG_PATH, not_found, 1, identity, get_config).await;
    let err = result.expect_err("404");

    assert!(err.is_not_found(), "{err:?}");
    let api = api_error(&err);
    assert_eq!(api.status(), 404);
    assert_eq!(api.errors().len(), 1);
    assert_eq!(api.errors()[0].code, Some(7003));
    assert_eq!(api.errors()[0].message, "No route for the URI");
    assert_eq!(
        detail(&err),
        "api error (status 404 Not Found): No route for the URI (code 7003)"
    );
    assert!(delays.is_empty());
}

#[tokio::test]
async fn retries_exhausted_returns_the_last_error_after_backoff() {
    let internal = failure(500, 10000, "internal error");
    let (result, delays) = against(LIST_PATH, internal, 3, identity, list).await;
    let err = result.expect_err("always 500");

    assert_eq!(status(&err), Some(500));
    assert_eq!(
        detail(&err),
        "api error (status 500 Internal Server Error): internal error (code 10000)"
    );
    assert_eq!(delays.len(), 2, "{delays:?}");
    assert!(
        (0.375..=0.5).contains(&delays[0].as_secs_f64()),
        "{delays:?}"
    );
    assert!(
        (0.75..=1.0).contains(&delays[1].as_secs_f64()),
        "{delays:?}"
    );
}

#[tokio::test]
async fn x_should_retry_false_stops_retrying_a_500() {
    let internal = failure(500, 10000, "internal error").insert_header("x-should-retry", "false");
    let (result, delays) = against(LIST_PATH, internal, 1, identity, list).await;

    assert_eq!(status(&result.expect_err("500")), Some(500));
    assert!(delays.is_empty());
}

#[tokio::test]
async fn x_should_retry_true_retries_a_400() {
    let first = failure(400, 10001, "try again").insert_header("x-should-retry", "true");
    assert_backoffs(&list_after_one_retry(first).await, 1);
}

#[tokio::test]
async fn plain_400_is_not_retried() {
    let bad_request = failure(400, 10001, "bad request");
    let (result, delays) = against(LIST_PATH, bad_request, 1, identity, list).await;

    assert_eq!(status(&result.expect_err("400")), Some(400));
    assert!(delays.is_empty());
}

#[tokio::test]
async fn retry_after_ms_wins_over_retry_after() {
    let first = failure(503, 10000, "busy")
        .insert_header("retry-after-ms", "1500")
        .insert_header("retry-after", "9");
    assert_eq!(
        list_after_one_retry(first).await,
        vec![Duration::from_millis(1500)]
    );
}

#[tokio::test]
async fn retry_after_over_a_minute_falls_back_to_backoff() {
    let first = failure(429, 971, "slow down").insert_header("retry-after", "3600");
    assert_backoffs(&list_after_one_retry(first).await, 1);
}

#[tokio::test]
async fn per_request_max_retries_zero_sends_once() {
    let busy = failure(503, 10000, "busy");
    let once = |c: &Client| list(c).max_retries(0);
    let (result, delays) = against(LIST_PATH, busy, 1, identity, once).await;

    assert_eq!(status(&result.expect_err("503")), Some(503));
    assert!(delays.is_empty());
}

#[tokio::test]
async fn client_level_max_retries_five_sends_six_times() {
    let busy = failure(503, 10000, "busy");
    let (result, delays) = against(LIST_PATH, busy, 6, |b| b.max_retries(5), list).await;

    assert_eq!(status(&result.expect_err("503")), Some(503));
    assert_backoffs(&delays, 5);
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client_level() {
    let busy = failure(503, 10000, "busy");
    let twice = |c: &Client| list(c).max_retries(1);
    let (result, delays) = against(LIST_PATH, busy, 2, |b| b.max_retries(5), twice).await;

    result.expect_err("503");
    assert_eq!(delays.len(), 1);
}
