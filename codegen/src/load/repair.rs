//! Part of stage 1 (load): repairs of schema keywords that published specs get wrong in
//! a way with one reasonable reading. Each repair rewrites the raw tree, so typing and
//! lowering see the same document, and says what it did with a warning at the keyword.
//!
//! A keyword that is wrong in any other way is left alone for the structural check to
//! refuse: a repair is only for a mistake whose meaning is not in doubt.

use serde_json::{Map, Value};

use crate::diag::Reporter;
use crate::pointer::Pointer;

/// Repairs one schema object in place, before it is checked.
pub(super) fn schema(map: &mut Map<String, Value>, at: &Pointer, r: &mut Reporter<'_>) {
    required_flag(map, at, r);
    for bound in [Bound::MINIMUM, Bound::MAXIMUM] {
        exclusive_number(map, at, bound, r);
        wide_integer_bound(map, at, bound, r);
    }
}

/// `required: true` on a property schema is how Swagger 2 marked a required parameter;
/// OpenAPI 3.0 has `required` only as the list in the object that holds the property.
/// It is dropped, and the property stays optional: the spec's object does not list it,
/// so a server that follows the schema may leave it out.
fn required_flag(map: &mut Map<String, Value>, at: &Pointer, r: &mut Reporter<'_>) {
    let Some(Value::Bool(flag)) = map.get("required") else {
        return;
    };
    let flag = *flag;
    map.remove("required");
    let tokens: Vec<_> = at.tokens().collect();
    let is_property = tokens.len() >= 2 && tokens[tokens.len() - 2] == "properties";
    let outcome = if is_property {
        "it is ignored, so the property stays optional"
    } else {
        "it is ignored"
    };
    r.warning(
        at.join("required"),
        format!(
            "`required: {flag}` on a schema is a Swagger 2 habit that OpenAPI 3.0 does not have; {outcome}"
        ),
    )
    .help("list the property in the `required` list of the object that holds it");
}

/// One side of a numeric range: its bound keyword, the 3.0 boolean that makes it
/// exclusive, and which of two bounds is the stricter.
#[derive(Debug, Clone, Copy)]
struct Bound {
    bound: &'static str,
    exclusive: &'static str,
    /// True when a greater value is the stricter bound (a minimum).
    lower: bool,
}

impl Bound {
    const MINIMUM: Bound = Bound {
        bound: "minimum",
        exclusive: "exclusiveMinimum",
        lower: true,
    };
    const MAXIMUM: Bound = Bound {
        bound: "maximum",
        exclusive: "exclusiveMaximum",
        lower: false,
    };
}

/// A numeric `exclusiveMinimum: 0` is OpenAPI 3.1 (JSON Schema 2020-12) for what 3.0
/// writes `minimum: 0` with `exclusiveMinimum: true`. It is read that way; when the
/// schema also has an inclusive bound, the stricter of the two is kept.
fn exclusive_number(map: &mut Map<String, Value>, at: &Pointer, side: Bound, r: &mut Reporter<'_>) {
    let Bound {
        bound, exclusive, ..
    } = side;
    match exclusive_as_3_0(map, side) {
        None => {}
        Some(Rewrite::Exclusive(limit)) => {
            r.warning(
                at.join(exclusive).as_str(),
                format!("a numeric `{exclusive}` is OpenAPI 3.1; it is read as `{bound}: {limit}` with `{exclusive}: true`"),
            )
            .help(format!("in OpenAPI 3.0 write `{bound}: {limit}` and `{exclusive}: true`"));
        }
        Some(Rewrite::Ignored(limit)) => {
            let inclusive_text = map.get(bound).map(ToString::to_string).unwrap_or_default();
            r.warning(
                at.join(exclusive).as_str(),
                format!("a numeric `{exclusive}` is OpenAPI 3.1; `{bound}: {inclusive_text}` is the stricter bound here, so `{exclusive}: {limit}` is ignored"),
            )
            .help(format!("remove `{exclusive}`: `{bound}` already bounds the value"));
        }
    }
}

/// Numeric exclusive bounds as 3.0 writes them, without a word: in an OpenAPI 3.1
/// document they are the standard form.
pub(super) fn exclusive_bounds(map: &mut Map<String, Value>) {
    for side in [Bound::MINIMUM, Bound::MAXIMUM] {
        exclusive_as_3_0(map, side);
    }
}

