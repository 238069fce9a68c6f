//! The web recipe: a backend that keeps proofs in the session between
//! requests changes the email end to end, and tells the page to verify again
//! when the stored proof is stale.

use std::time::Duration;

use axum::http::StatusCode;
use logto_account_emulator::Emulator;

use crate::web_email_change::{Demo, demo};

#[tokio::test]
async fn the_web_recipe_changes_the_email_over_three_requests() {
    let emulator = Emulator::start().await.unwrap();

    let email = demo(&emulator).await.unwrap();

    assert_eq!(email.as_deref(), Some("grace@hopper.dev"));
}

#[tokio::test]
async fn a_stale_proof_in_the_session_makes_the_page_verify_again() {
    let emulator = Emulator::start().await.unwrap();
    let demo = Demo::start(&emulator).await.unwrap();
    let verify = demo
        .post("/account/verify-password", "correct horse battery staple")
        .await
        .unwrap();
    let send = demo
        .post("/account/email", "grace@hopper.dev")
        .await
        .unwrap();
    let code = emulator.last_code_sent_to("grace@hopper.dev").unwrap();

    // Past the records' ten minutes, on Logto's clock.
    emulator.advance_clock(Duration::from_secs(11 * 60));
    let confirm = demo.post("/account/email/confirm", &code).await.unwrap();

    assert_eq!(
        [verify, send, confirm],
        [
            StatusCode::NO_CONTENT,
            StatusCode::NO_CONTENT,
            StatusCode::CONFLICT
        ]
    );
    assert_eq!(
        demo.primary_email().await.unwrap().as_deref(),
        Some("grace@example.com")
    );
}
