//! Link and unlink a social account. Against the emulator by default, whose
//! fake provider's authorization page redirects straight back with a code;
//! with `LOGTO_ENDPOINT`, `LOGTO_ACCESS_TOKEN`, `LOGTO_PASSWORD` and
//! `LOGTO_CONNECTOR_ID` it prints the provider's URL and asks for the `code`
//! from the redirect.
//!
//! ```sh
//! cargo run --example link_social
//! ```

mod support;

use logto_account::SocialVerificationRequest;
use logto_account_emulator::MOCK_SOCIAL_CONNECTOR_ID;
use serde_json::{Map, Value};
use support::{Result, Session, ask};

const REDIRECT_URI: &str = "https://app.example/callback";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    support::report(run().await)
}

async fn run() -> Result<()> {
    let session = Session::start().await?;
    let client = &session.client;
    let connector_id =
        std::env::var("LOGTO_CONNECTOR_ID").unwrap_or_else(|_| MOCK_SOCIAL_CONNECTOR_ID.to_owned());

    println!("1. Start a social sign-in with connector {connector_id}");
    // In a web app: an unguessable value kept in the user's session and
    // compared with the one the provider sends back.
    let state = "example-state";
    let pending = client
        .start_social_verification(&SocialVerificationRequest {
            connector_id: connector_id.clone(),
            state: state.to_owned(),
            redirect_uri: REDIRECT_URI.to_owned(),
            scope: None,
        })
        .await?;
    println!("   send the user to {}", pending.authorization_uri());

    println!("2. Complete it with the code the provider sent back");
    let code = match &session.emulator {
        Some(emulator) => {
            // What the browser would do: the fake provider signs in at once.
            emulator.social_code_for(&connector_id, "octocat")
        }
        None => ask(&format!("`code` from the redirect to {REDIRECT_URI}: "))?,
    };
    let mut callback = Map::new();
    callback.insert("code".to_owned(), Value::String(code));
    callback.insert("state".to_owned(), Value::String(state.to_owned()));
    let social = client
        .complete_social_verification(&pending, callback)
        .await?;

    println!("3. Link it (with proof of identity: this user has a password)");
    let proof = client.verify_password(&session.current_password()?).await?;
    client.link_social_identity(&proof, &social).await?;
    let identities = client.account().await?.identities.unwrap_or_default();
    for (target, identity) in &identities {
        println!("   linked: {target} as {}", identity.user_id);
    }

    println!("4. Unlink it again");
    for target in identities.keys() {
        client.unlink_social_identity(&proof, target).await?;
        println!("   unlinked {target}");
    }
    Ok(())
}
