//! Operations → `client.rs`: the API descriptor the runtime reads, credential setters,
//! one struct per resource, and one thin method per operation.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, lines, sanitize};
use super::examples::example_call;
use super::{check_tokens, ident, ty_tokens, Position, Validated};
use crate::ir::{
    Api, BodyEncoding, Location, Operation, Param, Resource, Returns, SchemeKind, Style,
    SuccessType, Ty,
};

/// The top-level pieces of `client.rs`, each formatted on its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    /// Module docs, imports and the API descriptor.
    Preamble,
    /// `impl rt::Client`: constructors, top-level accessors and operations.
    Client,
    /// `impl rt::ClientBuilder`: one setter per credential.
    Builder,
    /// One resource struct and its methods, by index into `Api::resources`.
    Resource(usize),
    /// One operation's optional-parameters struct, by index into `Api::operations`.
    Params(usize),
}

/// The resource tree, indexed once for every part of `client.rs`.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    /// Resources by the path of their parent (empty for top-level ones).
    children: BTreeMap<Vec<String>, Vec<&'a Resource>>,
    /// Operations by the path of their resource (empty for those on the client).
    ops_by_resource: BTreeMap<Vec<String>, Vec<&'a Operation>>,
    /// The generated crate's name as a path (`my_api`), which doc examples import.
    krate: String,
}

impl<'a> Context<'a> {
    /// The generated crate's name as a path.
    pub(crate) fn krate(&self) -> &str {
        &self.krate
    }

    pub(crate) fn new(api: &'a Api, crate_name: &str) -> Self {
        let mut children: BTreeMap<Vec<String>, Vec<&Resource>> = BTreeMap::new();
        for res in &api.resources {
            children
                .entry(res.path[..res.path.len().saturating_sub(1)].to_vec())
                .or_default()
                .push(res);
        }
        let mut ops_by_resource: BTreeMap<Vec<String>, Vec<&Operation>> = BTreeMap::new();
        for op in &api.operations {
            ops_by_resource
                .entry(op.resource.clone())
                .or_default()
                .push(op);
        }
        Context {
            children,
            ops_by_resource,
            krate: crate_name.replace('-', "_"),
        }
    }

