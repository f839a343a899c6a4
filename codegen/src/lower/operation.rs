//! Operations → [`Operation`]s: parameters, bodies, the success value and resource placement.

use std::collections::BTreeSet;

use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, Response, StatusCode,
};

use super::schema::{Hint, TypeSpace};
use super::Context;
use crate::diag::{pointer, Reporter};
use crate::ir::{Body, BodyEncoding, Location, Operation, Param, Returns, Style, Ty};
use crate::naming::{field_name, type_name, Namespace};

/// Lowers one operation; `None` when it cannot be generated (already reported).
#[allow(
    clippy::too_many_arguments,
    reason = "the operation's parts, each used once"
)]
pub(super) fn lower_operation(
    cx: &Context<'_>,
    space: &mut TypeSpace<'_>,
    r: &mut Reporter<'_>,
    path: &str,
    method: &str,
    op: &openapiv3::Operation,
    path_params: &[ReferenceOr<Parameter>],
    at: &str,
) -> Option<Operation> {
    let id = match &op.operation_id {
        Some(id) => id.clone(),
        None => {
            let derived = field_name(&format!("{method} {path}"));
            r.warning(
                at,
                format!("operation has no `operationId`; using `{derived}`"),
            )
            .help("add an `operationId` so the method name is stable");
            derived
        }
    };
    let (resource, method_name) = placement(cx, op, &id, at, r);
    let base_hint = format!(
        "{}{}",
        resource.last().map(|s| type_name(s)).unwrap_or_default(),
        type_name(&method_name)
    );

    // Parameters: path-level first, then the operation's, which override by (name, in).
    let mut params: Vec<Param> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut arg_names = Namespace::with_reserved(&["self", "body", "params", "request"]);
    let mut all: Vec<(ReferenceOr<Parameter>, String)> = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.clone(),
                pointer(&pointer(at, "parameters"), &i.to_string()),
            )
        })
        .collect();
    let item_at = at.rsplit_once('/').map_or(at, |(a, _)| a).to_owned();
    all.extend(path_params.iter().enumerate().map(|(i, p)| {
        (
            p.clone(),
            pointer(&pointer(&item_at, "parameters"), &i.to_string()),
        )
    }));
    for (param, p_at) in all {
        let Some((param, p_at)) = resolve_param(cx, &param, &p_at, r) else {
            continue;
        };
        let data = param.parameter_data_ref();
        if !seen.insert((data.name.clone(), location(&param))) {
            continue;
        }
        let (style, loc) = match &param {
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
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s.clone(),
            ParameterSchemaOrContent::Content(_) => {
                r.error(
                    &p_at,
                    format!(
                        "parameter `{}` uses `content`; only `schema` parameters are supported",
                        data.name
                    ),
                )
                .help("describe the parameter with `schema` and `style`");
                continue;
            }
        };
        let schema_at = pointer(&p_at, "schema");
        let flat = space.flatten(&schema, &schema_at, r);
        let hint = Hint::named(format!("{base_hint}{}", type_name(&data.name)));
        let ty = space.lower(&schema, &hint, &schema_at, r);
        let checks = space.checks_for(&flat, &ty, r);
        if loc == Location::Path && !data.required {
            r.error(
                &p_at,
                format!("path parameter `{}` must be `required: true`", data.name),
            );
        }
        let claimed = arg_names.claim(&field_name(&data.name), &data.name);
        params.push(Param {
            name: claimed.name,
            wire: data.name.clone(),
            location: loc,
            ty,
            required: data.required || loc == Location::Path,
            doc: data
                .description
                .clone()
                .or_else(|| super::schema::doc_of(&flat)),
            checks,
            style,
            origin: p_at,
        });
    }
    check_path_params(path, &params, at, r);
    // Path parameters in template order first, so arguments read like the URL.
    let order: Vec<String> = template_names(path);
    params.sort_by_key(|p| match p.location {
        Location::Path => order
            .iter()
            .position(|n| *n == p.wire)
            .unwrap_or(usize::MAX),
        _ => usize::MAX,
    });

    let mut bodies = match &op.request_body {
        Some(rb) => match lower_body(
            cx,
            space,
            r,
            rb,
            &format!("{base_hint}Body"),
            &pointer(at, "requestBody"),
        ) {
            Ok(b) if !b.is_empty() => b,
            _ => return None,
        },
        None => Vec::new(),
    };
    let body = (!bodies.is_empty()).then(|| bodies.remove(0));
    let alternative_bodies = bodies;

    let returns = match lower_returns(cx, space, r, op, &base_hint, &params, at) {
        Ok(v) => v,
        Err(()) => return None,
    };

    let has_optional = params.iter().any(|p| !p.required);
    let params_struct = has_optional.then(|| {
        let wanted = format!("{base_hint}Params");
        let claimed = space.names.claim(&wanted, at);
        claimed.name
    });

    let security = op.security.as_ref().map(|reqs| {
        reqs.iter()
            .map(|req| req.keys().cloned().collect::<Vec<_>>())
            .collect::<Vec<_>>()
    });
    let security = security.filter(|s| *s != cx.security);

    Some(Operation {
        id,
        method: method.to_uppercase(),
        path: path.to_owned(),
        resource,
        method_name,
        summary: op.summary.clone(),
        description: op.description.clone(),
        docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
        deprecated: op.deprecated,
        params,
        params_struct,
        body,
        alternative_bodies,
        alternative_method_names: Vec::new(),
        returns,
        security,
        origin: at.to_owned(),
    })
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
    cx: &Context<'_>,
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
    let group = group.unwrap_or_else(|| match (cx.group_by_tags, op.tags.first()) {
        (true, Some(tag)) => vec![field_name(tag)],
        _ => Vec::new(),
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

fn resolve_param<'a>(
    cx: &'a Context<'_>,
    p: &'a ReferenceOr<Parameter>,
    at: &str,
    r: &mut Reporter<'_>,
) -> Option<(Parameter, String)> {
    match p {
        ReferenceOr::Item(p) => Some((p.clone(), at.to_owned())),
        ReferenceOr::Reference { reference } => {
            let target = resolve_component(reference, "parameters", at, r)?;
            match cx
                .doc
                .components
                .as_ref()
                .and_then(|c| c.parameters.get(&target))
            {
                Some(ReferenceOr::Item(p)) => {
                    Some((p.clone(), pointer("#/components/parameters", &target)))
                }
                Some(ReferenceOr::Reference { .. }) => {
                    r.error(at, "a parameter `$ref` to another `$ref` is not supported")
                        .help("point at the parameter itself");
                    None
                }
                None => {
                    r.error(
                        &pointer(at, "$ref"),
                        format!("dangling `$ref`: `{reference}` does not exist"),
                    )
                    .help("define it under components/parameters");
                    None
                }
            }
        }
    }
}

fn resolve_component(
    reference: &str,
    section: &str,
    at: &str,
    r: &mut Reporter<'_>,
) -> Option<String> {
    let prefix = format!("#/components/{section}/");
    match reference.strip_prefix(&prefix) {
        Some(name) => Some(name.replace("~1", "/").replace("~0", "~")),
        None => {
            r.error(
                &pointer(at, "$ref"),
                format!("unsupported `$ref` `{reference}`: expected `{prefix}…`"),
            );
            None
        }
    }
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

fn lower_body(
    cx: &Context<'_>,
    space: &mut TypeSpace<'_>,
    r: &mut Reporter<'_>,
    rb: &ReferenceOr<RequestBody>,
    hint: &str,
    at: &str,
) -> Result<Vec<Body>, ()> {
    let (body, body_at, hint) = match rb {
        ReferenceOr::Item(b) => (b.clone(), at.to_owned(), hint.to_owned()),
        ReferenceOr::Reference { reference } => {
            let Some(name) = resolve_component(reference, "requestBodies", at, r) else {
                return Err(());
            };
            match cx
                .doc
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(&name))
            {
                Some(ReferenceOr::Item(b)) => (
                    b.clone(),
                    pointer("#/components/requestBodies", &name),
                    type_name(&name),
                ),
                _ => {
                    r.error(
                        &pointer(at, "$ref"),
                        format!("dangling `$ref`: `{reference}` does not exist"),
                    )
                    .help("define it under components/requestBodies");
                    return Err(());
                }
            }
        }
    };
    let supported = supported_media(&body.content);
    if supported.is_empty() {
        let types = media_list(body.content.keys());
        r.warning(
            &pointer(&body_at, "content"),
            format!("unsupported request media type(s) {types}; the operation is skipped"),
        )
        .help("JSON, form, multipart, text/* and binary bodies are supported");
        return Err(());
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
            (BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart, Some(schema)) => {
                space.lower(
                    schema,
                    &Hint::named(hint.clone()),
                    &pointer(&content_at, "schema"),
                    r,
                )
            }
            (BodyEncoding::Json, None) => Ty::Json,
            (BodyEncoding::Form | BodyEncoding::Multipart, None) => Ty::JsonObject,
            (BodyEncoding::Text, _) => Ty::String,
            (BodyEncoding::Bytes, _) => Ty::Bytes,
        };
        if matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart)
            && !is_object(space, &ty)
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
    Ok(bodies)
}

