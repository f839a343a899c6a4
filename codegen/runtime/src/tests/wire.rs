//! Unit tests of `wire`.

use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
use reqwest::Method;

use super::client::API;
use crate::client::ClientBuilder;
use crate::request::Request;
use crate::wire::prepare;

#[test]
fn prepare_attaches_credentials() {
    let client = ClientBuilder::new(&API)
        .credential("api_email", "me@example.com")
        .credential("api_key", "k&y")
        .build()
        .expect("client");
    let request = Request::new(Method::GET, "/zones/{id}").path("id", "a/b", &[]);
    let mut extra = HeaderMap::new();
    extra.insert("x-extra", HeaderValue::from_static("1"));
    let p = prepare(&client.inner, &request, Some(("page", 2)), &extra).expect("prepared");
    assert_eq!(
        p.url().as_str(),
        "https://api.example.com/v4/zones/a%2Fb?page=2&key=k%26y"
    );
    assert_eq!(p.headers()["x-auth-email"], "me@example.com");
    assert!(p.headers()["x-auth-email"].is_sensitive());
    assert_eq!(p.headers()[USER_AGENT], "example/1.0");
    assert_eq!(p.headers()["x-extra"], "1");
    assert!(!p.headers().contains_key(reqwest::header::AUTHORIZATION));

    let relative = Request::new(Method::GET, "rel").security(&[]);
    let p = prepare(&client.inner, &relative, None, &HeaderMap::new()).expect("prepared");
    assert_eq!(p.url().as_str(), "https://api.example.com/v4/rel");
    // Resolved against the base, this would be a URL on another host.
    let other_host = ClientBuilder::new(&API)
        .base_url("https://api.example.com")
        .credential("api_token", "t")
        .build()
        .expect("client");
    let request = Request::new(Method::GET, "//evil.example/{x}").path("x", "y", &[]);
    let p = prepare(&other_host.inner, &request, None, &HeaderMap::new()).expect("prepared");
    assert_eq!(p.url().as_str(), "https://api.example.com//evil.example/y");
    // The parser drops tabs and newlines, after which this too would name a host.
    let tabbed = Request::new(Method::GET, "/\t/evil.example/x");
    let p = prepare(&other_host.inner, &tabbed, None, &HeaderMap::new()).expect("prepared");
    assert_eq!(p.url().as_str(), "https://api.example.com//evil.example/x");
    // A base path that starts with `//` is sent once, not twice.
    let slashed = ClientBuilder::new(&API)
        .base_url("https://api.example.com//api")
        .credential("api_token", "t")
        .build()
        .expect("client");
    let p = prepare(
        &slashed.inner,
        &Request::new(Method::GET, "/zones"),
        Some(("page", 2)),
        &HeaderMap::new(),
    )
    .expect("prepared");
    assert_eq!(
        p.url().as_str(),
        "https://api.example.com//api/zones?page=2"
    );

    let public = Request::new(Method::GET, "/public").security(&[]);
    assert!(prepare(&client.inner, &public, None, &HeaderMap::new()).is_ok());
    let token_only = Request::new(Method::GET, "/t").security(&[&["api_token"]]);
    let err = prepare(&client.inner, &token_only, None, &HeaderMap::new())
        .map(drop)
        .expect_err("no token");
    assert_eq!(err.to_string(), "no credentials: set RTDEV_TEST_TOKEN");
}
