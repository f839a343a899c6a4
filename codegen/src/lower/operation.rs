//! Operations → [`Operation`]s: parameters, bodies, the success value and resource placement.
//!
//! Invariants: parameters are unique by (name, location), the operation's own overriding
//! the path item's; the path template decides the path parameters (one per variable,
//! required, in template order, first); no declared media type is dropped without a
//! warning, and a body the client cannot encode is taken as raw bytes;
//! type names derive from the resource and method names (`PetsListParams`), claimed in
//! the same order on every run, so names are deterministic.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, RequestBody, Response,
    Schema, StatusCode,
};

use super::arena::{Hint, TypeSpace};
use super::media::{
    json_wildcard, media_entries, media_list, param_content, raw_body, supported_media,
};
use super::paths::{
    derived_name, location, resource as path_resource, template_fates, template_names,
    undeclared_path_params, Fate,
};
use super::refs::{PARAMETERS, REQUEST_BODIES, RESPONSES};
use super::Context;
use crate::diag::Reporter;
use crate::ir::{Body, BodyEncoding, Location, Operation, Param, Returns, Style, Ty};
use crate::naming::{field_name, taken_by, type_name, Namespace};
use crate::pointer::{kind, Pointer};
use crate::runtime;

/// One operation and where it sits in the document.
pub(super) struct Site<'a> {
    pub(super) path: &'a str,
    pub(super) method: &'a str,
    pub(super) op: &'a openapiv3::Operation,
    /// The path item's parameters; the operation's own override them.
    pub(super) path_params: &'a [ReferenceOr<Parameter>],
    pub(super) at: Pointer,
}

/// What lowering an operation works with: the document, the type space and the reporter.
pub(super) struct Lowering<'a, 's, 'r> {
    pub(super) cx: &'a Context<'a>,
    pub(super) space: &'a mut TypeSpace<'s>,
    pub(super) r: &'a mut Reporter<'r>,
    /// Every `operationId` taken so far, the document's own first.
    pub(super) ids: &'a mut BTreeSet<String>,
    /// Each `operationId` the document spells out, and the operation that used it first.
    pub(super) first_use: &'a mut BTreeMap<String, String>,
}

