//! The hand-written runtime that every generated crate carries.
//!
//! The runtime is the workspace crate `client-runtime` in `codegen/runtime/`, where it is
//! built, linted and tested on its own. Its sources are embedded here at compile time and
//! written verbatim (behind the header) to `src/runtime/` of each generated crate, so a
//! generated crate is self-contained and builds without this generator. The crate root
//! doubles as the generated `mod.rs`: everything before its test section is copied, so the
//! module list is written once, and the copies carry no tests.

/// The runtime crate's root; up to [`TESTS`] it is the generated `src/runtime/mod.rs`.
const ROOT: &str = include_str!("../runtime/src/lib.rs");

/// Where the crate root's own part begins: its test modules, which are not copied.
const TESTS: &str = "\n#[cfg(test)]";

/// `(file name, source)` of every module the crate root declares, in its order; a unit
/// test below checks that the two lists agree.
const MODULES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../runtime/src/auth.rs")),
    ("call.rs", include_str!("../runtime/src/call.rs")),
    ("client.rs", include_str!("../runtime/src/client.rs")),
    ("decode.rs", include_str!("../runtime/src/decode.rs")),
    ("descriptor.rs", include_str!("../runtime/src/descriptor.rs")),
    ("error.rs", include_str!("../runtime/src/error.rs")),
    ("form.rs", include_str!("../runtime/src/form.rs")),
    ("page.rs", include_str!("../runtime/src/page.rs")),
    ("pagination.rs", include_str!("../runtime/src/pagination.rs")),
    ("request.rs", include_str!("../runtime/src/request.rs")),
    ("retry.rs", include_str!("../runtime/src/retry.rs")),
    ("serde_util.rs", include_str!("../runtime/src/serde_util.rs")),
    ("validate.rs", include_str!("../runtime/src/validate.rs")),
    ("wire.rs", include_str!("../runtime/src/wire.rs")),
];

/// `(file name, source)` of every file of a generated crate's `src/runtime/`.
pub(crate) fn files() -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(("mod.rs", module_root())).chain(MODULES.iter().copied())
}

/// The crate root without its test section.
fn module_root() -> &'static str {
    ROOT.split_once(TESTS).map_or(ROOT, |(head, _)| head)
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
            assert!(
                !source.contains("crate::"),
                "{name} names `crate::`, which differs between the runtime crate and a copy"
            );
        }
    }
}
