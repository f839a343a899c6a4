//! The static description of one API that generated code hands to the runtime.
//!
//! Everything API-specific (base URL, auth schemes, response envelope, pagination
//! counters) arrives through these types, so the rest of the runtime stays generic.

/// Everything the runtime needs to know about one API.
#[derive(Debug, Clone, Copy)]
pub struct ApiDescriptor {
    /// The `User-Agent` sent with every request.
    pub user_agent: &'static str,
    /// The base URL used when neither the builder nor the environment sets one.
    pub default_base_url: &'static str,
    /// The environment variable that overrides the base URL, if any.
    pub base_url_env: Option<&'static str>,
    /// Every security scheme the API declares.
    pub schemes: &'static [SecurityScheme],
    /// The API-wide security requirement: alternatives, each a set of scheme names
    /// that must all be present. Empty, or containing an empty alternative, means
    /// no authentication is needed.
    pub security: &'static [&'static [&'static str]],
    /// The response envelope wrapping payloads, if the API uses one.
    pub envelope: Option<Envelope>,
    /// Page-number pagination conventions, if the API paginates.
    pub pagination: Option<Pagination>,
}

impl ApiDescriptor {
    /// Finds a scheme by name, with its index in [`ApiDescriptor::schemes`].
    pub(crate) fn scheme(&self, name: &str) -> Option<(usize, &'static SecurityScheme)> {
        self.schemes
            .iter()
            .enumerate()
            .find(|(_, s)| s.name == name)
    }
}

/// One way of authenticating.
#[derive(Debug, Clone, Copy)]
pub struct SecurityScheme {
    /// The scheme's name in the API description; also the credential's name.
    pub name: &'static str,
    /// How the credential is sent.
    pub kind: SchemeKind,
    /// The environment variable `ClientBuilder::from_env` reads the credential from.
    pub env: Option<&'static str>,
}

/// How a credential is sent.
#[derive(Debug, Clone, Copy)]
pub enum SchemeKind {
    /// `Authorization: Bearer <value>`.
    Bearer,
    /// HTTP basic auth; the value is `user:password`.
    Basic,
    /// The value is sent verbatim as a named header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// The header, query parameter or cookie name.
        param: &'static str,
    },
}

/// Where a named value travels in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A request header.
    Header,
    /// A query-string parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Property names of a response envelope such as
/// `{"result": ..., "success": true, "errors": [], "messages": []}`.
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    /// The property holding the payload.
    pub data: &'static str,
    /// A boolean property that is `false` when the call failed.
    pub success: Option<&'static str>,
    /// A list of error messages.
    pub errors: Option<&'static str>,
    /// A list of informational messages.
    pub messages: Option<&'static str>,
}

/// Page-number pagination conventions.
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    /// The query parameter selecting the page (1-based); also the counter's name in `info`.
    pub page_param: &'static str,
    /// The query parameter setting the page size; also the counter's name in `info`.
    pub per_page_param: &'static str,
    /// The envelope property holding the page counters.
    pub info: &'static str,
    /// The counter in `info` holding the number of pages, if the API reports it.
    pub total_pages: Option<&'static str>,
}
