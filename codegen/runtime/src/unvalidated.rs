//! Request bodies of types without constraints. Generated code implements
//! [`Validate`] only for types whose values can fail validation, and sends a body of
//! any other type with these methods, which encode it as [`Request::json`] and its
//! siblings do.

use serde::{Serialize, Serializer};

use super::form::{Multipart, MultipartBody};
use super::request::Request;
use super::validate::Validate;

impl Request {
    /// Serializes `body` as JSON; for a body type without constraints.
    pub fn json_unvalidated<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.json(&Unconstrained(body))
    }

    /// Like [`Request::json_unvalidated`], with a JSON media type of the API's own.
    pub fn json_as_unvalidated<B: Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: &B,
    ) -> Self {
        self.json_as(content_type, &Unconstrained(body))
    }

    /// Sends `body` as `application/x-www-form-urlencoded`; for a body type without
    /// constraints.
    pub fn form_unvalidated<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.form(&Unconstrained(body))
    }

    /// Sends `body` as `multipart/form-data`; for a body type without constraints.
    pub fn multipart_unvalidated<B: MultipartBody + ?Sized>(self, body: &B) -> Self {
        self.multipart(&Unconstrained(body))
    }
}

/// A body passed through unchanged, in which validation finds nothing.
struct Unconstrained<'a, B: ?Sized>(&'a B);

impl<B: ?Sized> Validate for Unconstrained<'_, B> {}

impl<B: Serialize + ?Sized> Serialize for Unconstrained<'_, B> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<B: MultipartBody + ?Sized> MultipartBody for Unconstrained<'_, B> {
    fn write_parts(&self, form: &mut Multipart) {
        self.0.write_parts(form);
    }
}
