//! `cargo xtask bench`: measures the generator and the generated client, and writes the
//! figures into `BENCHMARKS.md`.
//!
//! The in-process measurements (codegen speed, client overhead, decode, allocations) run
//! in the `benches` binary, built here in release; this module adds what needs other
//! programs: cargo (rebuild times, dependency counts, a synthetic crate on disk, a
//! progenitor client as a same-run baseline) and, when installed, valgrind (instruction
//! counts). Only the part of `BENCHMARKS.md` between the two markers is rewritten, so
//! the hand-written analysis around it survives a re-run.
//!
//! `--quick` skips cargo builds and callgrind, and prints the report instead of writing it.
//! `--scale` runs only the scale section (big crates, the plot), which has its own block
//! between its own markers, so it can be re-run alone; a full run writes both blocks.
//!
//! This module runs the steps in order and splices the report; the children measure:
//! `callgrind` (instruction counts), `cost` (section 2: dependency trees and builds),
//! `baseline` (the progenitor client and the synthetic crate), `cargo` (timed builds and
//! dependency trees), `machine` (the machine paragraph and waiting for quiet), `scale`
//! (section 4: big crates and the scaling plot), `stats` (medians).

mod baseline;
mod callgrind;
mod cargo;
mod cost;
mod machine;
mod scale;
mod stats;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::regenerate;

const REPORT: &str = "BENCHMARKS.md";
const BEGIN: &str =
    "<!-- bench:begin (written by `cargo xtask bench`; edit outside the markers) -->";
const END: &str = "<!-- bench:end -->";
const SCALE_BEGIN: &str =
    "<!-- bench-scale:begin (written by `cargo xtask bench [--scale]`; edit outside the markers) -->";
const SCALE_END: &str = "<!-- bench-scale:end -->";
/// The generated client, as a cargo package.
const CLIENT: &str = "cloudflare-token-validation";
/// Operations in the synthetic crate generated to disk.
const SYNTHETIC_OPS: usize = 1_000;
/// How long to wait for other jobs to quieten down before measuring.
const QUIET_WAIT: Duration = Duration::from_secs(90);

struct Target {
    name: String,
    measured: String,
    target: String,
    met: bool,
}

/// What `cargo xtask bench` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every section, both blocks written.
    Full,
    /// In-process figures only, printed.
    Quick,
    /// The scale section alone, its block written.
    Scale,
}

pub fn bench(root: &Path, mode: Mode) -> Result<(), String> {
    let quick = mode == Mode::Quick;
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let scratch = target_dir.join("bench");

    let binary = build_bench_binary(root, &cargo, &target_dir)?;
    let quiet = machine::wait_for_quiet(QUIET_WAIT);
    let load_before = machine::load_average();
    if mode == Mode::Scale {
        return scale_block(
            root,
            &cargo,
            &binary,
            &scratch,
            (quiet, load_before, started),
        );
    }

    let (mut targets, in_process) = in_process(root, &binary)?;
    // The bench prints section 1, then section 3; section 2 goes between.
    let (codegen_section, client_section) = match in_process.find("## 3. ") {
        Some(at) => in_process.split_at(at),
        None => (in_process.as_str(), ""),
    };

    let (codegen_extra, client_extra) = if quick {
        (String::new(), String::new())
    } else {
        callgrind::instruction_counts(&binary, root, &mut targets)
    };

    let builds = if quick {
        "## 2. Generated crate cost\n\n(skipped: `--quick`)\n\n".to_owned()
    } else {
        cost::crate_cost(root, &cargo, &binary, &scratch, &mut targets)?
    };

    let machine = machine::machine(root, &quiet, load_before, started.elapsed());
    let sections = [
        codegen_section,
        &codegen_extra,
        &builds,
        client_section,
        &client_extra,
    ];
    let block = report_block(&machine, &targets, &sections, (BEGIN, END));

    if quick {
        print!("{block}");
        return Ok(());
    }
    write_report(root, &block, &targets, started, (BEGIN, END))?;
    let (quiet, load) = (machine::wait_for_quiet(QUIET_WAIT), machine::load_average());
    scale_block(
        root,
        &cargo,
        &binary,
        &scratch,
        (quiet, load, Instant::now()),
    )
}

/// Runs the scale section and writes its block and its plot.
fn scale_block(
    root: &Path,
    cargo: &str,
    binary: &Path,
    scratch: &Path,
    (quiet, load_before, started): (String, String, Instant),
) -> Result<(), String> {
    let mut targets = Vec::new();
    let (section, svg) = scale::scale(root, cargo, binary, scratch, &mut targets)?;
    let plot = root.join(scale::PLOT);
    fs::write(&plot, svg).map_err(|e| format!("cannot write {}: {e}", plot.display()))?;
    let machine = machine::machine(root, &quiet, load_before, started.elapsed());
    let block = report_block(&machine, &targets, &[&section], (SCALE_BEGIN, SCALE_END));
    write_report(root, &block, &targets, started, (SCALE_BEGIN, SCALE_END))
}

