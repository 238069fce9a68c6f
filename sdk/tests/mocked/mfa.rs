//! MFA factors and WebAuthn registration: the exact requests, and Logto's
//! real answers (facts §13).

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{
    BackupCode, ErrorCode, MfaFactorKind, PendingWebAuthnRegistration, TotpCode, TotpSecret,
    VerificationRecordId,
};
use serde_json::{Value, json};

const SECRET: &str = "PB3V65BGA57FYSIXDILGWWSTEZ7AOM2H";
const FACTOR_ID: &str = "mfa4factor0000000001";

fn ten_codes() -> Vec<String> {
    (0..10).map(|n| format!("27c5e7e63{n}")).collect()
}

fn error(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message})
}

#[tokio::test]
async fn mfa_factors_decode_every_kind_and_keep_unknown_ones() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/mfa-verifications");
            logto_json(then, 200, json!([
                {"id": "t1", "createdAt": "2026-11-25T11:14:44.879Z", "type": "Totp"},
                {"id": "b1", "createdAt": "2026-11-25T11:15:00.000Z", "type": "BackupCode", "remainCodes": 10},
                {"id": "w1", "createdAt": "2026-11-25T11:16:00.000Z", "type": "WebAuthn", "agent": "", "name": "Key A"},
                {"id": "e1", "createdAt": "2026-11-25T11:17:00.000Z", "type": "EmailVerificationCode"}
            ]));
        })
        .await;

    let factors = client.mfa_factors().await.unwrap();

    mock.assert_async().await;
    assert_eq!(factors.len(), 4);
    assert_eq!(factors[0].kind, MfaFactorKind::Totp);
    assert_eq!(factors[0].created_at, expires_at());
    assert_eq!(factors[1].remaining_codes, Some(10));
    assert_eq!(factors[2].kind, MfaFactorKind::WebAuthn);
    assert_eq!(factors[2].name.as_deref(), Some("Key A"));
    assert_eq!(factors[2].agent.as_deref(), Some(""));
    assert_eq!(
        factors[3].kind,
        MfaFactorKind::Other("EmailVerificationCode".into())
    );
}

#[tokio::test]
async fn mfa_factors_without_the_field_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/mfa-verifications");
            logto_json(
                then,
                400,
                error("account_center.field_not_enabled", "Field is not enabled."),
            );
        })
        .await;

    let error = client.mfa_factors().await.unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::FieldNotEnabled));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn generate_totp_secret_returns_a_secret_that_debug_hides() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(
                when,
                POST,
                "/api/my-account/mfa-verifications/totp-secret/generate",
            )
            .header_missing(VERIFICATION_HEADER);
            logto_json(then, 200, json!({"secret": SECRET}));
        })
        .await;

    let secret = client.generate_totp_secret().await.unwrap();

    mock.assert_async().await;
    assert_eq!(secret.expose_secret(), SECRET);
    assert_eq!(format!("{secret:?}"), "TotpSecret(***)");
}

#[tokio::test]
async fn generate_totp_secret_with_the_account_center_off_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(
                when,
                POST,
                "/api/my-account/mfa-verifications/totp-secret/generate",
            );
            logto_json(
                then,
                400,
                error(
                    "account_center.not_enabled",
                    "Account center is not enabled.",
                ),
            );
        })
        .await;

    let error = client.generate_totp_secret().await.unwrap_err();

    assert!(error.is_account_center_disabled());
}

#[tokio::test]
async fn add_totp_factor_sends_the_totp_literal_secret_and_code() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/mfa-verifications")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"type": "Totp", "secret": SECRET, "code": "123456"}));
            no_content(then);
        })
        .await;

    client
        .add_totp_factor(
            &identity(),
            &TotpSecret::new(SECRET),
            &TotpCode::new("123456"),
        )
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn add_totp_factor_when_the_tenant_does_not_offer_it_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/mfa-verifications");
            logto_json(
                then,
                400,
                error(
                    "session.mfa.mfa_factor_not_enabled",
                    "MFA factor is not enabled.",
                ),
            );
        })
        .await;

    let error = client
        .add_totp_factor(
            &identity(),
            &TotpSecret::new(SECRET),
            &TotpCode::new("123456"),
        )
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::MfaFactorNotEnabled));
}