    /// Accessors for the children of `parent`. Each hands out an owned handle (a cheap
    /// clone of the client), so `let rules = client.a().b();` works and a handle can
    /// move into a spawned task.
    fn accessors(&self, parent: &[String], client: &TokenStream) -> Vec<TokenStream> {
        let Some(list) = self.children.get(parent) else {
            return Vec::new();
        };
        list.iter()
            .map(|res| {
                let name = ident(&res.accessor);
                let ty = ident(&res.struct_name);
                let doc = lines(&res.doc);
                let allow = lint_allowances(&res.accessor);
                // A nested accessor lives in its parent's impl, gated with it already.
                let cfg = res
                    .feature
                    .as_deref()
                    .filter(|_| parent.is_empty())
                    .map(|f| quote!(#[cfg(feature = #f)]));
                quote! {
                    #doc
                    #cfg
                    #allow
                    pub fn #name(&self) -> #ty {
                        #ty { client: #client.clone() }
                    }
                }
            })
            .collect()
    }

    /// The methods of every operation on the resource at `path`.
    fn methods(
        &self,
        api: &Api,
        validated: &Validated,
        path: &[String],
        client: &TokenStream,
    ) -> Vec<TokenStream> {
        self.ops_by_resource
            .get(path)
            .map(|ops| {
                ops.iter()
                    .map(|op| methods(api, validated, op, client, &self.krate))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The parts of `client.rs`, in file order.
pub(crate) fn parts(api: &Api) -> Vec<Part> {
    let params = api
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| op.params_struct.is_some())
        .map(|(i, _)| Part::Params(i));
    // An API without security schemes has no credential setters, and no empty impl.
    let builder = (!api.schemes.is_empty()).then_some(Part::Builder);
    [Part::Preamble, Part::Client]
        .into_iter()
        .chain(builder)
        .chain((0..api.resources.len()).map(Part::Resource))
        .chain(params)
        .collect()
}

/// The resource feature that gates a part: a resource's, or an operation's for its
/// parameters struct.
pub(crate) fn feature(api: &Api, part: Part) -> Option<&str> {
    match part {
        Part::Resource(i) => api.resources.get(i)?.feature.as_deref(),
        Part::Params(i) => api.operations.get(i)?.feature.as_deref(),
        Part::Preamble | Part::Client | Part::Builder => None,
    }
}

pub(crate) fn emit_part(
    api: &Api,
    cx: &Context<'_>,
    validated: &Validated,
    part: Part,
) -> TokenStream {
    match part {
        Part::Preamble => {
            let descriptor = descriptor(api);
            quote! {
                #![doc = " The client: configuration, credentials, resources and one method per operation."]
                #![allow(
                    clippy::doc_lazy_continuation,
                    clippy::doc_overindented_list_items,
                    clippy::type_complexity,
                    reason = "docs and nested types come verbatim from the spec"
                )]

                use crate::runtime as rt;
                #[allow(unused_imports, reason = "not every API uses every type")]
                use crate::types::*;

                #descriptor
            }
        }
        Part::Client => {
            let root_accessors = cx.accessors(&[], &quote!(self));
            let root_methods = cx.methods(api, validated, &[], &quote!(self));
            let env = lines(&environment_doc(api));
            let [builder, from_env] = crate::runtime::CONSTRUCTORS.map(ident);
            let api = ident(crate::runtime::DESCRIPTOR);
            quote! {
                #env
                impl rt::Client {
                    /// Starts configuring a client; see [`ClientBuilder`](crate::ClientBuilder)
                    /// for the settings and their defaults.
                    pub fn #builder() -> rt::ClientBuilder {
                        rt::ClientBuilder::new(&#api)
                    }

                    /// Builds a client from the environment variables listed above, with
                    /// the default settings.
                    pub fn #from_env() -> Result<rt::Client, rt::Error> {
                        rt::ClientBuilder::new(&#api).from_env().build()
                    }

                    #(#root_accessors)*
                    #(#root_methods)*
                }
            }
        }
        Part::Builder => {
            let setters = setters(api);
            let env = lines(&environment_doc(api));
            quote! {
                #env
                impl rt::ClientBuilder {
                    #(#setters)*
                }
            }
        }
        Part::Resource(i) => {
            let Some(res) = api.resources.get(i) else {
                return TokenStream::new();
            };
            let ty = ident(&res.struct_name);
            let doc = lines(&format!("{}{}", res.doc, resource_links(api, &res.path)));
            let nested = cx.accessors(&res.path, &quote!(self.client));
            let methods = cx.methods(api, validated, &res.path, &quote!(self.client));
            let derives = crate::runtime::RESOURCE_DERIVES.map(ident);
            quote! {
                #doc
                #[derive(#(#derives),*)]
                pub struct #ty {
                    client: rt::Client,
                }

                impl #ty {
                    #(#nested)*
                    #(#methods)*
                }
            }
        }
        Part::Params(i) => api
            .operations
            .get(i)
            .and_then(|op| params_struct(api, op))
            .unwrap_or_default(),
    }
}

/// The environment `from_env` reads, for the docs of the client and its builder: the
/// base URL variable and one variable per credential, grouped by the security
/// alternatives that accept them.
fn environment_doc(api: &Api) -> String {
    let mut vars = Vec::new();
    if let Some(var) = &api.base_url_env {
        vars.push(format!(
            "- `{var}`: the base URL (default `{}`)",
            api.base_url
        ));
    }
    for s in &api.schemes {
        if let Some(var) = &s.env {
            vars.push(format!("- `{var}`: the `{}` credential", s.name));
        }
    }
    let mut text = String::from("# Environment\n\n");
    if vars.is_empty() {
        text.push_str("The API names no environment variables, so `from_env` reads none.");
    } else {
        text.push_str("`Client::from_env` and `ClientBuilder::from_env` read:\n\n");
        text.push_str(&vars.join("\n"));
    }
    let alternatives: Vec<String> = api
        .security
        .iter()
        .filter(|alt| !alt.is_empty())
        .map(|alt| {
            let names: Vec<String> = alt.iter().map(|n| format!("`{n}`")).collect();
            names.join(" with ")
        })
        .collect();
    if !alternatives.is_empty() {
        text.push_str(&format!(
            "\n\nA call needs one of: {}. Empty variables count as unset.",
            alternatives.join("; or ")
        ));
    }
    // The defaults are the runtime's, documented once beside them on `ClientBuilder`.
    text.push_str(
        "\n\n# Defaults\n\nRetries, timeouts and size limits are listed on \
         [`ClientBuilder`](crate::ClientBuilder), each with the method that changes it; \
         most can also be set per call on `Call`.",
    );
    text
}

