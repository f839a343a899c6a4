//! YAML text → a JSON tree, with YAML errors told in our words at the parser's position.
//!
//! The text is read straight into `serde_json` values by a visitor of our own, not
//! through `serde_yaml::Value`: that one refuses integers beyond 64 bits, which published
//! specs carry (`minimum: -9223372036854776000` is `i64::MIN` after a JavaScript round
//! trip). Such an integer is read as the nearest 64-bit float, and a number no float
//! can carry (`1e400`, `.inf`) is left out; both with a warning at the exact node.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};
use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::Pointer;

/// Parses `text`; on failure reports why and returns `None`.
pub(super) fn parse(text: &str, r: &mut Reporter<'_>) -> Option<Value> {
    let reader = Reader {
        path: RefCell::new(Vec::new()),
        widened: RefCell::new(Vec::new()),
    };
    match Node(&reader).deserialize(serde_yaml::Deserializer::from_str(text)) {
        Ok(value) => {
            for (at, message, help) in reader.widened.into_inner() {
                r.warning(at, message).help(help);
            }
            Some(value.unwrap_or(Value::Null))
        }
        Err(e) => {
            let note = r.error("#", yaml_message(&e.to_string()));
            match e.location() {
                Some(at) => note.at(at.line(), at.column()),
                None => note.at(1, 1),
            };
            None
        }
    }
}

/// What a YAML parser's complaint means, in our words; its text is for its authors.
fn yaml_message(parser_text: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        (
            "did not find expected key",
            "a mapping key was expected here; check the indentation",
        ),
        (
            "found unexpected end of stream",
            "the document ends inside a value; check for an unclosed quote or bracket",
        ),
        (
            "mapping values are not allowed",
            "a `key: value` pair where none can be; quote a value that holds `: `",
        ),
        (
            "cannot start any plain scalar",
            "a value starts with a character that needs quotes",
        ),
        (
            "did not find expected node content",
            "a value was expected here",
        ),
        (
            "could not find expected ':'",
            "a key without a `:` after it",
        ),
        (
            "did not find expected ',' or ']'",
            "a flow list is not closed with `]`",
        ),
        (
            "did not find expected ',' or '}'",
            "a flow mapping is not closed with `}`",
        ),
        (
            "did not find expected '-'",
            "a list item was expected here; check the indentation",
        ),
        ("tab", "a tab where YAML needs spaces for indentation"),
        (
            "unknown escape",
            "an unknown escape in a double-quoted string",
        ),
        ("duplicate entry", "a key appears twice in the same mapping"),
        (
            "scalar mapping key",
            "a mapping key must be a scalar, not a list or a mapping",
        ),
        (
            "unknown anchor",
            "an alias names an anchor that is not defined",
        ),
        (
            "undefined alias",
            "an alias names an anchor that is not defined",
        ),
        ("recursion limit", "the document nests too deeply"),
        (
            "repetition limit",
            "aliases expand the document too many times",
        ),
        (
            "more than one document",
            "the file holds more than one YAML document; a spec is one document",
        ),
    ];
    let meaning = KNOWN
        .iter()
        .find(|(needle, _)| parser_text.contains(needle))
        .map_or("the document cannot be read as YAML here", |(_, ours)| ours);
    format!("invalid YAML: {meaning}")
}

/// What the reader keeps while it walks: where it is, and the numbers it had to change.
struct Reader {
    /// The tokens from the root to the node being read.
    path: RefCell<Vec<Token>>,
    /// Warnings for numbers read as floats or left out: pointer, message, help.
    widened: RefCell<Vec<(Pointer, String, &'static str)>>,
}

enum Token {
    Key(String),
    Index(usize),
}

impl Reader {
    fn here(&self) -> Pointer {
        self.path
            .borrow()
            .iter()
            .fold(Pointer::root(), |at, token| match token {
                Token::Key(key) => at.join(key),
                Token::Index(i) => at.index(*i),
            })
    }

    /// An integer beyond 64 bits, as the float nearest to it.
    #[allow(
        clippy::cast_precision_loss,
        reason = "the nearest float is the documented reading of such an integer"
    )]
    fn wide(&self, text: String, float: f64) -> Option<Value> {
        self.widened.borrow_mut().push((
            self.here(),
            format!("integer `{text}` does not fit in 64 bits; it is read as the nearest float, {float:.0}"),
            "write it within the 64-bit range, or as a float such as `-9.2e18`",
        ));
        self.float(float)
    }

    /// A float, or nothing (with a warning) when JSON cannot carry it.
    fn float(&self, float: f64) -> Option<Value> {
        let number = serde_json::Number::from_f64(float);
        if number.is_none() {
            self.widened.borrow_mut().push((
                self.here(),
                format!(
                    "the number `{}` cannot be carried by a 64-bit float; it is left out",
                    yaml_float(float)
                ),
                "write a finite number, or leave the keyword out",
            ));
        }
        number.map(Value::Number)
    }
}

/// A float that JSON cannot carry, written as YAML writes it.
fn yaml_float(float: f64) -> &'static str {
    match float {
        f if f.is_nan() => ".nan",
        f if f > 0.0 => ".inf",
        _ => "-.inf",
    }
}

