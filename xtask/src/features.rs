//! `cargo xtask features`: every feature fixture whose crate has per-resource Cargo
//! features is built with clippy `-D warnings` once per combination that gating could
//! break: with no feature, with each feature alone, and with all of them (the default).
//! A type gated with the wrong feature, or an import left unused without some feature,
//! fails one of these.
//!
//! The crates go in a scratch workspace of their own ([`Scratch`]), which shares the
//! target dir of `cargo xtask fixtures`, so the dependencies are built once.

use std::path::Path;

use codegen::{ResourceFeatures, Settings};

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
        // A quick look first, in memory: only crates with features are written and built.
        if resource_features(&text, &rel).is_empty() {
            continue;
        }
        let name = member_name("rf", &spec);
        match scratch.generate_text(&text, &rel, &name)? {
            Ok(output) => crates.push((name, output.resource_features)),
            Err(diagnostics) => return Err(format!("{rel}:\n{diagnostics}")),
        }
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
        let alone = features.iter().map(|f| Some(f.as_str()));
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

/// The resource features a spec's crate would have, by the same rules as every crate
/// (`Auto`); none when the generator rejects it.
fn resource_features(text: &str, file: &str) -> Vec<String> {
    let settings = Settings {
        crate_name: "probe".to_owned(),
        crate_version: Some("0.0.0".to_owned()),
        description: String::new(),
        command: "cargo xtask features".to_owned(),
        standalone: false,
        resource_features: ResourceFeatures::Auto,
    };
    codegen::generate(text, file, &settings).map_or_else(|_| Vec::new(), |o| o.resource_features)
}

fn run(scratch: &Scratch, args: &[&str]) -> Result<bool, String> {
    let status = scratch
        .cargo(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(status.success())
}
