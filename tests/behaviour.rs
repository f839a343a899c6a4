//! Every client behaviour that is not a fault: configuration (`from_env`, base URL
//! rules, a caller's own HTTP client), authentication headers, secrets kept out of
//! `Debug`/`Display`/tracing, client-side validation (nothing is sent), path and
//! query encoding, pagination (`Page`, `.pages()`, `.items()`, and the guards
//! against servers that never end), raw responses (`.with_response()`),
//! per-request timeouts, and how each operation unwraps the Cloudflare envelope.
//!
//! Servers are wiremock instances on 127.0.0.1 (or a closed loopback port), every
//! test asserts how many requests the server saw, and retry waits go through a
//! recording [`Sleep`] that returns at once.
//!
//! [`Sleep`]: cloudflare_token_validation::Sleep

mod support;

use std::fmt::Debug;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cloudflare_token_validation::types::{
    CreateConfigRequest, CredentialsRequest, EditConfigRequest, TokenConfiguration,
};
use cloudflare_token_validation::{
    Call, Client, ClientBuilder, ConfigurationListParams, Error, Page, RulesListParams,
};
use futures_util::future::BoxFuture;
use futures_util::{Stream, StreamExt};
use serde_json::{json, Value};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{any, body_json, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use support::{
    assert_requests, build, builder, client_for, envelope, failure, get_config, json_body,
    list_configs, mount, mount_sequence, mount_with, ok, ok_seed, on, on_with_headers,
    recording_builder, rule_json, serve, serve_with, Recorder, CONFIG_ID, CONFIG_PATH,
    CONFIG_RESPONSE, CREATE_REQUEST, CREDENTIALS_PATH, CREDENTIALS_REQUEST, CREDENTIALS_RESPONSE,
    LIST_PATH, LIST_RESPONSE, RULES_PATH, RULE_ID, RULE_PATH, TOKEN, ZONE,
};

const EMAIL: &str = "user@example.com";
const API_KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
const NO_CREDENTIALS: &str =
    "no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY";

// ---------------------------------------------------------------------------
// helpers

/// The seed configuration with its title replaced, as one list item.
fn config_item(title: &str) -> Value {
    let mut item = json_body(LIST_RESPONSE)["result"][0].clone();
    item["title"] = json!(title);
    item
}

fn list_body(titles: &[&str], result_info: Option<Value>) -> Value {
    let items: Vec<Value> = titles.iter().map(|t| config_item(t)).collect();
    let mut body = envelope(json!(items));
    if let Some(info) = result_info {
        body["result_info"] = info;
    }
    body
}

/// A server answering `GET` of the test configuration with `response` once, if the
/// request carries every header in `headers`.
async fn config_server(headers: &[(&str, &str)], response: ResponseTemplate) -> MockServer {
    serve_with(on_with_headers("GET", CONFIG_PATH, headers), response, 1).await
}

/// A builder for `base_url` with the test token and nothing else.
fn with_token(base_url: &str) -> ClientBuilder {
    Client::builder().base_url(base_url).api_token(TOKEN)
}

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

fn assert_config_error<T: Debug>(result: Result<T, Error>, expected: &str) {
    match result {
        Err(Error::Config(message)) => assert_eq!(message, expected),
        other => panic!("expected Config error `{expected}`, got {other:?}"),
    }
}

fn create_request() -> CreateConfigRequest {
    serde_json::from_str(CREATE_REQUEST).expect("the seed request decodes")
}

fn credentials_request() -> CredentialsRequest {
    serde_json::from_str(CREDENTIALS_REQUEST).expect("the seed request decodes")
}

fn header_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

// ---------------------------------------------------------------------------
// configuration

/// Restores the environment variables it saved when dropped, even on panic.
struct EnvGuard {
    saved: Vec<(&'static str, Option<String>)>,
}

impl EnvGuard {
    fn save(names: &[&'static str]) -> Self {
        EnvGuard {
            saved: names.iter().map(|n| (*n, std::env::var(n).ok())).collect(),
        }
    }

    fn set(&self, vars: &[(&str, Option<&str>)]) {
        for (name, _) in &self.saved {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            if let Some(value) = value {
                std::env::set_var(name, value);
            }
        }
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// All environment-variable cases live in this one test: the environment is
/// process-global, and no other test in this binary reads it.
#[tokio::test]
async fn from_env_reads_credentials_and_base_url() {
    const T: &str = "CLOUDFLARE_API_TOKEN";
    const E: &str = "CLOUDFLARE_EMAIL";
    const K: &str = "CLOUDFLARE_API_KEY";
    const B: &str = "CLOUDFLARE_BASE_URL";
    let env = EnvGuard::save(&[T, E, K, B]);
    let server = MockServer::start().await;
    for auth in [
        &[("authorization", "Bearer env-token")][..],
        &[
            ("x-auth-email", "env@example.com"),
            ("x-auth-key", "env-key"),
        ],
        &[("authorization", "Bearer explicit-token")],
    ] {
        let mock = on_with_headers("GET", CONFIG_PATH, auth);
        mount_with(&server, mock, ok_seed(CONFIG_RESPONSE), 1).await;
    }
    let uri = server.uri();

    // Nothing set: the error names every variable that would do.
    env.set(&[]);
    assert_config_error(Client::from_env(), NO_CREDENTIALS);
    // Empty values count as unset; half of email + key is not enough.
    env.set(&[(T, Some("")), (E, Some("env@example.com"))]);
    assert_config_error(Client::from_env(), NO_CREDENTIALS);

    // A token alone: the default base URL.
    env.set(&[(T, Some("env-token"))]);
    let client = Client::from_env().expect("token from env");
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");

    // Token and base URL (trailing slash trimmed): bearer auth against the server.
    env.set(&[(T, Some("env-token")), (B, Some(&format!("{uri}/")))]);
    let client = Client::from_env().expect("token and base url from env");
    assert_eq!(client.base_url(), uri);
    get_config(&client).await.expect("bearer from env");

    // Email and key.
    env.set(&[
        (E, Some("env@example.com")),
        (K, Some("env-key")),
        (B, Some(&uri)),
    ]);
    let client = Client::from_env().expect("email and key from env");
    get_config(&client).await.expect("email and key from env");

    // Values set on the builder win over the environment.
    env.set(&[
        (T, Some("env-token")),
        (B, Some("https://elsewhere.example")),
    ]);
    let client = Client::builder()
        .base_url(&uri)
        .api_token("explicit-token")
        .from_env()
        .build()
        .expect("explicit values");
    assert_eq!(client.base_url(), uri);
    get_config(&client).await.expect("explicit token");

    // A plain-http, non-loopback base URL from the environment is refused too.
    env.set(&[(T, Some("env-token")), (B, Some("http://api.example.com"))]);
    let err = Client::from_env().expect_err("insecure base url");
    assert!(
        matches!(&err, Error::Config(m) if m.starts_with("refusing plain http base url `http://api.example.com/`")),
        "{err:?}"
    );

    drop(env);
    let received = assert_requests(&server, 3).await;
    assert_eq!(
        header_value(&received[1], "authorization"),
        None,
        "email + key sends no bearer"
    );
}

#[test]
fn no_credentials_is_a_config_error_naming_what_to_set() {
    assert_config_error(
        Client::builder().base_url("http://127.0.0.1:1").build(),
        NO_CREDENTIALS,
    );
    assert_config_error(Client::builder().api_email(EMAIL).build(), NO_CREDENTIALS);
    assert_config_error(
        Client::builder()
            .credential("user_service_key", "x")
            .build(),
        "unknown credential `user_service_key`; expected one of: api_email, api_key, api_token",
    );
}

#[test]
fn base_url_defaults_to_cloudflare() {
    let client = Client::builder()
        .api_token(TOKEN)
        .build()
        .expect("token only");
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");
}

#[test]
fn plain_http_to_a_remote_host_needs_opting_in() {
    assert_config_error(
        with_token("http://api.example.com/client/v4").build(),
        "refusing plain http base url `http://api.example.com/client/v4`: credentials would \
         travel unencrypted; use https, or ClientBuilder::allow_insecure_http(true)",
    );
    let client = with_token("http://api.example.com/client/v4/")
        .allow_insecure_http(true)
        .build()
        .expect("opted in");
    assert_eq!(client.base_url(), "http://api.example.com/client/v4");
    for loopback in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
    ] {
        let client = with_token(loopback)
            .build()
            .expect("loopback http is allowed");
        assert_eq!(client.base_url(), loopback);
    }
    assert_config_error(
        with_token("ftp://127.0.0.1").build(),
        "unsupported base url scheme `ftp`",
    );
}

#[tokio::test]
async fn a_callers_own_http_client_is_used() {
    let bearer = format!("Bearer {TOKEN}");
    let headers = [
        ("x-from-callers-client", "yes"),
        ("authorization", bearer.as_str()),
    ];
    let server = config_server(&headers, ok_seed(CONFIG_RESPONSE)).await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert(
        "x-from-callers-client",
        reqwest::header::HeaderValue::from_static("yes"),
    );
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .expect("reqwest client");
    let client = build(with_token(&server.uri()).http_client(http));

    get_config(&client)
        .await
        .expect("the caller's client sends the request");

    assert_requests(&server, 1).await;
}

// ---------------------------------------------------------------------------
// authentication

#[tokio::test]
async fn bearer_token_sends_authorization_header() {
    let bearer = format!("Bearer {TOKEN}");
    let headers = [("authorization", bearer.as_str())];
    let server = config_server(&headers, ok_seed(CONFIG_RESPONSE)).await;

    get_config(&client_for(&server)).await.expect("authorized");

    let received = assert_requests(&server, 1).await;
    assert_eq!(header_value(&received[0], "x-auth-email"), None);
    assert_eq!(header_value(&received[0], "x-auth-key"), None);
    assert_eq!(
        header_value(&received[0], "accept"),
        Some("application/json")
    );
}

#[tokio::test]
async fn email_and_key_send_both_headers() {
    let headers = [("x-auth-email", EMAIL), ("x-auth-key", API_KEY)];
    let server = config_server(&headers, ok_seed(CONFIG_RESPONSE)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_email(EMAIL)
        .api_key(API_KEY)
        .build()
        .expect("email + key");

    get_config(&client).await.expect("authorized");

    let received = assert_requests(&server, 1).await;
    assert_eq!(header_value(&received[0], "authorization"), None);
}

// ---------------------------------------------------------------------------
// secrets

const SECRET_TOKEN: &str = "tok-SECRET-a1b2c3d4e5";
const SECRET_KEY: &str = "key-SECRET-f6e5d4c3b2";

fn assert_no_secret(what: &str, text: &str) {
    for secret in [SECRET_TOKEN, SECRET_KEY, "SECRET"] {
        assert!(!text.contains(secret), "{what} leaks `{secret}`: {text}");
    }
}

/// Formats an error with `{:?}`, `{}` and every source in its chain.
fn assert_error_has_no_secret(what: &str, err: &Error) {
    assert_no_secret(what, &format!("{err:?}"));
    assert_no_secret(what, &err.to_string());
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        assert_no_secret(what, &format!("{inner} {inner:?}"));
        source = inner.source();
    }
}

fn secret_builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .api_token(SECRET_TOKEN)
        .api_email(EMAIL)
        .api_key(SECRET_KEY)
        .sleeper(Recorder::default())
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let server = MockServer::start().await;
    let builder = secret_builder(&server.uri());
    assert_no_secret("builder", &format!("{builder:?}"));
    let client = builder.build().expect("client builds");
    assert_no_secret("client", &format!("{client:?}"));
    let configs = client.token_validation().configuration();
    assert_no_secret("call", &format!("{:?}", configs.get(ZONE, CONFIG_ID)));

    // Api
    let forbidden = failure(403, 10000, "Authentication error")
        .insert_header("set-cookie", "__cf_bm=SECRET-cookie");
    mount(&server, "GET", CONFIG_PATH, forbidden, 1).await;
    let api = configs
        .get(ZONE, CONFIG_ID)
        .await
        .expect_err("403 is an error");
    assert!(matches!(api, Error::Api(_)) && api.is_auth(), "{api:?}");
    assert_error_has_no_secret("Api", &api);

    // Decode
    let bad_body = ok(json!({"success": true, "result": [{"id": 5}]}));
    mount(&server, "GET", LIST_PATH, bad_body, 1).await;
    let decode = configs
        .list(ZONE, ConfigurationListParams::new())
        .await
        .expect_err("bad body");
    assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
    assert_error_has_no_secret("Decode", &decode);

    // Timeout
    let slow = ok(envelope(json!(null))).set_delay(Duration::from_secs(5));
    mount(&server, "DELETE", RULE_PATH, slow, 1).await;
    let timeout = client
        .token_validation()
        .rules()
        .delete(ZONE, RULE_ID)
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .await
        .expect_err("too slow");
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");
    assert_error_has_no_secret("Timeout", &timeout);

    // InvalidArgument, with the secret inside the offending value.
    let mut body = create_request();
    body.token_sources = vec![format!("http.request.body[{SECRET_TOKEN}]")];
    let invalid = configs.create(ZONE, &body).await.expect_err("bad source");
    assert!(
        matches!(&invalid, Error::InvalidArgument { field, .. } if field == "body.token_sources[0]"),
        "{invalid:?}"
    );
    assert_error_has_no_secret("InvalidArgument", &invalid);

    // Pagination
    let mut endless = envelope(json!([rule_json("log")]));
    endless["result_info"] = json!({"page": 1, "per_page": 5, "total_pages": 9});
    mount(&server, "GET", RULES_PATH, ok(endless), 2).await;
    let pages: Vec<Result<Page<_>, Error>> = client
        .token_validation()
        .rules()
        .list(ZONE, RulesListParams::new())
        .pages()
        .take(5)
        .collect()
        .await;
    let pagination = match pages.as_slice() {
        [Ok(_), Err(e @ Error::Pagination(_))] => e,
        other => panic!("expected one page then a pagination error, got {other:?}"),
    };
    assert_error_has_no_secret("Pagination", pagination);

    // Transport: a loopback port nobody listens on.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let transport = get_config(&build(
        secret_builder(&format!("http://{closed}")).max_retries(0),
    ))
    .await
    .expect_err("connection refused");
    assert!(matches!(transport, Error::Transport(_)), "{transport:?}");
    assert_error_has_no_secret("Transport", &transport);
    assert!(
        !transport.to_string().contains(&closed.to_string()),
        "the URL is stripped: {transport}"
    );

    // Config: a credential that cannot be a header, a password in the base URL.
    let config = Client::builder()
        .api_token(format!("{SECRET_TOKEN}\n"))
        .build()
        .expect_err("newline in token");
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert_error_has_no_secret("Config", &config);
    let userinfo = with_token(&format!("https://user:{SECRET_KEY}@api.example.com"));
    assert_no_secret("builder with userinfo", &format!("{userinfo:?}"));
    let config = userinfo.build().expect_err("password in base url");
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert_error_has_no_secret("Config", &config);
    let config = with_token(&format!("https://user:{SECRET_KEY}@api.example.com:99999"))
        .build()
        .expect_err("unparsable base url");
    assert_config_error::<Client>(
        Err(config),
        "invalid base url `https://[redacted]@api.example.com:99999`: invalid port number",
    );

    assert_requests(&server, 5).await;
}

/// A `MakeWriter` that appends everything to one shared buffer.
#[derive(Debug, Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl io::Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for SharedBuffer {
    type Writer = SharedBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn tracing_records_method_path_status_attempt_but_no_secret() {
    let buffer = SharedBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let busy = failure(503, 10000, "busy");
    mount_sequence(&server, "GET", LIST_PATH, [busy, ok_seed(LIST_RESPONSE)]).await;
    let credentials = ok_seed(CREDENTIALS_RESPONSE);
    mount(&server, "PUT", CREDENTIALS_PATH, credentials, 1).await;
    let sleeper = Recorder::default();
    let client = build(secret_builder(&server.uri()).sleeper(sleeper.clone()));

    list_configs(&client, ConfigurationListParams::new())
        .await
        .expect("succeeds on the retry");
    client
        .token_validation()
        .configuration()
        .credentials()
        .update(ZONE, CONFIG_ID, &credentials_request())
        .await
        .expect("credentials updated");

    let out = buffer.text();
    assert_no_secret("tracing output", &out);
    let line = |needle: &str| -> String {
        out.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with `{needle}` in:\n{out}"))
            .to_owned()
    };
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 1);
    let list_span =
        r#"http_request{method=GET path="/zones/{zone_id}/token_validation/config" attempt=0"#;
    let retry = line("retrying request");
    assert!(retry.contains(list_span), "{retry}");
    assert!(retry.contains("status=503}"), "{retry}");
    let wait = format!(
        "retrying request attempt=0 wait_ms={} ",
        delays[0].as_millis()
    );
    assert!(retry.contains(&wait), "{retry}");
    let list_close = line(&format!("{list_span} status=503 attempt=1 status=200 "));
    assert!(list_close.contains(": close "), "{list_close}");
    let put_close = line(
        r#"http_request{method=PUT path="/zones/{zone_id}/token_validation/config/{config_id}/credentials" attempt=0 status=200 "#,
    );
    assert!(put_close.contains(": close "), "{put_close}");
    assert_requests(&server, 3).await;
}

