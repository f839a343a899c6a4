//! Constructors for request types and accessors for unions: what lets a user write a
//! body or a parameter without spelling out every field.
//!
//! The choice, for every struct a request reaches: `Type::new(required…)` takes
//! each required field (as `impl Into<_>`, so `&str` works for `String`), fills in
//! single-value literal fields (`kty: "EC"`) itself, and starts optional fields unset;
//! one `with_<field>` method per optional field sets it. Fields stay public to read and
//! assign, but the struct is `#[non_exhaustive]`, so outside the crate `new` is the way
//! in and a new optional field is a minor release. A compile-time-checked builder would
//! add a type per required field for the same guarantee `new`'s arguments already give.
//!
//! A union gets one accessor per field that every variant has: a reference when the
//! field has the same type everywhere, `&str` when each variant holds it as a string,
//! an open enum or a literal (`alg`).

use proc_macro2::TokenStream;
use quote::quote;

use super::examples::type_text;
use super::{ident, ty_tokens, Position};
use crate::ir::{Api, Field, Struct, Ty, TypeKind, Union};

/// The literal type a field always holds, if it is one: the constructor fills it in.
pub(crate) fn literal_of<'a>(api: &'a Api, f: &Field) -> Option<&'a str> {
    let Ty::Named(id) = &f.ty else { return None };
    match &api.types.get(id.0)?.kind {
        TypeKind::Literal(_) if f.required && !f.nullable && !f.boxed => {
            api.types.get(id.0).map(|t| t.name.as_str())
        }
        _ => None,
    }
}

