//! Path templates and the names derived from them, for documents that leave things out.
//!
//! The template is the truth about path parameters: `{name}` variables, and `:name`
//! segments (a common non-OpenAPI spelling) read as `{name}`. An operation without an
//! `operationId` gets a name from its method and path (`GET /pets/{id}` → `get_pet`,
//! `GET /pets` → `list_pets`), and one without tags either is placed by the first path
//! segment that is not shared by every path of the document. Both depend on nothing but
//! the method and the paths, so they are stable from run to run.

use openapiv3::Parameter;

use crate::diag::Reporter;
use crate::ir::{Location, Param, Style, Ty};
use crate::naming::{field_name, Namespace};
use crate::pointer::Pointer;

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

/// The segment that names a path's resource on its own, whatever other paths the spec
/// has: the first one past a leading `api` and version segments (`v1`, `v2.1`), unless it
/// is a variable. Adding a path never changes another's.
pub(super) fn own_resource(path: &str) -> Option<String> {
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    if segments
        .peek()
        .is_some_and(|s| s.eq_ignore_ascii_case("api"))
    {
        segments.next();
    }
    segments
        .find(|s| !is_version(s))
        .filter(|s| !is_variable(s))
        .map(str::to_owned)
}

/// `v1`, `V2`, `v2.1`, `v1_0`: a `v` and numbers.
fn is_version(segment: &str) -> bool {
    let Some(rest) = segment.strip_prefix(['v', 'V']) else {
        return false;
    };
    rest.starts_with(|c: char| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
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

/// What becomes of a declared parameter once the path template has its say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    Keep,
    /// A path parameter the template lacks.
    Drop,
    /// Declared elsewhere (`in: query`), but the template names it.
    ToPath,
}

/// The template is the truth: a path parameter it lacks is left out, and one declared in
/// another location that it names (and no path parameter does) is sent in the path.
pub(super) fn template_fates(
    resolved: &[(Parameter, Pointer)],
    template: &[String],
    path: &str,
    r: &mut Reporter<'_>,
) -> Vec<Fate> {
    let declared_in_path = |name: &str| {
        resolved
            .iter()
            .any(|(p, _)| location(p) == Location::Path && p.parameter_data_ref().name == name)
    };
    resolved
        .iter()
        .map(|(param, p_at)| {
            let name = &param.parameter_data_ref().name;
            let in_template = template.contains(name);
            let loc = location(param);
            if loc == Location::Path && !in_template {
                r.warning(
                    p_at,
                    format!("path parameter `{name}` is declared but `{path}` has no `{{{name}}}`; it is left out"),
                )
                .help("remove the parameter or add it to the path template");
                Fate::Drop
            } else if loc != Location::Path && in_template && !declared_in_path(name) {
                r.warning(
                    p_at,
                    format!(
                        "parameter `{name}` is declared `in: {}` but `{path}` has `{{{name}}}`; it is sent in the path",
                        loc.as_str()
                    ),
                )
                .help("declare it `in: path`");
                Fate::ToPath
            } else {
                Fate::Keep
            }
        })
        .collect()
}

/// A template variable that no parameter declares is a required string.
pub(super) fn undeclared_path_params(
    params: &mut Vec<Param>,
    template: &[String],
    path: &str,
    at: &Pointer,
    arg_names: &mut Namespace,
    r: &mut Reporter<'_>,
) {
    for name in template {
        if params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == *name)
        {
            continue;
        }
        r.warning(
            at,
            format!("path parameter `{{{name}}}` is used in `{path}` but not declared; it is a required string"),
        )
        .help(format!(
            "declare it: `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}`"
        ));
        params.push(Param {
            name: arg_names.claim(&field_name(name), name).name,
            wire: name.clone(),
            location: Location::Path,
            ty: Ty::String,
            required: true,
            doc: None,
            example: None,
            default: None,
            checks: Vec::new(),
            style: Style::Simple,
            origin: at.to_string(),
        });
    }
}

/// Where a parameter is sent.
pub(super) fn location(p: &Parameter) -> Location {
    match p {
        Parameter::Path { .. } => Location::Path,
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => Location::Cookie,
    }
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
    fn own_resources_skip_api_and_versions_only() {
        let table = [
            ("/v1/customers/{id}", Some("customers")),
            ("/api/v2.1/pets", Some("pets")),
            ("/api/pets", Some("pets")),
            ("/health", Some("health")),
            ("/v1", None),
            ("/v1/{id}", None),
            ("/version/x", Some("version")),
            ("/vendors", Some("vendors")),
        ];
        for (path, want) in table {
            assert_eq!(own_resource(path).as_deref(), want, "{path}");
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
