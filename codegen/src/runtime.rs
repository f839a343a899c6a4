//! The hand-written runtime that every generated crate carries.
//!
//! The runtime is the workspace crate `client-runtime` in `codegen/runtime/`, where it is
//! built, linted and tested on its own. Its sources are embedded here at compile time and
//! written verbatim (behind the header) to `src/runtime/` of each generated crate, so a
//! generated crate is self-contained and builds without this generator. The crate root
//! doubles as the generated `mod.rs`: everything before its test section is copied, so the
//! module list is written once, and the copies carry no tests.
//!
//! The same sources say which names a generated crate must leave alone: [`methods`] reads
//! them with `syn`, once, so the names the generator reserves follow the runtime as it
//! changes instead of a list kept by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use syn::punctuated::Punctuated;
use syn::{ImplItem, Item, TraitItem, UseTree};

/// The runtime crate's root; up to [`TESTS`] it is the generated `src/runtime/mod.rs`.
const ROOT: &str = include_str!("../runtime/src/lib.rs");

/// Where the crate root's own part begins: its test modules, which are not copied.
const TESTS: &str = "\n#[cfg(test)]";

/// Embeds each named file of `codegen/runtime/src/`.
macro_rules! modules {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../runtime/src/", $name)))),*]
    };
}

/// `(file name, source)` of every module the crate root declares, in its order; a unit
/// test below checks that the two lists agree.
const MODULES: &[(&str, &str)] = modules![
    "attempt.rs",
    "auth.rs",
    "call.rs",
    "client.rs",
    "decode.rs",
    "descriptor.rs",
    "enums.rs",
    "error.rs",
    "form.rs",
    "json_path.rs",
    "page.rs",
    "pagination.rs",
    "request.rs",
    "retry.rs",
    "serde_util.rs",
    "unvalidated.rs",
    "validate.rs",
    "wire.rs",
];

/// `(file name, source)` of every file of a generated crate's `src/runtime/`.
pub(crate) fn files() -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(("mod.rs", module_root())).chain(MODULES.iter().copied())
}

/// The crate root without its test section.
fn module_root() -> &'static str {
    ROOT.split_once(TESTS).map_or(ROOT, |(head, _)| head)
}

/// The static that describes the API to the runtime, beside the types in `client.rs`
/// (see `emit::client`).
pub(crate) const DESCRIPTOR: &str = "API";

/// The constructors the generator adds to the runtime's `Client` (see `emit::client`).
pub(crate) const CONSTRUCTORS: [&str; 2] = ["builder", "from_env"];

/// The traits every generated resource struct derives (see `emit::client`).
pub(crate) const RESOURCE_DERIVES: [&str; 2] = ["Debug", "Clone"];

/// The constructor of every generated optional-parameters struct (see `emit::client`).
pub(crate) const PARAMS_CONSTRUCTOR: &str = "new";

/// The traits every generated optional-parameters struct derives (see `emit::client`).
pub(crate) const PARAMS_DERIVES: [&str; 4] = ["Debug", "Clone", "Default", "PartialEq"];

/// The Cargo features a generated crate may declare, which no resource feature may take
/// (see `emit::cargo_toml`).
pub const CRATE_FEATURES: [&str; 3] = ["default", "http2", BOTH_WAYS];

/// The feature of a crate with resource features that compiles the serde impl a type's
/// direction does not need: `Serialize` on types only responses reach, `Deserialize` on
/// types only requests reach. It is on by default, beside every resource feature.
pub const BOTH_WAYS: &str = "full-serde";

/// What the runtime's sources define, as far as naming generated items is concerned.
#[derive(Debug, Default)]
struct Defined {
    /// Inherent methods by type, of any visibility: generated code is compiled in the same
    /// crate, so a `pub(crate)` method clashes with a generated one as much as a `pub` one.
    inherent: BTreeMap<String, BTreeSet<String>>,
    /// The traits each type implements or derives, by their last path segment.
    traits: BTreeMap<String, BTreeSet<String>>,
    /// The methods of each trait the runtime declares.
    trait_fns: BTreeMap<String, BTreeSet<String>>,
    /// The names the runtime module exports: `pub use` leaves and `pub mod`s.
    exports: BTreeSet<String>,
}