/// `new(required…)` and `with_…` setters for a request struct.
pub(crate) fn constructor(
    api: &Api,
    name: &proc_macro2::Ident,
    s: &Struct,
    krate: &str,
) -> TokenStream {
    // The example's hidden parameters (`name: Type`), what `new` is passed, and the
    // first optional field's setter.
    let mut example_params = Vec::new();
    let mut example_args = Vec::new();
    let mut example_setter = None;
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let ty = ty_tokens(api, &f.ty, Position::Field);
        let ty = if f.boxed { quote!(Box<#ty>) } else { ty };
        if let Some(literal) = literal_of(api, f) {
            let literal = ident(literal);
            inits.push(quote!(#fname: #literal,));
        } else if f.required && !f.nullable {
            example_params.push(format!("{}: {}", f.name, type_text(&ty)));
            example_args.push(f.name.clone());
            args.push(quote!(#fname: impl Into<#ty>));
            inits.push(quote!(#fname: #fname.into(),));
        } else {
            let setter_name = setter_name(s, f);
            if example_setter.is_none() {
                example_params.push(format!("{}: {}", f.name, type_text(&ty)));
                example_setter = Some(format!(".{setter_name}({})", f.name));
            }
            inits.push(quote!(#fname: None,));
            let setter = ident(&setter_name);
            let doc = format!(" Sets `{}`.", f.wire);
            setters.push(quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#fname = Some(value.into());
                    self
                }
            });
        }
    }
    if s.additional.is_some() {
        inits.push(quote!(additional_properties: std::collections::BTreeMap::new(),));
    }
    let example = Example {
        params: &example_params,
        args: &example_args,
        setter: example_setter.as_deref(),
    };
    let doc = constructor_doc(api, name, s, !setters.is_empty(), &example, krate);
    let allow_many = (args.len() > 7).then(
        || quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required field")]),
    );
    // A struct of optional fields derives `Default`; one whose required fields are all
    // literals does not, and still needs no arguments.
    let derives_default = s.fields.iter().all(|f| !f.required || f.nullable);
    let allow_default = (args.is_empty() && !derives_default).then(|| {
        quote!(#[allow(clippy::new_without_default, reason = "a request type is built with `new`")])
    });
    // A type a spec names `new` has a constructor named after it, as every type does.
    let allow_self_named = (name == "New").then(|| {
        quote!(#[allow(clippy::self_named_constructors, reason = "every request type is built with `new`")])
    });
    quote! {
        impl #name {
            #doc
            #allow_many
            #allow_default
            #allow_self_named
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*
        }
    }
}

/// The constructor example's pieces: the hidden parameters (`name: Type`), what `new` is
/// passed, and the first optional field's setter call.
struct Example<'a> {
    params: &'a [String],
    args: &'a [String],
    setter: Option<&'a str>,
}

/// The rustdoc of `new`: what it takes, what it fills in, and a compiled example.
fn constructor_doc(
    api: &Api,
    name: &proc_macro2::Ident,
    s: &Struct,
    has_setters: bool,
    example: &Example<'_>,
    krate: &str,
) -> TokenStream {
    let required: Vec<String> = s
        .fields
        .iter()
        .filter(|f| f.required && !f.nullable && literal_of(api, f).is_none())
        .map(|f| format!("`{}`", f.name))
        .collect();
    let literals: Vec<String> = s
        .fields
        .iter()
        .filter(|f| literal_of(api, f).is_some())
        .map(|f| format!("`{}`", f.wire))
        .collect();
    let mut doc = if required.is_empty() {
        "A value with no optional field set.".to_owned()
    } else {
        format!("A value from its required fields: {}.", required.join(", "))
    };
    if !literals.is_empty() {
        doc.push_str(&format!(
            " The fixed {} {} filled in.",
            literals.join(", "),
            if literals.len() == 1 { "is" } else { "are" }
        ));
    }
    if has_setters {
        doc.push_str(" Optional fields start unset; the `with_…` methods set them.");
    }
    doc.push_str(&format!(
        "\n\n```\n{}\n# fn example({}) -> {name} {{\n{name}::new({}){}\n# }}\n```",
        super::examples::example_imports(krate),
        example.params.join(", "),
        example.args.join(", "),
        example.setter.unwrap_or_default(),
    ));
    super::docs::lines(&doc)
}

/// `with_<field>`, without the field's leading underscores (`_48x48` → `with_48x48`), which
/// would make a double underscore; a field whose trimmed name another field already has
/// keeps a trailing one instead (`with_x_`), so setter names never collide.
pub(crate) fn setter_name(s: &Struct, f: &Field) -> String {
    let trimmed = f.name.trim_start_matches('_');
    if trimmed.is_empty() {
        return "with_field".to_owned();
    }
    let taken = trimmed != f.name && s.fields.iter().any(|o| o.name == trimmed);
    if taken {
        format!("with_{trimmed}_")
    } else {
        format!("with_{trimmed}")
    }
}

/// How every variant of a union holds one field.
enum Shared<'a> {
    /// The same Rust type everywhere: a reference to it.
    Same(&'a Field),
    /// A string, open enum or literal in each variant: `&str`.
    Text,
}

/// One accessor per field every variant of `u` shares.
pub(crate) fn union_accessors(api: &Api, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let accessors: Vec<TokenStream> = shared_fields(api, u)
        .into_iter()
        .map(|a| {
            let fname = ident(&a.name);
            let variants = u.variants.iter().map(|v| ident(&v.name));
            let doc = format!(" The `{}` field, which every variant has.", a.wire);
            let (ret, read) = (a.ret, a.read);
            quote! {
                #[doc = #doc]
                pub fn #fname(&self) -> #ret {
                    match self {
                        #(Self::#variants(inner) => #read,)*
                    }
                }
            }
        })
        .collect();
    if accessors.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #(#accessors)*
        }
    }
}

/// The accessors of a union, as method name and return type: what its users can call.
pub(crate) fn union_accessor_types(api: &Api, u: &Union) -> Vec<(String, TokenStream)> {
    shared_fields(api, u)
        .into_iter()
        .map(|a| (a.name, a.ret))
        .collect()
}

/// A field every variant of a union has, read by one accessor.
struct Accessor {
    name: String,
    wire: String,
    ret: TokenStream,
    read: TokenStream,
}

/// The fields every variant of `u` has in a form one accessor can return, in the first
/// variant's field order; none unless every variant is a struct.
fn shared_fields(api: &Api, u: &Union) -> Vec<Accessor> {
    let structs: Option<Vec<&Struct>> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            Ty::Named(id) => match &api.types.get(id.0)?.kind {
                TypeKind::Struct(s) => Some(s),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let Some(structs) = structs else {
        return Vec::new();
    };
    let Some((first, rest)) = structs.split_first() else {
        return Vec::new();
    };
    let mut accessors = Vec::new();
    for f in &first.fields {
        let others: Option<Vec<&Field>> = rest
            .iter()
            .map(|s| s.fields.iter().find(|o| o.name == f.name))
            .collect();
        let Some(others) = others else { continue };
        let shape = |o: &Field| (o.required, o.nullable, o.boxed);
        let shared = if others.iter().all(|o| o.ty == f.ty && shape(o) == shape(f)) {
            Shared::Same(f)
        } else if std::iter::once(f)
            .chain(others.iter().copied())
            .all(|o| o.required && !o.nullable && !o.boxed && text_like(api, &o.ty))
        {
            Shared::Text
        } else {
            continue;
        };
        let fname = ident(&f.name);
        let (ret, read) = match shared {
            Shared::Same(field) => {
                // A boxed field (a cycle broken by `Box`) is lent as the value inside.
                let ty = ty_tokens(api, &field.ty, Position::Field);
                let string = field.ty == Ty::String && !field.boxed;
                let required = field.required && !field.nullable;
                if string && required {
                    (quote!(&str), quote!(inner.#fname.as_str()))
                } else if string {
                    (quote!(Option<&str>), quote!(inner.#fname.as_deref()))
                } else if field.boxed && required {
                    (quote!(&#ty), quote!(&inner.#fname))
                } else if field.boxed {
                    (quote!(Option<&#ty>), quote!(inner.#fname.as_deref()))
                } else if required {
                    (quote!(&#ty), quote!(&inner.#fname))
                } else {
                    (quote!(Option<&#ty>), quote!(inner.#fname.as_ref()))
                }
            }
            Shared::Text => (quote!(&str), quote!(inner.#fname.as_str())),
        };
        accessors.push(Accessor {
            name: f.name.clone(),
            wire: f.wire.clone(),
            ret,
            read,
        });
    }
    accessors
}

/// Whether a value of `ty` reads as one string: a string, an open enum or a literal.
/// Literals get `as_str` here too (see [`super::types`]).
fn text_like(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::String => true,
        Ty::Named(id) => matches!(
            api.types.get(id.0).map(|t| &t.kind),
            Some(TypeKind::Enum(_) | TypeKind::Literal(_))
        ),
        _ => false,
    }
}
