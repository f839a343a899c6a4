//! Named types → `types.rs`: structs, open enums, unions, literals and newtypes, each
//! with its serde impls, and a `Validate` impl where its values can fail validation.
//!
//! In a crate with resource features, a struct, union or newtype that only requests
//! reach gets its `Deserialize` impl, and one that only responses reach its `Serialize`
//! impl, only with the crate feature [`BOTH_WAYS`] (on by default): a build that picks
//! its resources compiles one direction of those types' serde code, the direction the
//! client uses. Enums and literals keep both: their impls are a few lines each.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{check_tokens, ident, ty_tokens, Position, Validated};
use crate::ir::{Api, Field, Struct, Ty, TypeDef, TypeKind, Union};
use crate::runtime::BOTH_WAYS;

/// The top-level pieces of `types.rs`, each formatted on its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    /// Module docs, lint allowances and imports.
    Preamble,
    /// One named type with its impls, by index into `Api::types`.
    Type(usize),
}

/// What every part of `types.rs` may need to know about the whole API.
#[derive(Debug)]
pub(crate) struct Context {
    /// Types used as parameters (they also get a `ParamValue` impl).
    params: BTreeSet<usize>,
    /// Types sent as multipart bodies (they also get a `MultipartBody` impl).
    multipart: BTreeSet<usize>,
    /// Types a request reaches through its body or parameters (structs among them get a
    /// constructor).
    requests: BTreeSet<usize>,
    /// Types a response or webhook reaches.
    responses: BTreeSet<usize>,
    /// Whether a one-way type's other serde impl waits for [`BOTH_WAYS`]: only in a
    /// crate with resource features, so small crates are as they always were.
    one_way: bool,
    /// The generated crate's name as a path, which doc examples import.
    krate: String,
}

impl Context {
    pub(crate) fn new(api: &Api, crate_name: &str) -> Self {
        let multipart = api
            .operations
            .iter()
            .flat_map(|o| o.body.iter().chain(&o.alternative_bodies))
            .filter(|b| b.encoding == crate::ir::BodyEncoding::Multipart)
            .filter_map(|b| {
                if let Ty::Named(id) = &b.ty {
                    Some(id.0)
                } else {
                    None
                }
            })
            .collect();
        Context {
            params: param_types(api),
            multipart,
            requests: api.sent(),
            responses: api.received(),
            one_way: !api.features().is_empty(),
            krate: crate_name.replace('-', "_"),
        }
    }
}

/// The parts of `types.rs`, in file order.
pub(crate) fn parts(api: &Api) -> Vec<Part> {
    std::iter::once(Part::Preamble)
        .chain((0..api.types.len()).map(Part::Type))
        .collect()
}

pub(crate) fn emit_part(api: &Api, cx: &Context, validated: &Validated, part: Part) -> TokenStream {
    match part {
        Part::Preamble => {
            let import = uses_runtime(api, cx, validated).map(|ungated| {
                let allow = (!ungated).then(|| {
                    quote!(#[allow(unused_imports, reason = "only feature-gated types use the runtime")])
                });
                quote!(
                    #allow
                    use crate::runtime as rt;
                )
            });
            quote! {
                #![doc = " The API's data types, generated from its schemas."]
                #![allow(
                    clippy::large_enum_variant,
                    clippy::enum_variant_names,
                    clippy::doc_lazy_continuation,
                    clippy::doc_overindented_list_items,
                    clippy::type_complexity,
                    reason = "names, sizes, nesting and docs mirror the spec"
                )]

                #import
            }
        }
        Part::Type(i) => {
            let Some(t) = api.types.get(i) else {
                return TokenStream::new();
            };
            let request = cx.requests.contains(&i).then_some(cx.krate.as_str());
            let item = emit_type(api, validated, t, request, cx.way(i));
            let as_param = cx.params.contains(&i).then(|| param_value_via_json(t));
            let as_multipart = cx
                .multipart
                .contains(&i)
                .then(|| multipart_body(t))
                .flatten();
            quote!(#item #as_param #as_multipart)
        }
    }
}

impl Context {
    /// The directions type `i` travels in, as far as its serde impls are concerned.
    fn way(&self, i: usize) -> Way {
        match (self.requests.contains(&i), self.responses.contains(&i)) {
            _ if !self.one_way => Way::Both,
            (true, false) => Way::Sent,
            (false, true) => Way::Received,
            // Reached by both, or by neither (a schema no operation uses).
            _ => Way::Both,
        }
    }
}

/// Which serde impls a type always has; the other one is compiled with [`BOTH_WAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Both,
    /// Only requests reach it: `Serialize` always, `Deserialize` with the feature.
    Sent,
    /// Only responses reach it: `Deserialize` always, `Serialize` with the feature.
    Received,
}

