//! Every identifier rule of the generator, in one place, over `heck`.
//!
//! Policy:
//! - Types and variants are `UpperCamelCase`; fields, methods, modules and arguments are
//!   `snake_case`.
//! - Identifiers are ASCII. Other characters are dropped; a name left empty becomes
//!   `Value`/`value` plus its position, so every wire name still gets an identifier.
//! - A name starting with a digit gets a `V` (types) or `_` (fields) prefix.
//! - Rust keywords get a trailing underscore (`type` → `type_`, `Self` → `Self_`): one
//!   rule for every keyword, where raw identifiers would not work for `self` or `crate`.
//! - Collisions are resolved deterministically by [`Namespace`], which numbers the later
//!   claimant (`Foo2`) and reports it; nothing is renamed silently.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Prelude names the emitted code uses unqualified; a type with one of these names would
/// shadow it, so it gets a `Type` suffix (a fixed rule, like keywords).
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "Some", "None", "Ok", "Err", "String", "Vec", "Box", "From", "Into",
];

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

fn guard_keyword(mut name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `UpperCamelCase` type or variant name for a wire name.
pub fn type_name(wire: &str) -> String {
    let mut name = ascii(wire).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    guard_keyword(name)
}

/// `UpperCamelCase` enum variant name for a wire value. A leading sign is spelled
/// (`-name` → `MinusName`, common in sort orders), and so is a value made only of
/// symbols (`>=` → `GtEq`), so such values do not all collapse to one name.
pub fn variant_name(wire: &str) -> String {
    let spelled = |c: char| match c {
        '+' => Some("Plus"),
        '-' => Some("Minus"),
        '=' => Some("Eq"),
        '!' => Some("Not"),
        '<' => Some("Lt"),
        '>' => Some("Gt"),
        '~' => Some("Tilde"),
        '*' => Some("Star"),
        '/' => Some("Slash"),
        '.' => Some("Dot"),
        '_' => Some("Underscore"),
        '@' => Some("At"),
        '#' => Some("Hash"),
        '$' => Some("Dollar"),
        '%' => Some("Percent"),
        '&' => Some("And"),
        '|' => Some("Or"),
        '^' => Some("Caret"),
        '?' => Some("Question"),
        ':' => Some("Colon"),
        ',' => Some("Comma"),
        _ => None,
    };
    let mut name = if !wire.is_empty() && !wire.chars().any(|c| c.is_ascii_alphanumeric()) {
        wire.chars().filter_map(spelled).collect::<String>()
    } else {
        let sign = match wire.chars().next() {
            Some('-') => "Minus",
            Some('+') => "Plus",
            _ => "",
        };
        format!("{sign}{}", ascii(wire).to_upper_camel_case())
    };
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    guard_keyword(name)
}

/// `snake_case` field, argument, method or module name for a wire name.
pub fn field_name(wire: &str) -> String {
    let mut name = ascii(wire).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    guard_keyword(name)
}

/// A variant name from a component name, without the union's own name as a prefix
/// (`JwkRsa` in `Jwk…` → `Rsa`).
pub(crate) fn short_variant(component: &str, union_name: &str) -> String {
    let full = type_name(component);
    let mut common = 0;
    for (a, b) in full.chars().zip(union_name.chars()) {
        if a != b {
            break;
        }
        common += 1;
    }
    // Cut only at a word boundary (an upper-case letter) and never to nothing.
    while common > 0 && !full[common..].starts_with(|c: char| c.is_ascii_uppercase()) {
        common -= 1;
    }
    let mut short = &full[common..];
    // Also drop the union's own suffix (`JwkOctResponse` in `JwkResponse` → `Oct`).
    let suffix = &union_name[common.min(union_name.len())..];
    if !suffix.is_empty() && short.len() > suffix.len() && short.ends_with(suffix) {
        short = &short[..short.len() - suffix.len()];
    }
    if short.is_empty() || short.starts_with(|c: char| c.is_ascii_digit()) {
        full
    } else {
        short.to_owned()
    }
}

/// Names the earlier claimant of a name in a message: a component schema by its name, an
/// inline schema by its pointer, a name [`Namespace::with_reserved`] holds as the
/// generator's own.
pub(crate) fn describe(claimant: &str) -> String {
    if claimant.starts_with('#') {
        format!("the inline schema at {claimant}")
    } else if let Some(reserved) = claimant.strip_prefix("reserved name ") {
        format!("the generator's own {reserved}")
    } else {
        format!("schema `{claimant}`")
    }
}

/// A set of names in one scope; later claimants of a taken name are numbered.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeMap<String, String>,
}

