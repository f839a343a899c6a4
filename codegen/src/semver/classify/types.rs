//! The rules for one type: its kind, fields, enum values, union variants and
//! accessors, direction, defaults and client-side checks.

use std::collections::{BTreeMap, BTreeSet};

use super::{pair, Changes, Class};
use crate::ir::{Bound, Bounds, Check};
use crate::semver::{Direction, FieldSurface, Shape, TypeSurface};
use crate::surface::checks;

pub(super) fn type_change(out: &mut Changes, name: &str, a: &TypeSurface, b: &TypeSurface) {
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
pub(super) fn default(out: &mut Changes, item: &str, a: Option<&str>, b: Option<&str>, sent: bool) {
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

pub(super) fn constraint(out: &mut Changes, item: &str, a: &[Check], b: &[Check], sent: bool) {
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
