//! Operations → [`Operation`]s: parameters, bodies, the success value and resource placement.
//!
//! Invariants: parameters are unique by (name, location), the operation's own overriding
//! the path item's; path parameters come first, in template order, and are required;
//! type names derive from the resource and method names (`PetsListParams`), claimed in
//! the same order on every run, so names are deterministic.

use std::collections::BTreeSet;

use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, Response, StatusCode,
};

use super::arena::{Hint, TypeSpace};
use super::refs::{PARAMETERS, REQUEST_BODIES, RESPONSES};
use super::Context;
use crate::diag::{pointer, Reporter};
use crate::ir::{Body, BodyEncoding, Location, Operation, Param, Returns, Style, Ty};
use crate::naming::{field_name, type_name, Namespace};

/// One operation and where it sits in the document.
pub(super) struct Site<'a> {
    pub(super) path: &'a str,
    pub(super) method: &'a str,
    pub(super) op: &'a openapiv3::Operation,
    /// The path item's parameters; the operation's own override them.
    pub(super) path_params: &'a [ReferenceOr<Parameter>],
    pub(super) at: String,
}

/// What lowering an operation works with: the document, the type space and the reporter.
pub(super) struct Lowering<'a, 's, 'r> {
    pub(super) cx: &'a Context<'a>,
    pub(super) space: &'a mut TypeSpace<'s>,
    pub(super) r: &'a mut Reporter<'r>,
}

