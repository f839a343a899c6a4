//! Stage 3, emit: the IR → token streams, one module per kind of item, plus the crate's
//! manifest. Nothing here reads the spec: every decision was made in `lower`.

mod builders;
mod client;
pub(crate) mod docs;
mod examples;
mod types;
mod webhooks;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Check, IntWidth, Ty, TypeKind};
use crate::settings::Settings;

/// The plan of the emitted crate: Rust modules as ordered lists of parts (each emitted
/// later by [`Emitter::part`]), and other files as finished text.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) modules: Vec<(String, Vec<Part>)>,
    pub(crate) texts: Vec<(String, String)>,
}

/// One top-level piece of a module (its preamble, a type, a resource…), emitted, parsed
/// and printed on its own. Modules are formatted part by part, in parallel, so no
/// whole-module token stream or syntax tree is ever held; each part's text carries the
/// blank line that sets it off, so the parts' texts concatenate to the module's text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part {
    Lib,
    Types(types::Part),
    Client(client::Part),
    Webhooks,
}

/// What the modules are made of, in file order; [`Emitter::part`] emits each.
pub(crate) fn emit(api: &Api, settings: &Settings) -> Plan {
    let mut modules = vec![
        ("src/lib.rs".to_owned(), vec![Part::Lib]),
        (
            "src/types.rs".to_owned(),
            types::parts(api).into_iter().map(Part::Types).collect(),
        ),
        (
            "src/client.rs".to_owned(),
            client::parts(api).into_iter().map(Part::Client).collect(),
        ),
    ];
    if !api.webhooks.is_empty() {
        modules.push(("src/webhooks.rs".to_owned(), vec![Part::Webhooks]));
    }
    let texts = vec![("Cargo.toml".to_owned(), cargo_toml(api, settings))];
    Plan { modules, texts }
}

/// One emitted part.
#[derive(Debug, Default)]
pub(crate) struct PartTokens {
    pub(crate) tokens: TokenStream,
    /// The part comes first in its module; any other is set off by a blank line.
    pub(crate) opens_module: bool,
    /// The resource features every top-level item of the part is compiled with (any one
    /// of them enables it); none for an ungated part.
    pub(crate) features: Vec<String>,
}

/// Emits parts. Holds only plain data derived once from the IR, so that worker threads
/// can share it; token streams are made and consumed on the thread that formats them.
#[derive(Debug)]
pub(crate) struct Emitter<'a> {
    api: &'a Api,
    validated: Validated,
    types: types::Context,
    client: client::Context<'a>,
}

impl<'a> Emitter<'a> {
    /// `crate_name` is the generated package's name, which doc examples import.
    pub(crate) fn new(api: &'a Api, crate_name: &str) -> Self {
        Emitter {
            api,
            validated: Validated::new(api),
            types: types::Context::new(api, crate_name),
            client: client::Context::new(api, crate_name),
        }
    }

    pub(crate) fn part(&self, part: Part) -> PartTokens {
        let features = match part {
            Part::Types(types::Part::Type(i)) => self
                .api
                .types
                .get(i)
                .map(|t| t.features.clone())
                .unwrap_or_default(),
            Part::Client(p) => client::feature(self.api, p)
                .map(str::to_owned)
                .into_iter()
                .collect(),
            Part::Lib | Part::Types(_) | Part::Webhooks => Vec::new(),
        };
        let (tokens, opens_module) = match part {
            Part::Lib => (lib_rs(self.api, &self.validated, self.client.krate()), true),
            Part::Types(p) => (
                types::emit_part(self.api, &self.types, &self.validated, p),
                matches!(p, types::Part::Preamble),
            ),
            Part::Client(p) => (
                client::emit_part(self.api, &self.client, &self.validated, p),
                matches!(p, client::Part::Preamble),
            ),
            Part::Webhooks => (webhooks::module(self.api), true),
        };
        PartTokens {
            tokens,
            opens_module,
            features,
        }
    }
}

/// Signatures as the emitted code spells them, for the semver surface: the functions
/// that emit the items decide these too, so the surface cannot drift from the code.
pub(crate) mod signatures {
    use super::examples::type_text;
    use crate::ir::{Api, Body, Operation, Union};

    /// A method's arguments after `&self`: name and Rust type, in order.
    pub(crate) fn arguments(
        api: &Api,
        op: &Operation,
        body: Option<&Body>,
    ) -> Vec<(String, String)> {
        super::client::arguments(api, op, body)
            .into_iter()
            .map(|(name, ty)| (name, type_text(&ty)))
            .collect()
    }

