//! The machine the figures come from: the paragraph at the top of the report (CPU,
//! rustc, load), and waiting for other jobs to quieten down before measuring.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// CPU use by others (all cores) under which the machine counts as quiet.
const QUIET_BUSY: f64 = 0.25;

/// The method and machine paragraph at the top of the generated block.
pub(super) fn machine(root: &Path, quiet: &str, load_before: String, took: Duration) -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(|| "unknown".to_owned(), |(_, m)| m.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = command_line(Command::new("rustc").arg("-V").current_dir(root));
    let date = command_line(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]));
    format!(
        "Measured {date} by `cargo xtask bench` in {:.0} s.\n\n\
         | machine | |\n|---|---|\n\
         | cores (`nproc`) | {cores} |\n\
         | CPU | {model} |\n\
         | rustc | {rustc} |\n\
         | CPU busy with other jobs before starting | {quiet} |\n\
         | load average (1/5/15 min) at start / end | {load_before} / {} |\n\n\
         The machine is shared: other jobs running at the same time show up in the load \
         average, and inflate wall-clock figures. Ratios against a baseline measured in the \
         same run, interleaved with it, are the figures to compare.\n\n",
        took.as_secs_f64(),
        load_average()
    )
}

/// Waits (up to `max`) until other jobs use less than [`QUIET_BUSY`] of the CPU, and
/// says how busy it was and how long that took.
pub(super) fn wait_for_quiet(max: Duration) -> String {
    let started = Instant::now();
    loop {
        let Some(busy) = cpu_busy(Duration::from_secs(2)) else {
            return "unknown (no /proc/stat)".to_owned();
        };
        let waited = started.elapsed().as_secs();
        if busy < QUIET_BUSY {
            return format!("{:.0}% (waited {waited} s)", busy * 100.0);
        }
        if started.elapsed() >= max {
            return format!(
                "{:.0}% (**still busy after waiting {waited} s**: figures are inflated)",
                busy * 100.0
            );
        }
        if waited % 30 < 2 {
            eprintln!(
                "bench: other jobs use {:.0}% of the CPU; waiting up to {} s for a quieter machine",
                busy * 100.0,
                max.as_secs()
            );
        }
    }
}

/// The fraction of all CPU time spent busy over `sample`, from `/proc/stat`.
fn cpu_busy(sample: Duration) -> Option<f64> {
    let read = || -> Option<(u64, u64)> {
        let stat = fs::read_to_string("/proc/stat").ok()?;
        let fields: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .filter_map(|f| f.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal …: idle and iowait are idle.
        let idle = fields.get(3)? + fields.get(4).copied().unwrap_or(0);
        Some((fields.iter().take(8).sum(), idle))
    };
    let (total_a, idle_a) = read()?;
    std::thread::sleep(sample);
    let (total_b, idle_b) = read()?;
    let total = total_b.checked_sub(total_a)?.max(1);
    let idle = idle_b.checked_sub(idle_a)?;
    Some(1.0 - idle as f64 / total as f64)
}

fn command_line(cmd: &mut Command) -> String {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "unknown".to_owned(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        )
}

pub(super) fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}
