//! Rotates the keys of a Token Validation configuration: replaces its key set (PUT,
//! full replacement) with a new ES384 key plus the configuration's current public
//! keys, so tokens signed with either validate while issuers switch over.
//!
//! Against the real API (an API token with the "Domain API Gateway" permission):
//!
//! ```sh
//! CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ZONE_ID=<32-character zone id> \
//! CLOUDFLARE_TOKEN_CONFIG_ID=<configuration id> \
//!   cargo run -p cloudflare-token-validation --example rotate_credentials
//! ```
//!
//! Against a local Prism mock of the spec (`npx prism mock spec/token_validation.yaml`
//! listens on port 4010), which serves the spec's example zone and configuration:
//!
//! ```sh
//! CLOUDFLARE_BASE_URL=http://127.0.0.1:4010 CLOUDFLARE_API_TOKEN=test \
//!   cargo run -p cloudflare-token-validation --example rotate_credentials
//! ```

use cloudflare_token_validation::types::{CredentialsRequest, JwkEs384, JwkRequest, JwkResponse};
use cloudflare_token_validation::Client;

/// The zone of the spec's examples, used when `CLOUDFLARE_ZONE_ID` is not set.
const EXAMPLE_ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// The configuration of the spec's examples, used when `CLOUDFLARE_TOKEN_CONFIG_ID` is not set.
const EXAMPLE_CONFIG: &str = "4a7ee8d3-dd63-4ceb-9d5f-c27831854ce7";
/// A configuration holds at most this many keys.
const MAX_KEYS: usize = 4;

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
    let configuration = client.token_validation().configuration();

    let new_key = JwkEs384::new(
        "auth-example-com-2026-12",
        "GXrDao1ToH6UOhfqqSo0vqObMPicURV4TUdK2MtGZ588AHhz9btIjcuMtt3BIvyR",
        "CenHJY5D68gMKBNqD_Qwmvnc-NJysTu8SxjNfgkN8_Eg4CRSp-hY3AdY3Whk9gKR",
    );

    // The new key first, then the current public keys (the request and response
    // unions share their RSA and EC key types, so those convert directly).
    let current = configuration.get(&zone, &config_id).await?;
    let mut keys: Vec<JwkRequest> = vec![new_key.clone().into()];
    for key in current.credentials.keys {
        match key {
            JwkResponse::Rsa(k) => keys.push(k.into()),
            JwkResponse::Es256(k) => keys.push(k.into()),
            JwkResponse::Es384(k) if k.kid != new_key.kid => keys.push(k.into()),
            JwkResponse::Es384(_) => {}
            // The API never returns a symmetric key's secret, so a PUT cannot carry it
            // over; `credentials().edit` (PATCH) keeps stored secrets instead.
            JwkResponse::Oct(k) => {
                println!("dropping symmetric key {} (secret not returned)", k.kid)
            }
            // The union is `#[non_exhaustive]`: a key type the API adds later is a
            // minor release of this crate, and this example cannot carry it over.
            other => println!(
                "dropping key {} of a type this client does not know",
                other.kid()
            ),
        }
    }
    if keys.len() > MAX_KEYS {
        println!("keeping the newest {MAX_KEYS} of {} keys", keys.len());
        keys.truncate(MAX_KEYS);
    }

    // Note: this call returns the key set at the top level of the envelope (an API
    // oddity), so the result is the whole body: `success`, `messages` and `keys`.
    let updated = configuration
        .credentials()
        .update(&zone, &config_id, &CredentialsRequest::new(keys))
        .await?;

    println!(
        "configuration {config_id} now has {} key(s):",
        updated.keys.len()
    );
    for key in &updated.keys {
        println!("    {} ({})", key.kid(), key.alg());
    }
    Ok(())
}
