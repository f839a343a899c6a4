//! Part of stage 1 (load): an OpenAPI 3.1 document mapped onto the 3.0 model, in the
//! raw tree, before it is checked and typed. The rest of the pipeline reads 3.0 only.
//!
//! Each JSON Schema 2020-12 form is rewritten as the 3.0 form with the same meaning
//! (`type: [T, "null"]` → `type: T` with `nullable: true`; `anyOf: [X, {type: "null"}]`
//! → X, nullable; `const` → a one-value `enum`; `$ref` with siblings → `allOf: [$ref]`
//! with them; …). What 3.0 cannot say is dropped with a warning at the keyword; nothing
//! here is an error, the structural check that follows decides that.
//!
//! Invariant: a node that stays where it was keeps its pointer, so diagnostics mark the
//! line the author wrote. A node that moves (a `$defs` entry becomes a component, the one
//! branch left of an `anyOf` joins its parent) is recorded with [`LineIndex::moved`].

use serde_json::{Map, Value};

mod keywords;
#[cfg(test)]
mod tests;

use super::lines::LineIndex;
use super::repair;
use crate::diag::{Locate, Reporter};
use crate::naming::type_name;
use crate::pointer::Pointer;
use keywords::{constant, content, enum_of_constants, examples, only_null, type_list};
/// Schemas nest this deep before the walk stops; the structural check reports it.
const MAX_DEPTH: usize = 64;

/// The dialect OpenAPI 3.1 schemas have unless `jsonSchemaDialect` says otherwise.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Keywords 3.0 has no counterpart for, dropped with a warning: what each did.
const IGNORED: &[(&str, &str)] = &[
    (
        "dependentRequired",
        "properties required when another is present",
    ),
    (
        "dependentSchemas",
        "schemas applied when a property is present",
    ),
    ("if", "a conditional schema"),
    ("then", "a conditional schema"),
    ("else", "a conditional schema"),
    (
        "unevaluatedProperties",
        "a rule for properties no other keyword covers",
    ),
    (
        "unevaluatedItems",
        "a rule for items no other keyword covers",
    ),
    ("propertyNames", "a rule for property names"),
    ("contains", "a rule that some item matches"),
    ("minContains", "a rule that some item matches"),
    ("maxContains", "a rule that some item matches"),
    ("$dynamicRef", "a dynamic reference"),
    ("$dynamicAnchor", "a dynamic reference target"),
];

/// Keywords that describe a value rather than shape it: a branch lifted into its parent
/// does not override the parent's.
const DESCRIBING: &[&str] = &[
    "description",
    "title",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "$comment",
    "externalDocs",
    "xml",
];
/// Maps the 3.1 document `raw` onto 3.0 in place.
pub(super) fn document(raw: &mut Value, lines: &LineIndex<'_>, r: &mut Reporter<'_>) {
    let Some(root) = raw.as_object_mut() else {
        return;
    };
    if let Some(dialect) = root.get("jsonSchemaDialect") {
        if dialect.as_str() != Some(OAS_DIALECT) {
            r.warning(
                "#/jsonSchemaDialect",
                "schemas are read in the OpenAPI 3.1 dialect, not the one `jsonSchemaDialect` names",
            )
            .help(format!("remove `jsonSchemaDialect`, or set it to `{OAS_DIALECT}`"));
        }
    }
    // 3.1 makes `paths` optional (a webhooks-only or components-only document).
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    let mut run = Run {
        lines,
        r,
        hoisted: Vec::new(),
        tagged: Vec::new(),
    };
    run.path_item_refs(root);
    for section in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(section) {
            for item in items.values_mut() {
                operations_without_responses(item);
            }
        }
    }
    run.all_schemas(raw);
    run.place_hoisted(raw);
    run.place_tagged(raw);
}

/// One run over a document: the diagnostics, the record of moves, and the `$defs`
/// entries waiting to become components.
struct Run<'a, 'r> {
    lines: &'a LineIndex<'a>,
    r: &'a mut Reporter<'r>,
    /// `$defs` entries taken out of their schema: where the author wrote them, and the
    /// schema.
    hoisted: Vec<(Pointer, Value)>,
    /// Inline branches of discriminated unions, to become components: the branch's
    /// pointer and its tag.
    tagged: Vec<(Pointer, String)>,
}

