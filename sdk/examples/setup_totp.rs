//! Set up an authenticator app (TOTP): prove the user's identity, generate
//! a secret, compute the current code as an authenticator app would, and
//! bind it. Against the emulator by default (which is told to offer TOTP,
//! as an admin would in the sign-in experience); set `LOGTO_ENDPOINT`,
//! `LOGTO_ACCESS_TOKEN` and `LOGTO_PASSWORD` for a real Logto, whose tenant
//! must offer TOTP as an MFA factor.
//!
//! ```sh
//! cargo run --example setup_totp
//! ```

mod support;

use chrono::Utc;
use logto_account::TotpCode;
use logto_account_emulator::{MfaFactor, totp_code_at};
use support::{Result, Session};

#[tokio::main]
async fn main() -> Result<()> {
    let session = Session::start().await?;
    let client = &session.client;
    let now = match &session.emulator {
        Some(emulator) => {
            emulator.set_mfa_factors(&[MfaFactor::Totp]);
            emulator.now()
        }
        None => Utc::now(),
    };

    println!("1. Verify the current password");
    let proof = client.verify_password(&session.current_password()?).await?;

    println!("2. Generate a secret for the authenticator app");
    let secret = client.generate_totp_secret().await?;
    println!(
        "   otpauth://totp/Example:ada?secret={}&issuer=Example",
        secret.expose_secret()
    );

    println!("3. Compute the code the app shows now (RFC 6238, SHA-1, 30 s, 6 digits)");
    let code = totp_code_at(secret.expose_secret(), now).ok_or("the secret is not base32")?;

    println!("4. Bind it");
    client
        .add_totp_factor(&proof, &secret, &TotpCode::new(code))
        .await?;
    for factor in client.mfa_factors().await? {
        println!("   bound: {} {}", factor.kind.as_str(), factor.id);
    }
    Ok(())
}
