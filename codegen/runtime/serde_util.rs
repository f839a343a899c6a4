//! Deserialization helpers for schema shapes that serde's derives handle poorly:
//! untagged unions that say why every variant failed, unions tagged by a
//! property, and single-value string literals.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, Visitor};
use serde_json::Value;

/// Decodes one variant of a union from its JSON value.
pub type VariantFn<T> = fn(Value) -> Result<T, serde_json::Error>;

/// How much of each variant's failure `one_of` reports.
const REASON_LIMIT: usize = 160;
/// How many variants' failures `one_of` lists before summarising the rest.
const REASONS_SHOWN: usize = 8;

/// Decodes an untagged union: the first variant that decodes wins. When none
/// does, the error names every variant tried and why it failed.
pub fn one_of<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    type_name: &str,
    variants: &[(&str, VariantFn<T>)],
) -> Result<T, D::Error> {
    let mut value = Some(Value::deserialize(deserializer)?);
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
    Err(D::Error::custom(message))
}

/// Decodes a union tagged by the string `property`: each entry is
/// `(tag value, variant name, decoder)`.
pub fn tagged<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    type_name: &str,
    property: &str,
    variants: &[(&str, &str, VariantFn<T>)],
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let expected = || {
        variants
            .iter()
            .map(|(tag, ..)| format!("`{tag}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found = match value.get(property) {
        None => {
            let message = format!(
                "missing `{property}` in `{type_name}`, expected one of {}",
                expected()
            );
            return Err(D::Error::custom(message));
        }
        Some(Value::String(tag)) => variants.iter().find(|(t, ..)| t == tag).ok_or_else(|| {
            let tag = bounded(tag, 64);
            D::Error::custom(format!(
                "unknown `{property}` `{tag}` in `{type_name}`, expected one of {}",
                expected()
            ))
        })?,
        Some(other) => {
            let message = format!(
                "`{property}` in `{type_name}` must be a string, found {}",
                kind(other)
            );
            return Err(D::Error::custom(message));
        }
    };
    let (_, name, decode) = found;
    decode(value).map_err(|e| D::Error::custom(format!("invalid `{type_name}::{name}`: {e}")))
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
fn bounded(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let cut = (0..=max)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}…", &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Rsa {
        kty: Kty,
        n: String,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Es256 {
        crv: String,
    }
    #[derive(Debug, PartialEq)]
    struct Kty;
    impl<'de> Deserialize<'de> for Kty {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            literal(d, "RSA").map(|()| Self)
        }
    }
    #[derive(Debug, PartialEq)]
    enum Jwk {
        Rsa(Rsa),
        Es256(Es256),
    }
    impl<'de> Deserialize<'de> for Jwk {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            one_of(
                d,
                "Jwk",
                &[
                    ("Rsa", |v| serde_json::from_value(v).map(Self::Rsa)),
                    ("Es256", |v| serde_json::from_value(v).map(Self::Es256)),
                ],
            )
        }
    }
    #[derive(Debug, PartialEq)]
    enum Pet {
        Cat(Es256),
    }
    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            tagged(
                d,
                "Pet",
                "kind",
                &[("cat", "Cat", |v| serde_json::from_value(v).map(Self::Cat))],
            )
        }
    }

    fn parse<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn one_of_first_match_and_reasons() {
        assert_eq!(
            parse::<Jwk>(r#"{"crv":"P-256"}"#),
            Ok(Jwk::Es256(Es256 {
                crv: "P-256".into()
            }))
        );
        assert_eq!(
            parse::<Jwk>(r#"{"kty":"RSA","n":"x"}"#),
            Ok(Jwk::Rsa(Rsa {
                kty: Kty,
                n: "x".into()
            }))
        );
        assert_eq!(
            parse::<Jwk>(r#"{"kty":"RSA"}"#),
            Err(
                "no variant of `Jwk` matched: Rsa: missing field `n`; Es256: missing field `crv`"
                    .into()
            )
        );
        let err = parse::<Jwk>(r#"{"kty":"EC","n":"x"}"#).expect_err("wrong literal");
        assert!(
            err.starts_with("no variant of `Jwk` matched: Rsa: expected `RSA`, found `EC`;"),
            "{err}"
        );
    }

    #[test]
    fn literal_messages() {
        assert_eq!(parse::<Kty>(r#""RSA""#), Ok(Kty));
        assert_eq!(
            parse::<Kty>(r#""EC""#),
            Err("expected `RSA`, found `EC` at line 1 column 4".into())
        );
        let err = parse::<Kty>("5").expect_err("not a string");
        assert!(
            err.starts_with("invalid type: integer `5`, expected the string `RSA`"),
            "{err}"
        );
    }

    #[test]
    fn tagged_dispatch() {
        assert_eq!(
            parse::<Pet>(r#"{"kind":"cat","crv":"x"}"#),
            Ok(Pet::Cat(Es256 { crv: "x".into() }))
        );
        assert_eq!(
            parse::<Pet>(r#"{"kind":"dog"}"#),
            Err("unknown `kind` `dog` in `Pet`, expected one of `cat`".into())
        );
        assert_eq!(
            parse::<Pet>("{}"),
            Err("missing `kind` in `Pet`, expected one of `cat`".into())
        );
        assert_eq!(
            parse::<Pet>(r#"{"kind":1}"#),
            Err("`kind` in `Pet` must be a string, found a number".into())
        );
        assert_eq!(
            parse::<Pet>(r#"{"kind":"cat"}"#),
            Err("invalid `Pet::Cat`: missing field `crv`".into())
        );
    }

    #[test]
    fn reasons_are_bounded() {
        assert_eq!(bounded("ééé", 3), "é…");
        let long = "x".repeat(1000);
        assert!(bounded(&long, REASON_LIMIT).len() <= REASON_LIMIT + '…'.len_utf8());
    }
}
