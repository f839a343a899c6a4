//! The pass over every operation, with the checks on the spec's examples.

use cloudflare_token_validation::types::{
    Action, CredentialsPatchRequest, CredentialsRequest, EditConfigRequest, EditRuleRequest,
    HmacAlgorithm, JwkOctPatchRequest, JwkResponse, Method, OperationState, PositionIndex,
    TokenType,
};
use cloudflare_token_validation::{
    Client, ConfigurationListParams, RulesListParams, RulesPreviewParams,
};

use crate::arguments::{
    bulk_edit_body, create_config_body, create_rule_body, es256_key, es384_key, oct_key, rsa_key,
    selector,
};
use crate::outcomes::Outcomes;
use crate::support::ZONE;
use crate::{CONFIG_ID, OTHER_CONFIG_ID, RULE_ID};

/// Calls every operation once. With `dynamic`, Prism generates each response body from
/// its schema; otherwise it serves the spec's examples, and the values are checked.
pub(crate) async fn every_operation(client: &Client, out: &mut Outcomes<'_>, dynamic: bool) {
    configurations(client, out, dynamic).await;
    credentials(client, out, dynamic).await;
    rules_listed_and_created(client, out, dynamic).await;
    rules_previewed_and_changed(client, out, dynamic).await;
}

/// The token configurations: list, create, get, edit, delete.
async fn configurations(client: &Client, out: &mut Outcomes<'_>, dynamic: bool) {
    let config = client.token_validation().configuration();
    let fixed = !dynamic;

    let op = "token-validation-config-list";
    let params = ConfigurationListParams::new().page(1).per_page(5);
    if let Some(page) = out
        .run(op, dynamic, || config.list(ZONE, params.clone()))
        .await
    {
        if fixed {
            out.check(op, page.items.len() == 1, || format!("{page:?}"));
            let info = page.info.as_ref();
            out.check(op, info.and_then(|i| i.page) == Some(1), || {
                format!("page counters {info:?}")
            });
        }
        for item in &page.items {
            out.check(op, item.id.len() == 36, || format!("id {:?}", item.id));
        }
    }

    let op = "token-validation-config-create";
    if let Some(created) = out
        .run(op, dynamic, || config.create(ZONE, &create_config_body()))
        .await
    {
        out.check(op, created.id.len() == 36, || {
            format!("id {:?}", created.id)
        });
        if fixed {
            out.check(op, created.token_type == TokenType::Jwt, || {
                format!("token_type {}", created.token_type)
            });
            let es256 = matches!(
                created.credentials.keys.first(),
                Some(JwkResponse::Es256(_))
            );
            out.check(op, es256, || format!("keys {:?}", created.credentials.keys));
        }
    }

    let op = "token-validation-config-get";
    if let Some(got) = out.run(op, dynamic, || config.get(ZONE, CONFIG_ID)).await {
        out.check(op, !got.credentials.keys.is_empty(), || format!("{got:?}"));
        if fixed {
            out.check(op, got.created_at.year() == 2014, || {
                format!("created_at {}", got.created_at)
            });
            out.check(op, got.token_sources.len() == 2, || {
                format!("token_sources {:?}", got.token_sources)
            });
        }
    }

    let op = "token-validation-config-edit";
    let edit = EditConfigRequest::new()
        .with_title("Mobile app JWTs (v2)")
        .with_token_sources(vec![r#"http.request.headers["x-auth"][0]"#.to_owned()]);
    out.run(op, dynamic, || config.edit(ZONE, CONFIG_ID, &edit))
        .await;

    let op = "token-validation-config-delete";
    if let Some(deleted) = out
        .run(op, dynamic, || config.delete(ZONE, CONFIG_ID))
        .await
    {
        if fixed {
            let id_len = deleted.id.as_deref().map(str::len);
            out.check(op, id_len == Some(36), || format!("{deleted:?}"));
        }
    }
}

/// A configuration's credentials: replace them all, then patch some.
async fn credentials(client: &Client, out: &mut Outcomes<'_>, dynamic: bool) {
    let credentials = client.token_validation().configuration().credentials();
    let fixed = !dynamic;

    let op = "token-validation-config-credentials-update";
    let replace = CredentialsRequest::new(vec![
        rsa_key().into(),
        es256_key().into(),
        es384_key().into(),
        oct_key().into(),
    ]);
    if let Some(set) = out
        .run(op, dynamic, || {
            credentials.update(ZONE, CONFIG_ID, &replace)
        })
        .await
    {
        out.check(op, set.success, || format!("{set:?}"));
        if fixed {
            let es256 =
                matches!(set.keys.as_slice(), [JwkResponse::Es256(k)] if k.kid == es256_key().kid);
            out.check(op, es256, || format!("keys {:?}", set.keys));
        }
    }

    let op = "token-validation-config-credentials-edit";
    let keep_secret = JwkOctPatchRequest::new(oct_key().kid, HmacAlgorithm::Hs256);
    let rotate_secret = JwkOctPatchRequest::new("hmac-2026-12", HmacAlgorithm::Hs384)
        .with_k("DPvDutIkrB5XxE4ak426G-PUXL7ho1iAkNlzUh4WwPsDTviw2wlPCcALQRlfGIKk");
    let patch = CredentialsPatchRequest::new(vec![
        keep_secret.into(),
        rotate_secret.into(),
        es384_key().into(),
    ]);
    if let Some(set) = out
        .run(op, dynamic, || credentials.edit(ZONE, CONFIG_ID, &patch))
        .await
    {
        out.check(op, set.success && !set.keys.is_empty(), || {
            format!("{set:?}")
        });
    }
}

/// Rules listed with every filter, created one at a time and in bulk.
async fn rules_listed_and_created(client: &Client, out: &mut Outcomes<'_>, dynamic: bool) {
    let rules = client.token_validation().rules();
    let fixed = !dynamic;

    let op = "token-validation-rules-list";
    let params = RulesListParams::new()
        .page(1)
        .per_page(50)
        .token_configuration(vec![CONFIG_ID.to_owned(), OTHER_CONFIG_ID.to_owned()])
        .action(Action::Log)
        .enabled(true)
        .id(RULE_ID)
        .rule_id(RULE_ID)
        .host("api.example.com")
        .hostname("api.example.com");
    if let Some(page) = out
        .run(op, dynamic, || rules.list(ZONE, params.clone()))
        .await
    {
        if fixed {
            let log = page.items.first().map(|r| &r.action) == Some(&Action::Log);
            out.check(op, log, || format!("{page:?}"));
        }
    }

    let op = "token-validation-rules-create";
    let body = create_rule_body("Public API", Action::Block);
    if let Some(rule) = out.run(op, dynamic, || rules.create(ZONE, &body)).await {
        if fixed {
            let id_len = Some(rule.id.len());
            out.check(op, id_len == Some(36) && rule.created_at.is_some(), || {
                format!("{rule:?}")
            });
        }
    }

    let op = "token-validation-rules-bulk-create";
    let body = [
        create_rule_body("Public API", Action::Block),
        create_rule_body("Partner API", Action::Log),
    ];
    if let Some(created) = out
        .run(op, dynamic, || rules.bulk_create(ZONE, &body))
        .await
    {
        if fixed {
            out.check(op, !created.is_empty(), || format!("{created:?}"));
        }
    }
}

/// Rules edited in bulk, previewed, read, edited and deleted.
async fn rules_previewed_and_changed(client: &Client, out: &mut Outcomes<'_>, dynamic: bool) {
    let rules = client.token_validation().rules();
    let fixed = !dynamic;

    let op = "token-validation-rules-bulk-edit";
    out.run(op, dynamic, || rules.bulk_edit(ZONE, &bulk_edit_body()))
        .await;

    let op = "token-validation-rules-preview";
    let params = RulesPreviewParams::new()
        .page(1)
        .per_page(20)
        .state(vec![OperationState::Included, OperationState::Excluded])
        .host(vec!["api.example.com".to_owned()])
        .hostname(vec!["v2.api.example.com".to_owned()])
        .method(vec![Method::Get, Method::Post])
        .endpoint(vec!["/api/v1/users/{var1}".to_owned()]);
    if let Some(preview) = out
        .run(op, dynamic, || {
            rules.preview(ZONE, params.clone(), &selector())
        })
        .await
    {
        if fixed {
            let included = preview
                .operations
                .iter()
                .flatten()
                .any(|o| o.state == Some(OperationState::Included));
            out.check(op, included, || format!("{preview:?}"));
        }
    }

    let op = "token-validation-rules-get";
    if let Some(rule) = out.run(op, dynamic, || rules.get(ZONE, RULE_ID)).await {
        if fixed {
            out.check(op, rule.enabled && rule.title.len() <= 50, || {
                format!("{rule:?}")
            });
        }
    }

    let op = "token-validation-rules-edit";
    let edit = EditRuleRequest::new()
        .with_action(Action::Log)
        .with_enabled(false)
        .with_position(PositionIndex::new(2));
    out.run(op, dynamic, || rules.edit(ZONE, RULE_ID, &edit))
        .await;

    let op = "token-validation-rules-delete";
    out.run(op, dynamic, || rules.delete(ZONE, RULE_ID)).await;
}
