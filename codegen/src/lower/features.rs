//! Per-resource Cargo features: one per top-level resource, and for each named type the
//! one resource, if any, whose operations alone reach it.
//!
//! A type is gated with a resource's feature when only that resource's operations reach
//! it (through parameters, bodies, alternative bodies and success values, then through
//! fields, variants, items, map values and newtypes). A type reached by two resources, by
//! an operation on the client itself or by a webhook stays ungated. Reach only grows
//! along containment (whatever reaches a type reaches what it holds), so a gated type
//! holds only types gated with the same feature or ungated ones: every combination of
//! features names only items that exist in it.

use crate::diag::Reporter;
use crate::ir::{Api, Ty};
use crate::naming::{feature_name, taken_by, Namespace};
use crate::runtime::CRATE_FEATURES;

/// How far the types are reached, as the resources are walked one after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Unreached,
    /// By the top-level resource with this index into the feature list, so far alone.
    One(usize),
    Shared,
}

/// Names a feature for every top-level resource and gates the resources and the types
/// only one of them reaches.
pub(crate) fn assign(api: &mut Api, r: &mut Reporter<'_>) {
    let mut names = Namespace::with_reserved(&CRATE_FEATURES);
    let mut tops: Vec<String> = Vec::new();
    let mut features: Vec<String> = Vec::new();
    for res in api.resources.iter().filter(|res| res.path.len() == 1) {
        let Some(segment) = res.path.first() else {
            continue;
        };
        let wanted = feature_name(segment);
        let claimed = names.claim(&wanted, segment);
        if let Some(other) = &claimed.collided_with {
            let at = api
                .operations
                .iter()
                .find(|op| op.resource.first() == Some(segment))
                .map_or("#/paths", |op| op.origin.as_str());
            r.warning(
                at,
                format!(
                    "feature `{wanted}` for resource `{segment}` is taken by {}; it is `{}`",
                    taken_by(other),
                    claimed.name
                ),
            )
            .help("rename the tag or set a distinct `x-fern-sdk-group-name`");
        }
        tops.push(segment.clone());
        features.push(claimed.name);
    }
    for res in &mut api.resources {
        res.feature = res
            .path
            .first()
            .and_then(|top| tops.iter().position(|t| t == top))
            .and_then(|i| features.get(i).cloned());
    }
    let reach = reach(api, &tops);
    for (t, reach) in api.types.iter_mut().zip(reach) {
        t.feature = match reach {
            Reach::One(i) => features.get(i).cloned(),
            Reach::Unreached | Reach::Shared => None,
        };
    }
}

/// Each type's reach. Every type changes state at most twice (unreached, one, shared),
/// and a walk goes on only through types whose state it changed, so the whole is linear
/// in the size of the API.
fn reach(api: &Api, tops: &[String]) -> Vec<Reach> {
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
    // The client's own operations and the webhooks first: what they reach is shared
    // whatever the resources reach.
    let shared: Vec<&Ty> = api
        .operations
        .iter()
        .filter(|op| op.resource.is_empty())
        .flat_map(operation_tys)
        .chain(api.webhooks.iter().map(|w| &w.ty))
        .collect();
    walk(shared, None);
    for (g, top) in tops.iter().enumerate() {
        let roots: Vec<&Ty> = api
            .operations
            .iter()
            .filter(|op| op.resource.first() == Some(top))
            .flat_map(operation_tys)
            .collect();
        walk(roots, Some(g));
    }
    state
}

/// The types an operation names: parameters, bodies and the success value (a page's
/// item type included).
fn operation_tys(op: &crate::ir::Operation) -> impl Iterator<Item = &Ty> {
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.iter().chain(&op.alternative_bodies).map(|b| &b.ty))
        .chain(op.returns.ty())
}