impl Run<'_, '_> {
    /// `$ref`s to `components/pathItems` (3.1) in `paths` and `webhooks` are replaced by
    /// the path item they name; the section itself goes, so that its schemas are not read
    /// twice.
    fn path_item_refs(&mut self, root: &mut Map<String, Value>) {
        let items = root
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.remove("pathItems"));
        let Some(Value::Object(items)) = items else {
            return;
        };
        let prefix = "#/components/pathItems/";
        for section in ["paths", "webhooks"] {
            let Some(Value::Object(entries)) = root.get_mut(section) else {
                continue;
            };
            for (key, entry) in entries.iter_mut() {
                let Some(reference) = entry.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let Some(name) = reference.strip_prefix(prefix) else {
                    continue;
                };
                let name = crate::pointer::unescape(name).into_owned();
                if let Some(item) = items.get(&name) {
                    let at = Pointer::root().join(section).join(key);
                    self.lines
                        .moved(at.as_str(), &format!("{prefix}{}", escape(&name)));
                    *entry = item.clone();
                }
            }
        }
    }

    /// Every schema of the document: components, and each `schema` met on the way.
    fn all_schemas(&mut self, raw: &mut Value) {
        let components = Pointer::root().join("components").join("schemas");
        if let Some(Value::Object(map)) = raw.pointer_mut("/components/schemas") {
            for (name, schema) in map.iter_mut() {
                self.schema(schema, &components.join(name), 0);
            }
        }
        let Some(root) = raw.as_object_mut() else {
            return;
        };
        for (key, value) in root.iter_mut() {
            if matches!(key.as_str(), "paths" | "webhooks" | "components") {
                self.find_schemas(value, &Pointer::root().join(key), &components);
            }
        }
    }

    /// Walks non-schema objects, normalising every `schema` value met on the way.
    fn find_schemas(&mut self, v: &mut Value, at: &Pointer, skip: &Pointer) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let child_at = at.join(k);
                    if k == "example" || k == "examples" || k.starts_with("x-") || child_at == *skip
                    {
                        continue;
                    }
                    if k == "schema" {
                        self.schema(child, &child_at, 0);
                    } else {
                        self.find_schemas(child, &child_at, skip);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.find_schemas(child, &at.index(i), skip);
                }
            }
            _ => {}
        }
    }

    /// One schema, then the schemas inside it.
    fn schema(&mut self, v: &mut Value, at: &Pointer, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        self.boolean_schema(v, at);
        let Value::Object(map) = v else {
            return;
        };
        if let Some(Value::Object(defs)) = map.remove("$defs") {
            let base = at.join("$defs");
            for (name, def) in defs {
                self.hoisted.push((base.join(&name), def));
            }
        }
        self.ignored(map, at);
        self.null_branches(map, at);
        enum_of_constants(map);
        self.tagged_branches(map, at);
        self.ref_siblings(map, at);
        type_list(map);
        constant(map, at, self.lines);
        examples(map);
        repair::exclusive_bounds(map);
        content(map);
        self.pattern_properties(map, at);
        self.prefix_items(map, at);
        self.children(map, at, depth);
    }

    /// `true` (any value) is the empty schema; `false` (no value) has no 3.0 form.
    fn boolean_schema(&mut self, v: &mut Value, at: &Pointer) {
        let Value::Bool(allowed) = *v else {
            return;
        };
        if !allowed {
            self.r
                .warning(
                    at.as_str(),
                    "a `false` schema (no value allowed) has no OpenAPI 3.0 form; it is read as any value",
                )
                .help("leave the property or item out of the schema instead");
        }
        *v = Value::Object(Map::new());
    }

    fn ignored(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        map.remove("$comment");
        map.remove("contentSchema");
        if map.get("$schema").and_then(Value::as_str).is_some_and(|s| {
            s == OAS_DIALECT || s.starts_with("https://json-schema.org/draft/2020-12/")
        }) {
            map.remove("$schema");
        }
        for (key, what) in IGNORED.iter().chain(&[("$schema", "another dialect")]) {
            if map.remove(*key).is_some() {
                self.r
                    .warning(
                        at.join(key).as_str(),
                        format!("`{key}` ({what}) has no OpenAPI 3.0 form; it is ignored"),
                    )
                    .help("the generated type accepts more values than the schema does");
            }
        }
    }

    /// `anyOf`/`oneOf` branches that allow only null make the schema nullable; when one
    /// branch is left, it is the schema (FastAPI's `Optional[X]`).
    fn null_branches(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = map.get_mut(key) else {
                continue;
            };
            if !branches.iter().any(only_null) {
                continue;
            }
            let kept: Vec<(usize, Value)> = std::mem::take(branches)
                .into_iter()
                .enumerate()
                .filter(|(_, b)| !only_null(b))
                .collect();
            map.insert("nullable".to_owned(), Value::Bool(true));
            let base = at.join(key);
            let others = ["anyOf", "oneOf"]
                .iter()
                .any(|k| *k != key && map.contains_key(*k));
            match kept.as_slice() {
                [] => {
                    map.remove(key);
                }
                [(i, branch)] if !others => {
                    let (i, branch) = (*i, branch.clone());
                    map.remove(key);
                    self.lift(map, at, &base.index(i), branch);
                }
                _ => {
                    for (j, (i, _)) in kept.iter().enumerate() {
                        if i != &j {
                            self.lines
                                .moved(base.index(j).as_str(), base.index(*i).as_str());
                        }
                    }
                    let kept = kept.into_iter().map(|(_, b)| b).collect();
                    map.insert(key.to_owned(), Value::Array(kept));
                }
            }
        }
    }

    /// The one branch left of a union, written at `from`, becomes part of its parent:
    /// merged when its keywords do not clash with the parent's, else through `allOf`.
    fn lift(&mut self, map: &mut Map<String, Value>, at: &Pointer, from: &Pointer, branch: Value) {
        let mut branch = match branch {
            Value::Object(b) => b,
            // `true` (any value) adds nothing.
            _ => return,
        };
        if branch.contains_key("$ref") {
            // The branch's own words describe the value: they go to the parent, which
            // lowering reads as the field's, and the `$ref` stays plain.
            let describing: Vec<String> = branch
                .keys()
                .filter(|k| DESCRIBING.contains(&k.as_str()) && !map.contains_key(*k))
                .cloned()
                .collect();
            for k in describing {
                if let Some(v) = branch.remove(&k) {
                    self.lines
                        .moved(at.join(&k).as_str(), from.join(&k).as_str());
                    map.insert(k, v);
                }
            }
            branch.retain(|k, _| k == "$ref" || !DESCRIBING.contains(&k.as_str()));
        }
        let clash = branch.contains_key("$ref")
            || branch
                .keys()
                .any(|k| map.contains_key(k) && !DESCRIBING.contains(&k.as_str()));
        if clash {
            self.push_all_of(map, at, from, Value::Object(branch));
            return;
        }
        for (k, v) in branch {
            if !map.contains_key(&k) {
                self.lines
                    .moved(at.join(&k).as_str(), from.join(&k).as_str());
                map.insert(k, v);
            }
        }
    }

    /// Appends `part`, written at `from`, to the schema's `allOf`.
    fn push_all_of(
        &mut self,
        map: &mut Map<String, Value>,
        at: &Pointer,
        from: &Pointer,
        part: Value,
    ) {
        let all_of = map
            .entry("allOf")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !all_of.is_array() {
            // The structural check reports a non-list `allOf`.
            return;
        }
        if let Value::Array(parts) = all_of {
            self.lines
                .moved(at.join("allOf").index(parts.len()).as_str(), from.as_str());
            parts.push(part);
        }
    }

    /// A `$ref` with sibling keywords: 3.1 applies both, 3.0 ignores the siblings. Both
    /// apply through `allOf: [$ref]`, which lowering reads as the referenced type.
    fn ref_siblings(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        if !map.contains_key("$ref") || map.len() == 1 {
            return;
        }
        map.remove("summary");
        if map.len() == 1 {
            return;
        }
        if let Some(reference) = map.remove("$ref") {
            let mut part = Map::new();
            part.insert("$ref".to_owned(), reference);
            self.push_all_of(map, at, at, Value::Object(part));
        }
    }

    /// `patternProperties` name their properties by a pattern: a map with those values.
    fn pattern_properties(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        let Some(Value::Object(patterns)) = map.remove("patternProperties") else {
            return;
        };
        if matches!(map.get("additionalProperties"), Some(v) if v != &Value::Bool(true)) {
            self.r
                .warning(
                    at.join("patternProperties").as_str(),
                    "`patternProperties` beside `additionalProperties` are ignored",
                )
                .help("describe the values with `additionalProperties` alone");
            return;
        }
        let mut values = patterns.iter();
        let Some((pattern, first)) = values.next() else {
            return;
        };
        let value = if values.all(|(_, v)| v == first) {
            let from = at.join("patternProperties").join(pattern);
            self.lines
                .moved(at.join("additionalProperties").as_str(), from.as_str());
            first.clone()
        } else {
            self.r
                .warning(
                    at.join("patternProperties").as_str(),
                    "`patternProperties` with different schemas per pattern are read as a map of untyped values",
                )
                .help("use one schema for every pattern, or name the properties");
            Value::Bool(true)
        };
        map.insert("additionalProperties".to_owned(), value);
        map.entry("type").or_insert_with(|| Value::from("object"));
    }

    /// A tuple (`prefixItems`) is a list in Rust: of the one item schema when every
    /// position has the same, else of untyped values.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, at: &Pointer) {
        let Some(Value::Array(positions)) = map.remove("prefixItems") else {
            return;
        };
        if map.get("items").is_some_and(Value::is_boolean) {
            map.remove("items");
        }
        map.entry("type").or_insert_with(|| Value::from("array"));
        let Some(first) = positions.first() else {
            return;
        };
        let same = positions.iter().all(|p| p == first)
            && map.get("items").is_none_or(|items| items == first);
        if same {
            let from = at.join("prefixItems").index(0);
            self.lines.moved(at.join("items").as_str(), from.as_str());
            map.insert("items".to_owned(), first.clone());
        } else {
            self.r
                .warning(
                    at.join("prefixItems").as_str(),
                    "a tuple (`prefixItems`) of different item schemas is read as a list of untyped values",
                )
                .help("the items are `serde_json::Value`; decode each position yourself");
            map.insert("items".to_owned(), Value::Object(Map::new()));
        }
    }

    /// The schemas nested in one.
    fn children(&mut self, map: &mut Map<String, Value>, at: &Pointer, depth: usize) {
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            let base = at.join("properties");
            for (name, schema) in props.iter_mut() {
                self.schema(schema, &base.join(name), depth + 1);
            }
        }
        for single in ["items", "not"] {
            if let Some(schema) = map.get_mut(single) {
                self.schema(schema, &at.join(single), depth + 1);
            }
        }
        if let Some(schema @ Value::Object(_)) = map.get_mut("additionalProperties") {
            self.schema(schema, &at.join("additionalProperties"), depth + 1);
        }
        for list in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(items)) = map.get_mut(list) {
                let base = at.join(list);
                for (i, schema) in items.iter_mut().enumerate() {
                    plain_ref(schema);
                    self.schema(schema, &base.index(i), depth + 1);
                }
            }
        }
    }

    /// Pydantic and other 2020-12 writers put a discriminated union's branches inline,
    /// each with a `const` tag; lowering reads a discriminator over components only, so
    /// each such branch is noted here and becomes one in [`Run::place_tagged`].
    fn tagged_branches(&mut self, map: &Map<String, Value>, at: &Pointer) {
        let Some(property) = map
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
        else {
            return;
        };
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = map.get(key) else {
                continue;
            };
            for (i, branch) in branches.iter().enumerate() {
                if branch.get("$ref").is_some() {
                    continue;
                }
                let tag = branch
                    .get("properties")
                    .and_then(|p| p.get(property))
                    .and_then(|p| p.get("const").or_else(|| p.get("enum")?.get(0)))
                    .and_then(Value::as_str);
                if let Some(tag) = tag {
                    self.tagged.push((at.join(key).index(i), tag.to_owned()));
                }
            }
        }
    }

    /// The noted inline branches of discriminated unions become components, named after
    /// their title or their holder and tag, and the discriminator maps each tag to its
    /// component.
    fn place_tagged(&mut self, raw: &mut Value) {
        // Innermost first: a branch inside another noted branch moves while the outer one
        // is still where its pointer says.
        for (at, tag) in std::mem::take(&mut self.tagged).into_iter().rev() {
            let Some(branch) = raw.pointer_mut(&at.as_str()[1..]).map(Value::take) else {
                continue;
            };
            let Some(components) = components_mut(raw) else {
                return;
            };
            let wanted = branch
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| tagged_name(&at, &tag), type_name);
            let name = free_name(components, &Pointer::root().join(&wanted));
            let to = Pointer::root()
                .join("components")
                .join("schemas")
                .join(&name);
            self.lines.moved(to.as_str(), at.as_str());
            components.insert(name, branch);
            let mut reference = Map::new();
            reference.insert("$ref".to_owned(), Value::from(to.as_str()));
            if let Some(slot) = raw.pointer_mut(&at.as_str()[1..]) {
                *slot = Value::Object(reference);
            }
            let union_at = at.tokens().count().saturating_sub(2);
            let union: Vec<String> = at.tokens().take(union_at).map(|t| escape(&t)).collect();
            let mapping = format!("/{}/discriminator", union.join("/"));
            if let Some(Value::Object(d)) = raw.pointer_mut(&mapping) {
                if let Value::Object(m) = d
                    .entry("mapping")
                    .or_insert_with(|| Value::Object(Map::new()))
                {
                    m.entry(tag).or_insert_with(|| Value::from(to.as_str()));
                }
            }
        }
    }

    /// `$defs` entries become components (3.0 has no other place for a named schema),
    /// and the references to them follow.
    fn place_hoisted(&mut self, raw: &mut Value) {
        let mut renamed: Vec<(String, String)> = Vec::new();
        // Entries hoisted while placing others (nested `$defs`) are placed in turn; the
        // count bounds the loop by the document's size.
        let mut rounds = 0;
        while !self.hoisted.is_empty() && rounds <= MAX_DEPTH {
            rounds += 1;
            for (from, mut def) in std::mem::take(&mut self.hoisted) {
                let Some(components) = components_mut(raw) else {
                    return;
                };
                let name = free_name(components, &from);
                let to = Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(&name);
                self.lines.moved(to.as_str(), from.as_str());
                self.schema(&mut def, &to, 0);
                let written = self
                    .lines
                    .written(from.as_str())
                    .unwrap_or_else(|| from.as_str().to_owned());
                renamed.push((written, to.as_str().to_owned()));
                if let Some(components) = components_mut(raw) {
                    components.insert(name, def);
                }
            }
        }
        if !renamed.is_empty() {
            rewrite_refs(raw, &renamed);
        }
    }
}

