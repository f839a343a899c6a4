//! The checked-in client's version check and changelog.
//!
//! `generated/api-surface.json` holds the API surface of the last released version: the
//! baseline. Each `regenerate` classifies the changes from it to the new surface and:
//! - with the spec's `info.x-crate-version` equal to the baseline's, keeps the baseline
//!   and lists the changes under `## Unreleased` in `generated/CHANGELOG.md`; `--check`
//!   fails when they are breaking, since the version must then move first;
//! - with a greater version that has the bump the changes need, turns them into the
//!   version's section and makes the new surface the baseline;
//! - with a smaller version, or one too small for the changes, fails naming the version
//!   to set.
//!
//! Both files are derived from the spec and the previous files only, so `--check` can
//! recompute them and compare, as it does every other generated file.

use codegen::semver::{classify, Bump, Change, Class, Surface, Version};

/// The baseline, relative to the generated crate.
pub const BASELINE: &str = "api-surface.json";
/// The changelog, relative to the generated crate.
pub const CHANGELOG: &str = "CHANGELOG.md";
/// Where the version is set, for messages.
const VERSION_AT: &str = "`info.x-crate-version`";
const UNRELEASED: &str = "## Unreleased";

/// What one run decided.
#[derive(Debug, Default, PartialEq)]
pub struct Release {
    /// The baseline and changelog to write, relative to the generated crate.
    pub files: Vec<(String, String)>,
    /// Lines for the reviewer: the classified changes and the bump they need.
    pub report: Vec<String>,
    /// Why `--check` fails although the files are up to date.
    pub failure: Option<String>,
}

/// The spec and the files a run reads.
pub struct Inputs<'a> {
    /// The regenerate command, named in both files.
    pub command: &'a str,
    /// The spec's path, named in messages.
    pub spec: &'a str,
    /// The generated crate's directory, named in messages.
    pub out: &'a str,
    /// The crate's version from the spec.
    pub version: &'a str,
    /// The new surface.
    pub surface: &'a Surface,
    /// The baseline file's text, if there is one.
    pub baseline: Option<&'a str>,
    /// The changelog's text, if there is one.
    pub changelog: Option<&'a str>,
}

/// Classifies the changes since the baseline and decides the two files.
pub fn plan(inputs: &Inputs<'_>) -> Result<Release, String> {
    let Inputs {
        spec, out, surface, ..
    } = *inputs;
    let version =
        Version::parse(inputs.version).map_err(|e| format!("{VERSION_AT} in {spec}: {e}"))?;
    let Some(baseline_text) = inputs.baseline else {
        return first_baseline(inputs, &version);
    };
    let (base, base_surface) = read_baseline(baseline_text)
        .map_err(|e| format!("{out}/{BASELINE}: {e}; delete it to record a new baseline"))?;
    let changes = classify(&base_surface, surface);
    let needed = match Bump::required(&changes) {
        Some(bump) => Some((bump, bump.apply(&base)?)),
        None => None,
    };
    if version < base {
        return Err(format!(
            "{VERSION_AT} in {spec} is {version}, older than {base}, the version {out}/{BASELINE} records; set it to {} or later\n{}",
            needed.map_or(base, |(_, v)| v),
            indent(&grouped(&changes))
        )
        .trim_end()
        .to_owned());
    }
    if version == base {
        return pending(inputs, baseline_text, &version, &changes);
    }
    if let Some((bump, needed)) = needed.filter(|(_, needed)| version < *needed) {
        return Err(format!(
            "{VERSION_AT} in {spec} is {version}, but the changes since {base} need a {} release: set it to {needed}\n{}",
            bump.name(),
            indent(&grouped(&changes))
        ));
    }
    let mut report = describe(&changes, &base, out);
    report.push(format!(
        "released {version}: {out}/{CHANGELOG} has its section and {out}/{BASELINE} its surface"
    ));
    let body = if changes.is_empty() {
        "No changes to the API surface.\n".to_owned()
    } else {
        markdown(&changes)
    };
    Ok(Release {
        files: vec![
            baseline_file(inputs.command, &version, surface)?,
            changelog_file(inputs, Some((&format!("## {version}"), &body))),
        ],
        report,
        failure: None,
    })
}

