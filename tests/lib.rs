//! Workspace-level tests live in `tests/*.rs` and `tests/*/main.rs`; this library is empty
//! on purpose.
