//! The scale section's Markdown, its targets and its plot, from the measured builds.

use std::fmt::Write as _;

use super::build::{Build, INSTALL_TIME};
use super::plot::{self, Panel};
use super::{Crate, Deps, Measured, Subject, PLOT, TOUCHES};
use crate::bench::stats::median;
use crate::bench::Target;

/// The figure for a debug rebuild after a touch of a real crate of this size,
/// before this work; the target is half of it.
const REAL_TOUCH_BEFORE_S: f64 = 18.3;

/// The section's Markdown; pushes its targets.
pub(super) fn markdown(m: &Measured, targets: &mut Vec<Target>) -> String {
    let mut out = String::from("## 4. Scale: big crates\n\n");
    method(&mut out, m);
    table(&mut out, m);
    scaling(&mut out, m);
    push_targets(m, targets);
    out
}

fn method(out: &mut String, m: &Measured) {
    let progenitor = match &m.progenitor_deps {
        Ok((version, _)) => format!(
            "progenitor {version}: the same scratch crate as section 2's baseline, its \
             `generate_api!` over the same spec; its generation happens in the macro, so \
             inside its build"
        ),
        Err(why) => format!("no progenitor baseline in this run: {why}"),
    };
    let memory = if m.has_time {
        "rustc's peak memory is GNU time's maximum resident set over the build \
         (`/usr/bin/time -v cargo build`), which, with the dependencies already built, \
         is the crate's own rustc"
            .to_owned()
    } else {
        format!("rustc's peak memory: {INSTALL_TIME}")
    };
    let _ = writeln!(
        out,
        "Each crate is built with cargo's default profiles (`cargo build --offline \
         [--release]`, standalone). The dependencies of each generator are built once per \
         profile, through a crate with the same manifest and an empty `lib.rs`, into the \
         target directory its crates share; every other build times the crate alone, and \
         a clean build as a user sees it is the dependency row plus the crate's row. \
         Release builds are not incremental, so the release build of the crate alone is \
         exactly the work of a release rebuild after a touch, and is measured once (for \
         our crates only: a release build of a big crate takes minutes). Debug \
         rebuilds after touching `src/lib.rs` alternate between our crate and \
         progenitor's, {TOUCHES} each (median, min–max). Generation is \
         `codegen::generate` in process, release build (median of 3 or more). Baseline: \
         {progenitor}. {memory}.\n"
    );
}

