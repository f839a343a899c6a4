//! Open string enums: generated code declares the enum (its known variants, each
//! documented, and `Unknown(String)`) and invokes [`string_enum!`] once for the rest.
//!
//! The wire form is the variant's string both ways; a value the client does not know
//! yet deserializes to `Unknown` and serializes back unchanged, so a response never
//! fails on a value added to the API later.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Visitor};

/// Implements the wire behaviour of an open string enum: `as_str`, `Display`,
/// `From<&str>`, `Serialize`, `Deserialize` and `ParamValue`. Takes the enum's name
/// and its known variants with their wire strings:
/// `string_enum!(Action { Log = "log", Block = "block" });`.
// Every path is absolute: the macro expands in generated modules, whose imports it
// cannot rely on.
#[allow(unused_macros, reason = "an API without string enums never invokes it")]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                $crate::runtime::from_wire_str(deserializer)
            }
        }

        impl $crate::runtime::ParamValue for $name {
            fn append_to(&self, out: &mut ::std::vec::Vec<::std::string::String>) {
                out.push(::std::borrow::ToOwned::to_owned(self.as_str()));
            }

            fn as_single_str(&self) -> ::std::option::Option<&str> {
                ::std::option::Option::Some(self.as_str())
            }
        }
    };
}

// Lets generated code name the macro by path (`rt::string_enum!`).
pub(crate) use string_enum;

/// Deserializes a value of `T` from a string, through `From<&str>`; the string is
/// borrowed from the input where the format allows, and copied only into `Unknown`.
pub fn from_wire_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    deserializer.deserialize_string(WireStr(PhantomData))
}

/// Visits the string form of a `T`.
struct WireStr<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for WireStr<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<T, E> {
        match std::str::from_utf8(value) {
            Ok(value) => Ok(T::from(value)),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(value), &self)),
        }
    }
}
