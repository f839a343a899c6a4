//! Diagnostics: every problem found in a spec, with the file, a JSON Pointer into the
//! document, the line and column where the document has the node, and the source line.
//!
//! Diagnostics are collected, never thrown: a pass records what it finds and carries on,
//! so a user sees every problem of a document in one run. Every stage reports through
//! one [`Reporter`]. Messages are lowercase, state the fact in our words (never a
//! parser's) and have no trailing period; `help` says how to fix it when that is known.
//!
//! A diagnostic renders like rustc's (drawn by `annotate-snippets`, plain text), and as
//! one JSON object per line for editors and CI ([`Diagnostic::to_json`]). Help lines
//! that suggest a name ("did you mean") come from [`suggest`].

pub(crate) mod suggest;

use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation goes on; the output may differ from what the author expects.
    Warning,
    /// Generation stops; nothing is emitted.
    Error,
}

impl Severity {
    /// The word rustc uses: `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The spec's file name, as given to [`crate::generate`].
    pub file: String,
    /// A JSON Pointer (RFC 6901) to the offending node, `#` first.
    pub pointer: String,
    /// The 1-based line of the node (or of its nearest ancestor in the document).
    pub line: Option<usize>,
    /// The 1-based column, in characters, where the marked text starts on `line`.
    pub column: Option<usize>,
    /// The source line and how much of it to mark.
    pub snippet: Option<Excerpt>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where known.
    pub help: Option<String>,
}

/// The text of the diagnostic's line, and how many characters from its column to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The whole source line, without its line break.
    pub text: String,
    /// Characters to mark, from the column on; at least one.
    pub width: usize,
}

impl Diagnostic {
    /// The byte range of the mark within the excerpt's line.
    fn marked(&self, excerpt: &Excerpt) -> std::ops::Range<usize> {
        let text = &excerpt.text;
        let byte_at = |chars: usize| {
            text.char_indices()
                .nth(chars)
                .map_or(text.len(), |(i, _)| i)
        };
        let first = self.column.unwrap_or(1).saturating_sub(1);
        byte_at(first)..byte_at(first + excerpt.width.max(1))
    }

    /// One line of JSON, shaped like rustc's `--message-format json` diagnostics (the
    /// `level`, `message`, `spans`, `children` and `rendered` fields) plus the spec's
    /// `file`, `pointer`, `line`, `column` and `help` at the top level.
    pub fn to_json(&self) -> String {
        use serde_json::json;
        let spans = match (self.line, self.column) {
            (Some(line), Some(column)) => {
                let width = self.snippet.as_ref().map_or(1, |e| e.width.max(1));
                let text: Vec<serde_json::Value> = self
                    .snippet
                    .iter()
                    .map(|e| {
                        json!({
                            "text": e.text,
                            "highlight_start": column,
                            "highlight_end": column + width,
                        })
                    })
                    .collect();
                vec![json!({
                    "file_name": self.file,
                    "line_start": line,
                    "line_end": line,
                    "column_start": column,
                    "column_end": column + width,
                    "is_primary": true,
                    "label": null,
                    "text": text,
                })]
            }
            _ => Vec::new(),
        };
        let mut children = vec![json!({
            "level": "note",
            "message": format!("pointer: {}", self.pointer),
            "spans": [],
        })];
        if let Some(help) = &self.help {
            children.push(json!({"level": "help", "message": help, "spans": []}));
        }
        json!({
            "$message_type": "diagnostic",
            "level": self.severity.as_str(),
            "message": self.message,
            "file": self.file,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "help": self.help,
            "spans": spans,
            "children": children,
            "rendered": format!("{self}\n"),
        })
        .to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => Level::WARNING,
            Severity::Error => Level::ERROR,
        };
        let title = level.primary_title(self.message.as_str());
        let group = match (&self.snippet, self.line) {
            (Some(excerpt), Some(line)) => Group::with_title(title).element(
                Snippet::source(excerpt.text.as_str())
                    .line_start(line)
                    .path(self.file.as_str())
                    .annotation(AnnotationKind::Primary.span(self.marked(excerpt))),
            ),
            (None, Some(line)) => {
                let origin = Origin::path(self.file.as_str()).line(line);
                let origin = match self.column {
                    Some(column) => origin.char_column(column),
                    None => origin,
                };
                Group::with_title(title).element(origin)
            }
            _ => Group::with_title(title).element(Origin::path(self.file.as_str())),
        };
        let pointer = Level::NOTE
            .with_name("pointer")
            .message(self.pointer.as_str());
        let group = group.element(pointer);
        let group = match &self.help {
            Some(help) => group.element(Level::HELP.message(help.as_str())),
            None => group,
        };
        f.write_str(&Renderer::plain().render(&[group]))
    }
}

