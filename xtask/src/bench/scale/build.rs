//! One measured cargo build: wall time, and rustc's peak memory from GNU time, which
//! reports the largest resident set among the processes cargo waited for. With the
//! dependencies already built, that is the crate's own rustc.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

/// GNU time, for peak memory; absent on a minimal system.
const GNU_TIME: &str = "/usr/bin/time";

/// What the report says when GNU time is missing.
pub(super) const INSTALL_TIME: &str =
    "not measured: GNU time is not installed (`apt-get install time` provides `/usr/bin/time`)";

/// A finished build.
#[derive(Debug, Clone, Copy)]
pub(super) struct Build {
    pub(super) secs: f64,
    /// Largest resident set of a process of the build, in KiB.
    pub(super) peak_kib: Option<u64>,
}

/// How to run cargo for the scale section.
pub(super) struct Cargo {
    cargo: String,
    pub(super) has_time: bool,
}

impl Cargo {
    pub(super) fn new(cargo: &str) -> Self {
        Cargo {
            cargo: cargo.to_owned(),
            has_time: Path::new(GNU_TIME).is_file(),
        }
    }

    /// A plain cargo command.
    pub(super) fn command(&self) -> Command {
        Command::new(&self.cargo)
    }

    /// `cargo build --offline ARGS` of the crate in `dir` into `target`.
    pub(super) fn build(&self, dir: &Path, target: &Path, args: &[&str]) -> Result<Build, String> {
        let mut cmd = if self.has_time {
            let mut cmd = Command::new(GNU_TIME);
            cmd.arg("-v").arg(&self.cargo);
            cmd
        } else {
            Command::new(&self.cargo)
        };
        cmd.args(["build", "--offline"])
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target);
        let started = Instant::now();
        let output = cmd
            .output()
            .map_err(|e| format!("cannot run cargo in {}: {e}", dir.display()))?;
        let secs = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(first_error(&stderr));
        }
        let build = Build {
            secs,
            peak_kib: peak_kib(&stderr),
        };
        // Each figure as it comes, so a long run can be followed (and is not lost if
        // it is stopped before the report is written).
        eprintln!(
            "bench scale:   {} {}: {secs:.1} s, peak {} KiB",
            dir.display(),
            args.join(" "),
            build
                .peak_kib
                .map_or_else(|| "?".to_owned(), |k| k.to_string())
        );
        Ok(build)
    }

    /// `cargo fetch` in `dir`: the only step that may need the registry.
    pub(super) fn fetch(&self, dir: &Path) -> Result<(), String> {
        let output = Command::new(&self.cargo)
            .args(["fetch", "--quiet"])
            .current_dir(dir)
            .output()
            .map_err(|e| format!("cannot run cargo fetch: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "cargo fetch failed in {}: {}",
                dir.display(),
                first_error(&String::from_utf8_lossy(&output.stderr))
            ))
        }
    }
}

/// GNU time's `Maximum resident set size (kbytes): N`.
fn peak_kib(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|n| n.trim().parse().ok())
}

/// The first `error` line of cargo's output (rustc's message, or a proc macro's panic),
/// shortened, or the first line.
pub(super) fn first_error(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error") && !l.starts_with("error: could not compile"))
        .or_else(|| stderr.lines().next())
        .unwrap_or("no output");
    let mut line = line.trim().to_owned();
    if line.len() > 200 {
        let cut = (0..=200)
            .rev()
            .find(|&i| line.is_char_boundary(i))
            .unwrap_or(0);
        line.truncate(cut);
        line.push('…');
    }
    line
}

/// Marks a file as changed, as an editor saving it would.
pub(super) fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// The per-resource features of a generated manifest: its `[features]` names, without
/// the ones every generated crate may declare (`codegen::CRATE_FEATURES`).
pub(super) fn resource_features(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut names = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.starts_with('#') {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim().trim_matches('"');
            if !name.is_empty() && !codegen::CRATE_FEATURES.contains(&name) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// Lines of the `.rs` files under `dir`, recursively.
pub(super) fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                rust_lines(p)
            } else if p.extension().is_some_and(|e| e == "rs") {
                fs::read_to_string(p).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// Writes, beside a generated crate, a crate with the same manifest and an empty
/// `lib.rs`: building it first builds exactly the generated crate's dependencies, so
/// a later build of the generated crate times the crate alone.
pub(super) fn deps_crate(manifest: &str, dir: &Path, lock: &Path) -> Result<(), String> {
    let renamed: String = manifest
        .lines()
        .map(|l| {
            if l.starts_with("name = ") {
                "name = \"scale-deps\"".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &format!("{renamed}\n"))?;
    write(src.join("lib.rs"), "")?;
    fs::copy(lock, dir.join("Cargo.lock"))
        .map(drop)
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_features_skip_the_crate_own_features() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\n# why\n\
                        default = [\"accounts\", \"zones\", \"full-serde\"]\n\
                        http2 = [\"reqwest/http2\"]\nfull-serde = []\naccounts = []\nzones = []\n\
                        \n[dev-dependencies]\ntokio = \"1\"\n";
        assert_eq!(resource_features(manifest), ["accounts", "zones"]);
        assert!(resource_features("[features]\nhttp2 = []\n").is_empty());
    }

    #[test]
    fn peak_memory_is_read_from_gnu_time() {
        let stderr = "\tCommand being timed: \"cargo build\"\n\
                      \tMaximum resident set size (kbytes): 123456\n";
        assert_eq!(peak_kib(stderr), Some(123_456));
        assert_eq!(peak_kib("nothing"), None);
    }

    #[test]
    fn first_error_skips_cargo_summary() {
        let stderr = "   Compiling x\nerror: could not compile `x`\nerror: proc macro panicked\n";
        assert_eq!(first_error(stderr), "error: proc macro panicked");
    }
}