fn is_object(space: &TypeSpace<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::JsonObject | Ty::Map(_) => true,
        Ty::Named(id) => space.is_struct(*id),
        _ => false,
    }
}

fn lower_returns(
    cx: &Context<'_>,
    space: &mut TypeSpace<'_>,
    r: &mut Reporter<'_>,
    op: &openapiv3::Operation,
    base_hint: &str,
    params: &[Param],
    at: &str,
) -> Result<Returns, ()> {
    let responses_at = pointer(at, "responses");
    let mut success: Vec<(u16, &ReferenceOr<Response>, String)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, resp)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => {
                Some((*c, resp, pointer(&responses_at, &c.to_string())))
            }
            StatusCode::Range(2) => Some((299, resp, pointer(&responses_at, "2XX"))),
            _ => None,
        })
        .collect();
    success.sort_by_key(|(c, _, _)| *c);
    let chosen = match success.first() {
        Some((_, resp, resp_at)) => Some(((*resp).clone(), resp_at.clone())),
        None => op
            .responses
            .default
            .as_ref()
            .map(|d| (d.clone(), pointer(&responses_at, "default"))),
    };
    let Some((resp, resp_at)) = chosen else {
        r.warning(
            &responses_at,
            "no success response is declared; the method returns nothing",
        )
        .help("declare a `2XX` or `default` response");
        return Ok(Returns::Empty);
    };
    let (resp, resp_at, name_hint) = match resp {
        ReferenceOr::Item(resp) => (resp, resp_at, format!("{base_hint}Response")),
        ReferenceOr::Reference { reference } => {
            let Some(name) = resolve_component(&reference, "responses", &resp_at, r) else {
                return Err(());
            };
            match cx
                .doc
                .components
                .as_ref()
                .and_then(|c| c.responses.get(&name))
            {
                Some(ReferenceOr::Item(resp)) => (
                    resp.clone(),
                    pointer("#/components/responses", &name),
                    type_name(&name),
                ),
                _ => {
                    r.error(
                        &pointer(&resp_at, "$ref"),
                        format!("dangling `$ref`: `{reference}` does not exist"),
                    )
                    .help("define it under components/responses");
                    return Err(());
                }
            }
        }
    };
    if resp.content.is_empty() {
        return Ok(Returns::Empty);
    }
    let Some((media_type, encoding, media)) = pick_media(&resp.content) else {
        let types = media_list(resp.content.keys());
        r.warning(
            &pointer(&resp_at, "content"),
            format!("unsupported response media type(s) {types}; the body is returned as bytes"),
        );
        return Ok(Returns::Bytes);
    };
    match encoding {
        BodyEncoding::Text => return Ok(Returns::Text),
        BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart => {
            return Ok(Returns::Bytes)
        }
        BodyEncoding::Json => {}
    }
    let schema_at = pointer(
        &pointer(&pointer(&resp_at, "content"), &media_type),
        "schema",
    );
    let Some(schema) = &media.schema else {
        return Ok(Returns::Body(Ty::Json));
    };
    if let Some(envelope) = &cx.envelope {
        let flat = space.flatten(schema, &schema_at, r);
        if let Some((data_schema, data_at)) = flat.properties.get(&envelope.data) {
            let required = flat.required.contains(&envelope.data);
            let ty = space.lower(
                data_schema,
                &Hint::named(format!("{base_hint}Result")),
                data_at,
                r,
            );
            let paginated = cx.pagination.as_ref().is_some_and(|p| {
                params
                    .iter()
                    .any(|q| q.location == Location::Query && q.wire == p.page_param)
            }) && op.extensions.get("x-sdk-pagination")
                != Some(&serde_json::Value::Bool(false));
            return Ok(match ty {
                Ty::Array(item) if paginated => Returns::Page(*item),
                ty => Returns::Data { ty, required },
            });
        }
    }
    Ok(Returns::Body(space.lower(
        schema,
        &Hint::named(name_hint),
        &schema_at,
        r,
    )))
}
