//! `cargo xtask corpus DIR [--clippy]`: how the generator does on a directory of
//! published specs. Every spec (`*.yaml`, `*.yml`, `*.json`) is generated into one
//! scratch workspace with one shared target dir (the machinery of `cargo xtask
//! fixtures`), all the crates are built by one cargo run, and one row per spec says what
//! happened. A spec refused, or a crate that does not build, fails the run.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::fixtures::{member_name, specs_in, Scratch};

/// What happened to one spec.
#[derive(Debug)]
struct Row {
    /// The spec's file name.
    spec: String,
    member: String,
    spent: Duration,
    outcome: Outcome,
}

#[derive(Debug)]
enum Outcome {
    Generated {
        operations: usize,
        warnings: usize,
        /// `None` until the build has run; then whether the crate built.
        built: Option<bool>,
    },
    Refused {
        errors: usize,
        warnings: usize,
    },
}

pub fn corpus(root: &Path, dir: &Path, clippy: bool) -> Result<(), String> {
    let specs = specs_in(dir)?;
    if specs.is_empty() {
        return Err(format!(
            "no specs (*.yaml, *.yml, *.json) in {}",
            dir.display()
        ));
    }
    let mut scratch = Scratch::new(root, "target/corpus-crates", "cargo xtask corpus");
    let mut rows: Vec<Row> = Vec::new();
    for spec in &specs {
        let mut member = member_name("corpus", spec);
        // `a.yaml` and `a.json` have one stem: the second crate gets a suffix.
        while rows.iter().any(|row| row.member == member) {
            member.push_str("-2");
        }
        let file = spec.display().to_string();
        let started = Instant::now();
        let outcome = match scratch.generate(spec, &file, &member)? {
            Ok(output) => Outcome::Generated {
                operations: output.operations,
                warnings: output.warnings.len(),
                built: None,
            },
            Err(diagnostics) => Outcome::Refused {
                errors: diagnostics.items().len() - diagnostics.warnings().count(),
                warnings: diagnostics.warnings().count(),
            },
        };
        let spec = spec
            .file_name()
            .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        rows.push(Row {
            spec,
            member,
            spent: started.elapsed(),
            outcome,
        });
    }
    scratch.write_manifest()?;
    if !scratch.members.is_empty() {
        let failing = build(&scratch, clippy)?;
        for row in &mut rows {
            if let Outcome::Generated { built, .. } = &mut row.outcome {
                *built = Some(!failing.contains(&row.member));
            }
        }
    }
    print!("{}", table(&rows));
    verdict(&rows, &scratch)
}

/// Builds every member in one cargo run; returns the members that have errors.
fn build(scratch: &Scratch, clippy: bool) -> Result<BTreeSet<String>, String> {
    let tool = if clippy { "clippy" } else { "check" };
    // No `--all-targets`: a generated crate has no tests or examples, and its lib built
    // again under `cfg(test)` would only double the time.
    let mut args = vec![
        tool,
        "--workspace",
        "--offline",
        "--keep-going",
        "--message-format",
        "json",
    ];
    if clippy {
        args.extend(["--", "-D", "warnings"]);
    }
    eprintln!(
        "running cargo {tool} over {} generated crate(s)",
        scratch.members.len()
    );
    let output = scratch
        .cargo(&args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (failing, rendered) = errors_by_member(&stdout);
    for text in rendered {
        eprint!("{text}");
    }
    if !output.status.success() && failing.is_empty() {
        return Err(format!(
            "cargo {tool} failed before it built any generated crate; see above"
        ));
    }
    Ok(failing)
}

/// From cargo's `--message-format json` lines: the members (directory names) with an
/// error, and each error as rendered.
fn errors_by_member(stdout: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut failing = BTreeSet::new();
    let mut rendered = Vec::new();
    for line in stdout.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" || v["message"]["level"] != "error" {
            continue;
        }
        let member = v["manifest_path"]
            .as_str()
            .map(Path::new)
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned());
        if let Some(member) = member {
            failing.insert(member);
        }
        if let Some(text) = v["message"]["rendered"].as_str() {
            rendered.push(text.to_owned());
        }
    }
    (failing, rendered)
}

/// One row per spec, aligned.
fn table(rows: &[Row]) -> String {
    let width = rows.iter().map(|r| r.spec.len()).max().unwrap_or(0).max(4);
    let mut out = format!(
        "{:<width$}  {:>5}  {:>8}  {:>8}  build\n",
        "spec", "ops", "warnings", "generate"
    );
    for row in rows {
        let (ops, warnings, build) = match &row.outcome {
            Outcome::Generated {
                operations,
                warnings,
                built,
            } => {
                let build = match built {
                    Some(true) => "ok".to_owned(),
                    Some(false) => "FAILS".to_owned(),
                    None => "not built".to_owned(),
                };
                (operations.to_string(), *warnings, build)
            }
            Outcome::Refused { errors, warnings } => (
                "-".to_owned(),
                *warnings,
                format!("REFUSED ({errors} error(s))"),
            ),
        };
        let _ = writeln!(
            out,
            "{:<width$}  {ops:>5}  {warnings:>8}  {:>6.2} s  {build}",
            row.spec,
            row.spent.as_secs_f64()
        );
    }
    out
}

/// Fails when any spec was refused or any crate does not build.
fn verdict(rows: &[Row], scratch: &Scratch) -> Result<(), String> {
    let refused = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Refused { .. }))
        .count();
    let failing = rows
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                Outcome::Generated {
                    built: Some(false),
                    ..
                }
            )
        })
        .count();
    if refused == 0 && failing == 0 {
        println!("all {} spec(s) generate and build", rows.len());
        return Ok(());
    }
    Err(format!(
        "{refused} spec(s) refused (`cargo xtask generate --spec FILE --out DIR` says why), {failing} crate(s) do not build (crates in {})",
        scratch.dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_attributed_to_their_member() {
        let stdout = [
            r#"{"reason":"compiler-message","manifest_path":"/s/corpus-a/Cargo.toml","message":{"level":"error","rendered":"error: a\n"}}"#,
            r#"{"reason":"compiler-message","manifest_path":"/s/corpus-b/Cargo.toml","message":{"level":"warning","rendered":"warning: b\n"}}"#,
            r#"{"reason":"build-finished","success":false}"#,
            "not json",
        ]
        .join("\n");
        let (failing, rendered) = errors_by_member(&stdout);
        assert_eq!(failing.into_iter().collect::<Vec<_>>(), ["corpus-a"]);
        assert_eq!(rendered, ["error: a\n"]);
    }

    #[test]
    fn one_row_per_spec() {
        let rows = [
            Row {
                spec: "petstore.yaml".to_owned(),
                member: "corpus-petstore".to_owned(),
                spent: Duration::from_millis(120),
                outcome: Outcome::Generated {
                    operations: 3,
                    warnings: 1,
                    built: Some(true),
                },
            },
            Row {
                spec: "bad.json".to_owned(),
                member: "corpus-bad".to_owned(),
                spent: Duration::from_millis(5),
                outcome: Outcome::Refused {
                    errors: 2,
                    warnings: 0,
                },
            },
        ];
        let expected = "spec             ops  warnings  generate  build
petstore.yaml      3         1    0.12 s  ok
bad.json           -         0    0.01 s  REFUSED (2 error(s))
";
        assert_eq!(table(&rows), expected);
    }
}
