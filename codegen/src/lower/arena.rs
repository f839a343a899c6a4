//! The type arena: every named type by its [`TypeId`], component schemas first (reserved,
//! then converted, so forward and cyclic `$ref`s work), then the inline shapes found while
//! lowering operations.
//!
//! Invariants: a component that needs a named type has one id from the start, whatever
//! converting it reports; an inline shape equal to one already in the arena (by
//! [`ShapeKey`]: everything but names, docs and origins) reuses its id, so a shape used
//! in three operations is emitted once; names are claimed in one [`Namespace`], so every
//! type name is unique.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::flatten::{doc_of, union_refs, Flat};
use super::refs::SCHEMAS;
use crate::diag::Reporter;
use crate::ir::{Check, Discriminator, Struct, Ty, TypeDef, TypeId, TypeKind};
use crate::naming::{describe, type_name, variant_name, Namespace};

/// How deep inline object, enum and union schemas may nest.
const MAX_INLINE_DEPTH: usize = 96;

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
    depth: usize,
    /// Pointer targets (`$ref`s that name no component) being lowered: such a target has
    /// no named type to refer back to, so a recursion through one is cut.
    targets: BTreeSet<String>,
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
                origin: at,
                kind,
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
        at: &str,
        r: &mut Reporter<'_>,
    ) -> Ty {
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
