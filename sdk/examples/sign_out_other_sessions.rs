//! Sign out everywhere else: list the user's sign-in sessions and revoke
//! every one but the current one, with the grants it authorized, so the
//! tokens those devices hold stop working too.
//!
//! Logto tells which session is the current one: `Session::is_current` marks
//! the session whose sign-in issued the client's access token.
//!
//! Against the emulator by default, where the demo user is also signed in on
//! a phone and a tablet (each token the emulator issues is one sign-in). For
//! a real Logto set `LOGTO_ENDPOINT`, `LOGTO_ACCESS_TOKEN` and
//! `LOGTO_PASSWORD`; the token needs the `urn:logto:scope:sessions` scope
//! and the account center's `session` field must be editable.
//!
//! ```sh
//! cargo run --example sign_out_other_sessions
//! ```

mod support;

use logto_account::{AccessToken, AccountClient};
use logto_account_emulator::DEFAULT_SCOPES;
use support::{Result, Session};

/// The scope that lets a token list and revoke sessions.
const SESSIONS_SCOPE: &str = "urn:logto:scope:sessions";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    support::report(run().await)
}

async fn run() -> Result<()> {
    let session = Session::start().await?;
    let mut client = session.client.clone();
    let mut phone = None;
    if let Some(emulator) = &session.emulator {
        println!("0. The demo user also signs in on a phone and a tablet");
        let user_id = client.account().await?.id;
        let phone_token = emulator.issue_default_token(&user_id);
        phone = Some(client.with_token(AccessToken::new(phone_token))?);
        emulator.issue_default_token(&user_id);
        // This client signs in last, asking for the sessions scope too.
        let scopes: Vec<&str> = DEFAULT_SCOPES
            .iter()
            .copied()
            .chain([SESSIONS_SCOPE])
            .collect();
        client = client.with_token(AccessToken::new(emulator.issue_token(&user_id, &scopes)))?;
    }

    println!("1. Verify the current password");
    let proof = client.verify_password(&session.current_password()?).await?;

    println!("2. List the sessions");
    let sessions = client.sessions(&proof).await?;
    for each in &sessions {
        let marker = if each.is_current { " (this one)" } else { "" };
        println!("   {} since {}{marker}", each.id, each.signed_in_at);
    }

    println!("3. Revoke every other session and its grants");
    for each in sessions.iter().filter(|each| !each.is_current) {
        client.revoke_session(&proof, &each.id).await?;
        println!("   signed out {}", each.id);
    }

    println!("4. What is left");
    let left = client.sessions(&proof).await?;
    println!(
        "   {} session(s), current: {}",
        left.len(),
        left.iter().all(|each| each.is_current)
    );
    if let Some(phone) = phone {
        check_signed_out(&phone).await?;
    }
    Ok(())
}

/// The phone's token was revoked with its session's grant.
async fn check_signed_out(phone: &AccountClient) -> Result<()> {
    match phone.account().await {
        Ok(_) => Err("the phone is still signed in".into()),
        Err(error) => {
            println!("   the phone's token is refused: {error}");
            Ok(())
        }
    }
}
