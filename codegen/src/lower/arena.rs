//! The type arena: every named type by its [`TypeId`], component schemas first (reserved,
//! then converted, so forward and cyclic `$ref`s work), then the inline shapes found while
//! lowering operations.
//!
//! Invariants: a component that needs a named type has one id from the start, whatever
//! converting it reports; any other component is lowered in place, unless it holds
//! itself (a `Tree` whose items are `Tree`s), which gets a named [`TypeKind::Newtype`] to
//! refer back to; an inline shape equal to one already in the arena (by
//! [`ShapeKey`]: everything but names, docs and origins) reuses its id, so a shape used
//! in three operations is emitted once; names are claimed in one [`Namespace`], so every
//! type name is unique.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::flatten::{doc_of, union_refs, Flat, JsonType};
use super::refs::SCHEMAS;
use crate::diag::Reporter;
use crate::ir::{Check, Discriminator, Struct, Ty, TypeDef, TypeId, TypeKind};
use crate::naming::{describe, type_name, variant_name, Namespace};
use crate::pointer::Pointer;

/// How deep inline object, enum and union schemas may nest.
const MAX_INLINE_DEPTH: usize = 96;
/// How deep (nesting plus components lowered in place) a list or map component may be
/// reached before it gets a named type lowered later from the top: a long chain of
/// `$ref`s then costs no stack, and inline nesting below it stays within bounds.
const DEFER_DEPTH: usize = 32;

/// The type space under construction.
#[derive(Debug)]
pub(crate) struct TypeSpace<'d> {
    pub(super) components: &'d IndexMap<String, ReferenceOr<Schema>>,
    /// The raw document, where `$ref`s that name no component are resolved.
    pub(super) raw: &'d serde_json::Value,
    /// The arena, indexed by [`TypeId`]; every slot is filled once its id is handed out.
    pub(super) types: Vec<Option<TypeDef>>,
    pub(crate) names: Namespace,
    pub(super) component_ids: BTreeMap<String, TypeId>,
    /// The named type of each shape, so that an identical shape reuses it.
    shapes: BTreeMap<ShapeKey, TypeId>,
    union_members: BTreeSet<String>,
    converting: BTreeSet<String>,
    /// The `$ref`/`allOf` chain being flattened, to report cycles through it.
    pub(super) flattening: Vec<String>,
    /// How deep the schema being lowered is nested; a `$ref` to a component does not
    /// count (components lowered in place are in `inlining`).
    depth: usize,
    /// Components without a named type being lowered in place, innermost last.
    inlining: Vec<String>,
    /// Components given a named type deep in a chain of `$ref`s, to lower from the top.
    deferred: Vec<String>,
    /// Pointer targets (`$ref`s that name no component) being lowered: such a target has
    /// no named type to refer back to, so a recursion through one is cut.
    targets: BTreeSet<Pointer>,
}