// ---------------------------------------------------------------------------
// client-side validation: nothing is sent

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
        let edit = EditConfigRequest {
            token_sources: Some(vec![]),
            ..EditConfigRequest::default()
        };
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

// ---------------------------------------------------------------------------
// encoding

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

// ---------------------------------------------------------------------------
// pagination

/// A server answering `GET LIST_PATH?page=n` once with each `(n, response)`.
async fn serve_pages(pages: impl IntoIterator<Item = (u32, ResponseTemplate)>) -> MockServer {
    let server = MockServer::start().await;
    for (n, response) in pages {
        let page = on("GET", LIST_PATH).and(query_param("page", n.to_string().as_str()));
        mount_with(&server, page, response, 1).await;
    }
    server
}

/// Checks the server saw exactly one request per entry of `expected`, with those
/// query strings in order.
async fn assert_queries(server: &MockServer, expected: &[&str]) {
    let received = assert_requests(server, expected.len()).await;
    let queries: Vec<&str> = received.iter().filter_map(|r| r.url.query()).collect();
    assert_eq!(queries, expected);
}

/// The titles of every item the list `params` starts yields, all of which must decode.
async fn item_titles(server: &MockServer, params: ConfigurationListParams) -> Vec<String> {
    list_configs(&client_for(server), params)
        .items()
        .map(|item| item.expect("every page decodes").title)
        .collect()
        .await
}

