//! Codegen speed, in process: `codegen::generate` on the real spec and on synthetic
//! specs of growing size, with the stage breakdown the generator reports itself
//! (`Output::timings`) for the very runs that are timed.

use std::fmt::Write;
use std::time::{Duration, Instant};

use codegen::{Settings, Timings};

use crate::report::{Report, Target};
use crate::stats::{num, runs_within, secs, time_runs, Samples};
use crate::synth;

struct Case {
    name: String,
    text: String,
}

struct Measured {
    name: String,
    operations: usize,
    types: usize,
    yaml_kib: f64,
    parse: Samples,
    typed: Samples,
    generate: Samples,
    stages: Vec<Timings>,
    lines_emitted: usize,
    lines_runtime: usize,
}

/// `benches profile-codegen N`: one `generate` of a synthetic spec, for callgrind.
pub fn profile(operations: usize) -> Result<(), String> {
    let text = synth::spec(operations);
    let settings = Settings {
        crate_name: "bench-client".to_owned(),
        crate_version: Some("0.1.0".to_owned()),
        description: "benchmark".to_owned(),
        command: "cargo xtask bench".to_owned(),
        standalone: true,
        resource_features: codegen::ResourceFeatures::Auto,
    };
    codegen::generate(&text, "synthetic", &settings)
        .map(drop)
        .map_err(|d| d.to_string())
}

/// `benches generate-time SPEC`: `seconds operations types lines`, tab-separated, where
/// seconds is the median of the timed runs of `generate` and lines are the emitted
/// `types.rs` and `client.rs`.
pub fn time_file(name: &str, text: &str, budget: Duration) -> Result<(), String> {
    let case = Case {
        name: name.to_owned(),
        text: text.to_owned(),
    };
    let m = measure(&case, budget)?;
    println!(
        "{}\t{}\t{}\t{}",
        m.generate.median(),
        m.operations,
        m.types,
        m.lines_emitted
    );
    Ok(())
}

pub fn run(report: &mut Report, spec_text: &str, budget: Duration) -> Result<(), String> {
    let mut cases = vec![Case {
        name: "spec/token_validation.yaml".to_owned(),
        text: spec_text.to_owned(),
    }];
    for n in [100, 1_000, 5_000] {
        cases.push(Case {
            name: format!("synthetic {n}"),
            text: synth::spec(n),
        });
    }
    let mut results = Vec::new();
    for case in &cases {
        eprintln!("bench: codegen {}", case.name);
        results.push(measure(case, budget)?);
    }

    let out = &mut report.body;
    write_speed(out, &results);
    let flat = write_scaling(out, &results);
    write_stages(out, &results);
    write_sizes(out, &results);
    targets(report, &results, flat);
    Ok(())
}

/// The method paragraph and the speed table.
fn write_speed(out: &mut String, results: &[Measured]) {
    out.push_str("## 1. Codegen speed\n\n");
    out.push_str(
        "`codegen::generate` in process, release build. Each figure is the median of n runs \
         (n adapts to a time budget per stage, 3–30; short stages get an untimed warm-up \
         run first), with min–max and the interquartile range. Baseline: `serde_yaml::from_str::<serde_yaml::Value>` of the \
         same text, measured in the same run.\n\n",
    );
    out.push_str(
        "| spec | ops | types | YAML | generate (total) | per operation | baseline: YAML parse | generate / parse |\n\
         |---|---:|---:|---:|---|---:|---|---:|\n",
    );
    for m in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} KiB | {} | {} | {} | {:.1}× |",
            m.name,
            m.operations,
            m.types,
            m.yaml_kib,
            m.generate.spread(secs),
            secs(m.generate.median() / m.operations as f64),
            secs(m.parse.median()),
            m.generate.median() / m.parse.median(),
        );
    }
}

/// The scaling paragraph over the synthetic sizes; returns largest / smallest time per
/// operation.
fn write_scaling(out: &mut String, results: &[Measured]) -> f64 {
    let synthetic: Vec<&Measured> = results.iter().skip(1).collect();
    let per_op: Vec<f64> = synthetic
        .iter()
        .map(|m| m.generate.median() / m.operations as f64)
        .collect();
    let growth = |v: &[f64]| {
        v.iter().copied().fold(f64::MIN, f64::max) / v.iter().copied().fold(f64::MAX, f64::min)
    };
    let flat = growth(&per_op);
    let best_per_op: Vec<f64> = synthetic
        .iter()
        .map(|m| m.generate.min() / m.operations as f64)
        .collect();
    let parse_per_op: Vec<f64> = synthetic
        .iter()
        .map(|m| m.parse.median() / m.operations as f64)
        .collect();
    let _ = writeln!(
        out,
        "\nScaling: time per operation from 100 to 5,000 operations is {} (largest / smallest \
         = {:.2}; \"flat\" is taken as ≤ 1.25); with the fastest run of each size instead \
         of the median, {:.2}. The baseline's YAML parse per operation, \
         which is linear by construction, moves by {:.2} over the same range: what the two \
         share is the memory hierarchy (the working set grows from a few hundred KiB to tens \
         of MiB).\n",
        per_op
            .iter()
            .zip(&synthetic)
            .map(|(t, m)| format!("{} at {}", secs(*t), m.operations))
            .collect::<Vec<_>>()
            .join(", "),
        flat,
        growth(&best_per_op),
        growth(&parse_per_op),
    );
    flat
}

