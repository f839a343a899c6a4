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

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cloudflare_token_validation::types::{
    CreateConfigRequest, CredentialsRequest, EditConfigRequest, TokenConfiguration,
};
use cloudflare_token_validation::{
    Client, ClientBuilder, ConfigurationListParams, Error, Page, RulesListParams, Sleep,
};
use futures_util::StreamExt;
use serde_json::{json, Value};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "behaviour-token-9f8e7d6c5b4a";
const EMAIL: &str = "user@example.com";
const API_KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CONFIG_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const RULE_ID: &str = "0d9bf70c-92e1-4bb3-9411-34a3bcc59003";
const LIST_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config";
const CONFIG_PATH: &str =
    "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config/f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const CREDENTIALS_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/config/f174e90a-fafe-4643-bbbc-4a0ed4fc8415/credentials";
const RULES_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/rules";
const RULE_PATH: &str =
    "/zones/023e105f4ecef8ad9ca31a8372d0c353/token_validation/rules/0d9bf70c-92e1-4bb3-9411-34a3bcc59003";

const LIST_RESPONSE: &str = include_str!("data/seed/list-configs-response.json");
const CONFIG_RESPONSE: &str = include_str!("data/seed/create-config-response.json");
const CREATE_REQUEST: &str = include_str!("data/seed/create-config-request.json");
const CREDENTIALS_REQUEST: &str = include_str!("data/seed/update-credentials-request.json");
const CREDENTIALS_RESPONSE: &str = include_str!("data/seed/update-credentials-response.json");

// ---------------------------------------------------------------------------
// helpers

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

fn builder(server: &MockServer, sleeper: &Arc<RecordingSleep>) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .sleeper(sleeper.clone())
}

fn client(server: &MockServer) -> Client {
    builder(server, &Arc::new(RecordingSleep::default()))
        .build()
        .expect("a loopback test client builds")
}

