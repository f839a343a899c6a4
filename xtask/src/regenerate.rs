//! Writing generated crates: only files whose contents changed are written, files the
//! generator no longer produces are removed, and `--check` writes nothing and fails on
//! any difference.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::{generate as run_codegen, Output, Settings};

use crate::messages::{self, MessageFormat};
use crate::release::{self, Release};

/// The spec of the checked-in client, relative to the workspace root.
pub const SPEC: &str = "spec/token_validation.yaml";
/// The checked-in client crate, relative to the workspace root.
pub const OUT: &str = "generated";
const CRATE: &str = "cloudflare-token-validation";
const COMMAND: &str = "cargo xtask regenerate";
/// Why `regenerate` fails on a warning.
const OWN_SPEC_STRICT: &str =
    "the checked-in client's spec must generate without warnings; fix the spec";
/// Hand-written examples for the checked-in client, copied into `generated/examples/`.
const EXAMPLES: &str = "spec/examples";

pub fn regenerate(root: &Path, check: bool, format: MessageFormat) -> Result<(), String> {
    let spec_path = root.join(SPEC);
    let text = fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let settings = Settings {
        crate_name: CRATE.to_owned(),
        crate_version: None,
        description: "Typed async client for the Cloudflare API Shield Token Validation API"
            .to_owned(),
        command: COMMAND.to_owned(),
        standalone: false,
        resource_features: codegen::ResourceFeatures::Auto,
    };
    let mut output =
        run_codegen(&text, SPEC, &settings).map_err(|d| messages::failed(&d, format))?;
    add_examples(root, &settings, &mut output)?;
    // Our own spec is held to more than a user's: every warning is a decision the
    // generator made for the author, and the checked-in client must need none.
    messages::warnings(&output.warnings, Some(OWN_SPEC_STRICT), format)?;
    let out = root.join(OUT);
    let release = plan_release(&out, &output)?;
    // A failing check names the changes in its error; the report would say it twice.
    if !(check && release.failure.is_some()) {
        for line in &release.report {
            messages::status(format, line);
        }
    }
    output.files.extend(release.files);
    let changes = sync(&out, &output.files, check)?;
    if check {
        if let Some(failure) = release.failure {
            return Err(failure);
        }
        if changes.is_empty() {
            messages::status(
                format,
                &format!(
                    "generated/ is up to date ({} operations, {} types)",
                    output.operations, output.types
                ),
            );
            return Ok(());
        }
        let list: Vec<String> = changes.iter().map(|c| format!("  {c}")).collect();
        return Err(format!(
            "generated/ is out of date with {SPEC} and codegen:\n{}\nrun `{COMMAND}` and commit the result",
            list.join("\n")
        ));
    }
    messages::status(
        format,
        &format!(
            "regenerated {OUT}/: {} operations, {} types, {} file(s) changed",
            output.operations,
            output.types,
            changes.len()
        ),
    );
    for c in &changes {
        messages::status(format, &format!("  {c}"));
    }
    Ok(())
}

/// The baseline and changelog for this run, from the files `out` holds.
fn plan_release(out: &Path, output: &Output) -> Result<Release, String> {
    let read = |name: &str| fs::read_to_string(out.join(name)).ok();
    let (baseline, changelog) = (read(release::BASELINE), read(release::CHANGELOG));
    release::plan(&release::Inputs {
        command: COMMAND,
        spec: SPEC,
        out: OUT,
        version: &output.crate_version,
        surface: &output.surface,
        baseline: baseline.as_deref(),
        changelog: changelog.as_deref(),
    })
}

/// Copies `spec/examples/*.rs` into the output, behind the header.
fn add_examples(root: &Path, settings: &Settings, output: &mut Output) -> Result<(), String> {
    let dir = root.join(EXAMPLES);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(());
    };
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for path in names {
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let header = format!("// {} (source: {EXAMPLES}/{name})\n", settings.header());
        output
            .files
            .insert(format!("examples/{name}"), format!("{header}{text}"));
    }
    Ok(())
}

