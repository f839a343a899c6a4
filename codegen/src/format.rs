//! Stage 4, format: token streams → source text with `prettyplease`, behind the header.

use proc_macro2::TokenStream;

/// Formats one module. A parse failure is a generator bug, reported as text, not a panic.
pub(crate) fn format_module(tokens: TokenStream, header: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("emitted code does not parse: {e}"))?;
    Ok(format!("// {header}\n{}", prettyplease::unparse(&file)))
}
