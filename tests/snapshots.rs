//! Snapshots of the generator's output: one-feature fixture specs (surface, warnings and
//! emitted modules), the rendered diagnostics of broken specs, and the API surface of the
//! real spec. Review changes with `cargo insta review`.

use std::path::Path;

fn settings() -> codegen::Settings {
    codegen::Settings {
        crate_name: "fixture-client".to_owned(),
        crate_version: Some("0.1.0".to_owned()),
        description: "fixture".to_owned(),
        command: "cargo test --test snapshots".to_owned(),
        standalone: true,
        resource_features: codegen::ResourceFeatures::Auto,
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn fixture_name(path: &Path, dir: &str) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    format!("tests/fixtures/{dir}/{name}")
}

/// Renders a generated crate for review: the surface, then the emitted modules.
pub fn render(text: &str, file: &str) -> String {
    let surface = match codegen::lower_spec(text, file) {
        Ok((api, _)) => codegen::api_surface(&api),
        Err(d) => return format!("diagnostics:\n{d}\n"),
    };
    match codegen::generate(text, file, &settings()) {
        Ok(out) => {
            let mut s = surface;
            if !out.warnings.is_empty() {
                s.push_str("\n## warnings\n");
                for w in &out.warnings {
                    s.push_str(&format!("{w}\n"));
                }
            }
            for module in ["src/types.rs", "src/client.rs"] {
                s.push_str(&format!("\n## {module}\n"));
                s.push_str(out.files.get(module).map_or("(missing)", String::as_str));
            }
            // Only a crate with resource features gates its manifest and crate docs.
            if !out.resource_features.is_empty() {
                for file in ["Cargo.toml", "src/lib.rs"] {
                    s.push_str(&format!("\n## {file}\n"));
                    s.push_str(out.files.get(file).map_or("(missing)", String::as_str));
                }
            }
            // Only a spec with webhooks has the module.
            if let Some(text) = out.files.get("src/webhooks.rs") {
                s.push_str(&format!("\n## src/webhooks.rs\n{text}"));
            }
            s
        }
        Err(d) => format!("{surface}\ndiagnostics:\n{d}\n"),
    }
}

#[test]
fn feature_fixtures() {
    insta::glob!("fixtures/features/*.yaml", |path| {
        let file = fixture_name(path, "features");
        insta::assert_snapshot!(render(&read(path), &file));
    });
}

#[test]
fn diagnostic_fixtures() {
    insta::glob!("fixtures/diagnostics/*.yaml", |path| {
        let file = fixture_name(path, "diagnostics");
        // A broken spec either fails with errors or generates with warnings; either way
        // it must say something, and every line must name the file and a pointer.
        let (outcome, items) = match codegen::generate(&read(path), &file, &settings()) {
            Ok(out) => ("generated, with warnings", out.warnings),
            Err(d) => ("failed", d.items().to_vec()),
        };
        assert!(
            !items.is_empty(),
            "{file}: a broken spec produced no diagnostics"
        );
        let mut rendered = format!("{outcome}\n");
        for d in &items {
            assert_eq!(d.file, file, "every diagnostic names the file");
            assert!(
                d.pointer.starts_with('#'),
                "{file}: not a JSON Pointer: {}",
                d.pointer
            );
            assert_placed(d);
            rendered.push_str(&format!("{d}\n"));
        }
        insta::assert_snapshot!(rendered);
    });
}

/// Every diagnostic of a fixture has a line, a column and the source line under it, and
/// its rendering shows all three and the pointer.
fn assert_placed(d: &codegen::Diagnostic) {
    let (Some(line), Some(column)) = (d.line, d.column) else {
        panic!("{}: no line and column: {d:?}", d.file);
    };
    let Some(snippet) = &d.snippet else {
        panic!("{}: no source line: {d:?}", d.file);
    };
    assert!(
        snippet.width >= 1 && column <= snippet.text.chars().count().max(1),
        "{}: the mark is off its line: {d:?}",
        d.file
    );
    let rendered = d.to_string();
    for needed in [
        format!("--> {}:{line}:{column}", d.file),
        format!("{line} | {}", snippet.text).trim_end().to_owned(),
        format!("= pointer: {}", d.pointer),
        "^".to_owned(),
    ] {
        assert!(
            rendered.contains(&needed),
            "`{needed}` missing in:\n{rendered}"
        );
    }
}

#[test]
fn token_validation_surface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = read(&root.join("spec/token_validation.yaml"));
    let (api, warnings) = match codegen::lower_spec(&text, "spec/token_validation.yaml") {
        Ok(v) => v,
        Err(d) => panic!("{d}"),
    };
    assert!(
        warnings.items().is_empty(),
        "the real spec must lower without warnings:\n{warnings}"
    );
    insta::assert_snapshot!(codegen::api_surface(&api));
}

/// Same spec, same bytes; and a copy with different YAML layout and quoting (here: the
/// same document written as JSON, which is YAML too) gives the same files.
#[test]
fn output_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = read(&root.join("spec/token_validation.yaml"));
    let first = codegen::generate(&text, "a.yaml", &settings()).map_err(|d| d.to_string());
    let second = codegen::generate(&text, "a.yaml", &settings()).map_err(|d| d.to_string());
    let (first, second) = match (first, second) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => panic!("{e}"),
    };
    assert_eq!(first.files, second.files);
    let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let relaid = serde_json::to_string_pretty(&value).unwrap_or_else(|e| panic!("{e}"));
    let third = codegen::generate(&relaid, "a.yaml", &settings()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(first.files, third.files);
}

/// A 3.1 document and its 3.0 rewrite (`NAME.31.yaml`, `NAME.30.yaml` in
/// `fixtures/pairs/`) describe the same API, so they must give the same surface and the
/// same emitted types.
#[test]
fn openapi_3_1_documents_match_their_3_0_rewrites() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pairs");
    let mut pairs = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for v31 in entries {
        let Some(name) = v31.to_str().and_then(|p| p.strip_suffix(".31.yaml")) else {
            continue;
        };
        let v30 = format!("{name}.30.yaml");
        let surface = |path: &Path| {
            let file = path.display().to_string();
            match codegen::lower_spec(&read(path), &file) {
                Ok((api, _)) => codegen::api_surface(&api),
                Err(d) => panic!("{file} does not lower:\n{d}"),
            }
        };
        let types = |path: &Path| {
            codegen::generate(&read(path), "spec", &settings())
                .map(|out| out.files.get("src/types.rs").cloned().unwrap_or_default())
                .unwrap_or_else(|d| panic!("{} does not generate:\n{d}", path.display()))
        };
        assert_eq!(
            surface(&v31),
            surface(Path::new(&v30)),
            "{name}: surfaces differ"
        );
        assert_eq!(types(&v31), types(Path::new(&v30)), "{name}: types differ");
        pairs += 1;
    }
    assert!(pairs >= 3, "expected at least 3 pairs, found {pairs}");
}