#[tokio::test]
async fn a_totp_code_that_is_not_six_digits_is_refused_before_sending() {
    let (server, client) = setup().await;
    let anything = catch_all(&server).await;

    let error = client
        .add_totp_factor(
            &identity(),
            &TotpSecret::new(SECRET),
            &TotpCode::new("12a456"),
        )
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        logto_account::Error::InvalidInput {
            field: "TOTP code",
            ..
        }
    ));
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn replace_totp_factor_puts_secret_and_code() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PUT, "/api/my-account/mfa-verifications/totp")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"secret": SECRET, "code": "654321"}));
            no_content(then);
        })
        .await;

    client
        .replace_totp_factor(
            &identity(),
            &TotpSecret::new(SECRET),
            &TotpCode::new("654321"),
        )
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn replace_totp_factor_with_a_wrong_code_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PUT, "/api/my-account/mfa-verifications/totp");
            logto_json(
                then,
                400,
                error("session.mfa.invalid_totp_code", "Invalid TOTP code."),
            );
        })
        .await;

    let error = client
        .replace_totp_factor(
            &identity(),
            &TotpSecret::new(SECRET),
            &TotpCode::new("000000"),
        )
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::InvalidTotpCode));
}

#[tokio::test]
async fn generate_backup_codes_returns_ten_codes() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(
                when,
                POST,
                "/api/my-account/mfa-verifications/backup-codes/generate",
            );
            logto_json(then, 200, json!({"codes": ten_codes()}));
        })
        .await;

    let codes = client.generate_backup_codes().await.unwrap();

    mock.assert_async().await;
    let codes: Vec<&str> = codes.iter().map(BackupCode::expose_secret).collect();
    assert_eq!(codes, ten_codes());
}

#[tokio::test]
async fn generate_backup_codes_with_a_dead_token_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(
                when,
                POST,
                "/api/my-account/mfa-verifications/backup-codes/generate",
            );
            logto_json(
                then,
                401,
                error(
                    "auth.unauthorized",
                    "Unauthorized. Please check credentials and its scope.",
                ),
            );
        })
        .await;

    let error = client.generate_backup_codes().await.unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
}

#[tokio::test]
async fn add_backup_codes_sends_the_ten_codes() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/mfa-verifications")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"type": "BackupCode", "codes": ten_codes()}));
            no_content(then);
        })
        .await;
    let codes: Vec<BackupCode> = ten_codes().into_iter().map(BackupCode::new).collect();

    client.add_backup_codes(&identity(), &codes).await.unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn add_backup_codes_alone_is_typed_and_nine_are_refused_locally() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/mfa-verifications");
            logto_json(
                then,
                422,
                error(
                    "session.mfa.backup_code_can_not_be_alone",
                    "Backup code can not be the only MFA.",
                ),
            );
        })
        .await;
    let codes: Vec<BackupCode> = ten_codes().into_iter().map(BackupCode::new).collect();

    let error = client
        .add_backup_codes(&identity(), &codes)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::BackupCodeCanNotBeAlone));

    let error = client
        .add_backup_codes(&identity(), &codes[..9])
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        logto_account::Error::InvalidInput {
            field: "backup codes",
            ..
        }
    ));
}

#[tokio::test]
async fn backup_codes_reads_used_and_unused_codes() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/mfa-verifications/backup-codes")
                .header(VERIFICATION_HEADER, RECORD_ID);
            logto_json(
                then,
                200,
                json!({"codes": [
                    {"code": "3f397b3172"},
                    {"code": "27c5e7e632", "usedAt": "2026-11-25T11:14:44.879Z"}
                ]}),
            );
        })
        .await;

    let codes = client.backup_codes(&identity()).await.unwrap();

    mock.assert_async().await;
    assert_eq!(codes[0].code.expose_secret(), "3f397b3172");
    assert_eq!(codes[0].used_at, None);
    assert_eq!(codes[1].used_at, Some(expires_at()));
}

#[tokio::test]
async fn backup_codes_of_a_user_without_any_is_a_typed_404() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/mfa-verifications/backup-codes");
            logto_json(
                then,
                404,
                error(
                    "verification_record.not_found",
                    "Verification record not found.",
                ),
            );
        })
        .await;

    let error = client.backup_codes(&identity()).await.unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn rename_webauthn_factor_accepts_a_plain_text_ok() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(
                when,
                PATCH,
                "/api/my-account/mfa-verifications/mfa4factor0000000001/name",
            )
            .header(VERIFICATION_HEADER, RECORD_ID)
            .json_body(json!({"name": "Renamed key"}));
            then.status(200)
                .header("content-type", "text/plain; charset=utf-8")
                .header("logto-core-request-id", REQUEST_ID)
                .body("OK");
        })
        .await;

    client
        .rename_webauthn_factor(&identity(), FACTOR_ID, "Renamed key")
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn rename_a_totp_factor_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(
                when,
                PATCH,
                "/api/my-account/mfa-verifications/mfa4factor0000000001/name",
            );
            logto_json(
                then,
                400,
                error(
                    "verification_record.not_found",
                    "Verification record not found.",
                ),
            );
        })
        .await;

    let error = client
        .rename_webauthn_factor(&identity(), FACTOR_ID, "x")
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
}

