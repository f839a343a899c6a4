//! Read and write directions, and pruning: which types a request sends and a response
//! receives, and which types are emitted at all.
//!
//! Invariants: a read-only field of a type a request reaches, or a write-only field of a
//! type a response reaches, is not `required` (the client never has to invent an `id`);
//! only types reachable from an operation are emitted, in id order, and every id in the
//! result is rewritten to index the pruned list.

use std::collections::{BTreeMap, BTreeSet};

use super::arena::TypeSpace;
use crate::ir::{Ty, TypeDef, TypeId, TypeKind};

impl TypeSpace<'_> {
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
            for ty in t.kind.tys_mut() {
                remap(ty, &map);
            }
        }
        (out, map)
    }

    fn reachable(&self, roots: &[Ty]) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = roots.iter().filter_map(|t| Some(t.named()?.0)).collect();
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            if let Some(Some(t)) = self.types.get(i) {
                stack.extend(t.kind.tys().into_iter().filter_map(|t| Some(t.named()?.0)));
            }
        }
        seen
    }
}

/// Rewrites type ids after pruning.
pub(crate) fn remap(ty: &mut Ty, map: &BTreeMap<TypeId, TypeId>) {
    if let Some(id) = ty.named_mut() {
        if let Some(new) = map.get(id) {
            *id = *new;
        }
    }
}
