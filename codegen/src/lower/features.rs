//! Per-resource Cargo features: one per top-level resource, and for each named type the
//! resources whose operations reach it.
//!
//! An operation belongs to the feature of its top-level resource; one on the client
//! itself (a spec without tags puts every operation there) to that of its path's own
//! resource segment, the first past a leading `api` and version segments (`/v1/pets` →
//! `pets`). That segment depends on the path alone, not on a prefix every path shares,
//! so adding a path never renames another's feature. One whose path has no such segment
//! stays ungated.
//!
//! A type is gated with the features whose operations reach it (through parameters,
//! bodies, alternative bodies and success values, then through fields, variants, items,
//! map values and newtypes): `cfg(feature = "a")` for one, `cfg(any(feature = "a",
//! feature = "b"))` for several, so a one-feature build compiles only what that feature
//! needs, even in an API whose objects refer to each other. A type reached by an ungated
//! operation, by a webhook or by every feature stays ungated. Reach only grows along
//! containment (whatever reaches a type reaches what it holds), so a type's features are
//! a superset of those of any type holding it: every combination of features names only
//! items that exist in it.

use std::collections::{BTreeMap, BTreeSet};

use super::paths;
use crate::diag::Reporter;
use crate::ir::{Api, Operation, Ty};
use crate::naming::{feature_name, field_name, taken_by, Namespace};
use crate::runtime::CRATE_FEATURES;

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
        t.features = match reach {
            Some(set) if set.len() < by_index.len() => set
                .iter()
                .filter_map(|&i| by_index.get(i).map(|f| (*f).clone()))
                .collect(),
            Some(_) | None => Vec::new(),
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

/// Each type's reach, given each operation's feature index (`None`: ungated): the set
/// of features that reach it, or `None` when an ungated root does. One walk per feature
/// (and one for the ungated roots), each visiting a type at most once, so the whole is
/// the size of the API times the number of features.
fn reach(api: &Api, of_op: &[Option<usize>], features: usize) -> Vec<Option<BTreeSet<usize>>> {
    let mut state: Vec<Option<BTreeSet<usize>>> = vec![Some(BTreeSet::new()); api.types.len()];
    let ops = || api.operations.iter().zip(of_op);
    for by in std::iter::once(None).chain((0..features).map(Some)) {
        let mut roots: Vec<&Ty> = ops()
            .filter(|(_, f)| **f == by)
            .flat_map(|(op, _)| operation_tys(op))
            .collect();
        if by.is_none() {
            roots.extend(api.webhooks.iter().map(|w| &w.ty));
        }
        let mut seen = vec![false; api.types.len()];
        let mut todo: Vec<usize> = roots
            .iter()
            .filter_map(|t| t.named())
            .map(|id| id.0)
            .collect();
        while let Some(i) = todo.pop() {
            match seen.get_mut(i) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            if let Some(slot) = state.get_mut(i) {
                match (slot.as_mut(), by) {
                    (Some(set), Some(g)) => {
                        set.insert(g);
                    }
                    _ => *slot = None,
                }
            }
            if let Some(t) = api.types.get(i) {
                todo.extend(t.kind.tys().iter().filter_map(|t| t.named()).map(|id| id.0));
            }
        }
    }
    // A type no operation reaches is not emitted; ungated, it needs no cfg.
    for slot in &mut state {
        if slot.as_ref().is_some_and(BTreeSet::is_empty) {
            *slot = None;
        }
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
