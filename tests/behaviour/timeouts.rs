//! Per-request timeouts, and connect timeouts for a server that never accepts.

use std::time::Duration;

use cloudflare_token_validation::Error;

use crate::support::{
    assert_requests, build, builder, get_config, ok_seed, recording_builder, serve, Recorder,
    CONFIG_ID, CONFIG_PATH, CONFIG_RESPONSE,
};

#[tokio::test]
async fn per_request_timeout_overrides_the_clients() {
    let slow = ok_seed(CONFIG_RESPONSE).set_delay(Duration::from_millis(300));
    let server = serve("GET", CONFIG_PATH, slow, 2).await;
    let (short, sleeper) = recording_builder(&server.uri());

    // A short client timeout, lengthened for one call.
    let short = build(short.timeout(Duration::from_millis(50)).max_retries(0));
    let config = get_config(&short)
        .timeout(Duration::from_secs(10))
        .await
        .expect("the per-request timeout is long enough");
    assert_eq!(config.id, CONFIG_ID);

    // A long client timeout, shortened for one call.
    let long = builder(&server.uri(), &sleeper)
        .timeout(Duration::from_secs(10))
        .max_retries(0);
    let long = build(long);
    let err = get_config(&long)
        .timeout(Duration::from_millis(50))
        .await
        .expect_err("the per-request timeout is too short");
    match err {
        Error::Timeout { after, .. } => assert_eq!(after, Duration::from_millis(50)),
        other => panic!("expected a timeout, got {other:?}"),
    }

    assert!(sleeper.delays().is_empty());
    assert_requests(&server, 2).await;
}

/// A loopback listener whose accept queue is full: a connect to it hangs (the handshake
/// never completes) until a connect timeout gives up. The listener lives for the test.
async fn unresponsive_listener() -> std::net::SocketAddr {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let addr = socket.local_addr().expect("address");
    let listener = socket.listen(0).expect("listen");
    let mut held = Vec::new();
    for _ in 0..8 {
        let attempt = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await;
        if let Ok(Ok(stream)) = attempt {
            held.push(stream);
        }
    }
    // Nothing is ever accepted; keep both ends open until the process ends.
    std::mem::forget(listener);
    std::mem::forget(held);
    addr
}

/// The client's connect timeout, not the overall timeout, bounds a hanging connect.
#[tokio::test]
async fn connect_timeout_applies_to_connecting() {
    let addr = unresponsive_listener().await;
    let client = build(
        builder(&format!("http://{addr}"), &Recorder::default())
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(30))
            .max_retries(0),
    );
    let started = std::time::Instant::now();
    let err = get_config(&client)
        .await
        .expect_err("nothing accepts the connection");
    assert!(
        err.is_timeout() || matches!(err, Error::Transport(_)),
        "unexpected error: {err:?}"
    );
    // Bounded by the connect timeout, far below the 30 s overall timeout.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

/// A per-call connect timeout overrides the client's (the runtime keeps an HTTP client
/// per connect timeout); with a caller's own `reqwest::Client` it is refused, not ignored.
#[tokio::test]
async fn per_call_connect_timeout_overrides_the_clients() {
    let addr = unresponsive_listener().await;
    let client = build(
        builder(&format!("http://{addr}"), &Recorder::default())
            .connect_timeout(Duration::from_secs(60))
            .timeout(Duration::from_secs(60))
            .max_retries(0),
    );
    let started = std::time::Instant::now();
    let err = get_config(&client)
        .connect_timeout(Duration::from_millis(300))
        .await
        .expect_err("nothing accepts the connection");
    assert!(
        err.is_timeout() || matches!(err, Error::Transport(_)),
        "unexpected error: {err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );

    let own = build(
        builder(&format!("http://{addr}"), &Recorder::default())
            .http_client(reqwest::Client::new())
            .max_retries(0),
    );
    match get_config(&own)
        .connect_timeout(Duration::from_millis(300))
        .await
    {
        Err(Error::Config(message)) => assert!(message.contains("connect timeout"), "{message}"),
        other => panic!("expected a config error, got {other:?}"),
    }
}
