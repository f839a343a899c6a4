//! The hand-written client runtime that every generated crate carries.
//!
//! It knows nothing about any particular API: generated code describes the API in
//! an [`ApiDescriptor`] and builds each operation from [`Request`], [`Client::call`]
//! and a [`decode`] function. See the generator's `codegen/runtime/CONTRACT.md`.
//!
//! This file is the root of the `client-runtime` crate, which builds, lints and tests the
//! runtime on its own. Up to its test section it is also, verbatim, `src/runtime/mod.rs`
//! of every generated crate, beside a copy of each module it declares; so modules refer
//! to each other by `super::` paths, never from the crate root.

#![warn(missing_docs)]

mod attempt;
mod auth;
mod call;
mod client;
pub mod decode;
mod descriptor;
mod enums;
mod error;
mod form;
mod json_path;
mod page;
mod pagination;
mod request;
mod retry;
mod serde_util;
mod unvalidated;
mod validate;
mod wire;

pub use call::{Call, Response};
pub use client::{Client, ClientBuilder};
pub use decode::{DecodeCtx, Decoder};
pub use descriptor::{
    ApiDescriptor, Envelope, Pagination, ParamLocation, SchemeKind, SecurityScheme,
};
pub use enums::from_wire_str;
#[allow(
    unused_imports,
    reason = "generated code names it `rt::string_enum!`; an API without string enums does not"
)]
pub(crate) use enums::string_enum;
pub use error::{ApiError, ApiMessage, DecodeError, Error, Operation, TransportError};
pub use form::{Binary, FileValue, Multipart, MultipartBody};
pub use futures_core::Stream;
pub use futures_util::StreamExt;
pub use page::{Page, PageInfo};
pub use request::{Request, Style};
pub use reqwest::Method;
pub use retry::{Sleep, TokioSleep};
pub use serde_util::{literal, one_of, tagged, VariantFn};
pub use validate::{Check, Checkable, JsonText, ParamValue, Validate, Validator};

#[cfg(test)]
// `string_enum!` names `$crate::runtime`, where generated crates keep this module.
extern crate self as runtime;

#[cfg(test)]
mod tests {
    mod auth;
    mod client;
    mod decode;
    mod enums;
    mod error;
    mod form;
    mod json_path;
    mod request;
    mod retry;
    mod serde_util;
    mod unvalidated;
    mod validate;
    mod wire;
}
