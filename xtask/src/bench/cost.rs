//! Section 2 of the report, what the generated crate costs its users: crates in its
//! dependency tree, a clean debug build beside the progenitor baseline, and incremental
//! rebuilds of the client. The synthetic crate's builds are in the scale section.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::baseline::{
    progenitor_baseline, synthetic_crate, Progenitor, PROGENITOR_CLEAN_BUILD_S, PROGENITOR_CRATES,
};
use super::cargo::{dependency_tree, rebuilds, timed_build};
use super::stats::{median, spread};
use super::{rel, Target, CLIENT, SYNTHETIC_OPS};
use crate::regenerate;

/// Rebuilds per measured configuration.
const REBUILDS: usize = 3;

/// Section 2: dependency trees, clean and incremental builds, the synthetic crate.
pub(super) fn crate_cost(
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
    let (clean, units) = build_client(cargo, root, &debug_dir, false)?;
    eprintln!("bench: clean debug build of a progenitor client (same-run baseline)");
    let progenitor = progenitor_baseline(cargo, root);

    let trees = Trees {
        ours: &ours,
        synthetic: &synthetic,
        synthetic_dir: &synthetic_dir,
    };
    dependency_table(&mut out, root, &trees, &progenitor, targets);
    clean_build(&mut out, clean, units, &progenitor, targets);

    eprintln!("bench: incremental rebuilds");
    let release_dir = scratch.join("cargo-release");
    client_rebuilds(&mut out, cargo, root, [&debug_dir, &release_dir], targets)?;

    out.push_str(
        "\nThe synthetic crate's builds, and a real spec's, are in section 4 (scale).\n\n",
    );
    Ok(out)
}

/// `cargo build -p CLIENT [--release]` into `dir`: how long it took, and the units.
fn build_client(
    cargo: &str,
    root: &Path,
    dir: &Path,
    release: bool,
) -> Result<(Duration, usize), String> {
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "-p", CLIENT])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", dir);
    if release {
        cmd.arg("--release");
    }
    timed_build(&mut cmd)
}

/// The dependency trees of the client and of the synthetic crate.
struct Trees<'a> {
    ours: &'a BTreeSet<String>,
    synthetic: &'a BTreeSet<String>,
    synthetic_dir: &'a Path,
}

fn has_tls(tree: &BTreeSet<String>) -> bool {
    ["rustls", "webpki-roots"]
        .iter()
        .all(|name| tree.iter().any(|c| c.starts_with(&format!("{name} "))))
}

fn tls_cell(yes: bool) -> &'static str {
    if yes {
        "rustls + webpki-roots"
    } else {
        "**none**"
    }
}

/// The crates table, and the target on the client's tree.
fn dependency_table(
    out: &mut String,
    root: &Path,
    trees: &Trees<'_>,
    progenitor: &Result<Progenitor, String>,
    targets: &mut Vec<Target>,
) {
    let ours = trees.ours;
    let tls = has_tls(ours);
    let reference = match progenitor {
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
        rel(root, trees.synthetic_dir),
        trees.synthetic.len(),
        tls_cell(has_tls(trees.synthetic)),
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
}

/// The clean debug build of the client beside the progenitor baseline, and its target.
fn clean_build(
    out: &mut String,
    clean: Duration,
    units: usize,
    progenitor: &Result<Progenitor, String>,
    targets: &mut Vec<Target>,
) {
    let clean_s = clean.as_secs_f64();
    let _ = writeln!(
        out,
        "\nClean debug build of `{CLIENT}` and its dependencies (`cargo build -p {CLIENT}` \
         into an empty target directory, the workspace's dev profile, sources already \
         downloaded), measured once: **{clean_s:.1} s**, {units} units compiled (build \
         scripts and build-dependencies included).\n"
    );
    match progenitor {
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
    targets.push(match progenitor {
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
}

/// Incremental rebuilds of the client after touching its `lib.rs`, debug then release
/// (each into its own target directory), and the target on the debug one.
fn client_rebuilds(
    out: &mut String,
    cargo: &str,
    root: &Path,
    [debug_dir, release_dir]: [&Path; 2],
    targets: &mut Vec<Target>,
) -> Result<(), String> {
    let build = |dir: &Path, release: bool| build_client(cargo, root, dir, release);
    let lib = root.join(regenerate::OUT).join("src/lib.rs");
    let mut rows = String::new();
    let mut debug_median = f64::NAN;
    let mut warm_release = Duration::ZERO;
    for (profile, dir) in [("debug", debug_dir), ("release", release_dir)] {
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
    Ok(())
}
