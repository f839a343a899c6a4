//! Path templates and the names derived from them, for documents that leave things out.
//!
//! The template is the truth about path parameters: `{name}` variables, and `:name`
//! segments (a common non-OpenAPI spelling) read as `{name}`. An operation without an
//! `operationId` gets a name from its method and path (`GET /pets/{id}` → `get_pet`,
//! `GET /pets` → `list_pets`), and one without tags either is placed by the first path
//! segment that is not shared by every path of the document. Both depend on nothing but
//! the method and the paths, so they are stable from run to run.

use crate::naming::field_name;

/// A path with every `:name` segment written as `{name}`, and the names so converted.
pub(super) fn normalize(path: &str) -> (String, Vec<String>) {
    let mut converted = Vec::new();
    let segments: Vec<String> = path
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) if !name.is_empty() => {
                converted.push(name.to_owned());
                format!("{{{name}}}")
            }
            _ => seg.to_owned(),
        })
        .collect();
    (segments.join("/"), converted)
}

/// The `{variables}` of a template, in order.
pub(super) fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    names
}

fn is_variable(segment: &str) -> bool {
    segment.contains('{')
}

/// The leading segments that are not variables.
fn leading_static(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .take_while(|s| !is_variable(s))
        .collect()
}

/// How many leading segments every path shares (`/api/v1/…`), never a whole path's
/// static head, so every path keeps a segment to be placed by.
pub(super) fn common_prefix<'p>(paths: impl Iterator<Item = &'p str>) -> usize {
    let heads: Vec<Vec<&str>> = paths.map(leading_static).collect();
    let Some(first) = heads.first() else {
        return 0;
    };
    let shared = (0..first.len())
        .take_while(|&i| heads.iter().all(|h| h.get(i) == first.get(i)))
        .count();
    let cap = heads
        .iter()
        .map(|h| h.len().saturating_sub(1))
        .min()
        .unwrap_or(0);
    shared.min(cap)
}

/// The resource of an operation placed by its path: its first segment past the shared
/// prefix, when that segment is not a variable.
pub(super) fn resource(path: &str, prefix: usize) -> Option<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .nth(prefix)
        .filter(|s| !is_variable(s))
        .map(str::to_owned)
}

/// The derived method name: a verb from the HTTP method and whether the path ends in a
/// variable (one item) or not (the collection), then the last static segment.
pub(super) fn derived_name(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let item = segments.last().is_some_and(|s| is_variable(s));
    let noun = segments
        .iter()
        .rev()
        .find(|s| !is_variable(s))
        .copied()
        .unwrap_or("root");
    let (verb, noun) = match method.to_ascii_lowercase().as_str() {
        "get" if item => ("get", singular(noun)),
        "get" if looks_plural(noun) => ("list", noun.to_owned()),
        "get" => ("get", noun.to_owned()),
        "post" if item => ("post", singular(noun)),
        "post" => ("create", singular(noun)),
        "put" => ("replace", singular(noun)),
        "patch" => ("update", singular(noun)),
        "delete" => ("delete", singular(noun)),
        other => return field_name(&format!("{other}_{noun}")),
    };
    field_name(&format!("{verb}_{noun}"))
}

fn looks_plural(word: &str) -> bool {
    word.ends_with('s') && !["ss", "us", "is"].iter().any(|e| word.ends_with(e))
}

/// `pets` → `pet`, `categories` → `category`; a word that does not look plural is kept.
fn singular(word: &str) -> String {
    if !looks_plural(word) {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    if let Some(stem) = word.strip_suffix("ses") {
        return format!("{stem}s");
    }
    word[..word.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colon_segments_become_variables() {
        assert_eq!(
            normalize("/items/:id/parts/:part_id"),
            (
                "/items/{id}/parts/{part_id}".to_owned(),
                vec!["id".to_owned(), "part_id".to_owned()]
            )
        );
        assert_eq!(normalize("/a:b/{c}"), ("/a:b/{c}".to_owned(), Vec::new()));
    }

    #[test]
    fn derived_names_read_like_methods() {
        let cases = [
            ("get", "/pets", "list_pets"),
            ("get", "/pets/{id}", "get_pet"),
            ("post", "/pets", "create_pet"),
            ("put", "/pets/{id}", "replace_pet"),
            ("patch", "/pets/{id}", "update_pet"),
            ("delete", "/pets/{id}", "delete_pet"),
            ("get", "/status", "get_status"),
            ("get", "/categories/{id}", "get_category"),
            ("get", "/", "get_root"),
            ("head", "/pets", "head_pets"),
            (
                "get",
                "/astronomicalObject/{uid}",
                "get_astronomical_object",
            ),
        ];
        for (method, path, want) in cases {
            assert_eq!(derived_name(method, path), want, "{method} {path}");
        }
    }

    #[test]
    fn resources_skip_the_shared_prefix() {
        let paths = ["/api/v1/pets", "/api/v1/pets/{id}", "/api/v1/users"];
        let prefix = common_prefix(paths.iter().copied());
        assert_eq!(prefix, 2);
        assert_eq!(
            resource("/api/v1/pets/{id}", prefix),
            Some("pets".to_owned())
        );
        assert_eq!(common_prefix(["/pets", "/pets/{id}"].into_iter()), 0);
        assert_eq!(resource("/{id}", 0), None);
    }
}