fn defined() -> &'static Defined {
    static DEFINED: OnceLock<Defined> = OnceLock::new();
    DEFINED.get_or_init(|| {
        let mut d = Defined::default();
        for (_, source) in files() {
            // The sources are this crate's own and a unit test parses each of them; a file
            // that did not parse would only make the reserved sets smaller.
            if let Ok(file) = syn::parse_file(source) {
                d.read(&file.items);
            }
        }
        d
    })
}

impl Defined {
    fn read(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Impl(imp) => {
                    let syn::Type::Path(ty) = &*imp.self_ty else {
                        continue;
                    };
                    let Some(ty) = last_segment(&ty.path) else {
                        continue;
                    };
                    match &imp.trait_ {
                        Some((_, path, _)) => {
                            if let Some(t) = last_segment(path) {
                                self.traits.entry(ty).or_default().insert(t);
                            }
                        }
                        None => {
                            let fns = imp.items.iter().filter_map(|i| match i {
                                ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                                _ => None,
                            });
                            self.inherent.entry(ty).or_default().extend(fns);
                        }
                    }
                }
                Item::Struct(s) => self.derives(&s.ident, &s.attrs),
                Item::Enum(e) => self.derives(&e.ident, &e.attrs),
                Item::Trait(t) => {
                    let fns = t.items.iter().filter_map(|i| match i {
                        TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    });
                    self.trait_fns
                        .entry(t.ident.to_string())
                        .or_default()
                        .extend(fns);
                }
                Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                    leaves(&u.tree, &mut self.exports);
                }
                Item::Mod(m) if matches!(m.vis, syn::Visibility::Public(_)) => {
                    self.exports.insert(m.ident.to_string());
                }
                _ => {}
            }
        }
    }

    fn derives(&mut self, ty: &syn::Ident, attrs: &[syn::Attribute]) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let parsed =
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
            for path in parsed.iter().flatten() {
                if let Some(t) = last_segment(path) {
                    self.traits.entry(ty.to_string()).or_default().insert(t);
                }
            }
        }
    }

    /// The methods of a trait: the runtime's own from its source, the standard library's
    /// from [`std_trait_methods`].
    fn trait_methods(&self, name: &str) -> Option<Vec<&str>> {
        match self.trait_fns.get(name) {
            Some(fns) => Some(fns.iter().map(String::as_str).collect()),
            None => std_trait_methods(name).map(<[&str]>::to_vec),
        }
    }
}

fn last_segment(path: &syn::Path) -> Option<String> {
    path.segments.last().map(|s| s.ident.to_string())
}

fn leaves(tree: &UseTree, out: &mut BTreeSet<String>) {
    match tree {
        UseTree::Path(p) => leaves(&p.tree, out),
        UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
        UseTree::Glob(_) => {}
    }
}

/// The methods of the standard traits the runtime's types and the generated resource
/// structs implement or derive: facts about `std` that no runtime source spells out. A
/// unit test fails when a runtime type gains a trait missing here.
fn std_trait_methods(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "Clone" => &["clone", "clone_from"],
        "Copy" | "Eq" | "Send" | "Sync" | "Unpin" => &[],
        "Debug" | "Display" => &["fmt"],
        "Default" => &["default"],
        "PartialEq" => &["eq", "ne"],
        "PartialOrd" => &["partial_cmp", "lt", "le", "gt", "ge"],
        "Ord" => &["cmp", "max", "min", "clamp"],
        "Hash" => &["hash", "hash_slice"],
        "Error" => &["source", "description", "cause", "provide"],
        "From" => &["from"],
        "IntoIterator" => &["into_iter"],
        "IntoFuture" => &["into_future"],
        "Serialize" => &["serialize"],
        "Deserialize" => &["deserialize"],
        _ => return None,
    })
}

/// Every method a value of the runtime type `ty` answers to: its inherent methods and
/// those of the traits it implements or derives. A generated method of the same name
/// would clash (E0592) or shadow one the runtime calls.
pub(crate) fn methods(ty: &str) -> Vec<&'static str> {
    let d = defined();
    let mut out: BTreeSet<&str> = d
        .inherent
        .get(ty)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    for t in d.traits.get(ty).into_iter().flatten() {
        out.extend(d.trait_methods(t).unwrap_or_default());
    }
    out.into_iter().collect()
}

