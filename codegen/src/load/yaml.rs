//! YAML text → a JSON tree, with YAML errors told in our words at the parser's position.

use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::Pointer;

/// Parses `text`; on failure reports why and returns `None`.
pub(super) fn parse(text: &str, r: &mut Reporter<'_>) -> Option<Value> {
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let note = r.error("#", yaml_message(&e.to_string()));
            match e.location() {
                Some(at) => note.at(at.line(), at.column()),
                None => note.at(1, 1),
            };
            return None;
        }
    };
    match to_json(yaml) {
        Ok(v) => Some(v),
        Err((path, message)) => {
            let at = path
                .iter()
                .rev()
                .fold(Pointer::root(), |at, token| at.join(token));
            r.error(at.as_str(), message);
            None
        }
    }
}

/// What a YAML parser's complaint means, in our words; its text is for its authors.
fn yaml_message(parser_text: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        (
            "did not find expected key",
            "a mapping key was expected here; check the indentation",
        ),
        (
            "found unexpected end of stream",
            "the document ends inside a value; check for an unclosed quote or bracket",
        ),
        (
            "mapping values are not allowed",
            "a `key: value` pair where none can be; quote a value that holds `: `",
        ),
        (
            "cannot start any plain scalar",
            "a value starts with a character that needs quotes",
        ),
        (
            "did not find expected node content",
            "a value was expected here",
        ),
        (
            "could not find expected ':'",
            "a key without a `:` after it",
        ),
        (
            "did not find expected ',' or ']'",
            "a flow list is not closed with `]`",
        ),
        (
            "did not find expected ',' or '}'",
            "a flow mapping is not closed with `}`",
        ),
        (
            "did not find expected '-'",
            "a list item was expected here; check the indentation",
        ),
        ("tab", "a tab where YAML needs spaces for indentation"),
        (
            "unknown escape",
            "an unknown escape in a double-quoted string",
        ),
        ("duplicate entry", "a key appears twice in the same mapping"),
        (
            "unknown anchor",
            "an alias names an anchor that is not defined",
        ),
        (
            "undefined alias",
            "an alias names an anchor that is not defined",
        ),
        ("recursion limit", "the document nests too deeply"),
        (
            "repetition limit",
            "aliases expand the document too many times",
        ),
        (
            "more than one document",
            "the file holds more than one YAML document; a spec is one document",
        ),
    ];
    let meaning = KNOWN
        .iter()
        .find(|(needle, _)| parser_text.contains(needle))
        .map_or("the document cannot be read as YAML here", |(_, ours)| ours);
    format!("invalid YAML: {meaning}")
}

/// YAML → JSON, keeping scalar mapping keys (`200:` is a number in YAML) as strings.
///
/// An error carries the path to the failing node, innermost token first: it is built
/// on the way out, so a document that converts cleanly costs no pointer strings.
fn to_json(v: serde_yaml::Value) -> Result<Value, (Vec<String>, String)> {
    Ok(match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => number(&n).ok_or_else(|| {
            (
                Vec::new(),
                format!("number {n} cannot be represented in JSON"),
            )
        })?,
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    to_json(item).map_err(|(mut path, message)| {
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
                match to_json(v) {
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
        serde_yaml::Value::Tagged(t) => to_json(t.value)?,
    })
}

fn number(n: &serde_yaml::Number) -> Option<Value> {
    if let Some(i) = n.as_i64() {
        Some(Value::from(i))
    } else if let Some(u) = n.as_u64() {
        Some(Value::from(u))
    } else {
        serde_json::Number::from_f64(n.as_f64().unwrap_or(f64::NAN)).map(Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_text_never_reaches_the_message() {
        let text = "did not find expected key at line 14 column 6, while parsing a block mapping";
        assert_eq!(
            yaml_message(text),
            "invalid YAML: a mapping key was expected here; check the indentation"
        );
        assert_eq!(
            yaml_message("something new at line 1"),
            "invalid YAML: the document cannot be read as YAML here"
        );
    }
}