fn json_body(text: &str) -> Value {
    serde_json::from_str(text).expect("seed files are valid JSON")
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

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

/// The requests the server received, after checking wiremock's expectations.
async fn requests(server: &MockServer) -> Vec<Request> {
    server.verify().await;
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

async fn assert_requests(server: &MockServer, expected: usize) -> Vec<Request> {
    let received = requests(server).await;
    assert_eq!(received.len(), expected, "requests received: {received:?}");
    received
}

/// A server that answers everything with 200 but expects no request at all.
async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .expect(0)
        .mount(&server)
        .await;
    server
}

fn assert_invalid<T: std::fmt::Debug>(
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

fn assert_config_error<T: std::fmt::Debug>(result: Result<T, Error>, expected: &str) {
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
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("authorization", "Bearer env-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("x-auth-email", "env@example.com"))
        .and(header("x-auth-key", "env-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("authorization", "Bearer explicit-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    let missing =
        "no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY";

    // Nothing set: the error names every variable that would do.
    env.set(&[]);
    assert_config_error(Client::from_env(), missing);
    // Empty values count as unset; half of email + key is not enough.
    env.set(&[(T, Some("")), (E, Some("env@example.com"))]);
    assert_config_error(Client::from_env(), missing);

    // A token alone: the default base URL.
    env.set(&[(T, Some("env-token"))]);
    let client = Client::from_env().expect("token from env");
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");

    // Token and base URL (trailing slash trimmed): bearer auth against the server.
    env.set(&[(T, Some("env-token")), (B, Some(&format!("{uri}/")))]);
    let client = Client::from_env().expect("token and base url from env");
    assert_eq!(client.base_url(), uri);
    client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("bearer from env");

    // Email and key.
    env.set(&[
        (E, Some("env@example.com")),
        (K, Some("env-key")),
        (B, Some(&uri)),
    ]);
    let client = Client::from_env().expect("email and key from env");
    client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("email and key from env");

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
    client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("explicit token");

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
        "no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY",
    );
    assert_config_error(
        Client::builder().api_email(EMAIL).build(),
        "no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY",
    );
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
        Client::builder()
            .base_url("http://api.example.com/client/v4")
            .api_token(TOKEN)
            .build(),
        "refusing plain http base url `http://api.example.com/client/v4`: credentials would \
         travel unencrypted; use https, or ClientBuilder::allow_insecure_http(true)",
    );
    let client = Client::builder()
        .base_url("http://api.example.com/client/v4/")
        .api_token(TOKEN)
        .allow_insecure_http(true)
        .build()
        .expect("opted in");
    assert_eq!(client.base_url(), "http://api.example.com/client/v4");
    for loopback in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
    ] {
        let client = Client::builder()
            .base_url(loopback)
            .api_token(TOKEN)
            .build()
            .expect("loopback http is allowed");
        assert_eq!(client.base_url(), loopback);
    }
    assert_config_error(
        Client::builder()
            .base_url("ftp://127.0.0.1")
            .api_token(TOKEN)
            .build(),
        "unsupported base url scheme `ftp`",
    );
}

#[tokio::test]
async fn a_callers_own_http_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("x-from-callers-client", "yes"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-from-callers-client",
        reqwest::header::HeaderValue::from_static("yes"),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client");
    let client = Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .http_client(http)
        .build()
        .expect("client builds");

    client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("the caller's client sends the request");

    assert_requests(&server, 1).await;
}

// ---------------------------------------------------------------------------
// authentication

#[tokio::test]
async fn bearer_token_sends_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("authorized");

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
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(header("x-auth-email", EMAIL))
        .and(header("x-auth-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_email(EMAIL)
        .api_key(API_KEY)
        .build()
        .expect("email + key");

    client
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("authorized");

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
        .sleeper(Arc::new(RecordingSleep::default()))
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let server = MockServer::start().await;
    let builder = secret_builder(&server.uri());
    assert_no_secret("builder", &format!("{builder:?}"));
    let client = builder.build().expect("client builds");
    assert_no_secret("client", &format!("{client:?}"));
    let api = client.token_validation();
    let configs = api.configuration();
    assert_no_secret("call", &format!("{:?}", configs.get(ZONE, CONFIG_ID)));

    // Api
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("set-cookie", "__cf_bm=SECRET-cookie")
                .set_body_json(json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}], "messages": [], "result": null})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let api = configs
        .get(ZONE, CONFIG_ID)
        .await
        .expect_err("403 is an error");
    assert!(matches!(api, Error::Api(_)) && api.is_auth(), "{api:?}");
    assert_error_has_no_secret("Api", &api);

    // Decode
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "result": [{"id": 5}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let decode = configs
        .list(ZONE, ConfigurationListParams::new())
        .await
        .expect_err("bad body");
    assert!(matches!(decode, Error::Decode(_)), "{decode:?}");
    assert_error_has_no_secret("Decode", &decode);

    // Timeout
    Mock::given(method("DELETE"))
        .and(path(RULE_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(envelope(json!(null)))
                .set_delay(Duration::from_secs(5)),
        )
        .expect(1)
        .mount(&server)
        .await;
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
    Mock::given(method("GET"))
        .and(path(RULES_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "errors": [], "messages": [],
            "result": [rule_json("log")],
            "result_info": {"page": 1, "per_page": 5, "total_pages": 9}
        })))
        .expect(2)
        .mount(&server)
        .await;
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
    let transport = secret_builder(&format!("http://{closed}"))
        .max_retries(0)
        .build()
        .expect("client builds")
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
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
    let userinfo = Client::builder()
        .base_url(format!("https://user:{SECRET_KEY}@api.example.com"))
        .api_token(TOKEN);
    assert_no_secret("builder with userinfo", &format!("{userinfo:?}"));
    let config = userinfo.build().expect_err("password in base url");
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert_error_has_no_secret("Config", &config);
    let config = Client::builder()
        .base_url(format!("https://user:{SECRET_KEY}@api.example.com:99999"))
        .api_token(TOKEN)
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
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_json(
            json!({"success": false, "errors": [{"code": 10000, "message": "busy"}]}),
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(CREDENTIALS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CREDENTIALS_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    let sleeper = Arc::new(RecordingSleep::default());
    let client = secret_builder(&server.uri())
        .sleeper(sleeper.clone())
        .build()
        .expect("client builds");

    client
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new())
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

fn rule_json(action: &str) -> Value {
    json!({
        "id": RULE_ID,
        "action": action,
        "description": "Long description for Token Validation Rule",
        "enabled": true,
        "expression": "is_jwt_valid(\"52973293-cb04-4a97-8f55-e7d2ad1107dd\")",
        "selector": {"include": [{"host": ["v1.example.com"]}]},
        "title": "Example Token Validation Rule"
    })
}

// ---------------------------------------------------------------------------
// client-side validation: nothing is sent

#[tokio::test]
async fn zone_id_longer_than_32_is_rejected() {
    let server = silent_server().await;
    let long = "a".repeat(33);
    assert_invalid(
        client(&server)
            .token_validation()
            .configuration()
            .list(&long, ConfigurationListParams::new())
            .await,
        "zone_id",
        "length 33 exceeds maxLength 32",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn config_id_must_be_exactly_36_chars() {
    let server = silent_server().await;
    let client = client(&server);
    let api = client.token_validation();
    let configs = api.configuration();
    assert_invalid(
        configs.get(ZONE, &CONFIG_ID[..35]).await,
        "config_id",
        "length 35 is less than minLength 36",
    );
    assert_invalid(
        configs.delete(ZONE, &format!("{CONFIG_ID}0")).await,
        "config_id",
        "length 37 exceeds maxLength 36",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn page_zero_is_rejected() {
    let server = silent_server().await;
    assert_invalid(
        client(&server)
            .token_validation()
            .configuration()
            .list(ZONE, ConfigurationListParams::new().page(0))
            .await,
        "page",
        "0 is less than minimum 1",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn per_page_must_be_between_5_and_50() {
    let server = silent_server().await;
    let client = client(&server);
    assert_invalid(
        client
            .token_validation()
            .configuration()
            .list(ZONE, ConfigurationListParams::new().per_page(4))
            .await,
        "per_page",
        "4 is less than minimum 5",
    );
    assert_invalid(
        client
            .token_validation()
            .rules()
            .list(ZONE, RulesListParams::new().per_page(51))
            .await,
        "per_page",
        "51 exceeds maximum 50",
    );
    // Streams report the same error as their only item.
    let items: Vec<Result<_, Error>> = client
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new().per_page(4))
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_invalid(
        items.into_iter().next().expect("one item"),
        "per_page",
        "4 is less than minimum 5",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn token_sources_must_have_1_to_4_items() {
    let server = silent_server().await;
    let client = client(&server);
    let api = client.token_validation();
    let configs = api.configuration();
    let mut body = create_request();
    body.token_sources = vec![];
    assert_invalid(
        configs.create(ZONE, &body).await,
        "body.token_sources",
        "has 0 items, fewer than minItems 1",
    );
    body.token_sources = (0..5)
        .map(|i| format!("http.request.headers[\"x-auth-{i}\"][0]"))
        .collect();
    assert_invalid(
        configs.create(ZONE, &body).await,
        "body.token_sources",
        "has 5 items, more than maxItems 4",
    );
    let edit = EditConfigRequest {
        token_sources: Some(vec![]),
        ..EditConfigRequest::default()
    };
    assert_invalid(
        configs.edit(ZONE, CONFIG_ID, &edit).await,
        "body.token_sources",
        "has 0 items, fewer than minItems 1",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn credentials_keys_must_have_1_to_4_items() {
    let server = silent_server().await;
    let client = client(&server);
    let api = client.token_validation();
    let configs = api.configuration();
    let credentials = configs.credentials();
    let mut body = credentials_request();
    let key = body.keys[0].clone();
    body.keys = vec![];
    assert_invalid(
        credentials.update(ZONE, CONFIG_ID, &body).await,
        "body.keys",
        "has 0 items, fewer than minItems 1",
    );
    body.keys = vec![key; 5];
    assert_invalid(
        credentials.update(ZONE, CONFIG_ID, &body).await,
        "body.keys",
        "has 5 items, more than maxItems 4",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn token_source_must_be_a_header_or_cookie_reference() {
    let server = silent_server().await;
    let mut body = create_request();
    body.token_sources = vec![
        "http.request.headers[\"x-auth\"][0]".to_owned(),
        "http.request.body.raw".to_owned(),
    ];
    assert_invalid(
        client(&server)
            .token_validation()
            .configuration()
            .create(ZONE, &body)
            .await,
        "body.token_sources[1]",
        "does not match pattern `(?:^http.request.headers\\[.*?\\]\\[\\d+\\]$)|(?:^http.request.cookies\\[.*?\\]\\[\\d+\\]$)`",
    );
    assert_requests(&server, 0).await;
}

#[tokio::test]
async fn title_longer_than_50_is_rejected() {
    let server = silent_server().await;
    let mut body = create_request();
    body.title = "t".repeat(51);
    assert_invalid(
        client(&server)
            .token_validation()
            .configuration()
            .create(ZONE, &body)
            .await,
        "body.title",
        "length 51 exceeds maxLength 50",
    );
    // 50 characters (not bytes) is fine: 50 × 'é' is 100 bytes.
    body.title = "é".repeat(50);
    assert_invalid(
        client(&server)
            .token_validation()
            .configuration()
            .create(&"z".repeat(33), &body)
            .await,
        "zone_id",
        "length 33 exceeds maxLength 32",
    );
    assert_requests(&server, 0).await;
}

// ---------------------------------------------------------------------------
// encoding

#[tokio::test]
async fn path_parameters_stay_one_percent_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(list_body(&[], None)))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
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
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(RULES_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!([]))))
        .expect(1)
        .mount(&server)
        .await;
    let a = "52973293-cb04-4a97-8f55-e7d2ad1107dd";
    let b = "46eab8d1-6376-45e3-968f-2c649d77d423";

    client(&server)
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

#[tokio::test]
async fn list_returns_a_page_with_items_and_info() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("per_page", "20"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new().per_page(20))
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
    let received = assert_requests(&server, 1).await;
    assert_eq!(received[0].url.query(), Some("per_page=20"));
}

#[tokio::test]
async fn items_walks_every_page_until_total_pages() {
    let server = MockServer::start().await;
    let pages = [vec!["c1", "c2"], vec!["c3", "c4"], vec!["c5"]];
    for (n, titles) in (1..).zip(&pages) {
        let info = json!({"page": n, "per_page": 5, "count": titles.len(), "total_pages": 3});
        Mock::given(method("GET"))
            .and(path(LIST_PATH))
            .and(query_param("page", n.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_body(titles, Some(info))))
            .expect(1)
            .mount(&server)
            .await;
    }

    let items: Vec<TokenConfiguration> = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new().per_page(5))
        .items()
        .map(|item| item.expect("every page decodes"))
        .collect()
        .await;

    let titles: Vec<&str> = items.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["c1", "c2", "c3", "c4", "c5"]);
    let received = assert_requests(&server, 3).await;
    let queries: Vec<&str> = received.iter().filter_map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [
            "per_page=5&page=1",
            "per_page=5&page=2",
            "per_page=5&page=3"
        ]
    );
}

#[tokio::test]
async fn pages_start_at_the_requested_page() {
    let server = MockServer::start().await;
    for n in [3, 4] {
        let info = json!({"page": n, "per_page": 5, "total_pages": 4});
        Mock::given(method("GET"))
            .and(path(LIST_PATH))
            .and(query_param("page", n.to_string().as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(list_body(&[&format!("p{n}")], Some(info))),
            )
            .expect(1)
            .mount(&server)
            .await;
    }

    let pages: Vec<Page<TokenConfiguration>> = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new().page(3))
        .pages()
        .map(|page| page.expect("decodes"))
        .collect()
        .await;

    let titles: Vec<&str> = pages.iter().map(|p| p.items[0].title.as_str()).collect();
    assert_eq!(titles, ["p3", "p4"]);
    let received = assert_requests(&server, 2).await;
    let queries: Vec<&str> = received.iter().filter_map(|r| r.url.query()).collect();
    assert_eq!(queries, ["page=3", "page=4"]);
}

#[tokio::test]
async fn without_result_info_the_walk_stops_at_the_first_empty_page() {
    let server = MockServer::start().await;
    for (n, titles) in [(1, vec!["a", "b"]), (2, vec!["c"]), (3, vec![])] {
        Mock::given(method("GET"))
            .and(path(LIST_PATH))
            .and(query_param("page", n.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_body(&titles, None)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let items: Vec<TokenConfiguration> = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new())
        .items()
        .map(|item| item.expect("every page decodes"))
        .collect()
        .await;

    let titles: Vec<&str> = items.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["a", "b", "c"]);
    let received = assert_requests(&server, 3).await;
    let queries: Vec<&str> = received.iter().filter_map(|r| r.url.query()).collect();
    assert_eq!(queries, ["page=1", "page=2", "page=3"]);
}

#[tokio::test]
async fn a_server_repeating_the_same_page_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    // Ignores `page` and always answers with page 1 of 100.
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(LIST_RESPONSE)))
        .expect(2)
        .mount(&server)
        .await;

    let items: Vec<Result<TokenConfiguration, Error>> = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new())
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
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // Different bytes every time, but always claims to be page 1.
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let info = json!({"page": 1, "per_page": 5, "total_pages": 50});
            ResponseTemplate::new(200).set_body_json(list_body(&[&format!("call {n}")], Some(info)))
        })
        .expect(2)
        .mount(&server)
        .await;

    let pages: Vec<Result<Page<TokenConfiguration>, Error>> = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new())
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
    let server = MockServer::start().await;
    let info = json!({"page": 1, "per_page": 5, "total_pages": 3});
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_body(&["a"], Some(info))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]})))
        .expect(1)
        .mount(&server)
        .await;

    let items: Vec<Result<TokenConfiguration, Error>> = client(&server)
        .token_validation()
        .configuration()
        .list(ZONE, ConfigurationListParams::new())
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
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", "8f1b2c3d4e5f6a7b-SJC")
                .set_body_json(json_body(CONFIG_RESPONSE)),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
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
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json_body(CONFIG_RESPONSE))
                .set_delay(Duration::from_millis(300)),
        )
        .expect(2)
        .mount(&server)
        .await;
    let sleeper = Arc::new(RecordingSleep::default());

    // A short client timeout, lengthened for one call.
    let short = builder(&server, &sleeper)
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .build()
        .expect("client builds");
    let config = short
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .timeout(Duration::from_secs(10))
        .await
        .expect("the per-request timeout is long enough");
    assert_eq!(config.id, CONFIG_ID);

    // A long client timeout, shortened for one call.
    let long = builder(&server, &sleeper)
        .timeout(Duration::from_secs(10))
        .max_retries(0)
        .build()
        .expect("client builds");
    let err = long
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
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

