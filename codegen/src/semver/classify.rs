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

mod operations;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use super::version::Version;
use super::{CredentialSurface, Surface};
use operations::operation;
use types::type_change;

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
            // A type gated by several features is there when any one of them is on.
            (Some(f), Some(g)) if g.split(", ").collect::<BTreeSet<_>>().is_superset(&f.split(", ").collect()) => {
                out.push(
                    Class::Additive,
                    format!("{item} is now in features `{g}` (was `{f}`)"),
                )
            }
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
