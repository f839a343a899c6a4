//! Secrets stay out of `Debug`, `Display`, every error's source chain, and tracing
//! output.

use std::fmt::Debug;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cloudflare_token_validation::{
    Client, ClientBuilder, ConfigurationListParams, Error, Page, RulesListParams,
};
use futures_util::StreamExt;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::MockServer;

use crate::support::{
    assert_requests, build, envelope, failure, get_config, list_configs, mount, mount_sequence, ok,
    ok_seed, rule_json, Recorder, CONFIG_ID, CONFIG_PATH, CREDENTIALS_PATH, CREDENTIALS_RESPONSE,
    LIST_PATH, LIST_RESPONSE, RULES_PATH, RULE_ID, RULE_PATH, ZONE,
};
use crate::{assert_config_error, create_request, credentials_request, with_token, EMAIL};

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

    transport_error_has_no_secret().await;
    config_errors_have_no_secret();

    assert_requests(&server, 5).await;
}

/// A transport error, from a loopback port nobody listens on, with the URL stripped.
async fn transport_error_has_no_secret() {
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
}

/// Config errors: a credential that cannot be a header, a password in the base URL.
fn config_errors_have_no_secret() {
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
    let server = MockServer::start().await;
    let busy = failure(503, 10000, "busy");
    mount_sequence(&server, "GET", LIST_PATH, [busy, ok_seed(LIST_RESPONSE)]).await;
    let credentials = ok_seed(CREDENTIALS_RESPONSE);
    mount(&server, "PUT", CREDENTIALS_PATH, credentials, 1).await;
    let sleeper = Recorder::default();
    let client = build(secret_builder(&server.uri()).sleeper(sleeper.clone()));

    // Set last, right before the calls: with one subscriber in the process, tracing-core
    // caches a callsite's interest from whichever thread first reaches it once a
    // subscriber exists, so a request of a test on another thread in between would
    // disable the runtime's span for this thread too.
    let _default = tracing::subscriber::set_default(subscriber);
    // A callsite first reached by another test's thread while this subscriber was being
    // set can have cached "never" for every thread; recompute every callsite's interest
    // now that the subscriber is in place.
    tracing::callsite::rebuild_interest_cache();
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
