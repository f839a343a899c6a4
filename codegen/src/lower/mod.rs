//! Stage 2, lower and check: the typed document → the [`Api`] IR.
//!
//! Passes, in order: read the `x-sdk-*` extensions; lower security schemes; reserve and
//! convert component schemas into the type arena ([`arena`]); lower every operation
//! ([`operation`]); place operations into resources; then the cross-cutting passes:
//! read/write-only directions ([`directions`]), containment cycles ([`cycles`]), and the
//! checks in [`check`]; last, prune the types no operation reaches.
//!
//! A schema is lowered in two steps: [`flatten`] follows its `$ref`s and merges its
//! `allOf` into one view, and [`kinds`] turns that view into a primitive or a named type.
//! Every `$ref`, into `components` or anywhere else in the document, is resolved by
//! [`refs`]; operations without names, tags or declared path parameters get them from
//! their path ([`paths`]). Emission never runs on an IR
//! whose lowering reported an error.

mod arena;
mod check;
mod cycles;
mod directions;
mod features;
mod flatten;
mod kinds;
mod media;
mod operation;
mod paths;
mod refs;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme as OaScheme};
use serde_json::Value;

use crate::diag::Reporter;
use crate::ir::{Api, Envelope, Location, Pagination, Resource, SchemeKind, SecurityScheme, Ty};
use crate::load::Loaded;
use crate::naming::{field_name, taken_by, type_name, Namespace};
use crate::pointer::{kind, Pointer};
use crate::runtime;
use crate::settings::ResourceFeatures;
use arena::TypeSpace;
use refs::PATH_ITEMS;

/// What every operation needs to know about the document.
#[derive(Debug)]
pub(crate) struct Context<'d> {
    pub(crate) doc: &'d openapiv3::OpenAPI,
    /// The raw document, where `$ref`s that name no component are resolved.
    pub(crate) raw: &'d Value,
    /// Leading path segments every path shares, skipped when placing by path.
    pub(crate) path_prefix: usize,
    pub(crate) envelope: Option<Envelope>,
    pub(crate) pagination: Option<Pagination>,
    pub(crate) security: Vec<Vec<String>>,
}

/// Lowers the document; `features` says whether top-level resources become Cargo
/// features (with the spec's `x-sdk-resource-features` and its size, for `Auto`).
pub(crate) fn lower(
    loaded: &Loaded<'_>,
    features: ResourceFeatures,
    r: &mut Reporter<'_>,
) -> Option<Api> {
    let doc = &loaded.doc;
    let root = &loaded.raw;
    let cx = Context {
        doc,
        raw: root,
        path_prefix: paths::common_prefix(doc.paths.paths.keys().map(String::as_str)),
        envelope: read_envelope(root, r),
        pagination: read_pagination(root, r),
        security: document_security(doc),
    };
    let base_url_env = read_base_url_env(root, r);
    let crate_version = read_crate_version(root, r);
    let declared_features = read_resource_features(root, r);
    let schemes = lower_schemes(doc, r);
    check_security(&cx.security, &schemes, r);

    let empty = indexmap::IndexMap::new();
    let components = doc.components.as_ref().map_or(&empty, |c| &c.schemas);
    let names = Namespace::with_reserved(&[runtime::DESCRIPTOR]);
    let mut space = TypeSpace::new(components, root, names);
    space.reserve_components(r);
    space.convert_components(r);
    let mut operations = lower_operations(&cx, &mut space, r);
    let mut webhooks = lower_webhooks(&loaded.webhooks, &mut space, r);

    let requests: Vec<Ty> = operations
        .iter()
        .flat_map(|o| {
            o.body
                .iter()
                .chain(&o.alternative_bodies)
                .map(|b| b.ty.clone())
                .chain(o.params.iter().map(|p| p.ty.clone()))
        })
        .collect();
    let responses: Vec<Ty> = operations
        .iter()
        .filter_map(|o| o.returns.ty().cloned())
        .chain(webhooks.iter().map(|w| w.ty.clone()))
        .collect();
    space.apply_directions(&requests, &responses);
    space.break_cycles();

    let resources = place_resources(&mut operations, &mut space, r);
    check::run(&operations, &space, r);
    if r.has_errors() {
        return None;
    }

    let mut roots = requests;
    roots.extend(responses);
    let (types, map) = space.into_types(&roots);
    for op in &mut operations {
        for ty in op.tys_mut() {
            directions::remap(ty, &map);
        }
    }
    for hook in &mut webhooks {
        directions::remap(&mut hook.ty, &map);
    }
    let info = &doc.info;
    let base_url = base_url(doc, r);
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        crate_version,
        description: info.description.clone(),
        base_url,
        base_url_env,
        schemes,
        security: cx.security,
        envelope: cx.envelope,
        pagination: cx.pagination,
        types,
        resources,
        operations,
        webhooks,
    };
    if features.enabled(declared_features, api.operations.len()) {
        features::assign(&mut api, r);
    }
    Some(api)
}

