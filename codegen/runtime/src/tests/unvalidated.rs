//! Unit tests of `unvalidated`: bodies of unconstrained types encode as the validated
//! methods encode them.

use crate::request::Request;
use reqwest::Method;
use serde::Serialize;

#[derive(Serialize)]
struct Note {
    title: String,
    tags: Vec<String>,
}

fn note() -> Note {
    Note {
        title: "a & b".to_owned(),
        tags: vec!["x".to_owned()],
    }
}

fn body(r: &Request) -> Option<(String, String)> {
    assert!(r.error.is_none(), "{:?}", r.error);
    r.body
        .as_ref()
        .map(|(ty, bytes)| (ty.to_string(), String::from_utf8_lossy(bytes).into_owned()))
}

#[test]
fn json_bodies_match_serde_json() {
    let r = Request::new(Method::POST, "/notes").json_unvalidated(&note());
    assert_eq!(
        body(&r),
        Some((
            "application/json".to_owned(),
            r#"{"title":"a & b","tags":["x"]}"#.to_owned()
        ))
    );
    let r =
        Request::new(Method::POST, "/notes").json_as_unvalidated("application/vnd.x+json", &note());
    assert_eq!(
        body(&r).map(|(ty, _)| ty).as_deref(),
        Some("application/vnd.x+json")
    );
}

#[derive(Serialize)]
struct Flat {
    title: String,
}

#[test]
fn form_bodies_are_urlencoded() {
    let flat = Flat {
        title: "a & b".to_owned(),
    };
    let r = Request::new(Method::POST, "/notes").form_unvalidated(&flat);
    assert_eq!(
        body(&r),
        Some((
            "application/x-www-form-urlencoded".to_owned(),
            "title=a+%26+b".to_owned()
        ))
    );
}

#[test]
fn an_earlier_error_is_kept() {
    let r = Request::new(Method::POST, "/x/{id}")
        .path("id", "", &[crate::validate::Check::MinLength(1)])
        .json_unvalidated(&note());
    assert!(r.error.is_some());
    assert!(r.body.is_none());
}