/// Builds the `benches` binary in release and returns its path.
fn build_bench_binary(root: &Path, cargo: &str, target_dir: &Path) -> Result<PathBuf, String> {
    eprintln!("bench: building the bench binary (release)");
    run_ok(
        Command::new(cargo)
            .args(["build", "--release", "--quiet", "-p", "benches"])
            .current_dir(root),
    )?;
    Ok(target_dir.join("release").join("benches"))
}

/// Runs the in-process measurements: the targets they report, and their markdown.
fn in_process(root: &Path, binary: &Path) -> Result<(Vec<Target>, String), String> {
    eprintln!("bench: in-process measurements");
    let output = Command::new(binary)
        .args(["all", regenerate::SPEC])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err("the bench binary failed; see above".to_owned());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut targets = Vec::new();
    let mut in_process = String::new();
    for line in stdout.lines() {
        match line.strip_prefix("@target\t") {
            Some(rest) => {
                let f: Vec<&str> = rest.split('\t').collect();
                if let [name, measured, target, verdict] = f[..] {
                    targets.push(Target {
                        name: name.to_owned(),
                        measured: measured.to_owned(),
                        target: target.to_owned(),
                        met: verdict == "met",
                    });
                }
            }
            None => {
                in_process.push_str(line);
                in_process.push('\n');
            }
        }
    }
    Ok((targets, in_process))
}

/// The generated block, markers included: the machine paragraph, the targets table,
/// then `sections` in order.
fn report_block(
    machine: &str,
    targets: &[Target],
    sections: &[&str],
    (begin, end): (&str, &str),
) -> String {
    let mut block = String::new();
    block.push_str(begin);
    block.push_str("\n\n");
    block.push_str(machine);
    block.push_str("## Targets\n\n| target | measured | goal | verdict |\n|---|---|---|---|\n");
    for t in targets {
        let verdict = if t.met { "met" } else { "**missed**" };
        let _ = writeln!(
            block,
            "| {} | {} | {} | {verdict} |",
            t.name, t.measured, t.target
        );
    }
    block.push('\n');
    for section in sections {
        block.push_str(section);
    }
    block.push_str(end);
    block.push('\n');
    block
}

/// Splices `block` into `BENCHMARKS.md` and says how many targets were met.
fn write_report(
    root: &Path,
    block: &str,
    targets: &[Target],
    started: Instant,
    markers: (&str, &str),
) -> Result<(), String> {
    let path = root.join(REPORT);
    let existing = fs::read_to_string(&path).unwrap_or_default();
    let text = splice(&existing, block, markers);
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "wrote {REPORT} in {:.0} s ({} of {} targets met)",
        started.elapsed().as_secs_f64(),
        targets.iter().filter(|t| t.met).count(),
        targets.len()
    );
    Ok(())
}

fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed"))
    }
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Replaces the block between `begin` and `end` of `existing`, or appends one.
fn splice(existing: &str, block: &str, (begin, end): (&str, &str)) -> String {
    match (existing.find(begin), existing.find(end)) {
        (Some(b), Some(e)) if b < e => {
            let after = &existing[e + end.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            format!("{}{block}{after}", &existing[..b])
        }
        _ if existing.trim().is_empty() => format!("# Benchmarks\n\n{block}"),
        _ => format!("{}\n\n{block}", existing.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_keeps_the_hand_written_parts() {
        let block = format!("{BEGIN}\nnew\n{END}\n");
        let existing = format!("# B\n\nintro\n\n{BEGIN}\nold\n{END}\n\n## Notes\nkept\n");
        assert_eq!(
            splice(&existing, &block, (BEGIN, END)),
            format!("# B\n\nintro\n\n{BEGIN}\nnew\n{END}\n\n## Notes\nkept\n")
        );
        assert_eq!(
            splice("", &block, (BEGIN, END)),
            format!("# Benchmarks\n\n{block}")
        );
        // The scale block is spliced on its own, and leaves the main block alone.
        let scale = format!("{SCALE_BEGIN}\ns\n{SCALE_END}\n");
        let both = splice(&existing, &scale, (SCALE_BEGIN, SCALE_END));
        assert!(both.contains(&format!("{BEGIN}\nold\n{END}")));
        assert!(both.ends_with(&scale));
        let again = format!("{SCALE_BEGIN}\nt\n{SCALE_END}\n");
        assert_eq!(
            splice(&both, &again, (SCALE_BEGIN, SCALE_END)),
            both.replace(&scale, &again)
        );
    }

    #[test]
    fn report_block_orders_machine_targets_then_sections() {
        let targets = [
            Target {
                name: "a".to_owned(),
                measured: "1".to_owned(),
                target: "< 2".to_owned(),
                met: true,
            },
            Target {
                name: "b".to_owned(),
                measured: "3".to_owned(),
                target: "< 2".to_owned(),
                met: false,
            },
        ];
        let block = report_block("M\n\n", &targets, &["S1\n", "", "S2\n"], (BEGIN, END));
        assert_eq!(
            block,
            format!(
                "{BEGIN}\n\nM\n\n## Targets\n\n| target | measured | goal | verdict |\n\
                 |---|---|---|---|\n| a | 1 | < 2 | met |\n| b | 3 | < 2 | **missed** |\n\n\
                 S1\nS2\n{END}\n"
            )
        );
    }
}
