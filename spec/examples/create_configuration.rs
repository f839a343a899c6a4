//! Creates a Token Validation configuration that reads JWTs from the `Authorization`
//! header (or a `session` cookie) and checks them with one ES256 public key.
//!
//! Against the real API (this creates a configuration; an API token with the
//! "Domain API Gateway" permission):
//!
//! ```sh
//! CLOUDFLARE_API_TOKEN=... CLOUDFLARE_ZONE_ID=<32-character zone id> \
//!   cargo run -p cloudflare-token-validation --example create_configuration
//! ```
//!
//! Against a local Prism mock of the spec (`npx prism mock spec/token_validation.yaml`
//! listens on port 4010), which serves the spec's example zone:
//!
//! ```sh
//! CLOUDFLARE_BASE_URL=http://127.0.0.1:4010 CLOUDFLARE_API_TOKEN=test \
//!   cargo run -p cloudflare-token-validation --example create_configuration
//! ```
//!
//! Replace the key below with your token issuer's public key (one entry of its JWKS).

use cloudflare_token_validation::types::{
    CreateConfigRequest, CredentialsRequest, JwkEs256, TokenType,
};
use cloudflare_token_validation::Client;

/// The zone of the spec's examples, used when `CLOUDFLARE_ZONE_ID` is not set.
const EXAMPLE_ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let zone = std::env::var("CLOUDFLARE_ZONE_ID")
        .ok()
        .filter(|z| !z.is_empty())
        .unwrap_or_else(|| EXAMPLE_ZONE.to_owned());

    // `JwkEs256::new` fills in `kty`, `alg` and `crv`: an ES256 key cannot be built
    // with the wrong curve.
    let key = JwkEs256::new(
        "auth-example-com-2026-11",
        "CHjhGUHa68kLMvhcpgmZSXoIb45MxGrtpjkPwIHqOEE",
        "JJad4wG6lGCILbQo0rSMj-85VYbWAPebK0QZ7o2_5mU",
    );
    let request = CreateConfigRequest::new(
        CredentialsRequest::new([key.into()]),
        "JWTs issued by auth.example.com to the mobile apps",
        "Mobile app tokens",
        // Cloudflare Rules language fields; header names must be lowercase.
        [
            r#"http.request.headers["authorization"][0]"#.to_owned(),
            r#"http.request.cookies["session"][0]"#.to_owned(),
        ],
        TokenType::Jwt,
    );

    // The request is checked against the spec's limits (title length, 1-4 token
    // sources and keys, source patterns) before anything is sent.
    let created = client
        .token_validation()
        .configuration()
        .create(&zone, &request)
        .await?;

    println!("created configuration {} ({})", created.id, created.title);
    println!("    created at {}", created.created_at);
    println!("    {} key(s)", created.credentials.keys.len());
    println!(
        "use it in a rule expression as: is_jwt_valid(\"{}\")",
        created.id
    );
    Ok(())
}
