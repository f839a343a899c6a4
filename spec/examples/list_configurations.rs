//! Lists every Token Validation configuration of a zone, fetching page after page as
//! the stream is read (`Call::items`).
//!
//! Against the real API (an API token with the "Domain API Gateway Read" permission):
//!
//! ```sh
//! CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ZONE_ID=<32-character zone id> \
//!   cargo run -p cloudflare-token-validation --example list_configurations
//! ```
//!
//! Against a local Prism mock of the spec (`npx prism mock spec/token_validation.yaml`
//! listens on port 4010), which serves the spec's example zone:
//!
//! ```sh
//! CLOUDFLARE_BASE_URL=http://127.0.0.1:4010 CLOUDFLARE_API_TOKEN=test \
//!   cargo run -p cloudflare-token-validation --example list_configurations
//! ```
//!
//! `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY` work instead of `CLOUDFLARE_API_TOKEN`.

// `StreamExt` brings `.next()` to the page and item streams.
use cloudflare_token_validation::{Client, ConfigurationListParams, StreamExt};

/// The zone of the spec's examples, used when `CLOUDFLARE_ZONE_ID` is not set.
const EXAMPLE_ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let zone = std::env::var("CLOUDFLARE_ZONE_ID")
        .ok()
        .filter(|z| !z.is_empty())
        .unwrap_or_else(|| EXAMPLE_ZONE.to_owned());

    // 50 per request (the API's maximum); the stream asks for the next page when the
    // current one is used up, and ends after the last page.
    let params = ConfigurationListParams::new().per_page(50);
    let mut configurations = client
        .token_validation()
        .configuration()
        .list(&zone, params)
        .items();

    let mut count = 0;
    while let Some(configuration) = configurations.next().await {
        // An error (API, network, decoding) ends the stream after it is yielded.
        let configuration = configuration?;
        count += 1;
        let keys: Vec<String> = configuration
            .credentials
            .keys
            .iter()
            .map(|k| format!("{} ({})", k.kid(), k.alg()))
            .collect();
        println!("{}  {}", configuration.id, configuration.title);
        println!(
            "    tokens from: {}",
            configuration.token_sources.join(", ")
        );
        println!("    keys:        {}", keys.join(", "));
    }
    println!("{count} configuration(s) in zone {zone}");
    Ok(())
}