#[tokio::test]
async fn list_returns_a_page_with_items_and_info() {
    let per_page_20 = on("GET", LIST_PATH).and(query_param("per_page", "20"));
    let server = serve_with(per_page_20, ok_seed(LIST_RESPONSE), 1).await;

    let page = list_configs(
        &client_for(&server),
        ConfigurationListParams::new().per_page(20),
    )
    .await
    .expect("one page");

    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, CONFIG_ID);
    assert_eq!(
        page.items[0].title,
        "Example Token Validation Configuration"
    );
    let info = page.info.expect("result_info was sent");
    assert_eq!(
        (info.page, info.per_page, info.total_pages),
        (Some(1), Some(20), Some(100))
    );
    assert_eq!(info.raw["total_count"], 2000);
    assert_eq!(info.raw["count"], 1);
    assert_queries(&server, &["per_page=20"]).await;
}

#[tokio::test]
async fn items_walks_every_page_until_total_pages() {
    let pages = [vec!["c1", "c2"], vec!["c3", "c4"], vec!["c5"]];
    let server = serve_pages((1..).zip(&pages).map(|(n, titles)| {
        let info = json!({"page": n, "per_page": 5, "count": titles.len(), "total_pages": 3});
        (n, ok(list_body(titles, Some(info))))
    }))
    .await;

    let titles = item_titles(&server, ConfigurationListParams::new().per_page(5)).await;

    assert_eq!(titles, ["c1", "c2", "c3", "c4", "c5"]);
    assert_queries(
        &server,
        &[
            "per_page=5&page=1",
            "per_page=5&page=2",
            "per_page=5&page=3",
        ],
    )
    .await;
}

