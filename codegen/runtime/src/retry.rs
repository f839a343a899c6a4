//! When to retry, how long to wait, and the injectable clock the waits go through.
//!
//! Idempotent calls follow the widely used Stainless SDK conventions: retry 408,
//! 409, 429, every 5xx, timeouts and connection failures. A call that may not be
//! repeated (POST and PATCH, unless declared idempotent or carrying an idempotency
//! key) is retried only when the server provably did not process it: a failure to
//! connect, a 429, or a 503 with `Retry-After`. `x-should-retry` overrides the
//! status either way. Waits honour `retry-after-ms` / `Retry-After` up to 60 s,
//! otherwise back off exponentially with 75-100 % jitter. A per-client token bucket
//! ([`RetryBudget`]) stops retry storms when failures persist.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

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

/// The header each retry carries, with the retry's number (1 for the first retry),
/// so that a server can tell a retry from a new call.
pub(crate) const RETRY_COUNT_HEADER: &str = "x-retry-count";

/// How freely a call may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Repeating it changes nothing (an idempotent method, a declared idempotent
    /// operation, an idempotency key, or the caller's say-so): every transient
    /// failure is retried.
    Any,
    /// Repeating it may act twice (POST, PATCH): only failures that prove the
    /// server did not process it are retried.
    Unprocessed,
}

impl Repeat {
    /// The policy for `method`, unless something declared the call idempotent.
    pub(crate) fn for_method(method: &Method, declared_idempotent: bool) -> Self {
        let idempotent = matches!(
            *method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        if idempotent || declared_idempotent {
            Repeat::Any
        } else {
            Repeat::Unprocessed
        }
    }
}

/// Whether a failed response should be retried.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap, repeat: Repeat) -> bool {
    match headers.get("x-should-retry").map(|v| v.as_bytes()) {
        Some(b"true") => true,
        Some(b"false") => false,
        _ => match repeat {
            Repeat::Any => matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error(),
            // A 429 is refused before any work; a 503 that names a time to come back
            // is a server turning requests away, not one failing midway.
            Repeat::Unprocessed => {
                status == StatusCode::TOO_MANY_REQUESTS
                    || (status == StatusCode::SERVICE_UNAVAILABLE
                        && (headers.contains_key(RETRY_AFTER)
                            || headers.contains_key("retry-after-ms")))
            }
        },
    }
}

/// Whether an error that produced no response should be retried. Once a request
/// may have been written, only a failure to connect proves it was not processed.
pub(crate) fn is_retryable(error: &Error, repeat: Repeat) -> bool {
    match error {
        Error::Timeout { .. } => repeat == Repeat::Any,
        Error::Transport(e) if e.source.is_builder() || e.source.is_redirect() => false,
        Error::Transport(e) => repeat == Repeat::Any || e.is_connect(),
        _ => false,
    }
}

/// A token bucket shared by a client's calls: each retry takes tokens, each
/// success puts one back. When failures persist the bucket empties and calls stop
/// retrying, so a struggling server is not answered with a storm of retries.
/// The costs follow the AWS SDKs' retry quota.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

/// What a retry after a timeout costs; it holds a server's resources longest.
const TIMEOUT_RETRY_COST: u32 = 10;
/// What any other retry costs.
const RETRY_COST: u32 = 5;

impl RetryBudget {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// Takes the tokens a retry costs (more after a timeout); false, and nothing
    /// taken, when too few are left.
    pub(crate) fn take(&self, timeout: bool) -> bool {
        let cost = if timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Puts a token back after a success. A full bucket (the usual case) is only
    /// read, so successful calls do not contend on a shared write.
    pub(crate) fn refund(&self) {
        if self.tokens.load(Ordering::Acquire) < self.capacity {
            let _ = self
                .tokens
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                    (t < self.capacity).then_some(t + 1)
                });
        }
    }

    /// The tokens left.
    pub(crate) fn left(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
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

/// Parses an HTTP-date in any of the three forms RFC 9110 says a recipient must
/// accept: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
pub(crate) fn http_date(value: &str) -> Option<SystemTime> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let (day, month, year, clock) = match words.as_slice() {
        // IMF-fixdate: weekday, day, month, year, time, GMT.
        [_, day, month, year, clock, "GMT"] => (*day, *month, year.parse().ok()?, *clock),
        // RFC 850: weekday, `day-month-yy`, time, GMT.
        [_, date, clock, "GMT"] => {
            let mut parts = date.split('-');
            let (day, month, yy) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || yy.len() != 2 {
                return None;
            }
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            let yy: i32 = yy.parse().ok()?;
            let now = time::OffsetDateTime::now_utc().year();
            let mut year = now - now % 100 + yy;
            if year > now + 50 {
                year -= 100;
            }
            (day, month, year, *clock)
        }
        // asctime: weekday, month, day, time, year.
        [_, month, day, clock, year] => (*day, *month, year.parse().ok()?, *clock),
        _ => return None,
    };
    let month = MONTHS.iter().position(|m| *m == month)?;
    let month = time::Month::try_from(u8::try_from(month + 1).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, day.parse().ok()?).ok()?;
    let mut hms = clock.split(':').map(str::parse::<u8>);
    let (h, m, s) = (hms.next()?.ok()?, hms.next()?.ok()?, hms.next()?.ok()?);
    if hms.next().is_some() {
        return None;
    }
    let at = date.with_hms(h, m, s).ok()?.assume_utc();
    Some(SystemTime::from(at))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
