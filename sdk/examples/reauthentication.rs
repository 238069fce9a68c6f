//! Handle re-authentication errors: a sensitive change with a missing or
//! expired proof fails with `is_reauthentication_required()`; verify again
//! and retry. Against the emulator, whose clock is moved past the proof's
//! ten minutes.
//!
//! ```sh
//! cargo run --example reauthentication
//! ```

mod support;

use std::time::Duration;

use logto_account::{AccountClient, Error, IdentityVerification, Password};
use support::{Result, Session};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    support::report(run().await)
}

async fn run() -> Result<()> {
    let session = Session::start().await?;
    let client = &session.client;

    println!("1. Verify the password; the proof lives ten minutes");
    let proof = client.verify_password(&session.current_password()?).await?;
    println!("   proof valid until {}", proof.expires_at());

    match &session.emulator {
        Some(emulator) => {
            println!("2. Ten minutes pass (the emulator's clock moves)");
            emulator.advance_clock(Duration::from_secs(10 * 60));
        }
        None => {
            println!("2. (Against a real Logto the proof is still fresh, so no retry follows.)")
        }
    }

    println!("3. Change the username with the old proof, re-verifying if asked");
    let account = with_fresh_proof(
        client,
        proof,
        &session.current_password()?,
        |proof| async move { client.change_username(&proof, "ada_lovelace").await },
    )
    .await?;
    println!(
        "   username is now {}",
        account.username.unwrap_or_default()
    );
    Ok(())
}

/// Runs `change` with `proof`; if Logto wants a new verification, verifies
/// the password again and runs it once more.
async fn with_fresh_proof<T, F, Fut>(
    client: &AccountClient,
    proof: IdentityVerification,
    password: &Password,
    change: F,
) -> std::result::Result<T, Error>
where
    F: Fn(IdentityVerification) -> Fut,
    Fut: Future<Output = std::result::Result<T, Error>>,
{
    match change(proof).await {
        Err(error) if error.is_reauthentication_required() => {
            println!("   {error}");
            println!("   verifying again and retrying");
            let fresh = client.verify_password(password).await?;
            change(fresh).await
        }
        other => other,
    }
}
