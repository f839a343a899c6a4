//! Schemas → named types and type references.
//!
//! Two phases, so forward and cyclic `$ref`s work: every component schema that needs a
//! named type gets a [`TypeId`] reserved first, then each is converted. A schema is first
//! *flattened*: `$ref` chains are followed and `allOf` parts are merged into one [`Flat`]
//! view; the flat view is then *lowered* to a [`Ty`], creating named types for objects,
//! enums, unions and literals. Inline shapes identical to an existing type reuse it, so a
//! shape that appears in three operations is emitted once.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use crate::diag::{pointer, Reporter};
use crate::ir::{
    Check, Discriminator, EnumVariant, Field, IntWidth, Struct, Ty, TypeDef, TypeId, TypeKind,
    Union, UnionVariant,
};
use crate::naming::{field_name, type_name, variant_name, Namespace};

const SCHEMAS: &str = "#/components/schemas/";
/// How deep inline object, enum and union schemas may nest.
const MAX_INLINE_DEPTH: usize = 96;

/// A schema with `$ref`s followed and `allOf` merged.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flat {
    pub(crate) ty: Option<&'static str>,
    pub(crate) format: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) nullable: bool,
    pub(crate) read_only: bool,
    pub(crate) write_only: bool,
    pub(crate) secret: bool,
    pub(crate) properties: IndexMap<String, (ReferenceOr<Schema>, String)>,
    pub(crate) required: Vec<String>,
    pub(crate) additional: Option<(AdditionalProperties, String)>,
    pub(crate) items: Option<(ReferenceOr<Schema>, String)>,
    pub(crate) enum_values: Vec<serde_json::Value>,
    pub(crate) checks: Vec<Check>,
    pub(crate) one_of: Vec<(ReferenceOr<Schema>, String)>,
    pub(crate) any_of: Vec<(ReferenceOr<Schema>, String)>,
    pub(crate) discriminator: Option<openapiv3::Discriminator>,
    pub(crate) not: bool,
    /// The component this flat view is exactly (a plain `$ref`), if any.
    pub(crate) component: Option<String>,
}

/// The type space under construction.
#[derive(Debug)]
pub(crate) struct TypeSpace<'d> {
    components: &'d IndexMap<String, ReferenceOr<Schema>>,
    types: Vec<Option<TypeDef>>,
    pub(crate) names: Namespace,
    component_ids: BTreeMap<String, TypeId>,
    shapes: BTreeMap<String, TypeId>,
    union_members: BTreeSet<String>,
    converting: BTreeSet<String>,
    flattening: Vec<String>,
    depth: usize,
}

/// Where a schema is being lowered: names for new types come from here.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    pub(crate) name: String,
    /// A literal (single-value enum) in this position is strict: it decides a union.
    pub(crate) strict_literals: bool,
    pub(crate) field: Option<String>,
}

impl Hint {
    pub(crate) fn named(name: impl Into<String>) -> Self {
        Hint {
            name: name.into(),
            strict_literals: false,
            field: None,
        }
    }
}

impl<'d> TypeSpace<'d> {
    pub(crate) fn new(
        components: &'d IndexMap<String, ReferenceOr<Schema>>,
        names: Namespace,
    ) -> Self {
        TypeSpace {
            components,
            types: Vec::new(),
            names,
            component_ids: BTreeMap::new(),
            shapes: BTreeMap::new(),
            union_members: BTreeSet::new(),
            converting: BTreeSet::new(),
            flattening: Vec::new(),
            depth: 0,
        }
    }

    /// Phase one: reserve ids for component schemas that become named types.
    pub(crate) fn reserve_components(&mut self, r: &mut Reporter<'_>) {
        for (name, schema) in self.components {
            let at = pointer("#/components/schemas", name);
            for member in union_refs(schema) {
                self.union_members.insert(member);
            }
            let flat = self.flatten(schema, &at, r);
            if self.needs_named_type(&flat, r) {
                let claimed = self.names.claim(&type_name(name), name);
                if let Some(other) = claimed.collided_with {
                    r.warning(
                        &at,
                        format!(
                            "schema `{name}` and {} both become type `{}` in Rust; this one becomes `{}`",
                            describe(&other),
                            type_name(name),
                            claimed.name
                        ),
                    )
                    .help("rename one of the schemas so their Rust names differ");
                }
                let id = TypeId(self.types.len());
                self.types.push(None);
                self.component_ids.insert(name.clone(), id);
                // Record the provisional def so names are stable even if conversion fails.
                self.types[id.0] = Some(TypeDef {
                    name: claimed.name,
                    doc: None,
                    origin: at,
                    kind: TypeKind::Struct(Struct {
                        fields: Vec::new(),
                        additional: None,
                    }),
                });
            }
        }
    }

