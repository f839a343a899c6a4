//! One attempt of a call: send the request, then read the response body piece by
//! piece, so that no response can take more memory than the caller allows.
//!
//! A success body over the size cap fails the attempt as soon as that is known (at
//! once when `Content-Length` says so); of an error body only the start is read,
//! enough for the server's error list. A body that makes no progress for the stall
//! grace period fails as a timeout, and the whole exchange is bounded by the
//! per-attempt timeout.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::Error;

/// A response as received, before decoding.
pub(crate) struct Raw {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// As received, not copied: a copy would cost a pass over every body.
    pub(crate) body: Bytes,
}

/// How much of a non-success body is read: the error list fits many times over,
/// and a huge error page is cut instead of downloaded.
pub(crate) const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// The bounds of one attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// From sending to the end of the body.
    pub(crate) timeout: Duration,
    /// The largest success body accepted.
    pub(crate) max_size: u64,
    /// The longest wait for the next piece of a body.
    pub(crate) stall: Duration,
}

/// One exchange, bounded as a whole (headers and body) by `limits.timeout`.
pub(crate) async fn attempt(
    http: &reqwest::Client,
    request: reqwest::Request,
    limits: Limits,
) -> Result<Raw, Error> {
    let exchange = async {
        let mut response = http.execute(request).await.map_err(Error::transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(&mut response, status, limits).await?;
        Ok(Raw {
            status,
            headers,
            body,
        })
    };
    match tokio::time::timeout(limits.timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(Error::attempt_timeout(limits.timeout)),
    }
}

/// The body, at most `limits.max_size` bytes of a success and [`ERROR_BODY_LIMIT`]
/// of anything else. A body that arrives in one piece (the usual case) is returned
/// as it came, without a copy.
async fn read_body(
    response: &mut reqwest::Response,
    status: StatusCode,
    limits: Limits,
) -> Result<Bytes, Error> {
    let success = status.is_success();
    let cap = if success {
        limits.max_size
    } else {
        ERROR_BODY_LIMIT.min(limits.max_size)
    };
    let too_large = || Error::BodyTooLarge {
        status,
        limit: limits.max_size,
    };
    let announced = response.content_length();
    if success && announced.is_some_and(|len| len > cap) {
        return Err(too_large());
    }
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let mut body = Body::default();
    while let Some(chunk) = next_chunk(response, limits.stall).await? {
        let room = cap - body.len();
        if chunk.len() > room {
            if success {
                return Err(too_large());
            }
            // Enough of an error body: the rest is left unread, and the connection
            // with it.
            body.push(chunk.slice(..room), announced, cap);
            break;
        }
        body.push(chunk, announced, cap);
    }
    Ok(body.into_bytes())
}

/// A body being read: the first piece is kept as it came, and only a second one
/// starts a buffer (sized once from `Content-Length`, if sent).
#[derive(Default)]
struct Body {
    first: Bytes,
    rest: Vec<u8>,
}

impl Body {
    fn len(&self) -> usize {
        if self.rest.is_empty() {
            self.first.len()
        } else {
            self.rest.len()
        }
    }

    fn push(&mut self, chunk: Bytes, announced: Option<u64>, cap: usize) {
        if chunk.is_empty() {
            return;
        }
        if self.first.is_empty() && self.rest.is_empty() {
            self.first = chunk;
            return;
        }
        if self.rest.is_empty() {
            let expected = announced
                .and_then(|len| usize::try_from(len).ok())
                .unwrap_or(0)
                .min(cap);
            let first = std::mem::take(&mut self.first);
            self.rest.reserve(expected.max(first.len() + chunk.len()));
            self.rest.extend_from_slice(&first);
        }
        self.rest.extend_from_slice(&chunk);
    }

    fn into_bytes(self) -> Bytes {
        if self.rest.is_empty() {
            self.first
        } else {
            Bytes::from(self.rest)
        }
    }
}

/// The next piece of the body; a body silent for `stall` fails as a timeout.
async fn next_chunk(
    response: &mut reqwest::Response,
    stall: Duration,
) -> Result<Option<Bytes>, Error> {
    match tokio::time::timeout(stall, response.chunk()).await {
        Ok(chunk) => chunk.map_err(Error::transport),
        Err(_) => Err(Error::attempt_timeout(stall)),
    }
}
