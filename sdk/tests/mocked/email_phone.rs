//! UpdatePrimaryEmail, DeletePrimaryEmail, UpdatePrimaryPhone, DeletePrimaryPhone.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{
    CodeDestination, ErrorCode, PendingCode, VerificationCode, VerificationRecordId, VerifiedEmail,
    VerifiedPhone,
};
use serde_json::json;

/// Verifies a code for `destination` against the mock, as a user would.
async fn verified<P: logto_account::CodeProof>(
    server: &httpmock::MockServer,
    client: &logto_account::AccountClient,
    destination: CodeDestination,
) -> P {
    let verify = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code/verify");
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID}));
        })
        .await;
    let pending: PendingCode<P> = PendingCode::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        destination,
        expires_at(),
    );
    let proof = client
        .verify_code(&pending, &VerificationCode::new("242664"))
        .await
        .unwrap();
    verify.delete_async().await;
    proof
}

#[tokio::test]
async fn change_email_sends_both_proofs_and_the_verified_address() {
    let (server, client) = setup().await;
    let new_email: VerifiedEmail = verified(
        &server,
        &client,
        CodeDestination::Email("new@example.com".into()),
    )
    .await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/primary-email")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({
                    "email": "new@example.com",
                    "newIdentifierVerificationRecordId": NEW_RECORD_ID
                }));
            no_content(then);
        })
        .await;

    client.change_email(&identity(), &new_email).await.unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn change_email_to_an_address_in_use_is_typed() {
    let (server, client) = setup().await;
    let new_email: VerifiedEmail = verified(
        &server,
        &client,
        CodeDestination::Email("taken@example.com".into()),
    )
    .await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/primary-email");
            logto_json(
                then,
                422,
                json!({"code":"user.email_already_in_use","message":"This email is associated with an existing account."}),
            );
        })
        .await;

    let error = client
        .change_email(&identity(), &new_email)
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(error.code(), Some(&ErrorCode::EmailAlreadyInUse));
    assert_eq!(error.api_error().unwrap().request_id(), Some(REQUEST_ID));
}

#[tokio::test]
async fn remove_email_sends_the_proof_and_no_body() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/primary-email")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .header_missing("content-type")
                .body("");
            no_content(then);
        })
        .await;

    client.remove_email(&identity()).await.unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn remove_email_with_an_expired_proof_requires_reauthentication() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/primary-email");
            logto_json(then, 401, permission_denied());
        })
        .await;

    let error = client.remove_email(&identity()).await.unwrap_err();

    assert!(error.is_reauthentication_required());
}

#[tokio::test]
async fn change_phone_sends_both_proofs_and_the_verified_number() {
    let (server, client) = setup().await;
    let new_phone: VerifiedPhone = verified(
        &server,
        &client,
        CodeDestination::Phone("15551234567".into()),
    )
    .await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/primary-phone")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({
                    "phone": "15551234567",
                    "newIdentifierVerificationRecordId": NEW_RECORD_ID
                }));
            no_content(then);
        })
        .await;

    client.change_phone(&identity(), &new_phone).await.unwrap();

    mock.assert_async().await;
    assert_eq!(new_phone.phone(), "15551234567");
}

#[tokio::test]
async fn change_phone_with_an_unverified_record_is_not_found() {
    let (server, client) = setup().await;
    let new_phone: VerifiedPhone = verified(
        &server,
        &client,
        CodeDestination::Phone("15551234567".into()),
    )
    .await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/primary-phone");
            logto_json(
                then,
                400,
                json!({"code":"verification_record.not_found","message":"Verification record not found."}),
            );
        })
        .await;

    let error = client
        .change_phone(&identity(), &new_phone)
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
}

#[tokio::test]
async fn remove_phone_sends_the_proof() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/primary-phone")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .body("");
            no_content(then);
        })
        .await;

    client.remove_phone(&identity()).await.unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn remove_the_last_identifier_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/primary-phone");
            logto_json(
                then,
                400,
                json!({"code":"user.last_sign_in_method_required","message":"You need to keep at least one identifier in your account."}),
            );
        })
        .await;

    let error = client.remove_phone(&identity()).await.unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::LastSignInMethodRequired));
}
