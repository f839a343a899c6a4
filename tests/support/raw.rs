//! A raw HTTP/1.1 test server on 127.0.0.1, for faults wiremock cannot produce:
//! connections closed after the request was read, bodies far larger than memory
//! should hold, endless or trickling bodies, and proxies that must see nothing.
//!
//! Every connection carries one request. The server counts the connections it
//! accepted, the requests it read whole, and the body bytes it managed to write
//! before the client hung up; it keeps each request's head for inspection.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does once it has read request number `n` (0-based).
#[derive(Debug, Clone)]
pub enum Reply {
    /// Close the connection without answering.
    Close,
    /// Never answer; hold the connection open.
    Silent,
    /// Send these bytes, then close.
    Bytes(Vec<u8>),
    /// Send `head`, then `len` body bytes of `fill` (`None`: until the client hangs
    /// up), in chunks when `head` says `transfer-encoding: chunked`.
    Stream {
        head: String,
        fill: u8,
        len: Option<u64>,
    },
    /// Send `head`, then `body` one byte every `every`.
    Trickle {
        head: String,
        body: Vec<u8>,
        every: Duration,
    },
}

/// A complete response: `status` line text (`200 OK`), extra header lines, and body.
pub fn response(status: &str, headers: &[&str], body: &str) -> Reply {
    let mut text = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    Reply::Bytes(text.into_bytes())
}

/// A response head for a JSON body of `len` bytes, or a chunked one without `len`.
pub fn json_head(status: &str, len: Option<u64>) -> String {
    let framing = match len {
        Some(len) => format!("content-length: {len}"),
        None => "transfer-encoding: chunked".to_owned(),
    };
    format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{framing}\r\nconnection: close\r\n\r\n")
}

/// What the server saw.
#[derive(Debug, Default)]
pub struct Seen {
    connections: AtomicUsize,
    requests: AtomicUsize,
    body_bytes_sent: AtomicU64,
    heads: Mutex<Vec<String>>,
}

impl Seen {
    /// Connections accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Requests read whole (head and body).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Body bytes written to clients before they hung up.
    pub fn body_bytes_sent(&self) -> u64 {
        self.body_bytes_sent.load(Ordering::SeqCst)
    }

    /// The head of every request read, in order, as text.
    pub fn heads(&self) -> Vec<String> {
        self.heads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A running raw server.
pub struct RawServer {
    /// `http://127.0.0.1:port`.
    pub url: String,
    /// What it saw so far.
    pub seen: Arc<Seen>,
}

/// Starts a server answering request number `n` with `reply(n)`.
pub async fn start(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    let seen = Arc::new(Seen::default());
    let reply = Arc::new(reply);
    let counters = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counters.connections.fetch_add(1, Ordering::SeqCst);
            let (seen, reply) = (counters.clone(), reply.clone());
            tokio::spawn(async move { serve(socket, &seen, &*reply).await });
        }
    });
    RawServer {
        url: format!("http://{addr}"),
        seen,
    }
}

/// Serves one connection. Write errors only mean the client hung up.
async fn serve(mut socket: TcpStream, seen: &Seen, reply: &(dyn Fn(usize) -> Reply + Send + Sync)) {
    let Some(head) = read_request(&mut socket).await else {
        return;
    };
    let n = seen.requests.fetch_add(1, Ordering::SeqCst);
    seen.heads
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(head);
    match reply(n) {
        Reply::Close => {}
        Reply::Silent => tokio::time::sleep(Duration::from_secs(3600)).await,
        Reply::Bytes(bytes) => {
            let _ = socket.write_all(&bytes).await;
            let _ = socket.flush().await;
        }
        Reply::Stream { head, fill, len } => {
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunked = head.contains("transfer-encoding: chunked");
            let block = vec![fill; 64 * 1024];
            let mut left = len.unwrap_or(u64::MAX);
            while left > 0 {
                let n = usize::try_from(left.min(block.len() as u64)).unwrap_or(block.len());
                let written = if chunked {
                    let mut framed = format!("{n:x}\r\n").into_bytes();
                    framed.extend_from_slice(&block[..n]);
                    framed.extend_from_slice(b"\r\n");
                    socket.write_all(&framed).await
                } else {
                    socket.write_all(&block[..n]).await
                };
                if written.is_err() {
                    return;
                }
                seen.body_bytes_sent.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
            if chunked {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
        }
        Reply::Trickle { head, body, every } => {
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(every).await;
                if socket.write_all(&[byte]).await.is_err() {
                    return;
                }
                seen.body_bytes_sent.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Reads one request (head, then a `content-length` body); returns the head, or
/// `None` if the client went away first.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < end + length {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    Some(head)
}
