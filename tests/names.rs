//! Names are correct by construction: specs whose tags, operationIds, schema, property,
//! parameter and security scheme names, enum values and `x-fern-sdk-group-name`s are
//! drawn from Rust keywords, prelude names, the runtime's own items and methods, names
//! that collide only after recasing, leading digits, emoji and non-ASCII letters all
//! generate crates that compile with no error and no warning under clippy `-D warnings`.
//!
//! The cases are generated first and compiled together, each as a member crate of one
//! scratch workspace sharing one target directory (`cargo xtask check-specs`, which also
//! writes the files), since building the dependencies of one generated crate costs far
//! more than checking many. CI runs 24 specs; set `PROPTEST_CASES` for a longer run and
//! `NAMES_SEED` (64 hex digits, printed by every run) to replay one.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// Specs per run unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: usize = 24;

/// Strict, reserved and weak keywords.
#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield", "union", "macro_rules", "raw", "safe",
    "default", "auto",
];

/// Prelude and standard library names.
#[rustfmt::skip]
const STD: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Default", "Send", "Sync", "Some", "None", "Ok",
    "Err", "Copy", "Clone", "From", "Into", "Iterator", "Sized", "Drop", "Fn", "std", "core",
    "alloc", "str", "u8", "i32", "bool",
];

/// The runtime's items and the names generated modules use.
#[rustfmt::skip]
const GENERATED: &[&str] = &[
    "Client", "ClientBuilder", "Error", "ApiError", "Page", "PageInfo", "Call", "Response",
    "Request", "Method", "Binary", "Validate", "Validator", "Check", "rt", "serde", "serde_json",
    "time", "uuid", "builder", "api", "API", "with_vars", "Unknown", "unknown", "value", "body",
    "params", "request", "client", "new", "types", "runtime",
];

/// Names clippy gives a meaning.
#[rustfmt::skip]
const CLIPPY: &[&str] = &[
    "add", "sub", "cmp", "next", "eq", "hash", "deref", "from_str", "into_iter", "len", "is_empty",
    "as_ref", "into_inner", "to_owned", "iter",
];

/// Names equal only after recasing, leading digits, emoji and non-ASCII letters.
#[rustfmt::skip]
const SPELLINGS: &[&str] = &[
    "a-b", "a_b", "A_B", "aB", "AB", "a b", "a.b", "2fa", "1", "0x", "9lives", "3-d", "1.0", "😀",
    "🚀✨", "smile😀", "café", "Straße", "Ünïcode", "naïve", "Ελλάδα", "Москва", "名前", "øre", "ĳs",
];

/// Every identifier the runtime's sources define (`fn call`, `struct Page`, …): the
/// runtime's own method names, read from the files, so new ones are covered unasked.
fn runtime_names(root: &Path) -> Vec<String> {
    let dir = root.join("codegen/runtime/src");
    let mut names = BTreeSet::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            if ["fn", "struct", "enum", "trait", "type", "mod"].contains(&pair[0]) {
                names.insert(pair[1].to_owned());
            }
        }
    }
    names.into_iter().collect()
}

/// A name: a tricky one, a runtime one, or a short random one.
fn name(runtime: &[String]) -> impl Strategy<Value = String> + Clone {
    let tricky: Vec<String> = [KEYWORDS, STD, GENERATED, CLIPPY, SPELLINGS]
        .concat()
        .into_iter()
        .map(str::to_owned)
        .collect();
    prop_oneof![
        5 => proptest::sample::select(tricky),
        3 => proptest::sample::select(runtime.to_vec()),
        1 => "[a-zA-Z0-9_-]{1,6}",
    ]
}

/// One operation of a spec.
#[derive(Debug, Clone)]
struct Op {
    id: String,
    tag: Option<String>,
    group: Option<Vec<String>>,
    params: Vec<Param>,
    body: Option<usize>,
    /// 0 no content, 1 a schema, 2 the enum.
    response: (u8, usize),
}

/// A parameter: its name, location (0 path, 1 query, 2 header) and whether it is required.
#[derive(Debug, Clone)]
struct Param(String, u8, bool);

/// A property: its name, kind (0 string, 1 integer, 2 the enum, 3 a list, 4 a schema) and
/// the schema it refers to.
#[derive(Debug, Clone)]
struct Prop(String, u8, usize);

/// What a spec is built from.
#[derive(Debug, Clone)]
struct Model {
    schemes: Vec<String>,
    /// Name and properties of each object schema.
    schemas: Vec<(String, Vec<Prop>)>,
    enum_name: String,
    enum_values: Vec<String>,
    ops: Vec<Op>,
}

