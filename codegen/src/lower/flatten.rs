//! Flattening: a schema with its `$ref` chains followed and its `allOf` parts merged into
//! one [`Flat`] view, which is what every later step reads.
//!
//! Invariants: a `$ref` is followed only into `components/schemas`, and a cycle through
//! `$ref`/`allOf` aliases is reported instead of followed (a cycle through a property is
//! fine: properties are kept as schemas, not flattened). `Flat::component` names the
//! component a view is exactly, so that lowering can reuse its named type.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::arena::TypeSpace;
use super::refs::SCHEMAS;
use crate::diag::Reporter;
use crate::ir::Check;
use crate::pointer::{kind, Pointer};

/// The JSON Schema `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

impl JsonType {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }

    /// The spelling in the spec.
    fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

/// A schema with `$ref`s followed and `allOf` merged.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flat {
    pub(crate) ty: Option<JsonType>,
    pub(crate) format: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) title: Option<String>,
    /// `example`, as a string when it is one (see [`example_text`]).
    pub(crate) example: Option<String>,
    /// `default`, as JSON text.
    pub(crate) default: Option<String>,
    pub(crate) nullable: bool,
    pub(crate) read_only: bool,
    pub(crate) write_only: bool,
    pub(crate) secret: bool,
    pub(crate) properties: IndexMap<String, (ReferenceOr<Schema>, Pointer)>,
    pub(crate) required: Vec<String>,
    pub(crate) additional: Option<(AdditionalProperties, Pointer)>,
    pub(crate) items: Option<(ReferenceOr<Schema>, Pointer)>,
    pub(crate) enum_values: Vec<serde_json::Value>,
    pub(crate) checks: Vec<Check>,
    pub(crate) one_of: Vec<(ReferenceOr<Schema>, Pointer)>,
    pub(crate) any_of: Vec<(ReferenceOr<Schema>, Pointer)>,
    pub(crate) discriminator: Option<openapiv3::Discriminator>,
    /// `not: {}`: no value matches. A property like this must be absent.
    pub(crate) never: bool,
    /// The parts disagree on what the value is; it is any JSON value.
    pub(crate) untyped: bool,
    /// The component this flat view is exactly (a plain `$ref`), if any.
    pub(crate) component: Option<String>,
    /// The pointer a `$ref` that names no component reached, if this view is exactly one.
    pub(crate) target: Option<Pointer>,
}

impl TypeSpace<'_> {
    /// Follows `$ref` chains and merges `allOf` into one flat view.
    pub(crate) fn flatten(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Flat {
        match schema {
            ReferenceOr::Reference { reference } => {
                let raw = self.raw;
                let Some(target) = SCHEMAS.resolve(reference, Some(self.components), raw, at, r)
                else {
                    return Flat::default();
                };
                // A component is tracked by name, any other target by its pointer.
                let key = target.name.clone().unwrap_or_else(|| target.at.to_string());
                if self.flattening.contains(&key) {
                    // A cycle through allOf/$ref aliases cannot be merged; a cycle through a
                    // property is fine and never gets here (properties are not flattened).
                    let mut chain = self.flattening.clone();
                    chain.push(key);
                    r.error(at, format!("`$ref` cycle through `allOf`: {}", chain.join(" → ")))
                        .help("break the cycle: a schema cannot include itself through `allOf`; reference it from a property instead");
                    return Flat::default();
                }
                self.flattening.push(key);
                let mut flat = self.flatten(&target.value, &target.at, r);
                self.flattening.pop();
                if target.name.is_none() {
                    flat.target = Some(target.at);
                }
                flat.component = target.name;
                flat
            }
            ReferenceOr::Item(schema) => self.flatten_item(schema, at, r),
        }
    }

    fn flatten_item(&mut self, schema: &Schema, at: &Pointer, r: &mut Reporter<'_>) -> Flat {
        let data = &schema.schema_data;
        let mut flat = Flat {
            description: data.description.clone(),
            title: data.title.clone(),
            example: data.example.as_ref().and_then(example_text),
            default: data.default.as_ref().map(serde_json::Value::to_string),
            nullable: data.nullable,
            read_only: data.read_only,
            write_only: data.write_only,
            discriminator: data.discriminator.clone(),
            secret: data
                .extensions
                .get("x-sdk-secret")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            ..Flat::default()
        };
        if let Some(v) = data.extensions.get("x-sdk-secret") {
            if !v.is_boolean() {
                r.error(
                    at.join("x-sdk-secret"),
                    format!(
                        "invalid extension value: `x-sdk-secret` must be a boolean, found {}",
                        kind(v)
                    ),
                );
            }
        }
        let mut parts: Vec<(ReferenceOr<Schema>, Pointer)> = Vec::new();
        match &schema.schema_kind {
            SchemaKind::Type(t) => flatten_type(t, at, &mut flat),
            SchemaKind::OneOf { one_of } => flat.one_of = indexed(one_of, at, "oneOf"),
            SchemaKind::AnyOf { any_of } => flat.any_of = indexed(any_of, at, "anyOf"),
            SchemaKind::AllOf { all_of } => parts = indexed(all_of, at, "allOf"),
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                flatten_any(any, at, &mut flat, r);
                parts = indexed(&any.all_of, at, "allOf");
                flat.one_of = indexed(&any.one_of, at, "oneOf");
                flat.any_of = indexed(&any.any_of, at, "anyOf");
                read_enum(&any.enumeration, &mut flat, at, r);
            }
        }
        self.not(schema, at, &mut flat, r);
        // `allOf: [$ref]` with nothing else that shapes the value is the referenced type
        // itself (specs write it to attach a description to a `$ref`).
        let shapes_value = flat.ty.is_some()
            || !flat.properties.is_empty()
            || flat.items.is_some()
            || !flat.enum_values.is_empty()
            || !flat.one_of.is_empty()
            || !flat.any_of.is_empty();
        let alias =
            matches!(parts.as_slice(), [(ReferenceOr::Reference { .. }, _)]) && !shapes_value;
        for (part, part_at) in parts {
            let other = self.flatten(&part, &part_at, r);
            let component = other.component.clone();
            merge(&mut flat, other, &part_at, r);
            if alias {
                flat.component = component;
            }
        }
        flat
    }
}

