//! No credential reaches a proxy over plain http: with `HTTP_PROXY` set, a client for
//! a loopback `http://` base URL connects directly, so the proxy sees nothing; a
//! caller's own HTTP client (`http_client`) is left to its own proxy settings.
//!
//! A test binary of its own, because proxy variables are process-wide: no other test
//! may run while they are set. It holds a single test for the same reason.

mod support;

use cloudflare_token_validation::Client;

use support::raw::{self, Reply};
use support::{build, get_config, recording_builder, CONFIG_RESPONSE, TOKEN};

fn seed() -> Reply {
    raw::response(
        "200 OK",
        &["content-type: application/json"],
        CONFIG_RESPONSE,
    )
}

#[tokio::test]
async fn a_plain_http_base_url_bypasses_system_proxies() {
    let proxy = raw::start(|_| seed()).await;
    let server = raw::start(|_| seed()).await;
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(name, &proxy.url);
    }
    for name in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(name);
    }

    let client = build(recording_builder(&server.url).0);
    get_config(&client).await.expect("served directly");
    assert_eq!(server.seen.requests(), 1);
    assert_eq!(proxy.seen.connections(), 0, "the proxy saw a connection");

    // The same setup with the caller's own HTTP client goes through the proxy,
    // which shows the variables are in effect (and why `http_client` documents it).
    let own = Client::builder()
        .base_url(&server.url)
        .api_token(TOKEN)
        .http_client(reqwest::Client::new())
        .build()
        .expect("builds");
    get_config(&own).await.expect("served through the proxy");
    assert_eq!(proxy.seen.requests(), 1);
    let head = &proxy.seen.heads()[0];
    assert!(head.starts_with(&format!("GET {}/", server.url)), "{head}");
    assert_eq!(server.seen.requests(), 1, "the proxy answered instead");
}
