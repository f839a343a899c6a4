//! Per-resource Cargo features: one per top-level resource, and for each named type the
//! one resource, if any, whose operations alone reach it.
//!
//! An operation belongs to the feature of its top-level resource; one on the client
//! itself (a spec without tags puts every operation there) to that of its path's own
//! resource segment, the first past a leading `api` and version segments (`/v1/pets` →
//! `pets`). That segment depends on the path alone, not on a prefix every path shares,
//! so adding a path never renames another's feature. One whose path has no such segment
//! stays ungated.
//!
//! A type is gated with a feature when only that feature's operations reach it (through
//! parameters, bodies, alternative bodies and success values, then through fields,
//! variants, items, map values and newtypes). A type reached by two features, by an
//! ungated operation or by a webhook stays ungated. Reach only grows along containment
//! (whatever reaches a type reaches what it holds), so a gated type holds only types gated
//! with the same feature or ungated ones: every combination of features names only items
//! that exist in it.

use std::collections::BTreeMap;

use super::paths;
use crate::diag::Reporter;
use crate::ir::{Api, Operation, Ty};
use crate::naming::{feature_name, field_name, taken_by, Namespace};
use crate::runtime::CRATE_FEATURES;

/// How far the types are reached, as the features' operations are walked one feature
/// after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Unreached,
    /// By the feature with this index, so far alone.
    One(usize),
    Shared,
}

/// Names a feature for every top-level resource (and path segment of the client's own
/// operations) and gates the resources, operations and types that belong to one.
pub(crate) fn assign(api: &mut Api, r: &mut Reporter<'_>) {
    // Each group (a resource segment) with the pointer of its first operation, in order.
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    for op in &api.operations {
        if let Some(group) = group_of(op) {
            groups.entry(group).or_insert_with(|| op.origin.clone());
        }
    }
    for res in &api.resources {
        if let Some(top) = res.path.first() {
            groups
                .entry(top.clone())
                .or_insert_with(|| "#/paths".to_owned());
        }
    }
    let mut names = Namespace::with_reserved(&CRATE_FEATURES);
    let mut features: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (i, (group, at)) in groups.iter().enumerate() {
        let wanted = feature_name(group);
        let claimed = names.claim(&wanted, group);
        if let Some(other) = &claimed.collided_with {
            r.warning(
                at,
                format!(
                    "feature `{wanted}` for resource `{group}` is taken by {}; it is `{}`",
                    taken_by(other),
                    claimed.name
                ),
            )
            .help("rename the tag or set a distinct `x-fern-sdk-group-name`");
        }
        features.insert(group.clone(), (i, claimed.name));
    }
    let lookup = |group: Option<&String>| group.and_then(|g| features.get(g));
    for res in &mut api.resources {
        res.feature = lookup(res.path.first()).map(|(_, f)| f.clone());
    }
    let mut of_op = Vec::with_capacity(api.operations.len());
    for op in &mut api.operations {
        let feature = lookup(group_of(op).as_ref());
        of_op.push(feature.map(|(i, _)| *i));
        op.feature = feature.map(|(_, f)| f.clone());
    }
    let by_index: Vec<&String> = features.values().map(|(_, f)| f).collect();
    let reach = reach(api, &of_op, by_index.len());
    for (t, reach) in api.types.iter_mut().zip(reach) {
        t.feature = match reach {
            Reach::One(i) => by_index.get(i).map(|f| (*f).clone()),
            Reach::Unreached | Reach::Shared => None,
        };
    }
}

/// The group an operation belongs to: its top-level resource, or its path's own resource
/// segment.
fn group_of(op: &Operation) -> Option<String> {
    match op.resource.first() {
        Some(top) => Some(top.clone()),
        None => paths::own_resource(&op.path).map(|s| field_name(&s)),
    }
}

/// Each type's reach, given each operation's feature index (`None`: ungated). Every
/// type changes state at most twice (unreached, one, shared), and a walk goes on only
/// through types whose state it changed, so the whole is linear in the size of the API.
fn reach(api: &Api, of_op: &[Option<usize>], features: usize) -> Vec<Reach> {
    let mut state = vec![Reach::Unreached; api.types.len()];
    let mut walk = |roots: Vec<&Ty>, by: Option<usize>| {
        let mut todo: Vec<usize> = roots
            .iter()
            .filter_map(|t| t.named())
            .map(|id| id.0)
            .collect();
        while let Some(i) = todo.pop() {
            let Some(slot) = state.get_mut(i) else {
                continue;
            };
            let next = match (*slot, by) {
                (Reach::Unreached, Some(g)) => Reach::One(g),
                (Reach::One(g), Some(h)) if g == h => continue,
                (Reach::Shared, _) => continue,
                _ => Reach::Shared,
            };
            *slot = next;
            if let Some(t) = api.types.get(i) {
                todo.extend(t.kind.tys().iter().filter_map(|t| t.named()).map(|id| id.0));
            }
        }
    };
    let ops = || api.operations.iter().zip(of_op);
    for by in std::iter::once(None).chain((0..features).map(Some)) {
        let mut roots: Vec<&Ty> = ops()
            .filter(|(_, f)| **f == by)
            .flat_map(|(op, _)| operation_tys(op))
            .collect();
        if by.is_none() {
            roots.extend(api.webhooks.iter().map(|w| &w.ty));
        }
        walk(roots, by);
    }
    state
}

/// The types an operation names: parameters, bodies and the success value (a page's
/// item type included).
fn operation_tys(op: &Operation) -> impl Iterator<Item = &Ty> {
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.iter().chain(&op.alternative_bodies).map(|b| &b.ty))
        .chain(op.returns.ty())
}
