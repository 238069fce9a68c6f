//! The Verification API: password, verification codes and social records.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{
    CodeDestination, Error, ErrorCode, IdentityVerification, Password, PendingCode,
    SocialVerificationRequest, VerificationCode, VerificationRecordId, VerifiedEmail,
};
use serde_json::json;

#[tokio::test]
async fn verify_password_returns_an_identity_proof_with_its_expiry() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/password")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({"password": "correct horse"}));
            logto_json(
                then,
                201,
                json!({"verificationRecordId": RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
            );
        })
        .await;

    let proof = client
        .verify_password(&Password::new("correct horse"))
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(proof.record_id().expose_secret(), RECORD_ID);
    assert_eq!(proof.expires_at(), expires_at());
}

#[tokio::test]
async fn verify_password_with_a_wrong_password_is_invalid_credentials() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/password");
            logto_json(
                then,
                422,
                json!({"code":"session.invalid_credentials","message":"Incorrect account or password. Please check your input."}),
            );
        })
        .await;

    let error = client
        .verify_password(&Password::new("wrong"))
        .await
        .unwrap_err();

    let api = error.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 422);
    assert_eq!(api.code(), Some(&ErrorCode::InvalidCredentials));
    assert_eq!(
        api.message(),
        "Incorrect account or password. Please check your input."
    );
}

#[tokio::test]
async fn an_empty_password_is_refused_before_sending() {
    let (server, client) = setup().await;
    let mock = catch_all(&server).await;

    let error = client
        .verify_password(&Password::new(""))
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::InvalidInput {
                field: "password",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn send_email_code_sends_the_identifier_and_keeps_the_destination() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({"identifier": {"type": "email", "value": "new@example.com"}}));
            logto_json(
                then,
                201,
                json!({"verificationRecordId": NEW_RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
            );
        })
        .await;

    let pending = client.send_email_code("new@example.com").await.unwrap();

    mock.assert_async().await;
    assert_eq!(pending.record_id().expose_secret(), NEW_RECORD_ID);
    assert_eq!(pending.expires_at(), expires_at());
    assert_eq!(
        pending.destination(),
        &CodeDestination::Email("new@example.com".into())
    );
}

#[tokio::test]
async fn send_identity_code_asks_for_the_permission_template() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code").json_body(json!({
                "identifier": {"type": "phone", "value": "12025550123"},
                "templateType": "UserPermissionValidation"
            }));
            logto_json(
                then,
                201,
                json!({"verificationRecordId": RECORD_ID, "expiresAt": "2026-11-25T11:14:44.879Z"}),
            );
        })
        .await;

    let pending = client
        .send_identity_code_to_phone("12025550123")
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(pending.record_id().expose_secret(), RECORD_ID);
}

#[tokio::test]
async fn send_code_rate_limited_is_a_typed_429() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code");
            logto_json(
                then,
                429,
                json!({"code":"request.message_rate_limited","message":"Too many messages sent to this recipient. Please try again later."}),
            );
        })
        .await;

    let error = client.send_email_code("rl@example.com").await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.code(), Some(&ErrorCode::MessageRateLimited));
}

#[tokio::test]
async fn send_code_without_connector_is_a_typed_501() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code");
            logto_json(
                then,
                501,
                json!({"code":"connector.not_found","message":"Cannot find any available connector for type: Sms."}),
            );
        })
        .await;

    let error = client.send_phone_code("15551234567").await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(501));
    assert_eq!(error.code(), Some(&ErrorCode::ConnectorNotFound));
}

#[tokio::test]
async fn identifiers_the_server_would_refuse_are_refused_before_sending() {
    let (server, client) = setup().await;
    let mock = catch_all(&server).await;

    for bad in ["+15551234567", "+1 555", "555-1234", ""] {
        let error = client.send_phone_code(bad).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidInput { field: "phone", .. }),
            "{bad}: {error:?}"
        );
    }
    let too_long = format!("{}@example.com", "a".repeat(250));
    for bad in ["nope", "a@b", "a @b.c", too_long.as_str()] {
        let error = client.send_email_code(bad).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidInput { field: "email", .. }),
            "{bad}: {error:?}"
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn verify_code_sends_identifier_record_and_code_and_gives_the_typed_proof() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code/verify")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({
                    "identifier": {"type": "email", "value": "new@example.com"},
                    "verificationId": NEW_RECORD_ID,
                    "code": "242664"
                }));
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID}));
        })
        .await;
    let pending: PendingCode<VerifiedEmail> = PendingCode::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        CodeDestination::Email("new@example.com".into()),
        expires_at(),
    );

    let verified = client
        .verify_code(&pending, &VerificationCode::new("242664"))
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(verified.email(), "new@example.com");
    assert_eq!(verified.record_id().expose_secret(), NEW_RECORD_ID);
    // Verifying does not extend the record's life.
    assert_eq!(verified.expires_at(), expires_at());
}

