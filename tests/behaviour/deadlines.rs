//! Deadlines and budgets: the operation timeout over all attempts and waits, the
//! stall timeout for a body that makes no progress, and the retry budget that stops
//! retry storms.

use std::time::{Duration, Instant};

use cloudflare_token_validation::Error;

use crate::support::raw::{self, json_head, Reply};
use crate::support::{
    assert_requests, build, failure, get_config, recording_builder, serve, CONFIG_PATH,
    CONFIG_RESPONSE,
};

/// The seed configuration, one byte every `every`.
fn trickle(every: Duration) -> Reply {
    Reply::Trickle {
        head: json_head("200 OK", Some(CONFIG_RESPONSE.len() as u64)),
        body: CONFIG_RESPONSE.as_bytes().to_vec(),
        every,
    }
}

fn assert_timeout(err: &Error, after: Duration) {
    match err {
        Error::Timeout { after: got, .. } => assert_eq!(*got, after),
        other => panic!("expected a timeout after {after:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn a_trickling_body_is_cut_by_the_operation_timeout() {
    // A byte every 20 ms never stalls and keeps within the 60 s attempt timeout,
    // but the whole body would take about 20 s.
    let server = raw::start(|_| trickle(Duration::from_millis(20))).await;
    let (builder, sleeper) = recording_builder(&server.url);
    let client = build(builder.operation_timeout(Duration::from_millis(400)));

    let started = Instant::now();
    let err = get_config(&client).await.expect_err("too slow overall");

    assert_timeout(&err, Duration::from_millis(400));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen.requests(), 1);
    assert!(sleeper.delays().is_empty());
    let sent = server.seen.body_bytes_sent();
    assert!(sent > 0 && sent < CONFIG_RESPONSE.len() as u64, "{sent}");
}

#[tokio::test]
async fn the_operation_timeout_is_set_per_call_too() {
    let server = raw::start(|_| trickle(Duration::from_millis(20))).await;
    let client = build(recording_builder(&server.url).0);
    let err = get_config(&client)
        .operation_timeout(Duration::from_millis(200))
        .await
        .expect_err("too slow overall");
    assert_timeout(&err, Duration::from_millis(200));
    assert_eq!(server.seen.requests(), 1);
}

#[tokio::test]
async fn a_stalled_body_fails_the_attempt_and_is_retried() {
    let server = raw::start(|_| trickle(Duration::from_secs(30))).await;
    let (builder, sleeper) = recording_builder(&server.url);
    let client = build(
        builder
            .stall_timeout(Duration::from_millis(100))
            .max_retries(1),
    );

    let err = get_config(&client).await.expect_err("the body stalls");

    assert_timeout(&err, Duration::from_millis(100));
    assert_eq!(
        server.seen.requests(),
        2,
        "a GET is retried after a timeout"
    );
    assert_eq!(sleeper.delays().len(), 1);
}

#[tokio::test]
async fn a_wait_past_the_deadline_is_not_begun() {
    let busy = failure(429, 971, "slow down").insert_header("retry-after", "30");
    let server = serve("GET", CONFIG_PATH, busy, 1).await;
    let (builder, sleeper) = recording_builder(&server.uri());
    let client = build(builder.operation_timeout(Duration::from_secs(10)));

    let err = get_config(&client).await.expect_err("429");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{err:?}");
    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn the_retry_budget_stops_a_retry_storm() {
    let busy = failure(503, 10000, "busy");
    let server = serve("GET", CONFIG_PATH, busy, 4).await;
    let (builder, sleeper) = recording_builder(&server.uri());
    // 12 tokens: two retries at 5 each, then the bucket is too low.
    let client = build(builder.max_retries(100).retry_budget(12));

    let err = get_config(&client).await.expect_err("always 503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(sleeper.delays().len(), 2);

    // The bucket is shared by the client's calls: the next one is not retried.
    get_config(&client).await.expect_err("always 503");
    assert_eq!(sleeper.delays().len(), 2);
    assert_requests(&server, 4).await;
}
