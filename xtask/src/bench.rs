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

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::regenerate;

const REPORT: &str = "BENCHMARKS.md";
const BEGIN: &str =
    "<!-- bench:begin (written by `cargo xtask bench`; edit outside the markers) -->";
const END: &str = "<!-- bench:end -->";
/// The generated client, as a cargo package.
const CLIENT: &str = "cloudflare-token-validation";
/// Operations in the synthetic crate generated to disk.
const SYNTHETIC_OPS: usize = 1_000;
/// The brief's reference figures for a progenitor-generated client, from another
/// machine; shown beside the same-run baseline, and used when that cannot be built.
const PROGENITOR_CLEAN_BUILD_S: f64 = 42.0;
const PROGENITOR_CRATES: usize = 118;
/// Rebuilds per measured configuration.
const REBUILDS: usize = 3;
/// Rebuilds of the synthetic crate per profile: a release rebuild of it takes minutes.
const SYNTHETIC_REBUILDS: [(&str, usize); 2] = [("debug", 3), ("release", 1)];
/// How long to wait for other jobs to quieten down before measuring.
const QUIET_WAIT: Duration = Duration::from_secs(90);
/// CPU use by others (all cores) under which the machine counts as quiet.
const QUIET_BUSY: f64 = 0.25;

struct Target {
    name: String,
    measured: String,
    target: String,
    met: bool,
}

pub fn bench(root: &Path, quick: bool) -> Result<(), String> {
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let scratch = target_dir.join("bench");

    eprintln!("bench: building the bench binary (release)");
    run_ok(
        Command::new(&cargo)
            .args(["build", "--release", "--quiet", "-p", "benches"])
            .current_dir(root),
    )?;
    let binary = target_dir.join("release").join("benches");
    let quiet = wait_for_quiet(QUIET_WAIT);
    let load_before = load_average();

    eprintln!("bench: in-process measurements");
    let output = Command::new(&binary)
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
    // The bench prints section 1, then section 3; section 2 goes between.
    let (codegen_section, client_section) = match in_process.find("## 3. ") {
        Some(at) => in_process.split_at(at),
        None => (in_process.as_str(), ""),
    };

    let (codegen_extra, client_extra) = if quick {
        (String::new(), String::new())
    } else {
        instruction_counts(&binary, root, &mut targets)
    };

    let builds = if quick {
        "## 2. Generated crate cost\n\n(skipped: `--quick`)\n\n".to_owned()
    } else {
        crate_cost(root, &cargo, &binary, &scratch, &mut targets)?
    };

    let machine = machine(root, &quiet, load_before, started.elapsed());
    let mut block = String::new();
    block.push_str(BEGIN);
    block.push_str("\n\n");
    block.push_str(&machine);
    block.push_str("## Targets\n\n| target | measured | goal | verdict |\n|---|---|---|---|\n");
    for t in &targets {
        let verdict = if t.met { "met" } else { "**missed**" };
        let _ = writeln!(
            block,
            "| {} | {} | {} | {verdict} |",
            t.name, t.measured, t.target
        );
    }
    block.push('\n');
    block.push_str(codegen_section);
    block.push_str(&codegen_extra);
    block.push_str(&builds);
    block.push_str(client_section);
    block.push_str(&client_extra);
    block.push_str(END);
    block.push('\n');

    if quick {
        print!("{block}");
        return Ok(());
    }
    let path = root.join(REPORT);
    let existing = fs::read_to_string(&path).unwrap_or_default();
    let text = splice(&existing, &block);
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "wrote {REPORT} in {:.0} s ({} of {} targets met)",
        started.elapsed().as_secs_f64(),
        targets.iter().filter(|t| t.met).count(),
        targets.len()
    );
    Ok(())
}

