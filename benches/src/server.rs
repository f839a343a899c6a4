//! A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with one of two
//! canned responses, keeping connections alive. It runs either on a thread of its own
//! ([`start`]) or as tasks of the caller's runtime ([`spawn`]), and ends with the
//! process; nothing in it allocates per request once a connection's buffer has grown.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The canned bodies: `list` for a path ending in `/config`, `get` for anything else.
#[derive(Debug, Clone)]
pub struct Bodies {
    pub get: Vec<u8>,
    pub list: Vec<u8>,
}

/// Starts the server as tasks of the current tokio runtime (call it inside one) and
/// returns its address. On a single-threaded runtime the server then only runs while
/// the client waits, on the client's thread.
pub async fn spawn(bodies: &Bodies) -> Result<SocketAddr, String> {
    let get: Arc<[u8]> = response(&bodies.get).into();
    let list: Arc<[u8]> = response(&bodies.list).into();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, get.clone(), list.clone()));
        }
    });
    Ok(addr)
}

/// Starts the server on a thread of its own and returns its address.
pub fn start(bodies: &Bodies) -> Result<SocketAddr, String> {
    let get: Arc<[u8]> = response(&bodies.get).into();
    let list: Arc<[u8]> = response(&bodies.list).into();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("bench-server".to_owned())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    let _ = tx.send(Err(format!("server runtime: {e}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let listener = match TcpListener::bind("127.0.0.1:0").await {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = tx.send(Err(format!("cannot bind 127.0.0.1: {e}")));
                        return;
                    }
                };
                let _ = tx.send(listener.local_addr().map_err(|e| e.to_string()));
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, get.clone(), list.clone()));
                }
            });
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    rx.recv()
        .map_err(|_| "the server thread ended before listening".to_owned())?
}

fn response(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         cf-ray: 8a1b2c3d4e5f6789-LHR\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

async fn serve(mut stream: TcpStream, get: Arc<[u8]>, list: Arc<[u8]>) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 8 * 1024];
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let total = head_end + content_length(&buf[..head_end]);
        while buf.len() < total {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let answer = if is_list(&buf[..head_end]) {
            &list
        } else {
            &get
        };
        buf.drain(..total);
        if stream.write_all(answer).await.is_err() {
            return;
        }
    }
}

fn content_length(head: &[u8]) -> usize {
    let text = String::from_utf8_lossy(head);
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Whether the request line's path (without its query) ends in `/config`.
fn is_list(head: &[u8]) -> bool {
    let line = head.split(|b| *b == b'\r').next().unwrap_or_default();
    let target = line.split(|b| *b == b' ').nth(1).unwrap_or_default();
    let path = target.split(|b| *b == b'?').next().unwrap_or_default();
    path.ends_with(b"/config")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_lengths() {
        assert!(is_list(
            b"GET /zones/z/token_validation/config?page=2 HTTP/1.1\r\n\r\n"
        ));
        assert!(!is_list(
            b"GET /zones/z/token_validation/config/abc HTTP/1.1\r\n\r\n"
        ));
        assert_eq!(
            content_length(b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n"),
            12
        );
        assert_eq!(content_length(b"GET / HTTP/1.1\r\n\r\n"), 0);
    }
}