/// `cargo xtask generate`: a standalone crate from any spec. Warnings are printed and
/// allowed, since a published spec is rarely perfect; `deny_warnings` fails on them.
pub fn generate(
    spec: &Path,
    out: &Path,
    name: Option<&str>,
    format: MessageFormat,
    deny_warnings: bool,
    features: codegen::ResourceFeatures,
) -> Result<(), String> {
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let default_name = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .map(|s| s.replace(['_', '.', ' '], "-").to_lowercase())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "api-client".to_owned());
    let crate_name = name.map_or(default_name, str::to_owned);
    if crate_name.is_empty()
        || !crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "invalid crate name `{crate_name}`: use letters, digits, `-` and `_`"
        ));
    }
    // The header names the exact command, so a setting other than the default shows.
    let features_flag = match features {
        codegen::ResourceFeatures::Auto => "",
        codegen::ResourceFeatures::Always => " --resource-features always",
        codegen::ResourceFeatures::Never => " --resource-features never",
    };
    let command = format!(
        "cargo xtask generate --spec {} --out {} --name {crate_name}{features_flag}",
        spec.display(),
        out.display()
    );
    let settings = Settings {
        crate_name: crate_name.clone(),
        crate_version: None,
        description: format!("Typed async client generated from {}", spec.display()),
        command,
        standalone: true,
        resource_features: features,
    };
    let output = run_codegen(&text, &spec.display().to_string(), &settings)
        .map_err(|d| messages::failed(&d, format))?;
    let deny = deny_warnings.then_some("`--deny-warnings` denies them");
    messages::warnings(&output.warnings, deny, format)?;
    let changes = sync(out, &output.files, false)?;
    messages::status(
        format,
        &format!(
            "generated {crate_name} in {}: {} operations, {} types, {} resource feature(s), {} file(s) changed",
            out.display(),
            output.operations,
            output.types,
            output.resource_features.len(),
            changes.len()
        ),
    );
    Ok(())
}

/// Makes `dir` hold exactly `files`. Returns what differs (`M path`, `A path`, `D path`);
/// in check mode nothing is written.
pub fn sync(
    dir: &Path,
    files: &BTreeMap<String, String>,
    check: bool,
) -> Result<Vec<String>, String> {
    let mut changes = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => continue,
            Ok(_) => changes.push(format!("M {rel}")),
            Err(_) => changes.push(format!("A {rel}")),
        }
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    for rel in existing_files(dir)? {
        if !files.contains_key(&rel) {
            changes.push(format!("D {rel}"));
            if !check {
                let path = dir.join(&rel);
                fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
    }
    if !check {
        remove_empty_dirs(dir);
    }
    Ok(changes)
}

/// Every file under `dir`, relative, with `/` separators; build output is not ours.
fn existing_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", d.display()))?;
            let path = entry.path();
            let rel = path.strip_prefix(dir).map_err(|e| e.to_string())?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel == "target" || rel == "Cargo.lock" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails (and is meant to) when the directory still has files.
            let _ = fs::remove_dir(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in client matches the spec and the generator (rust-analyzer's habit:
    /// plain `cargo test` catches drift).
    #[test]
    fn generated_is_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if let Err(e) = regenerate(&root, true, MessageFormat::Human) {
            panic!("{e}");
        }
    }

    /// A valid spec with one warning: it declares no server.
    const WARNS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses: {'204': {description: none}}
";

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn generate_allows_warnings_unless_denied() {
        let dir = scratch("deny");
        let spec = dir.join("warns.yaml");
        let out = dir.join("out");
        let written = fs::create_dir_all(&dir).and_then(|()| fs::write(&spec, WARNS));
        assert!(written.is_ok(), "{written:?}");
        let denied = generate(
            &spec,
            &out,
            None,
            MessageFormat::Human,
            true,
            codegen::ResourceFeatures::Auto,
        );
        assert_eq!(
            denied,
            Err(
                "generation failed: 0 error(s), 1 warning(s), and `--deny-warnings` denies them"
                    .to_owned()
            )
        );
        assert!(!out.exists(), "a denied run wrote files");
        assert_eq!(
            generate(
                &spec,
                &out,
                None,
                MessageFormat::Human,
                false,
                codegen::ResourceFeatures::Auto
            ),
            Ok(())
        );
        assert!(out.join("Cargo.toml").is_file());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn regenerate_fails_on_any_warning() {
        let root = scratch("strict");
        let spec = root.join(SPEC);
        let written = spec
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&spec, WARNS));
        assert!(written.is_ok(), "{written:?}");
        for check in [false, true] {
            let result = regenerate(&root, check, MessageFormat::Human);
            assert!(
                result.as_ref().is_err_and(|e| e.contains(OWN_SPEC_STRICT)),
                "{result:?}"
            );
        }
        assert!(!root.join(OUT).exists(), "a failed run wrote files");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn sync_writes_changes_and_removes_stale_files() {
        let dir = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut files = BTreeMap::new();
        files.insert("a.rs".to_owned(), "a".to_owned());
        files.insert("sub/b.rs".to_owned(), "b".to_owned());
        assert_eq!(
            sync(&dir, &files, false).ok(),
            Some(vec!["A a.rs".to_owned(), "A sub/b.rs".to_owned()])
        );
        assert_eq!(sync(&dir, &files, true).ok(), Some(Vec::new()));
        files.remove("sub/b.rs");
        files.insert("a.rs".to_owned(), "a2".to_owned());
        assert_eq!(
            sync(&dir, &files, true).ok(),
            Some(vec!["M a.rs".to_owned(), "D sub/b.rs".to_owned()])
        );
        assert_eq!(sync(&dir, &files, false).ok().map(|c| c.len()), Some(2));
        assert!(!dir.join("sub").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
