//! What [`crate::generate`] gives back: the files, counts, warnings and timings.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::semver::Surface;

/// A generated crate.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative path → file text, in path order.
    pub files: BTreeMap<String, String>,
    /// The crate's API surface, for the version check.
    pub surface: Surface,
    /// The crate's version: the settings' override, the spec's `info.x-crate-version`,
    /// or `0.1.0`.
    pub crate_version: String,
    /// The number of operations generated.
    pub operations: usize,
    /// The number of named types generated.
    pub types: usize,
    /// The per-resource Cargo features of the crate, sorted by name; empty when they are
    /// off.
    pub resource_features: Vec<String>,
    /// Warnings found on the way; errors would have stopped generation.
    pub warnings: Vec<Diagnostic>,
    /// Where the time went; never part of the files.
    pub timings: Timings,
}

/// Time spent in each stage of one [`crate::generate`].
///
/// Emitting and formatting run part by part on `workers` threads: their stages are CPU
/// time summed over the workers, and `format_wall` is the elapsed time of the whole
/// parallel stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Stage 1: YAML parse, version gate, structural checks and typing.
    pub load: Duration,
    /// Stage 2: lowering into the IR, with every check.
    pub lower: Duration,
    /// Stage 3: building token streams with `quote` (summed over workers).
    pub emit: Duration,
    /// Stage 4a: `syn::parse2` of the token streams (summed over workers).
    pub parse: Duration,
    /// Stage 4b: `prettyplease` printing (summed over workers).
    pub print: Duration,
    /// Stages 3 and 4 as they ran, in parallel, from start to end.
    pub format_wall: Duration,
    /// Threads that emitted and formatted.
    pub workers: usize,
    /// The whole of [`crate::generate`].
    pub total: Duration,
}
