//! Unit tests of `error`.

use crate::error::*;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::json;
use serde_json::Map;

#[test]
fn error_is_send_sync_static() {
    fn assert<T: Send + Sync + 'static>() {}
    assert::<Error>();
    assert!(size_of::<Error>() <= 64);
}

#[test]
fn snippet_is_bounded_and_cut_on_char_boundary() {
    let body = "é".repeat(400); // 800 bytes
    let s = snippet(body.as_bytes(), SNIPPET_LIMIT);
    assert_eq!(s.len(), 512);
    assert!(s.chars().all(|c| c == 'é'));
    let odd = format!("a{}", "é".repeat(400));
    let s = snippet(odd.as_bytes(), SNIPPET_LIMIT);
    assert_eq!(s.len(), 511);
    let invalid = [0xffu8; 600];
    assert!(snippet(&invalid, SNIPPET_LIMIT).len() <= SNIPPET_LIMIT);
    assert_eq!(snippet(b"", SNIPPET_LIMIT), "");
}

#[test]
fn messages_are_decoded_leniently() {
    let list = ApiMessage::list_from_value(json!([
        {"code": 1003, "message": "bad zone", "documentation_url": "https://d"},
        {"code": "7", "message": 5},
        "plain",
        {"code": 2.0},
        null
    ]));
    assert_eq!(list.len(), 4);
    assert_eq!(list[0].code, Some(1003));
    assert_eq!(list[0].extra["documentation_url"], "https://d");
    assert_eq!(list[0].to_string(), "bad zone (code 1003)");
    assert_eq!((list[1].code, list[1].message.as_str()), (Some(7), "5"));
    assert_eq!(list[2].message, "plain");
    assert_eq!(list[3].code, Some(2));
    assert!(ApiMessage::list_from_value(json!("x")).len() == 1);
}

#[test]
fn api_error_display() {
    let msg = |m: &str| ApiMessage {
        code: Some(1),
        message: m.into(),
        extra: Map::new(),
    };
    let e = ApiError::new(
        StatusCode::NOT_FOUND,
        &HeaderMap::new(),
        vec![msg("a"), msg("b"), msg("c"), msg("d")],
        vec![],
        b"{}",
    );
    assert_eq!(
        e.to_string(),
        "api error (status 404 Not Found): a (code 1); b (code 1); c (code 1); and 1 more"
    );
    assert!(e.is_not_found() && e.is_client_error() && !e.is_server_error());

    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, "text/html".parse().expect("static header"));
    let html = format!("<html>\n{}</html>", "x".repeat(1000));
    let e = ApiError::new(
        StatusCode::BAD_GATEWAY,
        &headers,
        vec![],
        vec![],
        html.as_bytes(),
    );
    let text = e.to_string();
    assert!(
        text.starts_with("api error (status 502 Bad Gateway): text/html body: <html> xxx"),
        "{text}"
    );
    assert!(text.ends_with('…') && text.len() < 300);
    assert_eq!(e.body_snippet().len(), SNIPPET_LIMIT);

    let e = ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        &headers,
        vec![],
        vec![],
        b"",
    );
    assert_eq!(
        e.to_string(),
        "api error (status 500 Internal Server Error): empty body"
    );
}

#[test]
fn shown_text_has_no_control_characters_and_is_bounded() {
    assert_eq!(shown("plain"), "plain");
    assert_eq!(shown("a\r\nb\u{1b}[2Jc\u{7f}"), "a  b [2Jc ");
    let long = "é".repeat(300);
    let cut = shown(&long);
    assert!(cut.ends_with('…'));
    assert!(cut.len() <= 203, "{}", cut.len());
}

#[test]
fn server_messages_are_sanitised_in_display() {
    let body = json!({"errors": [{"code": 7, "message": "line\r\nInjected: yes\u{1b}[31m"}]});
    let errors = ApiMessage::list_from_value(body["errors"].clone());
    let err = ApiError::new(
        StatusCode::BAD_REQUEST,
        &HeaderMap::new(),
        errors,
        Vec::new(),
        b"",
    );
    let text = err.to_string();
    assert_eq!(
        text,
        "api error (status 400 Bad Request): line  Injected: yes [31m (code 7)"
    );
    assert_eq!(
        err.errors()[0].message,
        "line\r\nInjected: yes\u{1b}[31m",
        "kept raw"
    );
}

#[test]
fn errors_from_a_call_name_the_operation_never_the_url() {
    use std::time::Duration;

    use reqwest::Method;
    let op = Operation::new("rules-list", Method::GET, "/zones/{zone_id}/rules");
    let timeout = Error::attempt_timeout(Duration::from_millis(500))
        .after_attempts(3)
        .in_operation(&op);
    assert_eq!(
        timeout.to_string(),
        "`rules-list` (GET /zones/{zone_id}/rules): timed out after 500ms per attempt, 3 attempts made"
    );
    assert_eq!(timeout.operation(), Some(&op));
    let api = Error::Api(ApiError::new(
        StatusCode::NOT_FOUND,
        &HeaderMap::new(),
        Vec::new(),
        Vec::new(),
        b"",
    ))
    .in_operation(&op);
    assert_eq!(
        api.to_string(),
        "`rules-list` (GET /zones/{zone_id}/rules): api error (status 404 Not Found): empty body"
    );
    assert_eq!(api.as_api().and_then(ApiError::operation), Some(&op));
}
