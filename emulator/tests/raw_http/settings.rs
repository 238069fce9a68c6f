//! `/api/my-account/mfa-settings` and `/api/my-account/logto-configs`, raw,
//! against the facts' real answers (§5 rows 5–8, §13).

use crate::common::*;
use crate::gates::{Access, Check, Gates, assert_gate_order};
use logto_account_emulator::Field;
use reqwest::Method;
use serde_json::json;

const MFA_SETTINGS: &str = "/api/my-account/mfa-settings";
const LOGTO_CONFIGS: &str = "/api/my-account/logto-configs";

fn missing_identities() -> (u16, serde_json::Value) {
    (401, unauthorized())
}

#[tokio::test]
async fn mfa_settings_are_read_and_changed_with_verification() {
    let fixture = setup().await;
    fixture
        .call(Method::GET, MFA_SETTINGS, None)
        .await
        .assert_json(200, json!({"skipMfaOnSignIn": false}));
    let proof = fixture.password_proof().await;
    let body = Some(json!({"skipMfaOnSignIn": true}));
    fixture
        .verified(Method::PATCH, MFA_SETTINGS, &proof, body)
        .await
        .assert_json(200, json!({"skipMfaOnSignIn": true}));
    fixture
        .call(Method::GET, MFA_SETTINGS, None)
        .await
        .assert_json(200, json!({"skipMfaOnSignIn": true}));
}

#[tokio::test]
async fn mfa_settings_without_the_boolean_is_the_guard_error() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::PATCH, MFA_SETTINGS, &proof, Some(json!({})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"code": "invalid_type", "expected": "boolean", "received": "undefined", "path": ["skipMfaOnSignIn"], "message": "Required"}]),
                "Error in key path \"skipMfaOnSignIn\": (invalid_type) Expected boolean but received undefined.",
            ),
        );
}

#[tokio::test]
async fn reading_mfa_settings_checks_the_field_then_the_scope() {
    assert_gate_order(Gates {
        method: Method::GET,
        path: MFA_SETTINGS,
        body: Body::None,
        field: Some((Field::Mfa, Access::Read)),
        scope: "identities",
        missing_scope: missing_identities(),
        order: &[Check::Scope],
    })
    .await;
}

#[tokio::test]
async fn changing_mfa_settings_checks_the_field_the_scope_then_verification() {
    assert_gate_order(Gates {
        method: Method::PATCH,
        path: MFA_SETTINGS,
        body: Body::Json(json!({"skipMfaOnSignIn": true})),
        field: Some((Field::Mfa, Access::Write)),
        scope: "identities",
        missing_scope: missing_identities(),
        order: &[Check::Scope, Check::Verification],
    })
    .await;
}

#[tokio::test]
async fn a_new_users_logto_config_has_no_mfa_enabled_key() {
    let fixture = setup().await;
    fixture
        .call(Method::GET, LOGTO_CONFIGS, None)
        .await
        .assert_json(
            200,
            json!({"mfa": {"skipped": false, "skipMfaOnSignIn": false}, "passkeySignIn": {"skipped": false}}),
        );
}

#[tokio::test]
async fn logto_config_changes_keep_unsent_keys_and_do_not_echo_the_suggestion_flag() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(
            Method::PATCH,
            LOGTO_CONFIGS,
            &proof,
            Some(json!({"mfa": {"skipped": true, "additionalBindingSuggestionSkipped": true}, "passkeySignIn": {"skipped": true}})),
        )
        .await
        .assert_json(
            200,
            json!({"mfa": {"skipped": true, "skipMfaOnSignIn": false}, "passkeySignIn": {"skipped": true}}),
        );
    // `enabled` appears once set, first, in Logto's key order.
    let enabled = json!({"mfa": {"enabled": true, "skipped": true, "skipMfaOnSignIn": false}, "passkeySignIn": {"skipped": true}});
    fixture
        .verified(
            Method::PATCH,
            LOGTO_CONFIGS,
            &proof,
            Some(json!({"mfa": {"enabled": true}})),
        )
        .await
        .assert_json(200, enabled.clone());
    fixture
        .verified(Method::PATCH, LOGTO_CONFIGS, &proof, Some(json!({})))
        .await
        .assert_json(200, enabled);
}

#[tokio::test]
async fn mfa_settings_and_logto_config_share_skip_mfa_on_sign_in() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(
            Method::PATCH,
            MFA_SETTINGS,
            &proof,
            Some(json!({"skipMfaOnSignIn": true})),
        )
        .await;
    fixture
        .call(Method::GET, LOGTO_CONFIGS, None)
        .await
        .assert_json(
            200,
            json!({"mfa": {"skipped": false, "skipMfaOnSignIn": true}, "passkeySignIn": {"skipped": false}}),
        );
}

#[tokio::test]
async fn reading_logto_config_checks_the_passkey_field_then_the_scope() {
    assert_gate_order(Gates {
        method: Method::GET,
        path: LOGTO_CONFIGS,
        body: Body::None,
        field: Some((Field::Passkey, Access::Read)),
        scope: "identities",
        missing_scope: missing_identities(),
        order: &[Check::Scope],
    })
    .await;
}

#[tokio::test]
async fn changing_logto_config_checks_the_passkey_field_the_scope_then_verification() {
    assert_gate_order(Gates {
        method: Method::PATCH,
        path: LOGTO_CONFIGS,
        body: Body::Json(json!({"passkeySignIn": {"skipped": true}})),
        field: Some((Field::Passkey, Access::Write)),
        scope: "identities",
        missing_scope: missing_identities(),
        order: &[Check::Scope, Check::Verification],
    })
    .await;
}
