//! The version gate: only OpenAPI 3.0.x goes further. It runs before anything else, so a
//! Swagger 2.0 or OpenAPI 3.1 document gets one clear message rather than many unrelated
//! ones.

use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::kind;

/// True when `raw` is a mapping that declares a 3.0.x version; otherwise reports why not.
pub(super) fn gate(raw: &Value, r: &mut Reporter<'_>) -> bool {
    let Some(root) = raw.as_object() else {
        r.error(
            "#",
            "expected an OpenAPI document (a mapping) at the top level",
        );
        return false;
    };
    if let Some(v) = root.get("swagger") {
        let version = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        r.error(
            "#/swagger",
            format!("unsupported version: Swagger {version}; only OpenAPI 3.0.x is supported"),
        )
        .help("convert the document to OpenAPI 3.0 first, for example with swagger2openapi");
        return false;
    }
    match root.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => true,
        Some(Value::String(v)) => {
            let help = if v.starts_with("3.1") {
                "OpenAPI 3.1 changes schemas (JSON Schema 2020-12); write the document as 3.0.3"
            } else {
                "set `openapi: 3.0.3`"
            };
            r.error(
                "#/openapi",
                format!("unsupported version: OpenAPI {v}; only OpenAPI 3.0.x is supported"),
            )
            .help(help);
            false
        }
        Some(other) => {
            r.error(
                "#/openapi",
                format!(
                    "`openapi` must be a version string such as \"3.0.3\", found {}",
                    kind(other)
                ),
            )
            .help("quote the version: `openapi: \"3.0.3\"`");
            false
        }
        None => {
            r.error("#", "missing `openapi` version field")
                .help("add `openapi: 3.0.3` at the top");
            false
        }
    }
}
