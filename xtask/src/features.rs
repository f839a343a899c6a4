//! `cargo xtask features`: every feature fixture whose crate has per-resource Cargo
//! features is built with clippy `-D warnings` once per combination that gating could
//! break: with no feature, with each feature alone (`full-serde` among them), and with
//! all of them (the default).
//! A type gated with the wrong feature, or an import left unused without some feature,
//! fails one of these.
//!
//! The crates go in a scratch workspace of their own ([`Scratch`]), which shares the
//! target dir of `cargo xtask fixtures`, so the dependencies are built once.

use std::path::Path;

use crate::fixtures::{member_name, specs_in, Scratch};

const FIXTURES: &str = "tests/fixtures/features";

pub fn check(root: &Path) -> Result<(), String> {
    let mut scratch = Scratch::new(root, "target/feature-crates", "cargo xtask features");
    let mut crates: Vec<(String, Vec<String>)> = Vec::new();
    for spec in specs_in(&root.join(FIXTURES))? {
        let text = std::fs::read_to_string(&spec)
            .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let rel = spec
            .strip_prefix(root)
            .unwrap_or(&spec)
            .display()
            .to_string();
        let name = member_name("rf", &spec);
        // Generated once, in memory: only crates with features are written and built.
        let output = codegen::generate(&text, &rel, &scratch.settings(&rel, &name))
            .map_err(|diagnostics| format!("{rel}:\n{diagnostics}"))?;
        if output.resource_features.is_empty() {
            continue;
        }
        scratch.add(&name, &output)?;
        crates.push((name, output.resource_features));
    }
    if crates.is_empty() {
        return Err(format!(
            "no fixture in {FIXTURES} has resource features; nothing checks the gating"
        ));
    }
    scratch.write_manifest()?;
    let mut failed = Vec::new();
    let mut built = 0;
    for (name, features) in &crates {
        // Each resource alone compiles one-way types one way; `full-serde` alone compiles
        // the other way's impls of the ungated types.
        let alone = features
            .iter()
            .map(|f| Some(f.as_str()))
            .chain([Some(codegen::BOTH_WAYS)]);
        for only in std::iter::once(None).chain(alone) {
            let mut args = vec!["clippy", "--offline", "--quiet", "-p", name];
            args.push("--no-default-features");
            if let Some(feature) = only {
                args.extend(["--features", feature]);
            }
            args.extend(["--", "-D", "warnings"]);
            built += 1;
            if !run(&scratch, &args)? {
                failed.push(format!("{name} with {}", only.unwrap_or("no feature")));
            }
        }
        built += 1;
        if !run(
            &scratch,
            &[
                "clippy",
                "--offline",
                "--quiet",
                "-p",
                name,
                "--",
                "-D",
                "warnings",
            ],
        )? {
            failed.push(format!("{name} with every feature"));
        }
    }
    if !failed.is_empty() {
        return Err(format!(
            "feature combinations that do not build cleanly (crates in {}):\n  {}",
            scratch.dir.display(),
            failed.join("\n  ")
        ));
    }
    println!(
        "{} crate(s) with resource features pass clippy -D warnings in all {built} combinations",
        crates.len()
    );
    Ok(())
}

fn run(scratch: &Scratch, args: &[&str]) -> Result<bool, String> {
    let status = scratch
        .cargo(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(status.success())
}
