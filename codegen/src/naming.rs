//! Every identifier rule of the generator, in one place, over `heck`.
//!
//! Policy:
//! - Types and variants are `UpperCamelCase`; fields, methods, modules and arguments are
//!   `snake_case`.
//! - Identifiers are ASCII. Latin, Greek and Cyrillic letters are transliterated (`é` → `e`,
//!   `ß` → `ss`, `ж` → `zh`); any other character that is neither ASCII nor white space (an
//!   emoji, a letter of another script) becomes `u` and its code point in hex (`😀` →
//!   `u1f600`), so distinct names stay distinct; ASCII punctuation separates words. A
//!   name left empty becomes `Value`/`value`.
//! - A name starting with a digit gets a `V` (types, variants) or `_` (fields) prefix;
//!   a field of digits only gets `v` (`1` → `v1`), as `_1` reads as a placeholder.
//! - Keywords, one rule by case: a `snake_case` keyword (strict or reserved) gets a
//!   trailing underscore (`type` → `type_`, `self` → `self_`), since raw identifiers do
//!   not work for `self`, `super` or `crate`; the one `UpperCamelCase` keyword, `Self`,
//!   gets the suffix a shadowed prelude name gets, since `Self_` is not camel case.
//! - A type named like an item of the Rust prelude (`Option`, `Send`, …) would shadow it
//!   in the generated modules, which use those names unqualified; it gets a `Type` suffix
//!   (`OptionType`), and a variant named `Self` becomes `SelfValue`.
//! - Names the runtime already uses (its `Client` and `ClientBuilder` methods, read from
//!   its source by `crate::runtime`) are reserved in the [`Namespace`] where generated
//!   methods join them.
//! - Collisions are resolved deterministically by [`Namespace`], which numbers the later
//!   claimant (`Foo2`) and returns the earlier one, for the caller to report as a
//!   warning; nothing is renamed silently.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every strict and reserved keyword of Rust 2015 to 2024, in `snake_case`. Weak keywords
/// (`union`, `macro_rules`, `raw`, `safe`, `default`) are ordinary identifiers where
/// generated names appear, so they are kept as they are.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// The `UpperCamelCase` names of the Rust 2021 prelude (`std::prelude::rust_2021`).
#[rustfmt::skip]
const PRELUDE: &[&str] = &[
    "AsMut", "AsRef", "Box", "Clone", "Copy", "Default", "DoubleEndedIterator", "Drop", "Eq",
    "Err", "ExactSizeIterator", "Extend", "Fn", "FnMut", "FnOnce", "From", "FromIterator",
    "Into", "IntoIterator", "Iterator", "None", "Ok", "Option", "Ord", "PartialEq",
    "PartialOrd", "Result", "Send", "Sized", "Some", "String", "Sync", "ToOwned", "ToString",
    "TryFrom", "TryInto", "Unpin", "Vec",
];

/// Latin-1 Supplement and Latin Extended-A letters, U+00C0 to U+017F, without accents.
const LATIN: [&str; 192] = [
    "A", "A", "A", "A", "A", "A", "Ae", "C", "E", "E", "E", "E", "I", "I", "I", "I", //
    "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "Th", "ss", //
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", //
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y", //
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", //
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", //
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", //
    "I", "i", "Ij", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L", //
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "Ng", "ng", "O", "o", "O", "o", //
    "O", "o", "Oe", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", //
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", //
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s", //
];

/// Greek capitals, U+0391 to U+03A9 (U+03A2 is unassigned); small letters are 0x20 above.
const GREEK: [&str; 25] = [
    "A", "B", "G", "D", "E", "Z", "I", "Th", "I", "K", "L", "M", "N", "X", "O", "P", "R", "S", "S",
    "T", "Y", "F", "Ch", "Ps", "O",
];

/// Cyrillic capitals, U+0410 to U+042F; small letters are 0x20 above.
const CYRILLIC: [&str; 32] = [
    "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P", "R", "S", "T",
    "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya",
];