    /// A union's accessors: method name and return type.
    pub(crate) fn union_accessors(api: &Api, u: &Union) -> Vec<(String, String)> {
        super::builders::union_accessor_types(api, u)
            .into_iter()
            .map(|(name, ty)| (name, type_text(&ty)))
            .collect()
    }

    /// The payload types a union has `From` impls for.
    pub(crate) fn union_from(api: &Api, u: &Union) -> Vec<String> {
        super::types::from_payloads(api, u)
            .into_iter()
            .map(|(payload, _)| payload.to_owned())
            .collect()
    }
}

/// The named types whose values can fail validation: structs with a constrained field,
/// and structs and unions that hold such a type. Only these implement `rt::Validate`;
/// validating any other value could find nothing, so nothing asks for it (a body of such
/// a type is sent with the runtime's `*_unvalidated` methods).
#[derive(Debug)]
pub(crate) struct Validated(Vec<bool>);

impl Validated {
    pub(crate) fn new(api: &Api) -> Self {
        // Who holds whom, then a walk up from the types with constrained fields: linear
        // in the size of the API, and settled however the types hold each other.
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
        let mut todo = Vec::new();
        for (i, t) in api.types.iter().enumerate() {
            let held: Vec<&Ty> = match &t.kind {
                TypeKind::Struct(s) => {
                    if s.fields.iter().any(|f| !f.checks.is_empty()) {
                        todo.push(i);
                    }
                    s.fields.iter().map(|f| &f.ty).collect()
                }
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Newtype(ty) => vec![ty],
                TypeKind::Enum(_) | TypeKind::Literal(_) => Vec::new(),
            };
            for ty in held {
                if let Some(list) = named_in(ty).and_then(|id| holders.get_mut(id)) {
                    list.push(i);
                }
            }
        }
        let mut validated = vec![false; api.types.len()];
        while let Some(i) = todo.pop() {
            match validated.get_mut(i) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            todo.extend(holders.get(i).into_iter().flatten());
        }
        Validated(validated)
    }

    /// Whether the type with this index implements `rt::Validate`.
    pub(crate) fn is(&self, index: usize) -> bool {
        self.0.get(index).copied().unwrap_or(false)
    }

    /// Whether validating a value of `ty` can find something.
    pub(crate) fn holds(&self, ty: &Ty) -> bool {
        named_in(ty).is_some_and(|id| self.is(id))
    }
}

/// The named type a type is or holds, through lists and maps.
fn named_in(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Named(id) => Some(id.0),
        Ty::Array(t) | Ty::Map(t) => named_in(t),
        _ => None,
    }
}

/// Where a type appears; some types need a different Rust type per position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// A struct field, union payload or response (serde sees it).
    Field,
    /// A parameter value (the runtime's `ParamValue` sees it).
    Param,
}

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a [`Ty`]. Timestamps nested in lists or maps stay strings: serde's
/// RFC 3339 adapter only applies to a field itself.
pub(crate) fn ty_tokens(api: &Api, ty: &Ty, position: Position) -> TokenStream {
    inner_ty(api, ty, position, false)
}

