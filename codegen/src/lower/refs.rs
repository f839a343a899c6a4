//! `$ref`s: one resolver for every kind of target (schemas, parameters, request bodies,
//! responses, path items), so that an unsupported or dangling reference reads the same
//! wherever it appears.
//!
//! A reference to an entry of its `components` section (`#/components/schemas/Pet`) is
//! looked up in the typed model, and keeps the entry's name: named types and hints come
//! from it. Any other local JSON Pointer (`#/components/schemas/Tag/allOf/0`,
//! `#/paths/~1pets/get/parameters/0`) is legal OpenAPI too; it is resolved against the
//! raw document, and the node it reaches is typed on the spot. Only references into
//! other files stay unsupported. A reference is reported once, at its `$ref`, and the
//! caller gets `None` and skips what it was lowering.

use std::borrow::Cow;

use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::suggest::closest;
use crate::diag::Reporter;
use crate::pointer::Pointer;

/// How many `$ref`s to a `$ref` are followed before the chain counts as a cycle.
const MAX_HOPS: usize = 32;

/// A section of `components` that a `$ref` may point into.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section {
    key: &'static str,
    /// How a reference into the section starts.
    pub(crate) prefix: &'static str,
    noun: &'static str,
    /// Whether a dangling name gets a "did you mean" from the section's names. Only schemas
    /// have one yet: turning it on for a section changes that section's diagnostics.
    suggest: bool,
}

pub(crate) const SCHEMAS: Section = Section {
    key: "schemas",
    prefix: "#/components/schemas/",
    noun: "schema",
    suggest: true,
};
pub(crate) const PARAMETERS: Section = Section {
    key: "parameters",
    prefix: "#/components/parameters/",
    noun: "parameter",
    suggest: false,
};
pub(crate) const REQUEST_BODIES: Section = Section {
    key: "requestBodies",
    prefix: "#/components/requestBodies/",
    noun: "request body",
    suggest: false,
};
pub(crate) const RESPONSES: Section = Section {
    key: "responses",
    prefix: "#/components/responses/",
    noun: "response",
    suggest: false,
};
/// Path items have no section in OpenAPI 3.0; a reference to one is always a pointer.
pub(crate) const PATH_ITEMS: Section = Section {
    key: "pathItems",
    prefix: "#/components/pathItems/",
    noun: "path item",
    suggest: false,
};

/// What a reference reached.
#[derive(Debug)]
pub(crate) struct Resolved<'e, T: Clone> {
    /// The entry's name, when the reference names an entry of the section itself.
    pub(crate) name: Option<String>,
    /// The JSON Pointer of the target.
    pub(crate) at: Pointer,
    pub(crate) value: Cow<'e, T>,
}

impl Section {
    /// The JSON Pointer of an entry.
    pub(crate) fn pointer(self, name: &str) -> Pointer {
        Pointer::root().join("components").join(self.key).join(name)
    }

    /// The entry a reference names, without looking it up; `None` when it points
    /// elsewhere, including into an entry (`…/Tag/allOf/0`).
    pub(crate) fn name_of(self, reference: &str) -> Option<String> {
        reference
            .strip_prefix(self.prefix)
            .filter(|rest| !rest.contains('/'))
            .map(|name| name.replace("~1", "/").replace("~0", "~"))
    }

    /// Resolves `reference`, written at `at`, among `entries` or, for any other local
    /// pointer, in `raw`; `None` once the reason is reported.
    pub(crate) fn resolve<'e, T: DeserializeOwned + Clone>(
        self,
        reference: &str,
        entries: Option<&'e IndexMap<String, ReferenceOr<T>>>,
        raw: &Value,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Option<Resolved<'e, ReferenceOr<T>>> {
        let at = at.join("$ref");
        if let (Some(entries), Some(name)) = (entries, self.name_of(reference)) {
            if let Some(found) = entries.get(&name) {
                return Some(Resolved {
                    at: self.pointer(&name),
                    name: Some(name),
                    value: Cow::Borrowed(found),
                });
            }
            let note = r.error(
                &at,
                format!("dangling `$ref`: `{reference}` does not exist"),
            );
            let close = Some(entries)
                .filter(|_| self.suggest)
                .and_then(|e| closest(&name, e.keys()));
            match close {
                Some(c) => note.help(format!("did you mean `{}{c}`?", self.prefix)),
                None => note.help(format!("define it under components/{}", self.key)),
            };
            return None;
        }
        if !reference.starts_with('#') {
            r.error(
                &at,
                format!("unsupported `$ref` `{reference}`: only references into this document (`#/…`) are supported"),
            )
            .help("bundle the document into one file first (for example with `redocly bundle`)");
            return None;
        }
        let target = Pointer::parse(&percent_decode(reference));
        let Some((target, node)) = target.and_then(|t| t.resolve(raw).map(|node| (t, node))) else {
            r.error(
                &at,
                format!("dangling `$ref`: `{reference}` does not exist"),
            )
            .help("check the JSON Pointer: `~1` stands for `/` and `~0` for `~` in a key");
            return None;
        };
        match serde_json::from_value::<ReferenceOr<T>>(node.clone()) {
            Ok(value) => Some(Resolved {
                name: None,
                at: target,
                value: Cow::Owned(value),
            }),
            Err(_) => {
                r.error(
                    &at,
                    format!("`$ref` `{reference}` does not point at a {}", self.noun),
                );
                None
            }
        }
    }

    /// [`Section::resolve`] for targets that are used as they are: a reference to another
    /// reference is followed, up to a bound.
    pub(crate) fn resolve_item<'e, T: DeserializeOwned + Clone>(
        self,
        reference: &str,
        entries: Option<&'e IndexMap<String, ReferenceOr<T>>>,
        raw: &Value,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Option<Resolved<'e, T>> {
        let mut resolved = self.resolve(reference, entries, raw, at, r)?;
        for _ in 0..MAX_HOPS {
            let next = match &resolved.value {
                Cow::Borrowed(ReferenceOr::Item(item)) => {
                    return Some(Resolved {
                        name: resolved.name,
                        at: resolved.at,
                        value: Cow::Borrowed(item),
                    })
                }
                Cow::Owned(ReferenceOr::Item(item)) => {
                    return Some(Resolved {
                        name: resolved.name,
                        at: resolved.at,
                        value: Cow::Owned(item.clone()),
                    })
                }
                Cow::Borrowed(ReferenceOr::Reference { reference })
                | Cow::Owned(ReferenceOr::Reference { reference }) => reference.clone(),
            };
            resolved = self.resolve(&next, entries, raw, &resolved.at, r)?;
        }
        r.error(
            at.join("$ref"),
            format!("`$ref` `{reference}` is a cycle of references"),
        )
        .help(format!("point at the {} itself", self.noun));
        None
    }
}

/// `%xx` escapes decoded: a `$ref` is a URI fragment, so `{` may be written `%7B`.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_stop_at_the_entry() {
        assert_eq!(
            SCHEMAS.name_of("#/components/schemas/A~1B"),
            Some("A/B".to_owned())
        );
        assert_eq!(SCHEMAS.name_of("#/components/schemas/Tag/allOf/0"), None);
        assert_eq!(SCHEMAS.name_of("#/components/responses/A"), None);
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("/paths/~1a~1%7Bid%7D"), "/paths/~1a~1{id}");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