impl Way {
    /// The serde derives a struct or newtype always has, and the attribute that adds the
    /// other one with [`BOTH_WAYS`]. One derive is always there, so `#[serde]` helper
    /// attributes always resolve.
    fn derives(self) -> (Vec<TokenStream>, Option<TokenStream>) {
        let ser = quote!(serde::Serialize);
        let de = quote!(serde::Deserialize);
        match self {
            Way::Both => (vec![ser, de], None),
            Way::Sent => (
                vec![ser],
                Some(quote!(#[cfg_attr(feature = #BOTH_WAYS, derive(#de))])),
            ),
            Way::Received => (
                vec![de],
                Some(quote!(#[cfg_attr(feature = #BOTH_WAYS, derive(#ser))])),
            ),
        }
    }
}

/// Whether any item of `types.rs` names the runtime: every type but a struct does, and a
/// struct that is validated, a parameter, a multipart body or holds `rt::Binary`. `None`
/// when none does, else whether an ungated one does (when only feature-gated types do,
/// the import is unused without their features).
fn uses_runtime(api: &Api, cx: &Context, validated: &Validated) -> Option<bool> {
    fn binary(ty: &Ty) -> bool {
        match ty {
            Ty::Bytes => true,
            Ty::Array(t) | Ty::Map(t) => binary(t),
            _ => false,
        }
    }
    let mut users = api
        .types
        .iter()
        .enumerate()
        .filter(|&(i, t)| match &t.kind {
            TypeKind::Struct(s) => {
                validated.is(i)
                    || cx.params.contains(&i)
                    || cx.multipart.contains(&i)
                    || s.fields.iter().any(|f| binary(&f.ty))
                    || s.additional.as_ref().is_some_and(binary)
            }
            TypeKind::Newtype(_) => validated.is(i) || cx.params.contains(&i),
            TypeKind::Enum(_) | TypeKind::Literal(_) | TypeKind::Union(_) => true,
        });
    let first = users.next()?;
    Some(
        std::iter::once(first)
            .chain(users)
            .any(|(_, t)| t.features.is_empty()),
    )
}

/// Structs, unions and newtypes used as parameters (a `deepObject` filter, say).
fn param_types(api: &Api) -> BTreeSet<usize> {
    fn named(ty: &Ty, out: &mut BTreeSet<usize>) {
        match ty {
            Ty::Named(id) => {
                out.insert(id.0);
            }
            Ty::Array(t) | Ty::Map(t) => named(t, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for op in &api.operations {
        for p in &op.params {
            named(&p.ty, &mut out);
        }
    }
    out.retain(|i| {
        matches!(
            api.types.get(*i).map(|t| &t.kind),
            Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Newtype(_))
        )
    });
    out
}

/// A multipart body writes one part per field; binary fields become file parts.
fn multipart_body(t: &TypeDef) -> Option<TokenStream> {
    let TypeKind::Struct(s) = &t.kind else {
        return None;
    };
    let name = ident(&t.name);
    let parts = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let is_file =
            matches!(&f.ty, Ty::Bytes) || matches!(&f.ty, Ty::Array(inner) if **inner == Ty::Bytes);
        if is_file {
            quote!(form.file(#wire, &self.#fname);)
        } else {
            quote!(form.field(#wire, &self.#fname);)
        }
    });
    Some(quote! {
        impl rt::MultipartBody for #name {
            fn write_parts(&self, form: &mut rt::Multipart) {
                #(#parts)*
            }
        }
    })
}

/// Objects in parameters are rendered through their JSON form.
fn param_value_via_json(t: &TypeDef) -> TokenStream {
    let name = ident(&t.name);
    quote! {
        impl rt::ParamValue for #name {
            fn append_to(&self, out: &mut Vec<String>) {
                if let Ok(value) = serde_json::to_value(self) {
                    value.append_to(out);
                }
            }

            fn append_fields(&self, out: &mut Vec<(String, String)>) -> bool {
                serde_json::to_value(self).is_ok_and(|value| value.append_fields(out))
            }
        }
    }
}

/// `request` is the crate's name when a request reaches the type, for the example
/// of its constructor.
fn emit_type(
    api: &Api,
    validated: &Validated,
    t: &TypeDef,
    request: Option<&str>,
    way: Way,
) -> TokenStream {
    let name = ident(&t.name);
    let fallback = format!("The `{}` schema.", t.name);
    let doc = doc_attrs(t.doc.as_deref(), &fallback);
    match &t.kind {
        TypeKind::Struct(s) => {
            let item = emit_struct(api, validated, &name, &doc, s, request.is_some(), way);
            let constructor =
                request.map(|krate| super::builders::constructor(api, &name, s, krate));
            quote!(#item #constructor)
        }
        TypeKind::Enum(variants) => {
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
            let wires: Vec<_> = variants.iter().map(|v| v.wire.as_str()).collect();
            let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #( #[doc = #variant_docs] #idents, )*
                    /// A value this client does not know yet, kept verbatim.
                    Unknown(String),
                }

                rt::string_enum!(#name { #(#idents = #wires),* });
            }
        }
        TypeKind::Literal(value) => {
            let value_doc = format!(" Always `{value}`.");
            quote! {
                #doc
                #[doc = ""]
                #[doc = #value_doc]
                #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub struct #name;

                impl #name {
                    /// The only allowed value.
                    pub const VALUE: &'static str = #value;

                    /// The only allowed value, as the wire has it.
                    pub fn as_str(&self) -> &'static str {
                        Self::VALUE
                    }
                }

                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(Self::VALUE)
                    }
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        rt::literal(d, Self::VALUE).map(|()| Self)
                    }
                }
            }
        }
        TypeKind::Union(u) => emit_union(api, validated, &name, &doc, &t.name, u, way),
        TypeKind::Newtype(inner) => emit_newtype(api, validated, &name, &doc, inner, way),
    }
}

/// A tuple struct around a list or map that holds itself; on the wire it is that value.
fn emit_newtype(
    api: &Api,
    validated: &Validated,
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    inner: &Ty,
    way: Way,
) -> TokenStream {
    let ty = ty_tokens(api, inner, Position::Field);
    let (serde, other_way) = way.derives();
    let validate = validated.holds(inner).then(|| {
        quote! {
            impl rt::Validate for #name {
                fn validate(&self, v: &mut rt::Validator) {
                    rt::Validate::validate(&self.0, v);
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #(#serde),*)]
        #other_way
        #[serde(transparent)]
        pub struct #name(pub #ty);

        #validate
    }
}

fn field_type(api: &Api, f: &Field) -> TokenStream {
    let mut ty = ty_tokens(api, &f.ty, Position::Field);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if !f.required || f.nullable {
        ty = quote!(Option<#ty>);
    }
    ty
}

/// One field of a struct: its docs, its serde attributes and its declaration.
fn field_tokens(api: &Api, f: &Field) -> TokenStream {
    let fname = ident(&f.name);
    let ty = field_type(api, f);
    let mut fallback = format!("The `{}` property.", f.wire);
    if f.read_only {
        fallback.push_str(" Set by the server.");
    }
    let doc = doc_attrs(f.doc.as_deref(), &fallback);
    let mut serde_args = Vec::new();
    if f.name != f.wire {
        let wire = &f.wire;
        serde_args.push(quote!(rename = #wire));
    }
    let optional = !f.required;
    if optional {
        serde_args.push(quote!(default));
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if f.ty == Ty::DateTime && !f.boxed {
        let with = if optional || f.nullable {
            "time::serde::rfc3339::option"
        } else {
            "time::serde::rfc3339"
        };
        serde_args.push(quote!(with = #with));
    }
    let serde_attr = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    quote! {
        #doc
        #serde_attr
        pub #fname: #ty,
    }
}

/// A struct is `#[non_exhaustive]`, so a new field is a minor release; users build a
/// request type with its constructor, a response value by deserializing it. Only a
/// request type derives `Default` (when every field is optional): on a response type a
/// new required field would remove the impl, a major change for an additive spec change.
fn emit_struct(
    api: &Api,
    validated: &Validated,
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    s: &Struct,
    request: bool,
    way: Way,
) -> TokenStream {
    let has_secret = s.fields.iter().any(|f| f.secret);
    let all_optional = s.fields.iter().all(|f| !f.required || f.nullable);
    let (serde, other_way) = way.derives();
    let mut derives = vec![quote!(Clone), quote!(PartialEq)];
    derives.extend(serde);
    if !has_secret {
        derives.insert(0, quote!(Debug));
    }
    if all_optional && request {
        derives.push(quote!(Default));
    }
    let fields: Vec<TokenStream> = s.fields.iter().map(|f| field_tokens(api, f)).collect();
    let additional = s.additional.as_ref().map(|a| {
        let ty = ty_tokens(api, a, Position::Field);
        quote! {
            /// Properties not declared by the schema.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let validate = emit_validate(validated, name, s);
    let debug = has_secret.then(|| {
        let entries = s.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let label = &f.name;
            if f.secret {
                quote!(.field(#label, &"[redacted]"))
            } else {
                quote!(.field(#label, &self.#fname))
            }
        });
        let name_str = name.to_string();
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#name_str) #(#entries)* .finish_non_exhaustive()
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #other_way
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #debug
        #validate
    }
}

/// `rt::Validate` for a struct whose fields can fail validation; nothing otherwise.
fn emit_validate(validated: &Validated, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let mut calls = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let wire = &f.wire;
        if !f.checks.is_empty() {
            let checks = check_tokens(&f.checks, f.example.as_deref());
            calls.push(quote!(v.field(#wire, &self.#fname, #checks);));
        }
        if validated.holds(&f.ty) {
            calls.push(quote!(v.nested(#wire, &self.#fname);));
        }
    }
    if calls.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl rt::Validate for #name {
            fn validate(&self, v: &mut rt::Validator) {
                #(#calls)*
            }
        }
    }
}

fn emit_union(
    api: &Api,
    validated: &Validated,
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    type_name: &str,
    u: &Union,
    way: Way,
) -> TokenStream {
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.name);
            let mut ty = ty_tokens(api, &v.ty, Position::Field);
            if v.boxed {
                ty = quote!(Box<#ty>);
            }
            let fallback = format!("The `{}` variant.", v.name);
            let vdoc = doc_attrs(v.doc.as_deref(), &fallback);
            quote!(#vdoc #vname(#ty),)
        })
        .collect();
    let attempt = |v: &crate::ir::UnionVariant| {
        let vname = ident(&v.name);
        if v.boxed {
            quote!(|value| serde_json::from_value(value).map(|inner| Self::#vname(Box::new(inner))))
        } else {
            quote!(|value| serde_json::from_value(value).map(Self::#vname))
        }
    };
    let deserialize_body = match &u.discriminator {
        None => {
            let entries = u.variants.iter().map(|v| {
                let label = &v.name;
                let f = attempt(v);
                quote!((#label, #f))
            });
            quote!(rt::one_of(d, #type_name, &[#(#entries),*]))
        }
        Some(d) => {
            let property = &d.property;
            let entries = d.tags.iter().filter_map(|(tag, i)| {
                let v = u.variants.get(*i)?;
                let label = &v.name;
                let f = attempt(v);
                Some(quote!((#tag, #label, #f)))
            });
            quote!(rt::tagged(d, #type_name, #property, &[#(#entries),*]))
        }
    };
    let validate = union_validate(validated, name, u);
    let accessors = super::builders::union_accessors(api, name, u);
    let from_impls = from_payloads(api, u).into_iter().map(|(payload, variant)| {
        let payload = ident(payload);
        let vname = ident(variant);
        quote! {
            impl From<#payload> for #name {
                fn from(value: #payload) -> Self {
                    Self::#vname(value)
                }
            }
        }
    });
    // The `Serialize` derive carries its own helper attribute, so the two go together.
    let serialize = if way == Way::Received {
        quote! {
            #[derive(Debug, Clone, PartialEq)]
            #[cfg_attr(feature = #BOTH_WAYS, derive(serde::Serialize), serde(untagged))]
        }
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)] #[serde(untagged)])
    };
    let deserialize_gate = (way == Way::Sent).then(|| quote!(#[cfg(feature = #BOTH_WAYS)]));
    quote! {
        #doc
        #serialize
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #deserialize_body
            }
        }

        #validate
        #(#from_impls)*
        #accessors
    }
}

/// `rt::Validate` for a union with a variant that can fail validation; nothing otherwise.
fn union_validate(validated: &Validated, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let (checked, rest): (Vec<_>, Vec<_>) = u.variants.iter().partition(|v| validated.holds(&v.ty));
    let body = match (checked.as_slice(), rest.is_empty()) {
        ([], _) => return TokenStream::new(),
        // One variant to look into among others reads as an `if let` (clippy's
        // `single_match` asks for it).
        ([only], false) => {
            let vname = ident(&only.name);
            quote! {
                if let Self::#vname(inner) = self {
                    rt::Validate::validate(inner, v);
                }
            }
        }
        (checked, _) => {
            let arms = checked.iter().map(|v| {
                let vname = ident(&v.name);
                quote!(Self::#vname(inner) => rt::Validate::validate(inner, v),)
            });
            let rest = (!rest.is_empty()).then(|| {
                let names = rest.iter().map(|v| ident(&v.name));
                quote!(#(Self::#names(_))|* => {})
            });
            quote! {
                match self {
                    #(#arms)*
                    #rest
                }
            }
        }
    };
    quote! {
        impl rt::Validate for #name {
            fn validate(&self, v: &mut rt::Validator) {
                #body
            }
        }
    }
}

/// The payload types a union converts from, each with its variant: `From` only where the
/// payload type names the variant unambiguously.
pub(crate) fn from_payloads<'a>(api: &'a Api, u: &'a Union) -> Vec<(&'a str, &'a str)> {
    u.variants
        .iter()
        .filter_map(|v| {
            let Ty::Named(id) = &v.ty else { return None };
            let unique = u.variants.iter().filter(|o| o.ty == v.ty).count() == 1;
            if !unique || v.boxed {
                return None;
            }
            Some((api.types.get(id.0)?.name.as_str(), v.name.as_str()))
        })
        .collect()
}
