//! Unit tests of `auth`.

use crate::auth::*;
use crate::descriptor::SecurityScheme;
use crate::descriptor::{ApiDescriptor, ParamLocation, SchemeKind};
use reqwest::header::AUTHORIZATION;

static API: ApiDescriptor = ApiDescriptor {
    user_agent: "test",
    default_base_url: "https://api.example.com",
    base_url_env: None,
    schemes: &[
        SecurityScheme {
            name: "token",
            kind: SchemeKind::Bearer,
            env: Some("EXAMPLE_API_TOKEN"),
        },
        SecurityScheme {
            name: "email",
            kind: SchemeKind::ApiKey {
                location: ParamLocation::Header,
                param: "X-Auth-Email",
            },
            env: Some("EXAMPLE_EMAIL"),
        },
        SecurityScheme {
            name: "key",
            kind: SchemeKind::ApiKey {
                location: ParamLocation::Query,
                param: "api_key",
            },
            env: None,
        },
        SecurityScheme {
            name: "basic",
            kind: SchemeKind::Basic,
            env: None,
        },
    ],
    security: &[&["token"], &["email", "key"]],
    envelope: None,
    pagination: None,
};

fn creds(values: [Option<&str>; 4]) -> Credentials {
    let raw: Vec<Option<Secret>> = values
        .iter()
        .map(|v| v.map(|v| Secret::new(v.to_owned())))
        .collect();
    Credentials::prepare(&API, &raw).expect("valid credentials")
}

#[test]
fn secret_is_redacted() {
    let s = Secret::new("hunter2".into());
    assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
    let c = creds([Some("hunter2"), None, Some("hunter3"), None]);
    let chosen: Vec<&Applied> = c.select(API.security).expect("token").collect();
    let shown = format!("{c:?} {chosen:?}");
    assert!(!shown.contains("hunter"), "{shown}");
}

#[test]
fn first_satisfied_alternative_wins() {
    let c = creds([None, Some("e@x"), Some("k"), None]);
    fn select<'a>(c: &'a Credentials, security: &'a [&'a [&'a str]]) -> Vec<&'a Applied> {
        c.select(security).expect("satisfied").collect()
    }
    let chosen = select(&c, API.security);
    assert_eq!(chosen.len(), 2);
    assert!(
        matches!(chosen[0], Applied::Header(name, v) if name == "x-auth-email" && v.is_sensitive())
    );
    assert!(matches!(chosen[1], Applied::Query("api_key", _)));

    let c = creds([Some("t"), Some("e@x"), Some("k"), None]);
    let chosen = select(&c, API.security);
    assert!(
        matches!(chosen[..], [Applied::Header(ref n, ref v)] if n == AUTHORIZATION && v == "Bearer t")
    );

    assert!(select(&c, &[]).is_empty());
    assert!(select(&creds([None; 4]), &[&["token"], &[]]).is_empty());
}

#[test]
fn missing_credentials_name_what_to_set() {
    let err = creds([None, Some("e@x"), None, None])
        .select(API.security)
        .map(drop)
        .expect_err("missing key");
    assert_eq!(
        err,
        "no credentials: set EXAMPLE_API_TOKEN, or EXAMPLE_EMAIL and ClientBuilder::key \
         (EXAMPLE_EMAIL is set, but ClientBuilder::key is missing)"
    );
    assert_eq!(
        missing_message(&API, &[&["token", "email", "basic"]]),
        "no credentials: set EXAMPLE_API_TOKEN, EXAMPLE_EMAIL and ClientBuilder::basic"
    );
}

#[test]
fn basic_auth_header() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(
        base64(b"Aladdin:open sesame"),
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    let c = creds([None, None, None, Some("Aladdin:open sesame")]);
    let chosen: Vec<&Applied> = c.select(&[&["basic"]]).expect("basic set").collect();
    assert!(
        matches!(chosen[..], [Applied::Header(_, ref v)] if v == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
}

#[test]
fn bad_header_value_is_a_config_error_without_the_secret() {
    let raw = [Some(Secret::new("bad\nsecret".into())), None, None, None];
    let err = Credentials::prepare(&API, &raw)
        .map(|_| ())
        .expect_err("newline in header");
    assert!(!err.to_string().contains("secret"), "{err}");
}
