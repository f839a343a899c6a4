//! The generated crate's semver: its API surface as data, a diff of two surfaces
//! classified by what it means to the crate's users, and the version bump that needs.
//!
//! The surface is keyed by what a user writes (`client.rules().list`, `Rule.name`), not by
//! spec pointers, so that a change to the spec that keeps the Rust API is no change here.
//! Every map is a `BTreeMap`, so the serialized surface is deterministic and diffs well.
//!
//! A baseline is read back from an earlier generator, so every field recorded after the
//! first has `#[serde(default)]`: an old baseline stays readable. Where the default
//! cannot tell "nothing" from "not recorded" the field is an `Option`, `None` for not
//! recorded, and [`classify`] compares it only when both sides have it.

mod classify;
mod version;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::emit::signatures;
use crate::ir::{Api, Body, Check, Operation, Param, Returns, SchemeKind, TypeDef, TypeKind};
use crate::surface::{chain, rust_type, ty};

pub use classify::{classify, Bump, Change, Class};
pub use version::Version;

/// Everything a user of the generated crate can name, with what the spec says about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    /// Client methods by call chain: `client.rules().list`.
    pub operations: BTreeMap<String, OperationSurface>,
    /// Resource accessors by call chain: `client.rules()`.
    pub resources: BTreeMap<String, ResourceSurface>,
    /// Named types by Rust name.
    pub types: BTreeMap<String, TypeSurface>,
    /// Incoming events by `Webhook` variant.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub webhooks: BTreeMap<String, WebhookSurface>,
    /// Credential setters by `ClientBuilder` method name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<BTreeMap<String, CredentialSurface>>,
    /// The crate's resource features, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
}

/// A `ClientBuilder` method that sets one security scheme's credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialSurface {
    /// The scheme's name in the spec.
    pub scheme: String,
    /// How the credential is sent.
    pub sent: String,
}

/// A variant of the `#[non_exhaustive]` `Webhook` enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookSurface {
    /// The webhook's name in the spec.
    pub key: String,
    /// The HTTP method the API calls with, lowercase.
    pub method: String,
    /// The payload type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Rustdoc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// A resource accessor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceSurface {
    /// The struct it returns.
    pub name: String,
    /// The Cargo feature that gates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// Rustdoc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// A client method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The method's arguments after `&self`, in order: they are positional, so their
    /// order and types are the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Vec<ArgumentSurface>>,
    /// Parameters by Rust name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, ParamSurface>,
    /// The request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySurface>,
    /// The Rust type of the success value.
    pub returns: String,
    /// Decoded from the whole body rather than from the data the body wraps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole_body: bool,
    /// Marked `#[deprecated]`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// The Cargo feature that gates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// Summary and description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// One argument of a client method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArgumentSurface {
    /// Its name.
    pub name: String,
    /// Its Rust type, as the method declares it.
    #[serde(rename = "type")]
    pub ty: String,
}

/// A parameter of a client method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSurface {
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// The wire name.
    pub wire: String,
    /// The Rust type.
    #[serde(rename = "type")]
    pub ty: String,
    /// A method argument; optional parameters sit in the params struct.
    #[serde(default)]
    pub required: bool,
    /// Client-side checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// The spec's `default`, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Rustdoc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodySurface {
    /// The media type sent.
    pub media_type: String,
    /// The Rust type.
    #[serde(rename = "type")]
    pub ty: String,
    /// A method argument rather than an `Option`.
    #[serde(default)]
    pub required: bool,
}

/// Which way a type travels: what its Rust API offers depends on it (request types
/// have constructors, response types are built only by the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent only: a body or parameter reaches it.
    Request,
    /// Received only: a success value or webhook reaches it.
    Response,
    /// Both sent and received.
    Both,
}

impl Direction {
    /// Users build values of it, so a new required field breaks them.
    pub fn sent(self) -> bool {
        matches!(self, Direction::Request | Direction::Both)
    }

