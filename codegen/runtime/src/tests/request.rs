//! Unit tests of `request`.

use crate::request::*;
use crate::validate::{Check, Validate, Validator};
use reqwest::Method;
use serde::Serialize;
use std::collections::BTreeMap;

fn url(r: &Request) -> String {
    assert!(r.error.is_none(), "{:?}", r.error);
    path_and_query(r, None, &[])
}

fn path_and_query(r: &Request, page: Option<(&str, u64)>, extra: &[(String, String)]) -> String {
    match r.query_string(page, extra) {
        Some(query) => format!("{}?{query}", r.path),
        None => r.path.clone(),
    }
}

fn err(r: Request) -> String {
    r.error.map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn path_values_stay_in_their_segment() {
    let r = Request::new(Method::GET, "/zones/{zone_id}/rules/{id}")
        .path("zone_id", "../../accounts", &[])
        .path("id", "a b/c?d#e%f~é", &[]);
    assert_eq!(
        url(&r),
        "/zones/..%2F..%2Faccounts/rules/a%20b%2Fc%3Fd%23e%25f~%C3%A9"
    );
    assert_eq!(
        url(&Request::new(Method::GET, "/x/{n}").path("n", &7u32, &[])),
        "/x/7"
    );
}

#[test]
fn a_single_string_query_value_is_encoded_in_every_style() {
    for style in [
        Style::Form { explode: true },
        Style::Form { explode: false },
        Style::SpaceDelimited,
        Style::PipeDelimited,
        Style::DeepObject,
    ] {
        let r = Request::new(Method::GET, "/x")
            .query("a b", "c d&e=f", style, &[])
            .query("n", &Some("ü"), style, &[])
            .query("none", &None::<&str>, style, &[]);
        assert_eq!(url(&r), "/x?a%20b=c%20d%26e%3Df&n=%C3%BC", "{style:?}");
    }
    let r = Request::new(Method::GET, "/x").query(
        "name",
        "too long",
        Style::Form { explode: true },
        &[Check::MaxLength(3)],
    );
    assert!(err(r).contains("name"), "the error names the parameter");
}

#[test]
fn placeholders_match_whole_names() {
    let r = Request::new(Method::GET, "/{id2}/{id}/{id}")
        .path("id", "a", &[])
        .path("id2", &["b", "c"][..], &[]);
    assert_eq!(url(&r), "/b,c/a/a");
    let r = Request::new(Method::GET, "/{i/{id").path("id", "x", &[]);
    assert_eq!(err(r), "path `/{i/{id` has no parameter `id`");
}

#[test]
fn bad_path_values_are_rejected() {
    let r = Request::new(Method::GET, "/zones/{zone_id}").path("zone_id", "..", &[]);
    assert_eq!(
        err(r),
        "invalid argument `zone_id`: path parameter must not be `.` or `..`"
    );
    let r = Request::new(Method::GET, "/zones/{zone_id}").path("zone_id", "", &[]);
    assert_eq!(
        err(r),
        "invalid argument `zone_id`: path parameter must not be empty"
    );
    let r = Request::new(Method::GET, "/zones/{zone_id}").path(
        "zone_id",
        "abc",
        &[Check::MaxLength(2)],
    );
    assert_eq!(
        err(r),
        "invalid argument `zone_id`: length 3 exceeds maxLength 2"
    );
}

#[test]
fn every_invalid_argument_is_listed() {
    #[derive(Serialize)]
    struct B {
        title: String,
    }
    impl Validate for B {
        fn validate(&self, v: &mut Validator) {
            v.field("title", &self.title, &[Check::MaxLength(1)]);
        }
    }
    let r = Request::new(Method::POST, "/z/{a}")
        .path("a", "abc", &[Check::MaxLength(1)])
        .query(
            "q",
            "x",
            Style::Form { explode: true },
            &[Check::MinLength(5)],
        )
        .header(
            "X-N",
            &vec!["1", "22"],
            &[Check::Each(&[Check::MaxLength(1)])],
        )
        .json(&B { title: "tt".into() });
    assert!(r.body.is_none());
    let crate::error::Error::InvalidArgument { field, message } = r.error.expect("invalid") else {
        panic!("not an invalid argument");
    };
    assert_eq!(field, "a");
    assert_eq!(
        message,
        "length 3 exceeds maxLength 1; `q`: length 1 is less than minLength 5; \
         `X-N[1]`: length 2 exceeds maxLength 1; `body.title`: length 2 exceeds maxLength 1"
    );
}

#[test]
fn one_parameter_lists_each_of_its_violations() {
    let r = Request::new(Method::GET, "/p").query(
        "ids",
        &vec!["aa", "bb"],
        Style::Form { explode: true },
        &[Check::Each(&[Check::MaxLength(1)])],
    );
    assert_eq!(
        err(r),
        "invalid argument `ids[0]`: length 2 exceeds maxLength 1; \
         `ids[1]`: length 2 exceeds maxLength 1"
    );
}

#[test]
fn a_broken_request_stops_checking() {
    // A misconfiguration comes first and stays the error; later arguments add nothing.
    let r = Request::new(Method::GET, "/z").path("a", "x", &[]).query(
        "q",
        "x",
        Style::Form { explode: true },
        &[Check::MinLength(5)],
    );
    assert_eq!(err(r), "path `/z` has no parameter `a`");
    // An invalid argument first, then a misconfiguration: the argument is reported.
    let r = Request::new(Method::GET, "/z/{a}")
        .path("a", "abc", &[Check::MaxLength(1)])
        .path("b", "x", &[]);
    assert_eq!(err(r), "invalid argument `a`: length 3 exceeds maxLength 1");
}

#[test]
fn query_styles() {
    let list = vec!["a b".to_owned(), "c,d".to_owned()];
    let none: Option<Vec<String>> = None;
    let r = Request::new(Method::GET, "/q")
        .query("e", &list, Style::Form { explode: true }, &[])
        .query("f", &list, Style::Form { explode: false }, &[])
        .query("s", &list, Style::SpaceDelimited, &[])
        .query("p", &list, Style::PipeDelimited, &[])
        .query(
            "n",
            &none,
            Style::Form { explode: true },
            &[Check::MinItems(1)],
        )
        .query("b", &Some(true), Style::Form { explode: true }, &[]);
    assert_eq!(
        url(&r),
        "/q?e=a%20b&e=c%2Cd&f=a%20b,c%2Cd&s=a%20b%20c%2Cd&p=a%20b|c%2Cd&b=true"
    );
}

#[test]
fn object_query_styles() {
    let map = BTreeMap::from([("x".to_owned(), 1), ("y".to_owned(), 2)]);
    let r = Request::new(Method::GET, "/q")
        .query("f", &map, Style::DeepObject, &[])
        .query("g", &map, Style::Form { explode: false }, &[])
        .query("h", &map, Style::Form { explode: true }, &[]);
    assert_eq!(url(&r), "/q?f[x]=1&f[y]=2&g=x,1,y,2&x=1&y=2");
}

#[test]
fn page_parameter_is_replaced() {
    let r = Request::new(Method::GET, "rules")
        .query("page", &3u32, Style::Form { explode: true }, &[])
        .query("a", "1", Style::Form { explode: true }, &[]);
    assert_eq!(r.query_value("page"), Some("3"));
    let extra = [("k".to_owned(), "v".to_owned())];
    assert_eq!(
        path_and_query(&r, Some(("page", 4)), &extra),
        "rules?page=4&a=1&k=v"
    );
    let r = Request::new(Method::GET, "/rules");
    assert_eq!(path_and_query(&r, Some(("page", 2)), &[]), "/rules?page=2");
}

#[test]
fn headers_cookies_and_body() {
    #[derive(Serialize)]
    struct B {
        title: String,
    }
    impl Validate for B {
        fn validate(&self, v: &mut Validator) {
            v.field("title", &self.title, &[Check::MaxLength(50)]);
        }
    }
    let r = Request::new(Method::POST, "/h")
        .header("X-Tags", &vec!["a", "b"], &[])
        .cookie("session id", "v;1", &[])
        .json(&B { title: "t".into() });
    assert_eq!(r.headers["x-tags"], "a,b");
    assert_eq!(r.cookies, ["session%20id=v%3B1"]);
    assert_eq!(
        r.body.as_ref().map(|(ct, b)| (ct.as_ref(), b.as_slice())),
        Some(("application/json", &b"{\"title\":\"t\"}"[..]))
    );

    let r = Request::new(Method::POST, "/h").json(&B {
        title: "x".repeat(51),
    });
    assert_eq!(
        err(r),
        "invalid argument `body.title`: length 51 exceeds maxLength 50"
    );
    let r = Request::new(Method::POST, "/h").header("X-A", "a\nb", &[]);
    assert_eq!(
        err(r),
        "invalid argument `X-A`: contains characters not allowed in an HTTP header"
    );
}

#[test]
fn framing_headers_are_refused() {
    use reqwest::header::HeaderName;
    let refused =
        |name: &str| refused_header(&HeaderName::from_bytes(name.as_bytes()).expect("name"));
    for name in [
        "content-length",
        "Host",
        "transfer-encoding",
        "connection",
        "te",
        "upgrade",
        "trailer",
        "keep-alive",
        "expect",
        "proxy-authorization",
        "Proxy-Anything",
    ] {
        assert!(refused(name), "{name}");
    }
    for name in [
        "content-type",
        "x-request-id",
        "authorization",
        "tee",
        "hosts",
        "accept",
    ] {
        assert!(!refused(name), "{name}");
    }
    let r = Request::new(Method::GET, "/").header("Content-Length", "10", &[]);
    assert!(r.error.is_some());
}