/// Instruction counts under callgrind, which a busy machine does not disturb: work per
/// operation of the generator at three sizes, and work per request of both clients.
/// Empty when valgrind is not installed.
fn instruction_counts(binary: &Path, root: &Path, targets: &mut Vec<Target>) -> (String, String) {
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

/// Section 2: dependency trees, clean and incremental builds, the synthetic crate.
fn crate_cost(
    root: &Path,
    cargo: &str,
    binary: &Path,
    scratch: &Path,
    targets: &mut Vec<Target>,
) -> Result<String, String> {
    let mut out = String::from("## 2. Generated crate cost\n\n");

    eprintln!("bench: dependency trees");
    let ours = dependency_tree(
        Command::new(cargo)
            .args(["tree", "-p", CLIENT, "-e", "normal", "--prefix", "none"])
            .current_dir(root),
    )?;
    let synthetic_dir = scratch.join(format!("synthetic-{SYNTHETIC_OPS}"));
    let synthetic = synthetic_crate(root, cargo, binary, &synthetic_dir)?;
    eprintln!("bench: clean debug build of {CLIENT}");
    let debug_dir = scratch.join("cargo-debug");
    let _ = fs::remove_dir_all(&debug_dir);
    let build = |dir: &Path, release: bool| {
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "-p", CLIENT])
            .current_dir(root)
            .env("CARGO_TARGET_DIR", dir);
        if release {
            cmd.arg("--release");
        }
        timed_build(&mut cmd)
    };
    let (clean, units) = build(&debug_dir, false)?;
    let clean_s = clean.as_secs_f64();
    eprintln!("bench: clean debug build of a progenitor client (same-run baseline)");
    let progenitor = progenitor_baseline(cargo, root);
    let has_tls = |tree: &BTreeSet<String>| {
        ["rustls", "webpki-roots"]
            .iter()
            .all(|name| tree.iter().any(|c| c.starts_with(&format!("{name} "))))
    };
    let tls = has_tls(&ours);
    let tls_cell = |yes: bool| {
        if yes {
            "rustls + webpki-roots"
        } else {
            "**none**"
        }
    };
    let reference = match &progenitor {
        Ok(p) => format!(
            "progenitor {} client of the same spec: {} (same run; {PROGENITOR_CRATES} in the \
             brief's external figure)",
            p.version, p.crates
        ),
        Err(_) => format!("progenitor client: {PROGENITOR_CRATES} (external figure)"),
    };
    let _ = writeln!(
        out,
        "Crates in the dependency tree with default features, the crate itself excluded \
         (`cargo tree -p {CLIENT} -e normal --prefix none`, unique `name version` lines; \
         normal dependencies, proc-macros included, build-dependencies not):\n\n\
         | crate | crates | TLS stack in tree | reference |\n|---|---:|---|---|\n\
         | `{CLIENT}` | {} | {} | {reference} |\n\
         | synthetic {SYNTHETIC_OPS}-operation crate (`cargo xtask generate` into `{}`) | {} | {} | |",
        ours.len(),
        tls_cell(tls),
        rel(root, &synthetic_dir),
        synthetic.len(),
        tls_cell(has_tls(&synthetic)),
    );
    targets.push(Target {
        name: "crates in the dependency tree, with working TLS".to_owned(),
        measured: format!(
            "{} (TLS: {})",
            ours.len(),
            if tls { "rustls" } else { "none" }
        ),
        target: "≤ 100".to_owned(),
        met: ours.len() <= 100 && tls,
    });
    let _ = writeln!(
        out,
        "\nClean debug build of `{CLIENT}` and its dependencies (`cargo build -p {CLIENT}` \
         into an empty target directory, the workspace's dev profile, sources already \
         downloaded), measured once: **{clean_s:.1} s**, {units} units compiled (build \
         scripts and build-dependencies included).\n"
    );
    match &progenitor {
        Ok(p) => {
            let _ = writeln!(
                out,
                "Same-run baseline: a client that progenitor {} generates from the same spec \
                 with its `generate_api!` macro, in a scratch crate outside the repository \
                 (`{}`: the dependencies progenitor's README lists, plus chrono, uuid and \
                 regress for the spec's formats and patterns; the same dev profile), clean \
                 debug build measured once right after ours: **{:.1} s**, {} units, {} crates \
                 in its tree. Ours / progenitor: {:.2}. The brief's reference figure, \
                 {PROGENITOR_CLEAN_BUILD_S:.0} s for {PROGENITOR_CRATES} crates, comes from \
                 another machine.\n",
                p.version,
                p.dir.display(),
                p.build.as_secs_f64(),
                p.units,
                p.crates,
                clean_s / p.build.as_secs_f64()
            );
        }
        Err(why) => {
            let _ = writeln!(
                out,
                "Reference: {PROGENITOR_CLEAN_BUILD_S:.0} s for a progenitor client with \
                 {PROGENITOR_CRATES} crates, an external figure from another machine (no \
                 same-run progenitor build: {why}).\n"
            );
        }
    }
    targets.push(match &progenitor {
        Ok(p) => Target {
            name: "clean debug build of the client".to_owned(),
            measured: format!("{clean_s:.1} s"),
            target: format!(
                "< progenitor: {:.1} s same run ({PROGENITOR_CLEAN_BUILD_S:.0} s elsewhere)",
                p.build.as_secs_f64()
            ),
            met: clean < p.build,
        },
        Err(_) => Target {
            name: "clean debug build of the client".to_owned(),
            measured: format!("{clean_s:.1} s"),
            target: format!("< {PROGENITOR_CLEAN_BUILD_S:.0} s (progenitor, external)"),
            met: clean_s < PROGENITOR_CLEAN_BUILD_S,
        },
    });

    eprintln!("bench: incremental rebuilds");
    let release_dir = scratch.join("cargo-release");
    let lib = root.join(regenerate::OUT).join("src/lib.rs");
    let mut rows = String::new();
    let mut debug_median = f64::NAN;
    let mut warm_release = Duration::ZERO;
    for (profile, dir) in [("debug", &debug_dir), ("release", &release_dir)] {
        let release = profile == "release";
        if release {
            // Kept between runs, so usually quick; it also catches up with the touches
            // of the debug loop.
            warm_release = build(dir, true)?.0;
        }
        let (mut touched, mut noop) = rebuilds(REBUILDS, &lib, || build(dir, release))?;
        let (t, n) = (median(&mut touched), median(&mut noop));
        if !release {
            debug_median = t;
        }
        let _ = writeln!(
            rows,
            "| {profile} | {} | {} | {:.1}× |",
            spread(&touched),
            spread(&noop),
            t / n
        );
    }
    let _ = writeln!(
        out,
        "Incremental rebuild after touching `generated/src/lib.rs` (`cargo build -p {CLIENT} \
         [--release]`, dependencies warm; median of {REBUILDS}, min–max). Baseline: a no-op \
         `cargo build` of the same package, measured in the same loop. (The release target \
         directory is kept between runs; its warm-up build took {:.1} s this time.)\n\n\
         | profile | rebuild after touch | baseline: no-op build | ratio |\n|---|---|---|---:|\n{rows}",
        warm_release.as_secs_f64()
    );
    targets.push(Target {
        name: "incremental debug rebuild".to_owned(),
        measured: format!("{debug_median:.2} s"),
        target: "< 3 s".to_owned(),
        met: debug_median < 3.0,
    });

    eprintln!("bench: incremental rebuilds of the synthetic crate");
    out.push_str(&synthetic_rebuilds(cargo, root, &synthetic_dir)?);
    Ok(out)
}

