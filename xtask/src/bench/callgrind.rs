//! Instruction counts under callgrind, which a busy machine does not disturb: work per
//! operation of the generator at three sizes, and work per request of both clients.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use super::Target;

/// The codegen and the client subsections; both only a note when valgrind is not installed.
pub(super) fn instruction_counts(
    binary: &Path,
    root: &Path,
    targets: &mut Vec<Target>,
) -> (String, String) {
    let count = |args: &[&str]| -> Option<u64> {
        let output = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(binary)
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let collected = stderr.lines().find_map(|l| l.split("Collected :").nth(1))?;
        collected.trim().parse().ok()
    };
    if count(&["synth", "1"]).is_none() {
        let note = "(Instruction counts skipped: `valgrind` is not installed.)\n\n".to_owned();
        return (note.clone(), note);
    }
    eprintln!("bench: instruction counts (callgrind)");
    let mut codegen = String::from(
        "### Work per operation (callgrind)\n\n\
         Instructions executed by one `generate` of a synthetic spec (the whole process, \
         `benches profile-codegen N` under `valgrind --tool=callgrind`); unlike time, they \
         are not disturbed by other jobs or by cache misses.\n\n\
         | operations | instructions | per operation |\n|---:|---:|---:|\n",
    );
    let sizes = [100_u64, 1_000, 5_000];
    let mut per_op = Vec::new();
    for n in sizes {
        if let Some(i) = count(&["profile-codegen", &n.to_string()]) {
            per_op.push(i as f64 / n as f64);
            let _ = writeln!(codegen, "| {n} | {i} | {:.0} |", i as f64 / n as f64);
        }
    }
    if let [small, middle, large] = per_op[..] {
        let (to_middle, to_large) = (middle / small, large / small);
        let _ = writeln!(
            codegen,
            "\nPer-operation work at 1,000 / at 100: {to_middle:.3}; at 5,000 / at 100: \
             {to_large:.3}.\n",
        );
        let spread = [1.0, to_middle, to_large];
        let growth = spread.iter().copied().fold(f64::MIN, f64::max)
            / spread.iter().copied().fold(f64::MAX, f64::min);
        targets.push(Target {
            name: "codegen work (instructions) per op flat, 100 → 5,000".to_owned(),
            measured: format!("max/min per-op = {growth:.3}"),
            target: "≤ 1.05".to_owned(),
            met: growth <= 1.05,
        });
    }

    let mut client = String::from(
        "### Work per request (callgrind)\n\n\
         Instructions per request, from the difference between two runs of \
         `benches profile ENDPOINT CLIENT N` with different N (so start-up and the first \
         connection cancel out); both threads, the loopback server's included (the same \
         for both clients).\n\n\
         | request | generated | baseline | generated / baseline |\n|---|---:|---:|---:|\n",
    );
    for (endpoint, few, many) in [("get", 100_u64, 600_u64), ("list", 20, 120)] {
        let per_request = |which: &str| -> Option<f64> {
            let a = count(&["profile", endpoint, which, &few.to_string()])?;
            let b = count(&["profile", endpoint, which, &many.to_string()])?;
            Some(b.saturating_sub(a) as f64 / (many - few) as f64)
        };
        if let (Some(g), Some(b)) = (per_request("generated"), per_request("baseline")) {
            let _ = writeln!(client, "| {endpoint} | {g:.0} | {b:.0} | {:.3} |", g / b);
        }
    }
    client.push('\n');
    (codegen, client)
}