impl Lowering<'_, '_, '_> {
    /// Lowers one operation; `None` when it cannot be generated (already reported).
    pub(super) fn operation(&mut self, site: &Site<'_>) -> Option<Operation> {
        let (op, at) = (site.op, &site.at);
        let (id, derived) = self.operation_id(site);
        let (resource, method_name) = placement(site, &id, derived, self.cx.path_prefix, self.r);
        let base_hint = format!(
            "{}{}",
            resource.last().map(|s| type_name(s)).unwrap_or_default(),
            type_name(&method_name)
        );
        let params = self.params(site, &base_hint);
        let mut bodies = match &op.request_body {
            Some(rb) => {
                let hint = format!("{base_hint}Body");
                match self.bodies(rb, &hint, &at.join("requestBody")) {
                    Some(b) if !b.is_empty() => b,
                    Some(_) => Vec::new(),
                    None => return None,
                }
            }
            None => Vec::new(),
        };
        let body = (!bodies.is_empty()).then(|| bodies.remove(0));
        let returns = self.returns(op, &base_hint, &params, at)?;
        let params_struct = params.iter().any(|p| !p.required).then(|| {
            self.space
                .names
                .claim(&format!("{base_hint}Params"), at.as_str())
                .name
        });
        let security = op
            .security
            .as_ref()
            .map(|reqs| {
                reqs.iter()
                    .map(|req| req.keys().cloned().collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            })
            .filter(|s| *s != self.cx.security);
        let (idempotent, idempotency_key) = repeat_safety(op, at, self.r);
        Some(Operation {
            id,
            method: site.method.to_uppercase(),
            path: site.path.to_owned(),
            resource,
            method_name,
            summary: op.summary.clone(),
            description: op.description.clone(),
            docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
            deprecated: op.deprecated,
            params,
            params_struct,
            body,
            alternative_bodies: bodies,
            alternative_method_names: Vec::new(),
            returns,
            security,
            idempotent,
            idempotency_key,
            feature: None,
            origin: at.to_string(),
        })
    }

    /// The `operationId`, or one derived from the method and path (`true` then), unique
    /// in the document.
    fn operation_id(&mut self, site: &Site<'_>) -> (String, bool) {
        if let Some(id) = &site.op.operation_id {
            let Some(first) = self.first_use.get(id).cloned() else {
                self.first_use.insert(id.clone(), site.at.to_string());
                return (id.clone(), false);
            };
            // Both operations are real; the later one gets a numbered id, in document
            // order, so every run names them alike.
            let unique = self.unique_id(id);
            self.r
                .warning(
                    &site.at,
                    format!("duplicate `operationId` `{id}`, first used at {first}; this one is `{unique}`"),
                )
                .help("operationIds must be unique within the document");
            return (unique, false);
        }
        let base = derived_name(site.method, site.path);
        let id = self.unique_id(&base);
        self.r
            .warning(
                &site.at,
                format!("operation has no `operationId`; its name is derived from the method and path: `{id}`"),
            )
            .help("add an `operationId` to choose the name");
        (id, true)
    }

    /// `base`, or `base` with the first number from 2 that no operation has taken.
    fn unique_id(&mut self, base: &str) -> String {
        let mut id = base.to_owned();
        let mut n = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}{n}");
            n += 1;
        }
        id
    }

    /// The parameters: path-level first, then the operation's, which override by
    /// (name, in); path parameters end up first, in template order.
    fn params(&mut self, site: &Site<'_>, base_hint: &str) -> Vec<Param> {
        let at = &site.at;
        let indexed = |list: &[ReferenceOr<Parameter>], base: &Pointer| {
            let list_at = base.join("parameters");
            list.iter()
                .enumerate()
                .map(|(i, p)| (p.clone(), list_at.index(i)))
                .collect::<Vec<_>>()
        };
        let item_at = at.parent().unwrap_or_else(|| at.clone());
        let mut all = indexed(&site.op.parameters, at);
        all.extend(indexed(site.path_params, &item_at));
        let mut params = Vec::new();
        let mut seen = BTreeSet::new();
        // The method's own locals, and the methods of the optional-parameters struct,
        // whose setters are named after the parameters.
        let mut reserved = vec!["self", "body", "params", "request"];
        reserved.push(runtime::PARAMS_CONSTRUCTOR);
        reserved.extend(runtime::trait_methods(&runtime::PARAMS_DERIVES));
        let mut arg_names = Namespace::with_reserved(&reserved);
        let template = template_names(site.path);
        let mut resolved = Vec::new();
        for (param, p_at) in all {
            let Some((param, p_at)) = self.resolve_param(&param, &p_at) else {
                continue;
            };
            let data = param.parameter_data_ref();
            if !seen.insert((data.name.clone(), location(&param))) {
                continue;
            }
            resolved.push((param, p_at));
        }
        let fates = template_fates(&resolved, &template, site.path, self.r);
        for ((param, p_at), fate) in resolved.into_iter().zip(fates) {
            if fate == Fate::Drop {
                continue;
            }
            let Some(mut p) = self.param(&param, p_at, base_hint, &mut arg_names) else {
                continue;
            };
            if fate == Fate::ToPath {
                p.location = Location::Path;
                p.style = Style::Simple;
                p.required = true;
            }
            params.push(p);
        }
        undeclared_path_params(
            &mut params,
            &template,
            site.path,
            &site.at,
            &mut arg_names,
            self.r,
        );
        // Path parameters in template order first, so arguments read like the URL.
        params.sort_by_key(|p| match p.location {
            Location::Path => template
                .iter()
                .position(|n| *n == p.wire)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        params
    }

    fn param(
        &mut self,
        param: &Parameter,
        p_at: Pointer,
        base_hint: &str,
        arg_names: &mut Namespace,
    ) -> Option<Param> {
        let r = &mut *self.r;
        let data = param.parameter_data_ref();
        let (style, loc) = match param {
            Parameter::Path { style, .. } => {
                if !matches!(style, PathStyle::Simple) {
                    r.warning(
                        &p_at,
                        "only `simple` style is supported for path parameters; using it",
                    );
                }
                (Style::Simple, Location::Path)
            }
            Parameter::Query { style, .. } => {
                let explode = data.explode.unwrap_or(matches!(style, QueryStyle::Form));
                let s = match style {
                    QueryStyle::Form => Style::Form { explode },
                    QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                    QueryStyle::PipeDelimited => Style::PipeDelimited,
                    QueryStyle::DeepObject => Style::DeepObject,
                };
                (s, Location::Query)
            }
            Parameter::Header { .. } => (Style::Simple, Location::Header),
            Parameter::Cookie { .. } => (Style::Form { explode: true }, Location::Cookie),
        };
        let (schema, schema_at, style) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                (Cow::Borrowed(schema), p_at.join("schema"), style)
            }
            ParameterSchemaOrContent::Content(content) => {
                let (schema, schema_at, json) = param_content(&data.name, content, &p_at, r)?;
                (schema, schema_at, if json { Style::Json } else { style })
            }
        };
        let flat = self.space.flatten(&schema, &schema_at, r);
        let hint = Hint::named(format!("{base_hint}{}", type_name(&data.name)));
        let ty = self.space.lower(&schema, &hint, &schema_at, r);
        // A JSON text is not the value the schema's checks describe.
        let checks = if style == Style::Json {
            Vec::new()
        } else {
            self.space.checks_for(&flat, &ty, r)
        };
        if loc == Location::Path && !data.required {
            r.warning(
                &p_at,
                format!(
                    "path parameter `{}` is not `required: true`; it is required, as every path parameter",
                    data.name
                ),
            )
            .help("add `required: true`");
        }
        let claimed = arg_names.claim(&field_name(&data.name), &data.name);
        if let Some(other) = &claimed.collided_with {
            r.warning(
                &p_at,
                format!(
                    "argument name `{}` is taken by {}; this parameter's is `{}`",
                    field_name(&data.name),
                    taken_by(other),
                    claimed.name
                ),
            );
        }
        Some(Param {
            name: claimed.name,
            wire: data.name.clone(),
            location: loc,
            ty,
            required: data.required || loc == Location::Path,
            doc: data
                .description
                .clone()
                .or_else(|| super::flatten::doc_of(&flat)),
            example: (data.example.as_ref())
                .and_then(super::flatten::example_text)
                .or_else(|| flat.example.clone()),
            default: flat.default.clone(),
            checks,
            style,
            origin: p_at.to_string(),
        })
    }

    fn resolve_param(
        &mut self,
        p: &ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> Option<(Parameter, Pointer)> {
        match p {
            ReferenceOr::Item(p) => Some((p.clone(), at.clone())),
            ReferenceOr::Reference { reference } => {
                let entries = self.cx.doc.components.as_ref().map(|c| &c.parameters);
                let found = PARAMETERS.resolve_item(reference, entries, self.cx.raw, at, self.r)?;
                Some((found.value.into_owned(), found.at))
            }
        }
    }

    /// The request body in every supported media type, best first; raw bytes when the
    /// client can encode none of them. `None` when the operation cannot be generated.
    fn bodies(
        &mut self,
        rb: &ReferenceOr<RequestBody>,
        hint: &str,
        at: &Pointer,
    ) -> Option<Vec<Body>> {
        let (body, body_at, hint) = match rb {
            ReferenceOr::Item(b) => (Cow::Borrowed(b), at.clone(), hint.to_owned()),
            ReferenceOr::Reference { reference } => {
                let entries = self.cx.doc.components.as_ref().map(|c| &c.request_bodies);
                let found =
                    REQUEST_BODIES.resolve_item(reference, entries, self.cx.raw, at, self.r)?;
                let hint = found
                    .name
                    .as_deref()
                    .map_or_else(|| hint.to_owned(), type_name);
                (found.value, found.at, hint)
            }
        };
        let r = &mut *self.r;
        let content_at = body_at.join("content");
        let content = media_entries(&body.content, &content_at, r);
        let mut supported = supported_media(&content);
        if !supported.iter().any(|(_, e, _)| *e == BodyEncoding::Json) {
            if let Some(json) = json_wildcard(&content, &content_at, "request", r) {
                supported.insert(0, json);
            }
        }
        if supported.is_empty() {
            return Some(vec![raw_body(&body, &content, &content_at, r)]);
        }
        let used: Vec<&String> = supported.iter().map(|(k, _, _)| k).collect();
        let dropped: Vec<&String> = content
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !used.contains(k))
            .collect();
        if !dropped.is_empty() {
            r.warning(
                &content_at,
                format!(
                    "request media type(s) {} are not supported; the client sends {}",
                    media_list(dropped.into_iter()),
                    media_list(used.into_iter())
                ),
            );
        }
        let mut bodies = Vec::new();
        for (media_type, encoding, media) in supported {
            let media_at = content_at.join(&media_type);
            let ty = match (encoding, &media.schema) {
                (
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart,
                    Some(schema),
                ) => self.space.lower(
                    schema,
                    &Hint::named(hint.clone()),
                    &media_at.join("schema"),
                    r,
                ),
                (BodyEncoding::Json, None) => Ty::Json,
                (BodyEncoding::Form | BodyEncoding::Multipart, None) => Ty::JsonObject,
                (BodyEncoding::Text, _) => Ty::String,
                (BodyEncoding::Bytes | BodyEncoding::Raw, _) => Ty::Bytes,
            };
            // A multipart body is written part by part from a struct's fields; a map
            // has no fields to write (the runtime has no `MultipartBody` for it).
            let multipart_map = matches!(encoding, BodyEncoding::Multipart)
                && matches!(ty, Ty::JsonObject | Ty::Map(_));
            if matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart)
                && (!is_object(self.space, &ty) || multipart_map)
            {
                r.warning(
                    &media_at,
                    format!("a `{media_type}` body must be an object; this media type is skipped"),
                );
                continue;
            }
            // A wildcard names no type to send; JSON is what its schema describes.
            let media_type = if media_type.contains('*') {
                "application/json".to_owned()
            } else {
                media_type
            };
            bodies.push(Body {
                media_type,
                encoding,
                ty,
                required: body.required,
                doc: body.description.clone(),
            });
        }
        if bodies.is_empty() {
            // Every typed media type was skipped; the body is still sent, as bytes.
            bodies.push(raw_body(&body, &content, &content_at, r));
        }
        Some(bodies)
    }

    /// The success value; `None` when the operation cannot be generated.
    fn returns(
        &mut self,
        op: &openapiv3::Operation,
        base_hint: &str,
        params: &[Param],
        at: &Pointer,
    ) -> Option<Returns> {
        let responses_at = at.join("responses");
        let raw_codes = self.status_keys(&responses_at);
        let Some((resp, resp_at)) = success_response(op, &responses_at, &raw_codes) else {
            self.r
                .warning(
                    &responses_at,
                    "no success response is declared; the method returns nothing",
                )
                .help("declare a `2XX` or `default` response");
            return Some(Returns::Empty);
        };
        let (resp, resp_at, name_hint) = match resp {
            ReferenceOr::Item(resp) => {
                (Cow::Borrowed(resp), resp_at, format!("{base_hint}Response"))
            }
            ReferenceOr::Reference { reference } => {
                let entries = self.cx.doc.components.as_ref().map(|c| &c.responses);
                let found =
                    RESPONSES.resolve_item(reference, entries, self.cx.raw, &resp_at, self.r)?;
                let hint = found
                    .name
                    .as_deref()
                    .map_or_else(|| format!("{base_hint}Response"), type_name);
                (found.value, found.at, hint)
            }
        };
        if resp.content.is_empty() {
            return Some(Returns::Empty);
        }
        let content_at = resp_at.join("content");
        let content = media_entries(&resp.content, &content_at, self.r);
        let picked = supported_media(&content)
            .into_iter()
            .next()
            .or_else(|| json_wildcard(&content, &content_at, "response", self.r));
        let Some((media_type, encoding, media)) = picked else {
            let types = media_list(content.iter().map(|(k, _)| *k));
            let what = if types.is_empty() {
                "no valid response media type".to_owned()
            } else {
                format!("unsupported response media type(s) {types}")
            };
            self.r.warning(
                &content_at,
                format!("{what}; the body is returned as bytes"),
            );
            return Some(Returns::Bytes);
        };
        match encoding {
            BodyEncoding::Text => return Some(Returns::Text),
            BodyEncoding::Bytes
            | BodyEncoding::Raw
            | BodyEncoding::Form
            | BodyEncoding::Multipart => return Some(Returns::Bytes),
            BodyEncoding::Json => {}
        }
        let Some(schema) = &media.schema else {
            return Some(Returns::Body(Ty::Json));
        };
        let schema_at = content_at.join(&media_type).join("schema");
        let paged = self.paginated(op, params);
        if let Some(data) = self.enveloped(schema, &schema_at, base_hint, paged) {
            return Some(data);
        }
        let hint = Hint::named(name_hint);
        Some(Returns::Body(
            self.space.lower(schema, &hint, &schema_at, self.r),
        ))
    }

    /// The status-code keys of a `responses` object as written; `4xx` in lower case is
    /// not OpenAPI, but its meaning is plain, so it is read as `4XX`.
    fn status_keys(&mut self, responses_at: &Pointer) -> Vec<String> {
        let keys: Vec<String> = responses_at
            .resolve(self.cx.raw)
            .and_then(serde_json::Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for key in &keys {
            let b = key.as_bytes();
            let range = b.len() == 3
                && b[0].is_ascii_digit()
                && b[1..].iter().all(|c| c.eq_ignore_ascii_case(&b'x'));
            if range && key != &key.to_ascii_uppercase() {
                self.r
                    .warning(
                        responses_at.join(key),
                        format!(
                            "status code range `{key}` is not upper case; read as `{}`",
                            key.to_ascii_uppercase()
                        ),
                    )
                    .help(format!("write `'{}'`", key.to_ascii_uppercase()));
            }
        }
        keys
    }

    /// The envelope's data property of a JSON success body, when the document declares an
    /// envelope and the body has that property.
    fn enveloped(
        &mut self,
        schema: &ReferenceOr<Schema>,
        schema_at: &Pointer,
        base_hint: &str,
        paginated: bool,
    ) -> Option<Returns> {
        let envelope = self.cx.envelope.as_ref()?;
        let flat = self.space.flatten(schema, schema_at, self.r);
        let (data_schema, data_at) = flat.properties.get(&envelope.data)?;
        let required = flat.required.contains(&envelope.data);
        let hint = Hint::named(format!("{base_hint}Result"));
        let ty = self.space.lower(data_schema, &hint, data_at, self.r);
        Some(match ty {
            Ty::Array(item) if paginated => Returns::Page(*item),
            ty => Returns::Data { ty, required },
        })
    }

    /// True when the document paginates and the operation takes the page parameter
    /// (unless it opts out with `x-sdk-pagination: false`).
    fn paginated(&self, op: &openapiv3::Operation, params: &[Param]) -> bool {
        self.cx.pagination.as_ref().is_some_and(|p| {
            params
                .iter()
                .any(|q| q.location == Location::Query && q.wire == p.page_param)
        }) && op.extensions.get("x-sdk-pagination") != Some(&serde_json::Value::Bool(false))
    }
}