/// The methods of the given standard or runtime traits (for the generated resource
/// structs, which derive [`RESOURCE_DERIVES`]).
pub(crate) fn trait_methods(traits: &[&str]) -> Vec<&'static str> {
    let d = defined();
    let mut out: BTreeSet<&str> = BTreeSet::new();
    for t in traits {
        out.extend(d.trait_methods(t).unwrap_or_default());
    }
    out.into_iter().collect()
}

/// The names the runtime module exports (`Client`, `Error`, `decode`, …).
#[cfg_attr(not(test), allow(dead_code, reason = "read by the unit tests"))]
fn exports() -> &'static BTreeSet<String> {
    &defined().exports
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules `mod.rs` declares, as file names.
    fn declared() -> Vec<String> {
        module_root()
            .lines()
            .filter_map(|line| {
                let rest = line.strip_prefix("pub ").unwrap_or(line);
                let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
                Some(format!("{name}.rs"))
            })
            .collect()
    }

    #[test]
    fn every_declared_module_is_copied_and_nothing_else() {
        let copied: Vec<String> = MODULES.iter().map(|(name, _)| (*name).to_owned()).collect();
        assert_eq!(
            declared(),
            copied,
            "codegen/src/runtime.rs MODULES must list the modules of codegen/runtime/src/lib.rs"
        );
    }

    #[test]
    fn copies_carry_no_tests() {
        assert!(ROOT.contains(TESTS), "the crate root has a test section");
        for (name, source) in files() {
            assert!(!source.contains("cfg(test)"), "{name} carries tests");
            // `$crate::runtime::` is the one exception: a macro's path to the runtime
            // module of the crate that invokes it, which the runtime crate's own tests
            // provide with `extern crate self as runtime`.
            let plain = source.replace("$crate::runtime::", "");
            assert!(
                !plain.contains("crate::"),
                "{name} names `crate::`, which differs between the runtime crate and a copy"
            );
        }
    }

    #[test]
    fn every_runtime_source_parses() {
        for (name, source) in files() {
            assert!(syn::parse_file(source).is_ok(), "{name} does not parse");
        }
    }

    #[test]
    fn client_methods_are_read_from_the_source() {
        let client = methods("Client");
        for m in ["call", "base_url", "api", "clone", "fmt"] {
            assert!(client.contains(&m), "`Client::{m}` not found in {client:?}");
        }
        let builder = methods("ClientBuilder");
        for m in ["new", "credential", "with_vars", "build", "timeout", "fmt"] {
            assert!(
                builder.contains(&m),
                "`ClientBuilder::{m}` not found in {builder:?}"
            );
        }
        assert_eq!(
            trait_methods(&RESOURCE_DERIVES),
            ["clone", "clone_from", "fmt"]
        );
    }

    /// A trait missing from [`std_trait_methods`] would leave its methods unreserved.
    #[test]
    fn every_trait_of_an_extended_type_is_known() {
        let d = defined();
        for ty in ["Client", "ClientBuilder"] {
            for t in d.traits.get(ty).into_iter().flatten() {
                assert!(
                    d.trait_methods(t).is_some(),
                    "`{ty}` implements `{t}`, whose methods codegen/src/runtime.rs does not know"
                );
            }
        }
        for t in RESOURCE_DERIVES.into_iter().chain(PARAMS_DERIVES) {
            assert!(d.trait_methods(t).is_some(), "unknown derive `{t}`");
        }
    }

    /// Generated resource and parameter structs end in `Api` and `Params` and are
    /// re-exported beside the runtime's items from the crate root, where an export of the
    /// same name would silently hide them.
    #[test]
    fn no_export_looks_like_a_generated_struct() {
        let exports = exports();
        assert!(exports.contains("Client") && exports.contains("decode"));
        for name in exports {
            assert!(
                !name.ends_with("Api") && !name.ends_with("Params"),
                "runtime export `{name}` could clash with a generated struct"
            );
        }
    }
}
