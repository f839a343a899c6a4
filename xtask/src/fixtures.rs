//! `cargo xtask fixtures`: generates a crate from every feature fixture into one scratch
//! workspace under `target/`, then runs clippy with `-D warnings` over all of them, so
//! that no snapshot can lock in code that does not build; and builds one crate exactly as
//! `cargo xtask generate` writes it, outside any workspace.
//!
//! The real-world specs (`tests/fixtures/real-world/`) are built by `cargo xtask corpus`
//! instead, which shares [`Scratch`] and the target dir: each crate is built once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{Diagnostics, Output, Settings};

use crate::regenerate::sync;

/// The target dir every scratch workspace shares, relative to the workspace root.
const TARGET: &str = "target/fixture-check";
const SOURCES: &[&str] = &["tests/fixtures/features"];
/// The spec whose standalone crate is built outside any workspace.
const STANDALONE_SPEC: &str = "tests/fixtures/real-world/swagger-petstore.yaml";

pub fn check(root: &Path) -> Result<(), String> {
    let mut scratch = Scratch::new(root, "target/fixture-crates", "cargo xtask fixtures");
    let mut rejected = Vec::new();
    for dir in SOURCES {
        for spec in specs_in(&root.join(dir))? {
            let name = member_name("fx", &spec);
            let rel = spec
                .strip_prefix(root)
                .unwrap_or(&spec)
                .display()
                .to_string();
            // Every fixture here is one the generator claims to support: a rejection
            // is a failure, not something to skip.
            if let Err(diagnostics) = scratch.generate(&spec, &rel, &name)? {
                rejected.push(format!("{rel}:\n{diagnostics}"));
            }
        }
    }
    if !rejected.is_empty() {
        return Err(format!(
            "the generator rejected {} supported spec(s):\n{}",
            rejected.len(),
            rejected.join("\n")
        ));
    }
    scratch.write_manifest()?;
    let members = scratch.members.len();
    println!("checking {members} generated crates");
    let status = scratch
        .clippy()
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "generated fixture crates do not build cleanly; see above (crates in {})",
            scratch.dir.display()
        ));
    }
    println!("all {members} generated crates pass clippy -D warnings");
    standalone(root)
}

/// One scratch cargo workspace of generated crates under `target/`, built with one
/// shared target dir so that the dependencies are compiled once for all of them.
pub struct Scratch {
    root: PathBuf,
    /// The command named in the generated files' headers.
    command: String,
    /// The workspace directory; each member is a subdirectory.
    pub dir: PathBuf,
    /// The member crates written so far, in order.
    pub members: Vec<String>,
}

impl Scratch {
    /// A scratch workspace at `dir`, relative to the workspace root, written by `command`.
    pub fn new(root: &Path, dir: &str, command: &str) -> Self {
        Scratch {
            root: root.to_path_buf(),
            command: command.to_owned(),
            dir: root.join(dir),
            members: Vec::new(),
        }
    }

    /// Generates `spec` (named `file` in diagnostics) into member `name`. The outer
    /// error is I/O; the inner one the generator's refusal, and nothing is written.
    pub fn generate(
        &mut self,
        spec: &Path,
        file: &str,
        name: &str,
    ) -> Result<Result<Output, Diagnostics>, String> {
        let text =
            fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        self.generate_text(&text, file, name)
    }

    /// Like [`Scratch::generate`], from spec text.
    pub fn generate_text(
        &mut self,
        text: &str,
        file: &str,
        name: &str,
    ) -> Result<Result<Output, Diagnostics>, String> {
        match codegen::generate(text, file, &self.settings(file, name)) {
            Ok(output) => {
                self.add(name, &output)?;
                Ok(Ok(output))
            }
            Err(diagnostics) => Ok(Err(diagnostics)),
        }
    }

    /// The settings a member crate `name` generated from `file` is generated with.
    pub fn settings(&self, file: &str, name: &str) -> Settings {
        Settings {
            crate_name: name.to_owned(),
            crate_version: Some("0.0.0".to_owned()),
            description: format!("compile check of {file}"),
            command: self.command.clone(),
            standalone: false,
            resource_features: codegen::ResourceFeatures::Auto,
        }
    }

    /// Writes a generated crate as the member `name`.
    pub fn add(&mut self, name: &str, output: &Output) -> Result<(), String> {
        sync(&self.dir.join(name), &output.files, false)?;
        self.members.push(name.to_owned());
        Ok(())
    }

    /// Writes the workspace manifest (the members, and the root's lints) and lock file.
    pub fn write_manifest(&self) -> Result<(), String> {
        let list: Vec<String> = self
            .members
            .iter()
            .map(|m| format!("    \"{m}\","))
            .collect();
        let manifest = format!(
            "# @generated by `cargo xtask`; do not edit by hand\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n\n{}",
            list.join("\n"),
            workspace_lints(&self.root)?
        );
        fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        fs::write(self.dir.join("Cargo.toml"), manifest)
            .map_err(|e| format!("cannot write scratch manifest: {e}"))?;
        fs::copy(self.root.join("Cargo.lock"), self.dir.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        Ok(())
    }

    /// Clippy with `-D warnings` over every member, going on past a crate that fails.
    pub fn clippy(&self) -> Command {
        self.cargo(&[
            "clippy",
            "--workspace",
            // Generated crates have no tests or examples: `--all-targets` would only
            // build each lib a second time under `cfg(test)`.
            "--offline",
            "--keep-going",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
    }

    /// `cargo ARGS` in the scratch workspace, with the shared target dir.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut command = cargo();
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.root.join(TARGET))
            // Incremental caches for crates of a hundred thousand lines, built once and
            // checked, only cost time and gigabytes of disk.
            .env("CARGO_INCREMENTAL", "0");
        command
    }
}

/// The cargo that runs the xtask (`CARGO`), or the one on the path.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// The specs in `dir` (`*.yaml`, `*.yml`, `*.json`), sorted.
pub fn specs_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// A member crate's name: `prefix-` and the spec's file stem, lowercase, `-` for `_`
/// and `.`, and only characters cargo takes.
pub fn member_name(prefix: &str, spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    let stem: String = stem
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{stem}")
}

/// `cargo xtask generate` writes crates that build on their own, outside any workspace:
/// generate one exactly that way and build it alone.
fn standalone(root: &Path) -> Result<(), String> {
    let spec = root.join(STANDALONE_SPEC);
    let out = root.join("target/standalone-check/petstore");
    crate::regenerate::generate(
        &spec,
        &out,
        Some("standalone-petstore"),
        crate::messages::MessageFormat::Human,
        false,
        codegen::ResourceFeatures::Auto,
    )?;
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let status = cargo()
        .args(["build", "--all-targets", "--offline", "--quiet"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join(TARGET))
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        println!("the standalone crate from `cargo xtask generate` builds on its own");
        Ok(())
    } else {
        Err(format!(
            "the standalone crate in {} does not build; see above",
            out.display()
        ))
    }
}

/// The workspace's own `[workspace.lints]`, so fixtures are held to the same lints.
fn workspace_lints(root: &Path) -> Result<String, String> {
    let text = fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let start = text
        .find("[workspace.lints.rust]")
        .ok_or("no [workspace.lints.rust] in Cargo.toml")?;
    let rest = &text[start..];
    let end = rest.find("\n[profile").unwrap_or(rest.len());
    Ok(rest[..end].trim_end().to_owned() + "\n")
}
