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
                .ok_or_else(|| missing_message(self.api, security))?
        };
        Ok(alternative.iter().filter_map(|name| self.get(name)))
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
fn base64(input: &[u8]) -> String {
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

#[cfg(test)]
mod tests {
    use super::super::descriptor::SecurityScheme;
    use super::*;

    static API: ApiDescriptor = ApiDescriptor {
        user_agent: "test",
        default_base_url: "https://api.example.com",
        base_url_env: None,
        schemes: &[
            SecurityScheme {
                name: "token",
                kind: SchemeKind::Bearer,
                env: Some("EXAMPLE_API_TOKEN"),
            },
            SecurityScheme {
                name: "email",
                kind: SchemeKind::ApiKey {
                    location: ParamLocation::Header,
                    param: "X-Auth-Email",
                },
                env: Some("EXAMPLE_EMAIL"),
            },
            SecurityScheme {
                name: "key",
                kind: SchemeKind::ApiKey {
                    location: ParamLocation::Query,
                    param: "api_key",
                },
                env: None,
            },
            SecurityScheme {
                name: "basic",
                kind: SchemeKind::Basic,
                env: None,
            },
        ],
        security: &[&["token"], &["email", "key"]],
        envelope: None,
        pagination: None,
    };

    fn creds(values: [Option<&str>; 4]) -> Credentials {
        let raw: Vec<Option<Secret>> = values
            .iter()
            .map(|v| v.map(|v| Secret::new(v.to_owned())))
            .collect();
        Credentials::prepare(&API, &raw).expect("valid credentials")
    }

    #[test]
    fn secret_is_redacted() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        let c = creds([Some("hunter2"), None, Some("hunter3"), None]);
        let chosen: Vec<&Applied> = c.select(API.security).expect("token").collect();
        let shown = format!("{c:?} {chosen:?}");
        assert!(!shown.contains("hunter"), "{shown}");
    }

    #[test]
    fn first_satisfied_alternative_wins() {
        let c = creds([None, Some("e@x"), Some("k"), None]);
        fn select<'a>(c: &'a Credentials, security: &'a [&'a [&'a str]]) -> Vec<&'a Applied> {
            c.select(security).expect("satisfied").collect()
        }
        let chosen = select(&c, API.security);
        assert_eq!(chosen.len(), 2);
        assert!(
            matches!(chosen[0], Applied::Header(name, v) if name == "x-auth-email" && v.is_sensitive())
        );
        assert!(matches!(chosen[1], Applied::Query("api_key", _)));

        let c = creds([Some("t"), Some("e@x"), Some("k"), None]);
        let chosen = select(&c, API.security);
        assert!(
            matches!(chosen[..], [Applied::Header(ref n, ref v)] if n == AUTHORIZATION && v == "Bearer t")
        );

        assert!(select(&c, &[]).is_empty());
        assert!(select(&creds([None; 4]), &[&["token"], &[]]).is_empty());
    }

    #[test]
    fn missing_credentials_name_what_to_set() {
        let err = creds([None, Some("e@x"), None, None])
            .select(API.security)
            .map(drop)
            .expect_err("missing key");
        assert_eq!(
            err,
            "no credentials: set EXAMPLE_API_TOKEN, or EXAMPLE_EMAIL and ClientBuilder::key"
        );
        assert_eq!(
            missing_message(&API, &[&["token", "email", "basic"]]),
            "no credentials: set EXAMPLE_API_TOKEN, EXAMPLE_EMAIL and ClientBuilder::basic"
        );
    }

    #[test]
    fn basic_auth_header() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let c = creds([None, None, None, Some("Aladdin:open sesame")]);
        let chosen: Vec<&Applied> = c.select(&[&["basic"]]).expect("basic set").collect();
        assert!(
            matches!(chosen[..], [Applied::Header(_, ref v)] if v == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
    }

    #[test]
    fn bad_header_value_is_a_config_error_without_the_secret() {
        let raw = [Some(Secret::new("bad\nsecret".into())), None, None, None];
        let err = Credentials::prepare(&API, &raw)
            .map(|_| ())
            .expect_err("newline in header");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}
