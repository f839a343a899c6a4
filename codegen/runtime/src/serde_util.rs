//! Deserialization helpers for schema shapes that serde's derives handle poorly:
//! untagged unions that say why every variant failed, unions tagged by a
//! property, and single-value string literals.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Visitor};
use serde_json::Value;

/// Decodes one variant of a union from its JSON value.
pub type VariantFn<T> = fn(Value) -> Result<T, serde_json::Error>;

/// How much of each variant's failure `one_of` reports.
pub(crate) const REASON_LIMIT: usize = 160;
/// How many variants' failures `one_of` lists before summarising the rest.
const REASONS_SHOWN: usize = 8;

/// Decodes an untagged union: the first variant that decodes wins. When none
/// does, the error names every variant tried and why it failed.
///
/// Only reading the [`Value`] depends on the deserializer; the rest is in
/// [`first_variant`], compiled once per union rather than once per union and
/// deserializer.
pub fn one_of<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    type_name: &str,
    variants: &[(&str, VariantFn<T>)],
) -> Result<T, D::Error> {
    deserializer.deserialize_any(Decide(&|value| first_variant(value, type_name, variants)))
}

/// [`one_of`] past reading the value: the first variant that decodes it, or why none did.
fn first_variant<T>(
    value: Value,
    type_name: &str,
    variants: &[(&str, VariantFn<T>)],
) -> Result<T, String> {
    let mut value = Some(value);
    let mut reasons = Vec::new();
    for (i, (name, decode)) in variants.iter().enumerate() {
        // The last variant may consume the value; the others get a copy.
        let input = if i + 1 == variants.len() {
            value.take()
        } else {
            value.clone()
        };
        let Some(input) = input else { break };
        match decode(input) {
            Ok(decoded) => return Ok(decoded),
            Err(e) if reasons.len() < REASONS_SHOWN => {
                reasons.push(format!("{name}: {}", bounded(&e.to_string(), REASON_LIMIT)));
            }
            Err(_) => {}
        }
    }
    let mut message = format!(
        "no variant of `{type_name}` matched: {}",
        reasons.join("; ")
    );
    if variants.len() > REASONS_SHOWN {
        message.push_str(&format!("; and {} more", variants.len() - REASONS_SHOWN));
    }
    Err(message)
}

/// Decodes a union tagged by the string `property`: each entry is
/// `(tag value, variant name, decoder)`. As with [`one_of`], only reading the value
/// depends on the deserializer.
pub fn tagged<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    type_name: &str,
    property: &str,
    variants: &[(&str, &str, VariantFn<T>)],
) -> Result<T, D::Error> {
    deserializer.deserialize_any(Decide(&|value| {
        tagged_variant(value, type_name, property, variants)
    }))
}

/// Reads a value whole, then decides what it is, inside the deserializer's own visit:
/// a union's error then leaves the deserializer while it still knows where the value
/// ends, and serde_json reports that position, which `json_path` turns into the
/// union's path (raised after reading, it would carry the enclosing object's end).
struct Decide<'f, T>(&'f dyn Fn(Value) -> Result<T, String>);

impl<T> Decide<'_, T> {
    fn finish<E: serde::de::Error>(self, value: Value) -> Result<T, E> {
        (self.0)(value).map_err(E::custom)
    }
}

impl<'de, T> Visitor<'de> for Decide<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<T, E> {
        self.finish(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.finish(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.finish(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        self.finish(Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        self.finish(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
        self.finish(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        self.finish(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<T, E> {
        self.finish(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let value = Value::deserialize(d)?;
        self.finish(value)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value = Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        self.finish(value)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        self.finish(value)
    }
}

/// [`tagged`] past reading the value.
fn tagged_variant<T>(
    value: Value,
    type_name: &str,
    property: &str,
    variants: &[(&str, &str, VariantFn<T>)],
) -> Result<T, String> {
    let expected = || {
        variants
            .iter()
            .map(|(tag, ..)| format!("`{tag}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found = match value.get(property) {
        None => {
            return Err(format!(
                "missing `{property}` in `{type_name}`, expected one of {}",
                expected()
            ));
        }
        Some(Value::String(tag)) => variants.iter().find(|(t, ..)| t == tag).ok_or_else(|| {
            let tag = bounded(tag, 64);
            format!(
                "unknown `{property}` `{tag}` in `{type_name}`, expected one of {}",
                expected()
            )
        })?,
        Some(other) => {
            return Err(format!(
                "`{property}` in `{type_name}` must be a string, found {}",
                kind(other)
            ));
        }
    };
    let (_, name, decode) = found;
    decode(value).map_err(|e| format!("invalid `{type_name}::{name}`: {e}"))
}

/// Accepts exactly the string `expected`: the single value of a one-value enum.
pub fn literal<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<(), D::Error> {
    deserializer.deserialize_str(Literal(expected))
}

struct Literal(&'static str);

impl Visitor<'_> for Literal {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the string `{}`", self.0)
    }

    fn visit_str<E: serde::de::Error>(self, found: &str) -> Result<(), E> {
        if found == self.0 {
            Ok(())
        } else {
            Err(E::custom(format!(
                "expected `{}`, found `{}`",
                self.0,
                bounded(found, 64)
            )))
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// At most `max` bytes of `text`, cut on a character boundary, marked when cut.
pub(crate) fn bounded(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let cut = (0..=max)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}…", &text[..cut])
}
