//! Unit tests of `decode`.

use crate::decode::*;
use crate::descriptor::Pagination;
use crate::descriptor::{ApiDescriptor, Envelope};
use crate::error::Error;
use reqwest::header::HeaderMap;
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value;

static API: ApiDescriptor = ApiDescriptor {
    user_agent: "test",
    default_base_url: "https://api.example.com",
    base_url_env: None,
    schemes: &[],
    security: &[],
    envelope: Some(Envelope {
        data: "result",
        success: Some("success"),
        errors: Some("errors"),
        messages: Some("messages"),
    }),
    pagination: Some(Pagination {
        page_param: "page",
        per_page_param: "per_page",
        info: "result_info",
        total_pages: Some("total_pages"),
    }),
};
static BARE: ApiDescriptor = ApiDescriptor {
    envelope: None,
    pagination: None,
    ..API
};

#[derive(Debug, Deserialize, PartialEq)]
struct Key {
    kid: String,
}
#[derive(Debug, Deserialize, PartialEq)]
struct Creds {
    keys: Vec<Key>,
}
#[derive(Debug, Deserialize, PartialEq)]
struct Rule {
    id: String,
    credentials: Option<Creds>,
}

fn run<T>(
    api: &'static ApiDescriptor,
    f: Decoder<T>,
    status: u16,
    ct: &str,
    body: &str,
) -> Result<T, Error> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, ct.parse().expect("content type"));
    let ctx = DecodeCtx::new(api, StatusCode::from_u16(status).expect("status"), &headers);
    f(&ctx, body.as_bytes())
}

const OK: &str = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"a","credentials":null},"extra":[1,{"x":2}]}"#;

#[test]
fn data_unwraps_envelope() {
    let rule = run(&API, data::<Rule>, 200, "application/json", OK).expect("decodes");
    assert_eq!(
        rule,
        Rule {
            id: "a".into(),
            credentials: None
        }
    );
    let whole = run(&BARE, data::<Value>, 200, "application/json", OK).expect("no envelope");
    assert_eq!(whole["success"], true);
    assert!(
        run(&API, body::<Value>, 200, "application/json", OK).expect("body")["result"].is_object()
    );
    run(&API, empty, 204, "application/json", "").expect("empty");
}

#[test]
fn missing_data_is_null() {
    let json = r#"{"success":true,"errors":[],"messages":[]}"#;
    assert_eq!(
        run(&API, data::<Option<Rule>>, 200, "application/json", json).expect("none"),
        None
    );
    let err = run(&API, data::<Rule>, 200, "application/json", json).expect_err("required");
    assert_eq!(
        err.to_string(),
        "invalid response body at `result` (status 200 OK): property is missing (invalid type: null, expected struct Rule)"
    );
}

#[test]
fn success_false_is_an_api_error() {
    let json =
        r#"{"result":null,"success":false,"errors":[{"code":1001,"message":"bad"}],"messages":[]}"#;
    for result in [
        run(&API, data::<Rule>, 200, "application/json", json).map(drop),
        run(&API, data::<Option<Rule>>, 200, "application/json", json).map(drop),
        run(&API, body::<Value>, 200, "application/json", json).map(drop),
        run(&API, empty, 200, "application/json", json),
        run(&API, page::<Rule>, 200, "application/json", json).map(drop),
    ] {
        let err = result.expect_err("success false");
        assert_eq!(
            err.to_string(),
            "api error (status 200 OK): bad (code 1001)"
        );
        assert_eq!(err.as_api().map(|e| e.errors()[0].code), Some(Some(1001)));
    }
}

#[test]
fn a_success_flag_that_is_not_a_boolean_is_absent() {
    for flag in [r#""no""#, "0", "null", "[false]", r#"{"a":false}"#] {
        let json = format!(
            r#"{{"success":{flag},"errors":[{{"x":[[1]]}}],"result":{{"id":"a","credentials":null}}}}"#
        );
        let rule = run(&API, data::<Rule>, 200, "application/json", &json).expect(&json);
        assert_eq!(rule.id, "a");
    }
}