#[tokio::test]
async fn pages_start_at_the_requested_page() {
    let server = serve_pages([3, 4].map(|n| {
        let info = json!({"page": n, "per_page": 5, "total_pages": 4});
        (n, ok(list_body(&[&format!("p{n}")], Some(info))))
    }))
    .await;

    let pages: Vec<Page<TokenConfiguration>> =
        list_configs(&client_for(&server), ConfigurationListParams::new().page(3))
            .pages()
            .map(|page| page.expect("decodes"))
            .collect()
            .await;

    let titles: Vec<&str> = pages.iter().map(|p| p.items[0].title.as_str()).collect();
    assert_eq!(titles, ["p3", "p4"]);
    assert_queries(&server, &["page=3", "page=4"]).await;
}

#[tokio::test]
async fn without_result_info_the_walk_stops_at_the_first_empty_page() {
    let pages = [(1, vec!["a", "b"]), (2, vec!["c"]), (3, vec![])];
    let server = serve_pages(pages.map(|(n, titles)| (n, ok(list_body(&titles, None))))).await;

    let titles = item_titles(&server, ConfigurationListParams::new()).await;

    assert_eq!(titles, ["a", "b", "c"]);
    assert_queries(&server, &["page=1", "page=2", "page=3"]).await;
}

#[tokio::test]
async fn a_server_repeating_the_same_page_ends_the_stream_with_an_error() {
    // Ignores `page` and always answers with page 1 of 100.
    let server = serve("GET", LIST_PATH, ok_seed(LIST_RESPONSE), 2).await;

    let items: Vec<Result<TokenConfiguration, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .items()
            .take(10)
            .collect()
            .await;

    match items.as_slice() {
        [Ok(first), Err(Error::Pagination(message))] => {
            assert_eq!(first.id, CONFIG_ID);
            assert_eq!(message, "page 2 repeated the previous page byte for byte");
        }
        other => panic!("expected one item then a pagination error, got {other:?}"),
    }
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn a_server_stuck_on_one_page_number_ends_the_stream_with_an_error() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // Different bytes every time, but always claims to be page 1.
    let stuck = move |_: &Request| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let info = json!({"page": 1, "per_page": 5, "total_pages": 50});
        ok(list_body(&[&format!("call {n}")], Some(info)))
    };
    let server = serve_with(on("GET", LIST_PATH), stuck, 2).await;

    let pages: Vec<Result<Page<TokenConfiguration>, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .pages()
            .take(10)
            .collect()
            .await;

    match pages.as_slice() {
        [Ok(first), Err(Error::Pagination(message))] => {
            assert_eq!(first.items[0].title, "call 0");
            assert_eq!(message, "asked for page 2 but the server answered page 1");
        }
        other => panic!("expected one page then a pagination error, got {other:?}"),
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_requests(&server, 2).await;
}

