//! Verifying and changing the password, end to end against the emulator.

use std::time::Duration;

use crate::emulated::*;
use logto_account::{ErrorCode, Password, PasswordIssue};
use logto_account_emulator::{DEFAULT_SCOPES, Field, FieldAccess, NewUser};

#[tokio::test]
async fn change_password_with_a_password_proof() {
    let world = world().await;
    let proof = world.proof().await;
    assert!(!proof.is_expired());
    world
        .client
        .change_password(&proof, &Password::new("a brand new passphrase"))
        .await
        .unwrap();
    assert!(
        world
            .emulator
            .password_matches(&world.user_id, "a brand new passphrase")
    );
    // The proof is reusable until it expires.
    world
        .client
        .change_password(&proof, &Password::new("yet another passphrase"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_wrong_current_password_is_invalid_credentials() {
    let world = world().await;
    let error = world
        .client
        .verify_password(&Password::new("not my password"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidCredentials));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn a_weak_password_lists_the_broken_rules() {
    let world = world().await;
    let proof = world.proof().await;
    let error = world
        .client
        .change_password(&proof, &Password::new("123456"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::PasswordRejected));
    let issues = error.api_error().unwrap().password_issues();
    assert_eq!(
        issues,
        vec![PasswordIssue::TooShort { min: 8 }, PasswordIssue::Sequence]
    );
}

#[tokio::test]
async fn the_same_password_again_is_refused() {
    let world = world().await;
    let proof = world.proof().await;
    let error = world
        .client
        .change_password(&proof, &Password::new(PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::SamePassword));
}

#[tokio::test]
async fn an_expired_proof_requires_reauthentication() {
    let world = world().await;
    let proof = world.proof().await;
    world.emulator.advance_clock(Duration::from_secs(10 * 60));
    let error = world
        .client
        .change_password(&proof, &Password::new("a brand new passphrase"))
        .await
        .unwrap_err();
    assert!(error.is_reauthentication_required());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn a_password_field_that_is_read_only_is_not_editable() {
    let world = world().await;
    world
        .emulator
        .set_field_access(Field::Password, FieldAccess::ReadOnly);
    let proof = world.proof().await;
    let error = world
        .client
        .change_password(&proof, &Password::new("a brand new passphrase"))
        .await
        .unwrap_err();
    assert!(error.is_field_not_editable());
}

#[tokio::test]
async fn set_initial_password_works_for_a_user_without_a_security_method() {
    let world = world_with(
        NewUser::new().social_identity("mock-social", "s-1"),
        &DEFAULT_SCOPES,
    )
    .await;
    let account = world.client.account().await.unwrap();
    assert_eq!(account.has_security_verification_method, Some(false));
    world
        .client
        .set_initial_password(&Password::new("my first passphrase"))
        .await
        .unwrap();
    assert!(
        world
            .emulator
            .password_matches(&world.user_id, "my first passphrase")
    );
    // Now the user has a password, so a second one needs proof.
    let error = world
        .client
        .set_initial_password(&Password::new("my second passphrase"))
        .await
        .unwrap_err();
    assert!(error.is_reauthentication_required());
}
