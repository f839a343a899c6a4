//! Every client behaviour that is not a fault: configuration (`from_env`, base URL
//! rules, a caller's own HTTP client), authentication headers, secrets kept out of
//! `Debug`/`Display`/tracing, client-side validation (nothing is sent), path and
//! query encoding, pagination (`Page`, `.pages()`, `.items()`, and the guards
//! against servers that never end), raw responses (`.with_response()`),
//! per-request timeouts, operation deadlines, stalled bodies and the retry budget,
//! and how each operation unwraps the Cloudflare envelope.
//!
//! Servers are wiremock instances on 127.0.0.1 (or a closed loopback port, or a raw
//! TCP server for bodies that trickle), every
//! test asserts how many requests the server saw, and retry waits go through a
//! recording [`Sleep`] that returns at once.
//!
//! [`Sleep`]: cloudflare_token_validation::clock::Sleep
//!
//! One module per behaviour; this root holds the setup they share. `support` is the
//! module every test binary includes, hence its `#[path]` from this folder.

#[path = "../support/mod.rs"]
mod support;

mod auth;
mod config;
mod deadlines;
mod encoding;
mod pagination;
mod raw;
mod redaction;
mod timeouts;
mod validation;

use std::fmt::Debug;

use cloudflare_token_validation::types::{CreateConfigRequest, CredentialsRequest};
use cloudflare_token_validation::{Client, ClientBuilder, Error};
use serde_json::{json, Value};
use wiremock::{MockServer, Request, ResponseTemplate};

use support::{
    envelope, json_body, on_with_headers, serve_with, CONFIG_PATH, CREATE_REQUEST,
    CREDENTIALS_REQUEST, LIST_RESPONSE, TOKEN,
};

const EMAIL: &str = "user@example.com";
const API_KEY: &str = "144c9defac04969c7bfad8efaa8ea194";
const NO_CREDENTIALS: &str =
    "no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY";

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
