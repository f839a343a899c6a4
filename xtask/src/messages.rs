//! How `generate` and `regenerate` print the generator's diagnostics: drawn like rustc's
//! for people (the default), or `--message-format json`, one JSON object per line like
//! cargo's, for editors and CI.

use codegen::Diagnostic;

/// The value of `--message-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MessageFormat {
    /// rustc-style text on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic per line on stdout.
    Json,
}

impl MessageFormat {
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "human" => Ok(MessageFormat::Human),
            "json" => Ok(MessageFormat::Json),
            other => Err(format!(
                "unknown message format `{other}`: use `human` or `json`"
            )),
        }
    }
}

/// The diagnostics as printed, without a trailing summary: each rendered and followed by
/// a blank line, or each as one line of JSON.
pub fn render<'d>(
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
    format: MessageFormat,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match format {
            MessageFormat::Human => out.push_str(&format!("{d}\n\n")),
            MessageFormat::Json => {
                out.push_str(&d.to_json());
                out.push('\n');
            }
        }
    }
    out
}

/// Prints diagnostics where the format wants them: JSON on stdout (machines read it
/// there, as with cargo), text on stderr.
pub fn print<'d>(diagnostics: impl IntoIterator<Item = &'d Diagnostic>, format: MessageFormat) {
    let text = render(diagnostics, format);
    match format {
        MessageFormat::Human => eprint!("{text}"),
        MessageFormat::Json => print!("{text}"),
    }
}

/// A line for people: on stdout, unless stdout carries JSON.
pub fn status(format: MessageFormat, line: &str) {
    match format {
        MessageFormat::Human => println!("{line}"),
        MessageFormat::Json => eprintln!("{line}"),
    }
}

/// Prints a successful run's warnings. With `deny` (why warnings are not allowed), any
/// warning fails the run, as an error would.
pub fn warnings(
    warnings: &[Diagnostic],
    deny: Option<&str>,
    format: MessageFormat,
) -> Result<(), String> {
    print(warnings, format);
    match deny {
        Some(reason) if !warnings.is_empty() => Err(format!(
            "generation failed: 0 error(s), {} warning(s), and {reason}",
            warnings.len()
        )),
        _ => Ok(()),
    }
}

/// A failed run's diagnostics: printed, and an error that counts them.
pub fn failed(diagnostics: &codegen::Diagnostics, format: MessageFormat) -> String {
    print(diagnostics.items(), format);
    let errors = diagnostics
        .items()
        .iter()
        .filter(|d| d.severity == codegen::Severity::Error)
        .count();
    let warnings = diagnostics.warnings().count();
    format!("generation failed: {errors} error(s), {warnings} warning(s)")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROKEN: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: strin}
    post:
      responses:
        '204': {description: none}
";

    fn diagnostics() -> codegen::Diagnostics {
        let settings = codegen::Settings {
            crate_name: "x".to_owned(),
            crate_version: Some("0.1.0".to_owned()),
            description: "x".to_owned(),
            command: "test".to_owned(),
            standalone: true,
            resource_features: codegen::ResourceFeatures::Auto,
        };
        match codegen::generate(BROKEN, "broken.yaml", &settings) {
            Ok(_) => panic!("a broken spec generated"),
            Err(d) => d,
        }
    }

    #[test]
    fn json_is_one_object_per_diagnostic_per_line() {
        let diagnostics = diagnostics();
        let text = render(diagnostics.items(), MessageFormat::Json);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), diagnostics.items().len());
        let parsed: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let error = parsed
            .iter()
            .find(|v| v["level"] == "error")
            .unwrap_or_else(|| panic!("no error in {text}"));
        assert_eq!(error["message"], "unknown type `strin`");
        assert_eq!(error["file"], "broken.yaml");
        assert_eq!(
            error["pointer"],
            "#/paths/~1things/get/responses/200/content/application~1json/schema/type"
        );
        assert_eq!(error["line"], 11);
        assert_eq!(error["column"], 30);
        assert_eq!(error["spans"][0]["file_name"], "broken.yaml");
        assert_eq!(error["spans"][0]["column_end"], 35);
        let warning = parsed.iter().find(|v| v["level"] == "warning");
        assert!(
            warning.is_some_and(|w| w["help"].is_string() && w["line"] == 5),
            "{text}"
        );
    }

    #[test]
    fn human_is_rustc_style_and_the_summary_counts() {
        let diagnostics = diagnostics();
        let text = render(diagnostics.items(), MessageFormat::Human);
        assert!(
            text.contains("error: unknown type `strin`\n  --> broken.yaml:11:30\n"),
            "{text}"
        );
        assert!(text.ends_with("\n\n"), "{text}");
        assert!(
            text.contains("warning: operation has no `operationId`"),
            "{text}"
        );
        assert_eq!(
            failed(&diagnostics, MessageFormat::Human),
            "generation failed: 1 error(s), 2 warning(s)"
        );
    }

    #[test]
    fn message_format_values() {
        assert_eq!(MessageFormat::parse("json"), Ok(MessageFormat::Json));
        assert_eq!(MessageFormat::parse("human"), Ok(MessageFormat::Human));
        assert!(MessageFormat::parse("short").is_err());
    }
}
