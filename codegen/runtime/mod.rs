//! The hand-written client runtime that every generated crate carries.
//!
//! It knows nothing about any particular API: generated code describes the API in
//! an [`ApiDescriptor`] and builds each operation from [`Request`], [`Client::call`]
//! and a [`decode`] function. See `CONTRACT.md` beside these files.

// Each generated crate uses only part of the runtime, depending on its API.
// (No `reason =`: generated crates support Rust 1.80.)
#![allow(dead_code, unused_imports)]

mod auth;
mod call;
mod client;
pub mod decode;
mod descriptor;
mod enums;
mod error;
mod form;
mod pagination;
mod request;
mod retry;
mod serde_util;
mod unvalidated;
mod validate;

pub use call::{Call, Response};
pub use client::{Client, ClientBuilder};
pub use decode::{DecodeCtx, Decoder};
pub use descriptor::{
    ApiDescriptor, Envelope, Pagination, ParamLocation, SchemeKind, SecurityScheme,
};
pub(crate) use enums::{from_wire_str, string_enum};
pub use error::{ApiError, ApiMessage, DecodeError, Error};
pub use form::{Binary, FileValue, Multipart, MultipartBody};
pub use futures_core::Stream;
pub use pagination::{Page, PageInfo};
pub use request::{Request, Style};
pub use reqwest::Method;
pub use retry::{Sleep, TokioSleep};
pub use serde_util::{literal, one_of, tagged, VariantFn};
pub use validate::{Check, Checkable, ParamValue, Validate, Validator};
