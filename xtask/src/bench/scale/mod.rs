//! The scale section (`cargo xtask bench --scale`): what a big generated crate costs its
//! users, for a real public spec and for the synthetic 1,000-operation crate, beside a
//! progenitor client of the same spec built in the same run; and the scaling plot.
//!
//! Every crate of one generator shares one target directory, and a crate with the same
//! manifest and an empty `lib.rs` is built first. So the dependencies are built once per
//! generator and profile (reported on their own row), every later build times the crate
//! alone, and GNU time's peak memory is the crate's own rustc. A clean build as a user
//! sees it is the sum of the two rows. Release builds are not incremental, so a release
//! build of the crate alone is exactly what a release rebuild after a touch redoes; it
//! is measured once per crate of ours (progenitor's are not built in release, to keep
//! the section near half an hour). Debug rebuilds after a touch alternate between our crate
//! and progenitor's.
//!
//! With `BENCH_SCALE_SMOKE` set in the environment, the same steps run on tiny
//! synthetic specs (a few minutes), to check the bench itself after a change; its figures
//! mean nothing, and the block it writes should not be committed.
//!
//! Children: `build` (one timed cargo build with peak memory, manifests, line counts),
//! `plot` (the SVG), `report` (the Markdown).

mod build;
mod plot;
mod report;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::baseline::{progenitor_crate, synthetic_spec};
use super::cargo::dependency_tree;
use super::Target;
use crate::messages::MessageFormat;
use crate::regenerate;

use build::{deps_crate, resource_features, rust_lines, touch, Build, Cargo};

/// The real spec: the largest in the repository's corpus.
const REAL_SPEC: &str = "tests/fixtures/real-world/stripe-spec3.yaml";
const REAL_NAME: &str = "stripe";
/// Synthetic sizes for the plot; generation is timed at all of them, a debug build
/// at those below the synthetic subject's (whose build is the measured one).
const SIZES: [usize; 5] = [100, 250, 500, 1_000, 1_500];
/// The synthetic subject.
const SYNTHETIC: usize = 1_000;
/// Debug rebuilds after a touch, per crate, alternating with the baseline's.
const TOUCHES: usize = 2;
/// The SVG the bench writes beside the report, and the report embeds.
pub(super) const PLOT: &str = "BENCHMARKS-scale.svg";

/// One spec whose crates are measured in full.
struct Subject {
    /// The synthetic subject, rather than the real spec.
    synthetic: bool,
    name: String,
    label: String,
    spec: PathBuf,
    generate: Generated,
    ours: Crate,
    progenitor: Result<Crate, String>,
}

/// `benches generate-time` of one spec.
#[derive(Debug, Clone, Copy, Default)]
struct Generated {
    secs: f64,
    operations: usize,
    types: usize,
    lines: usize,
}

/// The measured builds of one crate.
#[derive(Debug, Default)]
struct Crate {
    dir: PathBuf,
    runtime_lines: usize,
    debug: Option<Build>,
    touches: Vec<Build>,
    /// `(feature, clean build, rebuild after touch)`, or none without resource features.
    one_feature: Option<(String, Build, Build)>,
    features: usize,
    release: Option<Build>,
}

/// The dependency builds of one generator.
#[derive(Debug, Default)]
struct Deps {
    debug: Option<Build>,
    release: Option<Build>,
}

/// A point of the scaling plot: generation, and a debug build of the crate alone.
struct Point {
    operations: usize,
    generate: Generated,
    build: Option<Build>,
}

/// Everything the section reports.
struct Measured {
    subjects: Vec<Subject>,
    deps: Deps,
    progenitor_deps: Result<(String, Deps), String>,
    points: Vec<Point>,
    has_time: bool,
}

