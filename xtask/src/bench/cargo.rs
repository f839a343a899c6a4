//! Running cargo and timing it: clean and incremental builds, the units they compile,
//! and dependency trees.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// Unique `name version` entries of a `cargo tree --prefix none`, the root excluded.
pub(super) fn dependency_tree(cmd: &mut Command) -> Result<BTreeSet<String>, String> {
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let root = lines.next().unwrap_or_default().to_owned();
    Ok(lines
        .filter(|l| *l != root)
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect())
}

/// Runs a cargo build, returning how long it took and how many units it compiled.
pub(super) fn timed_build(cmd: &mut Command) -> Result<(Duration, usize), String> {
    let started = Instant::now();
    let output = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("cargo build failed:\n{stderr}"));
    }
    let units = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    Ok((took, units))
}

/// `n` rounds of a no-op build, then a build after touching `lib`: the seconds of
/// each, as (touched, no-op).
pub(super) fn rebuilds(
    n: usize,
    lib: &Path,
    build: impl Fn() -> Result<(Duration, usize), String>,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let mut noop = Vec::new();
    let mut touched = Vec::new();
    for _ in 0..n {
        noop.push(build()?.0.as_secs_f64());
        touch(lib)?;
        touched.push(build()?.0.as_secs_f64());
    }
    Ok((touched, noop))
}

/// Marks a file as changed, as an editor saving it would.
fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}
