//! Where each node of the spec is: JSON Pointer → line and column, for diagnostics.
//!
//! The index replays the document through `saphyr-parser`, a YAML parser that reports
//! the position of every event, so block YAML, flow YAML and JSON (which is flow YAML)
//! are placed alike. A scalar value is marked where it stands (`type: strin` marks
//! `strin`); a mapping or list is marked at its key, or where it starts when it has none.
//! A pointer the document lacks falls back to its nearest ancestor.
//!
//! The index is built on the first look-up: a spec without diagnostics never pays for it.
//!
//! Load may move a node (OpenAPI 3.1 `$defs` become components, see
//! [`super::normalize31`]); it records the move here ([`LineIndex::moved`]), so a
//! diagnostic about the moved node still names and marks what the author wrote.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, Span};

use crate::diag::{Locate, Location};
use crate::pointer;

/// Maps JSON Pointers to places in one document's text.
#[derive(Debug)]
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    built: OnceCell<Built>,
    /// Pointer prefixes of moved nodes: where the node is now → where the text has it.
    moves: RefCell<BTreeMap<String, String>>,
}

#[derive(Debug, Default)]
struct Built {
    nodes: BTreeMap<String, Location>,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LineIndex {
            text,
            built: OnceCell::new(),
            moves: RefCell::new(BTreeMap::new()),
        }
    }

    /// Records that the node the text has at `from` is now at `to`, with all inside it.
    pub(crate) fn moved(&self, to: &str, from: &str) {
        // `from` may itself be a moved node: record where the text has it.
        let from = self.written(from).unwrap_or_else(|| from.to_owned());
        self.moves.borrow_mut().insert(to.to_owned(), from);
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| Built {
            nodes: Walk::default().run(self.text),
            starts: std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        })
    }

    /// The 1-based line of `pointer`, or of its nearest ancestor that has one.
    #[cfg(test)]
    pub(crate) fn line_of(&self, pointer: &str) -> Option<usize> {
        self.locate(pointer).map(|at| at.line)
    }
}

