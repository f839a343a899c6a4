//! Bounded memory: no response, however large or endless, makes the client hold more
//! than its size cap (32 MiB by default), and an error body is read only as far as
//! the error list needs (64 KiB).
//!
//! A test binary of its own, so that the peak resident set size of the process
//! (`VmHWM` in `/proc/self/status`) measures these cases and nothing else. Servers are
//! raw TCP servers on 127.0.0.1 that count the body bytes they managed to write before
//! the client hung up.

mod support;

use std::time::Duration;

use cloudflare_token_validation::{ClientBuilder, Error};

use support::raw::{self, json_head, Reply};
use support::{build, get_config, recording_builder, CONFIG_RESPONSE};

const MIB: u64 = 1024 * 1024;
/// The default cap.
const CAP: u64 = 32 * MIB;
/// What loopback socket buffers can hold beyond what the client read: the server
/// counts bytes the kernel accepted, not bytes the client took.
const SOCKET_SLACK: u64 = 16 * MIB;

/// Gets the test configuration from a server that replies `reply(n)`, with a
/// client `configure` adjusts; returns the outcome, the server's counters and
/// the retry waits.
async fn get_from(
    reply: impl Fn(usize) -> Reply + Send + Sync + 'static,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Error, raw::RawServer, Vec<Duration>) {
    let server = raw::start(reply).await;
    let (builder, sleeper) = recording_builder(&server.url);
    let err = get_config(&build(configure(builder)))
        .await
        .expect_err("the body is too large");
    (err, server, sleeper.delays())
}

fn endless(status: &str) -> Reply {
    Reply::Stream {
        head: json_head(status, None),
        fill: b' ',
        len: None,
    }
}

fn assert_too_large(err: &Error, limit: u64) {
    match err {
        Error::BodyTooLarge { limit: got, .. } => assert_eq!(*got, limit),
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains(&format!("limit of {limit} bytes")), "{text}");
    assert!(text.contains("max_response_size"), "{text}");
}

/// Peak resident set size of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("linux /proc");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmHWM in kB");
    kib * 1024
}

#[tokio::test]
async fn a_body_announced_over_the_cap_is_refused_at_once() {
    let huge = 500 * MIB;
    let reply = move |_| Reply::Stream {
        head: json_head("200 OK", Some(huge)),
        fill: b' ',
        len: Some(huge),
    };
    let (err, server, delays) = get_from(reply, |b| b).await;

    assert_too_large(&err, CAP);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(server.seen.requests(), 1, "not retried");
    assert!(delays.is_empty());
    // The client hung up after the head: only what socket buffers took was sent.
    assert!(
        server.seen.body_bytes_sent() < SOCKET_SLACK,
        "{}",
        server.seen.body_bytes_sent()
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap_and_memory_stays_bounded() {
    let (err, server, _) = get_from(|_| endless("200 OK"), |b| b).await;

    assert_too_large(&err, CAP);
    assert_eq!(server.seen.requests(), 1, "not retried");
    let sent = server.seen.body_bytes_sent();
    assert!(sent >= CAP, "the client read up to the cap: {sent}");
    assert!(
        sent < CAP + SOCKET_SLACK,
        "the client hung up at the cap: {sent}"
    );
    // The cap plus the process's own size; unbounded reading took gigabytes.
    let peak = peak_rss();
    assert!(peak < 256 * MIB, "peak RSS {} MiB", peak / MIB);
}

#[tokio::test]
async fn an_endless_error_body_is_read_only_for_its_start_on_every_attempt() {
    let (err, server, delays) = get_from(|_| endless("503 Service Unavailable"), |b| b).await;

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert!(api.body_snippet().len() <= 512);
    assert_eq!(server.seen.requests(), 3, "1 attempt + 2 retries");
    assert_eq!(delays.len(), 2);
    let sent = server.seen.body_bytes_sent();
    assert!(
        sent < 3 * SOCKET_SLACK,
        "each attempt stopped after 64 KiB: {sent}"
    );
}

#[tokio::test]
async fn the_cap_is_set_per_client_and_per_call() {
    // The seed configuration is about 1 KiB.
    let seed = CONFIG_RESPONSE.to_owned();
    let reply = move |_| raw::response("200 OK", &["content-type: application/json"], &seed);
    let server = raw::start(reply).await;
    let (builder, _) = recording_builder(&server.url);
    let client = build(builder.max_response_size(100));

    let err = get_config(&client)
        .await
        .expect_err("over the client's cap");
    assert_too_large(&err, 100);
    get_config(&client)
        .max_response_size(MIB)
        .await
        .expect("the call raises the cap");
    let err = get_config(&build(recording_builder(&server.url).0))
        .max_response_size(10)
        .await
        .expect_err("over the call's cap");
    assert_too_large(&err, 10);
    assert_eq!(server.seen.requests(), 3);
}

#[tokio::test]
async fn a_chunked_body_over_a_small_cap_fails_without_a_length() {
    let reply = |_| Reply::Stream {
        head: json_head("200 OK", None),
        fill: b' ',
        len: Some(4096),
    };
    let (err, server, _) = get_from(reply, |b| b.max_response_size(1000)).await;
    assert_too_large(&err, 1000);
    assert_eq!(server.seen.requests(), 1);
}

#[tokio::test]
async fn a_large_body_under_the_cap_arrives_whole_in_either_framing() {
    // 4 MiB of JSON whitespace after the seed object: many reads, one value.
    let padded = format!("{CONFIG_RESPONSE}{}", " ".repeat(4 * MIB as usize));
    let length = raw::response("200 OK", &["content-type: application/json"], &padded);
    let mut chunked = json_head("200 OK", None).into_bytes();
    for piece in padded.as_bytes().chunks(100_000) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let replies = [length, Reply::Bytes(chunked)];
    let server = raw::start(move |n| replies[n % 2].clone()).await;
    let client = build(recording_builder(&server.url).0);
    for _ in 0..2 {
        let config = get_config(&client).await.expect("under the cap");
        assert_eq!(config.id, support::CONFIG_ID);
    }
    assert_eq!(server.seen.requests(), 2);
}
