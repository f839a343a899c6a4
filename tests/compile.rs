//! Every feature fixture's and real-world spec's generated crate builds, warning-free
//! under clippy `-D warnings`, so a snapshot can never lock in code that does not
//! compile; a crate with per-resource features builds so with each feature alone, with
//! none and with all. The work is done by `cargo xtask fixtures` and `cargo xtask corpus` (the only
//! code that writes files); both build into one target dir, so the dependencies are
//! compiled once and each crate once.

use std::path::Path;
use std::process::Command;

#[test]
fn every_fixture_crate_builds_warning_free() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "fixtures"])
        .current_dir(&root)
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    assert!(
        status.success(),
        "`cargo xtask fixtures` failed; its output above says which crate and why"
    );
}

#[test]
fn every_resource_feature_builds_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "features"])
        .current_dir(&root)
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    assert!(
        status.success(),
        "`cargo xtask features` failed; its output above says which crate and combination"
    );
}

#[test]
fn every_real_world_spec_builds_warning_free() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    // The table the corpus command prints is the CI log's record of each spec.
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "corpus"])
        .args(["tests/fixtures/real-world", "--clippy"])
        .current_dir(&root)
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    assert!(
        status.success(),
        "`cargo xtask corpus tests/fixtures/real-world --clippy` failed; its table above says which spec and why"
    );
}