/// The payload type of every webhook; a webhook's variant is named after it (and its
/// method, when it has several).
fn lower_webhooks(
    hooks: &[crate::load::Webhook],
    space: &mut TypeSpace<'_>,
    r: &mut Reporter<'_>,
) -> Vec<crate::ir::Webhook> {
    let mut ns = Namespace::default();
    hooks
        .iter()
        .map(|hook| {
            let methods = hooks.iter().filter(|h| h.key == hook.key).count();
            let wanted = if methods > 1 {
                type_name(&format!("{} {}", hook.key, hook.method))
            } else {
                type_name(&hook.key)
            };
            let claimed = ns.claim(&wanted, &hook.key);
            if let Some(other) = claimed.collided_with {
                r.warning(
                    &hook.at,
                    format!("webhooks `{}` and `{other}` have the same Rust name; this one becomes `{}`", hook.key, claimed.name),
                );
            }
            let hint = arena::Hint::named(format!("{}Payload", claimed.name));
            let ty = space.lower(&hook.schema, &hint, &hook.at, r);
            crate::ir::Webhook {
                name: claimed.name,
                key: hook.key.clone(),
                method: hook.method.clone(),
                ty,
                doc: hook.doc.clone(),
                origin: hook.at.to_string(),
            }
        })
        .collect()
}

/// Every operation under `paths`, in spec order; those that cannot be generated are
/// reported and left out.
fn lower_operations(
    cx: &Context<'_>,
    space: &mut TypeSpace<'_>,
    r: &mut Reporter<'_>,
) -> Vec<crate::ir::Operation> {
    let mut operations = Vec::new();
    // Derived `operationId`s must not take one the document spells out.
    let mut ids: BTreeSet<String> = cx
        .doc
        .paths
        .paths
        .values()
        .filter_map(ReferenceOr::as_item)
        .flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone()))
        .collect();
    let mut first_use = BTreeMap::new();
    for (path, item) in &cx.doc.paths.paths {
        let mut item_at = Pointer::root().join("paths").join(path);
        let item = match item {
            ReferenceOr::Item(item) => Cow::Borrowed(item),
            ReferenceOr::Reference { reference } => {
                let Some(found) = PATH_ITEMS.resolve_item(reference, None, cx.raw, &item_at, r)
                else {
                    continue;
                };
                item_at = found.at;
                found.value
            }
        };
        if item.iter().next().is_none() {
            r.warning(&item_at, format!("path `{path}` has no operations"))
                .help("add an operation or remove the path");
            continue;
        }
        let (template, converted) = paths::normalize(path);
        if !converted.is_empty() {
            r.warning(
                Pointer::root().join("paths").join(path),
                format!("`{path}` is not a path template; read as `{template}`"),
            )
            .help(format!("write path parameters as `{{name}}`: `{template}`"));
        }
        for (method, op) in item.iter() {
            let site = operation::Site {
                path: &template,
                method,
                op,
                path_params: &item.parameters,
                at: item_at.join(method),
            };
            let mut lowering = operation::Lowering {
                cx,
                space,
                r,
                ids: &mut ids,
                first_use: &mut first_use,
            };
            operations.extend(lowering.operation(&site));
        }
    }
    operations
}

/// The document's security alternatives, each a list of scheme names.
fn document_security(doc: &openapiv3::OpenAPI) -> Vec<Vec<String>> {
    doc.security
        .as_ref()
        .map(|reqs| {
            reqs.iter()
                .map(|req| req.keys().cloned().collect())
                .collect()
        })
        .unwrap_or_default()
}

