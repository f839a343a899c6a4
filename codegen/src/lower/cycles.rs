//! Containment cycles: a struct or union that holds itself inline (directly or through
//! other types) has no finite size in Rust, so the fields and variants on such a cycle are
//! marked `boxed`.
//!
//! Invariants: only inline holding counts (a list or map already allocates, so `Vec<Self>`
//! needs no box); a field is boxed exactly when its type is in the same strongly connected
//! component as the type that holds it, so no more boxes are added than needed.

use super::arena::TypeSpace;
use crate::ir::TypeKind;

impl TypeSpace<'_> {
    /// Marks fields and variants on containment cycles as boxed.
    pub(crate) fn break_cycles(&mut self) {
        let edges: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| {
                t.iter()
                    .flat_map(|t| t.kind.tys())
                    .filter_map(|ty| ty.direct().map(|id| id.0))
                    .collect()
            })
            .collect();
        let scc = tarjan(&edges);
        for (i, t) in self.types.iter_mut().enumerate() {
            let Some(t) = t else { continue };
            let on_cycle = |ty: &crate::ir::Ty| ty.direct().map(|j| scc[i] == scc[j.0]);
            match &mut t.kind {
                TypeKind::Struct(s) => {
                    for f in &mut s.fields {
                        if let Some(boxed) = on_cycle(&f.ty) {
                            f.boxed = boxed;
                        }
                    }
                }
                TypeKind::Union(u) => {
                    for v in &mut u.variants {
                        if let Some(boxed) = on_cycle(&v.ty) {
                            v.boxed = boxed;
                        }
                    }
                }
                // A newtype wraps a list or a map, which already allocates.
                TypeKind::Newtype(_) | TypeKind::Enum(_) | TypeKind::Literal(_) => {}
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_cycles() {
        // 0 <-> 1 is a cycle; 2 holds itself; 3 points into the cycle but is not on it.
        let edges = vec![vec![1], vec![0], vec![2], vec![0]];
        let c = tarjan(&edges);
        assert_eq!(c[0], c[1]);
        assert!(c[2] != c[0] && c[2] != c[3], "a self-edge is its own cycle");
        assert_ne!(c[3], c[0]);
    }

    #[test]
    fn tarjan_singletons_are_acyclic() {
        // No node is on a cycle: every component must differ.
        let edges = vec![vec![1], vec![2], vec![]];
        let c = tarjan(&edges);
        assert!(c[0] != c[1] && c[1] != c[2] && c[0] != c[2]);
    }
}
