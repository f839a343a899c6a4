//! `cargo xtask semver-pairs`: cargo-semver-checks, the referee of Rust's semver rules,
//! judges the two crates generated from each fixture pair, and its verdict must be the
//! one the pair's `expect.txt` records.
//!
//! A pair is a folder `tests/fixtures/semver/NN_kind/` holding `base.yaml`, `changed.yaml`
//! (one kind of spec change) and `expect.txt`:
//!
//! ```text
//! bump: major | minor | patch     the bump the spec change needs
//! reason: why, in one line
//! disagreement: why cargo-semver-checks says otherwise (only where it does)
//! ```
//!
//! cargo-semver-checks only tells whether the changed crate passes as a minor release, so
//! it agrees with `bump: major` by failing and with `minor` or `patch` by passing, except
//! where `disagreement` names a change of behaviour that leaves the Rust API as it was.
//!
//! A pair's two crates share one name, so the base crates go to one scratch workspace and
//! the changed crates to another; every check shares one target dir, so the dependencies
//! are built once for the whole suite.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codegen::semver::Bump;
use codegen::Output;

use crate::fixtures::{cargo, Scratch};

/// The cargo-semver-checks release whose verdicts the expectation files record; the same
/// pin is in `scripts/test.sh`, which installs it.
const SEMVER_CHECKS_VERSION: &str = "0.51.0";
/// The pairs, relative to the workspace root.
const PAIRS: &str = "tests/fixtures/semver";
/// The target dir every check shares, apart from `cargo xtask fixtures`' own: checks
/// build with other flags (`--cap-lints=allow`), and one dir for both would rebuild the
/// dependencies at every switch.
const TARGET: &str = "target/semver-pairs/target";
const COMMAND: &str = "cargo xtask semver-pairs";

/// A bump named in `expect.txt`.
fn parse_bump(text: &str) -> Option<Bump> {
    match text {
        "major" => Some(Bump::Major),
        "minor" => Some(Bump::Minor),
        "patch" => Some(Bump::Patch),
        _ => None,
    }
}

/// One pair's `expect.txt`.
#[derive(Debug)]
struct Expect {
    bump: Bump,
    reason: String,
    /// Why cargo-semver-checks' verdict is the other one, where it is.
    disagreement: Option<String>,
}

impl Expect {
    fn parse(text: &str) -> Result<Expect, String> {
        let mut bump = None;
        let mut reason = None;
        let mut disagreement = None;
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let (key, value) = line
                .split_once(':')
                .ok_or_else(|| format!("expected `key: value`, found `{line}`"))?;
            let value = value.trim().to_owned();
            match key.trim() {
                "bump" => {
                    bump = Some(parse_bump(&value).ok_or_else(|| {
                        format!("`bump` is `major`, `minor` or `patch`, not `{value}`")
                    })?);
                }
                "reason" => reason = Some(value),
                "disagreement" => disagreement = Some(value),
                other => return Err(format!("unknown key `{other}`")),
            }
        }
        Ok(Expect {
            bump: bump.ok_or("no `bump` line")?,
            reason: reason.ok_or("no `reason` line")?,
            disagreement,
        })
    }

    /// Whether cargo-semver-checks should refuse the changed crate as a minor release.
    fn semver_checks_major(&self) -> bool {
        (self.bump == Bump::Major) != self.disagreement.is_some()
    }
}

/// One fixture pair.
#[derive(Debug)]
struct Pair {
    /// The folder's name, `NN_kind`.
    name: String,
    /// The name of both generated crates.
    member: String,
    expect: Expect,
}

/// What cargo-semver-checks made of one pair.
#[derive(Debug)]
struct Verdict {
    /// Whether it refused the changed crate as a minor release.
    major: bool,
    /// The lints that failed, in the order it printed them.
    lints: Vec<String>,
    spent: Duration,
}

pub fn check(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    require_semver_checks()?;
    let pairs = read_pairs(&root.join(PAIRS))?;
    let mut base = Scratch::new(root, "target/semver-pairs/base", COMMAND);
    let mut changed = Scratch::new(root, "target/semver-pairs/changed", COMMAND);
    let mut failures = Vec::new();
    for pair in &pairs {
        let dir = format!("{PAIRS}/{}", pair.name);
        let old = generate(&mut base, root, &format!("{dir}/base.yaml"), &pair.member)?;
        let new = generate(
            &mut changed,
            root,
            &format!("{dir}/changed.yaml"),
            &pair.member,
        )?;
        if let Err(message) = classifier_agrees(pair, &old, &new) {
            failures.push(format!("{}: {message}", pair.name));
        }
    }
    base.write_manifest()?;
    changed.write_manifest()?;
    println!(
        "checking {} pairs with cargo-semver-checks {SEMVER_CHECKS_VERSION}\n{:<36} {:<6} {:<14} {:<9} {:>6}  lints that failed",
        pairs.len(),
        "pair",
        "bump",
        "semver-checks",
        "verdict",
        "time"
    );
    for pair in &pairs {
        let verdict = semver_checks(root, &base, &changed, pair)?;
        let expected = pair.expect.semver_checks_major();
        let agrees = verdict.major == expected;
        println!(
            "{:<36} {:<6} {:<14} {:<9} {:>5.1}s  {}",
            pair.name,
            pair.expect.bump.name(),
            release(verdict.major),
            match (agrees, &pair.expect.disagreement) {
                (false, _) => "MISMATCH",
                (true, Some(_)) => "disagrees",
                (true, None) => "agrees",
            },
            verdict.spent.as_secs_f64(),
            verdict.lints.join(", "),
        );
        if !agrees {
            let disagreement = match &pair.expect.disagreement {
                Some(why) => format!("; it was expected to disagree: {why}"),
                None => String::new(),
            };
            failures.push(format!(
                "{}: cargo-semver-checks says {}, the pair expects {} (bump: {}, {}{disagreement})",
                pair.name,
                release(verdict.major),
                release(expected),
                pair.expect.bump.name(),
                pair.expect.reason,
            ));
        }
    }
    println!(
        "{} pairs in {:.0}s",
        pairs.len(),
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} semver pairs failed:\n{}",
            failures.len(),
            pairs.len(),
            failures.join("\n")
        ))
    }
}

