//! The intermediate representation: plain data between lowering and emission.
//!
//! Invariants, established by `lower` and relied on by `emit`:
//! - every [`TypeId`] indexes [`Api::types`]; type and field names are valid, unique
//!   Rust identifiers in their scope;
//! - fields that would make a type contain itself are marked `boxed`;
//! - every node keeps `origin`, the JSON Pointer of the spec node it came from.
//!
//! No token streams live here: this is what tests snapshot and what reviewers read.

use std::collections::BTreeSet;

/// Index of a named type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A type as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// A string.
    String,
    /// An integer with its width.
    Integer(IntWidth),
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// An RFC 3339 timestamp.
    DateTime,
    /// A UUID.
    Uuid,
    /// Raw bytes (a binary body).
    Bytes,
    /// Any JSON value.
    Json,
    /// A JSON object with no declared properties.
    JsonObject,
    /// A named type.
    Named(TypeId),
    /// A list.
    Array(Box<Ty>),
    /// A map from string keys.
    Map(Box<Ty>),
}

impl Ty {
    /// The named type this type mentions, if any: itself, or what a list or map holds,
    /// at any depth. A `Ty` is a chain, so there is at most one.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            Ty::Named(id) => Some(*id),
            Ty::Array(t) | Ty::Map(t) => t.named(),
            _ => None,
        }
    }

    /// [`Ty::named`], for rewriting the id in place.
    pub fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            Ty::Named(id) => Some(id),
            Ty::Array(t) | Ty::Map(t) => t.named_mut(),
            _ => None,
        }
    }

    /// The named type a value of this type holds inline (not behind a list or map, which
    /// already allocate): the edge that makes a containment cycle.
    pub fn direct(&self) -> Option<TypeId> {
        match self {
            Ty::Named(id) => Some(*id),
            _ => None,
        }
    }
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntWidth {
    /// `int32`.
    I32,
    /// `int64` or unspecified.
    I64,
}

/// A check the client makes before sending (from JSON Schema validation keywords).
#[derive(Debug, Clone, PartialEq, PartialOrd, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// `minLength`.
    MinLength(u64),
    /// `maxLength`.
    MaxLength(u64),
    /// `pattern`.
    Pattern(String),
    /// `minimum`.
    Minimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `minimum` with `exclusiveMinimum`.
    ExclusiveMinimum(f64),
    /// `maximum` with `exclusiveMaximum`.
    ExclusiveMaximum(f64),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `uniqueItems`.
    UniqueItems,
    /// Checks on every item of a list.
    Each(Vec<Check>),
}

/// The lower and upper bounds a list of checks sets, paired by what they bound. The first
/// check of each kind counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    /// `minLength` and `maxLength`.
    pub length: (Option<u64>, Option<u64>),
    /// `minimum` and `maximum`, each possibly exclusive.
    pub value: (Option<Bound>, Option<Bound>),
    /// `minItems` and `maxItems`.
    pub items: (Option<u64>, Option<u64>),
}

/// One end of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// True when the limit itself is outside the range.
    pub exclusive: bool,
}

