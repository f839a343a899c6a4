//! Credentials: how they are held so they never print, and how they are put on a request.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};

use super::descriptor::{ApiDescriptor, ParamLocation, SchemeKind};
use super::error::Error;

/// A credential. `Debug` and `Display` print `[redacted]`, so it can sit inside
/// any struct that derives `Debug` without leaking.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Secret(value)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A credential ready to be attached, prepared once when the client is built so
/// that a malformed value fails `build()` rather than every call.
#[derive(Debug, Clone)]
pub(crate) enum Applied {
    /// A header; the value is marked sensitive so HTTP-level logging skips it.
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    Cookie(&'static str, Secret),
}

/// The prepared credentials of a client, one slot per scheme of the descriptor.
#[derive(Clone)]
pub(crate) struct Credentials {
    api: &'static ApiDescriptor,
    slots: Vec<Option<Applied>>,
}

impl Credentials {
    /// `raw` holds one optional value per scheme, in the descriptor's order.
    pub(crate) fn prepare(
        api: &'static ApiDescriptor,
        raw: &[Option<Secret>],
    ) -> Result<Self, Error> {
        let mut slots = Vec::with_capacity(api.schemes.len());
        for (scheme, value) in api.schemes.iter().zip(raw) {
            let Some(value) = value else {
                slots.push(None);
                continue;
            };
            let bad_header = || {
                Error::Config(format!(
                    "credential `{}` contains characters not allowed in an HTTP header",
                    scheme.name
                ))
            };
            let applied = match scheme.kind {
                SchemeKind::Bearer => Applied::Header(
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {}", value.expose())).ok_or_else(bad_header)?,
                ),
                SchemeKind::Basic => {
                    // A value without ':' is a user with an empty password.
                    let mut pair = value.expose().to_owned();
                    if !pair.contains(':') {
                        pair.push(':');
                    }
                    let header = format!("Basic {}", base64(pair.as_bytes()));
                    Applied::Header(AUTHORIZATION, sensitive(&header).ok_or_else(bad_header)?)
                }
                SchemeKind::ApiKey {
                    location: ParamLocation::Header,
                    param,
                } => {
                    let name = HeaderName::from_bytes(param.as_bytes()).map_err(|_| {
                        Error::Config(format!(
                            "scheme `{}` names an invalid header `{param}`",
                            scheme.name
                        ))
                    })?;
                    Applied::Header(name, sensitive(value.expose()).ok_or_else(bad_header)?)
                }
                SchemeKind::ApiKey {
                    location: ParamLocation::Query,
                    param,
                } => Applied::Query(param, value.clone()),
                SchemeKind::ApiKey {
                    location: ParamLocation::Cookie,
                    param,
                } => Applied::Cookie(param, value.clone()),
            };
            slots.push(Some(applied));
        }
        Ok(Credentials { api, slots })
    }

    /// The credentials to send for `security`: those of the first alternative
    /// whose schemes are all set. Errors with a message naming what to set.
    pub(crate) fn select<'a>(
        &'a self,
        security: &'a [&'a [&'a str]],
    ) -> Result<impl Iterator<Item = &'a Applied> + 'a, String> {
        // No requirement at all, like an empty alternative, means no credentials.
        let alternative: &[&str] = if security.is_empty() {
            &[]
        } else {
            security
                .iter()
                .find(|alternative| alternative.iter().all(|name| self.get(name).is_some()))
                .ok_or_else(|| {
                    let mut message = missing_message(self.api, security);
                    message.push_str(&self.partly_set(security));
                    message
                })?
        };
        Ok(alternative.iter().filter_map(|name| self.get(name)))
    }

    /// For an alternative of several credentials of which only some are set, which are
    /// set and which are missing: the usual slip (an email without its key).
    fn partly_set(&self, security: &[&[&str]]) -> String {
        let label = |name: &&str| match self.api.scheme(name).and_then(|(_, s)| s.env) {
            Some(env) => env.to_owned(),
            None => format!("ClientBuilder::{name}"),
        };
        for alternative in security {
            let (set, missing): (Vec<&&str>, Vec<&&str>) = alternative
                .iter()
                .partition(|name| self.get(name).is_some());
            if !set.is_empty() && !missing.is_empty() {
                let set: Vec<String> = set.into_iter().map(label).collect();
                let missing: Vec<String> = missing.into_iter().map(label).collect();
                return format!(
                    " ({} {} set, but {} {} missing)",
                    join_and(&set),
                    if set.len() == 1 { "is" } else { "are" },
                    join_and(&missing),
                    if missing.len() == 1 { "is" } else { "are" },
                );
            }
        }
        String::new()
    }

    /// The credential for the scheme `name`, if it is set.
    fn get(&self, name: &str) -> Option<&Applied> {
        let (i, _) = self.api.scheme(name)?;
        self.slots.get(i)?.as_ref()
    }

    /// Names of the schemes that have a credential, for `Debug`.
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.api
            .schemes
            .iter()
            .zip(&self.slots)
            .filter(|(_, s)| s.is_some())
            .map(|(s, _)| s.name)
            .collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// "no credentials: set A, or B and C", naming environment variables where the
/// scheme has one and the builder method otherwise.
pub(crate) fn missing_message(api: &ApiDescriptor, security: &[&[&str]]) -> String {
    let alternatives: Vec<String> = security
        .iter()
        .map(|alternative| {
            let names: Vec<String> = alternative
                .iter()
                .map(|name| match api.scheme(name).and_then(|(_, s)| s.env) {
                    Some(env) => env.to_owned(),
                    None => format!("ClientBuilder::{name}"),
                })
                .collect();
            join_and(&names)
        })
        .collect();
    format!("no credentials: set {}", alternatives.join(", or "))
}

fn join_and(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Standard padded base64, for basic auth (not worth a dependency).
pub(crate) fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
