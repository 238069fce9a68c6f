//! The SDK in one walk-through: read the account, update it, verify the
//! password, change it, change the email with a code, and handle a typed
//! error.
//!
//! ```sh
//! # Against a local emulator of Logto, started here (no network, no setup):
//! cargo run --example quickstart
//!
//! # Against a real Logto (the outbox steps are skipped; the password steps
//! # need LOGTO_PASSWORD, and LOGTO_NEW_PASSWORD to really change it):
//! LOGTO_ENDPOINT=https://my-tenant.logto.app LOGTO_ACCESS_TOKEN=... \
//!   LOGTO_PASSWORD=... LOGTO_NEW_PASSWORD=... cargo run --example quickstart
//! ```

mod support;

use std::error::Error as StdError;
use std::process::ExitCode;

use logto_account::{
    AccessToken, AccountClient, AccountUpdate, IdentityVerification, Password, VerificationCode,
};
use logto_account_emulator::{Emulator, NewUser};

/// Where the walk-through runs, and what it knows there.
struct Setup {
    client: AccountClient,
    /// The emulator, when there is no real Logto: it also holds the outbox.
    emulator: Option<Emulator>,
    current_password: Option<String>,
    new_password: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    support::report(run().await)
}

async fn run() -> Result<(), Box<dyn StdError>> {
    let setup = setup().await?;
    let client = &setup.client;

    println!("1. Read the account");
    let account = client.account().await?;
    println!("   id:       {}", account.id);
    println!(
        "   username: {}",
        account.username.as_deref().unwrap_or("-")
    );
    println!(
        "   email:    {}",
        account.primary_email.as_deref().unwrap_or("-")
    );
    println!("   name:     {}", account.name.as_deref().unwrap_or("-"));

    println!("2. Update the display name");
    let renamed = client
        .update_account(&AccountUpdate::new().name("Ada Lovelace"))
        .await?;
    println!(
        "   name is now {:?}",
        renamed.name.as_deref().unwrap_or("-")
    );
    if setup.emulator.is_none() {
        // A real account: put the name back.
        let restore = match &account.name {
            Some(name) => AccountUpdate::new().name(name.clone()),
            None => AccountUpdate::new().clear_name(),
        };
        client.update_account(&restore).await?;
        println!(
            "   (and back to {:?}, this being a real account)",
            account.name.as_deref().unwrap_or("-")
        );
    }

    let Some(current) = setup.current_password.as_deref() else {
        println!("3-6. Skipped: set LOGTO_PASSWORD to verify the password and go on.");
        return Ok(());
    };
    println!("3. Verify the current password (proof of identity for sensitive changes)");
    let proof = client.verify_password(&Password::new(current)).await?;
    println!("   proof valid until {}", proof.expires_at());

    println!("4. Try a weak new password");
    match client
        .change_password(&proof, &Password::new("123456"))
        .await
    {
        Err(error) if !error.password_issues().is_empty() => {
            println!(
                "   rejected ({}); the password needs:",
                error.status().map_or(0, |s| s.as_u16())
            );
            for issue in error.password_issues() {
                println!("   - {issue}");
            }
        }
        Err(other) => return Err(other.into()),
        Ok(()) => println!("   accepted?! This tenant's password policy is lax."),
    }

    println!("5. Change the password");
    match &setup.new_password {
        Some(new) => {
            client
                .change_password(&proof, &Password::new(new.clone()))
                .await?;
            println!("   changed");
        }
        None => println!("   skipped: set LOGTO_NEW_PASSWORD to really change it"),
    }

    println!("6. Change the email with a code");
    match &setup.emulator {
        Some(emulator) => change_email(client, emulator, &proof).await?,
        None => {
            println!("   skipped: the code goes to a real inbox (see examples/change_email.rs)")
        }
    }
    Ok(())
}

/// Sends a code to the new address, reads it from the emulator's outbox,
/// verifies it and makes the address primary.
async fn change_email(
    client: &AccountClient,
    emulator: &Emulator,
    proof: &IdentityVerification,
) -> Result<(), Box<dyn StdError>> {
    let new_address = "ada@lovelace.dev";
    let pending = client.send_email_code(new_address).await?;
    let code = emulator
        .last_code_sent_to(new_address)
        .ok_or("the emulator sent no code")?;
    println!("   code {code} sent to {new_address} (read from the emulator's outbox)");
    let verified_email = client
        .verify_code(&pending, &VerificationCode::new(code))
        .await?;
    client.change_email(proof, &verified_email).await?;
    let account = client.account().await?;
    println!(
        "   primary email is now {}",
        account.primary_email.as_deref().unwrap_or("-")
    );
    Ok(())
}

/// A real Logto when `LOGTO_ENDPOINT` and `LOGTO_ACCESS_TOKEN` are set,
/// otherwise an emulator with a demo user.
async fn setup() -> Result<Setup, Box<dyn StdError>> {
    if let (Ok(endpoint), Ok(token)) = (
        std::env::var("LOGTO_ENDPOINT"),
        std::env::var("LOGTO_ACCESS_TOKEN"),
    ) {
        println!("Using the Logto at {endpoint}\n");
        return Ok(Setup {
            client: AccountClient::new(&endpoint, AccessToken::new(token))?,
            emulator: None,
            current_password: std::env::var("LOGTO_PASSWORD").ok(),
            new_password: std::env::var("LOGTO_NEW_PASSWORD").ok(),
        });
    }
    let emulator = Emulator::start().await?;
    let password = "correct horse battery staple";
    let user_id = emulator.create_user(
        NewUser::new()
            .username("ada")
            .password(password)
            .email("ada@example.com")
            .name("Ada"),
    )?;
    let token = emulator.issue_default_token(&user_id);
    println!(
        "No LOGTO_ENDPOINT and LOGTO_ACCESS_TOKEN: using a Logto emulator at {} with a demo user\n",
        emulator.base_url()
    );
    Ok(Setup {
        client: AccountClient::new(emulator.base_url(), AccessToken::new(token))?,
        emulator: Some(emulator),
        current_password: Some(password.to_owned()),
        new_password: Some("a much better passphrase".to_owned()),
    })
}