#[test]
fn decode_errors_carry_the_path() {
    let json = r#"{"success":true,"result":[{"id":"a","credentials":{"keys":[{"kid":5}]}}]}"#;
    let err = run(&API, data::<Vec<Rule>>, 200, "application/json", json).expect_err("bad kid");
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.path(), "result[0].credentials.keys[0].kid");
    assert!(
        d.message()
            .starts_with("invalid type: integer `5`, expected a string"),
        "{}",
        d.message()
    );
    let err = run(
        &BARE,
        body::<Vec<Key>>,
        200,
        "application/json",
        r#"[{"kid":"a"},{}]"#,
    )
    .expect_err("missing");
    assert!(
        err.to_string()
            .starts_with("invalid response body at `[1]` (status 200 OK): missing field `kid`"),
        "{err}"
    );
    let err = run(&API, data::<Value>, 200, "application/json", "[1]").expect_err("not an object");
    assert!(
        err.to_string()
            .contains("expected a response envelope object with `result`"),
        "{err}"
    );
}

#[test]
fn non_json_and_empty_bodies_read_plainly() {
    let html = format!("<html><body>{}</body></html>", "bad gateway ".repeat(100));
    let err = run(&API, data::<Rule>, 502, "text/html", &html).expect_err("html");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "expected a JSON body but the bytes are not JSON \
             (content type text/html, status 502 Bad Gateway): <html><body>bad"
        ),
        "{text}"
    );
    assert!(text.ends_with('…'));
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.body_snippet().len(), 512);
    assert_eq!(d.content_type(), Some("text/html"));

    let err = run(&API, data::<Rule>, 200, "application/json", " ").expect_err("empty");
    assert_eq!(
        err.to_string(),
        "expected a JSON body but got an empty body (status 200 OK)"
    );
    assert_eq!(
        run(&BARE, data::<Option<Rule>>, 200, "application/json", "").expect("null"),
        None
    );
    let err = run(&API, data::<Rule>, 200, "application/json", "ok").expect_err("not json");
    assert!(
        err.to_string().starts_with(
            "expected a JSON body but the bytes are not JSON \
             (content type application/json, status 200 OK): ok"
        ),
        "{err}"
    );
}

#[test]
fn an_empty_body_is_none_or_nothing_even_inside_an_envelope() {
    for status in [200, 204] {
        for body in ["", " \n"] {
            let none = run(&API, data::<Option<Rule>>, status, "application/json", body);
            assert_eq!(none.expect("empty is none"), None, "{status} {body:?}");
            run(&API, data::<()>, status, "application/json", body).expect("empty is nothing");
            run(&API, empty, status, "application/json", body).expect("empty is nothing");
        }
    }
    let err = run(&API, data::<Rule>, 204, "application/json", "").expect_err("a rule is needed");
    assert!(err.to_string().contains("empty body"), "{err}");
}

#[test]
fn text_and_bytes() {
    assert_eq!(
        run(&API, text, 200, "text/plain", "héllo").expect("text"),
        "héllo"
    );
    assert_eq!(
        run(&API, bytes, 200, "application/octet-stream", "ab").expect("bytes"),
        b"ab"
    );
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    let ctx = DecodeCtx::new(&API, StatusCode::OK, &headers);
    let err = text(&ctx, &[0xff, 0xfe]).expect_err("invalid utf-8");
    assert!(
        err.to_string()
            .starts_with("invalid response body (status 200 OK): body is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn pages_read_counters() {
    let json = r#"{"result":[{"id":"a","credentials":null}],"result_info":{"page":2,"per_page":20.0,"total_pages":3,"count":1},"success":true}"#;
    let first = run(&API, page::<Rule>, 200, "application/json", json).expect("page");
    assert_eq!(first.items.len(), 1);
    let info = first.info.expect("info");
    assert_eq!(
        (info.page, info.per_page, info.total_pages),
        (Some(2), Some(20), Some(3))
    );
    assert_eq!(info.raw["count"], 1);
    let null = r#"{"result":null,"success":true}"#;
    assert!(run(&API, page::<Rule>, 200, "application/json", null)
        .expect("empty page")
        .items
        .is_empty());
}

#[test]
fn api_errors_from_any_body() {
    let h = HeaderMap::new();
    let e = api_error(
        &API,
        StatusCode::FORBIDDEN,
        &h,
        br#"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#,
    );
    assert_eq!(
        e.to_string(),
        "api error (status 403 Forbidden): Authentication error (code 10000)"
    );
    assert!(e.is_auth());
    let e = api_error(
        &API,
        StatusCode::TOO_MANY_REQUESTS,
        &h,
        br#"{"message":"slow down"}"#,
    );
    assert_eq!(e.errors()[0].message, "slow down");
    let e = api_error(&API, StatusCode::BAD_GATEWAY, &h, b"upstream down");
    assert_eq!(
        e.to_string(),
        "api error (status 502 Bad Gateway): upstream down"
    );
}
