//! The client never panics, never hangs and never loops on a hostile response: seed
//! responses are mutated at random (status, headers, cut or corrupted bodies, broken
//! framing) and served by a raw HTTP/1.1 server; every call must end in a value or an
//! error within a bound, after a bounded number of requests. CI runs a bounded number
//! of cases; set `PROPTEST_CASES` for a longer run (see the README's testing section).

mod support;

use std::time::Duration;

use cloudflare_token_validation::{Client, ConfigurationListParams};
use futures_util::StreamExt;
use proptest::prelude::*;

use support::raw::{self, Reply};
use support::{
    build, create_config, get_config, list_configs, recording_builder, CONFIG_RESPONSE,
    LIST_RESPONSE, RULE_ID, ZONE,
};

/// One case must finish within this, or it counts as a hang.
const BOUND: Duration = Duration::from_secs(10);
/// Attempts per call: one and the default two retries.
const ATTEMPTS: usize = 3;
/// Requests one attempt may make: itself and up to 10 same-origin redirects.
const PER_ATTEMPT: usize = 11;
/// Pages a walk is allowed to fetch in a case.
const PAGES: usize = 3;

const BODIES: &[&str] = &[
    LIST_RESPONSE,
    CONFIG_RESPONSE,
    r#"{"success":false,"errors":[{"code":1000,"message":"nope"}],"messages":[],"result":null}"#,
    r#"{"success":true,"errors":[],"messages":[],"result":null}"#,
    "",
    "<html><body>502 Bad Gateway</body></html>",
];

const HEADERS: &[&str] = &[
    "content-type: application/json",
    "content-type: text/html",
    "content-type: application/json; charset=utf-16",
    "retry-after: 1",
    "retry-after: 0",
    "retry-after: -5",
    "retry-after: 99999999999999999999",
    "retry-after: Sun, 06 Nov 1994 08:49:37 GMT",
    "retry-after: Sunday, 06-Nov-94 08:49:37 GMT",
    "retry-after: Sun Nov  6 08:49:37 1994",
    "retry-after-ms: 1e308",
    "retry-after-ms: NaN",
    "x-should-retry: true",
    "x-should-retry: false",
    "content-length: 0",
    "content-length: 5",
    "content-length: 99999999999",
    "transfer-encoding: chunked",
    "content-encoding: gzip",
    "location: /elsewhere",
    "location: http://169.254.169.254/",
    "set-cookie: session=secret",
];

/// Statuses worth trying: the interesting ones, and a few arbitrary ones.
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            200u16, 201, 202, 204, 206, 301, 302, 304, 307, 308, 400, 401, 404, 408, 409, 413, 429,
            500, 502, 503, 504,
        ]),
        200u16..600,
    ]
}

#[derive(Debug, Clone)]
enum Cut {
    Keep,
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Flip(usize, u8),
}

fn cut() -> impl Strategy<Value = Cut> {
    prop_oneof![
        Just(Cut::Keep),
        any::<usize>().prop_map(Cut::Truncate),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Cut::Insert(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Cut::Flip(at, b)),
    ]
}

/// The raw response: status line, the chosen headers, then the (mutated) body.
fn response(status: u16, headers: &[usize], body: usize, cut: &Cut) -> Vec<u8> {
    let mut body = BODIES[body % BODIES.len()].as_bytes().to_vec();
    match cut {
        Cut::Keep => {}
        Cut::Truncate(at) => body.truncate(at % (body.len() + 1)),
        Cut::Insert(at, junk) => {
            let at = at % (body.len() + 1);
            body.splice(at..at, junk.iter().copied());
        }
        Cut::Flip(at, byte) => {
            if !body.is_empty() {
                let at = at % body.len();
                body[at] = *byte;
            }
        }
    }
    let mut text = format!("HTTP/1.1 {status} Whatever\r\nconnection: close\r\n");
    for h in headers {
        text.push_str(HEADERS[h % HEADERS.len()]);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(&body);
    bytes
}

/// Makes call `op` against a server always sending `bytes`; returns the outcome as
/// text and the number of requests the server read, or a description of the hang.
fn run_case(op: usize, bytes: Vec<u8>) -> Result<(usize, usize), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let server = raw::start(move |_| Reply::Bytes(bytes.clone())).await;
        let (builder, _sleeper) = recording_builder(&server.url);
        let client: Client = build(builder.timeout(Duration::from_secs(5)));
        let call = async {
            match op % 5 {
                0 => drop(list_configs(&client, ConfigurationListParams::new()).await),
                1 => drop(get_config(&client).await),
                2 => drop(create_config(&client).await),
                3 => drop(
                    client
                        .token_validation()
                        .rules()
                        .delete(ZONE, RULE_ID)
                        .await,
                ),
                _ => {
                    let pages = list_configs(&client, ConfigurationListParams::new()).pages();
                    drop(pages.take(PAGES).collect::<Vec<_>>().await);
                }
            }
        };
        tokio::time::timeout(BOUND, call)
            .await
            .map_err(|_| "the call did not finish within the bound".to_owned())?;
        let limit = if op % 5 == 4 { PAGES } else { 1 } * ATTEMPTS * PER_ATTEMPT;
        Ok((server.seen.requests(), limit))
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn mutated_responses_end_in_a_value_or_an_error(
        op in 0usize..5,
        status in status(),
        headers in prop::collection::vec(any::<usize>(), 0..4),
        body in any::<usize>(),
        cut in cut(),
    ) {
        let bytes = response(status, &headers, body, &cut);
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        let (requests, limit) = run_case(op, bytes).map_err(|e| TestCaseError::fail(format!("{e}: {shown}")))?;
        prop_assert!(requests <= limit, "{} requests (limit {}) for {}", requests, limit, shown);
    }
}
