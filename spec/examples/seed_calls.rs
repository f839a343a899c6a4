//! The three calls of the API reference's own examples (create a configuration, list
//! the configurations, update a configuration's credentials), written from the rustdoc
//! alone, with the reference's values. The README's quick start is this file.
//!
//! Against a local Prism mock of the spec (`npm ci`, then
//! `npx prism mock spec/token_validation.yaml` listens on port 4010):
//!
//! ```sh
//! CLOUDFLARE_BASE_URL=http://127.0.0.1:4010 CLOUDFLARE_API_TOKEN=test \
//!   cargo run -p cloudflare-token-validation --example seed_calls
//! ```

use cloudflare_token_validation::types::{
    CreateConfigRequest, CredentialsRequest, JwkEs256, TokenType,
};
use cloudflare_token_validation::{Client, ConfigurationListParams, Error};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CONFIG: &str = "4a7ee8d3-dd63-4ceb-9d5f-c27831854ce7";

#[tokio::main]
async fn main() -> Result<(), Error> {
    // CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY), CLOUDFLARE_BASE_URL.
    let client = Client::from_env()?;
    let configuration = client.token_validation().configuration();
    let key = JwkEs256::new(
        "38013f13-c266-4eec-a72a-92ec92779f21",
        "KN53JRwN3wCjm2o39bvZUX2VdrsHzS8pxOAGjm8m7EQ",
        "lnkkzIxaveggz-HFhcMWW15nxvOj0Z_uQsXbpK0GFcY",
    );

    // Create a configuration.
    let request = CreateConfigRequest::new(
        CredentialsRequest::new([key.clone().into()]),
        "Long description for Token Validation Configuration",
        "Example Token Validation Configuration",
        [r#"http.request.headers["x-auth"][0]"#.to_owned()],
        TokenType::Jwt,
    );
    let created = configuration.create(ZONE, &request).await?;
    println!("created {} ({})", created.id, created.title);

    // List the configurations (one page; `.items()` streams them all).
    let page = configuration
        .list(ZONE, ConfigurationListParams::new())
        .await?;
    println!("{} configuration(s) on the first page", page.items.len());

    // Update a configuration's credentials (the API reference's Python SDK example).
    let updated = configuration
        .credentials()
        .update(ZONE, CONFIG, &CredentialsRequest::new([key.into()]))
        .await?;
    for key in &updated.keys {
        println!("key {} ({})", key.kid(), key.alg());
    }
    Ok(())
}
