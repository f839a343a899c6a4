//! Unit tests of `serde_util`.

use crate::serde_util::*;
use serde::de::Deserializer;
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
            "no variant of `Jwk` matched: Rsa: missing field `n`; Es256: missing field `crv` \
             at line 1 column 13"
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
        Err("unknown `kind` `dog` in `Pet`, expected one of `cat` at line 1 column 14".into())
    );
    assert_eq!(
        parse::<Pet>("{}"),
        Err("missing `kind` in `Pet`, expected one of `cat` at line 1 column 2".into())
    );
    assert_eq!(
        parse::<Pet>(r#"{"kind":1}"#),
        Err("`kind` in `Pet` must be a string, found a number at line 1 column 10".into())
    );
    assert_eq!(
        parse::<Pet>(r#"{"kind":"cat"}"#),
        Err("invalid `Pet::Cat`: missing field `crv` at line 1 column 14".into())
    );
}

#[test]
fn reasons_are_bounded() {
    assert_eq!(bounded("ééé", 3), "é…");
    let long = "x".repeat(1000);
    assert!(bounded(&long, REASON_LIMIT).len() <= REASON_LIMIT + '…'.len_utf8());
}
