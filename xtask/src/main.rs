//! Repository automation. This is the only code in the workspace that writes files.
//!
//! - `cargo xtask regenerate [--check]`: the checked-in client in `generated/` from
//!   `spec/token_validation.yaml`; it fails on any warning, since our own spec must need
//!   no decision from the generator, and it classifies the API changes since the last
//!   release, checks the crate version against them and keeps the changelog (`release`);
//! - `cargo xtask generate --spec FILE --out DIR [--name CRATE] [--deny-warnings]
//!   [--resource-features auto|always|never]`: a standalone crate from any supported
//!   spec; warnings are allowed unless denied;
//! - both take `--message-format json` for diagnostics as JSON lines (see `messages`);
//! - `cargo xtask fixtures`: every feature fixture's generated crate, built with clippy;
//! - `cargo xtask features`: the fixture crates with per-resource Cargo features, built
//!   with clippy with none, each alone, and all of them;
//! - `cargo xtask corpus DIR [--clippy]`: every spec in a directory generated and built,
//!   one row per spec.
//! - `cargo xtask check-specs`: a crate from each spec on stdin, built with clippy (for
//!   the property tests, which write no files).
//! - `cargo xtask semver-pairs`: both crates of every pair in `tests/fixtures/semver/`,
//!   judged by cargo-semver-checks against the pair's expected bump.

mod bench;
mod corpus;
mod features;
mod fixtures;
mod messages;
mod regenerate;
mod release;
mod semver_pairs;
mod specs;

use messages::MessageFormat;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask regenerate [--check] [--message-format human|json]
  cargo xtask generate --spec FILE --out DIR [--name CRATE] [--deny-warnings] [--message-format human|json]
                       [--resource-features auto|always|never]
  cargo xtask fixtures
  cargo xtask features
  cargo xtask corpus DIR [--clippy]
  cargo xtask check-specs < specs.jsonl
  cargo xtask semver-pairs
  cargo xtask bench [--quick | --scale]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("regenerate") => {
            let mut check = false;
            let mut format = MessageFormat::default();
            let mut rest = args[1..].iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--check" => check = true,
                    "--message-format" => format = message_format(rest.next())?,
                    other => {
                        return Err(format!(
                            "regenerate: unexpected argument `{other}`\n{USAGE}"
                        ))
                    }
                }
            }
            regenerate::regenerate(&workspace_root()?, check, format)
        }
        Some("generate") => generate(&args[1..]),
        Some("fixtures") => fixtures::check(&workspace_root()?),
        Some("features") => features::check(&workspace_root()?),
        Some("corpus") => match &args[1..] {
            [dir] => corpus::corpus(&workspace_root()?, &PathBuf::from(dir), false),
            [dir, flag] if flag == "--clippy" => {
                corpus::corpus(&workspace_root()?, &PathBuf::from(dir), true)
            }
            other => Err(format!("corpus: unexpected argument(s) {other:?}\n{USAGE}")),
        },
        Some("check-specs") => specs::check(&workspace_root()?),
        Some("semver-pairs") => semver_pairs::check(&workspace_root()?),
        Some("bench") => match &args[1..] {
            [] => bench::bench(&workspace_root()?, bench::Mode::Full),
            [flag] if flag == "--quick" => bench::bench(&workspace_root()?, bench::Mode::Quick),
            [flag] if flag == "--scale" => bench::bench(&workspace_root()?, bench::Mode::Scale),
            other => Err(format!("bench: unexpected argument(s) {other:?}\n{USAGE}")),
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    }
}

fn generate(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut format = MessageFormat::default();
    let mut deny_warnings = false;
    let mut features = codegen::ResourceFeatures::Auto;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if flag == "--deny-warnings" {
            deny_warnings = true;
            continue;
        }
        let value = rest
            .next()
            .ok_or_else(|| format!("generate: `{flag}` needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--name" => name = Some(value.clone()),
            "--message-format" => format = message_format(Some(value))?,
            "--resource-features" => features = codegen::ResourceFeatures::parse(value)?,
            other => return Err(format!("generate: unknown flag `{other}`\n{USAGE}")),
        }
    }
    let spec = spec.ok_or_else(|| format!("generate: `--spec FILE` is required\n{USAGE}"))?;
    let out = out.ok_or_else(|| format!("generate: `--out DIR` is required\n{USAGE}"))?;
    regenerate::generate(
        &spec,
        &out,
        name.as_deref(),
        format,
        deny_warnings,
        features,
    )
}

fn message_format(value: Option<&String>) -> Result<MessageFormat, String> {
    let value =
        value.ok_or_else(|| format!("`--message-format` needs `human` or `json`\n{USAGE}"))?;
    MessageFormat::parse(value)
}

/// The workspace root: xtask's manifest dir is `<root>/xtask`.
fn workspace_root() -> Result<PathBuf, String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(PathBuf::from)
        .ok_or_else(|| "cannot find the workspace root".to_owned())
}
