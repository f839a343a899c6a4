//! Doc examples of operations: the call a method's `# Example` shows, with the hidden
//! parameters that make it compile for any API, and the imports every example starts with.

use proc_macro2::TokenStream;
use quote::quote;

use super::builders::{literal_of, setter_name};
use super::client::{arg_type, body_arg};
use super::{ty_tokens, Position, Validated};
use crate::ir::{Api, Body, BodyEncoding, Operation, SuccessType, Ty, TypeKind};

/// One operation called in a doc example: what the call passes, and the hidden
/// parameters of the example function that supply it, typed exactly as the method
/// takes them, so the example compiles for any API.
#[derive(Debug)]
pub(crate) struct ExampleCall {
    /// `a().b().list`: the accessors from the client, then the method.
    pub(crate) path: String,
    /// What the call passes, in order: argument names, or `XParams::new()`.
    pub(crate) args: Vec<String>,
    /// `name: Type` for each hidden parameter.
    pub(crate) params: Vec<String>,
    /// What the call returns, to name the value it is bound to.
    pub(crate) returns: &'static str,
    /// `use` lines the call needs (its parameters struct, at the crate root).
    pub(crate) uses: Vec<String>,
    /// `let` lines for the arguments the spec has examples of.
    pub(crate) lets: Vec<String>,
    /// `let body = T::new(…);`, when the body is built with its constructor.
    pub(crate) build: Option<String>,
}

pub(crate) fn example_call(
    api: &Api,
    validated: &Validated,
    op: &Operation,
    body: Option<&Body>,
    method_name: &str,
    krate: &str,
) -> ExampleCall {
    let mut args = Vec::new();
    let mut params = Vec::new();
    let mut lets = Vec::new();
    let mut build = None;
    for p in op.params.iter().filter(|p| p.required) {
        args.push(p.name.clone());
        // A string with an example in the spec is spelled out; anything else arrives
        // as a parameter of the example function, typed as the method takes it.
        match (&p.ty, &p.example) {
            (Ty::String, Some(example)) => lets.push(format!("let {} = {example:?};", p.name)),
            _ => params.push(format!("{}: {}", p.name, type_text(&arg_type(api, p)))),
        }
    }
    let mut uses = Vec::new();
    if let Some(ps) = &op.params_struct {
        args.push(format!("{ps}::new()"));
        uses.push(format!("use {krate}::{ps};"));
    }
    if let Some(body) = body {
        if body.encoding == BodyEncoding::Raw {
            args.push("content_type".to_owned());
        }
        match body_constructor(api, body, &params) {
            Some(built) => {
                // Imported in sight, so a reader learns where bodies live; not when the
                // name is taken by an item the examples import from the crate root.
                let taken = built.type_name == "Client"
                    || op.params_struct.as_deref() == Some(built.type_name.as_str());
                if !taken {
                    uses.push(format!("use {krate}::types::{};", built.type_name));
                }
                build = Some(built.line);
                params.extend(built.params);
                args.push(
                    if body.required {
                        "&body"
                    } else {
                        "Some(&body)"
                    }
                    .to_owned(),
                );
            }
            None => {
                args.push("body".to_owned());
                params.push(type_text(&body_arg(api, validated, body).0));
            }
        }
    }
    let mut path: String = op.resource.iter().map(|r| format!("{r}().")).collect();
    path.push_str(method_name);
    let returns = match op.returns.success_type() {
        SuccessType::Page(_) => "page",
        SuccessType::Unit => "",
        _ => "value",
    };
    ExampleCall {
        path,
        args,
        params,
        returns,
        uses,
        lets,
        build,
    }
}

/// A body built with its type's constructor: the `let body = …` line, and the hidden
/// parameters supplying the arguments the spec has no example of.
struct BuiltBody {
    type_name: String,
    line: String,
    params: Vec<String>,
}