#[tokio::test]
async fn get_unwraps_the_result() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;
    let expected: TokenConfiguration =
        serde_json::from_value(json_body(CONFIG_RESPONSE)["result"].clone())
            .expect("the seed decodes");

    let config = client(&server)
        .token_validation()
        .configuration()
        .get(ZONE, CONFIG_ID)
        .await
        .expect("decodes");

    assert_eq!(config, expected);
    assert_eq!(config.credentials.keys.len(), 1);
    assert_eq!(config.token_sources.len(), 2);
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn create_sends_the_body_and_unwraps_the_result() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LIST_PATH))
        .and(header("content-type", "application/json"))
        .and(body_json(json_body(CREATE_REQUEST)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CONFIG_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;

    let created = client(&server)
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
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(CREDENTIALS_PATH))
        .and(body_json(json_body(CREDENTIALS_REQUEST)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json_body(CREDENTIALS_RESPONSE)))
        .expect(1)
        .mount(&server)
        .await;

    let updated = client(&server)
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
    Mock::given(method("DELETE"))
        .and(path(RULE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(RULE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"id": RULE_ID}))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let api = client.token_validation();
    let rules = api.rules();

    let none = rules.delete(ZONE, RULE_ID).await.expect("null result");
    assert_eq!(none, None);
    let some = rules.delete(ZONE, RULE_ID).await.expect("object result");
    let some = some.expect("a result object");
    assert_eq!(some.get("id"), Some(&json!(RULE_ID)));
    assert_eq!(some.len(), 1);

    assert_requests(&server, 2).await;
}
