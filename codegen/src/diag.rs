//! Diagnostics: every problem found in a spec, with the file, a JSON Pointer into the
//! document and, where the loader can know it, the line.
//!
//! Diagnostics are collected, never thrown: a pass records what it finds and carries on,
//! so a user sees every problem of a document in one run. Messages are lowercase, state
//! the fact and have no trailing period; `help` says how to fix it when that is known.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation goes on; the output may differ from what the author expects.
    Warning,
    /// Generation stops; nothing is emitted.
    Error,
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
    /// The 1-based line of the node, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where known.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}:", self.file)?;
        if let Some(line) = self.line {
            write!(f, "{line}:")?;
        }
        write!(f, " {}: {}", self.pointer, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
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
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.items.len() - errors;
        if !self.items.is_empty() {
            writeln!(f)?;
            write!(f, "{errors} error(s), {warnings} warning(s)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics for one document and resolves pointers to lines.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    file: &'a str,
    lines: &'a crate::load::LineIndex<'a>,
    pub(crate) diagnostics: Diagnostics,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &'a str, lines: &'a crate::load::LineIndex<'a>) -> Self {
        Reporter {
            file,
            lines,
            diagnostics: Diagnostics::default(),
        }
    }

    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>) -> Note<'_, 'a> {
        self.report(Severity::Error, pointer, message.into())
    }

    pub(crate) fn warning(&mut self, pointer: &str, message: impl Into<String>) -> Note<'_, 'a> {
        self.report(Severity::Warning, pointer, message.into())
    }

    fn report(&mut self, severity: Severity, pointer: &str, message: String) -> Note<'_, 'a> {
        let diagnostic = Diagnostic {
            severity,
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            line: self.lines.line_of(pointer),
            message,
            help: None,
        };
        Note {
            reporter: self,
            diagnostic: Some(diagnostic),
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
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
}

impl Drop for Note<'_, '_> {
    fn drop(&mut self) {
        if let Some(d) = self.diagnostic.take() {
            self.reporter.diagnostics.push(d);
        }
    }
}

/// Builds JSON Pointers (RFC 6901), escaping `~` and `/` in each token.
pub(crate) fn pointer(base: &str, token: &str) -> String {
    // One pass, one allocation: the loader's line index calls this for every line.
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_split() {
        let p = pointer("#/paths", "/zones/{id}~x");
        assert_eq!(p, "#/paths/~1zones~1{id}~0x");
    }
}