/// The ASCII letters a non-ASCII letter is written with, where the tables know it.
fn transliterate(c: char) -> Option<String> {
    let table = |table: &[&str], first: u32, small: bool| {
        let at = usize::try_from(u32::from(c) - first).ok()?;
        let s = table.get(at)?;
        Some(if small {
            s.to_lowercase()
        } else {
            (*s).to_owned()
        })
    };
    match u32::from(c) {
        0xC0..=0x17F => table(&LATIN, 0xC0, false),
        0x391..=0x3A9 => table(&GREEK, 0x391, false),
        0x3B1..=0x3C9 => table(&GREEK, 0x3B1, true),
        // Greek vowels with an accent (tonos).
        0x386 => Some("A".to_owned()),
        0x388 => Some("E".to_owned()),
        0x389 | 0x38A => Some("I".to_owned()),
        0x38C | 0x38F => Some("O".to_owned()),
        0x38E => Some("Y".to_owned()),
        0x3AC => Some("a".to_owned()),
        0x3AD => Some("e".to_owned()),
        0x3AE | 0x3AF => Some("i".to_owned()),
        0x3CC | 0x3CE => Some("o".to_owned()),
        0x3CD => Some("y".to_owned()),
        0x401 => Some("Yo".to_owned()),
        0x451 => Some("yo".to_owned()),
        0x410..=0x42F => table(&CYRILLIC, 0x410, false),
        0x430..=0x44F => table(&CYRILLIC, 0x430, true),
        _ => None,
    }
}

/// The wire name as ASCII words for `heck`: see the module's policy.
fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() || c.is_whitespace() {
            out.push(' ');
        } else if let Some(letters) = transliterate(c) {
            out.push_str(&letters);
        } else {
            out.push_str(&format!(" u{:x} ", u32::from(c)));
        }
    }
    out
}

fn guard_keyword(mut name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `UpperCamelCase` type name for a wire name.
pub fn type_name(wire: &str) -> String {
    let mut name = ascii(wire).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" || PRELUDE.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
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
    let words = ascii(wire);
    let mut name = if !wire.is_empty() && !words.chars().any(|c| c.is_ascii_alphanumeric()) {
        wire.chars().filter_map(spelled).collect::<String>()
    } else {
        let sign = match wire.chars().next() {
            Some('-') => "Minus",
            Some('+') => "Plus",
            _ => "",
        };
        format!("{sign}{}", words.to_upper_camel_case())
    };
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// `snake_case` field, argument, method or module name for a wire name.
pub fn field_name(wire: &str) -> String {
    let mut name = ascii(wire).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        // `_1` would read as a placeholder (clippy's `just_underscores_and_digits`).
        let prefix = if name.chars().all(|c| c.is_ascii_digit() || c == '_') {
            'v'
        } else {
            '_'
        };
        name.insert(0, prefix);
    }
    guard_keyword(name)
}

/// The Cargo feature name of a resource: its `snake_case` segment in kebab case, without
/// the `_` that guards a keyword (`type_` → `type`; a feature is no identifier). Cargo
/// takes letters, digits, `_`, `-` and `+` after a first letter, digit or `_`, so every
/// other character becomes `-`.
pub fn feature_name(segment: &str) -> String {
    let name: String = segment
        .trim_end_matches('_')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "resource".to_owned()
    } else {
        name.to_owned()
    }
}

