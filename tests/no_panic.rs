//! The generator never panics and never hangs: real specs are mutated at random
//! (keys deleted, types swapped, dangling and cyclic `$ref`s, huge and empty strings,
//! deep nesting, corrupted bytes) and every case must end in code or diagnostics within
//! a bound. CI runs a bounded number of cases; set `PROPTEST_CASES` for a longer run
//! (see the README's testing section).

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::Value;

const SPECS: &[&str] = &[
    "spec/token_validation.yaml",
    "tests/fixtures/real-world/swagger-petstore.yaml",
    "tests/fixtures/features/10_one_of_discriminator_mapping.yaml",
    "tests/fixtures/features/12_all_of_nested.yaml",
    "tests/fixtures/features/22_recursive.yaml",
    // OpenAPI 3.1: the mapping onto 3.0 moves nodes, so it is mutated too.
    "tests/fixtures/real-world/redocly-museum.yaml",
    "tests/fixtures/features/93_31_any_of_null.yaml",
    "tests/fixtures/features/99_31_defs.yaml",
    "tests/fixtures/features/105_31_webhooks_no_paths.yaml",
];

/// Generation of one case must finish within this, or the case counts as a hang.
const BOUND: Duration = Duration::from_secs(10);

fn load(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Value),
    DanglingRef(usize),
    SelfRef(usize),
    Nest(usize, usize, bool),
}

/// Every node's JSON Pointer, in a fixed order.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Delete(i) => {
            let p = pick(*i);
            if let Some((parent, key)) = p.rsplit_once('/') {
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(idx) = key.parse::<usize>() {
                            if idx < items.len() {
                                items.remove(idx);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(i, v) => {
            if let Some(node) = doc.pointer_mut(&pick(*i)) {
                *node = v.clone();
            }
        }
        Mutation::DanglingRef(i) => {
            if let Some(node) = doc.pointer_mut(&pick(*i)) {
                *node = serde_json::json!({"$ref": "#/components/schemas/DoesNotExist"});
            }
        }
        Mutation::SelfRef(i) => {
            let p = pick(*i);
            if let Some(name) = p
                .strip_prefix("/components/schemas/")
                .and_then(|r| r.split('/').next())
            {
                let target = format!("#/components/schemas/{name}");
                if let Some(node) = doc.pointer_mut(&p) {
                    *node = serde_json::json!({"allOf": [{"$ref": target}]});
                }
            }
        }
        Mutation::Nest(i, depth, arrays) => {
            if let Some(node) = doc.pointer_mut(&pick(*i)) {
                let mut v = node.take();
                for _ in 0..*depth {
                    v = if *arrays {
                        serde_json::json!({"type": "array", "items": v})
                    } else {
                        serde_json::json!({"type": "object", "properties": {"x": v}})
                    };
                }
                *node = v;
            }
        }
    }
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        Just(Value::String(String::new())),
        Just(Value::String("x".repeat(100_000))),
        "[a-z#/{}$ ]{0,12}".prop_map(Value::String),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!({"type": "strng"})),
        Just(serde_json::json!({"not": {}})),
        Just(serde_json::json!({"oneOf": []})),
        Just(serde_json::json!({"enum": [null, 1, "a"]})),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<usize>().prop_map(Mutation::DanglingRef),
        any::<usize>().prop_map(Mutation::SelfRef),
        (any::<usize>(), 1usize..100, any::<bool>()).prop_map(|(i, d, a)| Mutation::Nest(i, d, a)),
    ]
}

/// A diagnostic that is not placed in the text, or that shows a parser's own words.
fn unfit(items: &[codegen::Diagnostic]) -> Option<String> {
    const PARSER_WORDS: &[&str] = &[
        "untagged enum",
        "variant of enum",
        "flattened data",
        "invalid type:",
        "invalid value:",
        " at line ",
        "while parsing",
    ];
    items.iter().find_map(|d| {
        if d.line.is_none() || d.column.is_none() {
            return Some(format!("a diagnostic without line and column: {d:?}"));
        }
        PARSER_WORDS
            .iter()
            .find(|w| d.message.contains(*w))
            .map(|w| format!("a diagnostic in a parser's words (`{w}`): {}", d.message))
    })
}

/// Runs the generator on another thread so a hang is caught, not waited out.
fn generate_bounded(text: String) -> Result<(), String> {
    let text_copy = text.clone();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let settings = codegen::Settings {
                crate_name: "fuzz".to_owned(),
                crate_version: Some("0.0.0".to_owned()),
                description: "fuzz".to_owned(),
                command: "fuzz".to_owned(),
                standalone: true,
                resource_features: codegen::ResourceFeatures::Auto,
            };
            let outcome = std::panic::catch_unwind(|| {
                match codegen::generate(&text, "fuzz.yaml", &settings) {
                    Ok(out) => unfit(&out.warnings),
                    Err(d) => unfit(d.items()),
                }
            });
            let _ = tx.send(outcome.map_err(|_| ()));
        })
        .map_err(|e| e.to_string())?;
    let unfit_diagnostic;
    let failure = match rx.recv_timeout(BOUND) {
        Ok(Ok(None)) => return Ok(()),
        Ok(Ok(Some(problem))) => {
            unfit_diagnostic = problem;
            unfit_diagnostic.as_str()
        }
        Ok(Err(())) => "the generator panicked",
        Err(_) => "the generator did not finish within the bound",
    };
    // Keep the input so the failure can be reproduced with `cargo xtask generate`.
    let saved = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/no_panic-failure.yaml");
    let _ = std::fs::write(&saved, &text_copy);
    Err(format!("{failure}; input saved to {}", saved.display()))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        failure_persistence: None,
        // A hanging case costs the whole bound on every shrink step; report it as found.
        max_shrink_iters: 0,
        .. ProptestConfig::default()
    })]

    #[test]
    fn mutated_specs_give_code_or_diagnostics(
        spec in 0..SPECS.len(),
        mutations in proptest::collection::vec(mutation(), 1..6),
        as_json in any::<bool>(),
    ) {
        let mut doc = load(SPECS[spec]);
        for m in &mutations {
            apply(&mut doc, m);
        }
        let text = if as_json {
            serde_json::to_string(&doc).unwrap_or_default()
        } else {
            serde_yaml::to_string(&doc).unwrap_or_default()
        };
        prop_assert_eq!(generate_bounded(text), Ok(()));
    }

    #[test]
    fn corrupted_bytes_give_diagnostics(
        spec in 0..SPECS.len(),
        cut in any::<usize>(),
        junk in "[\\[\\]{}:'\"\\-#&*!|> \\t\\n]{0,8}",
    ) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(SPECS[spec]);
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut at = cut % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let corrupted = format!("{}{junk}{}", &text[..at], &text[at..]);
        prop_assert_eq!(generate_bounded(corrupted), Ok(()));
    }
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    let mut doc = load("tests/fixtures/features/01_object_required_optional.yaml");
    let mut v = serde_json::json!({"type": "string"});
    for _ in 0..200 {
        v = serde_json::json!({"type": "object", "properties": {"x": v}});
    }
    if let Some(schemas) = doc.pointer_mut("/components/schemas") {
        schemas["Deep"] = v;
    }
    let text = serde_json::to_string(&doc).unwrap_or_default();
    assert_eq!(generate_bounded(text), Ok(()));
}
