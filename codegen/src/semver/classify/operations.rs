//! The rules for one operation: its route, its positional arguments, its parameters
//! and its body.

use super::types::{constraint, default};
use super::{pair, Changes, Class};
use crate::semver::{ArgumentSurface, BodySurface, OperationSurface, ParamSurface};

pub(super) fn operation(out: &mut Changes, name: &str, a: &OperationSurface, b: &OperationSurface) {
    if (&a.method, &a.path) != (&b.method, &b.path) {
        out.push(
            Class::Behaviour,
            format!(
                "`{name}` now calls {} {} (was {} {})",
                b.method, b.path, a.method, a.path
            ),
        );
    }
    // With both argument lists recorded they settle the signature, and the per-parameter
    // rules keep to what they cannot see: the params struct's fields, wire names, checks,
    // defaults and docs.
    let positional = match (&a.arguments, &b.arguments) {
        (Some(x), Some(y)) => {
            arguments(out, name, x, y);
            true
        }
        _ => false,
    };
    for (p, side) in pair(&a.params, &b.params) {
        match side {
            (Some(o), None) if !(positional && o.required) => out.push(
                Class::Breaking,
                format!("removed parameter `{p}` of `{name}`"),
            ),
            (None, Some(n)) if n.required && !positional => out.push(
                Class::Breaking,
                format!("added required parameter `{p}: {}` to `{name}`", n.ty),
            ),
            (None, Some(n)) if !n.required => out.push(
                Class::Additive,
                format!("added optional parameter `{p}: {}` to `{name}`", n.ty),
            ),
            (Some(o), Some(n)) => param(
                out,
                &format!("parameter `{p}` of `{name}`"),
                o,
                n,
                positional,
            ),
            _ => {}
        }
    }
    body(out, name, a.body.as_ref(), b.body.as_ref(), positional);
    let (ta, wa) = whole_body(a);
    let (tb, wb) = whole_body(b);
    if ta != tb {
        out.push(
            Class::Breaking,
            format!("`{name}` returns `{tb}` instead of `{ta}`"),
        );
    } else if wa != wb {
        let how = |whole| {
            if whole {
                "the whole body"
            } else {
                "the data inside the body"
            }
        };
        out.push(
            Class::Behaviour,
            format!("`{name}` decodes {} (was {})", how(wb), how(wa)),
        );
    }
    if a.deprecated != b.deprecated {
        let now = if b.deprecated {
            "is now"
        } else {
            "is no longer"
        };
        out.push(Class::Docs, format!("`{name}` {now} deprecated"));
    }
    if a.docs != b.docs {
        out.push(Class::Docs, format!("docs of `{name}` changed"));
    }
}

/// The Rust type of the success value, and whether it is decoded from the whole body
/// rather than from the data the body wraps. Baselines written before `whole_body` was
/// recorded carry it as a suffix of the type.
fn whole_body(op: &OperationSurface) -> (&str, bool) {
    match op.returns.strip_suffix(" (whole body)") {
        Some(t) => (t, true),
        None => (op.returns.as_str(), op.whole_body),
    }
}

/// A method's positional arguments: other types, or another order, break every call;
/// other names only the docs.
fn arguments(out: &mut Changes, name: &str, a: &[ArgumentSurface], b: &[ArgumentSurface]) {
    let types =
        |args: &[ArgumentSurface]| -> Vec<String> { args.iter().map(|a| a.ty.clone()).collect() };
    let list = |args: &[ArgumentSurface]| -> String {
        args.iter()
            .map(|a| format!("{}: {}", a.name, a.ty))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if types(a) != types(b) {
        out.push(
            Class::Breaking,
            format!("`{name}` takes ({}) instead of ({})", list(b), list(a)),
        );
    } else if a != b {
        out.push(
            Class::Docs,
            format!(
                "arguments of `{name}` renamed: ({}) instead of ({})",
                list(b),
                list(a)
            ),
        );
    }
}

/// `positional`: the argument list is compared on its own, so what it shows (a required
/// parameter's type, or one becoming required or optional) is not said twice.
fn param(out: &mut Changes, item: &str, a: &ParamSurface, b: &ParamSurface, positional: bool) {
    let in_arguments = positional && (a.required || b.required);
    match (a.required, b.required) {
        _ if positional => {}
        (false, true) => out.push(
            Class::Breaking,
            format!("{item} became required (a method argument)"),
        ),
        (true, false) => out.push(
            Class::Breaking,
            format!("{item} became optional (it moves into the params struct)"),
        ),
        _ => {}
    }
    if a.ty != b.ty && !in_arguments {
        out.push(
            Class::Breaking,
            format!("{item} changed type from `{}` to `{}`", a.ty, b.ty),
        );
    }
    if (&a.location, &a.wire) != (&b.location, &b.wire) {
        out.push(
            Class::Behaviour,
            format!(
                "{item} is now sent as {} `{}` (was {} `{}`)",
                b.location, b.wire, a.location, a.wire
            ),
        );
    }
    constraint(out, item, &a.checks, &b.checks, true);
    default(out, item, a.default.as_deref(), b.default.as_deref(), true);
    if a.docs != b.docs {
        out.push(Class::Docs, format!("docs of {item} changed"));
    }
}

/// `positional`: the argument list shows whether the body's argument changed, so only
/// what it cannot see, the media type, is compared here.
fn body(
    out: &mut Changes,
    name: &str,
    a: Option<&BodySurface>,
    b: Option<&BodySurface>,
    positional: bool,
) {
    match (a, b) {
        (Some(a), Some(b)) if positional => {
            if a.media_type != b.media_type {
                out.push(
                    Class::Behaviour,
                    format!(
                        "body of `{name}` is now sent as {} (was {})",
                        b.media_type, a.media_type
                    ),
                );
            }
        }
        _ if positional => {}
        (Some(a), None) => out.push(
            Class::Breaking,
            format!("`{name}` no longer takes a body (was `{}`)", a.ty),
        ),
        (None, Some(b)) => out.push(
            Class::Breaking,
            format!("`{name}` now takes a body `{}`", b.ty),
        ),
        (Some(a), Some(b)) => {
            if a.ty != b.ty {
                out.push(
                    Class::Breaking,
                    format!(
                        "body of `{name}` changed type from `{}` to `{}`",
                        a.ty, b.ty
                    ),
                );
            }
            if a.required != b.required {
                let now = if b.required { "required" } else { "optional" };
                out.push(Class::Breaking, format!("body of `{name}` became {now}"));
            }
            if a.media_type != b.media_type {
                out.push(
                    Class::Behaviour,
                    format!(
                        "body of `{name}` is now sent as {} (was {})",
                        b.media_type, a.media_type
                    ),
                );
            }
        }
        (None, None) => {}
    }
}