/// No baseline: the new surface becomes one. A deleted baseline leaves the changelog,
/// whose newest version the new one must not be below; when it is that version, its
/// section stays as it is rather than being written twice.
fn first_baseline(inputs: &Inputs<'_>, version: &Version) -> Result<Release, String> {
    let out = inputs.out;
    let newest = newest_release(inputs.changelog.unwrap_or_default());
    if let Some(newest) = newest.filter(|n| version < n) {
        return Err(format!(
            "{VERSION_AT} in {} is {version}, older than {newest}, the newest version in {out}/{CHANGELOG}; set it to {newest} or later",
            inputs.spec
        ));
    }
    let heading = format!("## {version}");
    let section = match newest {
        Some(n) if n == *version => None,
        Some(n) => Some(format!(
            "A new baseline of the API surface: the changes since {n} were not classified.\n"
        )),
        None => Some("The first version with a recorded API surface.\n".to_owned()),
    };
    Ok(Release {
        files: vec![
            baseline_file(inputs.command, version, inputs.surface)?,
            changelog_file(
                inputs,
                section.as_deref().map(|body| (heading.as_str(), body)),
            ),
        ],
        report: vec![format!(
            "api surface: no baseline yet; {out}/{BASELINE} records {version}"
        )],
        failure: None,
    })
}

/// The newest version among the changelog's `## x.y.z` headings.
fn newest_release(changelog: &str) -> Option<Version> {
    changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|v| Version::parse(v.trim()).ok())
        .max()
}

/// The version has not moved: the baseline stays, the changes wait under `## Unreleased`,
/// and breaking ones fail `--check`.
fn pending(
    inputs: &Inputs<'_>,
    baseline: &str,
    version: &Version,
    changes: &[Change],
) -> Result<Release, String> {
    let mut report = describe(changes, version, inputs.out);
    let mut failure = None;
    let mut section = None;
    if let Some(bump) = Bump::required(changes) {
        let needed = bump.apply(version)?;
        let advice = format!(
            "needs a {} release: set {VERSION_AT} in {} to {needed} (it is {version})",
            bump.name(),
            inputs.spec
        );
        if bump == Bump::Major {
            failure = Some(format!(
                "the API surface has breaking changes since {version}:\n{}\n{advice}",
                indent(&grouped(changes))
            ));
        }
        report.push(advice);
        section = Some(format!(
            "Needs a {} release: {needed} or later.\n\n{}",
            bump.name(),
            markdown(changes)
        ));
    }
    Ok(Release {
        files: vec![
            (BASELINE.to_owned(), baseline.to_owned()),
            changelog_file(inputs, section.as_deref().map(|body| (UNRELEASED, body))),
        ],
        report,
        failure,
    })
}

/// The changes, one heading per class, for the terminal.
fn describe(changes: &[Change], base: &Version, out: &str) -> Vec<String> {
    if changes.is_empty() {
        return vec![format!(
            "api surface: no changes since {base} ({out}/{BASELINE})"
        )];
    }
    let bump = Bump::required(changes).map_or("patch", Bump::name);
    let mut lines = vec![format!(
        "api surface: {} change(s) since {base} ({out}/{BASELINE}), a {bump} release:",
        changes.len()
    )];
    lines.extend(grouped(changes).lines().map(|l| format!("  {l}")));
    lines
}

/// The changes under `breaking:`, `additive:`, `behaviour:` and `docs-only:`.
fn grouped(changes: &[Change]) -> String {
    let mut out = String::new();
    for (class, of) in by_class(changes) {
        out.push_str(&format!("{}:\n", class.heading()));
        for c in of {
            out.push_str(&format!("  {}\n", c.what));
        }
    }
    out
}