/// Every scheme a security requirement names must be declared.
fn check_security(security: &[Vec<String>], schemes: &[SecurityScheme], r: &mut Reporter<'_>) {
    for (i, alternative) in security.iter().enumerate() {
        for name in alternative {
            if !schemes.iter().any(|s| s.name == *name) {
                r.error(
                    Pointer::root().join("security").index(i).join(name),
                    format!("security requirement names unknown scheme `{name}`"),
                )
                .help("declare it under components/securitySchemes");
            }
        }
    }
}

/// `x-sdk-resource-features: true|false`: the spec's own say on per-resource features,
/// which [`ResourceFeatures::Auto`] follows.
fn read_resource_features(root: &Value, r: &mut Reporter<'_>) -> Option<bool> {
    let key = "x-sdk-resource-features";
    match root.get(key)? {
        Value::Bool(on) => Some(*on),
        other => {
            r.error(
                Pointer::root().join(key),
                format!(
                    "invalid extension value: expected `true` or `false`, found {}",
                    kind(other)
                ),
            )
            .help("write `x-sdk-resource-features: true` for one Cargo feature per resource");
            None
        }
    }
}

fn read_base_url_env(root: &Value, r: &mut Reporter<'_>) -> Option<String> {
    match root.get("x-sdk-base-url-env") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            r.error(
                Pointer::root().join("x-sdk-base-url-env"),
                format!(
                    "invalid extension value: expected an environment variable name, found {}",
                    kind(other)
                ),
            );
            None
        }
    }
}

/// `info.x-crate-version`: the generated crate's version, owned by the spec so that the
/// version check in `regenerate` reads it where the change is made.
fn read_crate_version(root: &Value, r: &mut Reporter<'_>) -> Option<String> {
    let at = Pointer::root().join("info").join("x-crate-version");
    let found = match root.get("info")?.get("x-crate-version")? {
        Value::String(s) => crate::semver::Version::parse(s).map(|v| v.to_string()),
        other => Err(format!(
            "expected semver text such as `0.1.0`, found {}",
            kind(other)
        )),
    };
    found
        .map_err(|message| {
            r.error(at, format!("invalid crate version: {message}"))
                .help(
                "write `x-crate-version: MAJOR.MINOR.PATCH`, for example `x-crate-version: 0.1.0`",
            );
        })
        .ok()
}

fn base_url(doc: &openapiv3::OpenAPI, r: &mut Reporter<'_>) -> String {
    let Some(server) = doc.servers.first() else {
        r.warning(
            Pointer::root(),
            "no `servers` entry; the client needs a base URL at run time",
        )
        .help("add `servers: [{url: https://…}]`");
        return String::new();
    };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        r.warning(
            Pointer::root().join("servers").index(0).join("url"),
            format!("server URL `{url}` is not absolute; the client needs a base URL at run time"),
        );
    }
    url
}

fn read_envelope(root: &Value, r: &mut Reporter<'_>) -> Option<Envelope> {
    let v = root.get("x-sdk-envelope")?;
    let at = &Pointer::root().join("x-sdk-envelope");
    let Some(map) = v.as_object() else {
        r.error(at, format!("invalid extension value: expected a mapping with `data`, found {}", kind(v)))
            .help("write `x-sdk-envelope: {data: result, success: success, errors: errors, messages: messages}`");
        return None;
    };
    let get = |key: &str, r: &mut Reporter<'_>| match map.get(key) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            r.error(
                at.join(key),
                format!(
                    "invalid extension value: `{key}` must be a property name, found {}",
                    kind(other)
                ),
            );
            None
        }
    };
    let data = get("data", r);
    let envelope = Envelope {
        data: data.clone().unwrap_or_default(),
        success: get("success", r),
        errors: get("errors", r),
        messages: get("messages", r),
    };
    for key in map.keys() {
        if !["data", "success", "errors", "messages"].contains(&key.as_str()) {
            r.error(
                at.join(key),
                format!("unknown key `{key}` in `x-sdk-envelope`"),
            )
            .help("known keys: data, success, errors, messages");
        }
    }
    if data.is_none() {
        r.error(
            at,
            "`x-sdk-envelope` needs `data`, the property that holds the payload",
        );
        return None;
    }
    Some(envelope)
}

