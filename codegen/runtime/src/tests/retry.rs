//! Unit tests of `retry`.

use crate::error::Error;
use crate::retry::*;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, v.parse().expect("test header"));
    }
    h
}

#[test]
fn backoff_bounds() {
    let b = Backoff {
        initial: Duration::from_millis(500),
        max: Duration::from_secs(8),
    };
    assert_eq!(b.delay_with(0, 1.0), Duration::from_millis(500));
    assert_eq!(b.delay_with(1, 1.0), Duration::from_secs(1));
    assert_eq!(b.delay_with(3, 0.75), Duration::from_secs(3));
    assert_eq!(b.delay_with(4, 1.0), Duration::from_secs(8));
    assert_eq!(b.delay_with(u32::MAX, 1.0), Duration::from_secs(8));
    for attempt in 0..10 {
        let d = b.delay(attempt);
        let full = (0.5 * 2f64.powi(attempt as i32)).min(8.0);
        assert!(
            d.as_secs_f64() >= full * 0.75 - 1e-9 && d.as_secs_f64() <= full + 1e-9,
            "{d:?}"
        );
    }
    let j: Vec<f64> = (0..50).map(|_| jitter()).collect();
    assert!(j.iter().all(|j| (0.75..=1.0).contains(j)));
    assert!(j.windows(2).any(|w| w[0] != w[1]), "jitter should vary");
}

#[test]
fn retry_after_headers() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_767); // Sun, 06 Nov 1994 08:49:27 GMT
    let at = |pairs| retry_after(&headers(pairs), now);
    assert_eq!(
        at(&[("retry-after-ms", "1500")]),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(
        at(&[("retry-after-ms", "250"), ("retry-after", "9")]),
        Some(Duration::from_millis(250))
    );
    assert_eq!(at(&[("retry-after", "2")]), Some(Duration::from_secs(2)));
    assert_eq!(
        at(&[("retry-after", "0.5")]),
        Some(Duration::from_millis(500))
    );
    assert_eq!(
        at(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        at(&[("retry-after", "Sun, 06 Nov 1994 08:49:17 GMT")]),
        None,
        "past date"
    );
    assert_eq!(at(&[("retry-after", "61")]), None, "too long");
    assert_eq!(at(&[("retry-after", "0")]), None);
    assert_eq!(at(&[("retry-after", "-1")]), None);
    assert_eq!(at(&[("retry-after", "soon")]), None);
    assert_eq!(at(&[]), None);
}

#[test]
fn retry_decisions() {
    let none = HeaderMap::new();
    for code in [408, 409, 429, 500, 502, 503, 504, 599] {
        assert!(
            should_retry(StatusCode::from_u16(code).expect("status"), &none),
            "{code}"
        );
    }
    for code in [400, 401, 403, 404, 422] {
        assert!(
            !should_retry(StatusCode::from_u16(code).expect("status"), &none),
            "{code}"
        );
    }
    assert!(should_retry(
        StatusCode::BAD_REQUEST,
        &headers(&[("x-should-retry", "true")])
    ));
    assert!(!should_retry(
        StatusCode::SERVICE_UNAVAILABLE,
        &headers(&[("x-should-retry", "false")])
    ));
    assert!(is_retryable(&Error::Timeout {
        after: Duration::from_secs(1)
    }));
    assert!(!is_retryable(&Error::Config(String::new())));
}
