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
}
