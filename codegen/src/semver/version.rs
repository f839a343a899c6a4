//! A crate version: `MAJOR.MINOR.PATCH`, compared as cargo compares them. Pre-release
//! and build suffixes are refused: the generated crate is released from a spec, and a
//! suffix would need rules this check does not have.

use std::fmt;

/// `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// The first number.
    pub major: u64,
    /// The second number.
    pub minor: u64,
    /// The third number.
    pub patch: u64,
}

impl Version {
    /// Parses `MAJOR.MINOR.PATCH`; the error names the text and the part at fault.
    pub fn parse(text: &str) -> Result<Version, String> {
        if let Some(at) = text.find(['-', '+']) {
            return Err(format!(
                "`{text}` has the suffix `{}`; pre-release and build versions are not supported",
                &text[at..]
            ));
        }
        let parts: Vec<&str> = text.split('.').collect();
        let [major, minor, patch] = parts.as_slice() else {
            return Err(format!(
                "`{text}` has {} part(s); expected three, MAJOR.MINOR.PATCH",
                parts.len()
            ));
        };
        let number = |part: &str, name: &str| -> Result<u64, String> {
            if part.len() > 1 && part.starts_with('0') {
                return Err(format!(
                    "the {name} part `{part}` of `{text}` has a leading zero"
                ));
            }
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "the {name} part `{part}` of `{text}` is not a number"
                ));
            }
            part.parse()
                .map_err(|_| format!("the {name} part `{part}` of `{text}` is too large"))
        };
        Ok(Version {
            major: number(major, "major")?,
            minor: number(minor, "minor")?,
            patch: number(patch, "patch")?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::parse(s)
    }
}
