//! Proofs, pending verifications and the account survive a round trip
//! through serde (the `serde` feature), as a web session would store them.

use logto_account::chrono::{DateTime, Utc};
use logto_account::{
    Account, CodeDestination, IdentityVerification, PendingCode, PendingSocialVerification,
    VerificationRecordId, VerifiedEmail, VerifiedPhone, VerifiedSocialIdentity,
};
use serde_json::json;

use crate::common::*;

fn at() -> DateTime<Utc> {
    expires_at()
}

/// Serializes, checks the exact JSON, deserializes and serializes again.
fn round_trip<T>(value: &T, expected: serde_json::Value) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let stored = serde_json::to_value(value).unwrap();
    assert_eq!(stored, expected);
    let back: T = serde_json::from_value(stored).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), expected);
    back
}

#[test]
fn every_proof_type_round_trips() {
    let record = || VerificationRecordId::new(RECORD_ID).unwrap();
    let identity = round_trip(
        &IdentityVerification::from_parts(record(), at()),
        json!({"recordId": RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
    );
    assert_eq!(identity.record_id().expose_secret(), RECORD_ID);
    assert_eq!(identity.expires_at(), at());

    let email = round_trip(
        &VerifiedEmail::from_parts("new@example.com", record(), at()),
        json!({"email": "new@example.com", "recordId": RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
    );
    assert_eq!(email.email(), "new@example.com");

    let phone = round_trip(
        &VerifiedPhone::from_parts("12025550123", record(), at()),
        json!({"phone": "12025550123", "recordId": RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
    );
    assert_eq!(phone.phone(), "12025550123");

    round_trip(
        &VerifiedSocialIdentity::from_parts(record(), at()),
        json!({"recordId": RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
    );
}

#[test]
fn pending_verifications_round_trip() {
    let pending: PendingCode<VerifiedEmail> = PendingCode::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        CodeDestination::Email("new@example.com".into()),
        at(),
    );
    let back = round_trip(
        &pending,
        json!({
            "recordId": NEW_RECORD_ID,
            "destination": {"type": "email", "value": "new@example.com"},
            "expiresAt": "2026-11-25T11:14:44.879Z"
        }),
    );
    assert_eq!(
        back.destination(),
        &CodeDestination::Email("new@example.com".into())
    );
    assert!(
        back.is_expired(),
        "2026-11-25T11:14Z is in the past of this test run"
    );

    round_trip(
        &PendingSocialVerification::from_parts(
            VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
            "https://github.com/login/oauth/authorize?state=s".into(),
            at(),
        ),
        json!({
            "recordId": NEW_RECORD_ID,
            "authorizationUri": "https://github.com/login/oauth/authorize?state=s",
            "expiresAt": "2026-11-25T11:14:44.879Z"
        }),
    );
}

#[tokio::test]
async fn an_account_a_handler_returns_round_trips() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.path("/api/my-account");
            logto_json(then, 200, full_account());
        })
        .await;
    let account = client.account().await.unwrap();

    let stored = serde_json::to_value(&account).unwrap();
    let back: Account = serde_json::from_value(stored.clone()).unwrap();

    assert_eq!(back, account);
    assert_eq!(stored["primaryEmail"], "ada@example.com");
    assert_eq!(stored["lastSignInAt"], "2025-11-25T10:54:44.879Z");
    assert_eq!(stored["identities"]["github"]["userId"], "4242");
}
