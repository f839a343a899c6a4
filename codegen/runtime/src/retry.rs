//! When to retry, how long to wait, and the injectable clock the waits go through.
//!
//! The policy follows the widely used Stainless SDK conventions: retry 408, 409,
//! 429, every 5xx and connection failures; let `x-should-retry` override the
//! status; honour `retry-after-ms` / `Retry-After` up to 60 s; otherwise back off
//! exponentially with 75-100 % jitter.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

use super::error::Error;

/// A clock for retry waits. The default uses `tokio::time::sleep`; tests inject
/// one that records the waits and returns at once.
pub trait Sleep: Send + Sync + fmt::Debug {
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The default [`Sleep`]: `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Longest server-requested wait we obey; longer ones fall back to backoff, as a
/// server asking for minutes is better answered by giving up sooner.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Exponential backoff bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    pub(crate) initial: Duration,
    pub(crate) max: Duration,
}

impl Backoff {
    /// The wait before retry number `attempt + 1` (0-based), with fresh jitter.
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        self.delay_with(attempt, jitter())
    }

    pub(crate) fn delay_with(&self, attempt: u32, jitter: f64) -> Duration {
        // The exponent is capped so the float stays finite; the cap is far past `max` anyway.
        let exp = f64::from(attempt.min(62));
        let secs = (self.initial.as_secs_f64() * exp.exp2()).min(self.max.as_secs_f64()) * jitter;
        Duration::try_from_secs_f64(secs).unwrap_or(self.max)
    }
}

/// A factor in [0.75, 1.0]. `RandomState` is seeded randomly per process and
/// re-keyed per instance, which is all the randomness jitter needs.
pub(crate) fn jitter() -> f64 {
    let bits = RandomState::new().hash_one(SystemTime::now()) >> 11;
    let unit = bits as f64 / (1u64 << 53) as f64;
    1.0 - 0.25 * unit
}

/// Whether a failed response should be retried.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").map(|v| v.as_bytes()) {
        Some(b"true") => true,
        Some(b"false") => false,
        _ => matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error(),
    }
}

/// Whether an error that produced no response should be retried.
pub(crate) fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Timeout { .. } => true,
        Error::Transport(e) => !(e.is_builder() || e.is_redirect()),
        _ => false,
    }
}

/// The wait the server asked for, if it is in (0, 60 s].
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let wait = header("retry-after-ms")
        .and_then(|ms| ms.parse::<f64>().ok())
        .and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok())
        .or_else(|| {
            let value = header(RETRY_AFTER.as_str())?;
            match value.parse::<f64>() {
                Ok(secs) => Duration::try_from_secs_f64(secs).ok(),
                Err(_) => http_date(value)?.duration_since(now).ok(),
            }
        })?;
    (!wait.is_zero() && wait <= MAX_RETRY_AFTER).then_some(wait)
}

/// Parses an HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(value: &str) -> Option<SystemTime> {
    use time::format_description::well_known::Rfc2822;
    time::OffsetDateTime::parse(value, &Rfc2822)
        .ok()
        .map(SystemTime::from)
}
