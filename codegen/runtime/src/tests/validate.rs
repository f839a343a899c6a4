//! Unit tests of `validate`.

use crate::validate::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Key {
    kid: String,
}
impl Validate for Key {
    fn validate(&self, v: &mut Validator) {
        v.field("kid", &self.kid, &[Check::MaxLength(3)]);
    }
}
#[derive(Serialize)]
struct Body {
    title: String,
    sources: Vec<String>,
    keys: Vec<Key>,
    count: Option<u32>,
}
impl Validate for Body {
    fn validate(&self, v: &mut Validator) {
        v.field("title", &self.title, &[Check::MaxLength(5)]);
        v.field(
            "sources",
            &self.sources,
            &[
                Check::MinItems(1),
                Check::UniqueItems,
                Check::Each(&[Check::Pattern("^a")]),
            ],
        );
        v.field(
            "count",
            &self.count,
            &[Check::Minimum(1.0), Check::ExclusiveMaximum(10.0)],
        );
        v.nested("keys", &self.keys);
    }
}

fn errors(body: &Body) -> Vec<(String, String)> {
    let mut v = Validator::new("body");
    body.validate(&mut v);
    v.errors
}

fn body() -> Body {
    Body {
        title: "héllo".into(),
        sources: vec!["ab".into()],
        keys: vec![],
        count: None,
    }
}

#[test]
fn valid_body_passes_and_length_counts_chars() {
    assert!(errors(&body()).is_empty());
}

#[test]
fn messages_and_paths() {
    let b = Body {
        title: "123456".into(),
        sources: vec!["ab".into(), "b".into(), "ab".into()],
        keys: vec![Key { kid: "ok".into() }, Key { kid: "long".into() }],
        count: Some(10),
    };
    let got = errors(&b);
    let expected = [
        ("body.title", "length 6 exceeds maxLength 5"),
        (
            "body.sources",
            "items 0 and 2 are equal, but items must be unique",
        ),
        ("body.sources[1]", "does not match pattern `^a`"),
        ("body.count", "10 is not less than exclusiveMaximum 10"),
        ("body.keys[1].kid", "length 4 exceeds maxLength 3"),
    ];
    let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(got, expected);

    let mut v = Validator::new("body");
    b.validate(&mut v);
    let err = v.finish().expect_err("invalid");
    // Every violation at once, the first naming the field.
    assert_eq!(
        err.to_string(),
        "invalid argument `body.title`: length 6 exceeds maxLength 5; \
         `body.sources`: items 0 and 2 are equal, but items must be unique; \
         `body.sources[1]`: does not match pattern `^a`; \
         `body.count`: 10 is not less than exclusiveMaximum 10; \
         `body.keys[1].kid`: length 4 exceeds maxLength 3"
    );
}

#[test]
fn empty_list_and_numbers() {
    let b = Body {
        sources: vec![],
        count: Some(0),
        ..body()
    };
    let got = errors(&b);
    assert_eq!(got[0].1, "has 0 items, fewer than minItems 1");
    assert_eq!(got[1].1, "0 is less than minimum 1");
}

#[test]
fn bad_pattern_is_an_error_not_a_panic() {
    let mut v = Validator::new("");
    v.field("x", "abc", &[Check::Pattern("(?=a)"), Check::Pattern("(")]);
    assert_eq!(v.errors.len(), 2);
    assert_eq!(v.errors[0].0, "x");
    assert!(
        v.errors[0].1.starts_with("invalid pattern `(?=a)`: "),
        "{:?}",
        v.errors
    );
}

#[test]
fn rendered_param_checks() {
    let mut v = Validator::new("token_configuration");
    let values = vec!["a".repeat(36), "short".to_owned()];
    check_rendered(
        &values,
        &[Check::MaxItems(1), Check::Each(&[Check::MinLength(36)])],
        &mut v,
    );
    assert_eq!(
        v.errors[0],
        (
            "token_configuration".into(),
            "has 2 items, more than maxItems 1".into()
        )
    );
    assert_eq!(
        v.errors[1],
        (
            "token_configuration[1]".into(),
            "length 5 is less than minLength 36".into()
        )
    );

    let mut v = Validator::new("per_page");
    check_rendered(
        &["51".to_owned()],
        &[Check::Minimum(5.0), Check::Maximum(50.0)],
        &mut v,
    );
    assert_eq!(
        v.errors,
        [("per_page".into(), "51 exceeds maximum 50".into())]
    );
}

#[test]
fn param_values_render() {
    let mut out = Vec::new();
    Some(vec![1u8, 2]).append_to(&mut out);
    None::<String>.append_to(&mut out);
    true.append_to(&mut out);
    2.5f64.append_to(&mut out);
    5.0f64.append_to(&mut out);
    "x".append_to(&mut out);
    time::OffsetDateTime::UNIX_EPOCH.append_to(&mut out);
    assert_eq!(
        out,
        ["1", "2", "true", "2.5", "5", "x", "1970-01-01T00:00:00Z"]
    );
    let mut fields = Vec::new();
    let map = BTreeMap::from([("a".to_owned(), vec![1, 2]), ("b".to_owned(), vec![3])]);
    assert!(map.append_fields(&mut fields));
    assert_eq!(
        fields,
        [
            ("a".to_owned(), "1,2".to_owned()),
            ("b".to_owned(), "3".to_owned())
        ]
    );
    assert!(!"x".append_fields(&mut fields));
}

#[test]
fn json_text_params_are_one_string() {
    let mut out = Vec::new();
    JsonText(&BTreeMap::from([("a", vec![1, 2])])).append_to(&mut out);
    JsonText("x").append_to(&mut out);
    JsonText(&None::<u8>).append_to(&mut out);
    JsonText(&Some([true])).append_to(&mut out);
    assert_eq!(out, [r#"{"a":[1,2]}"#, r#""x""#, "[true]"]);
}

#[test]
fn a_failed_pattern_shows_the_example() {
    let mut v = Validator::new("");
    v.field(
        "zone",
        "not a zone",
        &[Check::PatternWithExample(
            "^[0-9a-f]{32}$",
            "023e105f4ecef8ad9ca31a8372d0c353",
        )],
    );
    let err = v.finish().expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "invalid argument `zone`: does not match pattern `^[0-9a-f]{32}$`; \
         a valid value looks like `023e105f4ecef8ad9ca31a8372d0c353`"
    );
}