/// Runs the scale section: its Markdown, the SVG text, and its targets.
pub(super) fn scale(
    root: &Path,
    cargo: &str,
    binary: &Path,
    scratch: &Path,
    targets: &mut Vec<Target>,
) -> Result<(String, String), String> {
    let smoke = std::env::var_os("BENCH_SCALE_SMOKE").is_some();
    let dir = scratch.join(if smoke { "scale-smoke" } else { "scale" });
    let specs = dir.join("specs");
    fs::create_dir_all(&specs).map_err(|e| format!("cannot create {}: {e}", specs.display()))?;
    let cargo = Cargo::new(cargo);
    let (sizes, synthetic_n): (&[usize], usize) = if smoke {
        (&[10, 20, 40], 20)
    } else {
        (&SIZES, SYNTHETIC)
    };

    eprintln!("bench scale: generation times");
    let mut points = Vec::new();
    for &n in sizes {
        let spec = specs.join(format!("synthetic-{n}.yaml"));
        synthetic_spec(binary, n, &spec)?;
        points.push(Point {
            operations: n,
            generate: generate_time(binary, &spec)?,
            build: None,
        });
    }
    let mut subjects = subjects(root, binary, &specs, smoke, synthetic_n)?;
    let lock = root.join("Cargo.lock");
    for s in &mut subjects {
        s.ours.dir = write_crate(&s.spec, &dir.join(&s.name), &s.name, &lock)?;
        s.ours.runtime_lines = rust_lines(&s.ours.dir.join("src/runtime"));
    }

    let target = dir.join("target");
    let ptarget = dir.join("target-progenitor");
    // Every build below is timed as a clean one: what an earlier, perhaps interrupted,
    // run left would be reused by incremental compilation.
    for stale in [&target, &ptarget] {
        match fs::remove_dir_all(stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("cannot remove {}: {e}", stale.display()));
            }
            _ => {}
        }
    }
    let mut measured = Measured {
        deps: Deps::default(),
        progenitor_deps: progenitor_deps(&cargo, &dir),
        subjects: Vec::new(),
        points: Vec::new(),
        has_time: cargo.has_time,
    };
    eprintln!("bench scale: dependencies (debug)");
    let deps_dir = dir.join("deps");
    let manifest = read(&subjects[0].ours.dir.join("Cargo.toml"))?;
    deps_crate(&manifest, &deps_dir, &lock)?;
    measured.deps.debug = Some(cargo.build(&deps_dir, &target, &[])?);
    if let Ok((_, deps)) = &mut measured.progenitor_deps {
        deps.debug = Some(cargo.build(&dir.join("progenitor-deps"), &ptarget, &[])?);
    }
    for s in &mut subjects {
        debug_builds(
            &cargo,
            s,
            &dir,
            [&target, &ptarget],
            &measured.progenitor_deps,
        )?;
    }

    eprintln!("bench scale: debug builds for the plot");
    for p in &mut points {
        if p.operations == synthetic_n {
            p.build = subjects[1].ours.debug;
        } else if p.operations < synthetic_n {
            let name = format!("synthetic-{}", p.operations);
            let spec = specs.join(format!("{name}.yaml"));
            let crate_dir = write_crate(&spec, &dir.join(&name), &name, &lock)?;
            p.build = Some(cargo.build(&crate_dir, &target, &[])?);
        }
    }

    eprintln!("bench scale: release builds");
    release_builds(&cargo, &mut measured, &mut subjects, [&deps_dir, &target])?;
    measured.subjects = subjects;
    measured.points = points;
    let svg = report::svg(&measured);
    Ok((report::markdown(&measured, targets), svg))
}

/// The two measured subjects: the real spec (a small synthetic one in a smoke run) and
/// the synthetic crate, their generation timed.
fn subjects(
    root: &Path,
    binary: &Path,
    specs: &Path,
    smoke: bool,
    synthetic_n: usize,
) -> Result<Vec<Subject>, String> {
    let real = if smoke {
        Subject::new(
            false,
            "smoke-real",
            "smoke: synthetic 10 as the real spec",
            specs.join("synthetic-10.yaml"),
            binary,
        )?
    } else {
        Subject::new(
            false,
            REAL_NAME,
            &format!("`{REAL_SPEC}`"),
            root.join(REAL_SPEC),
            binary,
        )?
    };
    let synthetic = Subject::new(
        true,
        &format!("synthetic-{synthetic_n}"),
        &format!("synthetic {synthetic_n}"),
        specs.join(format!("synthetic-{synthetic_n}.yaml")),
        binary,
    )?;
    Ok(vec![real, synthetic])
}

/// The release builds: our dependencies, then each of our crates alone, once.
/// Progenitor's crates are not built in release: each release build of a big crate
/// takes minutes, and the section should stay near half an hour.
fn release_builds(
    cargo: &Cargo,
    measured: &mut Measured,
    subjects: &mut [Subject],
    [deps_dir, target]: [&Path; 2],
) -> Result<(), String> {
    measured.deps.release = Some(cargo.build(deps_dir, target, &["--release"])?);
    for s in subjects {
        s.ours.release = Some(cargo.build(&s.ours.dir, target, &["--release"])?);
    }
    Ok(())
}

impl Subject {
    fn new(
        synthetic: bool,
        name: &str,
        label: &str,
        spec: PathBuf,
        binary: &Path,
    ) -> Result<Self, String> {
        Ok(Subject {
            synthetic,
            name: name.to_owned(),
            label: label.to_owned(),
            generate: generate_time(binary, &spec)?,
            spec,
            ours: Crate::default(),
            progenitor: Err("not built".to_owned()),
        })
    }
}

