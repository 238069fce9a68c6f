//! GetMfaSettings, UpdateMfaSettings, GetLogtoConfig, UpdateLogtoConfig.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{ErrorCode, LogtoConfigUpdate, MfaSettings};
use serde_json::json;

fn missing_identities_scope() -> serde_json::Value {
    json!({"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."})
}

#[tokio::test]
async fn mfa_settings_reads_skip_mfa_on_sign_in() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/mfa-settings");
            logto_json(then, 200, json!({"skipMfaOnSignIn": false}));
        })
        .await;
    let settings = client.mfa_settings().await.unwrap();
    assert_eq!(
        settings,
        MfaSettings {
            skip_mfa_on_sign_in: false
        }
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn mfa_settings_without_the_identities_scope_is_a_missing_scope() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/mfa-settings");
            logto_json(then, 401, missing_identities_scope());
        })
        .await;
    let error = client.mfa_settings().await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    assert!(error.is_missing_scope());
}

#[tokio::test]
async fn update_mfa_settings_sends_the_proof_and_the_body() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account/mfa-settings")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"skipMfaOnSignIn": true}));
            logto_json(then, 200, json!({"skipMfaOnSignIn": true}));
        })
        .await;
    let settings = client
        .update_mfa_settings(
            &identity(),
            &MfaSettings {
                skip_mfa_on_sign_in: true,
            },
        )
        .await
        .unwrap();
    assert!(settings.skip_mfa_on_sign_in);
    mock.assert_async().await;
}

#[tokio::test]
async fn update_mfa_settings_with_an_expired_proof_needs_reauthentication() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account/mfa-settings");
            logto_json(then, 401, permission_denied());
        })
        .await;
    let error = client
        .update_mfa_settings(
            &identity(),
            &MfaSettings {
                skip_mfa_on_sign_in: true,
            },
        )
        .await
        .unwrap_err();
    assert!(error.is_reauthentication_required());
    assert!(!error.is_missing_scope());
}

#[tokio::test]
async fn logto_config_of_a_user_who_never_bound_mfa_has_no_enabled() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/logto-configs");
            logto_json(
                then,
                200,
                json!({"mfa":{"skipped":false,"skipMfaOnSignIn":false},"passkeySignIn":{"skipped":false}}),
            );
        })
        .await;
    let config = client.logto_config().await.unwrap();
    assert_eq!(config.mfa.enabled, None);
    assert!(!config.mfa.skipped);
    assert!(!config.passkey_sign_in.skipped);
}

#[tokio::test]
async fn logto_config_with_the_field_off_is_field_not_enabled() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/logto-configs");
            logto_json(
                then,
                400,
                json!({"code":"account_center.field_not_enabled","message":"Field is not enabled."}),
            );
        })
        .await;
    let error = client.logto_config().await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::FieldNotEnabled));
}

#[tokio::test]
async fn update_logto_config_sends_only_the_keys_set() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account/logto-configs")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"mfa":{"skipped":true,"additionalBindingSuggestionSkipped":true},"passkeySignIn":{"skipped":true}}));
            logto_json(
                then,
                200,
                json!({"mfa":{"enabled":true,"skipped":true,"skipMfaOnSignIn":true},"passkeySignIn":{"skipped":true}}),
            );
        })
        .await;
    let update = LogtoConfigUpdate::new()
        .mfa_skipped(true)
        .additional_binding_suggestion_skipped(true)
        .passkey_sign_in_skipped(true);
    let config = client
        .update_logto_config(&identity(), &update)
        .await
        .unwrap();
    assert_eq!(config.mfa.enabled, Some(true));
    assert!(config.mfa.skip_mfa_on_sign_in);
    mock.assert_async().await;
}

#[tokio::test]
async fn update_logto_config_without_a_proof_needs_reauthentication() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account/logto-configs");
            logto_json(then, 401, permission_denied());
        })
        .await;
    let error = client
        .update_logto_config(&identity(), &LogtoConfigUpdate::new())
        .await
        .unwrap_err();
    assert!(error.is_reauthentication_required());
}