/// cargo-semver-checks' verdict in words: `major` when it refuses a minor release.
fn release(major: bool) -> &'static str {
    if major {
        "major"
    } else {
        "minor"
    }
}

/// Our own classifier joins the proof: it must find, between the two crates' API
/// surfaces, the pair's expected bump.
fn classifier_agrees(pair: &Pair, base: &Output, changed: &Output) -> Result<(), String> {
    let changes = codegen::semver::classify(&base.surface, &changed.surface);
    let bump = Bump::required(&changes).map_or("none", Bump::name);
    if bump == pair.expect.bump.name() {
        return Ok(());
    }
    let found: Vec<&str> = changes.iter().map(|c| c.what.as_str()).collect();
    Err(format!(
        "our classifier says {bump}, the pair expects {} ({}); it found: {}",
        pair.expect.bump.name(),
        pair.expect.reason,
        found.join("; ")
    ))
}

/// Fails, saying how to install it, unless the pinned cargo-semver-checks is installed:
/// the suite's verdicts are those of that release, and it must not pass by skipping.
fn require_semver_checks() -> Result<(), String> {
    let install = format!(
        "install it with `cargo install cargo-semver-checks --locked --version {SEMVER_CHECKS_VERSION}` (scripts/test.sh does)"
    );
    let output = cargo()
        .args(["semver-checks", "--version"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let version = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "cargo-semver-checks is not installed, and the semver pairs need it: {install}"
        ));
    }
    if !version
        .split_whitespace()
        .any(|w| w == SEMVER_CHECKS_VERSION)
    {
        return Err(format!(
            "the semver pairs need cargo-semver-checks {SEMVER_CHECKS_VERSION}, found `{}`: {install}",
            version.trim()
        ));
    }
    Ok(())
}

/// The pairs in `dir`, by folder name.
fn read_pairs(dir: &Path) -> Result<Vec<Pair>, String> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut pairs = Vec::new();
    for path in dirs {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let expect_path = path.join("expect.txt");
        let text = fs::read_to_string(&expect_path)
            .map_err(|e| format!("cannot read {}: {e}", expect_path.display()))?;
        let expect = Expect::parse(&text).map_err(|e| format!("{}: {e}", expect_path.display()))?;
        let member = format!("pair-{}", name.to_lowercase().replace('_', "-"));
        pairs.push(Pair {
            name,
            member,
            expect,
        });
    }
    if pairs.is_empty() {
        return Err(format!("no pairs in {}", dir.display()));
    }
    Ok(pairs)
}

/// Generates one side of a pair; a spec the generator refuses fails the run.
fn generate(
    scratch: &mut Scratch,
    root: &Path,
    file: &str,
    member: &str,
) -> Result<Output, String> {
    scratch
        .generate(&root.join(file), file, member)?
        .map_err(|diagnostics| format!("the generator refused {file}:\n{diagnostics}"))
}

/// Runs cargo-semver-checks on one pair: is the changed crate a minor release of the base?
fn semver_checks(
    root: &Path,
    base: &Scratch,
    changed: &Scratch,
    pair: &Pair,
) -> Result<Verdict, String> {
    let started = Instant::now();
    let output = cargo()
        .args(["semver-checks", "check-release", "--release-type", "minor"])
        .arg("--package")
        .arg(&pair.member)
        .arg("--manifest-path")
        .arg(changed.dir.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(&base.dir)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join(TARGET))
        // The checks resolve each crate's dependencies afresh (`cargo update`): from the
        // registry cache the workspace's build filled, never the network, so that every
        // pair resolves alike and no run waits on the index.
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let lints: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_owned)
        .collect();
    let major = if output.status.success() {
        false
    } else if text.contains("semver requires new major version") {
        true
    } else {
        return Err(format!(
            "cargo semver-checks failed on pair {} without a verdict:\n{text}",
            pair.name
        ));
    };
    Ok(Verdict {
        major,
        lints,
        spent: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expect_files_parse_and_say_which_way_cargo_semver_checks_goes() {
        let plain = Expect::parse("bump: minor\nreason: additive\n").expect("parses");
        assert!(!plain.semver_checks_major());
        let major = Expect::parse("bump: major\nreason: removed\n").expect("parses");
        assert!(major.semver_checks_major());
        let behavioural = Expect::parse("bump: major\nreason: narrower\ndisagreement: same API\n")
            .expect("parses");
        assert!(!behavioural.semver_checks_major());
        assert!(Expect::parse("bump: huge\nreason: x\n").is_err());
        assert!(Expect::parse("bump: patch\n").is_err());
        assert!(Expect::parse("bump: patch\nreason: x\nwhy: y\n").is_err());
    }
}
