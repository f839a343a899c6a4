//! Stage 1, load: spec text → a parsed document, with the version gate first.
//!
//! The YAML is read into a generic tree, gated on `openapi: 3.0.x` before anything else
//! (a Swagger 2.0 or OpenAPI 3.1 document would otherwise drown in unrelated errors),
//! then typed with `openapiv3`. Type errors carry the JSON Pointer of the node that
//! failed. [`LineIndex`] maps pointers back to lines of block-style YAML.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::{pointer, Diagnostic, Diagnostics, Severity};

/// A parsed document: the raw tree (for extensions and pointers) and the typed model.
#[derive(Debug)]
pub(crate) struct Loaded<'t> {
    pub(crate) raw: Value,
    pub(crate) doc: openapiv3::OpenAPI,
    pub(crate) lines: LineIndex<'t>,
}

pub(crate) fn load<'t>(text: &'t str, file: &str) -> Result<Loaded<'t>, Diagnostics> {
    let lines = LineIndex::new(text);
    let mut diags = Diagnostics::default();
    let error = |diags: &mut Diagnostics,
                 pointer: String,
                 line: Option<usize>,
                 message: String,
                 help: Option<&str>| {
        diags.push(Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer,
            line,
            message,
            help: help.map(str::to_owned),
        });
    };

    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = e
                .location()
                .map_or((None, None), |l| (Some(l.line()), Some(l.column())));
            let message = match column {
                Some(c) => format!(
                    "invalid YAML at column {c}: {}",
                    strip_location(&e.to_string())
                ),
                None => format!("invalid YAML: {}", strip_location(&e.to_string())),
            };
            error(&mut diags, "#".into(), line, message, None);
            return Err(diags);
        }
    };
    let raw = match yaml_to_json(yaml) {
        Ok(v) => v,
        Err((path, message)) => {
            let at = path
                .iter()
                .rev()
                .fold("#".to_owned(), |at, segment| pointer(&at, segment));
            error(&mut diags, at.clone(), lines.line_of(&at), message, None);
            return Err(diags);
        }
    };

    let Some(root) = raw.as_object() else {
        error(
            &mut diags,
            "#".into(),
            Some(1),
            "expected an OpenAPI document (a mapping) at the top level".into(),
            None,
        );
        return Err(diags);
    };
    if let Some(v) = root.get("swagger") {
        let version = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        error(
            &mut diags,
            "#/swagger".into(),
            lines.line_of("#/swagger"),
            format!("unsupported version: Swagger {version}; only OpenAPI 3.0.x is supported"),
            Some("convert the document to OpenAPI 3.0 first, for example with swagger2openapi"),
        );
        return Err(diags);
    }
    match root.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(Value::String(v)) => {
            let help = if v.starts_with("3.1") {
                "OpenAPI 3.1 changes schemas (JSON Schema 2020-12); write the document as 3.0.3"
            } else {
                "set `openapi: 3.0.3`"
            };
            error(
                &mut diags,
                "#/openapi".into(),
                lines.line_of("#/openapi"),
                format!("unsupported version: OpenAPI {v}; only OpenAPI 3.0.x is supported"),
                Some(help),
            );
            return Err(diags);
        }
        Some(other) => {
            error(
                &mut diags,
                "#/openapi".into(),
                lines.line_of("#/openapi"),
                format!(
                    "`openapi` must be a version string such as \"3.0.3\", found {}",
                    kind(other)
                ),
                Some("quote the version: `openapi: \"3.0.3\"`"),
            );
            return Err(diags);
        }
        None => {
            error(
                &mut diags,
                "#".into(),
                Some(1),
                "missing `openapi` version field".into(),
                Some("add `openapi: 3.0.3` at the top"),
            );
            return Err(diags);
        }
    }

    // Schemas are checked structurally first: better messages, and typing stays linear.
    for (at, message) in crate::schema_check::check_document(&raw) {
        error(&mut diags, at.clone(), lines.line_of(&at), message, None);
    }
    if diags.has_errors() {
        return Err(diags);
    }

    // A valid document is typed once. An invalid one is typed again section by
    // section, so that one bad schema does not hide the next; the whole document's
    // error stands only when no section has one.
    let whole = match typed::<openapiv3::OpenAPI>(&raw, "#", "OpenAPI document") {
        Ok(doc) => return Ok(Loaded { raw, doc, lines }),
        Err(e) => e,
    };
    let mut section_errors = Vec::new();
    for (section, what) in [
        ("paths", "path item"),
        ("components/schemas", "schema"),
        ("components/parameters", "parameter"),
        ("components/requestBodies", "request body"),
        ("components/responses", "response"),
        ("components/securitySchemes", "security scheme"),
    ] {
        let mut node = &raw;
        for t in section.split('/') {
            node = node.get(t).unwrap_or(&Value::Null);
        }
        let Some(map) = node.as_object() else {
            continue;
        };
        let base = format!("#/{section}");
        for (key, value) in map {
            if key.starts_with("x-") && section == "paths" {
                continue;
            }
            let at = pointer(&base, key);
            let result = match section {
                "paths" => typed::<openapiv3::ReferenceOr<openapiv3::PathItem>>(value, &at, what)
                    .map(|_| ()),
                "components/schemas" => {
                    typed::<openapiv3::ReferenceOr<openapiv3::Schema>>(value, &at, what).map(|_| ())
                }
                "components/parameters" => {
                    typed::<openapiv3::ReferenceOr<openapiv3::Parameter>>(value, &at, what)
                        .map(|_| ())
                }
                "components/requestBodies" => {
                    typed::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(value, &at, what)
                        .map(|_| ())
                }
                "components/responses" => {
                    typed::<openapiv3::ReferenceOr<openapiv3::Response>>(value, &at, what)
                        .map(|_| ())
                }
                _ => typed::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(value, &at, what)
                    .map(|_| ()),
            };
            if let Err((at, message)) = result {
                section_errors.push((at, message));
            }
        }
    }
    for (at, message) in section_errors {
        error(&mut diags, at.clone(), lines.line_of(&at), message, None);
    }
    if !diags.has_errors() {
        let (at, message) = whole;
        error(&mut diags, at.clone(), lines.line_of(&at), message, None);
    }
    Err(diags)
}

