//! Change the password: prove the user's identity with the current
//! password, then set a new one. Against the emulator by default; set
//! `LOGTO_ENDPOINT`, `LOGTO_ACCESS_TOKEN`, `LOGTO_PASSWORD` and
//! `LOGTO_NEW_PASSWORD` for a real Logto.
//!
//! ```sh
//! cargo run --example change_password
//! ```

mod support;

use logto_account::Password;
use support::{Result, Session};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    support::report(run().await)
}

async fn run() -> Result<()> {
    let session = Session::start().await?;
    let client = &session.client;
    let new_password = std::env::var("LOGTO_NEW_PASSWORD")
        .unwrap_or_else(|_| "a much better passphrase".to_owned());

    println!("1. Verify the current password");
    let proof = client.verify_password(&session.current_password()?).await?;
    println!("   proof valid until {}", proof.expires_at());

    println!("2. Set the new password");
    match client
        .change_password(&proof, &Password::new(new_password))
        .await
    {
        Ok(()) => println!("   changed"),
        Err(error) if !error.password_issues().is_empty() => {
            println!("   the tenant's policy refused it; the password needs:");
            for issue in error.password_issues() {
                println!("   - {issue}");
            }
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
