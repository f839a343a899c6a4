//! The in-process half of `cargo xtask bench` (which builds this in release and runs
//! it): codegen speed and client overhead, printed as Markdown for `BENCHMARKS.md`.
//!
//! - `benches all SPEC` (or `codegen SPEC`, `client`): run and print the sections;
//! - `benches synth N`: print a synthetic spec of N operations (the xtask writes it to
//!   disk to generate and measure a standalone crate from it);
//! - `benches generate-time SPEC`: the median time of `generate` on one spec, with its
//!   size, as one tab-separated line (for the xtask's scale section);
//! - `benches profile get|list generated|baseline N`: N requests of one client, to run
//!   under `valgrind --tool=callgrind`; `benches profile-codegen N`: one `generate` of
//!   a synthetic spec of N operations, likewise.

mod alloc;
mod client_overhead;
mod codegen_speed;
mod decode;
mod report;
mod server;
mod stats;
mod synth;

use std::process::ExitCode;
use std::time::Duration;

use report::Report;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "usage: benches all SPEC | codegen SPEC | client | synth N | generate-time SPEC
       benches profile get|list generated|baseline N | profile-codegen N";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let read = |path: &String| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    };
    let mut report = Report::default();
    match args {
        [cmd, spec] if cmd == "all" => {
            codegen_speed::run(&mut report, &read(spec)?, CODEGEN_BUDGET)?;
            client_overhead::run(&mut report)?;
        }
        [cmd, spec] if cmd == "codegen" => {
            codegen_speed::run(&mut report, &read(spec)?, CODEGEN_BUDGET)?;
        }
        [cmd] if cmd == "client" => client_overhead::run(&mut report)?,
        [cmd, spec] if cmd == "generate-time" => {
            return codegen_speed::time_file(spec, &read(spec)?, CODEGEN_BUDGET);
        }
        [cmd, endpoint, which, n] if cmd == "profile" => {
            let n: usize = n
                .parse()
                .map_err(|_| format!("not a count: {n}\n{USAGE}"))?;
            return client_overhead::profile(endpoint, which, n);
        }
        [cmd, n] if cmd == "profile-codegen" => {
            let n: usize = n
                .parse()
                .map_err(|_| format!("not a count: {n}\n{USAGE}"))?;
            return codegen_speed::profile(n);
        }
        [cmd, n] if cmd == "synth" => {
            let n: usize = n
                .parse()
                .map_err(|_| format!("not a count: {n}\n{USAGE}"))?;
            print!("{}", synth::spec(n));
            return Ok(());
        }
        _ => return Err(USAGE.to_owned()),
    }
    report.print();
    Ok(())
}

/// Time spent on each measured stage of each spec (at least 3 runs, at most 30).
const CODEGEN_BUDGET: Duration = Duration::from_secs(2);