    /// Phase two: convert every reserved component.
    pub(crate) fn convert_components(&mut self, r: &mut Reporter<'_>) {
        let names: Vec<String> = self.component_ids.keys().cloned().collect();
        for name in names {
            self.convert_component(&name, r);
        }
    }

    fn convert_component(&mut self, name: &str, r: &mut Reporter<'_>) {
        let Some(&id) = self.component_ids.get(name) else {
            return;
        };
        if !self.converting.insert(name.to_owned()) {
            return;
        }
        let Some(schema) = self.components.get(name) else {
            return;
        };
        let at = pointer("#/components/schemas", name);
        let flat = self.flatten(schema, &at, r);
        let type_name = self.types[id.0]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let hint = Hint {
            name: type_name.clone(),
            strict_literals: self.union_members.contains(name),
            field: None,
        };
        if let Some(kind) = self.kind_of(&flat, &hint, &at, r) {
            let key = shape_key(&kind);
            self.shapes.entry(key).or_insert(id);
            self.types[id.0] = Some(TypeDef {
                name: type_name,
                doc: doc_of(&flat),
                origin: at,
                kind,
            });
        }
    }

    /// Finishes the space: the types reachable from `roots`, in id order, and the map
    /// from old ids to new ones. Component schemas no operation uses are not emitted.
    pub(crate) fn into_types(self, roots: &[Ty]) -> (Vec<TypeDef>, BTreeMap<TypeId, TypeId>) {
        let keep = self.reachable(roots);
        let mut map = BTreeMap::new();
        let mut out = Vec::new();
        for (i, t) in self.types.into_iter().enumerate() {
            if let (true, Some(t)) = (keep.contains(&i), t) {
                map.insert(TypeId(i), TypeId(out.len()));
                out.push(t);
            }
        }
        for t in &mut out {
            match &mut t.kind {
                TypeKind::Struct(s) => {
                    for f in &mut s.fields {
                        remap(&mut f.ty, &map);
                    }
                    if let Some(a) = &mut s.additional {
                        remap(a, &map);
                    }
                }
                TypeKind::Union(u) => {
                    for v in &mut u.variants {
                        remap(&mut v.ty, &map);
                    }
                }
                TypeKind::Enum(_) | TypeKind::Literal(_) => {}
            }
        }
        (out, map)
    }

    /// True when `id` is an object type.
    pub(crate) fn is_struct(&self, id: TypeId) -> bool {
        matches!(
            self.types.get(id.0),
            Some(Some(TypeDef {
                kind: TypeKind::Struct(_),
                ..
            }))
        )
    }

    /// Every type defined so far.
    pub(crate) fn defs(&self) -> impl Iterator<Item = &TypeDef> {
        self.types.iter().flatten()
    }

