//! What the generated crate is measured against: a progenitor client of the same spec,
//! built in the same run, and a synthetic crate of many operations generated to disk.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::cargo::{dependency_tree, timed_build};
use super::SYNTHETIC_OPS;
use crate::regenerate;

/// The brief's reference figures for a progenitor-generated client, from another
/// machine; shown beside the same-run baseline, and used when that cannot be built.
pub(super) const PROGENITOR_CLEAN_BUILD_S: f64 = 42.0;
pub(super) const PROGENITOR_CRATES: usize = 118;

/// The same-run baseline: where it was built, its clean build, and its tree.
pub(super) struct Progenitor {
    pub(super) version: String,
    pub(super) dir: PathBuf,
    pub(super) build: Duration,
    pub(super) units: usize,
    pub(super) crates: usize,
}

/// The progenitor version of the same-run baseline.
const PROGENITOR: &str = "0.15";

/// Builds, from clean, a progenitor client of the same spec in a scratch crate outside
/// the repository. Needs the registry the first time (to fetch progenitor); says why
/// when it cannot be done.
pub(super) fn progenitor_baseline(cargo: &str, root: &Path) -> Result<Progenitor, String> {
    let dir = std::env::temp_dir().join("cloudflare-token-validation-bench-progenitor");
    let spec =
        fs::read(root.join(regenerate::SPEC)).map_err(|e| format!("cannot read spec: {e}"))?;
    progenitor_crate(&dir, "progenitor-baseline", Some(&spec))?;
    let fetched = Command::new(cargo)
        .args(["fetch", "--quiet"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !fetched.success() {
        return Err("progenitor could not be fetched from the registry".to_owned());
    }
    let target = dir.join("target");
    let _ = fs::remove_dir_all(&target);
    let (build, units) = timed_build(
        Command::new(cargo)
            .arg("build")
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target),
    )
    .map_err(|e| format!("the progenitor client did not build: {}", first_line(&e)))?;
    let tree = dependency_tree(
        Command::new(cargo)
            .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
            .current_dir(&dir),
    )?;
    let version = tree
        .iter()
        .find_map(|c| c.strip_prefix("progenitor v"))
        .unwrap_or(PROGENITOR)
        .to_owned();
    Ok(Progenitor {
        version,
        dir,
        build,
        units,
        crates: tree.len(),
    })
}

/// Writes a scratch crate `package` in `dir` that depends on progenitor and what its
/// client needs; with `spec`, its `lib.rs` generates a client of it with
/// `generate_api!`, without, the crate is empty (to build the dependencies alone).
pub(super) fn progenitor_crate(
    dir: &Path,
    package: &str,
    spec: Option<&[u8]>,
) -> Result<(), String> {
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let manifest = format!(
        "# Written by `cargo xtask bench`: a progenitor client of the same spec, as a\n\
         # same-run baseline.\n\
         [package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\n\
         futures = \"0.3\"\nprogenitor = \"{PROGENITOR}\"\n\
         reqwest = {{ version = \"0.13\", features = [\"json\", \"query\", \"stream\"] }}\n\
         serde = {{ version = \"1.0\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
         chrono = {{ version = \"0.4\", features = [\"serde\"] }}\n\
         uuid = {{ version = \"1\", features = [\"serde\", \"v4\"] }}\nregress = \"0.12\"\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n\n[workspace]\n"
    );
    let write = |path: PathBuf, text: &[u8]| {
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), manifest.as_bytes())?;
    match spec {
        Some(spec) => {
            write(dir.join("openapi.yaml"), spec)?;
            write(
                src.join("lib.rs"),
                b"progenitor::generate_api!(\"openapi.yaml\");\n",
            )
        }
        None => write(src.join("lib.rs"), b""),
    }
}

pub(super) fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| text.lines().next().unwrap_or_default())
}

/// Generates the synthetic crate to disk (spec from the bench binary, crate through
/// the same code as `cargo xtask generate`) and returns its dependency tree.
pub(super) fn synthetic_crate(
    root: &Path,
    cargo: &str,
    binary: &Path,
    dir: &Path,
) -> Result<BTreeSet<String>, String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let spec_path = dir.join("openapi.yaml");
    synthetic_spec(binary, SYNTHETIC_OPS, &spec_path)?;
    let crate_dir = dir.join("crate");
    regenerate::generate(
        &spec_path,
        &crate_dir,
        Some(&format!("synthetic-{SYNTHETIC_OPS}")),
        crate::messages::MessageFormat::Human,
        false,
        codegen::ResourceFeatures::Auto,
    )?;
    // Resolve against the workspace's lock file, so no registry access is needed.
    fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    dependency_tree(
        Command::new(cargo)
            .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
            .current_dir(&crate_dir),
    )
}

/// Writes the bench binary's synthetic spec of `operations` operations to `path`.
pub(super) fn synthetic_spec(binary: &Path, operations: usize, path: &Path) -> Result<(), String> {
    let spec = Command::new(binary)
        .args(["synth", &operations.to_string()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !spec.status.success() {
        return Err("the bench binary could not write the synthetic spec".to_owned());
    }
    fs::write(path, &spec.stdout).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