/// The response a call succeeds with: the lowest `2xx`, else `2XX`, else `default`.
fn success_response<'o>(
    op: &'o openapiv3::Operation,
    responses_at: &Pointer,
    raw_codes: &[String],
) -> Option<(&'o ReferenceOr<Response>, Pointer)> {
    let range_key = raw_codes
        .iter()
        .find(|k| k.eq_ignore_ascii_case("2XX"))
        .map_or("2XX", String::as_str);
    let mut success: Vec<(u16, &ReferenceOr<Response>, Pointer)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, resp)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => {
                Some((*c, resp, responses_at.join(&c.to_string())))
            }
            StatusCode::Range(2) => Some((299, resp, responses_at.join(range_key))),
            _ => None,
        })
        .collect();
    success.sort_by_key(|(c, _, _)| *c);
    match success.into_iter().next() {
        Some((_, resp, resp_at)) => Some((resp, resp_at)),
        None => op
            .responses
            .default
            .as_ref()
            .map(|d| (d, responses_at.join("default"))),
    }
}

/// `x-sdk-idempotent: true` and `x-sdk-idempotency-key: <header name>`: whether a
/// POST or PATCH may be retried like a GET, and the header that carries a key the
/// server deduplicates on.
fn repeat_safety(
    op: &openapiv3::Operation,
    at: &Pointer,
    r: &mut Reporter<'_>,
) -> (bool, Option<String>) {
    let idempotent = match op.extensions.get("x-sdk-idempotent") {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(other) => {
            r.error(
                at.join("x-sdk-idempotent"),
                format!(
                    "invalid extension value: `x-sdk-idempotent` must be a boolean, found {}",
                    kind(other)
                ),
            );
            false
        }
        None => false,
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let key = match op.extensions.get("x-sdk-idempotency-key") {
        Some(serde_json::Value::String(name)) if token(name) => Some(name.clone()),
        Some(serde_json::Value::String(name)) => {
            r.error(
                at.join("x-sdk-idempotency-key"),
                format!("invalid extension value: `{name}` is not a valid header name"),
            )
            .help("write a header name such as `Idempotency-Key`");
            None
        }
        Some(other) => {
            r.error(
                at.join("x-sdk-idempotency-key"),
                format!(
                    "invalid extension value: `x-sdk-idempotency-key` must be a header name, found {}",
                    kind(other)
                ),
            );
            None
        }
        None => None,
    };
    (idempotent, key)
}

/// Where the operation lives: `x-fern-sdk-group-name`/`x-fern-sdk-method-name` when
/// present, else the first tag and the `operationId`. An operation with neither tags nor
/// an `operationId` is placed by its path.
fn placement(
    site: &Site<'_>,
    id: &str,
    derived: bool,
    path_prefix: usize,
    r: &mut Reporter<'_>,
) -> (Vec<String>, String) {
    let (op, at) = (site.op, &site.at);
    let group = match op.extensions.get("x-fern-sdk-group-name") {
        Some(serde_json::Value::String(g)) => {
            Some(g.split('.').map(field_name).collect::<Vec<_>>())
        }
        Some(serde_json::Value::Array(parts)) if parts.iter().all(serde_json::Value::is_string) => {
            Some(
                parts
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(field_name)
                    .collect(),
            )
        }
        Some(other) => {
            r.error(
                at.join("x-fern-sdk-group-name"),
                format!("invalid extension value: expected a dotted string such as `pets.toys`, found {}", kind(other)),
            );
            None
        }
        None => None,
    };
    let by_path = || {
        derived
            .then(|| path_resource(site.path, path_prefix))
            .flatten()
            .map(|seg| vec![field_name(&seg)])
    };
    let group = group.unwrap_or_else(|| match op.tags.first() {
        Some(t) => vec![field_name(t)],
        None => by_path().unwrap_or_default(),
    });
    // A derived id may carry a number for uniqueness in the document; the method needs
    // it only within its resource, where collisions are numbered (and reported) anyway.
    let fallback = if derived {
        derived_name(site.method, site.path)
    } else {
        field_name(id)
    };
    let method = match op.extensions.get("x-fern-sdk-method-name") {
        Some(serde_json::Value::String(m)) => field_name(m),
        Some(other) => {
            r.error(
                at.join("x-fern-sdk-method-name"),
                format!(
                    "invalid extension value: expected a string, found {}",
                    kind(other)
                ),
            );
            fallback
        }
        None => fallback,
    };
    (group, method)
}

fn is_object(space: &TypeSpace<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::JsonObject | Ty::Map(_) => true,
        Ty::Named(id) => space.is_struct(*id),
        _ => false,
    }
}