    /// Follows `$ref` chains and merges `allOf` into one flat view.
    pub(crate) fn flatten(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Flat {
        match schema {
            ReferenceOr::Reference { reference } => {
                let Some(name) = self.component_name(reference, at, r) else {
                    return Flat::default();
                };
                if self.flattening.contains(&name) {
                    // A cycle through allOf/$ref aliases cannot be merged; a cycle through a
                    // property is fine and never gets here (properties are not flattened).
                    let mut chain = self.flattening.clone();
                    chain.push(name.clone());
                    r.error(at, format!("`$ref` cycle through `allOf`: {}", chain.join(" → ")))
                        .help("break the cycle: a schema cannot include itself through `allOf`; reference it from a property instead");
                    return Flat::default();
                }
                let Some(target) = self.components.get(&name) else {
                    return Flat::default();
                };
                self.flattening.push(name.clone());
                let mut flat = self.flatten(target, &pointer("#/components/schemas", &name), r);
                self.flattening.pop();
                flat.component = Some(name);
                flat
            }
            ReferenceOr::Item(schema) => self.flatten_item(schema, at, r),
        }
    }

    fn component_name(
        &mut self,
        reference: &str,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Option<String> {
        let Some(name) = reference.strip_prefix(SCHEMAS) else {
            r.error(&pointer(at, "$ref"), format!("unsupported `$ref` `{reference}`: only `#/components/schemas/…` is supported for schemas"))
                .help("move the schema under components/schemas and reference it there");
            return None;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if !self.components.contains_key(&name) {
            let close = closest(&name, self.components.keys());
            let note = r.error(
                &pointer(at, "$ref"),
                format!("dangling `$ref`: `{reference}` does not exist"),
            );
            match close {
                Some(c) => note.help(format!("did you mean `{SCHEMAS}{c}`?")),
                None => note.help("define the schema under components/schemas"),
            }
            return None;
        }
        Some(name)
    }

    fn flatten_item(&mut self, schema: &Schema, at: &str, r: &mut Reporter<'_>) -> Flat {
        let data = &schema.schema_data;
        let mut flat = Flat {
            description: data.description.clone(),
            title: data.title.clone(),
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
                    &pointer(at, "x-sdk-secret"),
                    format!(
                        "invalid extension value: `x-sdk-secret` must be a boolean, found {}",
                        crate::load::kind(v)
                    ),
                );
            }
        }
        let mut parts: Vec<(ReferenceOr<Schema>, String)> = Vec::new();
        match &schema.schema_kind {
            SchemaKind::Type(t) => self.flatten_type(t, at, &mut flat),
            SchemaKind::OneOf { one_of } => flat.one_of = indexed(one_of, at, "oneOf"),
            SchemaKind::AnyOf { any_of } => flat.any_of = indexed(any_of, at, "anyOf"),
            SchemaKind::AllOf { all_of } => parts = indexed(all_of, at, "allOf"),
            SchemaKind::Not { .. } => flat.not = true,
            SchemaKind::Any(any) => {
                self.flatten_any(any, at, &mut flat, r);
                parts = indexed(&any.all_of, at, "allOf");
                flat.one_of = indexed(&any.one_of, at, "oneOf");
                flat.any_of = indexed(&any.any_of, at, "anyOf");
                flat.not = any.not.is_some();
            }
        }
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

    fn flatten_type(&mut self, t: &Type, at: &str, flat: &mut Flat) {
        match t {
            Type::String(s) => {
                flat.ty = Some("string");
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
                flat.ty = Some("number");
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
                flat.ty = Some("integer");
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
            Type::Boolean(_) => flat.ty = Some("boolean"),
            Type::Object(o) => {
                flat.ty = Some("object");
                for (name, prop) in &o.properties {
                    flat.properties.insert(
                        name.clone(),
                        (unbox(prop), pointer(&pointer(at, "properties"), name)),
                    );
                }
                flat.required.clone_from(&o.required);
                flat.additional = o
                    .additional_properties
                    .clone()
                    .map(|a| (a, pointer(at, "additionalProperties")));
            }
            Type::Array(a) => {
                flat.ty = Some("array");
                flat.items = a.items.as_ref().map(|i| (unbox(i), pointer(at, "items")));
                push_items(&mut flat.checks, a.min_items, a.max_items, a.unique_items);
            }
        }
    }

    fn flatten_any(
        &mut self,
        any: &openapiv3::AnySchema,
        at: &str,
        flat: &mut Flat,
        r: &mut Reporter<'_>,
    ) {
        flat.ty = match any.typ.as_deref() {
            Some("string") => Some("string"),
            Some("integer") => Some("integer"),
            Some("number") => Some("number"),
            Some("boolean") => Some("boolean"),
            Some("object") => Some("object"),
            Some("array") => Some("array"),
            Some(other) => {
                r.error(&pointer(at, "type"), format!("unknown type `{other}`"))
                    .help("use one of string, integer, number, boolean, object, array");
                None
            }
            None => None,
        };
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
                (unbox(prop), pointer(&pointer(at, "properties"), name)),
            );
        }
        if !any.properties.is_empty() && flat.ty.is_none() {
            flat.ty = Some("object");
        }
        flat.required.clone_from(&any.required);
        flat.additional = any
            .additional_properties
            .clone()
            .map(|a| (a, pointer(at, "additionalProperties")));
        flat.items = any.items.as_ref().map(|i| (unbox(i), pointer(at, "items")));
        for v in &any.enumeration {
            if v.is_null() {
                flat.nullable = true;
            } else {
                flat.enum_values.push(v.clone());
            }
        }
    }

    /// Lowers a schema in some position to a type reference.
    pub(crate) fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &Hint,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Ty {
        self.bounded(at, r, |space, r| space.lower_inner(schema, hint, at, r))
            .unwrap_or(Ty::Json)
    }

    /// Runs one level of lowering. Every recursion passes through here (list items, map
    /// values, properties, union branches), so nesting is bounded whatever the document
    /// does; past the bound it is an error, not a stack overflow.
    fn bounded<T>(
        &mut self,
        at: &str,
        r: &mut Reporter<'_>,
        f: impl FnOnce(&mut Self, &mut Reporter<'_>) -> T,
    ) -> Option<T> {
        if self.depth >= MAX_INLINE_DEPTH {
            r.error(
                at,
                format!("schemas nest more than {MAX_INLINE_DEPTH} levels deep"),
            )
            .help("move nested shapes to components/schemas and reference them with `$ref`");
            return None;
        }
        self.depth += 1;
        let out = f(self, r);
        self.depth -= 1;
        Some(out)
    }

    fn lower_inner(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &Hint,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Ty {
        if let ReferenceOr::Reference { reference } = schema {
            if let Some(name) = reference.strip_prefix(SCHEMAS) {
                let name = name.replace("~1", "/").replace("~0", "~");
                if let Some(&id) = self.component_ids.get(&name) {
                    return Ty::Named(id);
                }
            }
        }
        let flat = self.flatten(schema, at, r);
        if let Some(component) = &flat.component {
            if let Some(&id) = self.component_ids.get(component) {
                return Ty::Named(id);
            }
        }
        self.lower_flat(&flat, hint, at, r)
    }

    pub(crate) fn lower_flat(
        &mut self,
        flat: &Flat,
        hint: &Hint,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Ty {
        if !self.needs_named_type(flat, r) {
            return self.primitive(flat, hint, at, r);
        }
        let kind = self
            .bounded(at, r, |space, r| space.kind_of(flat, hint, at, r))
            .flatten();
        let Some(kind) = kind else {
            return Ty::Json;
        };
        let key = shape_key(&kind);
        if let Some(&id) = self.shapes.get(&key) {
            return Ty::Named(id);
        }
        let wanted = match &kind {
            TypeKind::Literal(value) => {
                let base = hint
                    .field
                    .as_deref()
                    .map_or_else(|| hint.name.clone(), type_name);
                format!("{base}{}", variant_name(value))
            }
            _ => flat
                .title
                .as_deref()
                .map_or_else(|| hint.name.clone(), type_name),
        };
        let claimed = self.names.claim(&wanted, at);
        let id = TypeId(self.types.len());
        self.types.push(Some(TypeDef {
            name: claimed.name,
            doc: doc_of(flat),
            origin: at.to_owned(),
            kind,
        }));
        self.shapes.insert(key, id);
        Ty::Named(id)
    }

    fn primitive(&mut self, flat: &Flat, hint: &Hint, at: &str, r: &mut Reporter<'_>) -> Ty {
        if flat.not {
            r.error(at, "unsupported `not` schema")
                .help("describe the allowed values positively (an enum, a pattern or a oneOf)");
            return Ty::Json;
        }
        // anyOf/oneOf of primitives of one type collapse to that type (see needs_named_type).
        let branches: Vec<_> = flat.one_of.iter().chain(&flat.any_of).cloned().collect();
        if !branches.is_empty() {
            if let Some((first, first_at)) = branches.first() {
                let f = self.flatten(first, first_at, r);
                return self.primitive(&f, hint, first_at, r);
            }
        }
        match flat.ty {
            Some("string") => match flat.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("uuid") => Ty::Uuid,
                Some("binary") => Ty::Bytes,
                _ => Ty::String,
            },
            Some("integer") => match flat.format.as_deref() {
                Some("int32") => Ty::Integer(IntWidth::I32),
                _ => Ty::Integer(IntWidth::I64),
            },
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => match &flat.items {
                Some((items, items_at)) => {
                    let item_hint = Hint {
                        name: format!("{}Item", hint.name),
                        strict_literals: false,
                        field: None,
                    };
                    Ty::Array(Box::new(self.lower(items, &item_hint, items_at, r)))
                }
                None => {
                    r.warning(at, "array without `items`; items are untyped JSON")
                        .help("add `items` with the item schema");
                    Ty::Array(Box::new(Ty::Json))
                }
            },
            Some("object") | None if !flat.properties.is_empty() => Ty::JsonObject,
            Some("object") => match &flat.additional {
                Some((AdditionalProperties::Schema(s), a_at)) => {
                    let value_hint = Hint {
                        name: format!("{}Value", hint.name),
                        strict_literals: false,
                        field: None,
                    };
                    Ty::Map(Box::new(self.lower(s, &value_hint, a_at, r)))
                }
                _ => Ty::JsonObject,
            },
            _ => Ty::Json,
        }
    }

    /// The named-type shape of a flat schema that needs one.
    fn kind_of(
        &mut self,
        flat: &Flat,
        hint: &Hint,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Option<TypeKind> {
        if flat.not {
            r.error(at, "unsupported `not` schema")
                .help("describe the allowed values positively (an enum, a pattern or a oneOf)");
            return None;
        }
        let (branches, keyword) = if flat.one_of.is_empty() {
            (&flat.any_of, "anyOf")
        } else {
            (&flat.one_of, "oneOf")
        };
        if !branches.is_empty() {
            if !flat.properties.is_empty() {
                r.warning(at, format!("properties beside `{keyword}` are ignored"))
                    .help(format!(
                        "move the shared properties into each `{keyword}` branch with `allOf`"
                    ));
            }
            return Some(self.union(flat, branches, hint, at, r));
        }
        if flat.ty == Some("string") && !flat.enum_values.is_empty() {
            let mut variants = Vec::new();
            // `Unknown` is the variant that keeps values this client does not know.
            let mut seen = Namespace::with_reserved(&["Unknown"]);
            for (i, v) in flat.enum_values.iter().enumerate() {
                let Some(s) = v.as_str() else {
                    r.error(
                        &pointer(&pointer(at, "enum"), &i.to_string()),
                        format!("enum value {v} is not a string"),
                    );
                    continue;
                };
                let claimed = seen.claim(&variant_name(s), s);
                if let Some(other) = claimed.collided_with {
                    r.warning(&pointer(&pointer(at, "enum"), &i.to_string()), format!("enum value `{s}` and `{other}` have the same Rust name; this one becomes `{}`", claimed.name));
                }
                variants.push(EnumVariant {
                    name: claimed.name,
                    wire: s.to_owned(),
                });
            }
            if let [only] = variants.as_slice() {
                if hint.strict_literals {
                    return Some(TypeKind::Literal(only.wire.clone()));
                }
            }
            return Some(TypeKind::Enum(variants));
        }
        Some(TypeKind::Struct(self.structure(flat, hint, at, r)))
    }

    fn structure(&mut self, flat: &Flat, hint: &Hint, at: &str, r: &mut Reporter<'_>) -> Struct {
        let mut fields = Vec::new();
        let mut ns = Namespace::default();
        for (wire, (schema, prop_at)) in &flat.properties {
            let prop_flat = self.flatten(schema, prop_at, r);
            let field_hint = Hint {
                name: format!("{}{}", hint.name, type_name(wire)),
                strict_literals: hint.strict_literals,
                field: Some(wire.clone()),
            };
            let ty = if let Some(id) = prop_flat
                .component
                .as_ref()
                .and_then(|c| self.component_ids.get(c))
            {
                Ty::Named(*id)
            } else {
                self.lower_flat(&prop_flat, &field_hint, prop_at, r)
            };
            let claimed = ns.claim(&field_name(wire), wire);
            if let Some(other) = claimed.collided_with {
                r.warning(prop_at, format!("properties `{wire}` and `{other}` have the same Rust name; this one becomes `{}`", claimed.name));
            }
            let checks = self.checks_for(&prop_flat, &ty, r);
            fields.push(Field {
                name: claimed.name,
                wire: wire.clone(),
                ty,
                required: flat.required.contains(wire),
                nullable: prop_flat.nullable,
                doc: doc_of(&prop_flat),
                checks,
                boxed: false,
                secret: prop_flat.secret,
                read_only: prop_flat.read_only,
                write_only: prop_flat.write_only,
                origin: prop_at.clone(),
            });
        }
        for (i, req) in flat.required.iter().enumerate() {
            if !flat.properties.contains_key(req) && flat.additional.is_none() {
                r.warning(
                    &pointer(&pointer(at, "required"), &i.to_string()),
                    format!("required property `{req}` is not declared"),
                )
                .help("declare it under `properties` or remove it from `required`");
            }
        }
        let additional = match &flat.additional {
            Some((AdditionalProperties::Schema(s), a_at)) if !flat.properties.is_empty() => {
                let h = Hint::named(format!("{}Value", hint.name));
                Some(self.lower(s, &h, a_at, r))
            }
            Some((AdditionalProperties::Any(true), _)) if !flat.properties.is_empty() => {
                Some(Ty::Json)
            }
            _ => None,
        };
        Struct { fields, additional }
    }

    fn union(
        &mut self,
        flat: &Flat,
        branches: &[(ReferenceOr<Schema>, String)],
        hint: &Hint,
        at: &str,
        r: &mut Reporter<'_>,
    ) -> TypeKind {
        let mut variants = Vec::new();
        let mut ns = Namespace::default();
        let mut refs = Vec::new();
        for (i, (branch, branch_at)) in branches.iter().enumerate() {
            let ref_name = match branch {
                ReferenceOr::Reference { reference } => {
                    reference.strip_prefix(SCHEMAS).map(str::to_owned)
                }
                ReferenceOr::Item(_) => None,
            };
            let bflat = self.flatten(branch, branch_at, r);
            let wanted = ref_name
                .as_deref()
                .map(|n| short_variant(n, &hint.name))
                .or_else(|| bflat.title.as_deref().map(variant_name))
                .unwrap_or_else(|| match bflat.ty {
                    Some("string") if bflat.enum_values.is_empty() => "String".to_owned(),
                    Some("integer") => "Integer".to_owned(),
                    Some("number") => "Number".to_owned(),
                    Some("boolean") => "Boolean".to_owned(),
                    Some("array") => "Array".to_owned(),
                    _ => format!("Variant{}", i + 1),
                });
            let claimed = ns.claim(&wanted, branch_at);
            let branch_hint = Hint {
                name: format!("{}{}", hint.name, claimed.name),
                strict_literals: true,
                field: None,
            };
            let ty = match bflat
                .component
                .as_ref()
                .and_then(|c| self.component_ids.get(c))
            {
                Some(id) => Ty::Named(*id),
                None => self.lower_flat(&bflat, &branch_hint, branch_at, r),
            };
            refs.push(ref_name);
            variants.push(UnionVariant {
                name: claimed.name,
                ty,
                boxed: false,
                doc: doc_of(&bflat),
            });
        }
        let discriminator = flat.discriminator.as_ref().map(|d| {
            let mut tags = Vec::new();
            for (i, ref_name) in refs.iter().enumerate() {
                let Some(ref_name) = ref_name else {
                    r.error(
                        &pointer(at, "discriminator"),
                        "a discriminator needs every branch to be a `$ref`",
                    )
                    .help("move inline branches to components/schemas");
                    continue;
                };
                let full = format!("{SCHEMAS}{ref_name}");
                let mapped: Vec<&String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| **target == full || *target == ref_name)
                    .map(|(k, _)| k)
                    .collect();
                if mapped.is_empty() {
                    tags.push((ref_name.clone(), i));
                } else {
                    for tag in mapped {
                        tags.push((tag.clone(), i));
                    }
                }
            }
            for (tag, target) in &d.mapping {
                let known = refs
                    .iter()
                    .flatten()
                    .any(|n| format!("{SCHEMAS}{n}") == *target || n == target);
                if !known {
                    r.error(
                        &pointer(&pointer(&pointer(at, "discriminator"), "mapping"), tag),
                        format!("mapping target `{target}` is not one of the union's branches"),
                    );
                }
            }
            Discriminator {
                property: d.property_name.clone(),
                tags,
            }
        });
        TypeKind::Union(Union {
            variants,
            discriminator,
        })
    }

    /// Objects, enums and unions get named types; primitives, arrays and maps do not.
    /// Alternatives that are all plain strings (`anyOf` of patterns) collapse to a string.
    pub(crate) fn needs_named_type(&mut self, flat: &Flat, r: &mut Reporter<'_>) -> bool {
        if flat.not {
            return false;
        }
        if !flat.one_of.is_empty() || !flat.any_of.is_empty() {
            return !(flat.properties.is_empty() && self.string_alternatives(flat, r).is_some());
        }
        match flat.ty {
            Some("string") => !flat.enum_values.is_empty(),
            Some("object") | None => !flat.properties.is_empty(),
            _ => false,
        }
    }

    /// The branches of a `oneOf`/`anyOf` when every one is a plain string schema.
    fn string_alternatives(&mut self, flat: &Flat, r: &mut Reporter<'_>) -> Option<Vec<Flat>> {
        let branches: Vec<_> = flat.one_of.iter().chain(&flat.any_of).cloned().collect();
        let mut out = Vec::new();
        for (b, b_at) in &branches {
            let f = self.flatten(b, b_at, r);
            let plain = f.ty == Some("string")
                && f.enum_values.is_empty()
                && f.properties.is_empty()
                && f.one_of.is_empty()
                && f.any_of.is_empty()
                && !f.not;
            if !plain {
                return None;
            }
            out.push(f);
        }
        Some(out)
    }

    /// The checks a value of this (primitive) schema must pass. For string alternatives,
    /// one pattern that accepts what any branch's pattern accepts.
    pub(crate) fn value_checks(&mut self, flat: &Flat, r: &mut Reporter<'_>) -> Vec<Check> {
        if flat.one_of.is_empty() && flat.any_of.is_empty() {
            return flat.checks.clone();
        }
        let Some(branches) = self.string_alternatives(flat, r) else {
            return flat.checks.clone();
        };
        let mut patterns = Vec::new();
        for b in &branches {
            match b.checks.iter().find_map(|c| {
                if let Check::Pattern(p) = c {
                    Some(p.clone())
                } else {
                    None
                }
            }) {
                Some(p) => patterns.push(format!("(?:{p})")),
                // A branch without a pattern accepts any string; so does the union.
                None => return flat.checks.clone(),
            }
        }
        let mut checks = flat.checks.clone();
        checks.push(Check::Pattern(patterns.join("|")));
        checks
    }

    /// Checks for a property or parameter: its own, plus `Each` for primitive list items.
    pub(crate) fn checks_for(&mut self, flat: &Flat, ty: &Ty, r: &mut Reporter<'_>) -> Vec<Check> {
        // Only strings, numbers and lists are checked; a named type validates itself.
        if !matches!(ty, Ty::String | Ty::Integer(_) | Ty::Number | Ty::Array(_)) {
            return Vec::new();
        }
        let mut checks = self.value_checks(flat, r);
        if let (Ty::Array(_), Some((items, items_at))) = (ty, &flat.items) {
            let item = self.flatten(items, items_at, r);
            if !self.needs_named_type(&item, r) {
                let each = self.value_checks(&item, r);
                if !each.is_empty() {
                    checks.push(Check::Each(each));
                }
            }
        }
        checks
    }

    /// Marks fields and variants on containment cycles as boxed.
    pub(crate) fn break_cycles(&mut self) {
        let n = self.types.len();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, t) in self.types.iter().enumerate() {
            let Some(t) = t else { continue };
            match &t.kind {
                TypeKind::Struct(s) => {
                    edges[i].extend(s.fields.iter().filter_map(|f| direct(&f.ty)))
                }
                TypeKind::Union(u) => {
                    edges[i].extend(u.variants.iter().filter_map(|v| direct(&v.ty)))
                }
                _ => {}
            }
        }
        let scc = tarjan(&edges);
        for (i, t) in self.types.iter_mut().enumerate() {
            let Some(t) = t else { continue };
            match &mut t.kind {
                TypeKind::Struct(s) => {
                    for f in &mut s.fields {
                        if let Some(j) = direct(&f.ty) {
                            f.boxed = scc[i] == scc[j];
                        }
                    }
                }
                TypeKind::Union(u) => {
                    for v in &mut u.variants {
                        if let Some(j) = direct(&v.ty) {
                            v.boxed = scc[i] == scc[j];
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Relaxes `required` for read-only fields of request types and write-only fields of
    /// response types, so that a request never has to invent an `id` or `created_at`.
    pub(crate) fn apply_directions(&mut self, requests: &[Ty], responses: &[Ty]) {
        let req = self.reachable(requests);
        let resp = self.reachable(responses);
        for (i, t) in self.types.iter_mut().enumerate() {
            let Some(TypeDef {
                kind: TypeKind::Struct(s),
                ..
            }) = t
            else {
                continue;
            };
            for f in &mut s.fields {
                if (f.read_only && req.contains(&i)) || (f.write_only && resp.contains(&i)) {
                    f.required = false;
                }
            }
        }
    }

    fn reachable(&self, roots: &[Ty]) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = roots.iter().flat_map(named_in).collect();
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            let Some(Some(t)) = self.types.get(i) else {
                continue;
            };
            match &t.kind {
                TypeKind::Struct(s) => {
                    stack.extend(s.fields.iter().flat_map(|f| named_in(&f.ty)));
                    if let Some(a) = &s.additional {
                        stack.extend(named_in(a));
                    }
                }
                TypeKind::Union(u) => stack.extend(u.variants.iter().flat_map(|v| named_in(&v.ty))),
                _ => {}
            }
        }
        seen
    }
}

/// Names the earlier claimant of a type name: a component schema by its name, an inline
/// schema by its pointer.
fn describe(claimant: &str) -> String {
    if claimant.starts_with('#') {
        format!("the inline schema at {claimant}")
    } else if let Some(reserved) = claimant.strip_prefix("reserved name ") {
        format!("the generator's own {reserved}")
    } else {
        format!("schema `{claimant}`")
    }
}

/// Rewrites type ids after pruning.
pub(crate) fn remap(ty: &mut Ty, map: &BTreeMap<TypeId, TypeId>) {
    match ty {
        Ty::Named(id) => {
            if let Some(new) = map.get(id) {
                *id = *new;
            }
        }
        Ty::Array(t) | Ty::Map(t) => remap(t, map),
        _ => {}
    }
}

fn direct(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Named(id) => Some(id.0),
        _ => None,
    }
}

fn named_in(ty: &Ty) -> Vec<usize> {
    match ty {
        Ty::Named(id) => vec![id.0],
        Ty::Array(t) | Ty::Map(t) => named_in(t),
        _ => Vec::new(),
    }
}

/// Strongly connected components (Tarjan, iterative); returns each node's component.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut comps = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, ei)) = work.pop() {
            if ei == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(ei) {
                work.push((v, ei + 1));
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = comps;
                    if w == v {
                        break;
                    }
                }
                comps += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    // A node alone in its component is only cyclic with a self-edge.
    let mut sizes = vec![0usize; comps];
    for &c in &comp {
        sizes[c] += 1;
    }
    (0..n)
        .map(|v| {
            if sizes[comp[v]] == 1 && !edges[v].contains(&v) {
                usize::MAX - v
            } else {
                comp[v]
            }
        })
        .collect()
}

fn merge(into: &mut Flat, other: Flat, at: &str, r: &mut Reporter<'_>) {
    match (into.ty, other.ty) {
        (Some(a), Some(b)) if a != b => {
            r.error(
                at,
                format!("`allOf` part has type `{b}` but the schema is `{a}`"),
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
    into.not |= other.not;
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
    at: &str,
    keyword: &str,
) -> Vec<(ReferenceOr<Schema>, String)> {
    list.iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), pointer(&pointer(at, keyword), &i.to_string())))
        .collect()
}

fn union_refs(schema: &ReferenceOr<Schema>) -> Vec<String> {
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
            ReferenceOr::Reference { reference } => {
                reference.strip_prefix(SCHEMAS).map(str::to_owned)
            }
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

pub(crate) fn doc_of(flat: &Flat) -> Option<String> {
    flat.description
        .as_deref()
        .or(flat.title.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}

/// A variant name from a component name, without the union's own name as a prefix
/// (`JwkRsa` in `Jwk…` → `Rsa`).
fn short_variant(component: &str, union_name: &str) -> String {
    let full = type_name(component);
    let mut common = 0;
    for (a, b) in full.chars().zip(union_name.chars()) {
        if a != b {
            break;
        }
        common += 1;
    }
    // Cut only at a word boundary (an upper-case letter) and never to nothing.
    while common > 0 && !full[common..].starts_with(|c: char| c.is_ascii_uppercase()) {
        common -= 1;
    }
    let mut short = &full[common..];
    // Also drop the union's own suffix (`JwkOctResponse` in `JwkResponse` → `Oct`).
    let suffix = &union_name[common.min(union_name.len())..];
    if !suffix.is_empty() && short.len() > suffix.len() && short.ends_with(suffix) {
        short = &short[..short.len() - suffix.len()];
    }
    if short.is_empty() || short.starts_with(|c: char| c.is_ascii_digit()) {
        full
    } else {
        short.to_owned()
    }
}

/// The structure of a type, without names, docs and origins: equal keys mean the same type.
fn shape_key(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}:{:?}:{}:{}:{:?}:{}:{}:{}",
                        f.wire,
                        f.ty,
                        f.required,
                        f.nullable,
                        f.checks,
                        f.secret,
                        f.read_only,
                        f.write_only
                    )
                })
                .collect();
            format!("struct{{{}}}+{:?}", fields.join(","), s.additional)
        }
        TypeKind::Enum(v) => format!("enum{:?}", v.iter().map(|v| &v.wire).collect::<Vec<_>>()),
        TypeKind::Union(u) => format!(
            "union{:?}{:?}",
            u.variants
                .iter()
                .map(|v| (&v.name, &v.ty))
                .collect::<Vec<_>>(),
            u.discriminator
        ),
        TypeKind::Literal(v) => format!("literal{v:?}"),
    }
}

fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_variant_names() {
        assert_eq!(short_variant("JwkRsa", "JwkRequest"), "Rsa");
        assert_eq!(short_variant("JwkEs256", "JwkResponse"), "Es256");
        assert_eq!(short_variant("Cat", "Pet"), "Cat");
        assert_eq!(short_variant("PetCat", "Pet"), "Cat");
        assert_eq!(
            short_variant("JwkOctPatchRequest", "JwkPatchRequest"),
            "Oct"
        );
        assert_eq!(short_variant("JwkOctResponse", "JwkResponse"), "Oct");
    }

    #[test]
    fn tarjan_finds_cycles() {
        let edges = vec![vec![1], vec![0], vec![2], vec![0]];
        let c = tarjan(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[2], c[2]);
        assert_ne!(c[3], c[0]);
    }
}