impl TypeSpace<'_> {
    /// `not`, which Rust types cannot express except in one case: `not: {}` matches no
    /// value (a property that must be absent). Anything else is left to the server: alone
    /// the value is any JSON, beside other keywords the constraint is not checked. The raw
    /// document is read because `openapiv3` drops `not` beside `type`.
    fn not(&self, schema: &Schema, at: &Pointer, flat: &mut Flat, r: &mut Reporter<'_>) {
        let typed = match &schema.schema_kind {
            SchemaKind::Not { not } => serde_json::to_value(not).ok(),
            SchemaKind::Any(any) => any.not.as_ref().and_then(|n| serde_json::to_value(n).ok()),
            _ => None,
        };
        let raw = at
            .resolve(self.raw)
            .and_then(|node| node.get("not"))
            .cloned();
        let Some(not) = raw.or(typed) else {
            return;
        };
        let not_at = at.join("not");
        if is_empty_schema(&not) {
            flat.never = true;
        } else if matches!(schema.schema_kind, SchemaKind::Not { .. }) {
            r.warning(&not_at, "`not` cannot be expressed as a Rust type; the value is any JSON value")
                .help("describe the allowed values positively (an enum, a pattern or a oneOf); the server still checks `not`");
        } else {
            r.warning(&not_at, "`not` cannot be expressed as a Rust type; the client does not check this constraint")
                .help("describe the allowed values positively (an enum, a pattern or a oneOf); the server still checks `not`");
        }
    }
}

fn flatten_type(t: &Type, at: &Pointer, flat: &mut Flat) {
    match t {
        Type::String(s) => {
            flat.ty = Some(JsonType::String);
            flat.format = format_name(&s.format);
            if flat.format.as_deref() == Some("password") {
                flat.secret = true;
            }
            push_len(&mut flat.checks, s.min_length, s.max_length);
            if let Some(p) = &s.pattern {
                flat.checks.push(Check::Pattern(p.clone()));
            }
            for v in &s.enumeration {
                match v {
                    Some(v) => flat.enum_values.push(serde_json::Value::String(v.clone())),
                    None => flat.nullable = true,
                }
            }
        }
        Type::Number(n) => {
            flat.ty = Some(JsonType::Number);
            flat.format = format_name(&n.format);
            push_range(
                &mut flat.checks,
                n.minimum,
                n.maximum,
                n.exclusive_minimum,
                n.exclusive_maximum,
            );
        }
        Type::Integer(i) => {
            flat.ty = Some(JsonType::Integer);
            flat.format = format_name(&i.format);
            #[allow(
                clippy::cast_precision_loss,
                reason = "bounds only need to be approximately exact"
            )]
            push_range(
                &mut flat.checks,
                i.minimum.map(|v| v as f64),
                i.maximum.map(|v| v as f64),
                i.exclusive_minimum,
                i.exclusive_maximum,
            );
        }
        Type::Boolean(_) => flat.ty = Some(JsonType::Boolean),
        Type::Object(o) => {
            flat.ty = Some(JsonType::Object);
            for (name, prop) in &o.properties {
                flat.properties.insert(
                    name.clone(),
                    (unbox(prop), at.join("properties").join(name)),
                );
            }
            flat.required.clone_from(&o.required);
            flat.additional = o
                .additional_properties
                .clone()
                .map(|a| (a, at.join("additionalProperties")));
        }
        Type::Array(a) => {
            flat.ty = Some(JsonType::Array);
            flat.items = a.items.as_ref().map(|i| (unbox(i), at.join("items")));
            push_items(&mut flat.checks, a.min_items, a.max_items, a.unique_items);
        }
    }
}