/// Incremental rebuilds of the synthetic crate, debug and release, with the same method
/// as the client's. Its target directory is kept between runs, as it takes minutes
/// to build from clean.
fn synthetic_rebuilds(cargo: &str, root: &Path, dir: &Path) -> Result<String, String> {
    let crate_dir = dir.join("crate");
    let target = dir.join("target");
    let lib = crate_dir.join("src/lib.rs");
    let lines: usize = ["src/lib.rs", "src/types.rs", "src/client.rs"]
        .iter()
        .filter_map(|f| fs::read_to_string(crate_dir.join(f)).ok())
        .map(|text| text.lines().count())
        .sum();
    let build = |release: bool| {
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--offline"])
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", &target);
        if release {
            cmd.arg("--release");
        }
        timed_build(&mut cmd)
    };
    let mut rows = String::new();
    for (profile, runs) in SYNTHETIC_REBUILDS {
        let release = profile == "release";
        let warm = build(release)?.0;
        let (mut touched, mut noop) = rebuilds(runs, &lib, || build(release))?;
        let (t, n) = (median(&mut touched), median(&mut noop));
        let _ = writeln!(
            rows,
            "| {profile} | {} | {} | {:.0}× | {:.1} s | {} |",
            spread(&touched),
            spread(&noop),
            t / n,
            warm.as_secs_f64(),
            runs
        );
    }
    Ok(format!(
        "\nThe same for the synthetic {SYNTHETIC_OPS}-operation crate (`{}`, {lines} emitted \
         lines, standalone, so cargo's default profiles; `cargo build --offline [--release]` \
         after touching its `src/lib.rs`; median and min–max, n runs):\n\n\
         | profile | rebuild after touch | baseline: no-op build | ratio | warm-up build (target kept between runs) | n |\n\
         |---|---|---|---:|---:|---:|\n{rows}\n",
        rel(root, &crate_dir)
    ))
}

struct Progenitor {
    version: String,
    dir: PathBuf,
    build: Duration,
    units: usize,
    crates: usize,
}

/// The progenitor version of the same-run baseline.
const PROGENITOR: &str = "0.15";