fn inner_ty(api: &Api, ty: &Ty, position: Position, nested: bool) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Integer(IntWidth::I32) => quote!(i32),
        Ty::Integer(IntWidth::I64) => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::DateTime if nested && position == Position::Field => quote!(String),
        Ty::DateTime => quote!(time::OffsetDateTime),
        Ty::Uuid => quote!(uuid::Uuid),
        // A file part in a form; text when it travels in JSON.
        Ty::Bytes => quote!(rt::Binary),
        Ty::Json => quote!(serde_json::Value),
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Named(id) => {
            let name = api
                .types
                .get(id.0)
                .map_or("UnknownType", |t| t.name.as_str());
            let name = ident(name);
            quote!(#name)
        }
        Ty::Array(item) => {
            let item = inner_ty(api, item, position, true);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = inner_ty(api, value, position, true);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

/// `&[rt::Check::…]` for a list of checks.
/// `example` is the value's own example: a pattern check then carries it, so a failure
/// can show what a valid value looks like.
pub(crate) fn check_tokens(checks: &[Check], example: Option<&str>) -> TokenStream {
    let items = checks.iter().map(|c| match (c, example) {
        (Check::Pattern(p), Some(example)) => {
            quote!(rt::Check::PatternWithExample(#p, #example))
        }
        _ => check_token(c),
    });
    quote!(&[#(#items),*])
}

fn check_token(c: &Check) -> TokenStream {
    let usize_lit = |v: u64| Literal::usize_unsuffixed(usize::try_from(v).unwrap_or(usize::MAX));
    match c {
        Check::MinLength(v) => {
            let v = usize_lit(*v);
            quote!(rt::Check::MinLength(#v))
        }
        Check::MaxLength(v) => {
            let v = usize_lit(*v);
            quote!(rt::Check::MaxLength(#v))
        }
        Check::Pattern(p) => quote!(rt::Check::Pattern(#p)),
        Check::Minimum(v) => {
            let v = Literal::f64_unsuffixed(*v);
            quote!(rt::Check::Minimum(#v))
        }
        Check::Maximum(v) => {
            let v = Literal::f64_unsuffixed(*v);
            quote!(rt::Check::Maximum(#v))
        }
        Check::ExclusiveMinimum(v) => {
            let v = Literal::f64_unsuffixed(*v);
            quote!(rt::Check::ExclusiveMinimum(#v))
        }
        Check::ExclusiveMaximum(v) => {
            let v = Literal::f64_unsuffixed(*v);
            quote!(rt::Check::ExclusiveMaximum(#v))
        }
        Check::MinItems(v) => {
            let v = usize_lit(*v);
            quote!(rt::Check::MinItems(#v))
        }
        Check::MaxItems(v) => {
            let v = usize_lit(*v);
            quote!(rt::Check::MaxItems(#v))
        }
        Check::UniqueItems => quote!(rt::Check::UniqueItems),
        Check::Each(inner) => {
            let inner = check_tokens(inner, None);
            quote!(rt::Check::Each(#inner))
        }
    }
}

/// The crate-level getting-started example: a client from the environment, one list
/// (or read), and one create with its error handled; `None` for an API without reads.
/// Also the resource features the example needs, which gate it.
fn crate_example<'a>(
    api: &'a Api,
    validated: &Validated,
    krate: &str,
) -> Option<(String, Vec<&'a str>)> {
    let call = |o: &crate::ir::Operation| {
        examples::example_call(api, validated, o, o.body.as_ref(), &o.method_name, krate)
    };
    let list_op = api
        .operations
        .iter()
        .find(|o| matches!(o.returns, crate::ir::Returns::Page(_)))
        .or_else(|| api.operations.iter().find(|o| o.method.as_str() == "GET"))?;
    let list = call(list_op);
    let mut features: Vec<&str> = list_op.feature.as_deref().into_iter().collect();
    let name_of = |p: &String| p.split(':').next().unwrap_or_default().to_owned();
    // The two calls share the example's parameters; a name the two type differently
    // would not compile, so the create is left out then.
    let create_op = api
        .operations
        .iter()
        .find(|o| o.method.as_str() == "POST" && o.body.is_some());
    let create = create_op.map(call).filter(|c| {
        c.params.iter().all(|p| {
            !list
                .params
                .iter()
                .any(|q| name_of(q) == name_of(p) && q != p)
        })
    });
    let mut params = vec![];
    for p in list
        .params
        .iter()
        .chain(create.iter().flat_map(|c| &c.params))
    {
        if !params.contains(p) {
            params.push(p.clone());
        }
    }
    let mut body = vec![format!("use {krate}::Client;")];
    for u in list.uses.iter().chain(create.iter().flat_map(|c| &c.uses)) {
        if !body.contains(u) {
            body.push(u.clone());
        }
    }
    body.extend([
        String::new(),
        format!(
            "# async fn example({}) -> Result<(), {krate}::Error> {{",
            params.join(", ")
        ),
        "// The base URL and credentials come from the environment; see `Client`.".to_owned(),
        "let client = Client::from_env()?;".to_owned(),
    ]);
    for l in list.lets.iter().chain(create.iter().flat_map(|c| &c.lets)) {
        if !body.contains(l) {
            body.push(l.clone());
        }
    }
    body.push(list.statement());
    if list.returns == "page" {
        body.push("println!(\"{} on the first page\", page.items.len());".to_owned());
    }
    if let Some(create) = create {
        features.extend(create_op.and_then(|o| o.feature.as_deref()));
        body.push(String::new());
        body.extend(create.build.clone());
        body.extend([
            "// Every failure is one `Error`; its helpers sort out the usual cases.".to_owned(),
            format!(
                "match client.{}({}).await {{",
                create.path,
                create.args.join(", ")
            ),
            "    Ok(created) => println!(\"created: {created:?}\"),".to_owned(),
            "    Err(err) if err.is_auth() => eprintln!(\"check the credentials: {err}\"),"
                .to_owned(),
            "    Err(err) => return Err(err),".to_owned(),
            "}".to_owned(),
        ]);
    }
    body.extend(["# Ok(())".to_owned(), "# }".to_owned()]);
    features.sort_unstable();
    features.dedup();
    let text = format!(
        "# Getting started\n\n```no_run\n{}\n{}\n```",
        examples::example_imports(krate),
        body.join("\n")
    );
    Some((text, features))
}

/// The crate docs' section on resource features, when there are any.
fn features_doc(api: &Api) -> Option<String> {
    let features = api.features();
    if features.is_empty() {
        return None;
    }
    let names: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
    Some(format!(
        "\n\n# Features\n\nEach top-level resource is a Cargo feature, and all are on by \
         default: {}. With `default-features = false` and only the features it names, a \
         crate compiles only those resources and the types they use.\n\n\
         The default feature `{both}` also derives `Serialize` on the types only responses \
         reach and `Deserialize` on those only requests reach. Without it each type has \
         the impl the client uses, and a build compiles less serde code: add `{both}` \
         to store a response as JSON or read a request body from a file.",
        names.join(", "),
        both = crate::runtime::BOTH_WAYS,
    ))
}

/// `pub use client::*`: the client module exports resource and parameter structs; an API
/// with neither (every operation on the client itself) exports nothing from it, and with
/// resource features what it exports may all be gated.
fn client_exports(api: &Api) -> Option<TokenStream> {
    let exports: Vec<Option<&str>> = api
        .resources
        .iter()
        .map(|r| r.feature.as_deref())
        .chain(
            api.operations
                .iter()
                .filter(|o| o.params_struct.is_some())
                .map(|o| o.feature.as_deref()),
        )
        .collect();
    if exports.is_empty() {
        return None;
    }
    let allow = exports.iter().all(Option::is_some).then(|| {
        quote!(#[allow(unused_imports, reason = "without resource features, nothing is exported")])
    });
    Some(quote!(
        #allow
        pub use client::*;
    ))
}

/// The crate's `//!` docs: the API, how to use the client, the features, and an example.
fn crate_docs(api: &Api, validated: &Validated, krate: &str) -> TokenStream {
    let mut text = format!("# {}\n\n", api.title.trim());
    if let Some(d) = &api.description {
        text.push_str(&docs::sanitize(d));
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "A typed async client generated from the OpenAPI document (API version {}).\n\n\
         Start with [`Client::from_env`] or [`Client::builder`]; every operation is a method \
         on a resource reached from the client. Calls return a [`Call`] that can be awaited \
         directly, tuned per request, or turned into a stream of pages.\n\n\
         Request bodies and their parts live in [`types`]; each has a `new` that takes its \
         required fields, and `with_…` methods for the optional ones. The optional \
         parameters of an operation are a `…Params` struct at the crate root, built with \
         `new()` and one setter per parameter.\n\n\
         So that a field, parameter or enum value the API adds is a minor release, the \
         generated structs, enums and unions are `#[non_exhaustive]` (all but single-value \
         literals and newtype wrappers): build them with their constructors, match enums \
         and unions with a `_` arm, and build a response value (for a test, say) by \
         deserializing its JSON with [`serde_json::from_value`].",
        api.version
    ));
    if let Some(features) = features_doc(api) {
        text.push_str(&features);
    }
    let mut doc = docs::inner_lines(&text);
    if let Some((example, needs)) = crate_example(api, validated, krate) {
        // The example calls gated resources; without them it would not compile.
        let example = format!("\n{example}");
        if needs.is_empty() {
            doc.extend(docs::inner_lines(&example));
        } else {
            let cfg = match needs.as_slice() {
                [one] => quote!(feature = #one),
                all => quote!(all(#(feature = #all),*)),
            };
            doc.extend(docs::inner_lines_if(&example, &cfg));
        }
    }
    doc
}

fn lib_rs(api: &Api, validated: &Validated, krate: &str) -> TokenStream {
    let doc = crate_docs(api, validated, krate);
    let client_exports = client_exports(api);
    // One `use` per item, sorted, so rustfmt leaves the file as emitted.
    let reexports = [
        "ApiError",
        "ApiMessage",
        "Call",
        "Client",
        "ClientBuilder",
        "DecodeError",
        "Error",
        "Operation",
        "Page",
        "PageInfo",
        "Response",
        "TransportError",
    ]
    .map(|name| {
        let name = ident(name);
        quote!(pub use runtime::#name;)
    });
    let webhooks_mod = (!api.webhooks.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    // The runtime is public but hidden, not private: each API uses only part of it, and
    // what it exports is then reachable rather than dead code, exactly as in the runtime
    // crate that lints it. It is not part of the crate's documented API.
    quote! {
        #doc
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #[doc(hidden)]
        pub mod runtime;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod client;
        #webhooks_mod

        #client_exports
        #(#reexports)*

        /// Brings `.next()` to the streams of [`Call::pages`] and [`Call::items`].
        pub use runtime::StreamExt;

        /// The clock that retry waits go through, for [`ClientBuilder::sleeper`]
        /// (tests use it to skip the waits).
        pub mod clock {
            pub use crate::runtime::{Sleep, TokioSleep};
        }

        /// Timestamps are [`time::OffsetDateTime`]; re-exported so callers need no version match.
        pub use time;
        /// UUID fields are [`uuid::Uuid`]; re-exported so callers need no version match.
        pub use uuid;
        /// Free-form fields are [`serde_json::Value`], and a response value is built by
        /// deserializing its JSON; re-exported so callers need no version match.
        pub use serde_json;
    }
}

fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {}\n", settings.header()));
    out.push_str(&format!(
        "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2021\"\nrust-version = \"1.95\"\ndescription = \"{}\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n",
        settings.crate_name,
        settings.version(api.crate_version.as_deref()),
        settings.description.replace('\\', "\\\\").replace('"', "\\\"")
    ));
    out.push_str(
        "[dependencies]\n\
         bytes = \"1\"\n\
         futures-core = { version = \"0.3\", default-features = false }\n\
         futures-util = { version = \"0.3\", default-features = false, features = [\"std\"] }\n\
         regex-lite = \"0.1\"\n\
         reqwest = { version = \"0.12\", default-features = false, features = [\"rustls-tls\"] }\n\
         serde = { version = \"1\", features = [\"derive\"] }\n\
         serde_json = \"1\"\n\
         thiserror = \"2\"\n\
         time = { version = \"0.3\", default-features = false, features = [\"std\", \"formatting\", \"parsing\", \"serde\"] }\n\
         tokio = { version = \"1\", default-features = false, features = [\"time\"] }\n\
         tracing = { version = \"0.1\", default-features = false, features = [\"std\"] }\n\
         url = \"2\"\n\
         uuid = { version = \"1\", default-features = false, features = [\"std\", \"serde\"] }\n\
         \n\
         [features]\n",
    );
    let features = api.features();
    if !features.is_empty() {
        let quoted: Vec<String> = features
            .iter()
            .chain([&crate::runtime::BOTH_WAYS])
            .map(|f| format!("\"{f}\""))
            .collect();
        out.push_str(&format!(
            "# One feature per top-level resource, gating it and the types only it reaches; all\n\
             # are on by default: with `default-features = false` and the ones used, less compiles.\n\
             default = [{}]\n",
            quoted.join(", ")
        ));
    }
    out.push_str(
        "# HTTP/2, negotiated over TLS; opt-in, as it adds h2 and 6 more crates to the tree.\n\
         http2 = [\"reqwest/http2\"]\n",
    );
    if !features.is_empty() {
        out.push_str(&format!(
            "# `Serialize` on the types only responses reach, and `Deserialize` on those only\n\
             # requests reach (to store a response, or read a request from a file). Without\n\
             # it, the client compiles only the direction it uses.\n\
             {} = []\n",
            crate::runtime::BOTH_WAYS
        ));
    }
    for f in &features {
        out.push_str(&format!("{f} = []\n"));
    }
    out.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    // Written out rather than inherited (`workspace = true`), so that a copy of the crate
    // builds anywhere: users vendor generated clients.
    out.push_str(LINTS);
    if settings.standalone {
        out.push_str("\n[workspace]\n");
    }
    out
}

/// The crate's lints: the generator workspace's own, so a generated crate is held to the
/// same rules inside the workspace and out of it.
const LINTS: &str = "\n[lints.rust]\n\
    unsafe_code = \"forbid\"\n\
    missing_debug_implementations = \"warn\"\n\
    rust_2018_idioms = { level = \"warn\", priority = -1 }\n\
    unused_qualifications = \"warn\"\n\
    \n\
    [lints.clippy]\n\
    all = { level = \"warn\", priority = -1 }\n\
    unwrap_used = \"warn\"\n\
    dbg_macro = \"warn\"\n\
    todo = \"warn\"\n";