    /// The client decodes values of it.
    pub fn received(self) -> bool {
        matches!(self, Direction::Response | Direction::Both)
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// Which way it travels.
    pub direction: Direction,
    /// The Cargo features that gate it (any one enables it), comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// Rustdoc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// What it is.
    #[serde(flatten)]
    pub shape: Shape,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Shape {
    /// A struct.
    Struct {
        /// Fields by Rust name.
        fields: BTreeMap<String, FieldSurface>,
        /// The value type of undeclared properties.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<String>,
    },
    /// An open enum: wire value → Rust variant.
    Enum {
        /// Its values.
        values: BTreeMap<String, String>,
    },
    /// A union: Rust variant → payload type.
    Union {
        /// Its variants.
        variants: BTreeMap<String, String>,
        /// The discriminator property.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        discriminator: Option<String>,
        /// Accessors of the fields every variant has: method → return type.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        accessors: Option<BTreeMap<String, String>>,
        /// The payload types it has `From` impls for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Vec<String>>,
    },
    /// A single allowed string.
    Literal {
        /// The string.
        value: String,
    },
    /// A wrapper of a list or map that holds itself.
    Newtype {
        /// The wrapped type.
        inner: String,
    },
}

impl Shape {
    /// What kind of item it is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::Enum { .. } => "enum",
            Shape::Union { .. } => "union",
            Shape::Literal { .. } => "literal",
            Shape::Newtype { .. } => "newtype",
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSurface {
    /// The JSON name.
    pub wire: String,
    /// The Rust type, without the `Option` that `required` and `nullable` add.
    #[serde(rename = "type")]
    pub ty: String,
    /// Present in every value.
    #[serde(default)]
    pub required: bool,
    /// May be `null`.
    #[serde(default)]
    pub nullable: bool,
    /// Client-side checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// The spec's `default`, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Rustdoc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// The API surface of the crate generated from `api`.
pub fn surface(api: &Api) -> Surface {
    let mut out = Surface::default();
    for r in &api.resources {
        out.resources.insert(
            chain(api, &r.path),
            ResourceSurface {
                name: r.struct_name.clone(),
                feature: r.feature.clone(),
                docs: Some(r.doc.clone()).filter(|d| !d.is_empty()),
            },
        );
    }
    for op in &api.operations {
        operation(api, op, &mut out.operations);
    }
    let sent = api.sent();
    let received = api.received();
    for (i, t) in api.types.iter().enumerate() {
        let direction = match (sent.contains(&i), received.contains(&i)) {
            (true, true) => Direction::Both,
            (false, true) => Direction::Response,
            // Every emitted type is reachable from one side; were one not, calling it
            // sent is the stricter reading.
            (_, false) => Direction::Request,
        };
        out.types
            .insert(t.name.clone(), type_surface(api, t, direction));
    }
    for w in &api.webhooks {
        let hook = WebhookSurface {
            key: w.key.clone(),
            method: w.method.clone(),
            ty: ty(api, &w.ty),
            docs: w.doc.clone(),
        };
        out.webhooks.insert(w.name.clone(), hook);
    }
    out.credentials = Some(
        api.schemes
            .iter()
            .map(|s| {
                let sent = match &s.kind {
                    SchemeKind::Bearer => "bearer".to_owned(),
                    SchemeKind::Basic => "basic".to_owned(),
                    SchemeKind::ApiKey { location, param } => {
                        format!("{} `{param}`", location.as_str())
                    }
                };
                let scheme = s.name.clone();
                (s.method_name.clone(), CredentialSurface { scheme, sent })
            })
            .collect(),
    );
    out.features = Some(api.features().into_iter().map(str::to_owned).collect());
    out
}

/// An operation's method, and one per alternative body media type.
fn operation(api: &Api, op: &Operation, out: &mut BTreeMap<String, OperationSurface>) {
    let base = chain(api, &op.resource);
    let docs = [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    let method = OperationSurface {
        method: op.method.clone(),
        path: op.path.clone(),
        params: op
            .params
            .iter()
            .map(|p| (p.name.clone(), param(api, p)))
            .collect(),
        arguments: None,
        body: None,
        returns: rust_type(api, &op.returns),
        whole_body: matches!(op.returns, Returns::Body(_)),
        deprecated: op.deprecated,
        feature: op.feature.clone(),
        docs: Some(docs).filter(|d| !d.is_empty()),
    };
    let bodies = op.body.iter().map(|b| (&op.method_name, b)).chain(
        op.alternative_method_names
            .iter()
            .zip(&op.alternative_bodies),
    );
    for (name, b) in bodies {
        let body = Some(BodySurface {
            media_type: b.media_type.clone(),
            ty: ty(api, &b.ty),
            required: b.required,
        });
        out.insert(
            format!("{base}.{name}"),
            OperationSurface {
                arguments: Some(arguments(api, op, Some(b))),
                body,
                ..method.clone()
            },
        );
    }
    if op.body.is_none() {
        let arguments = Some(arguments(api, op, None));
        out.insert(
            format!("{base}.{}", op.method_name),
            OperationSurface {
                arguments,
                ..method
            },
        );
    }
}

fn arguments(api: &Api, op: &Operation, body: Option<&Body>) -> Vec<ArgumentSurface> {
    signatures::arguments(api, op, body)
        .into_iter()
        .map(|(name, ty)| ArgumentSurface { name, ty })
        .collect()
}

fn param(api: &Api, p: &Param) -> ParamSurface {
    ParamSurface {
        location: p.location.as_str().to_owned(),
        wire: p.wire.clone(),
        ty: ty(api, &p.ty),
        required: p.required,
        checks: p.checks.clone(),
        default: p.default.clone(),
        docs: p.doc.clone(),
    }
}

fn type_surface(api: &Api, t: &TypeDef, direction: Direction) -> TypeSurface {
    let shape = match &t.kind {
        TypeKind::Struct(s) => Shape::Struct {
            fields: s
                .fields
                .iter()
                .map(|f| {
                    let field = FieldSurface {
                        wire: f.wire.clone(),
                        ty: if f.boxed {
                            format!("Box<{}>", ty(api, &f.ty))
                        } else {
                            ty(api, &f.ty)
                        },
                        required: f.required,
                        nullable: f.nullable,
                        checks: f.checks.clone(),
                        default: f.default.clone(),
                        docs: f.doc.clone(),
                    };
                    (f.name.clone(), field)
                })
                .collect(),
            additional: s.additional.as_ref().map(|a| ty(api, a)),
        },
        TypeKind::Enum(vs) => Shape::Enum {
            values: vs
                .iter()
                .map(|v| (v.wire.clone(), v.name.clone()))
                .collect(),
        },
        TypeKind::Union(u) => Shape::Union {
            variants: u
                .variants
                .iter()
                .map(|v| (v.name.clone(), ty(api, &v.ty)))
                .collect(),
            discriminator: u.discriminator.as_ref().map(|d| d.property.clone()),
            accessors: Some(signatures::union_accessors(api, u).into_iter().collect()),
            from: Some(signatures::union_from(api, u)),
        },
        TypeKind::Literal(v) => Shape::Literal { value: v.clone() },
        TypeKind::Newtype(inner) => Shape::Newtype {
            inner: ty(api, inner),
        },
    };
    TypeSurface {
        direction,
        feature: Some(t.features.join(", ")).filter(|f| !f.is_empty()),
        docs: t.doc.clone(),
        shape,
    }
}

#[cfg(test)]
mod tests;
