//! The hand-written runtime that every generated crate carries.
//!
//! The sources live in `codegen/runtime/` and are embedded here at compile time, then
//! written verbatim (behind the header) to `src/runtime/` of each generated crate, so a
//! generated crate is self-contained and builds without this generator.

/// `(file name, source)` of every runtime module.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../runtime/mod.rs")),
    ("call.rs", include_str!("../runtime/call.rs")),
    ("client.rs", include_str!("../runtime/client.rs")),
    ("auth.rs", include_str!("../runtime/auth.rs")),
    ("decode.rs", include_str!("../runtime/decode.rs")),
    ("descriptor.rs", include_str!("../runtime/descriptor.rs")),
    ("enums.rs", include_str!("../runtime/enums.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("form.rs", include_str!("../runtime/form.rs")),
    ("pagination.rs", include_str!("../runtime/pagination.rs")),
    ("request.rs", include_str!("../runtime/request.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("serde_util.rs", include_str!("../runtime/serde_util.rs")),
    ("unvalidated.rs", include_str!("../runtime/unvalidated.rs")),
    ("validate.rs", include_str!("../runtime/validate.rs")),
];
