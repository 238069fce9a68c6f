//! Reads the signed-in user's account, then (if asked) verifies the current
//! password and changes it.
//!
//! ```sh
//! LOGTO_ENDPOINT=https://my-tenant.logto.app LOGTO_ACCESS_TOKEN=... \
//!   cargo run --example quickstart
//! # and to change the password too:
//! LOGTO_PASSWORD=old LOGTO_NEW_PASSWORD=new ... cargo run --example quickstart
//! ```

use std::process::ExitCode;

use logto_account::{AccessToken, AccountClient, Error, Password};

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(endpoint), Ok(token)) = (
        std::env::var("LOGTO_ENDPOINT"),
        std::env::var("LOGTO_ACCESS_TOKEN"),
    ) else {
        eprintln!(
            "Set LOGTO_ENDPOINT (e.g. https://my-tenant.logto.app) and LOGTO_ACCESS_TOKEN \
             (a user's opaque access token, requested without a resource) to run the quickstart."
        );
        return ExitCode::from(2);
    };
    match run(&endpoint, AccessToken::new(token)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(endpoint: &str, token: AccessToken) -> Result<(), Error> {
    let client = AccountClient::new(endpoint, token)?;

    let account = client.profile().await?;
    println!(
        "Signed in as {} ({})",
        account.id,
        account.username.as_deref().unwrap_or("no username")
    );
    println!(
        "  email: {}",
        account.primary_email.as_deref().unwrap_or("-")
    );
    println!("  name:  {}", account.name.as_deref().unwrap_or("-"));

    let (Ok(current), Ok(new)) = (
        std::env::var("LOGTO_PASSWORD"),
        std::env::var("LOGTO_NEW_PASSWORD"),
    ) else {
        println!("Set LOGTO_PASSWORD and LOGTO_NEW_PASSWORD to change the password too.");
        return Ok(());
    };
    let proof = client.verify_password(&Password::new(current)).await?;
    println!(
        "Password verified; the proof expires at {}",
        proof.expires_at()
    );
    match client.change_password(&proof, &Password::new(new)).await {
        Ok(()) => println!("Password changed."),
        Err(Error::Api(api)) if !api.password_issues().is_empty() => {
            println!("The new password was rejected: {:?}", api.password_issues());
        }
        Err(error) => return Err(error),
    }
    Ok(())
}