#[tokio::test]
async fn verify_code_for_the_current_identifier_gives_an_identity_proof() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code/verify");
            logto_json(then, 200, json!({"verificationRecordId": RECORD_ID}));
        })
        .await;
    let pending: PendingCode<IdentityVerification> = PendingCode::from_parts(
        VerificationRecordId::new(RECORD_ID).unwrap(),
        CodeDestination::Email("ada@example.com".into()),
        expires_at(),
    );

    let proof = client
        .verify_code(&pending, &VerificationCode::new("123456"))
        .await
        .unwrap();

    assert_eq!(proof.record_id().expose_secret(), RECORD_ID);
    assert_eq!(proof.expires_at(), expires_at());
}

#[tokio::test]
async fn verify_code_with_a_wrong_code_is_code_mismatch() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/verification-code/verify");
            logto_json(
                then,
                400,
                json!({"code":"verification_code.code_mismatch","message":"Invalid verification code."}),
            );
        })
        .await;
    let pending: PendingCode<VerifiedEmail> = PendingCode::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        CodeDestination::Email("new@example.com".into()),
        expires_at(),
    );

    let error = client
        .verify_code(&pending, &VerificationCode::new("000000"))
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::VerificationCodeMismatch));
    assert_eq!(
        error.api_error().unwrap().message(),
        "Invalid verification code."
    );
}

fn social_request() -> SocialVerificationRequest {
    SocialVerificationRequest {
        connector_id: "github-connector".into(),
        state: "st4te".into(),
        redirect_uri: "https://app.example.com/callback".into(),
        scope: None,
    }
}

#[tokio::test]
async fn start_social_verification_returns_the_authorization_uri() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/social")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({
                    "connectorId": "github-connector",
                    "state": "st4te",
                    "redirectUri": "https://app.example.com/callback"
                }));
            logto_json(
                then,
                201,
                json!({
                    "verificationRecordId": NEW_RECORD_ID,
                    "authorizationUri": "https://github.com/login/oauth/authorize?state=st4te",
                    "expiresAt": "2026-11-25T11:14:44.879Z"
                }),
            );
        })
        .await;

    let pending = client
        .start_social_verification(&social_request())
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(
        pending.authorization_uri(),
        "https://github.com/login/oauth/authorize?state=st4te"
    );
    assert_eq!(pending.record_id().expose_secret(), NEW_RECORD_ID);
    assert_eq!(pending.expires_at(), expires_at());
}

#[tokio::test]
async fn start_social_verification_with_unknown_connector_is_a_422() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/social");
            logto_json(
                then,
                422,
                json!({"code":"session.invalid_connector_id","message":"Unable to find available connector with id github-connector."}),
            );
        })
        .await;

    let error = client
        .start_social_verification(&social_request())
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(error.code(), Some(&ErrorCode::InvalidConnectorId));
}

#[tokio::test]
async fn complete_social_verification_sends_record_id_and_connector_data() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/social/verify")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({
                    "verificationRecordId": NEW_RECORD_ID,
                    "connectorData": {"code": "abc", "state": "st4te"}
                }));
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID}));
        })
        .await;
    let pending = logto_account::PendingSocialVerification::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        "https://github.com/login/oauth/authorize".into(),
        expires_at(),
    );

    let data = json!({"code": "abc", "state": "st4te"})
        .as_object()
        .unwrap()
        .clone();
    let verified = client
        .complete_social_verification(&pending, data)
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(verified.record_id().expose_secret(), NEW_RECORD_ID);
    assert_eq!(verified.expires_at(), expires_at());
}

#[tokio::test]
async fn complete_social_verification_of_an_unknown_record_is_not_found() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/social/verify");
            logto_json(
                then,
                400,
                json!({"code":"verification_record.not_found","message":"Verification record not found."}),
            );
        })
        .await;
    let pending = logto_account::PendingSocialVerification::from_parts(
        VerificationRecordId::new("unknown").unwrap(),
        String::new(),
        expires_at(),
    );

    let error = client
        .complete_social_verification(&pending, serde_json::Map::new())
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
}