/// The main table: a column per crate, a row per measurement.
fn table(out: &mut String, m: &Measured) {
    let version = m.progenitor_deps.as_ref().map_or("", |(v, _)| v.as_str());
    let mut head = String::from("| |");
    let mut rule = String::from("|---|");
    for s in &m.subjects {
        let _ = write!(
            head,
            " {}: ours | {}: progenitor {version} |",
            s.label, s.label
        );
        rule.push_str("---:|---:|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    let pdeps = m.progenitor_deps.as_ref().ok().map(|(_, d)| d);
    let rows: [(&str, &Cell<'_>); 12] = [
        ("operations / types", &|s, side| match side {
            Side::Ours(_) => format!("{} / {}", s.generate.operations, s.generate.types),
            Side::Progenitor(_) => String::new(),
        }),
        ("generate", &|s, side| match side {
            Side::Ours(_) => format!("{:.2} s", s.generate.secs),
            Side::Progenitor(_) => "in the build (macro)".to_owned(),
        }),
        (
            "emitted lines (`types.rs` + `client.rs`) + copied runtime",
            &|s, side| match side {
                Side::Ours(c) => format!("{} + {}", s.generate.lines, c.runtime_lines),
                Side::Progenitor(_) => "not on disk (macro)".to_owned(),
            },
        ),
        ("dependencies: clean debug build", &|_, side| {
            deps_cell(side, &m.deps, pdeps, |d| d.debug)
        }),
        (
            "crate alone: clean debug build, all features",
            &|_, side| crate_cell(side, |c| secs(c.debug)),
        ),
        (
            "clean debug build with dependencies, all features",
            &|_, side| {
                let deps = side_deps(side, &m.deps, pdeps).and_then(|d| d.debug);
                crate_cell(side, |c| sum(deps, c.debug))
            },
        ),
        ("crate alone: clean debug build, one feature", &|_, side| {
            crate_cell(side, |c| one_feature(c, |(_, clean, _)| secs(Some(*clean))))
        }),
        ("debug rebuild after a touch, all features", &|_, side| {
            crate_cell(side, |c| spread(&c.touches))
        }),
        ("debug rebuild after a touch, one feature", &|_, side| {
            crate_cell(side, |c| one_feature(c, |(_, _, t)| secs(Some(*t))))
        }),
        ("dependencies: clean release build", &|_, side| {
            deps_cell(side, &m.deps, pdeps, |d| d.release)
        }),
        ("release rebuild after a touch (crate alone)", &|_, side| {
            crate_cell(side, |c| secs(c.release))
        }),
        (
            "rustc peak memory: debug / rebuild after a touch / release",
            &|_, side| {
                crate_cell(side, |c| {
                    let touch = c.touches.iter().filter_map(|b| b.peak_kib).max();
                    format!(
                        "{} / {} / {}",
                        gb(c.debug.and_then(|b| b.peak_kib)),
                        gb(touch),
                        gb(c.release.and_then(|b| b.peak_kib))
                    )
                })
            },
        ),
    ];
    for (name, cell) in rows {
        let mut line = format!("| {name} |");
        for s in &m.subjects {
            let _ = write!(
                line,
                " {} | {} |",
                cell(s, Side::Ours(&s.ours)),
                cell(s, Side::Progenitor(&s.progenitor))
            );
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    for s in &m.subjects {
        notes(out, s);
    }
}

/// The per-subject lines under the table: features, ratios, progenitor's failure.
fn notes(out: &mut String, s: &Subject) {
    match &s.ours.one_feature {
        Some((feature, _, _)) => {
            let _ = writeln!(
                out,
                "- {}: {} resource features; \"one feature\" is `--no-default-features \
                 --features {feature}`, the first listed.",
                s.label, s.ours.features
            );
        }
        None => {
            let _ = writeln!(
                out,
                "- {}: no per-resource features in the generated manifest, so no \
                 one-feature build.",
                s.label
            );
        }
    }
    match &s.progenitor {
        Ok(p) if !p.touches.is_empty() => {
            let ours = median_secs(&s.ours.touches);
            let theirs = median_secs(&p.touches);
            let _ = writeln!(
                out,
                "- {}: debug rebuild after a touch, ours / progenitor's: {:.2}.",
                s.label,
                ours / theirs
            );
        }
        Ok(_) => {}
        Err(why) => {
            let _ = writeln!(
                out,
                "- {}: progenitor cannot generate a client of this spec: `{}`",
                s.label,
                why.replace('`', "'")
            );
        }
    }
}

/// The scaling table and the embedded plot.
fn scaling(out: &mut String, m: &Measured) {
    let _ = writeln!(
        out,
        "\n### Scaling\n\nThe synthetic spec at growing sizes (every operation the same \
         shape): generation, and a debug build of the crate alone (dependencies built), \
         per operation. A flat line is linear cost.\n\n![time per operation against \
         operation count]({PLOT})\n\n\
         | operations | generate | per operation | emitted lines | debug build, crate alone | per operation |\n\
         |---:|---:|---:|---:|---:|---:|"
    );
    for p in &m.points {
        let n = p.operations as f64;
        let build = p
            .build
            .map_or_else(|| "not built".to_owned(), |b| format!("{:.1} s", b.secs));
        let per = p
            .build
            .map_or_else(String::new, |b| format!("{:.0} ms", 1e3 * b.secs / n));
        let _ = writeln!(
            out,
            "| {} | {:.0} ms | {:.2} ms | {} | {build} | {per} |",
            p.operations,
            1e3 * p.generate.secs,
            1e3 * p.generate.secs / n,
            p.generate.lines
        );
    }
    out.push('\n');
}

fn push_targets(m: &Measured, targets: &mut Vec<Target>) {
    let mut push = |name: String, measured: String, target: &str, met: bool| {
        targets.push(Target {
            name,
            measured,
            target: target.to_owned(),
            met,
        });
    };
    if let Some(p) = m.points.iter().max_by_key(|p| p.operations) {
        push(
            format!("generation, {} operations (synthetic)", p.operations),
            format!("{:.0} ms", 1e3 * p.generate.secs),
            "< 1 s",
            p.generate.secs < 1.0,
        );
    }
    let deps = m.deps.debug.map_or(f64::NAN, |b| b.secs);
    if let Some(s) = m.subjects.iter().find(|s| s.synthetic) {
        let clean = deps + s.ours.debug.map_or(f64::NAN, |b| b.secs);
        let name = |what: &str| format!("{}: {what}", s.label);
        push(
            name("clean debug build, all features"),
            format!("{clean:.1} s"),
            "≤ 110 s",
            clean <= 110.0,
        );
        let (one, met) = match &s.ours.one_feature {
            Some((f, b, _)) => (
                format!("{:.1} s (`{f}`)", deps + b.secs),
                deps + b.secs <= 35.0,
            ),
            None => ("no per-resource features".to_owned(), false),
        };
        push(name("clean debug build, one resource"), one, "≤ 35 s", met);
        let release = s.ours.release.map_or(f64::NAN, |b| b.secs);
        push(
            name("release rebuild"),
            format!("{release:.1} s"),
            "≤ 240 s",
            release <= 240.0,
        );
    }
    if let Some(s) = m.subjects.iter().find(|s| !s.synthetic) {
        let name = |what: &str| format!("{}: {what}", s.label);
        let touch = median_secs(&s.ours.touches);
        push(
            name("debug rebuild after a touch"),
            format!("{touch:.2} s"),
            &format!(
                "≤ {:.2} s (half of {REAL_TOUCH_BEFORE_S} s)",
                REAL_TOUCH_BEFORE_S / 2.0
            ),
            touch <= REAL_TOUCH_BEFORE_S / 2.0,
        );
        let peak = s.ours.touches.iter().filter_map(|b| b.peak_kib).max();
        push(
            name("rustc peak memory, rebuild after a touch"),
            gb(peak),
            "≤ 1.5 GB",
            peak.is_some_and(|k| k as f64 * 1024.0 <= 1.5e9),
        );
        let (one, met) = match &s.ours.one_feature {
            Some((f, _, t)) => (format!("{:.2} s (`{f}`)", t.secs), t.secs <= 3.0),
            None => ("no per-resource features".to_owned(), false),
        };
        push(
            name("debug rebuild after a touch, one feature"),
            one,
            "≤ 3 s",
            met,
        );
    }
    for s in &m.subjects {
        if let Ok(p) = &s.progenitor {
            let (ours, theirs) = (median_secs(&s.ours.touches), median_secs(&p.touches));
            push(
                format!("{}: debug rebuild after a touch vs progenitor", s.label),
                format!("{ours:.2} s vs {theirs:.2} s"),
                "≤ progenitor, same run",
                ours <= theirs,
            );
        }
    }
}

/// The plot: generation and debug build per operation against operations.
pub(super) fn svg(m: &Measured) -> String {
    let generate: Vec<(usize, f64)> = m
        .points
        .iter()
        .map(|p| (p.operations, 1e3 * p.generate.secs / p.operations as f64))
        .collect();
    let build: Vec<(usize, f64)> = m
        .points
        .iter()
        .filter_map(|p| {
            p.build
                .map(|b| (p.operations, b.secs / p.operations as f64))
        })
        .collect();
    let real = m.subjects.iter().find(|s| !s.synthetic);
    let per_op = |s: &Subject, v: f64| v / s.generate.operations.max(1) as f64;
    plot::svg(&[
        Panel {
            title: "generate (in process)",
            unit: "ms per operation",
            synthetic: &generate,
            real: real.map(|s| {
                (
                    s.name.as_str(),
                    s.generate.operations,
                    per_op(s, 1e3 * s.generate.secs),
                )
            }),
        },
        Panel {
            title: "debug build of the crate alone",
            unit: "s per operation",
            synthetic: &build,
            real: real.and_then(|s| {
                s.ours
                    .debug
                    .map(|b| (s.name.as_str(), s.generate.operations, per_op(s, b.secs)))
            }),
        },
    ])
}

/// How a row shows one column of one subject.
type Cell<'m> = dyn Fn(&Subject, Side<'_>) -> String + 'm;

/// Which column a cell is in.
#[derive(Clone, Copy)]
enum Side<'a> {
    Ours(&'a Crate),
    Progenitor(&'a Result<Crate, String>),
}

fn side_deps<'a>(side: Side<'_>, ours: &'a Deps, progenitor: Option<&'a Deps>) -> Option<&'a Deps> {
    match side {
        Side::Ours(_) => Some(ours),
        Side::Progenitor(_) => progenitor,
    }
}

fn deps_cell(
    side: Side<'_>,
    ours: &Deps,
    progenitor: Option<&Deps>,
    pick: impl Fn(&Deps) -> Option<Build>,
) -> String {
    secs(side_deps(side, ours, progenitor).and_then(pick))
}

/// A crate's cell, or a dash where progenitor has no crate.
fn crate_cell(side: Side<'_>, show: impl Fn(&Crate) -> String) -> String {
    match side {
        Side::Ours(c) | Side::Progenitor(Ok(c)) => show(c),
        Side::Progenitor(Err(_)) => "—".to_owned(),
    }
}

fn one_feature(c: &Crate, show: impl Fn(&(String, Build, Build)) -> String) -> String {
    c.one_feature
        .as_ref()
        .map_or_else(|| "no per-resource features".to_owned(), show)
}

fn secs(b: Option<Build>) -> String {
    b.map_or_else(|| "—".to_owned(), |b| format!("{:.1} s", b.secs))
}

fn sum(a: Option<Build>, b: Option<Build>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.1} s", a.secs + b.secs),
        _ => "—".to_owned(),
    }
}

fn median_secs(builds: &[Build]) -> f64 {
    let mut v: Vec<f64> = builds.iter().map(|b| b.secs).collect();
    median(&mut v)
}

/// `median s (min–max)` of builds, or a dash.
fn spread(builds: &[Build]) -> String {
    if builds.is_empty() {
        return "—".to_owned();
    }
    let v: Vec<f64> = builds.iter().map(|b| b.secs).collect();
    crate::bench::stats::spread(&v)
}

/// Decimal gigabytes, as the targets are stated.
fn gb(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "—".to_owned(),
        |k| format!("{:.2} GB", k as f64 * 1024.0 / 1e9),
    )
}