impl Bounds {
    /// The bounds `checks` set (not those of list items, which `Each` holds).
    pub fn of(checks: &[Check]) -> Self {
        let mut b = Bounds::default();
        let first = |slot: &mut Option<_>, v| {
            slot.get_or_insert(v);
        };
        for c in checks {
            match *c {
                Check::MinLength(v) => first(&mut b.length.0, v),
                Check::MaxLength(v) => first(&mut b.length.1, v),
                Check::MinItems(v) => first(&mut b.items.0, v),
                Check::MaxItems(v) => first(&mut b.items.1, v),
                Check::Minimum(value) | Check::ExclusiveMinimum(value) => {
                    let exclusive = matches!(c, Check::ExclusiveMinimum(_));
                    b.value.0.get_or_insert(Bound { value, exclusive });
                }
                Check::Maximum(value) | Check::ExclusiveMaximum(value) => {
                    let exclusive = matches!(c, Check::ExclusiveMaximum(_));
                    b.value.1.get_or_insert(Bound { value, exclusive });
                }
                Check::Pattern(_) | Check::UniqueItems | Check::Each(_) => {}
            }
        }
        b
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Rustdoc, from the spec's description.
    pub doc: Option<String>,
    /// Where it came from.
    pub origin: String,
    /// What it is.
    pub kind: TypeKind,
    /// The Cargo features that gate it, when resource features are on: those of the
    /// top-level resources whose operations reach it (any one of them enables it);
    /// empty for an ungated type.
    pub features: Vec<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with properties.
    Struct(Struct),
    /// A string enum; unknown values are kept, so responses never fail on new values.
    Enum(Vec<EnumVariant>),
    /// `oneOf`/`anyOf` of several shapes.
    Union(Union),
    /// A single allowed string (`enum: [RSA]`).
    Literal(String),
    /// A list or map that holds itself (a `Tree` whose items are `Tree`s): Rust needs a
    /// name to refer back to, so it wraps the type, and serializes as the value it wraps.
    Newtype(Ty),
}

impl TypeKind {
    /// The types it holds: fields and additional properties, or variants, in order.
    pub fn tys(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.as_ref())
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Enum(_) | TypeKind::Literal(_) => Vec::new(),
        }
    }

    /// [`TypeKind::tys`], for rewriting in place.
    pub fn tys_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(s.additional.as_mut())
                .collect(),
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Enum(_) | TypeKind::Literal(_) => Vec::new(),
        }
    }
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The declared properties, in spec order.
    pub fields: Vec<Field>,
    /// The value type of undeclared properties, when they are allowed and typed.
    pub additional: Option<Ty>,
}

/// A property of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name.
    pub name: String,
    /// The JSON name.
    pub wire: String,
    /// The value type (without the `Option` that `required`/`nullable` add).
    pub ty: Ty,
    /// Listed in `required` (and not dropped for a read-only/write-only direction).
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The spec's `example`, when it is a scalar: shown in docs and beside a failed
    /// pattern.
    pub example: Option<String>,
    /// The spec's `default`, as JSON text: what the server assumes when the field is
    /// absent (the client sends nothing in its place).
    pub default: Option<String>,
    /// Client-side checks.
    pub checks: Vec<Check>,
    /// Boxed to break a containment cycle.
    pub boxed: bool,
    /// `format: password` or `x-sdk-secret`: redacted from `Debug`.
    pub secret: bool,
    /// `readOnly`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only.
    pub write_only: bool,
    /// Where it came from.
    pub origin: String,
}

/// A variant of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The Rust name.
    pub name: String,
    /// The JSON value.
    pub wire: String,
}

/// A union of shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The alternatives, in spec order.
    pub variants: Vec<UnionVariant>,
    /// The discriminator, when the spec declares one.
    pub discriminator: Option<Discriminator>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The payload type.
    pub ty: Ty,
    /// Boxed to break a containment cycle.
    pub boxed: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// A union's discriminator property and the tag of each variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discriminator {
    /// The JSON property holding the tag.
    pub property: String,
    /// `(tag value, index into variants)`.
    pub tags: Vec<(String, usize)>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

impl Location {
    /// The OpenAPI `in` value: `path`, `query`, `header` or `cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// How a parameter is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`, exploded (`a=1&a=2`) or not (`a=1,2`).
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// `simple` (path and header).
    Simple,
    /// Described by `content: application/json`: the value's JSON text, as one string.
    Json,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust name.
    pub name: String,
    /// The wire name.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
    /// Its type.
    pub ty: Ty,
    /// Required parameters are method arguments; optional ones live in a params struct.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The spec's `example`, when it is a scalar: shown in docs and beside a failed
    /// pattern.
    pub example: Option<String>,
    /// The spec's `default`, as JSON text: what the server assumes when it is absent.
    pub default: Option<String>,
    /// Client-side checks.
    pub checks: Vec<Check>,
    /// Serialization style.
    pub style: Style,
    /// Where it came from.
    pub origin: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The media type sent.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The payload type.
    pub ty: Ty,
    /// `required: true`.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// How a body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json` and `+json` types).
    Json,
    /// Raw bytes (`application/octet-stream` and other binary types).
    Bytes,
    /// Text (`text/*`).
    Text,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Raw bytes with a content type the caller names: the document's media types are
    /// wildcards (`*/*`) or several that the client cannot encode.
    Raw,
}

