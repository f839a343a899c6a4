//! Unit tests of `json_path`: the path it finds from serde_json's position is the one
//! `serde_path_to_error` finds by decoding again with tracking.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::json_path::path_at;

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Root {
    success: bool,
    result: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Rule {
    id: String,
    #[serde(default)]
    tags: BTreeMap<String, u32>,
    credentials: Option<Credentials>,
    #[serde(default)]
    hit: Option<Hit>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Credentials {
    keys: Vec<Key>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "only decoded")]
struct Key {
    kid: String,
    size: Option<u16>,
}

/// A union as generated code decodes one, with `rt::one_of`.
#[derive(Debug)]
#[allow(dead_code, reason = "only decoded")]
enum Hit {
    Number(u64),
    Key(Key),
}

impl<'de> Deserialize<'de> for Hit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::one_of(
            d,
            "Hit",
            &[
                ("Number", |value| {
                    serde_json::from_value(value).map(Self::Number)
                }),
                ("Key", |value| serde_json::from_value(value).map(Self::Key)),
            ],
        )
    }
}

/// The path `serde_path_to_error` reports for the first error decoding `body` as `T`,
/// and the one `path_at` finds from serde_json's position.
fn both<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, String) {
    let first = serde_json::from_str::<T>(body).expect_err(body);
    let mut de = serde_json::Deserializer::from_str(body);
    let tracked = serde_path_to_error::deserialize::<_, T>(&mut de).expect_err(body);
    let oracle = tracked.path().to_string();
    let oracle = if oracle == "." { String::new() } else { oracle };
    let found = path_at(body.as_bytes(), first.line(), first.column());
    (oracle, found)
}

const BROKEN: &[&str] = &[
    // A scalar of the wrong type, at each depth.
    r#"{"success":1,"result":[]}"#,
    r#"{"success":true,"result":{}}"#,
    r#"{"success":true,"result":[{"id":5}]}"#,
    r#"{"success":true,"result":[{"id":"a"},{"id":"b","credentials":{"keys":[{"kid":"x"},{"kid":7}]}}]}"#,
    r#"{"success":true,"result":[{"id":"a","credentials":{"keys":[{"kid":"x","size":70000}]}}]}"#,
    // A container where a scalar belongs, and the reverse.
    r#"{"success":true,"result":[{"id":{"a":[1,2]}}]}"#,
    r#"{"success":true,"result":[{"id":"a","credentials":"none"}]}"#,
    // Missing fields, reported at the end of their object.
    r#"{"success":true}"#,
    r#"{"success":true,"result":[{"id":"a"},{}]}"#,
    r#"{"success":true,"result":[{"id":"a","credentials":{"keys":[{"size":1}]}}]}"#,
    // Map values, and keys with escapes.
    r#"{"success":true,"result":[{"id":"a","tags":{"x":1,"y":"two"}}]}"#,
    r#"{"success":true,"result":[{"id":"a","tags":{"a\"b\\c\u00e9":"two"}}]}"#,
    // An untagged union that matches no variant: the union's path.
    r#"{"success":true,"result":[{"id":"a","hit":{"kid":1}}]}"#,
    r#"{"success":true,"result":[{"id":"a","hit":"seven"}]}"#,
    // Unknown keys are skipped on the way.
    r#"{"extra":{"deep":[{"x":[1,{"y":2}]}]},"success":true,"result":[{"id":"a","other":[{}],"credentials":{"keys":[{"kid":[]}]}}]}"#,
];

#[test]
fn the_path_is_the_one_tracking_finds() {
    for body in BROKEN {
        let (oracle, found) = both::<Root>(body);
        assert_eq!(found, oracle, "{body}");
    }
}

#[test]
fn pretty_printed_bodies_map_lines_and_columns() {
    for body in BROKEN {
        let value: serde_json::Value = serde_json::from_str(body).expect(body);
        let pretty = serde_json::to_string_pretty(&value).expect("prints");
        let (oracle, found) = both::<Root>(&pretty);
        assert_eq!(found, oracle, "{pretty}");
        // CRLF line ends, as some servers send.
        let crlf = pretty.replace('\n', "\r\n");
        let (oracle, found) = both::<Root>(&crlf);
        assert_eq!(found, oracle, "{crlf}");
    }
}

#[test]
fn roots_that_are_not_objects() {
    assert_eq!(
        both::<Vec<Key>>(r#"[{"kid":"a"},{"kid":"b","size":-1}]"#).1,
        "[1].size"
    );
    assert_eq!(both::<Vec<Key>>(r#"[{"kid":"a"},{}]"#).1, "[1]");
    assert_eq!(both::<Vec<Key>>(r#"{"kid":"a"}"#).1, "");
    assert_eq!(both::<u8>("300").1, "");
}

#[test]
fn a_truncated_body_names_where_it_stops_without_panicking() {
    let body = r#"{"success":true,"result":[{"id":"a","credentials":{"keys":[{"kid":"#;
    let first = serde_json::from_str::<Root>(body).expect_err("truncated");
    assert_eq!(
        path_at(body.as_bytes(), first.line(), first.column()),
        "result[0].credentials.keys[0].kid"
    );
    // Positions past the end, and garbage, are clamped rather than trusted.
    assert_eq!(path_at(b"", 9, 9), "");
    assert_eq!(path_at(b"{\"a\":[1,", 1, 99), "a[1]");
    assert_eq!(path_at(b"{\"a\\", 1, 4), "");
    assert_eq!(path_at(b"[[[[", 1, 2), "[0][0]");
}

#[test]
fn deep_nesting_is_walked_only_as_deep_as_serde_json_went() {
    // serde_json stops at its recursion limit; the walk stops at the offset, so a
    // hostile body cannot make it recurse further than that.
    let deep = "[".repeat(100_000);
    let first = serde_json::from_str::<serde_json::Value>(&deep).expect_err("too deep");
    let path = path_at(deep.as_bytes(), first.line(), first.column());
    let depth = path.matches("[0]").count();
    assert!((100..=200).contains(&depth), "{depth} levels: {first}");
}
