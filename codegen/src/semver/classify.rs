//! Two surfaces compared, each difference classified by what it does to the users of the
//! generated crate, and the version bump the worst of them needs.
//!
//! The rules assume what the generator emits: every struct, enum and union is
//! `#[non_exhaustive]` (a new field, value or variant breaks no one), request structs
//! have `new(required…)` and `with_…` setters (a new optional or nullable field breaks no
//! one, a new required one changes `new`), and required parameters are positional
//! arguments (their order and types are the signature). A narrowed constraint changes no
//! signature, but calls that passed may now fail client-side: cargo-semver-checks cannot
//! see that, so the `what` says so. A changed default is the server's business: the
//! client sends nothing in its place.

use std::collections::{BTreeMap, BTreeSet};

use super::version::Version;
use super::{
    ArgumentSurface, BodySurface, CredentialSurface, Direction, FieldSurface, OperationSurface,
    ParamSurface, Shape, Surface, TypeSurface,
};
use crate::ir::{Bound, Bounds, Check};
use crate::surface::checks;

/// What a change means to the crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code that compiled, or calls that passed, may now fail: a major release.
    Breaking,
    /// New API; existing code is unaffected: a minor release.
    Additive,
    /// Same Rust API, different behaviour at run time: a patch release.
    Behaviour,
    /// Documentation only: a patch release.
    Docs,
}

impl Class {
    /// The heading this class is listed under.
    pub fn heading(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::Behaviour => "behaviour",
            Class::Docs => "docs-only",
        }
    }
}

/// One classified difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it means.
    pub class: Class,
    /// One line that names the item.
    pub what: String,
}

