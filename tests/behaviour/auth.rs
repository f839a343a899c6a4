//! Authentication headers: a bearer token, or an email and a key.

use cloudflare_token_validation::Client;

use crate::support::{assert_requests, client_for, get_config, ok_seed, CONFIG_RESPONSE, TOKEN};
use crate::{config_server, header_value, API_KEY, EMAIL};

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
