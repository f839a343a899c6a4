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
fn http_dates_in_all_three_forms() {
    let want = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    for form in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(http_date(form), Some(want), "{form}");
    }
    for bad in [
        "",
        "Sun, 06 Nov 1994 08:49:37 CET",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov  6 08:49 1994",
        "Sun Nov  6 25:49:37 1994",
    ] {
        assert_eq!(http_date(bad), None, "{bad}");
    }
}

#[test]
fn retry_decisions() {
    let none = HeaderMap::new();
    let status = |code| StatusCode::from_u16(code).expect("status");
    for code in [408, 409, 429, 500, 502, 503, 504, 599] {
        assert!(should_retry(status(code), &none, Repeat::Any), "{code}");
    }
    for code in [400, 401, 403, 404, 422] {
        assert!(!should_retry(status(code), &none, Repeat::Any), "{code}");
    }
    assert!(should_retry(
        StatusCode::BAD_REQUEST,
        &headers(&[("x-should-retry", "true")]),
        Repeat::Unprocessed
    ));
    assert!(!should_retry(
        StatusCode::SERVICE_UNAVAILABLE,
        &headers(&[("x-should-retry", "false")]),
        Repeat::Any
    ));
    let timeout = Error::attempt_timeout(Duration::from_secs(1));
    assert!(is_retryable(&timeout, Repeat::Any));
    assert!(!is_retryable(&timeout, Repeat::Unprocessed));
    assert!(!is_retryable(&Error::Config(String::new()), Repeat::Any));
}

#[test]
fn creates_are_retried_only_when_provably_unprocessed() {
    let none = HeaderMap::new();
    let status = |code| StatusCode::from_u16(code).expect("status");
    assert!(should_retry(status(429), &none, Repeat::Unprocessed));
    for code in [408, 409, 500, 502, 503, 504] {
        assert!(
            !should_retry(status(code), &none, Repeat::Unprocessed),
            "{code}"
        );
    }
    for header in ["retry-after", "retry-after-ms"] {
        let h = headers(&[(header, "1")]);
        assert!(
            should_retry(status(503), &h, Repeat::Unprocessed),
            "{header}"
        );
        assert!(
            !should_retry(status(500), &h, Repeat::Unprocessed),
            "{header}"
        );
    }
}

#[test]
fn method_decides_the_policy_unless_declared() {
    use reqwest::Method;
    for method in [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ] {
        assert_eq!(Repeat::for_method(&method, false), Repeat::Any, "{method}");
    }
    for method in [Method::POST, Method::PATCH] {
        assert_eq!(
            Repeat::for_method(&method, false),
            Repeat::Unprocessed,
            "{method}"
        );
        assert_eq!(Repeat::for_method(&method, true), Repeat::Any, "{method}");
    }
}

#[test]
fn retry_budget_empties_and_refills() {
    let budget = RetryBudget::new(12);
    assert!(budget.take(false));
    assert!(
        !budget.take(true),
        "a timeout retry costs 10, only 7 are left"
    );
    assert!(budget.take(false));
    assert!(!budget.take(false), "2 left");
    for _ in 0..20 {
        budget.refund();
    }
    assert_eq!(budget.left(), 12, "refunds stop at the capacity");
    assert!(budget.take(true));
    assert!(!RetryBudget::new(0).take(false));
}
