//! "Did you mean": the closest known name to a misspelt one, for help lines.
//!
//! A candidate counts only when it is within a few edits (three, or a quarter of its
//! length for long names); ties go to the smallest name, so the suggestion is stable.

/// The candidate closest to `name`, when one is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a String>,
) -> Option<&'a String> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        for (a, b, want) in [
            ("", "", 0),
            ("Pet", "Pet", 0),
            ("Pett", "Pet", 1),
            ("Usr", "User", 1),
            ("kitten", "sitting", 3),
            ("", "abc", 3),
        ] {
            assert_eq!(edit_distance(a, b), want, "edit_distance({a:?}, {b:?})");
        }
    }

    #[test]
    fn suggestions() {
        let names: Vec<String> = ["Pet", "User", "Zone"].map(str::to_owned).to_vec();
        for (name, want) in [
            ("Pett", Some("Pet")),
            ("Usr", Some("User")),
            ("Completely", None),
        ] {
            assert_eq!(
                closest(name, names.iter()).map(String::as_str),
                want,
                "closest({name:?})"
            );
        }
    }
}
