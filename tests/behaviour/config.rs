//! Configuration: `from_env`, the base URL rules, and a caller's own HTTP client.

use cloudflare_token_validation::{Client, Error};
use wiremock::MockServer;

use crate::support::{
    assert_requests, build, get_config, mount_with, ok_seed, on_with_headers, CONFIG_PATH,
    CONFIG_RESPONSE, TOKEN,
};
use crate::{assert_config_error, config_server, header_value, with_token, EMAIL, NO_CREDENTIALS};

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
    // The error says which half is missing.
    env.set(&[(T, Some("")), (E, Some("env@example.com"))]);
    assert_config_error(
        Client::from_env(),
        &format!("{NO_CREDENTIALS} (CLOUDFLARE_EMAIL is set, but CLOUDFLARE_API_KEY is missing)"),
    );

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
    assert_config_error(
        Client::builder().api_email(EMAIL).build(),
        &format!("{NO_CREDENTIALS} (CLOUDFLARE_EMAIL is set, but CLOUDFLARE_API_KEY is missing)"),
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