/// A semver bump, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Fixes and docs.
    Patch,
    /// New API.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// The bump `changes` need, or none when there are none.
    pub fn required(changes: &[Change]) -> Option<Bump> {
        changes
            .iter()
            .map(|c| match c.class {
                Class::Breaking => Bump::Major,
                Class::Additive => Bump::Minor,
                Class::Behaviour | Class::Docs => Bump::Patch,
            })
            .max()
    }

    /// The smallest version after `version` that this bump allows, by cargo's rules: the
    /// leftmost non-zero number is the major one, so on `0.y.z` a breaking change bumps
    /// `y` and an additive one `z`, and on `0.0.z` every change bumps `z`. The error says
    /// which number cannot grow.
    pub fn apply(self, version: &Version) -> Result<Version, String> {
        let Version {
            major,
            minor,
            patch,
        } = *version;
        let next = |n: u64, name: &str| {
            n.checked_add(1).ok_or_else(|| {
                format!("the {name} part of {version} cannot be bumped: it is the largest number")
            })
        };
        let v = |major, minor, patch| Version {
            major,
            minor,
            patch,
        };
        Ok(match (self, major, minor) {
            (_, 0, 0) | (Bump::Patch, ..) | (Bump::Minor, 0, _) => {
                v(major, minor, next(patch, "patch")?)
            }
            (Bump::Major, 0, _) => v(0, next(minor, "minor")?, 0),
            (Bump::Major, ..) => v(next(major, "major")?, 0, 0),
            (Bump::Minor, ..) => v(major, next(minor, "minor")?, 0),
        })
    }

    /// `major`, `minor` or `patch`.
    pub fn name(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Every difference from `old` to `new`, classified: resources, then operations, then
/// types, then webhooks, each in name order.
pub fn classify(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Changes::default();
    for (name, side) in pair(&old.resources, &new.resources) {
        match side {
            (Some(_), None) => out.push(Class::Breaking, format!("removed resource `{name}`")),
            (None, Some(_)) => out.push(Class::Additive, format!("added resource `{name}`")),
            (Some(a), Some(b)) => {
                if a.name != b.name {
                    out.push(
                        Class::Breaking,
                        format!(
                            "resource `{name}` returns `{}` instead of `{}`",
                            b.name, a.name
                        ),
                    );
                }
                if a.docs != b.docs {
                    out.push(Class::Docs, format!("docs of resource `{name}` changed"));
                }
            }
            (None, None) => {}
        }
    }
    for (name, side) in pair(&old.operations, &new.operations) {
        match side {
            (Some(a), None) => out.push(
                Class::Breaking,
                format!("removed operation `{name}` ({} {})", a.method, a.path),
            ),
            (None, Some(b)) => out.push(
                Class::Additive,
                format!("added operation `{name}` ({} {})", b.method, b.path),
            ),
            (Some(a), Some(b)) => operation(&mut out, name, a, b),
            (None, None) => {}
        }
    }
    for (name, side) in pair(&old.types, &new.types) {
        match side {
            (Some(a), None) => out.push(
                Class::Breaking,
                format!("removed {} `{name}`", a.shape.kind()),
            ),
            (None, Some(b)) => {
                out.push(
                    Class::Additive,
                    format!("added {} `{name}`", b.shape.kind()),
                );
            }
            (Some(a), Some(b)) => type_change(&mut out, name, a, b),
            (None, None) => {}
        }
    }
    for (name, side) in pair(&old.webhooks, &new.webhooks) {
        let item = format!("webhook `Webhook::{name}`");
        match side {
            (Some(_), None) => out.push(Class::Breaking, format!("removed {item}")),
            (None, Some(b)) => out.push(
                Class::Additive,
                format!("added webhook `Webhook::{name}({})`", b.ty),
            ),
            (Some(a), Some(b)) => {
                if a.ty != b.ty {
                    out.push(
                        Class::Breaking,
                        format!("{item} holds `{}` instead of `{}`", b.ty, a.ty),
                    );
                }
                if (&a.key, &a.method) != (&b.key, &b.method) {
                    out.push(
                        Class::Behaviour,
                        format!(
                            "{item} is the {} event `{}` (was the {} event `{}`)",
                            b.method, b.key, a.method, a.key
                        ),
                    );
                }
                if a.docs != b.docs {
                    out.push(Class::Docs, format!("docs of {item} changed"));
                }
            }
            (None, None) => {}
        }
    }
    if let (Some(a), Some(b)) = (&old.credentials, &new.credentials) {
        credentials(&mut out, a, b);
    }
    features(&mut out, old, new);
    out.0
}

fn credentials(
    out: &mut Changes,
    old: &BTreeMap<String, CredentialSurface>,
    new: &BTreeMap<String, CredentialSurface>,
) {
    for (m, side) in pair(old, new) {
        let item = format!("credential setter `ClientBuilder::{m}`");
        match side {
            (Some(_), None) => out.push(Class::Breaking, format!("removed {item}")),
            (None, Some(c)) => out.push(
                Class::Additive,
                format!("added {item} (scheme `{}`, {})", c.scheme, c.sent),
            ),
            (Some(a), Some(b)) if a != b => out.push(
                Class::Behaviour,
                format!(
                    "{item} sets scheme `{}`, {} (was `{}`, {})",
                    b.scheme, b.sent, a.scheme, a.sent
                ),
            ),
            _ => {}
        }
    }
}

/// Resource features. With `default-features = false` a user compiles only the features
/// they name, so an item that becomes gated, or moves to another feature, is gone from
/// their build; users of the default features see no change. Turning features on for a
/// whole crate gates every resource at once: one line names it instead of one per item.
fn features(out: &mut Changes, old: &Surface, new: &Surface) {
    let (Some(fa), Some(fb)) = (&old.features, &new.features) else {
        return;
    };
    let (sa, sb): (BTreeSet<&String>, BTreeSet<&String>) =
        (fa.iter().collect(), fb.iter().collect());
    for f in sa.difference(&sb) {
        out.push(Class::Breaking, format!("removed feature `{f}`"));
    }
    for f in sb.difference(&sa) {
        out.push(Class::Additive, format!("added feature `{f}`"));
    }
    let mut moved: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let mut note = |item: String, a: &Option<String>, b: &Option<String>| {
        if a != b {
            moved.push((item, a.clone(), b.clone()));
        }
    };
    for (k, side) in pair(&old.resources, &new.resources) {
        if let (Some(a), Some(b)) = side {
            note(format!("resource `{k}`"), &a.feature, &b.feature);
        }
    }
    for (k, side) in pair(&old.operations, &new.operations) {
        if let (Some(a), Some(b)) = side {
            note(format!("`{k}`"), &a.feature, &b.feature);
        }
    }
    for (k, side) in pair(&old.types, &new.types) {
        if let (Some(a), Some(b)) = side {
            note(format!("`{k}`"), &a.feature, &b.feature);
        }
    }
    if fa.is_empty() && !fb.is_empty() {
        let gated = moved.iter().filter(|(_, _, b)| b.is_some()).count();
        out.push(
            Class::Breaking,
            format!(
                "resource features turned on for the crate: {gated} item(s) are now gated, so builds with `default-features = false` lose them until they enable the features"
            ),
        );
        return;
    }
    for (item, a, b) in moved {
        match (a.as_deref(), b.as_deref()) {
            (None, Some(f)) => out.push(
                Class::Breaking,
                format!("{item} is now gated by feature `{f}` (builds with `default-features = false` lose it)"),
            ),
            (Some(f), None) => out.push(
                Class::Additive,
                format!("{item} is no longer gated by feature `{f}`"),
            ),
            (Some(f), Some(g)) => out.push(
                Class::Breaking,
                format!("{item} moved from feature `{f}` to `{g}`"),
            ),
            (None, None) => {}
        }
    }
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, class: Class, what: String) {
        self.0.push(Change { class, what });
    }
}

