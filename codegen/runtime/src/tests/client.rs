//! Unit tests of `client`.

use crate::client::*;
use crate::descriptor::ApiDescriptor;
use crate::descriptor::{ParamLocation, SchemeKind, SecurityScheme};
use crate::error::Error;
use std::time::Duration;

pub(super) static API: ApiDescriptor = ApiDescriptor {
    user_agent: "example/1.0",
    default_base_url: "https://api.example.com/v4/",
    base_url_env: Some("RTDEV_TEST_BASE_URL"),
    schemes: &[
        SecurityScheme {
            name: "api_token",
            kind: SchemeKind::Bearer,
            env: Some("RTDEV_TEST_TOKEN"),
        },
        SecurityScheme {
            name: "api_email",
            kind: SchemeKind::ApiKey {
                location: ParamLocation::Header,
                param: "X-Auth-Email",
            },
            env: Some("RTDEV_TEST_EMAIL"),
        },
        SecurityScheme {
            name: "api_key",
            kind: SchemeKind::ApiKey {
                location: ParamLocation::Query,
                param: "key",
            },
            env: Some("RTDEV_TEST_KEY"),
        },
    ],
    security: &[&["api_token"], &["api_email", "api_key"]],
    envelope: None,
    pagination: None,
};

#[test]
fn defaults_match_the_documented_ones() {
    let b = ClientBuilder::new(&API);
    assert_eq!(b.max_retries, 2);
    assert_eq!(b.timeout, Duration::from_secs(60));
    assert_eq!(b.connect_timeout, Duration::from_secs(5));
}

const SECRET: &str = "s3cr3t-value";

#[test]
fn base_url_rules() {
    let ok = |raw| check_base_url(raw, false).expect("accepted").0;
    assert_eq!(
        ok("https://api.example.com/v4/"),
        "https://api.example.com/v4"
    );
    assert_eq!(ok("https://api.example.com"), "https://api.example.com");
    assert_eq!(ok("http://127.0.0.2:4010/"), "http://127.0.0.2:4010");
    assert_eq!(ok("http://[::1]:4010"), "http://[::1]:4010");
    assert_eq!(ok("http://LOCALHOST:1/x//"), "http://localhost:1/x");
    let err = |raw| check_base_url(raw, false).expect_err("refused").to_string();
    assert!(err("http://api.example.com").starts_with("refusing plain http base url"));
    assert!(check_base_url("http://api.example.com", true).is_ok());
    assert!(err("ftp://x").contains("unsupported"));
    assert!(err("https://x/?a=1").contains("query"));
    assert!(!err(&format!("https://u:{SECRET}@x/")).contains(SECRET));
    let unparsable = check_base_url(&format!("https://u:{SECRET}@x:99999/"), false)
        .expect_err("invalid port")
        .to_string();
    assert!(
        unparsable.starts_with("invalid base url `https://[redacted]@x:99999/`: "),
        "{unparsable}"
    );
}

#[test]
fn userinfo_is_redacted_from_text() {
    assert_eq!(
        without_userinfo("https://u:p@h:1/a@b?c=@d"),
        "https://[redacted]@h:1/a@b?c=@d"
    );
    assert_eq!(without_userinfo("u:p@h/x"), "[redacted]@h/x");
    assert_eq!(without_userinfo("https://h/a@b"), "https://h/a@b");
    let builder = ClientBuilder::new(&API).base_url(format!("https://u:{SECRET}@x"));
    let shown = format!("{builder:?}");
    assert!(
        shown.contains("https://[redacted]@x") && !shown.contains(SECRET),
        "{shown}"
    );
}

#[test]
fn build_requires_credentials() {
    let err = ClientBuilder::new(&API)
        .build()
        .expect_err("no credentials");
    assert_eq!(
        err.to_string(),
        "no credentials: set RTDEV_TEST_TOKEN, or RTDEV_TEST_EMAIL and RTDEV_TEST_KEY"
    );
    let err = ClientBuilder::new(&API)
        .credential("nope", "x")
        .build()
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown credential `nope`; expected one of: api_token, api_email, api_key"
    );
    let err = ClientBuilder::new(&API)
        .credential("api_token", "")
        .build()
        .expect_err("empty");
    assert!(matches!(err, Error::Config(_)));
}

#[test]
fn secrets_never_print() {
    let builder = ClientBuilder::new(&API)
        .credential("api_token", SECRET)
        .credential("api_key", SECRET);
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains(SECRET) && shown.contains("api_token"),
        "{shown}"
    );
    let client = builder.build().expect("client");
    let shown = format!("{client:?}");
    assert!(
        !shown.contains(SECRET) && shown.contains("api_key"),
        "{shown}"
    );
    assert_eq!(client.base_url(), "https://api.example.com/v4");

    let bad = ClientBuilder::new(&API)
        .credential("api_token", format!("{SECRET}\n"))
        .build();
    let shown = format!(
        "{bad:?} {}",
        bad.as_ref()
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    );
    assert!(!shown.contains(SECRET), "{shown}");
}

#[test]
fn from_env_fills_unset_values() {
    let vars = |name: &str| {
        let value = match name {
            "RTDEV_TEST_BASE_URL" => "https://env.example.com/",
            "RTDEV_TEST_TOKEN" => "from-env",
            "RTDEV_TEST_EMAIL" => "",
            _ => return None,
        };
        Some(value.to_owned())
    };
    let client = ClientBuilder::new(&API)
        .with_vars(vars)
        .build()
        .expect("client from env");
    assert_eq!(client.base_url(), "https://env.example.com");
    assert_eq!(format!("{:?}", client.inner.credentials), "[\"api_token\"]");
    let client = ClientBuilder::new(&API)
        .base_url("https://explicit.example.com")
        .credential("api_key", "k")
        .with_vars(vars)
        .build()
        .expect("client");
    assert_eq!(client.base_url(), "https://explicit.example.com");
    assert_eq!(
        format!("{:?}", client.inner.credentials),
        "[\"api_token\", \"api_key\"]"
    );
}