fn flatten_any(any: &openapiv3::AnySchema, at: &Pointer, flat: &mut Flat, r: &mut Reporter<'_>) {
    if let Some(name) = &any.typ {
        flat.ty = JsonType::parse(name);
        if flat.ty.is_none() {
            r.error(at.join("type"), format!("unknown type `{name}`"))
                .help("use one of string, integer, number, boolean, object, array");
        }
    }
    flat.format.clone_from(&any.format);
    if flat.format.as_deref() == Some("password") {
        flat.secret = true;
    }
    push_len(&mut flat.checks, any.min_length, any.max_length);
    if let Some(p) = &any.pattern {
        flat.checks.push(Check::Pattern(p.clone()));
    }
    push_range(
        &mut flat.checks,
        any.minimum,
        any.maximum,
        any.exclusive_minimum.unwrap_or(false),
        any.exclusive_maximum.unwrap_or(false),
    );
    push_items(
        &mut flat.checks,
        any.min_items,
        any.max_items,
        any.unique_items.unwrap_or(false),
    );
    for (name, prop) in &any.properties {
        flat.properties.insert(
            name.clone(),
            (unbox(prop), at.join("properties").join(name)),
        );
    }
    if !any.properties.is_empty() && flat.ty.is_none() {
        flat.ty = Some(JsonType::Object);
    }
    flat.required.clone_from(&any.required);
    flat.additional = any
        .additional_properties
        .clone()
        .map(|a| (a, at.join("additionalProperties")));
    flat.items = any.items.as_ref().map(|i| (unbox(i), at.join("items")));
}

/// The enum of an untyped-in-`openapiv3` schema, where values of another JSON type than
/// the schema's land. `null` makes the value nullable. In a `string` enum, `1` and `true`
/// are the strings `"1"` and `"true"` (the type says what the wire carries; YAML unquoted
/// them). In a number enum, a numeric string is that number; any other value makes the
/// value a union of the number and those values, so that every listed value decodes.
fn read_enum(values: &[serde_json::Value], flat: &mut Flat, at: &Pointer, r: &mut Reporter<'_>) {
    use serde_json::Value;
    let enum_at = at.join("enum");
    let ty = flat.ty;
    let mut others = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let value_at = enum_at.index(i);
        let found = kind(v);
        match (ty, v) {
            (_, Value::Null) => flat.nullable = true,
            (Some(JsonType::String), Value::Number(_) | Value::Bool(_)) => {
                let text = v.to_string();
                r.warning(&value_at, format!("enum value `{text}` is {found} in a `string` enum; it is the string \"{text}\""))
                    .help(format!("quote it: `'{text}'`"));
                flat.enum_values.push(Value::String(text));
            }
            (Some(t @ (JsonType::Integer | JsonType::Number)), Value::String(s)) => {
                let number = match t {
                    JsonType::Integer => s.trim().parse::<i64>().ok().map(Value::from),
                    _ => s
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(Value::Number),
                };
                match number {
                    Some(n) => {
                        r.warning(&value_at, format!("enum value \"{s}\" is a string in this `{}` enum; it is the number {n}", t.name()))
                            .help(format!("write it unquoted: `{n}`"));
                        flat.enum_values.push(n);
                    }
                    None => others.push(v.clone()),
                }
            }
            (Some(JsonType::Integer | JsonType::Number), Value::Bool(_)) => others.push(v.clone()),
            (Some(JsonType::String), Value::Array(_) | Value::Object(_)) => {
                r.warning(&value_at, format!("enum value {v} is {found} in a `string` enum; no string is one, so it is left out"))
                    .help("remove it, or describe the value with `oneOf`");
            }
            _ => flat.enum_values.push(v.clone()),
        }
    }
    let Some(ty) = ty else {
        return;
    };
    if others.is_empty() {
        return;
    }
    // The number, or one of the other values: a union that keeps them all.
    let listed: Vec<String> = others.iter().map(ToString::to_string).collect();
    r.warning(
        &enum_at,
        format!(
            "`{}` enum lists values of other types ({}); the value is {} or one of them",
            ty.name(),
            listed.join(", "),
            if ty == JsonType::Integer {
                "an integer"
            } else {
                "a number"
            },
        ),
    )
    .help(format!(
        "declare the alternatives with `oneOf`, or remove the values that are not {}s",
        ty.name()
    ));
    let mut branches = vec![serde_json::json!({"type": ty.name(), "format": flat.format})];
    let strings: Vec<&Value> = others.iter().filter(|v| v.is_string()).collect();
    if !strings.is_empty() {
        branches.push(serde_json::json!({"type": "string", "enum": strings}));
    }
    if others.iter().any(Value::is_boolean) {
        branches.push(serde_json::json!({"type": "boolean"}));
    }
    flat.one_of = branches
        .into_iter()
        .filter_map(|b| serde_json::from_value::<ReferenceOr<Schema>>(strip_nulls(b)).ok())
        .map(|b| (b, enum_at.clone()))
        .collect();
    flat.ty = None;
    flat.format = None;
    flat.enum_values.clear();
}