/// Builds, from clean, a progenitor client of the same spec in a scratch crate outside
/// the repository. Needs the registry the first time (to fetch progenitor); says why
/// when it cannot be done.
fn progenitor_baseline(cargo: &str, root: &Path) -> Result<Progenitor, String> {
    let dir = std::env::temp_dir().join("cloudflare-token-validation-bench-progenitor");
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let manifest = format!(
        "# Written by `cargo xtask bench`: a progenitor client of the same spec, as a\n\
         # same-run baseline for the clean build time.\n\
         [package]\nname = \"progenitor-baseline\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\n\
         futures = \"0.3\"\nprogenitor = \"{PROGENITOR}\"\n\
         reqwest = {{ version = \"0.13\", features = [\"json\", \"query\", \"stream\"] }}\n\
         serde = {{ version = \"1.0\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
         chrono = {{ version = \"0.4\", features = [\"serde\"] }}\n\
         uuid = {{ version = \"1\", features = [\"serde\", \"v4\"] }}\nregress = \"0.12\"\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\n\n[workspace]\n"
    );
    let write = |path: PathBuf, text: &[u8]| {
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), manifest.as_bytes())?;
    write(
        src.join("lib.rs"),
        b"progenitor::generate_api!(\"openapi.yaml\");\n",
    )?;
    let spec =
        fs::read(root.join(regenerate::SPEC)).map_err(|e| format!("cannot read spec: {e}"))?;
    write(dir.join("openapi.yaml"), &spec)?;
    let fetched = Command::new(cargo)
        .args(["fetch", "--quiet"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !fetched.success() {
        return Err("progenitor could not be fetched from the registry".to_owned());
    }
    let target = dir.join("target");
    let _ = fs::remove_dir_all(&target);
    let (build, units) = timed_build(
        Command::new(cargo)
            .arg("build")
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target),
    )
    .map_err(|e| format!("the progenitor client did not build: {}", first_line(&e)))?;
    let tree = dependency_tree(
        Command::new(cargo)
            .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
            .current_dir(&dir),
    )?;
    let version = tree
        .iter()
        .find_map(|c| c.strip_prefix("progenitor v"))
        .unwrap_or(PROGENITOR)
        .to_owned();
    Ok(Progenitor {
        version,
        dir,
        build,
        units,
        crates: tree.len(),
    })
}

fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| text.lines().next().unwrap_or_default())
}

/// Generates the synthetic crate to disk (spec from the bench binary, crate through
/// the same code as `cargo xtask generate`) and returns its dependency tree.
fn synthetic_crate(
    root: &Path,
    cargo: &str,
    binary: &Path,
    dir: &Path,
) -> Result<BTreeSet<String>, String> {
    let spec = Command::new(binary)
        .args(["synth", &SYNTHETIC_OPS.to_string()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !spec.status.success() {
        return Err("the bench binary could not write the synthetic spec".to_owned());
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let spec_path = dir.join("openapi.yaml");
    fs::write(&spec_path, &spec.stdout)
        .map_err(|e| format!("cannot write {}: {e}", spec_path.display()))?;
    let crate_dir = dir.join("crate");
    regenerate::generate(
        &spec_path,
        &crate_dir,
        Some(&format!("synthetic-{SYNTHETIC_OPS}")),
        crate::messages::MessageFormat::Human,
        false,
    )?;
    // Resolve against the workspace's lock file, so no registry access is needed.
    fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    dependency_tree(
        Command::new(cargo)
            .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
            .current_dir(&crate_dir),
    )
}

/// Unique `name version` entries of a `cargo tree --prefix none`, the root excluded.
fn dependency_tree(cmd: &mut Command) -> Result<BTreeSet<String>, String> {
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
fn timed_build(cmd: &mut Command) -> Result<(Duration, usize), String> {
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

/// `n` rounds of a no-op build, then a build after touching `lib`: the seconds of
/// each, as (touched, no-op).
fn rebuilds(
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

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `median s (min–max)` of values already sorted by [`median`].
fn spread(sorted: &[f64]) -> String {
    let mut v = sorted.to_vec();
    let m = median(&mut v);
    format!(
        "{m:.2} s ({:.2}–{:.2})",
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN)
    )
}

/// The method and machine paragraph at the top of the generated block.
fn machine(root: &Path, quiet: &str, load_before: String, took: Duration) -> String {
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
fn wait_for_quiet(max: Duration) -> String {
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

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Replaces the generated block of `existing`, or appends one.
fn splice(existing: &str, block: &str) -> String {
    match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if b < e => {
            let after = &existing[e + END.len()..];
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
            splice(&existing, &block),
            format!("# B\n\nintro\n\n{BEGIN}\nnew\n{END}\n\n## Notes\nkept\n")
        );
        assert_eq!(splice("", &block), format!("# Benchmarks\n\n{block}"));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