/// The changes as Markdown: a `###` heading per class, a bullet per change.
fn markdown(changes: &[Change]) -> String {
    let mut out = String::new();
    for (class, of) in by_class(changes) {
        let mut heading = class.heading().to_owned();
        heading[..1].make_ascii_uppercase();
        out.push_str(&format!("### {heading}\n\n"));
        for c in of {
            out.push_str(&format!("- {}\n", c.what));
        }
        out.push('\n');
    }
    out
}

/// The classes that have changes, worst first, each with its changes in order.
fn by_class(changes: &[Change]) -> Vec<(Class, Vec<&Change>)> {
    [
        Class::Breaking,
        Class::Additive,
        Class::Behaviour,
        Class::Docs,
    ]
    .into_iter()
    .map(|class| {
        (
            class,
            changes
                .iter()
                .filter(|c| c.class == class)
                .collect::<Vec<_>>(),
        )
    })
    .filter(|(_, of)| !of.is_empty())
    .collect()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The baseline as JSON: the command and version first, so a reviewer sees them without
/// scrolling past the surface.
fn baseline_file(
    command: &str,
    version: &Version,
    surface: &Surface,
) -> Result<(String, String), String> {
    let encode = |e: serde_json::Error| format!("cannot encode the API surface: {e}");
    let surface = serde_json::to_string_pretty(surface).map_err(encode)?;
    let text = format!(
        "{{\n  \"generated_by\": {},\n  \"version\": \"{version}\",\n  \"surface\": {}\n}}\n",
        serde_json::to_string(command).map_err(encode)?,
        surface.replace('\n', "\n  ")
    );
    Ok((BASELINE.to_owned(), text))
}

fn read_baseline(text: &str) -> Result<(Version, Surface), String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_str)
        .ok_or("no `version` string")?;
    let version = Version::parse(version).map_err(|e| format!("`version`: {e}"))?;
    let surface = value.get("surface").cloned().ok_or("no `surface`")?;
    let surface =
        serde_json::from_value(surface).map_err(|e| format!("`surface` is not a surface: {e}"))?;
    Ok((version, surface))
}

/// The changelog with `section` on top: every earlier version's section is kept, and the
/// `## Unreleased` one is replaced (or dropped, when there is nothing unreleased).
fn changelog_file(inputs: &Inputs<'_>, section: Option<(&str, &str)>) -> (String, String) {
    let old = inputs.changelog.unwrap_or_default();
    let first = old
        .lines()
        .position(|l| l.starts_with("## "))
        .unwrap_or(old.lines().count());
    let lines: Vec<&str> = old.lines().collect();
    let mut sections: Vec<Vec<&str>> = Vec::new();
    for line in &lines[first..] {
        if line.starts_with("## ") {
            sections.push(Vec::new());
        }
        if let Some(s) = sections.last_mut() {
            s.push(line);
        }
    }
    let mut text = format!(
        "<!-- @generated by `{}`; do not edit by hand -->\n# Changelog\n\n\
         The crate's changes, classified by `{}` from its API surface \
         (`{BASELINE}`): breaking changes need a major release, additive ones a \
         minor one, behaviour and docs-only ones a patch.\n\n",
        inputs.command, inputs.command
    );
    if let Some((heading, body)) = section {
        text.push_str(&format!("{heading}\n\n{}\n\n", body.trim_end()));
    }
    for s in sections {
        // The new section replaces `## Unreleased`, and any other of its heading, so no
        // heading is ever written twice.
        if s.first() == Some(&UNRELEASED) || section.is_some_and(|(h, _)| s.first() == Some(&h)) {
            continue;
        }
        text.push_str(s.join("\n").trim_end());
        text.push_str("\n\n");
    }
    (CHANGELOG.to_owned(), format!("{}\n", text.trim_end()))
}

#[cfg(test)]
mod tests;