/// Method names clippy gives a meaning of its own: `new` should return `Self`
/// (`new_ret_no_self`), and the methods of the standard operator and conversion traits
/// should implement them (`should_implement_trait`). A generated method keeps such a
/// name, which comes from the API; the emitter allows the lint on that method instead.
pub(crate) fn clippy_meanings(method: &str) -> &'static [&'static str] {
    #[rustfmt::skip]
    const TRAIT_METHODS: &[&str] = &[
        "add", "as_mut", "as_ref", "bitand", "bitor", "bitxor", "borrow", "borrow_mut", "clone",
        "cmp", "default", "deref", "deref_mut", "div", "drop", "eq", "from_iter", "from_str",
        "hash", "index", "index_mut", "into_iter", "mul", "neg", "next", "not", "rem", "shl",
        "shr", "sub",
    ];
    if method == "new" {
        &["new_ret_no_self"]
    } else if TRAIT_METHODS.contains(&method) {
        &["should_implement_trait"]
    } else {
        &[]
    }
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
    } else if claimant.starts_with(RESERVED) {
        taken_by(claimant)
    } else {
        format!("schema `{claimant}`")
    }
}

/// Names the earlier claimant of a method or argument name in a message: the wire name
/// that claimed it, or a name the runtime or the generator itself defines.
pub(crate) fn taken_by(claimant: &str) -> String {
    match claimant.strip_prefix(RESERVED) {
        Some(reserved) => format!("the generator's own {reserved}"),
        None => format!("`{claimant}`"),
    }
}

/// How [`Namespace::with_reserved`] records a reserved name's claimant.
const RESERVED: &str = "reserved name ";

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
        Self::reserving(reserved, None)
    }

    /// A namespace holding the methods of the type `owner` (`Client`), which messages
    /// name as `Client::call`.
    pub fn with_methods_of(owner: &str, methods: &[&str]) -> Self {
        Self::reserving(methods, Some(owner))
    }

    fn reserving(reserved: &[&str], owner: Option<&str>) -> Self {
        let mut ns = Namespace::default();
        for r in reserved {
            let shown = owner.map_or_else(|| (*r).to_owned(), |o| format!("{o}::{r}"));
            ns.taken
                .insert((*r).to_owned(), format!("{RESERVED}`{shown}`"));
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
            ("self", "SelfType"),
            ("Self", "SelfType"),
            ("2fa", "V2fa"),
            ("", "Value"),
            ("Ünïcode name", "UnicodeName"),
            ("Straße", "Strasse"),
            ("Ελλάδα", "Ellada"),
            ("Москва", "Moskva"),
            ("😀", "U1f600"),
            ("café 😀", "CafeU1f600"),
            ("Option", "OptionType"),
            ("send", "SendType"),
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
            ("1", "v1"),
            ("1.0", "v1_0"),
            ("X-Auth-Email", "x_auth_email"),
            ("camelCase", "camel_case"),
            ("$", "value"),
            ("Self", "self_"),
            ("union", "union"),
            ("macro_rules", "macro_rules"),
            ("raw", "raw"),
            ("gen", "gen_"),
            ("dyn", "dyn_"),
            ("crème brûlée", "creme_brulee"),
            ("日本", "u65e5_u672c"),
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
            ("self", "SelfValue"),
            ("Self", "SelfValue"),
            ("é", "E"),
            ("ß", "Ss"),
            ("🙂", "U1f642"),
            ("Unknown", "Unknown"),
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
        let mut client = Namespace::with_methods_of("Client", &["call"]);
        let call = client.claim("call", "call");
        assert_eq!(call.name, "call2");
        assert_eq!(
            call.collided_with.as_deref().map(taken_by).as_deref(),
            Some("the generator's own `Client::call`")
        );
    }

    #[test]
    fn feature_names() {
        for (segment, want) in [
            ("pets", "pets"),
            ("dns_records", "dns-records"),
            ("type_", "type"),
            ("_1", "1"),
            ("v2", "v2"),
            ("_", "resource"),
        ] {
            assert_eq!(feature_name(segment), want, "feature_name({segment:?})");
        }
    }

    #[test]
    fn clippy_meanings_are_known() {
        for (method, want) in [
            ("new", &["new_ret_no_self"][..]),
            ("add", &["should_implement_trait"][..]),
            ("cmp", &["should_implement_trait"][..]),
            ("list", &[][..]),
        ] {
            assert_eq!(clippy_meanings(method), want, "clippy_meanings({method:?})");
        }
    }
}
