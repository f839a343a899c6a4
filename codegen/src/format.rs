//! Stage 4, format: token streams → source text with `prettyplease`.
//!
//! Modules are formatted part by part (see `emit::Part`) on a few scoped worker threads
//! that take the next part from a shared counter. Token streams are not `Send`, so each
//! worker emits the parts it formats; the results are put back in part order, so the
//! text does not depend on scheduling.
//!
//! prettyplease prints no blank lines, so the spacing of hand-written Rust is added here
//! from the syntax tree, never by editing text: top-level items are printed one by one
//! and joined by a blank line, and the associated items of an impl block are set apart
//! by a marker item that prints as a line of its own, which then becomes the blank line.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::token::Paren;
use syn::{
    Attribute, File, Ident, ImplItem, ImplItemMacro, Item, ItemMacro, LitStr, Macro,
    MacroDelimiter, Token,
};

use crate::emit::PartTokens;

/// No more workers than this, however many cores: formatting is the only parallel
/// stage, and beyond a handful of threads the serial stages dominate anyway.
const MAX_WORKERS: usize = 8;

/// Below this many parts per worker, another thread costs more than it saves.
const PARTS_PER_WORKER: usize = 16;

/// Room for syn and prettyplease to recurse through deeply nested types, as they
/// could on the main thread.
const WORKER_STACK: usize = 8 << 20;

/// Formatted parts, and the CPU time each step took, summed over the workers.
#[derive(Debug)]
pub(crate) struct Formatted {
    /// Each part's text, or why it failed to parse (a generator bug), in part order.
    pub(crate) texts: Vec<Result<String, String>>,
    pub(crate) spent: Spent,
    pub(crate) workers: usize,
}

/// CPU time per step.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Spent {
    pub(crate) emit: Duration,
    pub(crate) parse: Duration,
    pub(crate) print: Duration,
}

impl std::ops::AddAssign for Spent {
    fn add_assign(&mut self, other: Spent) {
        self.emit += other.emit;
        self.parse += other.parse;
        self.print += other.print;
    }
}

/// Emits (with `emit`) and formats parts `0..count`.
pub(crate) fn format_parts<F>(count: usize, emit: F) -> Formatted
where
    F: Fn(usize) -> PartTokens + Sync,
{
    let wanted = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_WORKERS)
        .min(count.div_ceil(PARTS_PER_WORKER));
    let next = AtomicUsize::new(0);
    // One worker's `(part, text)` pairs, in the order it took them, and its time.
    let work = || {
        let mut done = Vec::new();
        let mut spent = Spent::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                return (done, spent);
            }
            let started = Instant::now();
            let part = emit(i);
            let emitted = Instant::now();
            let mut text = syn::parse2::<File>(part.tokens)
                .map_err(|e| format!("emitted code does not parse: {e}"));
            if let Ok(file) = &mut text {
                gate(file, &part.features);
            }
            let parsed = Instant::now();
            let text = text.map(|file| print(file, !part.opens_module));
            spent += Spent {
                emit: emitted - started,
                parse: parsed - emitted,
                print: parsed.elapsed(),
            };
            done.push((i, text));
        }
    };
    let shares = std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others.
        let helpers: Vec<_> = (1..wanted)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut shares = vec![work()];
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => shares.push(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        shares
    });
    let workers = shares.len();
    let mut done = Vec::with_capacity(count);
    let mut spent = Spent::default();
    for (theirs, time) in shares {
        done.extend(theirs);
        spent += time;
    }
    done.sort_unstable_by_key(|(i, _)| *i);
    Formatted {
        texts: done.into_iter().map(|(_, text)| text).collect(),
        spent,
        workers,
    }
}

/// Compiles every top-level item of a part only with one of `features`: the `cfg` goes
/// after the item's docs, before its derives.
fn gate(file: &mut File, features: &[String]) {
    if features.is_empty() {
        return;
    }
    // One attribute per item: syn's types are not `Clone` in this build.
    let cfg = || -> Attribute {
        match features {
            [one] => syn::parse_quote!(#[cfg(feature = #one)]),
            many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
        }
    };
    for item in &mut file.items {
        let attrs = match item {
            Item::Const(i) => &mut i.attrs,
            Item::Enum(i) => &mut i.attrs,
            Item::Fn(i) => &mut i.attrs,
            Item::Impl(i) => &mut i.attrs,
            Item::Macro(i) => &mut i.attrs,
            Item::Mod(i) => &mut i.attrs,
            Item::Static(i) => &mut i.attrs,
            Item::Struct(i) => &mut i.attrs,
            Item::Trait(i) => &mut i.attrs,
            Item::Type(i) => &mut i.attrs,
            Item::Union(i) => &mut i.attrs,
            Item::Use(i) => &mut i.attrs,
            // The emitter makes none of the other kinds.
            _ => continue,
        };
        let at = attrs
            .iter()
            .take_while(|a| a.path().is_ident("doc"))
            .count();
        attrs.insert(at, cfg());
    }
}

/// The marker set between associated items; as no emitted code calls a macro of this
/// name, a line that is exactly this is one the marker printed.
const BLANK_MARKER: &str = "__blank_line__!();";

/// Prints a part: a blank line before it when it `follows` another part of its module,
/// after the module's inner attributes, between top-level items (except inside a run of
/// `use` or of `mod name;` declarations, which read as one group) and between the
/// associated items of an impl block.
fn print(file: File, follows: bool) -> String {
    let File {
        shebang,
        attrs,
        items,
    } = file;
    let mut out = String::new();
    let mut started = follows;
    if !attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&File {
            shebang,
            attrs,
            items: Vec::new(),
        }));
        started = true;
    }
    let mut previous = None;
    for item in items {
        let group = Group::of(&item);
        if started && (group.is_none() || group != previous) {
            out.push('\n');
        }
        started = true;
        previous = group;
        print_item(item, &mut out);
    }
    out
}