impl BodyEncoding {
    /// The suffix of the method that sends a body in this encoding when it is not the
    /// preferred one.
    pub fn method_suffix(self) -> &'static str {
        match self {
            BodyEncoding::Json => "json",
            BodyEncoding::Form => "form",
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Text => "text",
            BodyEncoding::Bytes => "bytes",
            BodyEncoding::Raw => "raw",
        }
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    /// The envelope's data property (`required` says whether it may be absent).
    Data {
        /// Its type.
        ty: Ty,
        /// False when the data property may be absent.
        required: bool,
    },
    /// One page of a page-number-paginated list.
    Page(Ty),
    /// The whole body.
    Body(Ty),
    /// The body as text.
    Text,
    /// The body as bytes.
    Bytes,
    /// Nothing.
    Empty,
}

/// The Rust type a method hands over on success, read from [`Returns`] once for the client
/// and the surface summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SuccessType<'a> {
    /// The payload type itself.
    Value(&'a Ty),
    /// The payload type, possibly absent: `Option<…>`.
    Optional(&'a Ty),
    /// One page of items: `Page<…>`.
    Page(&'a Ty),
    /// `String`.
    Text,
    /// `Vec<u8>`.
    Bytes,
    /// `()`.
    Unit,
}

impl Returns {
    /// The payload type, when the value is decoded from JSON.
    pub fn ty(&self) -> Option<&Ty> {
        match self {
            Returns::Data { ty, .. } | Returns::Page(ty) | Returns::Body(ty) => Some(ty),
            Returns::Text | Returns::Bytes | Returns::Empty => None,
        }
    }

    /// [`Returns::ty`], for rewriting in place.
    pub fn ty_mut(&mut self) -> Option<&mut Ty> {
        match self {
            Returns::Data { ty, .. } | Returns::Page(ty) | Returns::Body(ty) => Some(ty),
            Returns::Text | Returns::Bytes | Returns::Empty => None,
        }
    }

    /// The Rust type of the success value.
    pub fn success_type(&self) -> SuccessType<'_> {
        match self {
            Returns::Data { ty, required: true } | Returns::Body(ty) => SuccessType::Value(ty),
            Returns::Data {
                ty,
                required: false,
            } => SuccessType::Optional(ty),
            Returns::Page(item) => SuccessType::Page(item),
            Returns::Text => SuccessType::Text,
            Returns::Bytes => SuccessType::Bytes,
            Returns::Empty => SuccessType::Unit,
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The resource path it belongs to (`["pets", "toys"]`); empty = the client itself.
    pub resource: Vec<String>,
    /// The Rust method name.
    pub method_name: String,
    /// Summary line.
    pub summary: Option<String>,
    /// Long description.
    pub description: Option<String>,
    /// External documentation URL.
    pub docs_url: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Parameters: required ones become arguments, in path order then spec order.
    pub params: Vec<Param>,
    /// The optional-parameters struct name, when there are optional parameters.
    pub params_struct: Option<String>,
    /// The request body, in the preferred media type (JSON first).
    pub body: Option<Body>,
    /// The same body in the other media types the spec offers and the client supports;
    /// each gets a method of its own.
    pub alternative_bodies: Vec<Body>,
    /// The method name of each alternative body (`create_form`, …), unique in the resource.
    pub alternative_method_names: Vec<String>,
    /// The success value.
    pub returns: Returns,
    /// Security alternatives, when they differ from the document's.
    pub security: Option<Vec<Vec<String>>>,
    /// Declared safe to repeat (`x-sdk-idempotent: true`), so retried like a GET.
    pub idempotent: bool,
    /// The header carrying an idempotency key (`x-sdk-idempotency-key`).
    pub idempotency_key: Option<String>,
    /// The Cargo feature that gates it, when resource features are on: its top-level
    /// resource's, or for an operation on the client itself its first path segment's.
    pub feature: Option<String>,
    /// Where it came from.
    pub origin: String,
}

impl Operation {
    /// Every type the operation mentions: parameters, bodies and the success value.
    pub fn tys_mut(&mut self) -> impl Iterator<Item = &mut Ty> {
        self.params
            .iter_mut()
            .map(|p| &mut p.ty)
            .chain(
                self.body
                    .iter_mut()
                    .chain(self.alternative_bodies.iter_mut())
                    .map(|b| &mut b.ty),
            )
            .chain(self.returns.ty_mut())
    }
}

/// A group of operations (`client.pets().toys()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Segments from the root, snake case.
    pub path: Vec<String>,
    /// The accessor's name on the parent: the last segment, unless that is taken.
    pub accessor: String,
    /// The Rust struct name.
    pub struct_name: String,
    /// Rustdoc.
    pub doc: String,
    /// The Cargo feature that gates it (its top-level resource's), when resource
    /// features are on.
    pub feature: Option<String>,
}

/// How a security scheme is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer` (http bearer, OAuth2, OpenID Connect).
    Bearer,
    /// http basic.
    Basic,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where it goes.
        location: Location,
        /// The header, query or cookie name.
        param: String,
    },
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: String,
    /// The builder method name.
    pub method_name: String,
    /// How it is applied.
    pub kind: SchemeKind,
    /// The environment variable read by `from_env` (`x-sdk-env`).
    pub env: Option<String>,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// The success envelope (`x-sdk-envelope`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The property that holds the payload.
    pub data: String,
    /// The boolean success flag.
    pub success: Option<String>,
    /// The error list.
    pub errors: Option<String>,
    /// The message list.
    pub messages: Option<String>,
}