fn read_pagination(root: &Value, r: &mut Reporter<'_>) -> Option<Pagination> {
    let v = root.get("x-sdk-pagination")?;
    let at = &Pointer::root().join("x-sdk-pagination");
    let Some(map) = v.as_object() else {
        r.error(at, format!("invalid extension value: expected a mapping, found {}", kind(v)))
            .help("write `x-sdk-pagination: {page: page, per-page: per_page, info: result_info, total-pages: total_pages}`");
        return None;
    };
    let mut get = |key: &str, required: bool| match map.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        None if !required => None,
        None => {
            r.error(at, format!("`x-sdk-pagination` needs `{key}`"));
            None
        }
        Some(other) => {
            r.error(
                at.join(key),
                format!(
                    "invalid extension value: `{key}` must be a name, found {}",
                    kind(other)
                ),
            );
            None
        }
    };
    let page = get("page", true);
    let per_page = get("per-page", true);
    let info = get("info", true);
    let total_pages = get("total-pages", false);
    for key in map.keys() {
        if !["page", "per-page", "info", "total-pages"].contains(&key.as_str()) {
            r.error(
                at.join(key),
                format!("unknown key `{key}` in `x-sdk-pagination`"),
            )
            .help("known keys: page, per-page, info, total-pages");
        }
    }
    Some(Pagination {
        page_param: page?,
        per_page_param: per_page?,
        info: info?,
        total_pages,
    })
}

fn lower_schemes(doc: &openapiv3::OpenAPI, r: &mut Reporter<'_>) -> Vec<SecurityScheme> {
    let mut out = Vec::new();
    let Some(components) = &doc.components else {
        return out;
    };
    let mut names = Namespace::with_methods_of("ClientBuilder", &runtime::methods("ClientBuilder"));
    for (name, scheme) in &components.security_schemes {
        let at = Pointer::root()
            .join("components")
            .join("securitySchemes")
            .join(name);
        let ReferenceOr::Item(scheme) = scheme else {
            r.error(&at, "security scheme `$ref`s are not supported")
                .help("write the scheme inline");
            continue;
        };
        let (scheme_kind, extensions, doc) = match scheme {
            OaScheme::HTTP {
                scheme: s,
                description,
                extensions,
                ..
            } => match s.to_ascii_lowercase().as_str() {
                "bearer" => (SchemeKind::Bearer, extensions, description),
                "basic" => (SchemeKind::Basic, extensions, description),
                other => {
                    r.warning(at.join("scheme"), format!("http scheme `{other}` is not supported; operations that need only it cannot authenticate"));
                    continue;
                }
            },
            OaScheme::APIKey {
                location,
                name: param,
                description,
                extensions,
            } => {
                let location = match location {
                    APIKeyLocation::Header => Location::Header,
                    APIKeyLocation::Query => Location::Query,
                    APIKeyLocation::Cookie => Location::Cookie,
                };
                (
                    SchemeKind::ApiKey {
                        location,
                        param: param.clone(),
                    },
                    extensions,
                    description,
                )
            }
            OaScheme::OAuth2 {
                description,
                extensions,
                ..
            }
            | OaScheme::OpenIDConnect {
                description,
                extensions,
                ..
            } => (SchemeKind::Bearer, extensions, description),
        };
        let env = match extensions.get("x-sdk-env") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                r.error(at.join("x-sdk-env"), format!("invalid extension value: `x-sdk-env` must be an environment variable name, found {}", kind(other)));
                None
            }
        };
        let claimed = names.claim(&field_name(name), name);
        if let Some(other) = claimed.collided_with {
            r.warning(
                &at,
                format!(
                    "builder method `{}` is taken by {}; this scheme's setter is `{}`",
                    field_name(name),
                    taken_by(&other),
                    claimed.name
                ),
            );
        }
        out.push(SecurityScheme {
            name: name.clone(),
            method_name: claimed.name,
            kind: scheme_kind,
            env,
            doc: doc.clone(),
        });
    }
    out
}