fn model(runtime: &[String]) -> impl Strategy<Value = Model> {
    let n = name(runtime);
    let op = (
        n.clone(),
        proptest::option::of(n.clone()),
        proptest::option::weighted(0.3, proptest::collection::vec(n.clone(), 1..3)),
        proptest::collection::vec(
            (n.clone(), 0u8..3, any::<bool>()).prop_map(|(n, l, r)| Param(n, l, r)),
            0..4,
        ),
        proptest::option::of(0usize..8),
        (0u8..3, 0usize..8),
    )
        .prop_map(|(id, tag, group, params, body, response)| Op {
            id,
            tag,
            group,
            params,
            body,
            response,
        });
    let enum_value = prop_oneof![
        1 => Just(String::new()),
        1 => Just("Unknown".to_owned()),
        1 => Just("unknown".to_owned()),
        6 => n.clone(),
    ];
    (
        proptest::collection::vec(n.clone(), 1..3),
        proptest::collection::vec(
            (
                n.clone(),
                proptest::collection::vec(
                    (n.clone(), 0u8..5, 0usize..8).prop_map(|(n, k, t)| Prop(n, k, t)),
                    0..5,
                ),
            ),
            1..4,
        ),
        n,
        proptest::collection::vec(enum_value, 1..6),
        proptest::collection::vec(op, 1..5),
    )
        .prop_map(|(schemes, schemas, enum_name, enum_values, ops)| Model {
            schemes,
            schemas,
            enum_name,
            enum_values,
            ops,
        })
}

/// A valid OpenAPI 3.0 document from a model: exact duplicates, which a spec cannot
/// hold, are dropped; names equal only after recasing are kept.
fn spec(m: &Model) -> Value {
    let enum_name = if m.enum_name.is_empty() {
        "enum".to_owned()
    } else {
        m.enum_name.clone()
    };
    let mut names: Vec<String> = Vec::new();
    for (name, _) in &m.schemas {
        if !name.is_empty() && *name != enum_name && !names.contains(name) {
            names.push(name.clone());
        }
    }
    // Operations refer to schemas by index: keep at least one.
    if names.is_empty() {
        names.push(format!("{enum_name}Object"));
    }
    let refs = Refs {
        names: &names,
        enum_name: &enum_name,
    };
    let mut schemes = Map::new();
    for (i, s) in m.schemes.iter().enumerate() {
        let scheme = if i % 2 == 0 {
            json!({"type": "http", "scheme": "bearer"})
        } else {
            json!({"type": "apiKey", "in": "header", "name": "X-Key"})
        };
        schemes.insert(s.clone(), scheme);
    }
    let security: Vec<Value> = schemes.keys().map(|s| json!({s.clone(): []})).collect();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "names", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "security": security,
        "paths": paths(m, &refs),
        "components": {"schemas": schemas(m, &refs), "securitySchemes": schemes},
    })
}

/// The component names a spec's `$ref`s can name.
struct Refs<'a> {
    /// The object schemas, in model order.
    names: &'a [String],
    /// The one string enum.
    enum_name: &'a str,
}

impl Refs<'_> {
    /// A `$ref` to the object schema at `i`, modulo their number.
    fn schema(&self, i: usize) -> Value {
        json!({"$ref": format!("#/components/schemas/{}", self.names[i % self.names.len()])})
    }

    fn enumeration(&self) -> Value {
        json!({"$ref": format!("#/components/schemas/{}", self.enum_name)})
    }
}

/// The object schemas, then the enum.
fn schemas(m: &Model, refs: &Refs<'_>) -> Map<String, Value> {
    let mut schemas = Map::new();
    for (i, name) in refs.names.iter().enumerate() {
        let props = m
            .schemas
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.as_slice())
            .unwrap_or_default();
        let mut properties = Map::new();
        let mut required = Vec::new();
        // The first schema always holds the enum, so it is reached when the schema is.
        if i == 0 {
            properties.insert("kind".to_owned(), refs.enumeration());
        }
        for Prop(prop, kind, target) in props {
            let schema = match kind {
                0 => json!({"type": "string"}),
                1 => json!({"type": "integer"}),
                2 => refs.enumeration(),
                3 => json!({"type": "array", "items": {"type": "string"}}),
                _ => refs.schema(*target),
            };
            if !properties.contains_key(prop) {
                if kind % 2 == 1 {
                    required.push(prop.clone());
                }
                properties.insert(prop.clone(), schema);
            }
        }
        let mut object = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            object["required"] = json!(required);
        }
        schemas.insert(name.clone(), object);
    }
    let mut values: Vec<&String> = Vec::new();
    for v in &m.enum_values {
        if !values.contains(&v) {
            values.push(v);
        }
    }
    schemas.insert(
        refs.enum_name.to_owned(),
        json!({"type": "string", "enum": values}),
    );
    schemas
}