#[tokio::test]
async fn an_error_mid_walk_is_yielded_once_and_ends_the_stream() {
    let info = json!({"page": 1, "per_page": 5, "total_pages": 3});
    let server = serve_pages([
        (1, ok(list_body(&["a"], Some(info)))),
        (2, failure(403, 10000, "Authentication error")),
    ])
    .await;

    let items: Vec<Result<TokenConfiguration, Error>> =
        list_configs(&client_for(&server), ConfigurationListParams::new())
            .items()
            .take(10)
            .collect()
            .await;

    match items.as_slice() {
        [Ok(first), Err(err)] => {
            assert_eq!(first.title, "a");
            assert!(err.is_auth(), "{err:?}");
        }
        other => panic!("expected one item then the 403, got {other:?}"),
    }
    assert_requests(&server, 2).await;
}

// ---------------------------------------------------------------------------
// raw access, timeouts, unwrapping

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
async fn per_request_timeout_overrides_the_clients() {
    let slow = ok_seed(CONFIG_RESPONSE).set_delay(Duration::from_millis(300));
    let server = serve("GET", CONFIG_PATH, slow, 2).await;
    let (short, sleeper) = recording_builder(&server.uri());

    // A short client timeout, lengthened for one call.
    let short = build(short.timeout(Duration::from_millis(50)).max_retries(0));
    let config = get_config(&short)
        .timeout(Duration::from_secs(10))
        .await
        .expect("the per-request timeout is long enough");
    assert_eq!(config.id, CONFIG_ID);

    // A long client timeout, shortened for one call.
    let long = builder(&server.uri(), &sleeper)
        .timeout(Duration::from_secs(10))
        .max_retries(0);
    let long = build(long);
    let err = get_config(&long)
        .timeout(Duration::from_millis(50))
        .await
        .expect_err("the per-request timeout is too short");
    match err {
        Error::Timeout { after } => assert_eq!(after, Duration::from_millis(50)),
        other => panic!("expected a timeout, got {other:?}"),
    }

    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 2).await;
}