/// Creates a resource for every group path (and each of its prefixes) and makes method
/// names unique within each resource.
fn place_resources(
    operations: &mut [crate::ir::Operation],
    space: &mut TypeSpace<'_>,
    r: &mut Reporter<'_>,
) -> Vec<Resource> {
    let mut paths: BTreeMap<Vec<String>, ()> = BTreeMap::new();
    for op in operations.iter() {
        for n in 1..=op.resource.len() {
            paths.insert(op.resource[..n].to_vec(), ());
        }
    }
    // Accessor and method names share one namespace per parent resource: the client's
    // holds its runtime methods and constructors, a resource's its derived trait methods.
    let mut client_methods = runtime::methods("Client");
    client_methods.extend(runtime::CONSTRUCTORS);
    let resource_methods = runtime::trait_methods(&runtime::RESOURCE_DERIVES);
    let mut scopes: BTreeMap<Vec<String>, Namespace> = BTreeMap::new();
    scopes.insert(
        Vec::new(),
        Namespace::with_methods_of("Client", &client_methods),
    );
    let mut resources = Vec::new();
    for path in paths.keys() {
        let (parent, last) = path.split_at(path.len() - 1);
        let scope = scopes
            .entry(parent.to_vec())
            .or_insert_with(|| Namespace::with_reserved(&resource_methods));
        let accessor = scope.claim(&last[0], &path.join("."));
        let at = operations
            .iter()
            .find(|op| op.resource.starts_with(path))
            .map_or("#/paths", |op| op.origin.as_str());
        if let Some(other) = &accessor.collided_with {
            r.warning(
                at,
                format!(
                    "accessor `{}` for `{}` is taken by {}; it is `{}`",
                    last[0],
                    path.join("."),
                    taken_by(other),
                    accessor.name
                ),
            )
            .help("rename the tag or set a distinct `x-fern-sdk-group-name`");
        }
        let leaf = format!("{}Api", type_name(&last[0]));
        let wanted = if space.names.contains(&leaf) {
            format!("{}Api", type_name(&path.join("_")))
        } else {
            leaf
        };
        let claimed = space.names.claim(&wanted, &path.join("."));
        if let Some(other) = &claimed.collided_with {
            r.warning(
                at,
                format!(
                    "resource struct `{wanted}` for `{}` is taken by {}; it is `{}`",
                    path.join("."),
                    taken_by(other),
                    claimed.name
                ),
            );
        }
        resources.push(Resource {
            path: path.clone(),
            accessor: accessor.name,
            struct_name: claimed.name,
            doc: format!("Operations under `{}`.", path.join(".")),
            feature: None,
        });
    }
    name_methods(operations, &mut scopes, &resource_methods, r);
    resources
}

/// Makes every operation's method name, and those of its alternative-media methods,
/// unique within its resource's namespace, reporting each rename.
fn name_methods(
    operations: &mut [crate::ir::Operation],
    scopes: &mut BTreeMap<Vec<String>, Namespace>,
    resource_methods: &[&str],
    r: &mut Reporter<'_>,
) {
    for op in operations.iter_mut() {
        let scope = scopes
            .entry(op.resource.clone())
            .or_insert_with(|| Namespace::with_reserved(resource_methods));
        let claimed = scope.claim(&op.method_name, &op.id);
        if let Some(other) = claimed.collided_with {
            r.warning(
                &op.origin,
                format!(
                    "method name `{}` is taken by {} in the same resource; this one is `{}`",
                    op.method_name,
                    taken_by(&other),
                    claimed.name
                ),
            )
            .help("set a distinct `x-fern-sdk-method-name`");
            op.method_name = claimed.name;
        }
        // Other media types of the body get `<method>_<encoding>` methods, in the same scope.
        let mut names = Vec::new();
        for body in &op.alternative_bodies {
            let wanted = format!("{}_{}", op.method_name, body.encoding.method_suffix());
            let claimed = scope.claim(&wanted, &op.id);
            if let Some(other) = &claimed.collided_with {
                r.warning(
                    &op.origin,
                    format!(
                        "method name `{wanted}` is taken by {}; this one is `{}`",
                        taken_by(other),
                        claimed.name
                    ),
                );
            }
            names.push(claimed.name);
        }
        op.alternative_method_names = names;
    }
}