/// One path per operation, `/o{i}` and its path parameters.
fn paths(m: &Model, refs: &Refs<'_>) -> Map<String, Value> {
    let mut paths = Map::new();
    let mut ids = BTreeSet::new();
    for (i, op) in m.ops.iter().enumerate() {
        let id = if ids.insert(op.id.clone()) {
            op.id.clone()
        } else {
            format!("{}{i}", op.id)
        };
        ids.insert(id.clone());
        let mut path = format!("/o{i}");
        let params = parameters(op, &mut path);
        let response = match op.response {
            (0, _) => json!({"204": {"description": "done"}}),
            (1, k) => {
                json!({"200": {"description": "ok", "content": {"application/json": {"schema": refs.schema(k)}}}})
            }
            _ => {
                json!({"200": {"description": "ok", "content": {"application/json": {"schema": refs.enumeration()}}}})
            }
        };
        let method = if op.body.is_some() { "post" } else { "get" };
        let mut operation = json!({"operationId": id, "parameters": params, "responses": response});
        if let Some(tag) = &op.tag {
            operation["tags"] = json!([tag]);
        }
        if let Some(group) = &op.group {
            operation["x-fern-sdk-group-name"] = json!(group.join("."));
        }
        if let Some(k) = op.body {
            operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": refs.schema(k)}}});
        }
        paths.insert(path, json!({method: operation}));
    }
    paths
}

/// An operation's parameters; path parameters are appended to `path` as `{name}`.
fn parameters(op: &Op, path: &mut String) -> Vec<Value> {
    let mut params = Vec::new();
    let mut seen = BTreeSet::new();
    for Param(p, loc, required) in &op.params {
        // A path template cannot hold an empty name or braces.
        let loc = if *loc == 0 && (p.is_empty() || p.contains(['{', '}', '/'])) {
            1
        } else {
            *loc
        };
        if !seen.insert((p.clone(), loc)) {
            continue;
        }
        let (place, required) = match loc {
            0 => {
                path.push_str(&format!("/{{{p}}}"));
                ("path", true)
            }
            1 => ("query", *required),
            _ => ("header", *required),
        };
        params.push(
            json!({"name": p, "in": place, "required": required, "schema": {"type": "string"}}),
        );
    }
    params
}

/// The seed of this run: `NAMES_SEED`, or a fresh one.
fn seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    if let Ok(hex) = std::env::var("NAMES_SEED") {
        for (i, byte) in seed.iter_mut().enumerate() {
            *byte = hex
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or_else(|| panic!("NAMES_SEED must be 64 hex digits"));
        }
    } else {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (i, byte) in seed.iter_mut().enumerate() {
            *byte = (nanos >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    seed
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn generated_names_compile_warning_free() {
    let root = root();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed = seed();
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    eprintln!("names: {cases} specs, NAMES_SEED={hex}");
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );
    let strategy = model(&runtime_names(&root));
    let settings = codegen::Settings {
        crate_name: "names".to_owned(),
        crate_version: Some("0.0.0".to_owned()),
        description: "names".to_owned(),
        command: "cargo test --test names".to_owned(),
        standalone: false,
        resource_features: codegen::ResourceFeatures::Auto,
    };
    let mut specs = Vec::new();
    for _ in 0..cases {
        let tree = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("cannot draw a spec: {e}"));
        let spec = spec(&tree.current());
        let text = spec.to_string();
        if let Err(d) = codegen::generate(&text, "names.json", &settings) {
            panic!(
                "NAMES_SEED={hex}: the generator rejected a spec of valid names:\n{d}\n{}",
                pretty(&spec)
            );
        }
        specs.push(spec);
    }

    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let mut child = Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "check-specs"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write specs: {e}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let report = String::from_utf8_lossy(&output.stdout);
    let failed: Vec<String> = report
        .lines()
        .filter_map(|l| {
            let (_, name) = l.split_once(' ')?;
            let i: usize = name.strip_prefix("spec-")?.parse().ok()?;
            Some(format!("{l}:\n{}", pretty(specs.get(i)?)))
        })
        .collect();
    assert!(
        output.status.success(),
        "NAMES_SEED={hex}: generated crates do not build warning-free (see the clippy output \
         above; crates in target/spec-crates); the specs that failed:\n{}",
        failed.join("\n")
    );
}

fn pretty(spec: &Value) -> String {
    serde_yaml::to_string(spec).unwrap_or_else(|_| spec.to_string())
}