/// Items that are written in a run, without blank lines between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Use,
    ModDeclaration,
}

impl Group {
    /// The group of an undocumented `use` or `mod name;`; a documented one stands alone.
    fn of(item: &Item) -> Option<Group> {
        let documented = |attrs: &[Attribute]| attrs.iter().any(|a| a.path().is_ident("doc"));
        match item {
            Item::Use(u) if !documented(&u.attrs) => Some(Group::Use),
            Item::Mod(m) if m.content.is_none() && !documented(&m.attrs) => {
                Some(Group::ModDeclaration)
            }
            _ => None,
        }
    }
}

/// The marker, built rather than parsed: a resource can hold thousands of methods.
fn blank_marker() -> ImplItem {
    ImplItem::Macro(ImplItemMacro {
        attrs: Vec::new(),
        mac: Macro {
            path: Ident::new("__blank_line__", Span::call_site()).into(),
            bang_token: Token![!](Span::call_site()),
            delimiter: MacroDelimiter::Paren(Paren::default()),
            tokens: TokenStream::new(),
        },
        semi_token: Some(Token![;](Span::call_site())),
    })
}

fn print_item(mut item: Item, out: &mut String) {
    let spaced = match &mut item {
        Item::Macro(m) => {
            if let Some(text) = string_enum_call(m) {
                out.push_str(&text);
                return;
            }
            false
        }
        Item::Impl(block) if block.items.len() > 1 => {
            let associated = std::mem::take(&mut block.items);
            for (i, associated) in associated.into_iter().enumerate() {
                if i > 0 {
                    block.items.push(blank_marker());
                }
                block.items.push(associated);
            }
            true
        }
        _ => false,
    };
    let text = prettyplease::unparse(&File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    });
    if !spaced {
        out.push_str(&text);
        return;
    }
    for line in text.split_inclusive('\n') {
        if line.trim() == BLANK_MARKER {
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
}

/// `rt::string_enum!(Name { Variant = "wire", … });` one variant a line, as one would
/// write it; prettyplease would fill the macro's tokens like prose. `None` for any other
/// macro.
fn string_enum_call(m: &ItemMacro) -> Option<String> {
    let path = &m.mac.path;
    if path.segments.last()?.ident != "string_enum" || m.ident.is_some() || !m.attrs.is_empty() {
        return None;
    }
    let parse = |input: ParseStream<'_>| {
        let name: Ident = input.parse()?;
        let body;
        syn::braced!(body in input);
        let variants =
            Punctuated::<(Ident, LitStr), Token![,]>::parse_terminated_with(&body, |entry| {
                let variant: Ident = entry.parse()?;
                entry.parse::<Token![=]>()?;
                Ok((variant, entry.parse()?))
            })?;
        Ok((name, variants))
    };
    let (name, variants) = parse.parse2(m.mac.tokens.clone()).ok()?;
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let mut text = format!("{}!({name} {{\n", segments.join("::"));
    for (variant, wire) in variants {
        text.push_str(&format!("    {variant} = {},\n", wire.token()));
    }
    text.push_str("});\n");
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(source: &str, follows: bool) -> String {
        match syn::parse_str::<File>(source) {
            Ok(file) => print(file, follows),
            Err(e) => format!("does not parse: {e}"),
        }
    }

    #[test]
    fn blank_lines_between_items_not_inside_groups() {
        let source = r#"
            //! Docs.
            #![allow(dead_code)]
            mod a;
            #[rustfmt::skip]
            mod b;
            use a::X;
            use b::Y;
            /// Documented.
            pub use b::Z;
            struct S;
            impl S {
                const C: &'static str = "__blank_line__!();";
                /// One.
                fn one() {}
                fn two() {}
            }
            impl Clone for S {
                fn clone(&self) -> Self { S }
            }
        "#;
        let expected = "//! Docs.\n#![allow(dead_code)]\n\nmod a;\n#[rustfmt::skip]\nmod b;\n\n\
            use a::X;\nuse b::Y;\n\n/// Documented.\npub use b::Z;\n\nstruct S;\n\n\
            impl S {\n    const C: &'static str = \"__blank_line__!();\";\n\n    /// One.\n    \
            fn one() {}\n\n    fn two() {}\n}\n\nimpl Clone for S {\n    fn clone(&self) -> Self {\n        \
            S\n    }\n}\n";
        assert_eq!(printed(source, false), expected);
    }

    #[test]
    fn a_part_that_follows_another_starts_with_a_blank_line() {
        assert_eq!(printed("struct S;", true), "\nstruct S;\n");
        assert_eq!(printed("struct S;", false), "struct S;\n");
    }

    #[test]
    fn string_enums_list_one_variant_a_line() {
        assert_eq!(
            printed(
                r#"rt::string_enum!(Kind { A = "a", Type = "type" });"#,
                false
            ),
            "rt::string_enum!(Kind {\n    A = \"a\",\n    Type = \"type\",\n});\n"
        );
        // Anything else is left to prettyplease.
        assert_eq!(
            printed("other!(Kind { A = 1 });", false),
            "other!(Kind { A = 1 });\n"
        );
    }
}