impl Lowering<'_, '_, '_> {
    /// Lowers one operation; `None` when it cannot be generated (already reported).
    pub(super) fn operation(&mut self, site: &Site<'_>) -> Option<Operation> {
        let (op, at) = (site.op, site.at.as_str());
        let id = self.operation_id(site);
        let (resource, method_name) = placement(op, &id, at, self.r);
        let base_hint = format!(
            "{}{}",
            resource.last().map(|s| type_name(s)).unwrap_or_default(),
            type_name(&method_name)
        );
        let params = self.params(site, &base_hint);
        let mut bodies = match &op.request_body {
            Some(rb) => {
                let hint = format!("{base_hint}Body");
                match self.bodies(rb, &hint, &pointer(at, "requestBody")) {
                    Some(b) if !b.is_empty() => b,
                    _ => return None,
                }
            }
            None => Vec::new(),
        };
        let body = (!bodies.is_empty()).then(|| bodies.remove(0));
        let returns = self.returns(op, &base_hint, &params, at)?;
        let params_struct = params.iter().any(|p| !p.required).then(|| {
            self.space
                .names
                .claim(&format!("{base_hint}Params"), at)
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
            origin: at.to_owned(),
        })
    }

    fn operation_id(&mut self, site: &Site<'_>) -> String {
        if let Some(id) = &site.op.operation_id {
            return id.clone();
        }
        let derived = field_name(&format!("{} {}", site.method, site.path));
        self.r
            .warning(
                &site.at,
                format!("operation has no `operationId`; using `{derived}`"),
            )
            .help("add an `operationId` so the method name is stable");
        derived
    }

    /// The parameters: path-level first, then the operation's, which override by
    /// (name, in); path parameters end up first, in template order.
    fn params(&mut self, site: &Site<'_>, base_hint: &str) -> Vec<Param> {
        let at = site.at.as_str();
        let indexed = |list: &[ReferenceOr<Parameter>], base: &str| {
            list.iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        p.clone(),
                        pointer(&pointer(base, "parameters"), &i.to_string()),
                    )
                })
                .collect::<Vec<_>>()
        };
        let item_at = at.rsplit_once('/').map_or(at, |(a, _)| a);
        let mut all = indexed(&site.op.parameters, at);
        all.extend(indexed(site.path_params, item_at));
        let mut params = Vec::new();
        let mut seen = BTreeSet::new();
        let mut arg_names = Namespace::with_reserved(&["self", "body", "params", "request"]);
        for (param, p_at) in all {
            let Some((param, p_at)) = self.resolve_param(&param, &p_at) else {
                continue;
            };
            let data = param.parameter_data_ref();
            if !seen.insert((data.name.clone(), location(&param))) {
                continue;
            }
            params.extend(self.param(&param, p_at, base_hint, &mut arg_names));
        }
        check_path_params(site.path, &params, at, self.r);
        // Path parameters in template order first, so arguments read like the URL.
        let order: Vec<String> = template_names(site.path);
        params.sort_by_key(|p| match p.location {
            Location::Path => order
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
        p_at: String,
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
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            r.error(
                &p_at,
                format!(
                    "parameter `{}` uses `content`; only `schema` parameters are supported",
                    data.name
                ),
            )
            .help("describe the parameter with `schema` and `style`");
            return None;
        };
        let schema_at = pointer(&p_at, "schema");
        let flat = self.space.flatten(schema, &schema_at, r);
        let hint = Hint::named(format!("{base_hint}{}", type_name(&data.name)));
        let ty = self.space.lower(schema, &hint, &schema_at, r);
        let checks = self.space.checks_for(&flat, &ty, r);
        if loc == Location::Path && !data.required {
            r.error(
                &p_at,
                format!("path parameter `{}` must be `required: true`", data.name),
            );
        }
        let claimed = arg_names.claim(&field_name(&data.name), &data.name);
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
            checks,
            style,
            origin: p_at,
        })
    }

    fn resolve_param(
        &mut self,
        p: &ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<(Parameter, String)> {
        match p {
            ReferenceOr::Item(p) => Some((p.clone(), at.to_owned())),
            ReferenceOr::Reference { reference } => {
                let entries = self.cx.doc.components.as_ref().map(|c| &c.parameters);
                let (name, p) = PARAMETERS.resolve_item(reference, entries, at, self.r)?;
                Some((p.clone(), PARAMETERS.pointer(&name)))
            }
        }
    }

    /// The request body in every supported media type, best first; `None` when the
    /// operation cannot be generated.
    fn bodies(&mut self, rb: &ReferenceOr<RequestBody>, hint: &str, at: &str) -> Option<Vec<Body>> {
        let (body, body_at, hint) = match rb {
            ReferenceOr::Item(b) => (b, at.to_owned(), hint.to_owned()),
            ReferenceOr::Reference { reference } => {
                let entries = self.cx.doc.components.as_ref().map(|c| &c.request_bodies);
                let (name, b) = REQUEST_BODIES.resolve_item(reference, entries, at, self.r)?;
                (b, REQUEST_BODIES.pointer(&name), type_name(&name))
            }
        };
        let r = &mut *self.r;
        let supported = supported_media(&body.content);
        if supported.is_empty() {
            let types = media_list(body.content.keys());
            r.warning(
                &pointer(&body_at, "content"),
                format!("unsupported request media type(s) {types}; the operation is skipped"),
            )
            .help("JSON, form, multipart, text/* and binary bodies are supported");
            return None;
        }
        let used: Vec<&String> = supported.iter().map(|(k, _, _)| k).collect();
        let dropped: Vec<&String> = body.content.keys().filter(|k| !used.contains(k)).collect();
        if !dropped.is_empty() {
            r.warning(
                &pointer(&body_at, "content"),
                format!(
                    "request media type(s) {} are not supported; the client sends {}",
                    media_list(dropped.into_iter()),
                    media_list(used.into_iter())
                ),
            );
        }
        let mut bodies = Vec::new();
        for (media_type, encoding, media) in supported {
            let content_at = pointer(&pointer(&body_at, "content"), &media_type);
            let ty = match (encoding, &media.schema) {
                (
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart,
                    Some(schema),
                ) => self.space.lower(
                    schema,
                    &Hint::named(hint.clone()),
                    &pointer(&content_at, "schema"),
                    r,
                ),
                (BodyEncoding::Json, None) => Ty::Json,
                (BodyEncoding::Form | BodyEncoding::Multipart, None) => Ty::JsonObject,
                (BodyEncoding::Text, _) => Ty::String,
                (BodyEncoding::Bytes, _) => Ty::Bytes,
            };
            // A multipart body is written part by part from a struct's fields; a map
            // has no fields to write (the runtime has no `MultipartBody` for it).
            let multipart_map = matches!(encoding, BodyEncoding::Multipart)
                && matches!(ty, Ty::JsonObject | Ty::Map(_));
            if matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart)
                && (!is_object(self.space, &ty) || multipart_map)
            {
                r.warning(
                    &content_at,
                    format!("a `{media_type}` body must be an object; this media type is skipped"),
                );
                continue;
            }
            bodies.push(Body {
                media_type,
                encoding,
                ty,
                required: body.required,
                doc: body.description.clone(),
            });
        }
        Some(bodies)
    }

    /// The success value; `None` when the operation cannot be generated.
    fn returns(
        &mut self,
        op: &openapiv3::Operation,
        base_hint: &str,
        params: &[Param],
        at: &str,
    ) -> Option<Returns> {
        let responses_at = pointer(at, "responses");
        let Some((resp, resp_at)) = success_response(op, &responses_at) else {
            self.r
                .warning(
                    &responses_at,
                    "no success response is declared; the method returns nothing",
                )
                .help("declare a `2XX` or `default` response");
            return Some(Returns::Empty);
        };
        let (resp, resp_at, name_hint) = match resp {
            ReferenceOr::Item(resp) => (resp, resp_at, format!("{base_hint}Response")),
            ReferenceOr::Reference { reference } => {
                let entries = self.cx.doc.components.as_ref().map(|c| &c.responses);
                let (name, resp) = RESPONSES.resolve_item(reference, entries, &resp_at, self.r)?;
                (resp, RESPONSES.pointer(&name), type_name(&name))
            }
        };
        if resp.content.is_empty() {
            return Some(Returns::Empty);
        }
        let Some((media_type, encoding, media)) = pick_media(&resp.content) else {
            let types = media_list(resp.content.keys());
            self.r.warning(
                &pointer(&resp_at, "content"),
                format!(
                    "unsupported response media type(s) {types}; the body is returned as bytes"
                ),
            );
            return Some(Returns::Bytes);
        };
        match encoding {
            BodyEncoding::Text => return Some(Returns::Text),
            BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart => {
                return Some(Returns::Bytes)
            }
            BodyEncoding::Json => {}
        }
        let Some(schema) = &media.schema else {
            return Some(Returns::Body(Ty::Json));
        };
        let schema_at = pointer(
            &pointer(&pointer(&resp_at, "content"), &media_type),
            "schema",
        );
        let paged = self.paginated(op, params);
        if let Some(data) = self.enveloped(schema, &schema_at, base_hint, paged) {
            return Some(data);
        }
        let hint = Hint::named(name_hint);
        Some(Returns::Body(
            self.space.lower(schema, &hint, &schema_at, self.r),
        ))
    }

    /// The envelope's data property of a JSON success body, when the document declares an
    /// envelope and the body has that property.
    fn enveloped(
        &mut self,
        schema: &ReferenceOr<openapiv3::Schema>,
        schema_at: &str,
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
    responses_at: &str,
) -> Option<(&'o ReferenceOr<Response>, String)> {
    let mut success: Vec<(u16, &ReferenceOr<Response>, String)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, resp)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => {
                Some((*c, resp, pointer(responses_at, &c.to_string())))
            }
            StatusCode::Range(2) => Some((299, resp, pointer(responses_at, "2XX"))),
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
            .map(|d| (d, pointer(responses_at, "default"))),
    }
}