/// The stage breakdown table and its notes.
fn write_stages(out: &mut String, results: &[Measured]) {
    out.push_str("### Stage breakdown (medians)\n\n");
    out.push_str(
        "| spec | baseline: YAML parse | floor: parse + type (openapiv3) | 1. load | 2. lower | 3–4. emit + format, elapsed | workers | 3. emit (quote), CPU | 4a. `syn::parse2`, CPU | 4b. prettyplease, CPU | total |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for m in results {
        let g = m.generate.median();
        let stage = |f: &dyn Fn(&Timings) -> Duration| {
            Samples::new(m.stages.iter().map(|t| f(t).as_secs_f64()).collect()).median()
        };
        let share = |v: f64| format!("{} ({:.0}%)", secs(v), 100.0 * v / g);
        let workers = m.stages.first().map_or(0, |t| t.workers);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.name,
            secs(m.parse.median()),
            secs(m.typed.median()),
            share(stage(&|t| t.load)),
            share(stage(&|t| t.lower)),
            share(stage(&|t| t.format_wall)),
            workers,
            secs(stage(&|t| t.emit)),
            secs(stage(&|t| t.parse)),
            secs(stage(&|t| t.print)),
            secs(g),
        );
    }
    out.push_str(
        "\nStages 1 and 2 run on one thread; shares are of the total. Stages 3 and 4 run \
         item by item (one type, resource or parameter struct at a time) on the workers, \
         each of which emits, parses and prints the items it takes: their CPU columns are \
         summed over the workers, and the elapsed column is what the run waited for. \
         The floor is `serde_yaml::from_str::<openapiv3::OpenAPI>`, the least any loader \
         that types the document must do; the load stage also converts to a JSON tree \
         (for pointers and extensions) and checks schemas structurally.\n\n",
    );
}

/// The generated code size table.
fn write_sizes(out: &mut String, results: &[Measured]) {
    out.push_str("### Generated code size\n\n");
    out.push_str(
        "| spec | ops | emitted lines (types.rs + client.rs) | per operation | runtime lines (src/runtime, same for every crate) |\n\
         |---|---:|---:|---:|---:|\n",
    );
    for m in results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            m.name,
            m.operations,
            m.lines_emitted,
            num(m.lines_emitted as f64 / m.operations as f64),
            m.lines_runtime
        );
    }
    out.push('\n');
}

/// The targets: our spec, 1,000 operations, and flat time per operation.
fn targets(report: &mut Report, results: &[Measured], flat: f64) {
    let ours = &results[0];
    report.target(Target::new(
        "codegen, our spec",
        secs(ours.generate.median()),
        "< 20 ms",
        ours.generate.median() < 0.020,
    ));
    if let Some(k) = results.iter().find(|m| m.operations == 1_000) {
        report.target(Target::new(
            "codegen, 1,000 operations",
            secs(k.generate.median()),
            "< 1 s",
            k.generate.median() < 1.0,
        ));
    }
    report.target(Target::new(
        "codegen time per op flat, 100 → 5,000",
        format!("max/min per-op = {flat:.2}"),
        "≤ 1.25",
        flat <= 1.25,
    ));
}

fn measure(case: &Case, budget: Duration) -> Result<Measured, String> {
    let settings = Settings {
        crate_name: "bench-client".to_owned(),
        crate_version: Some("0.1.0".to_owned()),
        description: "benchmark".to_owned(),
        command: "cargo xtask bench".to_owned(),
        standalone: true,
        resource_features: codegen::ResourceFeatures::Auto,
    };
    let text = case.text.as_str();
    let started = Instant::now();
    let output = codegen::generate(text, &case.name, &settings)
        .map_err(|d| format!("{}: the generator rejected the spec:\n{d}", case.name))?;
    let once = started.elapsed();
    let runs = |once: Duration| runs_within(budget, once, 3, 30);
    // A stage that takes a good part of the budget has been warmed by the untimed run
    // above (or is long enough not to care); only short ones get a warm-up of their own.
    let warm = |once: Duration| once < budget / 4;

    let mut totals = Vec::new();
    let mut stages = Vec::new();
    for _ in 0..runs(once) {
        let started = Instant::now();
        let output = std::hint::black_box(codegen::generate(text, &case.name, &settings))
            .map_err(|d| format!("{}: the generator rejected the spec:\n{d}", case.name))?;
        totals.push(started.elapsed().as_secs_f64());
        stages.push(output.timings);
    }
    let generate = Samples::new(totals);
    let parse = time_runs(runs(once / 10), warm(once / 10), || {
        let _ = std::hint::black_box(serde_yaml::from_str::<serde_yaml::Value>(text));
    });
    let typed = time_runs(runs(once / 5), warm(once / 5), || {
        let _ = std::hint::black_box(serde_yaml::from_str::<openapiv3::OpenAPI>(text));
    });

    let lines = |pred: &dyn Fn(&str) -> bool| -> usize {
        output
            .files
            .iter()
            .filter(|(path, _)| pred(path))
            .map(|(_, text)| text.lines().count())
            .sum()
    };
    Ok(Measured {
        name: case.name.clone(),
        operations: output.operations,
        types: output.types,
        yaml_kib: text.len() as f64 / 1024.0,
        parse,
        typed,
        generate,
        stages,
        lines_emitted: lines(&|p| p == "src/types.rs" || p == "src/client.rs"),
        lines_runtime: lines(&|p| p.starts_with("src/runtime/")),
    })
}
