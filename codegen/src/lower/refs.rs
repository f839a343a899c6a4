//! `$ref`s into `components`: one resolver for every section (schemas, parameters, request
//! bodies, responses), so that an unsupported or dangling reference reads the same
//! wherever it appears.
//!
//! Only local references into the matching section are supported; a name is unescaped
//! (`~1` → `/`, `~0` → `~`) before it is looked up. A reference is reported once, at its
//! `$ref`, and the caller gets `None` and skips what it was lowering.

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use crate::diag::{pointer, Reporter};
use crate::suggest::closest;

/// A section of `components` that a `$ref` may point into.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section {
    key: &'static str,
    /// How a reference into the section starts.
    pub(crate) prefix: &'static str,
    noun: &'static str,
    plural: &'static str,
    /// Whether a dangling name gets a "did you mean" from the section's names. Only schemas
    /// have one yet: turning it on for a section changes that section's diagnostics.
    suggest: bool,
}

pub(crate) const SCHEMAS: Section = Section {
    key: "schemas",
    prefix: "#/components/schemas/",
    noun: "schema",
    plural: "schemas",
    suggest: true,
};
pub(crate) const PARAMETERS: Section = Section {
    key: "parameters",
    prefix: "#/components/parameters/",
    noun: "parameter",
    plural: "parameters",
    suggest: false,
};
pub(crate) const REQUEST_BODIES: Section = Section {
    key: "requestBodies",
    prefix: "#/components/requestBodies/",
    noun: "request body",
    plural: "request bodies",
    suggest: false,
};
pub(crate) const RESPONSES: Section = Section {
    key: "responses",
    prefix: "#/components/responses/",
    noun: "response",
    plural: "responses",
    suggest: false,
};

impl Section {
    /// The JSON Pointer of an entry.
    pub(crate) fn pointer(self, name: &str) -> String {
        pointer(&format!("#/components/{}", self.key), name)
    }

    /// The entry a reference names, without looking it up; `None` when it points elsewhere.
    pub(crate) fn name_of(self, reference: &str) -> Option<String> {
        reference
            .strip_prefix(self.prefix)
            .map(|name| name.replace("~1", "/").replace("~0", "~"))
    }

    /// Resolves `reference`, written at `at`, among `entries`: the entry's name and value,
    /// or `None` once the reason is reported.
    pub(crate) fn resolve<'e, T>(
        self,
        reference: &str,
        entries: Option<&'e IndexMap<String, T>>,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Option<(String, &'e T)> {
        let at = pointer(at, "$ref");
        let Some(name) = self.name_of(reference) else {
            r.error(
                &at,
                format!(
                    "unsupported `$ref` `{reference}`: only `{}…` is supported for {}",
                    self.prefix, self.plural
                ),
            )
            .help(format!(
                "move the {} under components/{} and reference it there",
                self.noun, self.key
            ));
            return None;
        };
        if let Some(found) = entries.and_then(|e| e.get(&name)) {
            return Some((name, found));
        }
        let note = r.error(
            &at,
            format!("dangling `$ref`: `{reference}` does not exist"),
        );
        let close = entries
            .filter(|_| self.suggest)
            .and_then(|e| closest(&name, e.keys()));
        match close {
            Some(c) => note.help(format!("did you mean `{}{c}`?", self.prefix)),
            None => note.help(format!("define it under components/{}", self.key)),
        };
        None
    }

    /// [`Section::resolve`] for sections whose entries are used as they are: a reference
    /// to another reference is reported rather than followed.
    pub(crate) fn resolve_item<'e, T>(
        self,
        reference: &str,
        entries: Option<&'e IndexMap<String, ReferenceOr<T>>>,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Option<(String, &'e T)> {
        match self.resolve(reference, entries, at, r)? {
            (name, ReferenceOr::Item(item)) => Some((name, item)),
            (_, ReferenceOr::Reference { .. }) => {
                r.error(
                    at,
                    format!("a {} `$ref` to another `$ref` is not supported", self.noun),
                )
                .help(format!("point at the {} itself", self.noun));
                None
            }
        }
    }
}
