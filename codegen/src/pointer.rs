//! JSON Pointers (RFC 6901) into the spec, in URI-fragment form (`#` first), and the
//! words diagnostics use for the kind of a JSON value.
//!
//! A leaf: every stage names nodes this way, so this module imports none of them.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

/// A JSON Pointer to a node of the spec, `#` first, with `~` and `/` escaped in tokens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Pointer(String);

impl Pointer {
    /// The document itself: `#`.
    pub(crate) fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Takes a pointer already in `#/a/b` form; `None` when it does not start with `#`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let valid = text == "#" || text.starts_with("#/");
        valid.then(|| Pointer(text.to_owned()))
    }

    /// The child named `token` (a key or an index), escaped as RFC 6901 requires.
    pub(crate) fn join(&self, token: &str) -> Self {
        Pointer(join(&self.0, token))
    }

    /// The child at position `index` of a list.
    pub(crate) fn index(&self, index: usize) -> Self {
        self.join(&index.to_string())
    }

    /// The pointer as text, `#` first.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The pointer one level up; `None` at the root.
    pub(crate) fn parent(&self) -> Option<Self> {
        parent(&self.0).map(|text| Pointer(text.to_owned()))
    }

    /// The unescaped tokens, root first; the root itself has none.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.0
            .strip_prefix("#/")
            .into_iter()
            .flat_map(|rest| rest.split('/'))
            .map(unescape)
    }
}

impl Pointer {
    /// The node this pointer names in `doc`, if it has one.
    pub(crate) fn resolve<'v>(&self, doc: &'v Value) -> Option<&'v Value> {
        self.tokens().try_fold(doc, |node, token| match node {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(items) => list_index(&token).and_then(|i| items.get(i)),
            _ => None,
        })
    }
}

/// A list index as RFC 6901 writes it: `0`, or digits without a leading zero or sign.
fn list_index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.starts_with('+'));
    canonical.then(|| token.parse().ok()).flatten()
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `base` with one more token, escaped as RFC 6901 requires: the text form of
/// [`Pointer::join`], for code that keeps pointers as strings.
pub(crate) fn join(base: &str, token: &str) -> String {
    // One pass, one allocation: the line index joins once per node.
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

/// One token as it was before escaping: `~1` is `/`, `~0` is `~` (in that order).
pub(crate) fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The pointer text one level up, or `None` at the root.
pub(crate) fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

/// What kind of JSON value `v` is, in the words of a message ("found a list").
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_tilde_and_slash() {
        let p = Pointer::root().join("paths").join("/zones/{id}~x");
        assert_eq!(p.as_str(), "#/paths/~1zones~1{id}~0x");
        assert_eq!(p.to_string(), "#/paths/~1zones~1{id}~0x");
        assert_eq!(Pointer::root().index(3).as_str(), "#/3");
    }

    #[test]
    fn tokens_unescape_in_the_right_order() {
        // `~01` is `~1` escaped, not `/`.
        let p = Pointer::root().join("a/b").join("~1").join("x");
        assert_eq!(p.as_str(), "#/a~1b/~01/x");
        let tokens: Vec<String> = p.tokens().map(Cow::into_owned).collect();
        assert_eq!(tokens, ["a/b", "~1", "x"]);
        assert_eq!(Pointer::root().tokens().count(), 0);
    }

    #[test]
    fn resolve_walks_maps_and_lists() {
        let doc = serde_json::json!({"paths": {"/a": {"tags": ["x", "y"]}}});
        let p = Pointer::root()
            .join("paths")
            .join("/a")
            .join("tags")
            .index(1);
        assert_eq!(p.resolve(&doc), Some(&serde_json::json!("y")));
        assert_eq!(Pointer::root().resolve(&doc), Some(&doc));
        assert_eq!(Pointer::root().join("nope").resolve(&doc), None);
        let tags = Pointer::root().join("paths").join("/a").join("tags");
        for token in ["01", "+1", "-1", ""] {
            assert_eq!(tags.join(token).resolve(&doc), None, "{token:?}");
        }
    }

    #[test]
    fn parse_and_parent() {
        assert_eq!(Pointer::parse("#"), Some(Pointer::root()));
        assert_eq!(
            Pointer::parse("#/a/b").map(|p| p.as_str().to_owned()),
            Some("#/a/b".to_owned())
        );
        assert_eq!(Pointer::parse("/a"), None);
        assert_eq!(parent("#/a/b"), Some("#/a"));
        assert_eq!(Pointer::root().join("a").parent(), Some(Pointer::root()));
        assert_eq!(Pointer::root().parent(), None);
        assert_eq!(parent("#"), None);
    }

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(kind(&serde_json::json!([1])), "a list");
        assert_eq!(kind(&serde_json::json!({})), "a mapping");
        assert_eq!(kind(&Value::Null), "null");
    }
}