#[tokio::test]
async fn remove_mfa_factor_deletes_by_id() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(
                when,
                DELETE,
                "/api/my-account/mfa-verifications/mfa4factor0000000001",
            )
            .header(VERIFICATION_HEADER, RECORD_ID);
            no_content(then);
        })
        .await;

    client
        .remove_mfa_factor(&identity(), FACTOR_ID)
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn remove_mfa_factor_without_a_valid_proof_asks_to_reauthenticate() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(
                when,
                DELETE,
                "/api/my-account/mfa-verifications/mfa4factor0000000001",
            );
            logto_json(then, 401, permission_denied());
        })
        .await;

    let error = client
        .remove_mfa_factor(&identity(), FACTOR_ID)
        .await
        .unwrap_err();

    assert!(error.is_reauthentication_required());
}

fn pending() -> PendingWebAuthnRegistration {
    PendingWebAuthnRegistration::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        serde_json::Map::new(),
        expires_at(),
    )
}

fn browser_credential() -> Value {
    json!({
        "id": "Y3JlZGVudGlhbA", "rawId": "Y3JlZGVudGlhbA", "type": "public-key",
        "response": {"clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0", "attestationObject": "o2NmbXRkbm9uZQ", "transports": ["internal"]},
        "clientExtensionResults": {}
    })
}

#[tokio::test]
async fn start_webauthn_registration_keeps_the_options_for_the_browser() {
    let (server, client) = setup().await;
    let options = json!({"rp": {"name": "127.0.0.1", "id": "127.0.0.1"}, "challenge": "abc", "user": {"id": "dQ", "name": "ada", "displayName": "Ada"}, "pubKeyCredParams": [{"type": "public-key", "alg": -7}]});
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/web-authn/registration");
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID, "registrationOptions": options, "expiresAt": "2026-11-25T11:14:44.879Z"}));
        })
        .await;

    let pending = client.start_webauthn_registration().await.unwrap();

    mock.assert_async().await;
    assert_eq!(pending.record_id().expose_secret(), NEW_RECORD_ID);
    assert_eq!(Value::Object(pending.options().clone()), options);
    assert_eq!(pending.expires_at(), expires_at());
}

#[tokio::test]
async fn start_webauthn_registration_with_the_account_center_off_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/web-authn/registration");
            logto_json(
                then,
                400,
                error(
                    "account_center.not_enabled",
                    "Account center is not enabled.",
                ),
            );
        })
        .await;

    assert!(
        client
            .start_webauthn_registration()
            .await
            .unwrap_err()
            .is_account_center_disabled()
    );
}

#[tokio::test]
async fn verify_webauthn_registration_sends_the_origin_and_logtos_type() {
    let (server, client) = setup().await;
    let mut payload = browser_credential();
    payload["type"] = json!("WebAuthn");
    let mock = server
        .mock_async(|when, then| {
            request(
                when,
                POST,
                "/api/verifications/web-authn/registration/verify",
            )
            .header("origin", "https://app.example.com")
            .json_body(json!({"verificationRecordId": NEW_RECORD_ID, "payload": payload}));
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID}));
        })
        .await;

    let key = client
        .verify_webauthn_registration(&pending(), "https://app.example.com", &browser_credential())
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(key.record_id().expose_secret(), NEW_RECORD_ID);
}

#[tokio::test]
async fn a_failed_webauthn_check_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/web-authn/registration/verify");
            logto_json(then, 400, json!({"code": "session.mfa.webauthn_verification_failed", "data": {"message": "Unexpected registration response origin \"http://127.0.0.1:3301\", expected one of: "}, "message": "WebAuthn verification failed."}));
        })
        .await;

    let error = client
        .verify_webauthn_registration(&pending(), "https://app.example.com", &browser_credential())
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::WebAuthnVerificationFailed));
    let not_a_credential = client
        .verify_webauthn_registration(&pending(), "https://app.example.com", &json!({"id": "x"}))
        .await
        .unwrap_err();
    assert!(matches!(
        not_a_credential,
        logto_account::Error::InvalidInput {
            field: "credential",
            ..
        }
    ));
}

#[tokio::test]
async fn add_webauthn_factor_sends_the_verified_record_and_name() {
    let (server, client) = setup().await;
    let verify = server
        .mock_async(|when, then| {
            request(
                when,
                POST,
                "/api/verifications/web-authn/registration/verify",
            );
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID}));
        })
        .await;
    let key = client
        .verify_webauthn_registration(&pending(), "https://app.example.com", &browser_credential())
        .await
        .unwrap();
    verify.delete_async().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/mfa-verifications")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"type": "WebAuthn", "newIdentifierVerificationRecordId": NEW_RECORD_ID, "name": "Key A"}));
            no_content(then);
        })
        .await;

    client
        .add_webauthn_factor(&identity(), &key, Some("Key A"))
        .await
        .unwrap();

    mock.assert_async().await;
}