/// One setter per security scheme on the client builder.
fn setters(api: &Api) -> Vec<TokenStream> {
    api.schemes
        .iter()
        .map(|s| {
            let m = ident(&s.method_name);
            let name = &s.name;
            let how = match &s.kind {
                SchemeKind::Bearer => "sent as `Authorization: Bearer …`".to_owned(),
                SchemeKind::Basic => "`user:password`, sent with HTTP basic auth".to_owned(),
                SchemeKind::ApiKey { location, param } => {
                    let place = match location {
                        Location::Header => "header",
                        Location::Query => "query parameter",
                        Location::Cookie => "cookie",
                        Location::Path => "path",
                    };
                    format!("sent in the `{param}` {place}")
                }
            };
            let env = s
                .env
                .as_deref()
                .map(|e| format!(" `from_env` reads it from `{e}`."))
                .unwrap_or_default();
            let first = format!("Sets the `{name}` credential, {how}.{env}");
            let doc = match &s.doc {
                Some(d) => lines(&format!("{first}\n\n{}", sanitize(d))),
                None => lines(&first),
            };
            let allow = lint_allowances(&s.method_name);
            quote! {
                #doc
                #allow
                pub fn #m(self, value: impl Into<String>) -> Self {
                    self.credential(#name, value)
                }
            }
        })
        .collect()
}

fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn descriptor(api: &Api) -> TokenStream {
    let base = &api.base_url;
    let base_env = opt_str(api.base_url_env.as_deref());
    let schemes = api.schemes.iter().map(|s| {
        let name = &s.name;
        let env = opt_str(s.env.as_deref());
        let kind = match &s.kind {
            SchemeKind::Bearer => quote!(rt::SchemeKind::Bearer),
            SchemeKind::Basic => quote!(rt::SchemeKind::Basic),
            SchemeKind::ApiKey { location, param } => {
                let loc = match location {
                    Location::Query => quote!(rt::ParamLocation::Query),
                    Location::Cookie => quote!(rt::ParamLocation::Cookie),
                    Location::Header | Location::Path => quote!(rt::ParamLocation::Header),
                };
                quote!(rt::SchemeKind::ApiKey { location: #loc, param: #param })
            }
        };
        quote!(rt::SecurityScheme { name: #name, kind: #kind, env: #env })
    });
    let security = security_tokens(&api.security);
    let name = ident(crate::runtime::DESCRIPTOR);
    let envelope = match &api.envelope {
        Some(e) => {
            let data = &e.data;
            let success = opt_str(e.success.as_deref());
            let errors = opt_str(e.errors.as_deref());
            let messages = opt_str(e.messages.as_deref());
            quote!(Some(rt::Envelope { data: #data, success: #success, errors: #errors, messages: #messages }))
        }
        None => quote!(None),
    };
    let pagination = match &api.pagination {
        Some(p) => {
            let page = &p.page_param;
            let per_page = &p.per_page_param;
            let info = &p.info;
            let total = opt_str(p.total_pages.as_deref());
            quote!(Some(rt::Pagination { page_param: #page, per_page_param: #per_page, info: #info, total_pages: #total }))
        }
        None => quote!(None),
    };
    quote! {
        /// What the runtime needs to know about this API.
        pub(crate) static #name: rt::ApiDescriptor = rt::ApiDescriptor {
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            default_base_url: #base,
            base_url_env: #base_env,
            schemes: &[#(#schemes),*],
            security: #security,
            envelope: #envelope,
            pagination: #pagination,
        };
    }
}

fn security_tokens(security: &[Vec<String>]) -> TokenStream {
    let alts = security.iter().map(|alt| quote!(&[#(#alt),*]));
    quote!(&[#(#alts),*])
}

/// The optional parameters of `op`, built with `new()` and one setter each; the struct is
/// `#[non_exhaustive]`, so a new optional parameter is a minor release.
fn params_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_deref()?);
    let fields = op.params.iter().filter(|p| !p.required).map(|p| {
        let fname = ident(&p.name);
        let ty = ty_tokens(api, &p.ty, Position::Param);
        let fallback = format!("The `{}` {} parameter.", p.wire, p.location.as_str());
        let doc = doc_attrs(p.doc.as_deref(), &fallback);
        quote!(#doc pub #fname: Option<#ty>,)
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let fname = ident(&p.name);
        let ty = ty_tokens(api, &p.ty, Position::Param);
        let doc = format!(" Sets `{}`.", p.wire);
        let allow = lint_allowances(&p.name);
        quote! {
            #[doc = #doc]
            #[must_use]
            #allow
            pub fn #fname(mut self, value: impl Into<#ty>) -> Self {
                self.#fname = Some(value.into());
                self
            }
        }
    });
    let doc = format!(
        " Optional parameters of `{}` (`{} {}`).",
        op.id, op.method, op.path
    );
    let derives = crate::runtime::PARAMS_DERIVES.map(ident);
    let new = ident(crate::runtime::PARAMS_CONSTRUCTOR);
    Some(quote! {
        #[doc = #doc]
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// No parameters set.
            pub fn #new() -> Self {
                Self::default()
            }

            #(#setters)*
        }
    })
}

fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form { explode } => quote!(rt::Style::Form { explode: #explode }),
        Style::SpaceDelimited => quote!(rt::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(rt::Style::PipeDelimited),
        Style::DeepObject => quote!(rt::Style::DeepObject),
        Style::Simple | Style::Json => quote!(rt::Style::Form { explode: false }),
    }
}

/// The argument type of a required parameter.
pub(super) fn arg_type(api: &Api, p: &Param) -> TokenStream {
    match &p.ty {
        Ty::String => quote!(&str),
        Ty::Integer(_) | Ty::Number | Ty::Boolean | Ty::Uuid => {
            ty_tokens(api, &p.ty, Position::Param)
        }
        other => borrowed(api, other, Position::Param),
    }
}

/// How a value is passed by reference: `&[T]` for lists, `&T` otherwise.
fn borrowed(api: &Api, ty: &Ty, position: Position) -> TokenStream {
    match ty {
        Ty::Array(item) => {
            let item = ty_tokens(api, item, position);
            quote!(&[#item])
        }
        other => {
            let t = ty_tokens(api, other, position);
            quote!(&#t)
        }
    }
}

/// The operation's methods: one for the preferred body media type, and one per other
/// supported media type (`upload_multipart`, …).
fn methods(
    api: &Api,
    validated: &Validated,
    op: &Operation,
    client: &TokenStream,
    krate: &str,
) -> TokenStream {
    let main = method(
        api,
        validated,
        op,
        op.body.as_ref(),
        &op.method_name,
        client.clone(),
        krate,
    );
    let others = op
        .alternative_bodies
        .iter()
        .zip(&op.alternative_method_names)
        .map(|(b, name)| method(api, validated, op, Some(b), name, client.clone(), krate));
    quote!(#main #(#others)*)
}

/// The body argument and the request-building step for a body. A body whose type can
/// fail validation goes through the validating methods, any other through their
/// `*_unvalidated` twins, which ask nothing of it but its encoding.
pub(super) fn body_arg(
    api: &Api,
    validated: &Validated,
    body: &crate::ir::Body,
) -> (TokenStream, TokenStream) {
    let media = &body.media_type;
    let checked = validated.holds(&body.ty);
    let step = match body.encoding {
        BodyEncoding::Json => match (media == "application/json", checked) {
            (true, true) => quote!(.json(body)),
            (true, false) => quote!(.json_unvalidated(body)),
            (false, true) => quote!(.json_as(#media, body)),
            (false, false) => quote!(.json_as_unvalidated(#media, body)),
        },
        BodyEncoding::Form if checked => quote!(.form(body)),
        BodyEncoding::Form => quote!(.form_unvalidated(body)),
        BodyEncoding::Multipart if checked => quote!(.multipart(body)),
        BodyEncoding::Multipart => quote!(.multipart_unvalidated(body)),
        BodyEncoding::Text => quote!(.body(#media, body.into().into_bytes())),
        BodyEncoding::Bytes => quote!(.body(#media, body.into())),
        BodyEncoding::Raw => quote!(.raw_body(content_type, body.into())),
    };
    let ty = body_type(api, body);
    // A raw body names its own content type.
    let content_type = (body.encoding == BodyEncoding::Raw).then(|| quote!(content_type: &str,));
    if body.required {
        (quote!(#content_type body: #ty), step)
    } else {
        (
            quote!(#content_type body: Option<#ty>),
            quote!(.optional_body(body, |request, body| request #step)),
        )
    }
}

/// The type a body is passed as, before the `Option` an optional body adds.
fn body_type(api: &Api, body: &crate::ir::Body) -> TokenStream {
    match body.encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
            borrowed(api, &body.ty, Position::Field)
        }
        BodyEncoding::Text => quote!(impl Into<String>),
        BodyEncoding::Bytes | BodyEncoding::Raw => quote!(impl Into<Vec<u8>>),
    }
}

/// A method's arguments after `&self`, in order, each with its type: the required
/// parameters in spec order, the params struct, then the body (a raw one after its
/// `content_type`). [`method`] declares exactly these; the semver surface records them.
pub(crate) fn arguments(
    api: &Api,
    op: &Operation,
    body: Option<&crate::ir::Body>,
) -> Vec<(String, TokenStream)> {
    let mut args: Vec<(String, TokenStream)> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.name.clone(), arg_type(api, p)))
        .collect();
    if let Some(ps) = &op.params_struct {
        let ps = ident(ps);
        args.push(("params".to_owned(), quote!(#ps)));
    }
    if let Some(body) = body {
        if body.encoding == BodyEncoding::Raw {
            args.push(("content_type".to_owned(), quote!(&str)));
        }
        let ty = body_type(api, body);
        let ty = if body.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        args.push(("body".to_owned(), ty));
    }
    args
}

fn method(
    api: &Api,
    validated: &Validated,
    op: &Operation,
    body: Option<&crate::ir::Body>,
    name: &str,
    client: TokenStream,
    krate: &str,
) -> TokenStream {
    let example = example_call(api, validated, op, body, name, krate);
    let name = ident(name);
    let args: Vec<TokenStream> = arguments(api, op, body)
        .into_iter()
        .map(|(name, ty)| {
            let name = ident(&name);
            quote!(#name: #ty)
        })
        .collect();
    let mut steps = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let pname = ident(&p.name);
        // Arguments taken by value (numbers, flags, UUIDs) are lent; the rest already are references.
        let value = if matches!(p.ty, Ty::Integer(_) | Ty::Number | Ty::Boolean | Ty::Uuid) {
            quote!(&#pname)
        } else {
            quote!(#pname)
        };
        steps.push(param_step(p, value));
    }
    if op.params_struct.is_some() {
        for p in op.params.iter().filter(|p| !p.required) {
            let pname = ident(&p.name);
            steps.push(param_step(p, quote!(&params.#pname)));
        }
    }
    if let Some(body) = body {
        steps.push(body_arg(api, validated, body).1);
    }
    if let Some(security) = &op.security {
        let s = security_tokens(security);
        steps.push(quote!(.security(#s)));
    }
    if op.idempotent {
        steps.push(quote!(.idempotent()));
    }
    if let Some(name) = &op.idempotency_key {
        steps.push(quote!(.idempotency_key(#name)));
    }
    let (ret, decoder) = returns(api, &op.returns);
    let method_str = op.method.as_str();
    let http = ident(method_str);
    let path = &op.path;
    let op_id = &op.id;
    let mut doc = method_doc(op);
    if let Some(b) = body.filter(|b| b.encoding == BodyEncoding::Raw) {
        let text = format!(
            " The body is sent as is, with `content_type`; the API declares `{}`.",
            b.media_type
        );
        doc.extend(quote!(#[doc = ""] #[doc = #text]));
    }
    doc.extend(lines(&format!("\n# Example\n\n{}", example.doctest(krate))));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the API"]));
    let allow_args = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required parameter")]));
    let allow_name = lint_allowances(&name.to_string());
    // An operation on a resource is gated with its resource's impl; one on the client
    // itself, on its own.
    let cfg = op
        .feature
        .as_deref()
        .filter(|_| op.resource.is_empty())
        .map(|f| quote!(#[cfg(feature = #f)]));
    quote! {
        #doc
        #cfg
        #deprecated
        #allow_args
        #allow_name
        pub fn #name(&self, #(#args),*) -> rt::Call<#ret> {
            let request = rt::Request::new(rt::Method::#http, #path)
                .operation(#op_id)
                #(#steps)*;
            #client.call(request, #decoder)
        }
    }
}

/// The success type a method's `Call` resolves to, and the runtime decoder that makes it.
fn returns(api: &Api, returns: &Returns) -> (TokenStream, TokenStream) {
    let ret = match returns.success_type() {
        SuccessType::Value(ty) => ty_tokens(api, ty, Position::Field),
        SuccessType::Optional(ty) => {
            let t = ty_tokens(api, ty, Position::Field);
            quote!(Option<#t>)
        }
        SuccessType::Page(item) => {
            let t = ty_tokens(api, item, Position::Field);
            quote!(rt::Page<#t>)
        }
        SuccessType::Text => quote!(String),
        SuccessType::Bytes => quote!(Vec<u8>),
        SuccessType::Unit => quote!(()),
    };
    let decoder = match returns {
        Returns::Data { .. } => quote!(rt::decode::data),
        Returns::Page(_) => quote!(rt::decode::page),
        Returns::Body(_) => quote!(rt::decode::body),
        Returns::Text => quote!(rt::decode::text),
        Returns::Bytes => quote!(rt::decode::bytes),
        Returns::Empty => quote!(rt::decode::empty),
    };
    (ret, decoder)
}

/// Lets a method keep its API name where clippy expects that name to mean something else
/// (see [`crate::naming::clippy_meanings`]).
fn lint_allowances(method: &str) -> TokenStream {
    let lints = crate::naming::clippy_meanings(method);
    if lints.is_empty() {
        return TokenStream::new();
    }
    let lints = lints.iter().map(|l| ident(l));
    quote!(#[allow(#(clippy::#lints),*, reason = "the method is named after the API")])
}

fn param_step(p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let checks = check_tokens(&p.checks, p.example.as_deref());
    let value = if p.style == Style::Json {
        quote!(&rt::JsonText(#value))
    } else {
        value
    };
    match p.location {
        Location::Path => quote!(.path(#wire, #value, #checks)),
        Location::Query => {
            let style = style_tokens(p.style);
            quote!(.query(#wire, #value, #style, #checks))
        }
        Location::Header => quote!(.header(#wire, #value, #checks)),
        Location::Cookie => quote!(.cookie(#wire, #value, #checks)),
    }
}

fn method_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    let summary = op
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let description = op
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (summary, description) {
        (Some(s), Some(d)) if d.starts_with(s.trim_end_matches('.')) => text.push_str(&sanitize(d)),
        (Some(s), Some(d)) => {
            text.push_str(&sanitize(s));
            text.push_str("\n\n");
            text.push_str(&sanitize(d));
        }
        (Some(s), None) => text.push_str(&sanitize(s)),
        (None, Some(d)) => text.push_str(&sanitize(d)),
        (None, None) => text.push_str(&format!("Calls `{}`.", op.id)),
    }
    text.push_str(&format!("\n\n`{} {}` (`{}`)", op.method, op.path, op.id));
    // An operation on a resource leaves its docs link to the resource's page, once.
    if let (Some(url), true) = (&op.docs_url, op.resource.is_empty()) {
        text.push_str(&format!("\n\nSee <{url}>."));
    }
    lines(&text)
}

/// The docs links of a resource's operations, each once, in operation order.
fn resource_links(api: &Api, path: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for op in api.operations.iter().filter(|o| o.resource == path) {
        if let Some(url) = op.docs_url.as_deref().filter(|u| !seen.contains(u)) {
            seen.push(url);
        }
    }
    seen.iter().map(|u| format!("\n\nSee <{u}>.")).collect()
}