fn typed<T: DeserializeOwned>(
    value: &Value,
    base: &str,
    what: &str,
) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let mut at = base.to_owned();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    at = pointer(&at, &index.to_string())
                }
                serde_path_to_error::Segment::Map { key } => at = pointer(&at, key),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        let inner = e.into_inner().to_string();
        let message = if inner.contains("untagged enum") {
            format!("not a valid {what} here: expected an object of the right shape or a `$ref`")
        } else {
            format!("not a valid {what}: {}", strip_location(&inner))
        };
        (at, message)
    })
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// YAML → JSON, keeping scalar mapping keys (`200:` is a number in YAML) as strings.
///
/// An error carries the path to the failing node, innermost segment first: it is built
/// on the way out, so a document that converts cleanly costs no pointer strings.
fn yaml_to_json(v: serde_yaml::Value) -> Result<Value, (Vec<String>, String)> {
    Ok(match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        (
                            Vec::new(),
                            format!("number {f} cannot be represented in JSON"),
                        )
                    })?
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    yaml_to_json(item).map_err(|(mut path, message)| {
                        path.push(i.to_string());
                        (path, message)
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        serde_yaml::Value::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    serde_yaml::Value::Null => "null".to_owned(),
                    _ => return Err((Vec::new(), "mapping keys must be scalars".to_owned())),
                };
                match yaml_to_json(v) {
                    Ok(v) => {
                        out.insert(key, v);
                    }
                    Err((mut path, message)) => {
                        path.push(key);
                        return Err((path, message));
                    }
                }
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(t) => yaml_to_json(t.value)?,
    })
}