/// All diagnostics of one run, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Every diagnostic, errors and warnings.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        // The same node can be reached twice (a schema used by two operations);
        // one report per problem is enough.
        if !self.items.contains(&diagnostic) {
            self.items.push(diagnostic);
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
            writeln!(f)?;
        }
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.items.len() - errors;
        if !self.items.is_empty() {
            write!(f, "{errors} error(s), {warnings} warning(s)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Where a node sits in the source: what [`Locate`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// 1-based line.
    pub(crate) line: usize,
    /// 1-based column, in characters.
    pub(crate) column: usize,
    /// Characters to mark from the column; zero marks one.
    pub(crate) width: usize,
}

/// Maps pointers, and explicit lines, to places in the source text.
///
/// A trait so that this module needs no stage: the loader's line index implements it.
pub(crate) trait Locate: fmt::Debug {
    /// Where `pointer`, or its nearest ancestor the document has, is.
    fn locate(&self, pointer: &str) -> Option<Location>;
    /// Where the author wrote the node now at `pointer`, when load moved it.
    fn written(&self, _pointer: &str) -> Option<String> {
        None
    }
    /// The text of 1-based line `line`, without its line break.
    fn line_text(&self, line: usize) -> Option<&str>;
}

/// Collects the diagnostics of one document and places each in the source.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    file: &'a str,
    source: &'a dyn Locate,
    diagnostics: Diagnostics,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &'a str, source: &'a dyn Locate) -> Self {
        Reporter {
            file,
            source,
            diagnostics: Diagnostics::default(),
        }
    }

    /// Reports an error at `pointer` (a [`crate::pointer::Pointer`], or one as text).
    pub(crate) fn error(
        &mut self,
        pointer: impl AsRef<str>,
        message: impl Into<String>,
    ) -> Note<'_, 'a> {
        self.report(Severity::Error, pointer.as_ref(), message.into())
    }

    /// Reports a warning at `pointer` (a [`crate::pointer::Pointer`], or one as text).
    pub(crate) fn warning(
        &mut self,
        pointer: impl AsRef<str>,
        message: impl Into<String>,
    ) -> Note<'_, 'a> {
        self.report(Severity::Warning, pointer.as_ref(), message.into())
    }

    fn report(&mut self, severity: Severity, pointer: &str, message: String) -> Note<'_, 'a> {
        let mut diagnostic = Diagnostic {
            severity,
            file: self.file.to_owned(),
            pointer: self
                .source
                .written(pointer)
                .unwrap_or_else(|| pointer.to_owned()),
            line: None,
            column: None,
            snippet: None,
            message,
            help: None,
        };
        if let Some(at) = self.source.locate(pointer) {
            self.place(&mut diagnostic, at);
        }
        Note {
            reporter: self,
            diagnostic: Some(diagnostic),
        }
    }

    fn place(&self, d: &mut Diagnostic, at: Location) {
        d.line = Some(at.line);
        d.column = Some(at.column);
        d.snippet = self.source.line_text(at.line).map(|text| Excerpt {
            text: text.to_owned(),
            width: at.width.max(1),
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Everything reported, in order.
    pub(crate) fn finish(self) -> Diagnostics {
        self.diagnostics
    }
}

/// A diagnostic being written; it is recorded when dropped, so `.help(..)` is optional.
#[derive(Debug)]
pub(crate) struct Note<'r, 'a> {
    reporter: &'r mut Reporter<'a>,
    diagnostic: Option<Diagnostic>,
}

impl Note<'_, '_> {
    pub(crate) fn help(mut self, help: impl Into<String>) {
        if let Some(d) = &mut self.diagnostic {
            d.help = Some(help.into());
        }
    }

    /// Places the diagnostic at an explicit line and column (a parser's error position)
    /// rather than at its pointer's node.
    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        if let Some(d) = &mut self.diagnostic {
            let at = Location {
                line,
                column,
                width: 1,
            };
            self.reporter.place(d, at);
        }
        self
    }
}

impl Drop for Note<'_, '_> {
    fn drop(&mut self) {
        if let Some(d) = self.diagnostic.take() {
            self.reporter.diagnostics.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: "spec.yaml".to_owned(),
            pointer: "#/components/schemas/Foo/type".to_owned(),
            line: Some(12),
            column: Some(15),
            snippet: Some(Excerpt {
                text: "        type: strin".to_owned(),
                width: 5,
            }),
            message: "unknown type `strin`".to_owned(),
            help: Some("use one of string, integer".to_owned()),
        }
    }

    #[test]
    fn renders_like_rustc_with_the_pointer() {
        let expected = "error: unknown type `strin`
  --> spec.yaml:12:15
   |
12 |         type: strin
   |               ^^^^^
   |
   = pointer: #/components/schemas/Foo/type
   = help: use one of string, integer";
        assert_eq!(sample().to_string(), expected);
    }

    #[test]
    fn json_is_one_line_with_the_location() {
        let line = sample().to_json();
        assert!(!line.contains('\n'), "{line}");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(v["level"], "error");
        assert_eq!(v["line"], 12);
        assert_eq!(v["column"], 15);
        assert_eq!(v["pointer"], "#/components/schemas/Foo/type");
        assert_eq!(v["spans"][0]["column_end"], 20);
        assert_eq!(v["children"][1]["level"], "help");
    }
}
