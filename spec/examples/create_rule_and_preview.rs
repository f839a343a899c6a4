//! Creates a Token Validation rule that logs requests to a host's API operations when
//! they lack a valid token of a configuration, then previews which of the zone's
//! operations the rule's selector covers.
//!
//! Against the real API (this creates a rule; an API token with the "Domain API
//! Gateway" permission):
//!
//! ```sh
//! CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ZONE_ID=<32-character zone id> \
//! CLOUDFLARE_TOKEN_CONFIG_ID=<configuration id> CLOUDFLARE_API_HOST=api.example.com \
//!   cargo run -p cloudflare-token-validation --example create_rule_and_preview
//! ```
//!
//! Against a local Prism mock of the spec (`npx prism mock spec/token_validation.yaml`
//! listens on port 4010), which serves the spec's example zone and configuration:
//!
//! ```sh
//! CLOUDFLARE_BASE_URL=http://127.0.0.1:4010 CLOUDFLARE_API_TOKEN=test \
//!   cargo run -p cloudflare-token-validation --example create_rule_and_preview
//! ```

use cloudflare_token_validation::types::{
    Action, CreateRuleRequest, OperationState, Selector, SelectorInclude,
};
use cloudflare_token_validation::{Client, RulesPreviewParams};

/// The zone of the spec's examples, used when `CLOUDFLARE_ZONE_ID` is not set.
const EXAMPLE_ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// The configuration of the spec's examples, used when `CLOUDFLARE_TOKEN_CONFIG_ID` is not set.
const EXAMPLE_CONFIG: &str = "4a7ee8d3-dd63-4ceb-9d5f-c27831854ce7";

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let zone = env_or("CLOUDFLARE_ZONE_ID", EXAMPLE_ZONE);
    let config_id = env_or("CLOUDFLARE_TOKEN_CONFIG_ID", EXAMPLE_CONFIG);
    let host = env_or("CLOUDFLARE_API_HOST", "api.example.com");
    let rules = client.token_validation().rules();

    // `log` reports requests without a valid token; switch to `Action::Block` once
    // the log shows only the traffic you expect to lose.
    let selector = Selector::new().with_include([SelectorInclude::new().with_host([host.clone()])]);
    let request = CreateRuleRequest::new(
        Action::Log,
        "Requests to the public API must carry a valid token",
        true,
        format!(r#"is_jwt_valid("{config_id}")"#),
        selector,
        format!("JWT required on {host}"),
    );
    let rule = rules.create(&zone, &request).await?;
    println!("created rule {} ({}, {})", rule.id, rule.title, rule.action);

    // The preview lists the zone's operations with the state the selector gives them;
    // ask only for the covered ones.
    let params = RulesPreviewParams::new()
        .state(vec![OperationState::Included])
        .per_page(50);
    let preview = rules.preview(&zone, params, &rule.selector).await?;
    println!(
        "the rule covers {} of {} operation(s):",
        preview.included.unwrap_or_default(),
        preview.total.unwrap_or_default()
    );
    for operation in preview.operations.iter().flatten() {
        println!(
            "    {:7} {}{}",
            operation.method.as_ref().map_or("?", |m| m.as_str()),
            operation.host.as_deref().unwrap_or(""),
            operation.endpoint.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