/// Maps JSON Pointers to 1-based lines for block-style YAML.
///
/// This is a scanner over indentation, not a YAML parser: it records where each block
/// mapping key and sequence item starts. Nodes it cannot place (flow style, JSON input)
/// fall back to their nearest recorded ancestor, so a line is approximate at worst.
///
/// The index is built on the first look-up: a spec without diagnostics never pays for it.
#[derive(Debug)]
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    lines: OnceCell<BTreeMap<String, usize>>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LineIndex {
            text,
            lines: OnceCell::new(),
        }
    }

    fn build(text: &str) -> BTreeMap<String, usize> {
        let mut lines = BTreeMap::new();
        // (indent, pointer, is_sequence_item)
        let mut stack: Vec<(usize, String, bool)> = Vec::new();
        let mut next_index: BTreeMap<String, usize> = BTreeMap::new();
        let mut block_scalar_indent: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(owner) = block_scalar_indent {
                if indent > owner {
                    continue;
                }
                block_scalar_indent = None;
            }
            if trimmed == "---" || trimmed == "..." {
                continue;
            }
            let mut indent = indent;
            let mut rest = trimmed;
            // Sequence items, possibly several on one line (`- - a`).
            while rest == "-" || rest.starts_with("- ") {
                while stack
                    .last()
                    .is_some_and(|(i, _, seq)| *i > indent || (*i == indent && *seq))
                {
                    stack.pop();
                }
                let parent = stack
                    .last()
                    .map_or_else(|| "#".to_owned(), |(_, p, _)| p.clone());
                let index = next_index.entry(parent.clone()).or_insert(0);
                let item = pointer(&parent, &index.to_string());
                *index += 1;
                lines.entry(item.clone()).or_insert(n + 1);
                stack.push((indent, item, true));
                let after = &rest[1..];
                let skipped = after.len() - after.trim_start().len();
                indent += 1 + skipped;
                rest = after.trim_start();
            }
            let Some((key, value)) = split_key(rest) else {
                continue;
            };
            while stack
                .last()
                .is_some_and(|(i, _, seq)| *i > indent || (*i == indent && !*seq))
            {
                stack.pop();
            }
            let parent = stack
                .last()
                .map_or_else(|| "#".to_owned(), |(_, p, _)| p.clone());
            let here = pointer(&parent, &key);
            lines.entry(here.clone()).or_insert(n + 1);
            let value = value.trim();
            if value.starts_with('|') || value.starts_with('>') {
                block_scalar_indent = Some(indent);
            }
            stack.push((indent, here, false));
        }
        lines
    }

    /// The line of `pointer`, or of its nearest ancestor that has one.
    pub(crate) fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.lines.get_or_init(|| Self::build(self.text));
        let mut p = pointer;
        loop {
            if let Some(line) = lines.get(p) {
                return Some(*line);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Splits `key: value` (or `"quoted key": value`) at the mapping colon.
fn split_key(s: &str) -> Option<(String, &str)> {
    let first = s.chars().next()?;
    if first == '"' || first == '\'' {
        let end = s[1..].find(first)? + 1;
        let key = s[1..end].to_owned();
        let after = s[end + 1..].trim_start();
        let value = after.strip_prefix(':')?;
        return Some((key, value));
    }
    if first == '{' || first == '[' {
        return None;
    }
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            return Some((s[..i].trim_end().to_owned(), &s[i + 1..]));
        }
        if *b == b' ' && bytes.get(i + 1) == Some(&b'#') {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_follows_blocks_and_sequences() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{b}:\n    get:\n      description: |\n        x: y\n      parameters:\n        - name: b\n          in: path\n        - $ref: '#/x'\n  '/c':\n    post: {}\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_of("#/openapi"), Some(1));
        assert_eq!(idx.line_of("#/paths/~1a~1{b}/get"), Some(4));
        assert_eq!(idx.line_of("#/paths/~1a~1{b}/get/parameters/0/in"), Some(9));
        assert_eq!(idx.line_of("#/paths/~1a~1{b}/get/parameters/1"), Some(10));
        assert_eq!(idx.line_of("#/paths/~1c/post"), Some(12));
        assert_eq!(idx.line_of("#/paths/~1c/post/responses"), Some(12));
        assert_eq!(idx.line_of("#/paths/~1a~1{b}/get/description/x"), Some(5));
    }
}