/// A JSON object without its `null` members (an absent `format`).
fn strip_nulls(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(map) = v.as_object_mut() {
        map.retain(|_, v| !v.is_null());
    }
    v
}

/// True for `{}`, the schema every value matches.
fn is_empty_schema(v: &serde_json::Value) -> bool {
    v.as_object().is_some_and(serde_json::Map::is_empty)
}

/// Merges one `allOf` part into the view so far: the first part to say something wins
/// for single values, lists and flags accumulate, and a later property replaces an
/// earlier one of the same name.
fn merge(into: &mut Flat, other: Flat, at: &Pointer, r: &mut Reporter<'_>) {
    match (into.ty, other.ty) {
        _ if into.untyped => {}
        (Some(a), Some(b)) if a != b => {
            let chosen = reconcile(into, &other, a, b);
            into.ty = chosen;
            into.untyped = chosen.is_none();
            let outcome = match chosen {
                Some(JsonType::Number)
                    if matches!(a, JsonType::Integer | JsonType::Number)
                        && matches!(b, JsonType::Integer | JsonType::Number) =>
                {
                    "the value is typed as `number`, which holds both".to_owned()
                }
                Some(t) => format!(
                    "the value is typed as `{}`, the part that describes it",
                    t.name()
                ),
                None => "the value is any JSON value".to_owned(),
            };
            r.warning(
                at,
                format!(
                    "`allOf` part has type `{}` but the schema is `{}`; no value is both, so {outcome}",
                    b.name(),
                    a.name()
                ),
            )
            .help("all parts of an `allOf` must describe the same type");
        }
        (None, Some(b)) => into.ty = Some(b),
        _ => {}
    }
    if into.format.is_none() {
        into.format = other.format;
    }
    if into.description.is_none() {
        into.description = other.description;
    }
    if into.example.is_none() {
        into.example = other.example;
    }
    if into.default.is_none() {
        into.default = other.default;
    }
    into.nullable |= other.nullable;
    into.read_only |= other.read_only;
    into.write_only |= other.write_only;
    into.secret |= other.secret;
    for (k, v) in other.properties {
        match into.properties.get(&k) {
            Some((existing, _)) if !same_schema(existing, &v.0) => {
                // The later part narrows the earlier one; keep the later, as allOf demands both.
                r.warning(&v.1, format!("property `{k}` is declared by several `allOf` parts; the last declaration is used"));
                into.properties.insert(k, v);
            }
            _ => {
                into.properties.insert(k, v);
            }
        }
    }
    for req in other.required {
        if !into.required.contains(&req) {
            into.required.push(req);
        }
    }
    if into.additional.is_none() {
        into.additional = other.additional;
    }
    if into.items.is_none() {
        into.items = other.items;
    }
    if into.enum_values.is_empty() {
        into.enum_values = other.enum_values;
    }
    into.checks.extend(other.checks);
    into.one_of.extend(other.one_of);
    into.any_of.extend(other.any_of);
    if into.discriminator.is_none() {
        into.discriminator = other.discriminator;
    }
    into.never |= other.never;
    into.untyped |= other.untyped;
}

