//! A generic OpenAPI 3.0 → Rust client generator.
//!
//! [`generate`] is a pure function: spec text in, a map of relative path → file text
//! out. The pipeline, one module per stage:
//!
//! 1. `load`: YAML → document, version gate first;
//! 2. `lower`: document → [`ir::Api`], with every problem collected as a
//!    [`Diagnostic`] pointing into the spec;
//! 3. `emit`: IR → token streams;
//! 4. `format`: token streams → text with `prettyplease`;
//! 5. writing files is the caller's job (the `xtask`).
//!
//! API-specific behaviour comes only from the spec: standard fields and the documented
//! `x-sdk-*` and `x-fern-sdk-*` extensions (see the workspace README).

mod diag;
mod emit;
mod format;
pub mod ir;
mod load;
mod lower;
pub mod naming;
mod output;
mod pointer;
mod runtime;
pub mod semver;
mod settings;
mod surface;

use std::collections::BTreeMap;
use std::time::Instant;

pub use diag::{Diagnostic, Diagnostics, Excerpt, Severity};
pub use output::{Output, Timings};
pub use runtime::{BOTH_WAYS, CRATE_FEATURES};
pub use settings::{ResourceFeatures, Settings, RESOURCE_FEATURES_MIN_OPERATIONS};

/// Generates a client crate from spec text. `file` names the spec in diagnostics.
pub fn generate(spec_text: &str, file: &str, settings: &Settings) -> Result<Output, Diagnostics> {
    let started = Instant::now();
    let (api, warnings, mut timings) = lower_timed(spec_text, file, settings.resource_features)?;
    let header = settings.header();
    let emitted = emit::emit(&api, settings);
    let emitter = emit::Emitter::new(&api, &settings.crate_name);
    let parts: Vec<(&str, emit::Part)> = emitted
        .modules
        .iter()
        .flat_map(|(path, parts)| parts.iter().map(move |part| (path.as_str(), *part)))
        .collect();
    let formatting = Instant::now();
    let formatted = format::format_parts(parts.len(), |i| {
        parts
            .get(i)
            .map(|(_, part)| emitter.part(*part))
            .unwrap_or_default()
    });
    let mut files = BTreeMap::new();
    let mut failures = Diagnostics::default();
    timings.format_wall = formatting.elapsed();
    timings.emit = formatted.spent.emit;
    timings.parse = formatted.spent.parse;
    timings.print = formatted.spent.print;
    timings.workers = formatted.workers;
    for ((path, _), text) in parts.iter().zip(formatted.texts) {
        match text {
            Ok(text) => files
                .entry((*path).to_owned())
                .or_insert_with(|| format!("// {header}\n"))
                .push_str(&text),
            Err(message) => failures.push(Diagnostic {
                severity: Severity::Error,
                file: file.to_owned(),
                pointer: "#".to_owned(),
                line: None,
                column: None,
                snippet: None,
                message: format!("internal error in {path}: {message}"),
                help: Some("this is a generator bug; please report it with the spec".to_owned()),
            }),
        }
    }
    if failures.has_errors() {
        return Err(failures);
    }
    for (path, text) in emitted.texts {
        files.insert(path, text);
    }
    for (name, source) in runtime::files() {
        files.insert(
            format!("src/runtime/{name}"),
            format!("// {header}\n{source}"),
        );
    }
    Ok(Output {
        surface: semver::surface(&api),
        crate_version: settings.version(api.crate_version.as_deref()),
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        resource_features: api.features().into_iter().map(str::to_owned).collect(),
        warnings: warnings.warnings().cloned().collect(),
        timings: Timings {
            total: started.elapsed(),
            ..timings
        },
    })
}

/// Loads and lowers a spec to the IR, returning it with any warnings; resource features
/// are decided as [`ResourceFeatures::Auto`] decides them.
pub fn lower_spec(spec_text: &str, file: &str) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    lower_timed(spec_text, file, ResourceFeatures::Auto).map(|(api, warnings, _)| (api, warnings))
}

fn lower_timed(
    spec_text: &str,
    file: &str,
    features: ResourceFeatures,
) -> Result<(ir::Api, Diagnostics, Timings), Diagnostics> {
    let started = Instant::now();
    let loaded = load::load(spec_text, file)?;
    let loaded_at = Instant::now();
    let mut reporter = diag::Reporter::new(file, &loaded.lines);
    let api = lower::lower(&loaded, features, &mut reporter);
    let mut diagnostics = loaded.warnings.clone();
    for d in reporter.finish().items() {
        diagnostics.push(d.clone());
    }
    let timings = Timings {
        load: loaded_at - started,
        lower: loaded_at.elapsed(),
        ..Timings::default()
    };
    match api {
        Some(api) if !diagnostics.has_errors() => Ok((api, diagnostics, timings)),
        _ => Err(diagnostics),
    }
}

/// A compact, reviewable summary of the client's surface: one line per method and type.
pub fn api_surface(api: &ir::Api) -> String {
    surface::render(api)
}
