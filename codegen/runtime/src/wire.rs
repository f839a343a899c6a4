//! Wire preparation: a [`Request`] and the client's configuration become the
//! `reqwest::Request` that one attempt sends.

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT};
use url::Url;

use super::auth::Applied;
use super::client::ClientInner;
use super::error::Error;
use super::request::{encode, Request};

/// The request as it goes on the wire: credentials and defaults attached, the URL
/// built. `page` replaces the page parameter; `extra` headers (from the call)
/// override the request's. Built once per attempt, so a call that succeeds at
/// once copies nothing twice.
pub(crate) fn prepare(
    client: &ClientInner,
    request: &Request,
    page: Option<(&str, u64)>,
    extra: &HeaderMap,
) -> Result<reqwest::Request, Error> {
    let security = request.security.unwrap_or(client.api.security);
    let applied = client.credentials.select(security).map_err(Error::Config)?;

    let mut headers = request.headers.clone();
    for (name, value) in extra {
        headers.insert(name.clone(), value.clone());
    }
    if !headers.contains_key(USER_AGENT) {
        if let Some(agent) = &client.user_agent {
            headers.insert(USER_AGENT, agent.clone());
        }
    }
    if !headers.contains_key(ACCEPT) {
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    }
    if let Some((content_type, _)) = &request.body {
        let value = HeaderValue::from_str(content_type)
            .map_err(|_| Error::Config(format!("invalid content type `{content_type}`")))?;
        headers.insert(CONTENT_TYPE, value);
    }

    let mut query = Vec::new();
    let mut cookies = request.cookies.clone();
    let mut secret_cookie = false;
    for credential in applied {
        match credential {
            Applied::Header(name, value) => {
                headers.insert(name.clone(), value.clone());
            }
            Applied::Query(name, value) => query.push((encode(name), encode(value.expose()))),
            Applied::Cookie(name, value) => {
                cookies.push(format!("{}={}", encode(name), encode(value.expose())));
                secret_cookie = true;
            }
        }
    }
    if !cookies.is_empty() {
        // Values are percent-encoded, so this cannot fail.
        if let Ok(mut value) = HeaderValue::from_str(&cookies.join("; ")) {
            value.set_sensitive(secret_cookie);
            headers.insert(COOKIE, value);
        }
    }

    let url = url(client, request, page, &query)?;
    let mut out = reqwest::Request::new(request.method.clone(), url);
    *out.headers_mut() = headers;
    if let Some((_, bytes)) = &request.body {
        *out.body_mut() = Some(bytes.clone().into());
    }
    Ok(out)
}

/// The request's URL: `base_url` + path + query, as it has always been, but resolved
/// against the parsed base so that a call does not parse the scheme and host (IDNA
/// included) again.
fn url(
    client: &ClientInner,
    request: &Request,
    page: Option<(&str, u64)>,
    query: &[(String, String)],
) -> Result<Url, Error> {
    // The base's path (`/v4`), then the request's path (with a leading `/`) and
    // query; `rest` is what goes after `base_url`.
    let base_path = client.base.path().trim_end_matches('/');
    let mut owned = String::new();
    let target = match request.query_string(page, query) {
        // Nothing to add: the request's own path (the usual case) as it is.
        None if base_path.is_empty() && request.path.starts_with('/') => request.path.as_str(),
        tail => {
            owned.reserve(base_path.len() + request.path.len() + 1);
            owned.push_str(base_path);
            if !request.path.starts_with('/') {
                owned.push('/');
            }
            owned.push_str(&request.path);
            if let Some(tail) = tail {
                owned.push('?');
                owned.push_str(&tail);
            }
            owned.as_str()
        }
    };
    let rest = &target[base_path.len()..];
    // Resolution and parsing the whole differ only where the parser would read the
    // target as naming a host: `//host/…` (or with backslashes, which special
    // schemes read as slashes), also once it has dropped tabs and newlines. Those
    // are parsed whole; and a result on another origin is never taken.
    let whole = || Url::parse(&format!("{}{rest}", client.base_url));
    let parsed = if matches!(target.as_bytes(), [_, b'/' | b'\\', ..])
        || target.contains(['\t', '\n', '\r'])
    {
        whole()
    } else {
        match Url::options().base_url(Some(&client.base)).parse(target) {
            Ok(url) if same_origin(&url, &client.base) => Ok(url),
            _ => whole(),
        }
    };
    // The URL may hold a query-string credential, so it stays out of the message.
    parsed.map_err(|e| Error::Config(format!("invalid request url: {e}")))
}

/// Whether `a` and `b` share scheme, host and port; unlike comparing `Url::origin`s,
/// this allocates nothing.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}