/// Page-number pagination (`x-sdk-pagination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The page-number query parameter.
    pub page_param: String,
    /// The page-size query parameter.
    pub per_page_param: String,
    /// The envelope property with the counters.
    pub info: String,
    /// The counter with the number of pages.
    pub total_pages: Option<String>,
}

impl Api {
    /// Every resource feature, sorted.
    pub fn features(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .resources
            .iter()
            .filter_map(|r| r.feature.as_deref())
            .chain(self.operations.iter().filter_map(|o| o.feature.as_deref()))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.x-crate-version`: the generated crate's version, checked semver text.
    pub crate_version: Option<String>,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server URL.
    pub base_url: String,
    /// `x-sdk-base-url-env`.
    pub base_url_env: Option<String>,
    /// Security schemes, in spec order.
    pub schemes: Vec<SecurityScheme>,
    /// Document-level security alternatives.
    pub security: Vec<Vec<String>>,
    /// The envelope, when declared.
    pub envelope: Option<Envelope>,
    /// Pagination, when declared.
    pub pagination: Option<Pagination>,
    /// Named types; [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
    /// Resources, sorted by path.
    pub resources: Vec<Resource>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// Events the API sends to the user's endpoints (OpenAPI 3.1 `webhooks`), in spec
    /// order.
    pub webhooks: Vec<Webhook>,
}

impl Api {
    /// The indexes of the named types `roots` reach, through fields, variants, lists and
    /// maps.
    pub fn reachable<'a>(&'a self, roots: impl IntoIterator<Item = &'a Ty>) -> BTreeSet<usize> {
        let mut todo: Vec<&Ty> = roots.into_iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(ty) = todo.pop() {
            if let Some(id) = ty.named() {
                if seen.insert(id.0) {
                    if let Some(t) = self.types.get(id.0) {
                        todo.extend(t.kind.tys());
                    }
                }
            }
        }
        seen
    }

    /// The named types a user sends: what request bodies (in any media type) and
    /// parameters (a `deepObject` filter) reach.
    pub fn sent(&self) -> BTreeSet<usize> {
        self.reachable(self.operations.iter().flat_map(|o| {
            let bodies = o.body.iter().chain(&o.alternative_bodies).map(|b| &b.ty);
            bodies.chain(o.params.iter().map(|p| &p.ty))
        }))
    }

    /// The named types a user receives: what responses and webhook payloads reach.
    pub fn received(&self) -> BTreeSet<usize> {
        self.reachable(
            self.operations
                .iter()
                .filter_map(|o| o.returns.ty())
                .chain(self.webhooks.iter().map(|w| &w.ty)),
        )
    }
}

/// One incoming event (an OpenAPI 3.1 webhook): the body a receiver decodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// The Rust variant name.
    pub name: String,
    /// The webhook's name in the spec, which the receiver is told by its own routing.
    pub key: String,
    /// The HTTP method the API calls with, lowercase.
    pub method: String,
    /// The payload's type.
    pub ty: Ty,
    /// The webhook's description.
    pub doc: Option<String>,
    /// JSON Pointer to the payload schema.
    pub origin: String,
}