/// The type two disagreeing `allOf` parts resolve to: `number` for `integer` and
/// `number` (every integer decodes as a number); else the type of the one part that says
/// what the value looks like (properties, items, an enum, a format), since the other is
/// then a bare `type` that is most likely a slip; `None` (any JSON) when both or neither do.
fn reconcile(into: &Flat, other: &Flat, a: JsonType, b: JsonType) -> Option<JsonType> {
    use JsonType::{Integer, Number};
    if matches!((a, b), (Integer, Number) | (Number, Integer)) {
        return Some(Number);
    }
    let shapes = |f: &Flat| {
        !f.properties.is_empty()
            || f.items.is_some()
            || !f.enum_values.is_empty()
            || f.format.is_some()
            || f.additional.is_some()
            || !f.one_of.is_empty()
            || !f.any_of.is_empty()
    };
    match (shapes(into), shapes(other)) {
        (true, false) => Some(a),
        (false, true) => Some(b),
        _ => None,
    }
}

fn same_schema(a: &ReferenceOr<Schema>, b: &ReferenceOr<Schema>) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

fn unbox(s: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match s {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
    }
}

fn indexed(
    list: &[ReferenceOr<Schema>],
    at: &Pointer,
    keyword: &str,
) -> Vec<(ReferenceOr<Schema>, Pointer)> {
    let list_at = at.join(keyword);
    list.iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), list_at.index(i)))
        .collect()
}

/// The components a schema's `oneOf`/`anyOf` names directly: a literal in one of them
/// decides which branch a value is.
pub(super) fn union_refs(schema: &ReferenceOr<Schema>) -> Vec<String> {
    let ReferenceOr::Item(s) = schema else {
        return Vec::new();
    };
    let lists: Vec<&Vec<ReferenceOr<Schema>>> = match &s.schema_kind {
        SchemaKind::OneOf { one_of } => vec![one_of],
        SchemaKind::AnyOf { any_of } => vec![any_of],
        SchemaKind::Any(a) => vec![&a.one_of, &a.any_of],
        _ => Vec::new(),
    };
    lists
        .into_iter()
        .flatten()
        .filter_map(|b| match b {
            ReferenceOr::Reference { reference } => SCHEMAS.name_of(reference),
            ReferenceOr::Item(_) => None,
        })
        .collect()
}

fn format_name<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => {
            // openapiv3 names formats as enum variants; map back to the spec spelling.
            let debug = format!("{item:?}");
            Some(match debug.as_str() {
                "DateTime" => "date-time".to_owned(),
                "Date" => "date".to_owned(),
                "Password" => "password".to_owned(),
                "Byte" => "byte".to_owned(),
                "Binary" => "binary".to_owned(),
                "Float" => "float".to_owned(),
                "Double" => "double".to_owned(),
                "Int32" => "int32".to_owned(),
                "Int64" => "int64".to_owned(),
                other => other.to_lowercase(),
            })
        }
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

// Keeps the StringFormat import honest: the mapping above must cover its variants.
const _: fn(StringFormat) -> () = |f| match f {
    StringFormat::Date
    | StringFormat::DateTime
    | StringFormat::Password
    | StringFormat::Byte
    | StringFormat::Binary => (),
};

fn push_len(checks: &mut Vec<Check>, min: Option<usize>, max: Option<usize>) {
    if let Some(min) = min.filter(|m| *m > 0) {
        checks.push(Check::MinLength(min as u64));
    }
    if let Some(max) = max {
        checks.push(Check::MaxLength(max as u64));
    }
}

fn push_range(
    checks: &mut Vec<Check>,
    min: Option<f64>,
    max: Option<f64>,
    ex_min: bool,
    ex_max: bool,
) {
    if let Some(min) = min {
        checks.push(if ex_min {
            Check::ExclusiveMinimum(min)
        } else {
            Check::Minimum(min)
        });
    }
    if let Some(max) = max {
        checks.push(if ex_max {
            Check::ExclusiveMaximum(max)
        } else {
            Check::Maximum(max)
        });
    }
}

fn push_items(checks: &mut Vec<Check>, min: Option<usize>, max: Option<usize>, unique: bool) {
    if let Some(min) = min.filter(|m| *m > 0) {
        checks.push(Check::MinItems(min as u64));
    }
    if let Some(max) = max {
        checks.push(Check::MaxItems(max as u64));
    }
    if unique {
        checks.push(Check::UniqueItems);
    }
}

/// A scalar `example` as text (a string as is, a number or flag as JSON), for docs
/// and messages; objects and lists are left out, as no one line shows them well.
pub(crate) fn example_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// The rustdoc of a schema: its description, else its title.
pub(crate) fn doc_of(flat: &Flat) -> Option<String> {
    flat.description
        .as_deref()
        .or(flat.title.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}
