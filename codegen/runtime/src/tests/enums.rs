//! Unit tests of `enums`: the wire behaviour `string_enum!` gives an open string enum.

use crate::validate::ParamValue;

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Log,
    Block,
    Unknown(String),
}

crate::string_enum!(Action {
    Log = "log",
    Block = "block",
});

#[test]
fn known_values_map_both_ways() {
    assert_eq!(Action::from("log"), Action::Log);
    assert_eq!(Action::Block.as_str(), "block");
    assert_eq!(Action::Block.to_string(), "block");
    assert_eq!(
        serde_json::to_string(&Action::Log).ok().as_deref(),
        Some("\"log\"")
    );
    let back: Action = serde_json::from_str("\"block\"").unwrap_or(Action::Log);
    assert_eq!(back, Action::Block);
}

#[test]
fn unknown_values_round_trip_verbatim() {
    let value: Result<Action, _> = serde_json::from_str("\"challenge\"");
    assert_eq!(value.ok(), Some(Action::Unknown("challenge".to_owned())));
    let text = serde_json::to_string(&Action::Unknown("challenge".to_owned()));
    assert_eq!(text.ok().as_deref(), Some("\"challenge\""));
}

#[test]
fn escaped_strings_are_decoded_before_matching() {
    let value: Result<Action, _> = serde_json::from_str("\"l\\u006fg\"");
    assert_eq!(value.ok(), Some(Action::Log));
}

#[test]
fn non_strings_are_refused_with_what_was_expected() {
    let err = serde_json::from_str::<Action>("3")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("invalid type: integer `3`, expected a string at line 1 column 1")
    );
}

#[test]
fn parameters_use_the_wire_string() {
    let mut out = Vec::new();
    Action::Block.append_to(&mut out);
    assert_eq!(out, ["block"]);
    assert_eq!(Action::Log.as_single_str(), Some("log"));
}