impl Locate for LineIndex<'_> {
    fn written(&self, pointer: &str) -> Option<String> {
        let moves = self.moves.borrow();
        if moves.is_empty() {
            return None;
        }
        let mut prefix = Some(pointer);
        while let Some(here) = prefix {
            if let Some(from) = moves.get(here) {
                return Some(format!("{from}{}", &pointer[here.len()..]));
            }
            prefix = pointer::parent(here);
        }
        None
    }

    fn locate(&self, pointer: &str) -> Option<Location> {
        let written = self.written(pointer);
        let pointer = written.as_deref().unwrap_or(pointer);
        let nodes = &self.built().nodes;
        let mut p = Some(pointer);
        let mut at = loop {
            match p {
                Some(here) => match nodes.get(here) {
                    Some(at) => break at.clone(),
                    None => p = pointer::parent(here),
                },
                // Not even the root is in the text (an empty document): its start.
                None => {
                    break Location {
                        line: 1,
                        column: 1,
                        width: 1,
                    }
                }
            }
        };
        if at.width == 0 {
            // A node with no extent of its own (a block mapping in a list) is marked to
            // the end of its first line.
            let rest = self.line_text(at.line).map_or("", |text| {
                let skip = text
                    .char_indices()
                    .nth(at.column - 1)
                    .map_or(text.len(), |(i, _)| i);
                text[skip..].trim_end()
            });
            at.width = rest.chars().count().max(1);
        }
        Some(at)
    }

    fn line_text(&self, line: usize) -> Option<&str> {
        let starts = &self.built().starts;
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(self.text.len(), |next| next - 1);
        let text = self.text.get(start..end)?;
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

/// One open mapping or list while replaying events. `at` is `None` inside a complex key
/// (a mapping used as a key), which JSON cannot name.
#[derive(Debug)]
struct Frame {
    kind: Kind,
    /// A flow collection marked by itself (not by a key): its mark grows to the closing
    /// bracket when that is on the same line.
    grows: Option<String>,
}

#[derive(Debug)]
enum Kind {
    Map {
        at: Option<String>,
        key: Option<(String, Span)>,
    },
    List {
        at: Option<String>,
        next: usize,
    },
}

#[derive(Debug, Default)]
struct Walk {
    stack: Vec<Frame>,
    nodes: BTreeMap<String, Location>,
}

impl Walk {
    fn run(mut self, text: &str) -> BTreeMap<String, Location> {
        let mut parser = Parser::new_from_str(text);
        // A parse error ends the walk; what was placed so far stays placed.
        while let Some(Ok((event, span))) = parser.next_event() {
            match event {
                Event::Scalar(value, ..) => self.node(span, Some(&value), None),
                Event::Alias(_) => self.node(span, Some(""), None),
                Event::MappingStart(..) => self.node(span, None, Some(true)),
                Event::SequenceStart(..) => self.node(span, None, Some(false)),
                Event::MappingEnd | Event::SequenceEnd => self.close(span),
                // Only the first document is the spec.
                Event::DocumentEnd | Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
            }
        }
        self.nodes
    }

    /// A node starts: a scalar (`text` is its value) or a collection (`opens` says
    /// which kind). Keys of mappings are remembered until their value arrives.
    fn node(&mut self, span: Span, text: Option<&str>, opens: Option<bool>) {
        let (here, key) = match self.stack.last_mut().map(|frame| &mut frame.kind) {
            None => (Some("#".to_owned()), None),
            Some(Kind::Map { at, key }) => match key.take() {
                Some((token, key_span)) => (
                    at.as_deref().map(|at| pointer::join(at, &token)),
                    Some(key_span),
                ),
                None => {
                    match text {
                        Some(token) => *key = Some((token.to_owned(), span)),
                        // A complex key: its insides have no pointer, and its value
                        // cannot be named either.
                        None => *key = Some((String::new(), span)),
                    }
                    if let Some(is_map) = opens {
                        self.open(None, is_map, None);
                    }
                    return;
                }
            },
            Some(Kind::List { at, next }) => {
                let here = at.as_deref().map(|at| pointer::join(at, &next.to_string()));
                *next += 1;
                (here, None)
            }
        };
        let grows = match (&here, key) {
            (Some(here), None) if !span.is_empty() => Some(here.clone()),
            _ => None,
        };
        if let Some(here) = &here {
            let mark = match key {
                Some(key) if text.is_none() || span.is_empty() || spans_lines(span) => key,
                _ => span,
            };
            let width = if spans_lines(mark) {
                0
            } else {
                mark.end.col() - mark.start.col()
            };
            self.nodes.entry(here.clone()).or_insert(Location {
                line: mark.start.line(),
                column: mark.start.col() + 1,
                width,
            });
        }
        if let Some(is_map) = opens {
            self.open(here, is_map, grows);
        }
    }

    fn open(&mut self, at: Option<String>, is_map: bool, grows: Option<String>) {
        let kind = if is_map {
            Kind::Map { at, key: None }
        } else {
            Kind::List { at, next: 0 }
        };
        self.stack.push(Frame { kind, grows });
    }

    /// A collection ends at `span`, its closing bracket when it is a flow one.
    fn close(&mut self, span: Span) {
        let Some(Frame {
            grows: Some(here), ..
        }) = self.stack.pop()
        else {
            return;
        };
        if let Some(at) = self.nodes.get_mut(&here) {
            if at.line == span.end.line() && span.end.col() >= at.column {
                at.width = span.end.col() + 1 - at.column;
            }
        }
    }
}

fn spans_lines(span: Span) -> bool {
    span.start.line() != span.end.line()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(idx: &LineIndex<'_>, pointer: &str) -> Option<(usize, usize, usize)> {
        idx.locate(pointer).map(|l| (l.line, l.column, l.width))
    }

    #[test]
    fn block_yaml_places_keys_values_and_items() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      description: |\n        x: y\n      parameters:\n        - name: b\n          in: path\n        - $ref: '#/x'\n  '/c':\n    post: {}\n";
        let idx = LineIndex::new(text);
        assert_eq!(at(&idx, "#/openapi"), Some((1, 10, 5)));
        assert_eq!(at(&idx, "#/paths/~1a~1{b}/get"), Some((4, 5, 3)));
        assert_eq!(
            at(&idx, "#/paths/~1a~1{b}/get/parameters/0/in"),
            Some((9, 15, 4))
        );
        // A mapping in a list is marked to the end of its first line.
        assert_eq!(
            at(&idx, "#/paths/~1a~1{b}/get/parameters/1"),
            Some((10, 11, 11))
        );
        assert_eq!(idx.line_of("#/paths/~1c/post"), Some(12));
        // Missing nodes fall back to the nearest ancestor; block scalars are opaque.
        assert_eq!(idx.line_of("#/paths/~1c/post/responses"), Some(12));
        assert_eq!(idx.line_of("#/paths/~1a~1{b}/get/description/x"), Some(5));
        assert_eq!(idx.line_text(8), Some("        - name: b"));
    }

    #[test]
    fn flow_yaml_is_placed_too() {
        let text = "paths: {/a: {get: {parameters: [{name: q, in: query}, {$ref: '#/p'}]}}}\n";
        let idx = LineIndex::new(text);
        assert_eq!(at(&idx, "#/paths/~1a/get"), Some((1, 14, 3)));
        let line = idx.locate("#/paths/~1a/get/parameters/0/in");
        assert_eq!(line.map(|l| (l.line, l.column, l.width)), Some((1, 47, 5)));
        assert_eq!(idx.line_of("#/paths/~1a/get/parameters/1/$ref"), Some(1));
        // A flow mapping in a list is marked from `{` to `}`.
        assert_eq!(at(&idx, "#/paths/~1a/get/parameters/0"), Some((1, 33, 20)));
    }

    #[test]
    fn json_documents_are_placed_by_line_and_column() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a~b\": {\n      \"get\": {\"operationId\": \"x\"}\n    }\n  }\n}\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_of("#/openapi"), Some(2));
        assert_eq!(at(&idx, "#/paths/~1a~0b").map(|a| a.0), Some(4));
        let op = at(&idx, "#/paths/~1a~0b/get/operationId");
        assert_eq!(op.map(|a| (a.0, a.1)), Some((5, 30)));
    }

    #[test]
    fn keys_needing_escapes_and_crlf() {
        let text = "paths:\r\n  \"/x/{id}\":\r\n    a~b: 1\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(at(&idx, "#/paths/~1x~1{id}/a~0b"), Some((3, 10, 1)));
        assert_eq!(idx.line_text(3), Some("    a~b: 1"));
        assert_eq!(idx.line_text(9), None);
    }

    #[test]
    fn the_root_is_its_first_node() {
        let idx = LineIndex::new("# a comment\nopenapi: 3.0.3\n");
        assert_eq!(at(&idx, "#").map(|a| (a.0, a.1)), Some((2, 1)));
        assert_eq!(at(&LineIndex::new(""), "#/x"), Some((1, 1, 1)));
    }
}