/// A node of the document: its JSON value, or `None` when it is left out.
#[derive(Clone, Copy)]
struct Node<'r>(&'r Reader);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML node")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }

    #[allow(clippy::cast_precision_loss, reason = "see `Reader::wide`")]
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(self.0.wide(v.to_string(), v as f64))
    }

    #[allow(clippy::cast_precision_loss, reason = "see `Reader::wide`")]
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(self.0.wide(v.to_string(), v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.0.float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Value::String(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        for i in 0.. {
            self.0.path.borrow_mut().push(Token::Index(i));
            let item = seq.next_element_seed(self);
            self.0.path.borrow_mut().pop();
            match item? {
                Some(Some(item)) => items.push(item),
                Some(None) => {}
                None => break,
            }
        }
        Ok(Some(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate entry with key {key:?}"
                )));
            }
            // The key rides on the path while its value is read, then goes into the map.
            self.0.path.borrow_mut().push(Token::Key(key));
            let value = map.next_value_seed(self);
            let key = match self.0.path.borrow_mut().pop() {
                Some(Token::Key(key)) => key,
                _ => String::new(),
            };
            if let Some(value) = value? {
                out.insert(key, value);
            }
        }
        Ok(Some(Value::Object(out)))
    }

    /// A tagged node (`!tag value`): the tag says nothing JSON can keep.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let (_tag, value): (String, _) = data.variant()?;
        value.newtype_variant_seed(self)
    }
}

/// A mapping key: JSON keys are strings, so scalars are written out (`200:` is a number
/// in YAML and `"200"` here).
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(serde_yaml::Number::from(v).to_string())
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_text_never_reaches_the_message() {
        let text = "did not find expected key at line 14 column 6, while parsing a block mapping";
        assert_eq!(
            yaml_message(text),
            "invalid YAML: a mapping key was expected here; check the indentation"
        );
        assert_eq!(
            yaml_message("something new at line 1"),
            "invalid YAML: the document cannot be read as YAML here"
        );
    }

    /// Each diagnostic as its pointer, line and message.
    type Found = Vec<(String, Option<usize>, String)>;

    fn read(text: &str) -> (Option<Value>, Found) {
        let lines = crate::load::LineIndex::new(text);
        let mut r = Reporter::new("spec.yaml", &lines);
        let value = parse(text, &mut r);
        let found = r
            .finish()
            .items()
            .iter()
            .map(|d| (d.pointer.clone(), d.line, d.message.clone()))
            .collect();
        (value, found)
    }

    #[test]
    fn integers_beyond_64_bits_are_read_as_floats_with_a_warning() {
        let text = "a:\n  seed:\n    minimum: -9223372036854776000\n    maximum: 9223372036854776000\n  big: [1, 100000000000000000000000]\n";
        let (value, found) = read(text);
        let value = value.unwrap_or_default();
        assert_eq!(
            value["a"]["seed"]["minimum"].as_f64(),
            Some(-9.223_372_036_854_776e18)
        );
        // Within u64: exact, and no warning.
        assert_eq!(
            value["a"]["seed"]["maximum"].as_u64(),
            Some(9_223_372_036_854_776_000)
        );
        assert_eq!(value["a"]["big"][1].as_f64(), Some(1e23));
        let at: Vec<(&str, Option<usize>)> = found
            .iter()
            .map(|(p, line, _)| (p.as_str(), *line))
            .collect();
        assert_eq!(at, [("#/a/seed/minimum", Some(3)), ("#/a/big/1", Some(5))]);
        assert_eq!(
            found[0].2,
            "integer `-9223372036854776000` does not fit in 64 bits; it is read as the nearest float, -9223372036854775808"
        );
    }

    #[test]
    fn numbers_no_float_carries_are_left_out() {
        let (value, found) = read("a: {minimum: .inf, b: 1}\nc: [-.inf, 2]\n");
        assert_eq!(value, Some(serde_json::json!({"a": {"b": 1}, "c": [2]})));
        let at: Vec<&str> = found.iter().map(|(p, ..)| p.as_str()).collect();
        assert_eq!(at, ["#/a/minimum", "#/c/0"]);
    }

    #[test]
    fn keys_are_strings_and_yaml_errors_stay_errors() {
        let (value, _) = read("200: a\ntrue: b\n~: c\nx: !t [1]\n");
        assert_eq!(
            value,
            Some(serde_json::json!({"200": "a", "true": "b", "null": "c", "x": [1]}))
        );
        let (value, found) = read("a: 1\nb: 2\na: 3\n");
        assert_eq!(value, None);
        assert_eq!(
            found[0].2,
            "invalid YAML: a key appears twice in the same mapping"
        );
        let (_, found) = read("? [a]\n: 1\n");
        assert_eq!(
            found[0].2,
            "invalid YAML: a mapping key must be a scalar, not a list or a mapping"
        );
        let (_, found) = read("a: 1\n---\nb: 2\n");
        assert!(
            found[0].2.contains("more than one YAML document"),
            "{found:?}"
        );
        assert_eq!(read("").0, Some(Value::Null));
    }
}
