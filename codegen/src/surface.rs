//! The API-surface summary: one line per client method and per type, rendered from the
//! IR. It is what a reviewer reads in a pull request when the spec changes.

use std::fmt::Write;

use crate::ir::{
    Api, Bounds, Check, IntWidth, Operation, Returns, SuccessType, Ty, TypeDef, TypeKind,
};

pub(crate) fn render(api: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}", api.title, api.version);
    let _ = writeln!(out, "base_url {}", api.base_url);
    let auth: Vec<String> = api.security.iter().map(|alt| alt.join(" + ")).collect();
    let _ = writeln!(
        out,
        "auth {}",
        if auth.is_empty() {
            "none".to_owned()
        } else {
            auth.join(" | ")
        }
    );
    out.push_str("\n## methods\n");
    for op in &api.operations {
        method_lines(api, op, &mut out);
    }
    if !api.webhooks.is_empty() {
        out.push_str("\n## webhooks\n");
        for w in &api.webhooks {
            let _ = writeln!(
                out,
                "Webhook::{}: {} `{}` -> {}",
                w.name,
                w.method.to_uppercase(),
                w.key,
                ty(api, &w.ty)
            );
        }
    }
    out.push_str("\n## types\n");
    for t in &api.types {
        let _ = writeln!(out, "{}", type_line(api, t));
    }
    out
}

/// The line of an operation's method, and one per alternative body media type.
fn method_lines(api: &Api, op: &Operation, out: &mut String) {
    let chain = chain(api, &op.resource);
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("{}: {}{}", p.name, ty(api, &p.ty), checks(&p.checks)))
        .collect();
    if let Some(ps) = &op.params_struct {
        let optional: Vec<String> = op
            .params
            .iter()
            .filter(|p| !p.required)
            .map(|p| format!("{}{}", p.name, checks(&p.checks)))
            .collect();
        args.push(format!("params: {ps} {{ {} }}", optional.join(", ")));
    }
    if let Some(b) = &op.body {
        let opt = if b.required { "" } else { "?" };
        let content_type = if b.encoding == crate::ir::BodyEncoding::Raw {
            format!("content_type: str ({}), ", b.media_type)
        } else {
            String::new()
        };
        args.push(format!("{content_type}body{opt}: {}", ty(api, &b.ty)));
    }
    let ret = returns(api, &op.returns);
    let _ = writeln!(
        out,
        "{chain}.{}({}) -> {ret}    {} {}",
        op.method_name,
        args.join(", "),
        op.method,
        op.path
    );
    // The same operation with the body in another media type.
    for (body, name) in op
        .alternative_bodies
        .iter()
        .zip(&op.alternative_method_names)
    {
        let mut alt = args.clone();
        alt.pop();
        alt.push(format!(
            "body: {} as {}",
            ty(api, &body.ty),
            body.media_type
        ));
        let _ = writeln!(
            out,
            "{chain}.{name}({}) -> {ret}    {} {}",
            alt.join(", "),
            op.method,
            op.path
        );
    }
}

/// The accessor chain that reaches a resource: `client.rules().items()`.
pub(crate) fn chain(api: &Api, resource: &[String]) -> String {
    let mut chain = String::from("client");
    for n in 1..=resource.len() {
        let path = &resource[..n];
        let accessor = api
            .resources
            .iter()
            .find(|r| r.path == path)
            .map_or(path[n - 1].as_str(), |r| r.accessor.as_str());
        let _ = write!(chain, ".{accessor}()");
    }
    chain
}

/// The Rust type a method returns on success, with a note when it is the whole body.
pub(crate) fn returns(api: &Api, returns: &Returns) -> String {
    let value = rust_type(api, returns);
    if matches!(returns, Returns::Body(_)) {
        format!("{value} (whole body)")
    } else {
        value
    }
}

/// The Rust type of a method's success value.
pub(crate) fn rust_type(api: &Api, returns: &Returns) -> String {
    match returns.success_type() {
        SuccessType::Value(t) => ty(api, t),
        SuccessType::Optional(t) => format!("Option<{}>", ty(api, t)),
        SuccessType::Page(t) => format!("Page<{}>", ty(api, t)),
        SuccessType::Text => "String".to_owned(),
        SuccessType::Bytes => "Vec<u8>".to_owned(),
        SuccessType::Unit => "()".to_owned(),
    }
}