/// Where a schema is being lowered: names for new types come from here.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    /// The name a new type here gets, unless the schema has a `title`.
    pub(crate) name: String,
    /// A literal (single-value enum) in this position is strict: it decides a union.
    pub(crate) strict_literals: bool,
    /// The property being lowered, which names a literal (`KindRsa` rather than `…Rsa`).
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
        raw: &'d serde_json::Value,
        names: Namespace,
    ) -> Self {
        TypeSpace {
            components,
            raw,
            types: Vec::new(),
            names,
            component_ids: BTreeMap::new(),
            shapes: BTreeMap::new(),
            union_members: BTreeSet::new(),
            converting: BTreeSet::new(),
            flattening: Vec::new(),
            depth: 0,
            inlining: Vec::new(),
            deferred: Vec::new(),
            targets: BTreeSet::new(),
        }
    }

    /// Phase one: reserve ids for component schemas that become named types.
    pub(crate) fn reserve_components(&mut self, r: &mut Reporter<'_>) {
        for (name, schema) in self.components {
            let at = SCHEMAS.pointer(name);
            for member in union_refs(schema) {
                self.union_members.insert(member);
            }
            let flat = self.flatten(schema, &at, r);
            if self.needs_named_type(&flat, r) {
                let provisional = TypeKind::Struct(Struct {
                    fields: Vec::new(),
                    additional: None,
                });
                self.reserve(name, provisional, r);
            }
        }
    }

    /// Claims component `name`'s Rust name and gives it an id, holding `provisional`
    /// until it is converted, so that names are stable even if conversion fails.
    fn reserve(&mut self, name: &str, provisional: TypeKind, r: &mut Reporter<'_>) -> TypeId {
        let at = SCHEMAS.pointer(name);
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
        self.types.push(Some(TypeDef {
            name: claimed.name,
            doc: None,
            origin: at.to_string(),
            kind: provisional,
            features: Vec::new(),
        }));
        self.component_ids.insert(name.to_owned(), id);
        id
    }

    /// Phase two: convert every reserved component.
    pub(crate) fn convert_components(&mut self, r: &mut Reporter<'_>) {
        let names: Vec<String> = self.component_ids.keys().cloned().collect();
        for name in names {
            self.convert_component(&name, r);
            self.lower_deferred(r);
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
        let at = SCHEMAS.pointer(name);
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
            self.shapes.entry(ShapeKey::of(&kind)).or_insert(id);
            self.types[id.0] = Some(TypeDef {
                name: type_name,
                doc: doc_of(&flat),
                origin: at.to_string(),
                kind,
                features: Vec::new(),
            });
        }
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

    /// Lowers a schema in some position to a type reference.
    pub(crate) fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Ty {
        let names_component = matches!(
            schema,
            ReferenceOr::Reference { reference } if SCHEMAS.name_of(reference).is_some()
        );
        let ty = if names_component {
            self.lower_inner(schema, hint, at, r)
        } else {
            self.bounded(at, r, |space, r| space.lower_inner(schema, hint, at, r))
                .unwrap_or(Ty::Json)
        };
        if self.depth == 0 && self.inlining.is_empty() {
            self.lower_deferred(r);
        }
        ty
    }

    /// Runs one level of lowering. Every recursion passes through here (list items, map
    /// values, properties, union branches) but a `$ref` to a component, which is not
    /// nesting and is bounded by [`TypeSpace::lower_in_place`]; so nesting is bounded
    /// whatever the document does, and past the bound it is an error, not a stack overflow.
    fn bounded<T>(
        &mut self,
        at: &Pointer,
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
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Ty {
        if let ReferenceOr::Reference { reference } = schema {
            if let Some(name) = SCHEMAS.name_of(reference) {
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

    /// Lowers a flat view: a primitive, or the named type of its shape, which is created
    /// unless the arena has that shape already.
    pub(crate) fn lower_flat(
        &mut self,
        flat: &Flat,
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Ty {
        if let Some(name) = &flat.component {
            return match self.component_ids.get(name) {
                Some(&id) => Ty::Named(id),
                None => self.lower_in_place(name, flat, hint, at, r),
            };
        }
        if let Some(target) = &flat.target {
            if !self.targets.insert(target.clone()) {
                r.warning(
                    at,
                    format!("`{target}` contains itself through a `$ref` that names no component; the inner occurrence is any JSON value"),
                )
                .help("move the schema to components/schemas and reference it by name");
                return Ty::Json;
            }
            let mut plain = flat.clone();
            plain.target = None;
            let ty = self.lower_flat(&plain, hint, at, r);
            self.targets.remove(target);
            return ty;
        }
        if !self.needs_named_type(flat, r) {
            return self.primitive(flat, hint, at, r);
        }
        let kind = self
            .bounded(at, r, |space, r| space.kind_of(flat, hint, at, r))
            .flatten();
        let Some(kind) = kind else {
            return Ty::Json;
        };
        let key = ShapeKey::of(&kind);
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
        let claimed = self.names.claim(&wanted, at.as_str());
        let id = TypeId(self.types.len());
        self.types.push(Some(TypeDef {
            name: claimed.name,
            doc: doc_of(flat),
            origin: at.to_string(),
            kind,
            features: Vec::new(),
        }));
        self.shapes.insert(key, id);
        Ty::Named(id)
    }
}

impl TypeSpace<'_> {
    /// Lowers component `name`, which has no named type, in place. Met again inside
    /// itself (a `Tree` whose items are `Tree`s), it gets a named type, since Rust needs a
    /// name to refer back to; a list or map reached deep in a chain of `$ref`s gets one
    /// too, lowered later from the top, so that no chain of references exhausts the stack.
    fn lower_in_place(
        &mut self,
        name: &str,
        flat: &Flat,
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Ty {
        let recursive = self.inlining.iter().any(|n| n == name);
        if recursive || (self.depth + self.inlining.len() >= DEFER_DEPTH && holds_values(flat)) {
            let id = self.reserve(name, TypeKind::Newtype(Ty::Json), r);
            if !recursive {
                self.deferred.push(name.to_owned());
            }
            return Ty::Named(id);
        }
        let mut plain = flat.clone();
        plain.component = None;
        self.inlining.push(name.to_owned());
        let ty = self.lower_flat(&plain, hint, at, r);
        self.inlining.pop();
        match self.component_ids.get(name) {
            // It met itself: the type it was lowered to is its newtype's.
            Some(&id) => {
                self.define_newtype(id, flat, ty);
                Ty::Named(id)
            }
            None => ty,
        }
    }

    /// Lowers the components [`TypeSpace::lower_in_place`] named for later.
    fn lower_deferred(&mut self, r: &mut Reporter<'_>) {
        while let Some(name) = self.deferred.pop() {
            let (Some(&id), Some(schema)) =
                (self.component_ids.get(&name), self.components.get(&name))
            else {
                continue;
            };
            let at = SCHEMAS.pointer(&name);
            let flat = self.flatten(schema, &at, r);
            let hint = Hint::named(
                self.types[id.0]
                    .as_ref()
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
            );
            self.inlining.push(name);
            let ty = self.lower_flat(&flat, &hint, &at, r);
            self.inlining.pop();
            self.define_newtype(id, &flat, ty);
        }
    }

    fn define_newtype(&mut self, id: TypeId, flat: &Flat, ty: Ty) {
        if let Some(Some(def)) = self.types.get_mut(id.0) {
            def.doc = doc_of(flat);
            def.kind = TypeKind::Newtype(ty);
        }
    }
}

/// A list or a map: what a component without a named type reaches other schemas through.
fn holds_values(flat: &Flat) -> bool {
    match flat.ty {
        Some(JsonType::Array) => true,
        Some(JsonType::Object) => {
            flat.properties.is_empty()
                && matches!(flat.additional, Some((AdditionalProperties::Schema(_), _)))
        }
        _ => false,
    }
}

/// The structure of a type, without names, docs and origins: equal keys mean the same type.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ShapeKey {
    Struct {
        fields: Vec<FieldKey>,
        additional: Option<Ty>,
    },
    Enum(Vec<String>),
    Union {
        variants: Vec<(String, Ty)>,
        discriminator: Option<Discriminator>,
    },
    Literal(String),
    Newtype(Ty),
}

/// A field as far as its type's identity goes.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct FieldKey {
    wire: String,
    ty: Ty,
    required: bool,
    nullable: bool,
    checks: Vec<CheckKey>,
    secret: bool,
    read_only: bool,
    write_only: bool,
}

/// A [`Check`] with its bounds as bit patterns, so that it can be ordered: two checks are
/// the same key exactly when they print the same.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CheckKey {
    MinLength(u64),
    MaxLength(u64),
    Pattern(String),
    Minimum(u64),
    Maximum(u64),
    ExclusiveMinimum(u64),
    ExclusiveMaximum(u64),
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    Each(Vec<CheckKey>),
}

impl ShapeKey {
    fn of(kind: &TypeKind) -> Self {
        match kind {
            TypeKind::Struct(s) => ShapeKey::Struct {
                fields: s
                    .fields
                    .iter()
                    .map(|f| FieldKey {
                        wire: f.wire.clone(),
                        ty: f.ty.clone(),
                        required: f.required,
                        nullable: f.nullable,
                        checks: CheckKey::list(&f.checks),
                        secret: f.secret,
                        read_only: f.read_only,
                        write_only: f.write_only,
                    })
                    .collect(),
                additional: s.additional.clone(),
            },
            TypeKind::Enum(v) => ShapeKey::Enum(v.iter().map(|v| v.wire.clone()).collect()),
            TypeKind::Union(u) => ShapeKey::Union {
                variants: u
                    .variants
                    .iter()
                    .map(|v| (v.name.clone(), v.ty.clone()))
                    .collect(),
                discriminator: u.discriminator.clone(),
            },
            TypeKind::Literal(v) => ShapeKey::Literal(v.clone()),
            TypeKind::Newtype(ty) => ShapeKey::Newtype(ty.clone()),
        }
    }
}

impl CheckKey {
    fn list(checks: &[Check]) -> Vec<Self> {
        checks.iter().map(CheckKey::of).collect()
    }

    fn of(check: &Check) -> Self {
        match check {
            Check::MinLength(v) => CheckKey::MinLength(*v),
            Check::MaxLength(v) => CheckKey::MaxLength(*v),
            Check::Pattern(p) => CheckKey::Pattern(p.clone()),
            Check::Minimum(v) => CheckKey::Minimum(v.to_bits()),
            Check::Maximum(v) => CheckKey::Maximum(v.to_bits()),
            Check::ExclusiveMinimum(v) => CheckKey::ExclusiveMinimum(v.to_bits()),
            Check::ExclusiveMaximum(v) => CheckKey::ExclusiveMaximum(v.to_bits()),
            Check::MinItems(v) => CheckKey::MinItems(*v),
            Check::MaxItems(v) => CheckKey::MaxItems(*v),
            Check::UniqueItems => CheckKey::UniqueItems,
            Check::Each(inner) => CheckKey::Each(CheckKey::list(inner)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumVariant, Field};

    fn field(name: &str, checks: Vec<Check>) -> Field {
        Field {
            name: name.to_owned(),
            wire: "size".to_owned(),
            ty: Ty::Integer(crate::ir::IntWidth::I64),
            required: true,
            nullable: false,
            doc: Some(name.to_owned()),
            example: None,
            default: None,
            checks,
            boxed: false,
            secret: false,
            read_only: false,
            write_only: false,
            origin: format!("#/{name}"),
        }
    }

    fn object(f: Field) -> TypeKind {
        TypeKind::Struct(Struct {
            fields: vec![f],
            additional: None,
        })
    }

    #[test]
    fn shape_keys_ignore_names_docs_and_origins() {
        let a = object(field("a", vec![Check::Minimum(1.0)]));
        let b = object(field("b", vec![Check::Minimum(1.0)]));
        assert_eq!(ShapeKey::of(&a), ShapeKey::of(&b));
    }

    #[test]
    fn shape_keys_tell_shapes_apart() {
        let kinds = [
            object(field("a", vec![Check::Minimum(1.0)])),
            object(field("a", vec![Check::Minimum(2.0)])),
            object(field("a", vec![Check::ExclusiveMinimum(1.0)])),
            object(field("a", vec![Check::Minimum(-0.0)])),
            object(field("a", vec![Check::Minimum(0.0)])),
            TypeKind::Enum(vec![EnumVariant {
                name: "A".to_owned(),
                wire: "a".to_owned(),
            }]),
            TypeKind::Literal("a".to_owned()),
        ];
        let keys: BTreeSet<ShapeKey> = kinds.iter().map(ShapeKey::of).collect();
        assert_eq!(keys.len(), kinds.len());
    }
}

#[cfg(test)]
mod recursion_tests {
    use crate::ir::TypeKind;

    /// A spec whose one operation returns `{prefix}0`, with `count` list components,
    /// each holding the next (and the last the first) through `item`.
    fn chain(prefix: &str, count: usize, item: &str) -> String {
        let mut text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{prefix}0'}}\ncomponents:\n  schemas:\n"
        );
        for i in 0..count {
            let next = format!("'#/components/schemas/{prefix}{}'", (i + 1) % count);
            text.push_str(&format!(
                "    {prefix}{i}: {{type: array, items: {}}}\n",
                item.replace("NEXT", &next)
            ));
        }
        text
    }

    fn newtypes(text: &str) -> usize {
        match crate::lower_spec(text, "spec.yaml") {
            Ok((api, _)) => api
                .types
                .iter()
                .filter(|t| matches!(t.kind, TypeKind::Newtype(_)))
                .count(),
            Err(d) => panic!("{d}"),
        }
    }

    #[test]
    fn a_long_cycle_of_lists_is_named_types_not_a_deep_stack() {
        // On the test thread's default stack: lowering a chain of 400 `$ref`s in place
        // would overflow it; past a depth each list is a newtype lowered from the top.
        let text = chain("L", 400, "{$ref: NEXT}");
        assert!(newtypes(&text) > 1);
    }

    #[test]
    fn a_long_cycle_through_inline_objects_is_named_types_too() {
        let text = chain("O", 200, "{type: object, properties: {next: {$ref: NEXT}}}");
        assert!(newtypes(&text) > 1);
    }

    #[test]
    fn a_list_of_itself_is_one_newtype() {
        let text = chain("T", 1, "{$ref: NEXT}");
        assert_eq!(newtypes(&text), 1);
    }
}
