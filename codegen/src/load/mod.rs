//! Stage 1, load: spec text → a parsed document, with the version gate first.
//!
//! The YAML is read into a generic tree ([`yaml`]), gated on `openapi: 3.0.x` or `3.1.x`
//! before anything else ([`version`]), a 3.1 document mapped onto 3.0 in the tree
//! ([`normalize31`]), its schemas checked structurally ([`schema_check`]),
//! repaired where a published spec bends a rule in a way with one reading ([`repair`]),
//! then typed with `openapiv3` ([`typing`]). Each step reports through the one
//! [`Reporter`], which places every diagnostic with the [`LineIndex`] ([`lines`]).

pub(crate) mod lines;
mod normalize31;
mod repair;
mod schema_check;
mod typing;
mod version;
mod webhooks;
mod yaml;

use serde_json::Value;

use crate::diag::{Diagnostics, Reporter};
pub(crate) use lines::LineIndex;
pub(crate) use webhooks::Webhook;

/// A parsed document: the raw tree (for extensions and pointers), the typed model, and
/// the index that places pointers in the text.
#[derive(Debug)]
pub(crate) struct Loaded<'t> {
    pub(crate) raw: Value,
    pub(crate) doc: openapiv3::OpenAPI,
    pub(crate) lines: LineIndex<'t>,
    /// The events the API sends (OpenAPI 3.1 `webhooks`), with their payload schemas.
    pub(crate) webhooks: Vec<Webhook>,
    /// What load decided for the author (a number read as a float, a Swagger 2 habit
    /// ignored): warnings only, reported before lowering's.
    pub(crate) warnings: Diagnostics,
}

/// Loads `text`; `file` names it in diagnostics. Load stops with errors only where no
/// correct client exists; where a published spec bends the rules in a way with one
/// reasonable reading, it goes on with that reading and a warning.
pub(crate) fn load<'t>(text: &'t str, file: &str) -> Result<Loaded<'t>, Diagnostics> {
    let lines = LineIndex::new(text);
    let mut r = Reporter::new(file, &lines);
    let loaded = read(text, &lines, &mut r);
    let diagnostics = r.finish();
    match loaded {
        Some((raw, doc, webhooks)) if !diagnostics.has_errors() => Ok(Loaded {
            raw,
            doc,
            lines,
            webhooks,
            warnings: diagnostics,
        }),
        _ => Err(diagnostics),
    }
}

fn read(
    text: &str,
    lines: &LineIndex<'_>,
    r: &mut Reporter<'_>,
) -> Option<(Value, openapiv3::OpenAPI, Vec<Webhook>)> {
    let mut raw = yaml::parse(text, r)?;
    let v31 = version::gate(&raw, r)? == version::Version::V31;
    if v31 {
        normalize31::document(&mut raw, lines, r);
    }
    // Schemas are checked structurally first: better messages, and typing stays linear.
    // Repairs (with warnings) happen here too, so typing sees the repaired tree.
    schema_check::check_document(&mut raw, v31, r);
    if r.has_errors() {
        return None;
    }
    let doc = typing::type_document(&raw, r)?;
    let webhooks = if v31 {
        webhooks::read(&raw, r)
    } else {
        Vec::new()
    };
    Some((raw, doc, webhooks))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(String, Option<usize>, Option<usize>, String)> {
        match load(text, "spec") {
            Ok(_) => Vec::new(),
            Err(d) => d
                .items()
                .iter()
                .map(|d| (d.pointer.clone(), d.line, d.column, d.message.clone()))
                .collect(),
        }
    }

    #[test]
    fn json_documents_are_placed_by_line_and_column() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {},\n  \"components\": {\"schemas\": {\"A\": {\"properties\": 5}}}\n}\n";
        assert_eq!(
            errors(text),
            [(
                "#/components/schemas/A/properties".to_owned(),
                Some(5),
                Some(50),
                "`properties` must be a mapping of schemas, found a number".to_owned()
            )]
        );
    }

    #[test]
    fn typing_errors_are_in_our_words_and_placed() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query}\n      responses: {'200': {description: ok}}\n";
        let found = errors(text);
        assert_eq!(found.len(), 1, "{found:?}");
        let (pointer, line, column, message) = &found[0];
        assert_eq!(pointer, "#/paths/~1a/get/parameters/0");
        assert_eq!((*line, *column), (Some(7), Some(11)));
        assert_eq!(message, "a parameter needs either `schema` or `content`");
    }

    #[test]
    fn yaml_errors_are_placed_where_the_parser_stopped() {
        let found = errors("openapi: 3.0.3\ninfo:\n  title: t\n   version: x\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "#");
        assert_eq!(found[0].1, Some(4));
        assert!(found[0].3.starts_with("invalid YAML: "), "{found:?}");
    }
}
