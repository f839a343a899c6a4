//! Stage 1, load: spec text → a parsed document, with the version gate first.
//!
//! The YAML is read into a generic tree ([`yaml`]), gated on `openapi: 3.0.x` before
//! anything else ([`version`]), its schemas checked structurally ([`schema_check`]),
//! then typed with `openapiv3` ([`typing`]). Each step reports through the one
//! [`Reporter`], which places every diagnostic with the [`LineIndex`] ([`lines`]).

pub(crate) mod lines;
mod schema_check;
mod typing;
mod version;
mod yaml;

use serde_json::Value;

use crate::diag::{Diagnostics, Reporter};
pub(crate) use crate::pointer::kind;
pub(crate) use lines::LineIndex;

/// A parsed document: the raw tree (for extensions and pointers), the typed model, and
/// the index that places pointers in the text.
#[derive(Debug)]
pub(crate) struct Loaded<'t> {
    pub(crate) raw: Value,
    pub(crate) doc: openapiv3::OpenAPI,
    pub(crate) lines: LineIndex<'t>,
}

/// Loads `text`; `file` names it in diagnostics. Load has no warnings: it either
/// succeeds or stops with errors.
pub(crate) fn load<'t>(text: &'t str, file: &str) -> Result<Loaded<'t>, Diagnostics> {
    let lines = LineIndex::new(text);
    let mut r = Reporter::new(file, &lines);
    let loaded = read(text, &mut r);
    let diagnostics = r.finish();
    match loaded {
        Some((raw, doc)) if !diagnostics.has_errors() => Ok(Loaded { raw, doc, lines }),
        _ => Err(diagnostics),
    }
}

fn read(text: &str, r: &mut Reporter<'_>) -> Option<(Value, openapiv3::OpenAPI)> {
    let raw = yaml::parse(text, r)?;
    if !version::gate(&raw, r) {
        return None;
    }
    // Schemas are checked structurally first: better messages, and typing stays linear.
    schema_check::check_document(&raw, r);
    if r.has_errors() {
        return None;
    }
    let doc = typing::type_document(&raw, r)?;
    Some((raw, doc))
}
