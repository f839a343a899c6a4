//! The version gate: only OpenAPI 3.0.x and 3.1.x go further. It runs before anything
//! else, so a Swagger 2.0 or OpenAPI 3.2 document gets one clear message rather than
//! many unrelated ones, and the rest of load knows which dialect it reads.

use serde_json::Value;

use crate::diag::Reporter;
use crate::pointer::kind;

/// The supported versions, as every refusal names them.
const SUPPORTED: &str = "OpenAPI 3.0.x and 3.1.x are supported";

/// The OpenAPI version a document declares, of those this generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    /// 3.0.x: read as it is.
    V30,
    /// 3.1.x: JSON Schema 2020-12 schemas, mapped onto 3.0 by [`super::normalize31`].
    V31,
}

/// The version `raw` declares when it is one of ours; otherwise reports why not.
pub(super) fn gate(raw: &Value, r: &mut Reporter<'_>) -> Option<Version> {
    let Some(root) = raw.as_object() else {
        r.error(
            "#",
            "expected an OpenAPI document (a mapping) at the top level",
        );
        return None;
    };
    if let Some(v) = root.get("swagger") {
        let version = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        r.error(
            "#/swagger",
            format!("unsupported version: Swagger {version}; only {SUPPORTED}"),
        )
        .help("convert the document to OpenAPI 3.0 first, for example with swagger2openapi");
        return None;
    }
    match root.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Some(Version::V30),
        Some(Value::String(v)) if v.starts_with("3.1.") || v == "3.1" => Some(Version::V31),
        Some(Value::String(v)) => {
            r.error(
                "#/openapi",
                format!("unsupported version: OpenAPI {v}; only {SUPPORTED}"),
            )
            .help(
                "set `openapi: 3.1.1` if the document uses no newer feature, or `openapi: 3.0.3`",
            );
            None
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
            None
        }
        None => {
            r.error("#", "missing `openapi` version field")
                .help("add `openapi: 3.0.3` at the top");
            None
        }
    }
}