fn location(p: &Parameter) -> Location {
    match p {
        Parameter::Path { .. } => Location::Path,
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => Location::Cookie,
    }
}

/// Where the operation lives: `x-fern-sdk-group-name`/`x-fern-sdk-method-name` when
/// present, else the first tag and the `operationId`.
fn placement(
    op: &openapiv3::Operation,
    id: &str,
    at: &str,
    r: &mut Reporter<'_>,
) -> (Vec<String>, String) {
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
                &pointer(at, "x-fern-sdk-group-name"),
                format!("invalid extension value: expected a dotted string such as `pets.toys`, found {}", crate::load::kind(other)),
            );
            None
        }
        None => None,
    };
    let group = group.unwrap_or_else(|| {
        op.tags
            .first()
            .map(|t| vec![field_name(t)])
            .unwrap_or_default()
    });
    let method = match op.extensions.get("x-fern-sdk-method-name") {
        Some(serde_json::Value::String(m)) => field_name(m),
        Some(other) => {
            r.error(
                &pointer(at, "x-fern-sdk-method-name"),
                format!(
                    "invalid extension value: expected a string, found {}",
                    crate::load::kind(other)
                ),
            );
            field_name(id)
        }
        None => field_name(id),
    };
    (group, method)
}

/// Media types for a message: `` `a`, `b` ``.
fn media_list<'a>(types: impl Iterator<Item = &'a String>) -> String {
    types
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    names
}

