//! Lowering a [`Flat`] view to what it is in Rust: a primitive [`Ty`] (strings, numbers,
//! lists, maps), or the [`TypeKind`] of a named type (a struct, a string enum or literal,
//! a union), with the client-side checks of each value.
//!
//! Invariants: objects with properties, string enums and unions get named types; all else
//! is a primitive. Alternatives that are all plain strings (`anyOf` of patterns) collapse
//! to one string whose pattern accepts what any branch accepts. A branch or property that
//! is exactly a component refers to that component's type.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::arena::{Hint, TypeSpace};
use super::flatten::{doc_of, Flat, JsonType};
use super::refs::SCHEMAS;
use crate::diag::Reporter;
use crate::ir::{
    Check, Discriminator, EnumVariant, Field, IntWidth, Struct, Ty, TypeKind, Union, UnionVariant,
};
use crate::naming::{field_name, short_variant, taken_by, type_name, variant_name, Namespace};
use crate::pointer::Pointer;

impl TypeSpace<'_> {
    /// The primitive type of a flat schema that needs no named type.
    pub(super) fn primitive(
        &mut self,
        flat: &Flat,
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Ty {
        if flat.never {
            r.warning(
                at,
                "this schema matches no value (`not: {}`); it is typed as any JSON value",
            )
            .help("remove the schema, or describe the values it allows");
            return Ty::Json;
        }
        if flat.untyped {
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
            Some(JsonType::String) => match flat.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("uuid") => Ty::Uuid,
                Some("binary") => Ty::Bytes,
                _ => Ty::String,
            },
            Some(JsonType::Integer) => match flat.format.as_deref() {
                Some("int32") => Ty::Integer(IntWidth::I32),
                _ => Ty::Integer(IntWidth::I64),
            },
            Some(JsonType::Number) => Ty::Number,
            Some(JsonType::Boolean) => Ty::Boolean,
            Some(JsonType::Array) => match &flat.items {
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
            Some(JsonType::Object) | None if !flat.properties.is_empty() => Ty::JsonObject,
            Some(JsonType::Object) => match &flat.additional {
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
    pub(super) fn kind_of(
        &mut self,
        flat: &Flat,
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Option<TypeKind> {
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
        if flat.ty == Some(JsonType::String) && !flat.enum_values.is_empty() {
            return Some(enumeration(flat, hint, at, r));
        }
        Some(TypeKind::Struct(self.structure(flat, hint, at, r)))
    }

    /// An object's fields, in spec order, and the type of its other properties.
    fn structure(
        &mut self,
        flat: &Flat,
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> Struct {
        let mut fields = Vec::new();
        let mut ns = Namespace::default();
        for (wire, (schema, prop_at)) in &flat.properties {
            let prop_flat = self.flatten(schema, prop_at, r);
            // `not: {}`: the property must be absent, so the type has no field for it.
            if prop_flat.never {
                if flat.required.contains(wire) {
                    r.warning(
                        prop_at,
                        format!("property `{wire}` is required but matches no value (`not: {{}}`); it is left out"),
                    )
                    .help("remove it from `required`");
                }
                continue;
            }
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
                example: prop_flat.example.clone(),
                default: prop_flat.default.clone(),
                checks,
                boxed: false,
                secret: prop_flat.secret,
                read_only: prop_flat.read_only,
                write_only: prop_flat.write_only,
                origin: prop_at.to_string(),
            });
        }
        for (i, req) in flat.required.iter().enumerate() {
            if !flat.properties.contains_key(req) && flat.additional.is_none() {
                r.warning(
                    at.join("required").index(i),
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

    /// A union of the branches. A variant is named after its component (less the union's
    /// own name), else its title, else its JSON type.
    fn union(
        &mut self,
        flat: &Flat,
        branches: &[(ReferenceOr<Schema>, Pointer)],
        hint: &Hint,
        at: &Pointer,
        r: &mut Reporter<'_>,
    ) -> TypeKind {
        let mut variants = Vec::new();
        let mut ns = Namespace::default();
        let mut tagged = Vec::new();
        for (i, (branch, branch_at)) in branches.iter().enumerate() {
            let ref_name = match branch {
                ReferenceOr::Reference { reference } => SCHEMAS.name_of(reference),
                ReferenceOr::Item(_) => None,
            };
            let bflat = self.flatten(branch, branch_at, r);
            if bflat.never {
                // No value matches the branch: the union is the other branches.
                continue;
            }
            let inline_tag = match (&ref_name, &flat.discriminator) {
                (None, Some(d)) => single_value(&bflat, &d.property_name),
                _ => None,
            };
            let wanted = ref_name
                .as_deref()
                .map(|n| short_variant(n, &hint.name))
                .or_else(|| inline_tag.as_deref().map(variant_name))
                .or_else(|| bflat.title.as_deref().map(variant_name))
                .unwrap_or_else(|| match bflat.ty {
                    Some(JsonType::String) if bflat.enum_values.is_empty() => "String".to_owned(),
                    Some(JsonType::String) => "Text".to_owned(),
                    Some(JsonType::Integer) => "Integer".to_owned(),
                    Some(JsonType::Number) => "Number".to_owned(),
                    Some(JsonType::Boolean) => "Boolean".to_owned(),
                    Some(JsonType::Array) => "Array".to_owned(),
                    _ => format!("Variant{}", i + 1),
                });
            let claimed = ns.claim(&wanted, branch_at.as_str());
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
            tagged.push(Tagged {
                ref_name,
                inline_tag,
                at: branch_at.clone(),
            });
            variants.push(UnionVariant {
                name: claimed.name,
                ty,
                boxed: false,
                doc: doc_of(&bflat),
            });
        }
        let discriminator = flat
            .discriminator
            .as_ref()
            .and_then(|d| discriminator(d, &tagged, at, r));
        TypeKind::Union(Union {
            variants,
            discriminator,
        })
    }

    /// Objects, enums and unions get named types; primitives, arrays and maps do not.
    /// Alternatives that are all plain strings (`anyOf` of patterns) collapse to a string.
    pub(crate) fn needs_named_type(&mut self, flat: &Flat, r: &mut Reporter<'_>) -> bool {
        if flat.never || flat.untyped {
            return false;
        }
        if !flat.one_of.is_empty() || !flat.any_of.is_empty() {
            return !(flat.properties.is_empty() && self.string_alternatives(flat, r).is_some());
        }
        match flat.ty {
            Some(JsonType::String) => !flat.enum_values.is_empty(),
            Some(JsonType::Object) | None => !flat.properties.is_empty(),
            _ => false,
        }
    }

    /// The branches of a `oneOf`/`anyOf` when every one is a plain string schema.
    fn string_alternatives(&mut self, flat: &Flat, r: &mut Reporter<'_>) -> Option<Vec<Flat>> {
        let branches: Vec<_> = flat.one_of.iter().chain(&flat.any_of).cloned().collect();
        let mut out = Vec::new();
        for (b, b_at) in &branches {
            let f = self.flatten(b, b_at, r);
            let plain = f.ty == Some(JsonType::String)
                && f.enum_values.is_empty()
                && f.properties.is_empty()
                && f.one_of.is_empty()
                && f.any_of.is_empty()
                && !f.never
                && !f.untyped;
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
}

/// A string enum; a single value in a strict position is a literal instead.
fn enumeration(flat: &Flat, hint: &Hint, at: &Pointer, r: &mut Reporter<'_>) -> TypeKind {
    let mut variants = Vec::new();
    // `Unknown` is the variant that keeps values this client does not know.
    let mut seen = Namespace::with_reserved(&["Unknown"]);
    let mut wires = std::collections::BTreeSet::new();
    for (i, v) in flat.enum_values.iter().enumerate() {
        let value_at = at.join("enum").index(i);
        let Some(s) = v.as_str() else {
            r.error(&value_at, format!("enum value {v} is not a string"));
            continue;
        };
        if !wires.insert(s) {
            r.warning(
                &value_at,
                format!("enum value `{s}` is listed more than once; the repeat is ignored"),
            );
            continue;
        }
        let claimed = seen.claim(&variant_name(s), s);
        if let Some(other) = claimed.collided_with {
            r.warning(
                &value_at,
                format!(
                    "enum value `{s}` and {} have the same Rust name; this one becomes `{}`",
                    taken_by(&other),
                    claimed.name
                ),
            );
        }
        variants.push(EnumVariant {
            name: claimed.name,
            wire: s.to_owned(),
        });
    }
    match variants.as_slice() {
        [only] if hint.strict_literals => TypeKind::Literal(only.wire.clone()),
        _ => TypeKind::Enum(variants),
    }
}

/// A union branch as the discriminator sees it.
struct Tagged {
    /// The component the branch is exactly, if it is a `$ref`.
    ref_name: Option<String>,
    /// For an inline branch, the one value its discriminator property can take.
    inline_tag: Option<String>,
    at: Pointer,
}

/// The one string `property` of `flat` can be (`enum: [json]`), if it is written inline.
fn single_value(flat: &Flat, property: &str) -> Option<String> {
    let (ReferenceOr::Item(schema), _) = flat.properties.get(property)? else {
        return None;
    };
    let SchemaKind::Type(Type::String(s)) = &schema.schema_kind else {
        return None;
    };
    match s.enumeration.as_slice() {
        [Some(value)] => Some(value.clone()),
        _ => None,
    }
}

/// The tag of each branch: the discriminator's mapping where it names the branch, else the
/// branch's component name, else (an inline branch) the one value its discriminator
/// property takes. `None`, with a warning, when a branch has no tag of its own or two
/// branches share one: such a union is told apart by trying each branch in turn.
fn discriminator(
    d: &openapiv3::Discriminator,
    branches: &[Tagged],
    at: &Pointer,
    r: &mut Reporter<'_>,
) -> Option<Discriminator> {
    let d_at = at.join("discriminator");
    let mut tags: Vec<(String, usize)> = Vec::new();
    let mut untagged = None;
    for (i, branch) in branches.iter().enumerate() {
        let Some(ref_name) = &branch.ref_name else {
            match &branch.inline_tag {
                Some(tag) => tags.push((tag.clone(), i)),
                None => {
                    untagged.get_or_insert_with(|| {
                        format!(
                            "the inline branch at {} gives `{}` no single value",
                            branch.at, d.property_name
                        )
                    });
                }
            }
            continue;
        };
        let full = format!("{}{ref_name}", SCHEMAS.prefix);
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
    for (n, (tag, i)) in tags.iter().enumerate() {
        if let Some((_, j)) = tags[..n].iter().find(|(t, j)| t == tag && j != i) {
            untagged.get_or_insert_with(|| {
                format!(
                    "`{tag}` tags both {} and {}",
                    branches[*j].at, branches[*i].at
                )
            });
        }
    }
    for (tag, target) in &d.mapping {
        let known = branches
            .iter()
            .filter_map(|b| b.ref_name.as_ref())
            .any(|n| format!("{}{n}", SCHEMAS.prefix) == *target || n == target);
        if !known {
            r.error(
                at.join("discriminator").join("mapping").join(tag),
                format!("mapping target `{target}` is not one of the union's branches"),
            );
        }
    }
    if let Some(why) = untagged {
        r.warning(
            &d_at,
            format!(
                "discriminator `{}` cannot tell the branches apart: {why}; the first branch that fits is taken",
                d.property_name
            ),
        )
        .help(format!(
            "give every inline branch a one-value `enum` for `{}`, or move it to components/schemas",
            d.property_name
        ));
        return None;
    }
    Some(Discriminator {
        property: d.property_name.clone(),
        tags,
    })
}
