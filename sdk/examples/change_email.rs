//! Change the primary email and phone with verification codes: prove the
//! user's identity, prove they own the new address (a code sent there), then
//! switch. Against the emulator by default, which reads codes from its
//! outbox; with `LOGTO_ENDPOINT`, `LOGTO_ACCESS_TOKEN`, `LOGTO_PASSWORD` and
//! `LOGTO_NEW_EMAIL` (optionally `LOGTO_NEW_PHONE`) it asks for the codes.
//!
//! ```sh
//! cargo run --example change_email
//! ```

mod support;

use support::{Result, Session};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    support::report(run().await)
}

async fn run() -> Result<()> {
    let session = Session::start().await?;
    let client = &session.client;
    let (new_email, new_phone) = if session.emulator.is_some() {
        (
            "ada@lovelace.dev".to_owned(),
            Some("15551234567".to_owned()),
        )
    } else {
        (
            std::env::var("LOGTO_NEW_EMAIL").map_err(|_| "set LOGTO_NEW_EMAIL")?,
            std::env::var("LOGTO_NEW_PHONE").ok(),
        )
    };

    println!("1. Prove the user's identity");
    let proof = client.verify_password(&session.current_password()?).await?;

    println!("2. Prove the user owns {new_email}");
    let pending = client.send_email_code(&new_email).await?;
    let verified_email = client
        .verify_code(&pending, &session.code_sent_to(&new_email)?)
        .await?;

    println!("3. Make it the primary email");
    client.change_email(&proof, &verified_email).await?;
    println!(
        "   primary email: {}",
        client.account().await?.primary_email.unwrap_or_default()
    );

    if let Some(new_phone) = new_phone {
        println!("4. The same for the phone {new_phone} (digits only, no +)");
        let pending = client.send_phone_code(&new_phone).await?;
        let verified_phone = client
            .verify_code(&pending, &session.code_sent_to(&new_phone)?)
            .await?;
        client.change_phone(&proof, &verified_phone).await?;
        println!(
            "   primary phone: {}",
            client.account().await?.primary_phone.unwrap_or_default()
        );
    }
    Ok(())
}