fn check_path_params(path: &str, params: &[Param], at: &str, r: &mut Reporter<'_>) {
    let in_template = template_names(path);
    for name in &in_template {
        if !params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == *name)
        {
            r.error(at, format!("path parameter `{{{name}}}` is used in `{path}` but not declared"))
                .help(format!("declare it: `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}`"));
        }
    }
    for p in params.iter().filter(|p| p.location == Location::Path) {
        if !in_template.contains(&p.wire) {
            r.error(
                &p.origin,
                format!(
                    "path parameter `{}` is declared but `{path}` has no `{{{}}}`",
                    p.wire, p.wire
                ),
            )
            .help("remove the parameter or add it to the path template");
        }
    }
}

/// Every supported media type in `content`, best first: JSON, then forms, text, bytes.
fn supported_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Vec<(String, BodyEncoding, &MediaType)> {
    let essence = |k: &str| k.split(';').next().unwrap_or(k).trim().to_ascii_lowercase();
    let rank = |k: &str| -> Option<(u8, BodyEncoding)> {
        match k {
            "application/json" => Some((0, BodyEncoding::Json)),
            k if k.ends_with("+json") || k == "*/*" => Some((1, BodyEncoding::Json)),
            "application/x-www-form-urlencoded" => Some((2, BodyEncoding::Form)),
            "multipart/form-data" => Some((3, BodyEncoding::Multipart)),
            k if k.starts_with("text/") => Some((4, BodyEncoding::Text)),
            "application/octet-stream" | "application/pdf" => Some((5, BodyEncoding::Bytes)),
            k if k.starts_with("image/") || k.starts_with("audio/") || k.starts_with("video/") => {
                Some((5, BodyEncoding::Bytes))
            }
            _ => None,
        }
    };
    let mut found: Vec<(u8, String, BodyEncoding, &MediaType)> = content
        .iter()
        .filter_map(|(k, m)| rank(&essence(k)).map(|(r, e)| (r, k.clone(), e, m)))
        .collect();
    found.sort_by_key(|(r, ..)| *r);
    // One method per encoding: the best media type of each.
    let mut seen = Vec::new();
    found
        .into_iter()
        .filter(|(_, _, e, _)| {
            let first = !seen.contains(e);
            seen.push(*e);
            first
        })
        .map(|(_, k, e, m)| (k, e, m))
        .collect()
}

/// The preferred supported media type.
fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(String, BodyEncoding, &MediaType)> {
    supported_media(content).into_iter().next()
}

fn is_object(space: &TypeSpace<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::JsonObject | Ty::Map(_) => true,
        Ty::Named(id) => space.is_struct(*id),
        _ => false,
    }
}