/// A loopback listener whose accept queue is full: a connect to it hangs (the handshake
/// never completes) until a connect timeout gives up. The listener lives for the test.
async fn unresponsive_listener() -> std::net::SocketAddr {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let addr = socket.local_addr().expect("address");
    let listener = socket.listen(0).expect("listen");
    let mut held = Vec::new();
    for _ in 0..8 {
        let attempt = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await;
        if let Ok(Ok(stream)) = attempt {
            held.push(stream);
        }
    }
    // Nothing is ever accepted; keep both ends open until the process ends.
    std::mem::forget(listener);
    std::mem::forget(held);
    addr
}

/// The client's connect timeout, not the overall timeout, bounds a hanging connect.
#[tokio::test]
async fn connect_timeout_applies_to_connecting() {
    let addr = unresponsive_listener().await;
    let client = build(
        builder(&format!("http://{addr}"), &Recorder::default())
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(30))
            .max_retries(0),
    );
    let started = std::time::Instant::now();
    let err = get_config(&client)
        .await
        .expect_err("nothing accepts the connection");
    assert!(
        err.is_timeout() || matches!(err, Error::Transport(_)),
        "unexpected error: {err:?}"
    );
    // Bounded by the connect timeout, far below the 30 s overall timeout.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

/// A per-call connect timeout overrides the client's (the runtime keeps an HTTP client
/// per connect timeout); with a caller's own `reqwest::Client` it is refused, not ignored.
#[tokio::test]
async fn per_call_connect_timeout_overrides_the_clients() {
    let addr = unresponsive_listener().await;
    let client = build(
        builder(&format!("http://{addr}"), &Recorder::default())
            .connect_timeout(Duration::from_secs(60))
            .timeout(Duration::from_secs(60))
            .max_retries(0),
    );
    let started = std::time::Instant::now();
    let err = get_config(&client)
        .connect_timeout(Duration::from_millis(300))
        .await
        .expect_err("nothing accepts the connection");
    assert!(
        err.is_timeout() || matches!(err, Error::Transport(_)),
        "unexpected error: {err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );

    let own = build(
        builder(&format!("http://{addr}"), &Recorder::default())
            .http_client(reqwest::Client::new())
            .max_retries(0),
    );
    match get_config(&own)
        .connect_timeout(Duration::from_millis(300))
        .await
    {
        Err(Error::Config(message)) => assert!(message.contains("connect timeout"), "{message}"),
        other => panic!("expected a config error, got {other:?}"),
    }
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

// ---------------------------------------------------------------------------
// what goes on the wire

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
