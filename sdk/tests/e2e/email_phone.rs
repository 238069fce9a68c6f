//! Codes, and changing or removing the email and phone, end to end against
//! the emulator.

use std::time::Duration;

use crate::emulated::*;
use logto_account::{ErrorCode, VerificationCode};
use logto_account_emulator::{Field, FieldAccess, NewUser};

fn code_for(world: &World, to: &str) -> VerificationCode {
    VerificationCode::new(
        world
            .emulator
            .last_code_sent_to(to)
            .expect("a code was sent"),
    )
}

#[tokio::test]
async fn change_email_with_a_code_from_the_outbox() {
    let world = world().await;
    let proof = world.proof().await;
    let pending = world
        .client
        .send_email_code("ada@lovelace.dev")
        .await
        .unwrap();
    let new_email = world
        .client
        .verify_code(&pending, &code_for(&world, "ada@lovelace.dev"))
        .await
        .unwrap();
    assert_eq!(new_email.email(), "ada@lovelace.dev");
    world.client.change_email(&proof, &new_email).await.unwrap();
    let account = world.client.account().await.unwrap();
    assert_eq!(account.primary_email.as_deref(), Some("ada@lovelace.dev"));
}

#[tokio::test]
async fn a_wrong_code_is_a_mismatch() {
    let world = world().await;
    let pending = world
        .client
        .send_email_code("new@example.com")
        .await
        .unwrap();
    let right = code_for(&world, "new@example.com");
    let wrong = if right.expose_secret() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let error = world
        .client
        .verify_code(&pending, &VerificationCode::new(wrong))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::VerificationCodeMismatch));
}

#[tokio::test]
async fn an_email_another_user_has_is_already_in_use() {
    let world = world().await;
    world
        .emulator
        .create_user(NewUser::new().email("grace@example.com"))
        .unwrap();
    let proof = world.proof().await;
    let pending = world
        .client
        .send_email_code("grace@example.com")
        .await
        .unwrap();
    let new_email = world
        .client
        .verify_code(&pending, &code_for(&world, "grace@example.com"))
        .await
        .unwrap();
    let error = world
        .client
        .change_email(&proof, &new_email)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::EmailAlreadyInUse));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn a_code_to_the_current_email_proves_identity() {
    let world = world().await;
    let pending = world
        .client
        .send_identity_code_to_email(EMAIL)
        .await
        .unwrap();
    let proof = world
        .client
        .verify_code(&pending, &code_for(&world, EMAIL))
        .await
        .unwrap();
    world.client.change_username(&proof, "ada_l").await.unwrap();
}

#[tokio::test]
async fn a_code_to_another_address_does_not_prove_identity() {
    let world = world().await;
    let pending = world
        .client
        .send_identity_code_to_email("someone@else.com")
        .await
        .unwrap();
    let proof = world
        .client
        .verify_code(&pending, &code_for(&world, "someone@else.com"))
        .await
        .unwrap();
    let error = world.client.remove_email(&proof).await.unwrap_err();
    assert!(error.is_reauthentication_required());
}

#[tokio::test]
async fn the_eleventh_code_in_ten_minutes_is_rate_limited() {
    let world = world().await;
    for _ in 0..10 {
        world
            .client
            .send_email_code("rl@example.com")
            .await
            .unwrap();
    }
    let error = world
        .client
        .send_email_code("rl@example.com")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::MessageRateLimited));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    world.emulator.advance_clock(Duration::from_secs(601));
    world
        .client
        .send_email_code("rl@example.com")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_expired_code_record_is_not_found() {
    let world = world().await;
    let pending = world
        .client
        .send_email_code("late@example.com")
        .await
        .unwrap();
    world.emulator.advance_clock(Duration::from_secs(600));
    let error = world
        .client
        .verify_code(&pending, &code_for(&world, "late@example.com"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
}

#[tokio::test]
async fn remove_email_needs_a_proof_and_the_email_scope() {
    let world = world().await;
    let proof = world.proof().await;
    let error = world
        .client_with_scopes(&["openid", "profile"])
        .remove_email(&proof)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    world.client.remove_email(&proof).await.unwrap();
    assert_eq!(world.client.account().await.unwrap().primary_email, None);
}

#[tokio::test]
async fn change_and_remove_the_phone() {
    let world = world().await;
    let proof = world.proof().await;
    let pending = world.client.send_phone_code("15551234567").await.unwrap();
    let phone = world
        .client
        .verify_code(&pending, &code_for(&world, "15551234567"))
        .await
        .unwrap();
    world.client.change_phone(&proof, &phone).await.unwrap();
    assert_eq!(
        world
            .client
            .account()
            .await
            .unwrap()
            .primary_phone
            .as_deref(),
        Some("15551234567")
    );
    world.client.remove_phone(&proof).await.unwrap();
    assert_eq!(world.client.account().await.unwrap().primary_phone, None);
}

#[tokio::test]
async fn a_phone_field_that_is_off_is_not_editable() {
    let world = world().await;
    world
        .emulator
        .set_field_access(Field::Phone, FieldAccess::Off);
    let proof = world.proof().await;
    let error = world.client.remove_phone(&proof).await.unwrap_err();
    assert!(error.is_field_not_editable());
}
