//! `cargo xtask check-specs`: generates a crate from each spec read on stdin (one JSON
//! document a line) into one scratch workspace under `target/`, and runs clippy with
//! `-D warnings` over all of them at once. Property tests write no files themselves: they
//! hand their specs to this command and read which crates failed from its output.
//!
//! Output: a `rejected spec-N` line per spec the generator refused and a `failed spec-N`
//! line per crate that does not build warning-free, N being the spec's line (from 0).

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::Path;

use codegen::Settings;

use crate::fixtures::{clippy, write_workspace};
use crate::regenerate::sync;

const COMMAND: &str = "cargo xtask check-specs";

pub fn check(root: &Path) -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read specs from stdin: {e}"))?;
    let scratch = root.join("target/spec-crates");
    // Every run brings new specs: start from an empty workspace, so no crate of an
    // earlier run is built again.
    if scratch.exists() {
        fs::remove_dir_all(&scratch)
            .map_err(|e| format!("cannot clear {}: {e}", scratch.display()))?;
    }
    let mut members = Vec::new();
    let mut rejected = Vec::new();
    for (i, spec) in input.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let name = format!("spec-{i}");
        let settings = Settings {
            crate_name: name.clone(),
            crate_version: "0.0.0".to_owned(),
            description: format!("compile check of spec {i}"),
            command: COMMAND.to_owned(),
            standalone: false,
        };
        match codegen::generate(spec, &format!("{name}.json"), &settings) {
            Ok(output) => {
                sync(&scratch.join(&name), &output.files, false)?;
                members.push(name);
            }
            Err(diagnostics) => {
                eprintln!("{diagnostics}");
                rejected.push(name);
            }
        }
    }
    for name in &rejected {
        println!("rejected {name}");
    }
    if members.is_empty() {
        return if rejected.is_empty() {
            Err("no specs on stdin".to_owned())
        } else {
            Err(format!(
                "the generator rejected all {} specs",
                rejected.len()
            ))
        };
    }
    fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    write_workspace(root, &scratch, &members, COMMAND)?;
    eprintln!("checking {} generated crates", members.len());
    let output = clippy(root, &scratch)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("{stderr}");
    // `--keep-going` ends with one `could not compile `spec-N`` line per failed crate.
    let failed: BTreeSet<&str> = stderr
        .lines()
        .filter_map(|l| l.split("could not compile `").nth(1)?.split('`').next())
        .collect();
    for name in &failed {
        println!("failed {name}");
    }
    if output.status.success() && rejected.is_empty() {
        eprintln!(
            "all {} generated crates pass clippy -D warnings",
            members.len()
        );
        Ok(())
    } else {
        Err(format!(
            "{} spec(s) rejected, {} crate(s) not warning-free (crates in {})",
            rejected.len(),
            failed.len().max(usize::from(!output.status.success())),
            scratch.display()
        ))
    }
}