/// The body as the reader builds it, when it is a struct with a constructor (every
/// struct a body reaches has one): string and boolean fields the spec has an example of
/// are spelled out, the rest arrive as parameters named after their field (`body_…` when
/// the operation already has a parameter of that name).
fn body_constructor(api: &Api, body: &Body, taken: &[String]) -> Option<BuiltBody> {
    if !matches!(
        body.encoding,
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart
    ) {
        return None;
    }
    let Ty::Named(id) = &body.ty else { return None };
    let def = api.types.get(id.0)?;
    let TypeKind::Struct(s) = &def.kind else {
        return None;
    };
    let taken_name = |name: &str| {
        ["client", "body", "content_type"].contains(&name)
            || taken.iter().any(|p| p.split(':').next() == Some(name))
    };
    let mut args = Vec::new();
    let mut params = Vec::new();
    // The first optional string the spec has an example of is set too, so that a body
    // of optional fields only (an edit) shows what a setter looks like.
    let mut setter = None;
    for f in &s.fields {
        if literal_of(api, f).is_some() {
            continue;
        }
        if !f.required || f.nullable {
            if let (None, Ty::String, Some(example), false) = (&setter, &f.ty, &f.example, f.boxed)
            {
                setter = Some(format!(".{}({example:?})", setter_name(s, f)));
            }
            continue;
        }
        match (&f.ty, &f.example, f.boxed) {
            (Ty::String, Some(example), false) => args.push(format!("{example:?}")),
            (Ty::Boolean, Some(example), false) if example == "true" || example == "false" => {
                args.push(example.clone());
            }
            _ => {
                let ty = ty_tokens(api, &f.ty, Position::Field);
                let ty = if f.boxed { quote!(Box<#ty>) } else { ty };
                let name = if taken_name(&f.name) {
                    format!("body_{}", f.name.trim_start_matches("r#"))
                } else {
                    f.name.clone()
                };
                params.push(format!("{name}: {}", type_text(&ty)));
                args.push(name);
            }
        }
    }
    Some(BuiltBody {
        type_name: def.name.clone(),
        line: format!(
            "let body = {}::new({}){};",
            def.name,
            args.join(", "),
            setter.unwrap_or_default()
        ),
        params,
    })
}

/// Tokens as a person would write them (`&str`, not `& str`).
pub(crate) fn type_text(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" : ", ": ")
        .replace("& ", "&")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(":: ", "::")
        .replace(" ::", "::")
}

impl ExampleCall {
    /// The call as a statement on `client`.
    pub(crate) fn statement(&self) -> String {
        let call = format!("client.{}({}).await?;", self.path, self.args.join(", "));
        if self.returns.is_empty() {
            call
        } else {
            format!("let {} = {call}", self.returns)
        }
    }

    /// A `no_run` doctest of the call alone.
    pub(crate) fn doctest(&self, krate: &str) -> String {
        let mut params = vec![format!("client: {krate}::Client")];
        params.extend(self.params.iter().cloned());
        let uses: String = self.uses.iter().map(|u| format!("{u}\n")).collect();
        format!(
            "```no_run\n{}\n{uses}# async fn example({}) -> Result<(), {krate}::Error> {{\n{}{}\n# Ok(())\n# }}\n```",
            example_imports(krate),
            params.join(", "),
            self.lets
                .iter()
                .chain(&self.build)
                .map(|l| format!("{l}\n"))
                .collect::<String>(),
            self.statement()
        )
    }
}

/// The hidden imports of a doc example: the types and the runtime, so that parameter
/// types read as in the method's signature. Only one glob: a schema named like a root
/// item (`Response`) would make two globs ambiguous; root items are named by path.
pub(crate) fn example_imports(krate: &str) -> String {
    format!(
        "# #![allow(unused_imports)]\n# use {krate}::runtime as rt;\n# use {krate}::types::*;\n# use {krate}::{{time, uuid}};"
    )
}