/// The old and the new value of one key.
type Side<'a, V> = (Option<&'a V>, Option<&'a V>);

/// Every key of both maps, in order, with the value on each side.
fn pair<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> Vec<(&'a String, Side<'a, V>)> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .map(|k| (k, (old.get(k), new.get(k))))
        .collect()
}

fn operation(out: &mut Changes, name: &str, a: &OperationSurface, b: &OperationSurface) {
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

fn type_change(out: &mut Changes, name: &str, a: &TypeSurface, b: &TypeSurface) {
    direction(out, name, a, b);
    match (&a.shape, &b.shape) {
        (
            Shape::Struct {
                fields: fa,
                additional: xa,
            },
            Shape::Struct {
                fields: fb,
                additional: xb,
            },
        ) => {
            fields(out, name, fa, fb, b.direction);
            additional(out, name, xa.as_deref(), xb.as_deref());
        }
        (Shape::Enum { values: va }, Shape::Enum { values: vb }) => {
            enum_values(out, name, va, vb, b.direction);
        }
        (
            Shape::Union {
                variants: va,
                discriminator: da,
                accessors: aa,
                from: fa,
            },
            Shape::Union {
                variants: vb,
                discriminator: db,
                accessors: ab,
                from: fb,
            },
        ) => {
            variants(out, name, va, vb);
            if let (Some(aa), Some(ab)) = (aa, ab) {
                accessors(out, name, aa, ab);
            }
            if let (Some(fa), Some(fb)) = (fa, fb) {
                from_impls(out, name, fa, fb);
            }
            if da != db {
                out.push(
                    Class::Behaviour,
                    format!(
                        "`{name}` is told apart by {} (was {})",
                        db.as_deref().unwrap_or("its shape"),
                        da.as_deref().unwrap_or("its shape")
                    ),
                );
            }
        }
        (Shape::Literal { value: va }, Shape::Literal { value: vb }) if va != vb => out.push(
            Class::Breaking,
            format!("literal `{name}` is {vb:?} instead of {va:?}"),
        ),
        (Shape::Newtype { inner: ia }, Shape::Newtype { inner: ib }) if ia != ib => out.push(
            Class::Breaking,
            format!("newtype `{name}` wraps `{ib}` instead of `{ia}`"),
        ),
        (sa, sb) if sa.kind() != sb.kind() => out.push(
            Class::Breaking,
            format!("`{name}` changed from {} to {}", sa.kind(), sb.kind()),
        ),
        _ => {}
    }
    if a.docs != b.docs {
        out.push(Class::Docs, format!("docs of `{name}` changed"));
    }
}

fn fields(
    out: &mut Changes,
    name: &str,
    old: &BTreeMap<String, FieldSurface>,
    new: &BTreeMap<String, FieldSurface>,
    dir: Direction,
) {
    for (f, side) in pair(old, new) {
        let item = format!("field `{name}.{f}`");
        match side {
            (Some(_), None) => out.push(Class::Breaking, format!("removed {item}")),
            // A required field that may be null gets a `with_` setter, not a `new` argument.
            (None, Some(n)) if n.required && !n.nullable && dir.sent() => out.push(
                Class::Breaking,
                format!(
                    "added required {item}: `{}` to a request type (`{name}::new` takes it)",
                    n.ty
                ),
            ),
            (None, Some(n)) => {
                let opt = if n.required { "" } else { "optional " };
                out.push(Class::Additive, format!("added {opt}{item}: `{}`", n.ty));
            }
            (Some(o), Some(n)) => field(out, &item, o, n, dir),
            (None, None) => {}
        }
    }
}

/// Undeclared properties: a new map field breaks no one, since structs are
/// `#[non_exhaustive]` and `new` starts the map empty; a removed or retyped one does.
fn additional(out: &mut Changes, name: &str, a: Option<&str>, b: Option<&str>) {
    if a == b {
        return;
    }
    let class = match (a, b) {
        (None, Some(_)) => Class::Additive,
        _ => Class::Breaking,
    };
    out.push(
        class,
        format!(
            "additional properties of `{name}` changed from `{}` to `{}`",
            a.unwrap_or("none"),
            b.unwrap_or("none")
        ),
    );
}

fn enum_values(
    out: &mut Changes,
    name: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    dir: Direction,
) {
    for (wire, side) in pair(old, new) {
        match side {
            (Some(v), None) => out.push(
                Class::Breaking,
                format!("removed enum value `{name}::{v}` ({wire:?})"),
            ),
            (None, Some(v)) => {
                out.push(
                    Class::Additive,
                    format!("added enum value `{name}::{v}` ({wire:?})"),
                );
                if dir.received() {
                    out.push(
                        Class::Behaviour,
                        format!(
                            "`{name}` values {wire:?} that decoded as `{name}::Unknown` now decode as `{name}::{v}`"
                        ),
                    );
                }
            }
            (Some(o), Some(n)) if o != n => out.push(
                Class::Breaking,
                format!("enum value {wire:?} of `{name}` renamed from `{o}` to `{n}`"),
            ),
            _ => {}
        }
    }
}

fn variants(
    out: &mut Changes,
    name: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    for (v, side) in pair(old, new) {
        match side {
            (Some(_), None) => out.push(
                Class::Breaking,
                format!("removed union variant `{name}::{v}`"),
            ),
            (None, Some(t)) => out.push(
                Class::Additive,
                format!("added union variant `{name}::{v}({t})`"),
            ),
            (Some(o), Some(n)) if o != n => out.push(
                Class::Breaking,
                format!("union variant `{name}::{v}` holds `{n}` instead of `{o}`"),
            ),
            _ => {}
        }
    }
}

/// A union's accessors, one per field every variant has: a new variant without the
/// field takes one away.
fn accessors(
    out: &mut Changes,
    name: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) {
    for (m, side) in pair(old, new) {
        let item = format!("accessor `{name}::{m}`");
        match side {
            (Some(_), None) => out.push(Class::Breaking, format!("removed {item}")),
            (None, Some(t)) => out.push(Class::Additive, format!("added {item}: `{t}`")),
            (Some(o), Some(n)) if o != n => out.push(
                Class::Breaking,
                format!("{item} returns `{n}` instead of `{o}`"),
            ),
            _ => {}
        }
    }
}

/// A union's `From` impls, one per payload type only one variant holds.
fn from_impls(out: &mut Changes, name: &str, old: &[String], new: &[String]) {
    let (old, new): (BTreeSet<&String>, BTreeSet<&String>) =
        (old.iter().collect(), new.iter().collect());
    for t in old.difference(&new) {
        out.push(
            Class::Breaking,
            format!("removed `impl From<{t}> for {name}`"),
        );
    }
    for t in new.difference(&old) {
        out.push(
            Class::Additive,
            format!("added `impl From<{t}> for {name}`"),
        );
    }
}

/// A type that stops being sent loses its constructor. Every struct is
/// `#[non_exhaustive]` whichever way it travels, so starting to be received changes
/// nothing users can write.
fn direction(out: &mut Changes, name: &str, a: &TypeSurface, b: &TypeSurface) {
    // Enums and unions have no constructors and are `#[non_exhaustive]` either way.
    if a.direction == b.direction || !matches!(b.shape, Shape::Struct { .. }) {
        return;
    }
    let class = if a.direction.sent() && !b.direction.sent() {
        Class::Breaking
    } else {
        Class::Additive
    };
    let word = |d: Direction| match d {
        Direction::Request => "sent only",
        Direction::Response => "received only",
        Direction::Both => "sent and received",
    };
    out.push(
        class,
        format!(
            "`{name}` is now {} (was {})",
            word(b.direction),
            word(a.direction)
        ),
    );
}

fn field(out: &mut Changes, item: &str, a: &FieldSurface, b: &FieldSurface, dir: Direction) {
    match (a.required, b.required) {
        (false, true) => out.push(Class::Breaking, format!("{item} became required")),
        (true, false) => out.push(
            Class::Breaking,
            format!("{item} became optional (its type gains `Option`)"),
        ),
        _ => {}
    }
    if a.nullable != b.nullable {
        let now = if b.nullable {
            "became nullable"
        } else {
            "is no longer nullable"
        };
        out.push(Class::Breaking, format!("{item} {now} (its type changes)"));
    }
    if a.ty != b.ty {
        out.push(
            Class::Breaking,
            format!("{item} changed type from `{}` to `{}`", a.ty, b.ty),
        );
    }
    if a.wire != b.wire {
        out.push(
            Class::Behaviour,
            format!(
                "{item} is now the JSON property {:?} (was {:?})",
                b.wire, a.wire
            ),
        );
    }
    constraint(out, item, &a.checks, &b.checks, dir.sent());
    default(
        out,
        item,
        a.default.as_deref(),
        b.default.as_deref(),
        dir.sent(),
    );
    if a.docs != b.docs {
        out.push(Class::Docs, format!("docs of {item} changed"));
    }
}

/// A changed default changes what an omitted value means, but the client sends nothing
/// in its place: the server applies it, so the Rust API and the client's behaviour stay
/// as they were, on both sides.
fn default(out: &mut Changes, item: &str, a: Option<&str>, b: Option<&str>, sent: bool) {
    if a == b {
        return;
    }
    let show = |d: Option<&str>| d.unwrap_or("none").to_owned();
    let means = if sent {
        "the server treats callers who omit it differently"
    } else {
        "an absent value means something else"
    };
    out.push(
        Class::Behaviour,
        format!(
            "{item} default changed from {} to {}: a server-side behaviour change, {means}",
            show(a),
            show(b)
        ),
    );
}

fn constraint(out: &mut Changes, item: &str, a: &[Check], b: &[Check], sent: bool) {
    if a == b {
        return;
    }
    let shown = |c: &[Check]| {
        let s = checks(c);
        if s.is_empty() {
            "none".to_owned()
        } else {
            s.trim_start().to_owned()
        }
    };
    let was = format!("{} to {}", shown(a), shown(b));
    let (narrowed, widened) = compare(a, b);
    if !sent {
        out.push(
            Class::Docs,
            format!("{item} constraint changed from {was} (responses are not checked)"),
        );
    } else if narrowed {
        out.push(
            Class::Breaking,
            format!(
                "{item} constraint narrowed from {was}: calls that passed may now fail client-side (cargo-semver-checks cannot see this)"
            ),
        );
    } else if widened {
        out.push(
            Class::Additive,
            format!("{item} constraint widened from {was}: more values are accepted"),
        );
    }
}

/// Whether `new` rejects something `old` accepted, and whether it accepts something
/// `old` rejected. A changed pattern counts as narrowed: no one can tell it is not.
fn compare(old: &[Check], new: &[Check]) -> (bool, bool) {
    if old == new {
        return (false, false);
    }
    let (bo, bn) = (Bounds::of(old), Bounds::of(new));
    let mut narrowed = false;
    let mut widened = false;
    let mut order = |tighter: Option<bool>| match tighter {
        Some(true) => narrowed = true,
        Some(false) => widened = true,
        None => {}
    };
    order(lower(bo.length.0, bn.length.0));
    order(upper(bo.length.1, bn.length.1));
    order(lower(bo.items.0, bn.items.0));
    order(upper(bo.items.1, bn.items.1));
    // An exclusive limit is the tighter of two with the same value.
    let lo = |b: Option<Bound>| b.map(|b| (b.value, b.exclusive));
    let hi = |b: Option<Bound>| b.map(|b| (-b.value, b.exclusive));
    order(lower(lo(bo.value.0), lo(bn.value.0)));
    order(lower(hi(bo.value.1), hi(bn.value.1)));
    let patterns = |c: &[Check]| -> BTreeSet<String> {
        c.iter()
            .filter_map(|c| match c {
                Check::Pattern(p) => Some(p.clone()),
                _ => None,
            })
            .collect()
    };
    let (po, pn) = (patterns(old), patterns(new));
    if pn.difference(&po).next().is_some() {
        narrowed = true;
    }
    if po.difference(&pn).next().is_some() {
        widened = true;
    }
    let unique = |c: &[Check]| c.contains(&Check::UniqueItems);
    match (unique(old), unique(new)) {
        (false, true) => narrowed = true,
        (true, false) => widened = true,
        _ => {}
    }
    let each = |c: &[Check]| -> Vec<Check> {
        c.iter()
            .filter_map(|c| match c {
                Check::Each(inner) => Some(inner.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let (n, w) = compare(&each(old), &each(new));
    (narrowed || n, widened || w)
}

/// `Some(true)` when `new` is a tighter lower limit than `old`, `Some(false)` when looser.
/// Lower limits compare as given; an upper limit compares as a lower one once negated.
fn lower<T: PartialOrd>(old: Option<T>, new: Option<T>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(o), Some(n)) if n > o => Some(true),
        (Some(o), Some(n)) if n < o => Some(false),
        _ => None,
    }
}

/// [`lower`] for an upper limit.
fn upper(old: Option<u64>, new: Option<u64>) -> Option<bool> {
    match (old, new) {
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(o), Some(n)) if n < o => Some(true),
        (Some(o), Some(n)) if n > o => Some(false),
        _ => None,
    }
}
