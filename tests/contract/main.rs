//! Contract tests: every operation of the generated client against the Prism mock server.
//!
//! Prism (pinned in `package.json` / `package-lock.json`, installed by `npm ci`) serves
//! `spec/token_validation.yaml` with `--errors`, so it validates each request against the
//! spec and answers an invalid one with 422, which fails the test with the operation's
//! name. Every operation is called with realistic arguments and must decode into the
//! generated types, first with the spec's examples as responses, then several times with
//! `Prefer: dynamic=true`, where Prism invents bodies from the response schemas. A raw
//! request that breaks the spec must get a 422, so the harness cannot pass vacuously.
//!
//! One Prism serves every test of this binary that runs at the same time; the last test
//! to finish stops it (it is also stopped when a test panics).
//!
//! Modules: `prism` (the server), `outcomes` (what a pass found), `arguments` (the
//! values sent), `pass` (every operation once); the tests are here.

#[path = "../support/mod.rs"]
mod support;

mod arguments;
mod outcomes;
mod pass;
mod prism;

use cloudflare_token_validation::types::TokenType;
use cloudflare_token_validation::{ConfigurationListParams, Error};
use futures_util::StreamExt;

use arguments::create_config_body;
use outcomes::{describe, Outcomes};
use pass::every_operation;
use prism::{client, prism};
use support::ZONE;

const CONFIG_ID: &str = "4a7ee8d3-dd63-4ceb-9d5f-c27831854ce7";
const RULE_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const OTHER_RULE_ID: &str = "52973293-cb04-4a97-8f55-e7d2ad1107dd";
const OTHER_CONFIG_ID: &str = "46eab8d1-6376-45e3-968f-2c649d77d423";
const OPERATION_ID: &str = "0b9dbd0e-8c0b-4a3c-a3b8-2a1a1e6f0b6c";
/// How many times the dynamic pass calls every operation; `CONTRACT_DYNAMIC_ROUNDS`
/// overrides it (e.g. for a long soak).
const DYNAMIC_ROUNDS: usize = 5;

#[tokio::test]
async fn every_operation_with_the_spec_examples() {
    let prism = prism();
    let client = client(&prism);
    let mut out = Outcomes::new(&prism, "examples");
    every_operation(&client, &mut out, false).await;
    out.finish();
}

#[tokio::test]
async fn every_operation_with_generated_responses() {
    let prism = prism();
    let client = client(&prism);
    let rounds = std::env::var("CONTRACT_DYNAMIC_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DYNAMIC_ROUNDS);
    for round in 1..=rounds {
        let mut out = Outcomes::new(&prism, format!("dynamic round {round}"));
        every_operation(&client, &mut out, true).await;
        out.finish();
    }

    // The bodies really are generated: two answers to the same request differ.
    let tv = client.token_validation();
    let get = || {
        tv.configuration()
            .get(ZONE, CONFIG_ID)
            .header("Prefer", "dynamic=true")
    };
    let first = get().await.unwrap_or_else(|e| panic!("{}", describe(&e)));
    let second = get().await.unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_ne!(
        first, second,
        "Prism served the same body twice in dynamic mode"
    );
}

#[tokio::test]
async fn pagination_and_raw_responses() {
    let prism = prism();
    let client = client(&prism);
    let tv = client.token_validation();
    let config = tv.configuration();

    // The example is a single page, so the stream ends after it.
    let items: Vec<_> = config
        .list(ZONE, ConfigurationListParams::new().per_page(5))
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    let first = items[0]
        .as_ref()
        .unwrap_or_else(|e| panic!("config list stream: {}", describe(e)));
    assert_eq!(first.id, "f174e90a-fafe-4643-bbbc-4a0ed4fc8415");

    let response = config
        .get(ZONE, CONFIG_ID)
        .with_response()
        .await
        .unwrap_or_else(|e| panic!("config get: {}", describe(&e)));
    assert_eq!(response.status.as_u16(), 200);
    let content_type = response
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json"));
    assert_eq!(
        response.value.title,
        "Example Token Validation Configuration"
    );
}

/// A request that breaks the spec gets a 422 from Prism: without this, a Prism that
/// accepted everything would let the suite pass without checking anything.
#[tokio::test]
async fn prism_rejects_invalid_requests() {
    let prism = prism();
    let url = format!("{}/zones/{ZONE}/token_validation/config", prism.base_url);
    let http = reqwest::Client::new();
    let send = |body: serde_json::Value| {
        http.post(&url)
            .bearer_auth("contract-test-token")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };

    // Bypassing the client: no credentials, an unknown token type, a bad token source.
    let invalid = serde_json::json!({
        "title": "Broken",
        "description": "Missing credentials",
        "token_type": "SAML",
        "token_sources": ["authorization"],
    });
    let response = send(invalid).await.expect("Prism answers");
    let status = response.status().as_u16();
    // Prism answers with the spec's own 4XX example and lists what it found wrong in
    // a header.
    let violations = response
        .headers()
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 422, "an invalid body was not rejected: {body}");
    for field in ["credentials", "token_type", "token_sources"] {
        assert!(
            violations.contains(field),
            "no violation reported for `{field}`: {violations}"
        );
    }

    // The same raw route accepts a valid body, so the 422 was about the body.
    let valid = serde_json::to_value(create_config_body()).expect("serialisable");
    let response = send(valid).await.expect("Prism answers");
    assert_eq!(response.status().as_u16(), 200, "a valid body was rejected");

    // Through the client, a value the client cannot know is wrong (enums are open)
    // comes back as an API error carrying the 422.
    let client = client(&prism);
    let mut body = create_config_body();
    body.token_type = TokenType::Unknown("SAML".into());
    let result = client
        .token_validation()
        .configuration()
        .create(ZONE, &body)
        .await;
    match result {
        Err(Error::Api(api)) => assert_eq!(api.status().as_u16(), 422, "{api}"),
        other => panic!("expected a 422 API error, got {other:?}"),
    }
}
