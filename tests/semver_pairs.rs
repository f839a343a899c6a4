//! The fixture pairs in `fixtures/semver/` agree with cargo-semver-checks: each pair's
//! two generated crates get the verdict its `expect.txt` records. The work is done by
//! `cargo xtask semver-pairs` (the only code that writes files), which fails, saying how
//! to install it, when the pinned cargo-semver-checks is missing: the proof is never
//! skipped.

use std::path::Path;
use std::process::Command;

#[test]
fn every_semver_pair_gets_the_expected_verdict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    // The table the command prints is the CI log's record of each pair.
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "semver-pairs"])
        .current_dir(&root)
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    assert!(
        status.success(),
        "`cargo xtask semver-pairs` failed; its output above says which pair and why, or how to install cargo-semver-checks"
    );
}