/// A type in one line.
fn type_line(api: &Api, t: &TypeDef) -> String {
    match &t.kind {
        TypeKind::Struct(s) => {
            let mut fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    let opt = if f.required { "" } else { "?" };
                    let null = if f.nullable { " | null" } else { "" };
                    let boxed = if f.boxed { "Box " } else { "" };
                    let secret = if f.secret { " (secret)" } else { "" };
                    format!(
                        "{}{opt}: {boxed}{}{null}{}{secret}",
                        f.name,
                        ty(api, &f.ty),
                        checks(&f.checks)
                    )
                })
                .collect();
            if let Some(a) = &s.additional {
                fields.push(format!("..: {}", ty(api, a)));
            }
            format!("struct {} {{ {} }}", t.name, fields.join(", "))
        }
        TypeKind::Enum(vs) => {
            let values: Vec<String> = vs.iter().map(|v| format!("{:?}", v.wire)).collect();
            format!("enum {} = {} | unknown", t.name, values.join(" | "))
        }
        TypeKind::Union(u) => {
            let vs: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}({})", v.name, ty(api, &v.ty)))
                .collect();
            let by = u
                .discriminator
                .as_ref()
                .map(|d| format!(" by {}", d.property))
                .unwrap_or_default();
            format!("union {}{by} = {}", t.name, vs.join(" | "))
        }
        TypeKind::Literal(v) => format!("literal {} = {v:?}", t.name),
        TypeKind::Newtype(inner) => format!("newtype {} = {}", t.name, ty(api, inner)),
    }
}

/// Client-side checks, compactly: ` [len ..=32]`, ` [5..=50]`, ` [items 1..=4, each /re/]`.
pub(crate) fn checks(list: &[Check]) -> String {
    let parts = check_parts(list);
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", parts.join(", "))
    }
}

fn check_parts(list: &[Check]) -> Vec<String> {
    fn range<T: ToString>(lo: Option<T>, hi: Option<T>) -> Option<String> {
        match (lo, hi) {
            (None, None) => None,
            (lo, hi) => Some(format!(
                "{}..={}",
                lo.map(|v| v.to_string()).unwrap_or_default(),
                hi.map(|v| v.to_string()).unwrap_or_default()
            )),
        }
    }
    let bounds = Bounds::of(list);
    let mut out = Vec::new();
    if let Some(r) = range(bounds.length.0, bounds.length.1) {
        out.push(format!("len {r}"));
    }
    let (lo, hi) = bounds.value;
    out.extend(range(
        lo.map(|b| {
            if b.exclusive {
                format!("{}<", b.value)
            } else {
                b.value.to_string()
            }
        }),
        hi.map(|b| {
            if b.exclusive {
                format!("<{}", b.value)
            } else {
                b.value.to_string()
            }
        }),
    ));
    if let Some(r) = range(bounds.items.0, bounds.items.1) {
        out.push(format!("items {r}"));
    }
    for c in list {
        match c {
            Check::Pattern(p) => out.push(format!("/{p}/")),
            Check::UniqueItems => out.push("unique".to_owned()),
            Check::Each(inner) => out.push(format!("each {}", check_parts(inner).join(" "))),
            _ => {}
        }
    }
    out
}

pub(crate) fn ty(api: &Api, t: &Ty) -> String {
    match t {
        Ty::String => "String".to_owned(),
        Ty::Integer(IntWidth::I32) => "i32".to_owned(),
        Ty::Integer(IntWidth::I64) => "i64".to_owned(),
        Ty::Number => "f64".to_owned(),
        Ty::Boolean => "bool".to_owned(),
        Ty::DateTime => "DateTime".to_owned(),
        Ty::Uuid => "Uuid".to_owned(),
        Ty::Bytes => "Bytes".to_owned(),
        Ty::Json => "Json".to_owned(),
        Ty::JsonObject => "JsonObject".to_owned(),
        Ty::Named(id) => api
            .types
            .get(id.0)
            .map_or_else(|| "?".to_owned(), |d| d.name.clone()),
        Ty::Array(i) => format!("Vec<{}>", ty(api, i)),
        Ty::Map(v) => format!("Map<{}>", ty(api, v)),
    }
}
