//! Spec descriptions → rustdoc attributes.
//!
//! Descriptions are Markdown written for a web page. Two things in them break a Rust
//! crate: an untagged code fence, which rustdoc would compile as a doctest, and a line
//! indented four spaces, which Markdown reads as a code block (a doctest again). Untagged
//! fences become `text`, and indentation outside fences is capped below four spaces.

use proc_macro2::TokenStream;
use quote::quote;

/// Normalizes a description for rustdoc.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    // Tabs render unpredictably in rustdoc (clippy's `tabs_in_doc_comments`).
    let text = text.replace('\t', "    ");
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (&fence, marker) {
            (None, Some(m)) => {
                let info = trimmed.trim_start_matches(m).trim();
                let lang = if info.is_empty() {
                    "text".to_owned()
                } else if is_rust(info) {
                    info.to_owned()
                } else {
                    format!("{info},ignore")
                };
                out.push(format!("{m}{lang}"));
                fence = Some(m.to_owned());
            }
            (Some(open), Some(m))
                if m == open && trimmed.trim_start_matches(m).trim().is_empty() =>
            {
                out.push(m.to_owned());
                fence = None;
            }
            (Some(_), _) => out.push(line.to_owned()),
            (None, None) => {
                let indent = line.len() - trimmed.len();
                out.push(format!(
                    "{}{}",
                    " ".repeat(indent.min(3)),
                    trimmed.trim_end()
                ));
            }
        }
    }
    if let Some(open) = fence {
        out.push(open);
    }
    out.join("\n")
}

fn is_rust(lang: &str) -> bool {
    lang.split(',').any(|t| t.trim() == "rust")
}

/// `#[doc = …]` lines for an optional description, with a fallback.
pub(crate) fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| fallback.to_owned(), sanitize);
    lines(&text)
}

/// `#[doc = …]` for each line of already-sanitized text.
pub(crate) fn lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|l| {
        let l = doc_line(l);
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// `#![doc = …]` (module docs) for each line of already-sanitized text.
pub(crate) fn inner_lines(text: &str) -> TokenStream {
    let attrs = text.lines().map(|l| {
        let l = doc_line(l);
        quote!(#![doc = #l])
    });
    quote!(#(#attrs)*)
}

/// [`inner_lines`], each only when `cfg` holds (`#![cfg_attr(cfg, doc = …)]`).
pub(crate) fn inner_lines_if(text: &str, cfg: &TokenStream) -> TokenStream {
    let docs = text.lines().map(|l| {
        let l = doc_line(l);
        quote!(doc = #l)
    });
    quote!(#![cfg_attr(#cfg, #(#docs),*)])
}

fn doc_line(l: &str) -> String {
    if l.trim().is_empty() {
        String::new()
    } else {
        format!(" {l}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_indentation() {
        assert_eq!(sanitize("a\n```\nx\n```"), "a\n```text\nx\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json,ignore\n{}\n```");
        assert_eq!(
            sanitize("```rust\nlet x = 1;\n```"),
            "```rust\nlet x = 1;\n```"
        );
        assert_eq!(
            sanitize("a\n\n        code-looking"),
            "a\n\n   code-looking"
        );
        assert_eq!(sanitize("```\nunterminated"), "```text\nunterminated\n```");
    }
}
