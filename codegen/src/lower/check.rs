//! Cross-cutting checks over the lowered operations and types. Each rule is one
//! function with the reason it exists.

use super::arena::TypeSpace;
use crate::diag::Reporter;
use crate::ir::{Bounds, Check, Operation, TypeKind};

pub(super) fn run(operations: &[Operation], space: &TypeSpace<'_>, r: &mut Reporter<'_>) {
    sane_ranges(operations, space, r);
}

/// A range that nothing can satisfy (`minLength: 5, maxLength: 2`) would make the client
/// reject every value before sending; that is a spec bug, not a runtime error.
fn sane_ranges(operations: &[Operation], space: &TypeSpace<'_>, r: &mut Reporter<'_>) {
    let check = |checks: &[Check], at: &str, r: &mut Reporter<'_>| {
        let Bounds {
            length: (min_len, max_len),
            value: (min, max),
            items: (min_items, max_items),
        } = Bounds::of(checks);
        let (min, max) = (min.map(|b| b.value), max.map(|b| b.value));
        let contradictions = [
            (
                min_len.zip(max_len).is_some_and(|(a, b)| a > b),
                "minLength is greater than maxLength",
            ),
            (
                min.zip(max).is_some_and(|(a, b)| a > b),
                "minimum is greater than maximum",
            ),
            (
                min_items.zip(max_items).is_some_and(|(a, b)| a > b),
                "minItems is greater than maxItems",
            ),
        ];
        for (bad, what) in contradictions {
            if bad {
                r.error(at, format!("no value can satisfy this schema: {what}"))
                    .help("check the constraints, including those merged from `allOf` parts");
            }
        }
    };
    for op in operations {
        for p in &op.params {
            check(&p.checks, &p.origin, r);
        }
    }
    for t in space.defs() {
        if let TypeKind::Struct(s) = &t.kind {
            for f in &s.fields {
                check(&f.checks, &f.origin, r);
            }
        }
    }
}