/// A `$ref` part or branch of a union whose siblings only describe it stays a plain
/// `$ref`, as 3.0 reads it: a union names its variants by their components, and
/// `allOf: [$ref]` is read as the referenced type only when the part is a `$ref`.
fn plain_ref(part: &mut Value) {
    if let Value::Object(map) = part {
        if map.contains_key("$ref")
            && map
                .keys()
                .all(|k| k == "$ref" || k == "summary" || DESCRIBING.contains(&k.as_str()))
        {
            map.retain(|k, _| k == "$ref");
        }
    }
}

/// 3.1 makes `responses` optional; the 3.0 model needs the (empty) map.
fn operations_without_responses(item: &mut Value) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for method in [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ] {
        if let Some(Value::Object(op)) = item.get_mut(method) {
            op.entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
}
fn components_mut(raw: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = raw.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// A component name for the `$defs` entry at `from`: its own name when free, else with
/// the name of the schema that held it, else with a number.
fn free_name(components: &Map<String, Value>, from: &Pointer) -> String {
    let tokens: Vec<String> = from.tokens().map(|t| t.into_owned()).collect();
    let own = tokens.last().cloned().unwrap_or_default();
    let holder = tokens
        .iter()
        .rev()
        .skip(2)
        .find(|t| !matches!(t.as_str(), "schema" | "properties" | "items" | "$defs"))
        .cloned()
        .unwrap_or_default();
    let mut candidates = vec![own.clone(), format!("{holder}{own}")];
    candidates.extend((2..).take(1000).map(|n| format!("{holder}{own}{n}")));
    candidates
        .into_iter()
        .find(|c| !c.is_empty() && !components.contains_key(c))
        .unwrap_or(own)
}

/// Points every `$ref` (and discriminator mapping) at a moved schema to its new place.
fn rewrite_refs(v: &mut Value, renamed: &[(String, String)]) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match child {
                    Value::String(s) if k == "$ref" => {
                        if let Some((_, to)) = renamed.iter().find(|(from, _)| from == s) {
                            s.clone_from(to);
                        }
                    }
                    _ if k == "example" || k == "examples" || k == "enum" || k == "default" => {}
                    _ if k == "mapping" => {
                        if let Value::Object(mapping) = child {
                            for target in mapping.values_mut() {
                                if let Value::String(s) = target {
                                    if let Some((_, to)) =
                                        renamed.iter().find(|(from, _)| from == s)
                                    {
                                        s.clone_from(to);
                                    }
                                }
                            }
                        }
                    }
                    _ => rewrite_refs(child, renamed),
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, renamed);
            }
        }
        _ => {}
    }
}

/// The component name of an inline tagged branch without a title: its holder's name
/// and its tag.
fn tagged_name(at: &Pointer, tag: &str) -> String {
    let tokens: Vec<String> = at.tokens().map(|t| t.into_owned()).collect();
    let holder = tokens
        .iter()
        .rev()
        .find(|t| {
            !t.is_empty()
                && !t.contains('/')
                && !t.chars().all(|c| c.is_ascii_digit())
                && !matches!(
                    t.as_str(),
                    "schema"
                        | "properties"
                        | "items"
                        | "oneOf"
                        | "anyOf"
                        | "allOf"
                        | "content"
                        | "additionalProperties"
                        | "schemas"
                        | "components"
                )
        })
        .cloned()
        .unwrap_or_default();
    format!("{}{}", type_name(&holder), type_name(tag))
}

/// A name as a JSON Pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