/// The outcome of claiming a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The identifier to use.
    pub name: String,
    /// The earlier claimant's wire name, when the wanted name was taken.
    pub collided_with: Option<String>,
}

impl Namespace {
    /// A namespace with some names reserved up front (for example runtime methods).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        let mut ns = Namespace::default();
        for r in reserved {
            ns.taken
                .insert((*r).to_owned(), format!("reserved name `{r}`"));
        }
        ns
    }

    /// Claims `wanted` for `wire`; numbers it (`Foo2`, `Foo3`, …) when already taken.
    pub fn claim(&mut self, wanted: &str, wire: &str) -> Claimed {
        if !self.taken.contains_key(wanted) {
            self.taken.insert(wanted.to_owned(), wire.to_owned());
            return Claimed {
                name: wanted.to_owned(),
                collided_with: None,
            };
        }
        let collided_with = self.taken.get(wanted).cloned();
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n = 2usize;
        loop {
            let candidate = format!("{wanted}{sep}{n}");
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(candidate.clone(), wire.to_owned());
                return Claimed {
                    name: candidate,
                    collided_with,
                };
            }
            n += 1;
        }
    }

    /// True when `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        for (wire, want) in [
            (
                "api-shield_TokenConfiguration",
                "ApiShieldTokenConfiguration",
            ),
            ("credentials-JWT-Key-EC-ES256", "CredentialsJwtKeyEcEs256"),
            ("type", "Type"),
            ("self", "Self_"),
            ("2fa", "V2fa"),
            ("", "Value"),
            ("Ünïcode name", "NCodeName"),
            ("Option", "OptionType"),
            ("P-256", "P256"),
        ] {
            assert_eq!(type_name(wire), want, "type_name({wire:?})");
        }
    }

    #[test]
    fn field_names() {
        for (wire, want) in [
            ("zone_id", "zone_id"),
            ("per-page", "per_page"),
            ("type", "type_"),
            ("self", "self_"),
            ("ref", "ref_"),
            ("match", "match_"),
            ("2fa", "_2fa"),
            ("X-Auth-Email", "x_auth_email"),
            ("camelCase", "camel_case"),
            ("$", "value"),
        ] {
            assert_eq!(field_name(wire), want, "field_name({wire:?})");
        }
    }

    #[test]
    fn variant_names() {
        for (wire, want) in [
            ("log", "Log"),
            ("RS256", "Rs256"),
            ("1.0", "V10"),
            ("", "Empty"),
            ("in", "In"),
        ] {
            assert_eq!(variant_name(wire), want, "variant_name({wire:?})");
        }
    }

    #[test]
    fn short_variant_names() {
        for (component, union_name, want) in [
            ("JwkRsa", "JwkRequest", "Rsa"),
            ("JwkEs256", "JwkResponse", "Es256"),
            ("Cat", "Pet", "Cat"),
            ("PetCat", "Pet", "Cat"),
            ("JwkOctPatchRequest", "JwkPatchRequest", "Oct"),
            ("JwkOctResponse", "JwkResponse", "Oct"),
        ] {
            assert_eq!(
                short_variant(component, union_name),
                want,
                "short_variant({component:?}, {union_name:?})"
            );
        }
    }

    #[test]
    fn claimants_described() {
        for (claimant, want) in [
            ("Pet", "schema `Pet`"),
            (
                "#/paths/~1pets/get",
                "the inline schema at #/paths/~1pets/get",
            ),
            ("reserved name `API`", "the generator's own `API`"),
        ] {
            assert_eq!(describe(claimant), want, "describe({claimant:?})");
        }
    }

    #[test]
    fn collisions_are_numbered_and_reported() {
        let mut ns = Namespace::with_reserved(&["builder"]);
        assert_eq!(ns.claim("FooBar", "foo_bar").collided_with, None);
        let second = ns.claim("FooBar", "FooBar");
        assert_eq!(second.name, "FooBar2");
        assert_eq!(second.collided_with.as_deref(), Some("foo_bar"));
        assert_eq!(ns.claim("builder", "builder").name, "builder2");
        assert_eq!(ns.claim("V2", "2").name, "V2");
        assert_eq!(ns.claim("V2", "v2").name, "V2_2");
    }
}