/// The debug builds of one subject: ours and progenitor's crate alone, rebuilds after a
/// touch (alternating), and one resource feature alone.
fn debug_builds(
    cargo: &Cargo,
    s: &mut Subject,
    dir: &Path,
    [target, ptarget]: [&Path; 2],
    progenitor_deps: &Result<(String, Deps), String>,
) -> Result<(), String> {
    eprintln!("bench scale: {}: debug builds", s.name);
    s.ours.debug = Some(cargo.build(&s.ours.dir, target, &[])?);
    s.progenitor = match progenitor_deps {
        Ok(_) => progenitor_subject(cargo, s, dir, ptarget),
        Err(why) => Err(why.clone()),
    };
    let lib = s.ours.dir.join("src/lib.rs");
    for _ in 0..TOUCHES {
        touch(&lib)?;
        s.ours.touches.push(cargo.build(&s.ours.dir, target, &[])?);
        if let Ok(p) = &mut s.progenitor {
            touch(&p.dir.join("src/lib.rs"))?;
            p.touches.push(cargo.build(&p.dir, ptarget, &[])?);
        }
    }
    let features = resource_features(&read(&s.ours.dir.join("Cargo.toml"))?);
    s.ours.features = features.len();
    if let Some(feature) = features.first() {
        let args = ["--no-default-features", "--features", feature.as_str()];
        let clean = cargo.build(&s.ours.dir, target, &args)?;
        touch(&lib)?;
        let touched = cargo.build(&s.ours.dir, target, &args)?;
        s.ours.one_feature = Some((feature.clone(), clean, touched));
    }
    Ok(())
}

/// Progenitor's client of the subject's spec, built once in debug; the error is the
/// reason when progenitor cannot generate one.
fn progenitor_subject(
    cargo: &Cargo,
    s: &Subject,
    dir: &Path,
    ptarget: &Path,
) -> Result<Crate, String> {
    let crate_dir = dir.join(format!("progenitor-{}", s.name));
    let spec = fs::read(&s.spec).map_err(|e| format!("cannot read {}: {e}", s.spec.display()))?;
    progenitor_crate(&crate_dir, &format!("progenitor-{}", s.name), Some(&spec))?;
    copy(
        &dir.join("progenitor-deps/Cargo.lock"),
        &crate_dir.join("Cargo.lock"),
    )?;
    let debug = cargo.build(&crate_dir, ptarget, &[])?;
    Ok(Crate {
        dir: crate_dir,
        debug: Some(debug),
        ..Crate::default()
    })
}

/// The progenitor dependency crate, fetched (the only step that may need the
/// registry): progenitor's version, or why there is no baseline.
fn progenitor_deps(cargo: &Cargo, dir: &Path) -> Result<(String, Deps), String> {
    let deps_dir = dir.join("progenitor-deps");
    progenitor_crate(&deps_dir, "progenitor-deps", None)?;
    cargo.fetch(&deps_dir)?;
    let tree = dependency_tree(
        cargo
            .command()
            .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
            .current_dir(&deps_dir),
    )?;
    let version = tree
        .iter()
        .find_map(|c| c.strip_prefix("progenitor v"))
        .unwrap_or("0.15")
        .to_owned();
    Ok((version, Deps::default()))
}

/// Writes our crate for `spec` into `dir/crate`, with the workspace's lock file so that
/// no registry access is needed; its runtime lines are counted by the caller.
fn write_crate(spec: &Path, dir: &Path, name: &str, lock: &Path) -> Result<PathBuf, String> {
    let crate_dir = dir.join("crate");
    // Warnings are the spec's business here, and the real spec has many.
    regenerate::generate(
        spec,
        &crate_dir,
        Some(name),
        MessageFormat::Json,
        false,
        codegen::ResourceFeatures::Auto,
    )?;
    copy(lock, &crate_dir.join("Cargo.lock"))?;
    Ok(crate_dir)
}

/// `benches generate-time SPEC`: the median time of an in-process `generate`, release.
fn generate_time(binary: &Path, spec: &Path) -> Result<Generated, String> {
    let output = Command::new(binary)
        .arg("generate-time")
        .arg(spec)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the bench binary could not generate from {}: {}",
            spec.display(),
            build::first_error(&String::from_utf8_lossy(&output.stderr))
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let f: Vec<&str> = text.trim().split('\t').collect();
    match f[..] {
        [secs, operations, types, lines] => Ok(Generated {
            secs: secs.parse().map_err(|_| format!("not seconds: {secs}"))?,
            operations: operations.parse().unwrap_or(0),
            types: types.parse().unwrap_or(0),
            lines: lines.parse().unwrap_or(0),
        }),
        _ => Err(format!("unexpected output of generate-time: {text}")),
    }
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