/// What [`exclusive_as_3_0`] did with a numeric exclusive bound.
#[derive(Debug)]
enum Rewrite {
    /// It became the bound, with the 3.0 boolean.
    Exclusive(serde_json::Number),
    /// The inclusive bound was stricter; it was dropped.
    Ignored(serde_json::Number),
}

fn exclusive_as_3_0(map: &mut Map<String, Value>, side: Bound) -> Option<Rewrite> {
    let Some(Value::Number(limit)) = map.get(side.exclusive).cloned() else {
        return None;
    };
    let Bound {
        bound, exclusive, ..
    } = side;
    let inclusive = map.get(bound).and_then(Value::as_f64);
    let limit_f = limit.as_f64().unwrap_or(0.0);
    let stricter = match inclusive {
        None => true,
        Some(inclusive) if side.lower => limit_f >= inclusive,
        Some(inclusive) => limit_f <= inclusive,
    };
    if stricter {
        map.insert(bound.to_owned(), Value::Number(limit.clone()));
        map.insert(exclusive.to_owned(), Value::Bool(true));
        Some(Rewrite::Exclusive(limit))
    } else {
        map.remove(exclusive);
        Some(Rewrite::Ignored(limit))
    }
}

/// An integer schema's bound beyond `i64` (an unsigned 64-bit number; wider ones were
/// read as floats by [`super::yaml`], with their own warning) cannot be an integer
/// bound of the Rust type, which is at most `i64`: it is checked as a float.
fn wide_integer_bound(map: &Map<String, Value>, at: &Pointer, side: Bound, r: &mut Reporter<'_>) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    let Some(Value::Number(n)) = map.get(side.bound) else {
        return;
    };
    if n.is_u64() && !n.is_i64() {
        let bound = side.bound;
        r.warning(
            at.join(bound),
            format!("`{bound}: {n}` is beyond the 64-bit integer range; it is checked as a float"),
        )
        .help("write a bound within the 64-bit signed range, or leave it out");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::lines::LineIndex;

    fn repaired(v: Value) -> (Value, Vec<String>) {
        let lines = LineIndex::new("");
        let mut r = Reporter::new("spec.yaml", &lines);
        let mut v = v;
        if let Some(map) = v.as_object_mut() {
            schema(map, &Pointer::root().join("s"), &mut r);
        }
        let found = r.finish();
        let pointers = found.warnings().map(|d| d.pointer.clone()).collect();
        (v, pointers)
    }

    #[test]
    fn an_integer_bound_beyond_i64_is_told() {
        let (_, at) = repaired(
            serde_json::json!({"type": "integer", "maximum": 9_223_372_036_854_776_000_u64}),
        );
        assert_eq!(at, ["#/s/maximum"]);
        let (_, at) = repaired(
            serde_json::json!({"type": "number", "maximum": 9_223_372_036_854_776_000_u64}),
        );
        assert!(at.is_empty());
    }

    #[test]
    fn a_required_flag_is_dropped() {
        let (v, at) = repaired(serde_json::json!({"type": "string", "required": true}));
        assert_eq!(v, serde_json::json!({"type": "string"}));
        assert_eq!(at, ["#/s/required"]);
        // A list is the 3.0 keyword, and stays.
        let (v, at) = repaired(serde_json::json!({"required": ["id"]}));
        assert_eq!(v, serde_json::json!({"required": ["id"]}));
        assert!(at.is_empty());
    }

    #[test]
    fn numeric_exclusive_bounds_become_3_0_bounds() {
        let (v, at) = repaired(serde_json::json!({"type": "integer", "exclusiveMinimum": 0}));
        assert_eq!(
            v,
            serde_json::json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(at, ["#/s/exclusiveMinimum"]);
        // The stricter of an inclusive and an exclusive bound is kept.
        let (v, _) = repaired(serde_json::json!({"maximum": 5, "exclusiveMaximum": 9}));
        assert_eq!(v, serde_json::json!({"maximum": 5}));
        let (v, _) = repaired(serde_json::json!({"maximum": 9, "exclusiveMaximum": 5}));
        assert_eq!(
            v,
            serde_json::json!({"maximum": 5, "exclusiveMaximum": true})
        );
        // The 3.0 booleans are not touched.
        let (v, at) = repaired(serde_json::json!({"minimum": 1, "exclusiveMinimum": true}));
        assert_eq!(
            v,
            serde_json::json!({"minimum": 1, "exclusiveMinimum": true})
        );
        assert!(at.is_empty());
    }
}
