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

use crate::fixtures::Scratch;

const COMMAND: &str = "cargo xtask check-specs";

pub fn check(root: &Path) -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read specs from stdin: {e}"))?;
    let mut scratch = Scratch::new(root, "target/spec-crates", COMMAND);
    // Every run brings new specs: start from an empty workspace, so no crate of an
    // earlier run is built again.
    if scratch.dir.exists() {
        fs::remove_dir_all(&scratch.dir)
            .map_err(|e| format!("cannot clear {}: {e}", scratch.dir.display()))?;
    }
    let mut rejected = Vec::new();
    for (i, spec) in input.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let name = format!("spec-{i}");
        if let Err(diagnostics) = scratch.generate_text(spec, &format!("{name}.json"), &name)? {
            eprintln!("{diagnostics}");
            rejected.push(name);
        }
    }
    for name in &rejected {
        println!("rejected {name}");
    }
    if scratch.members.is_empty() {
        return if rejected.is_empty() {
            Err("no specs on stdin".to_owned())
        } else {
            Err(format!(
                "the generator rejected all {} specs",
                rejected.len()
            ))
        };
    }
    scratch.write_manifest()?;
    let members = scratch.members.len();
    eprintln!("checking {members} generated crates");
    let output = scratch
        .clippy()
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
        eprintln!("all {members} generated crates pass clippy -D warnings");
        Ok(())
    } else {
        Err(format!(
            "{} spec(s) rejected, {} crate(s) not warning-free (crates in {})",
            rejected.len(),
            failed.len().max(usize::from(!output.status.success())),
            scratch.dir.display()
        ))
    }
}
