//! Sessions, grants, MFA settings, provider tokens and avatar upload against
//! the emulator.

use crate::emulated::*;
use logto_account::{ErrorCode, GrantFilter, LogtoConfigUpdate, MfaSettings, RevokeGrants};
use logto_account_emulator::DEFAULT_SCOPES;

const SESSIONS: &str = "urn:logto:scope:sessions";

fn with_sessions() -> Vec<&'static str> {
    DEFAULT_SCOPES.iter().copied().chain([SESSIONS]).collect()
}

#[tokio::test]
async fn revoking_another_session_signs_that_device_out() {
    let world = world().await;
    let phone = world.client_with_scopes(&with_sessions());
    let laptop = world.client_with_scopes(&with_sessions());
    let proof = laptop
        .verify_password(&logto_account::Password::new(PASSWORD))
        .await
        .unwrap();
    let sessions = laptop.sessions(&proof).await.unwrap();
    assert_eq!(sessions.len(), 3);
    let current: Vec<_> = sessions
        .iter()
        .filter(|session| session.is_current)
        .collect();
    assert_eq!(current.len(), 1);
    let phone_session = &sessions[1];
    laptop
        .revoke_session(&proof, &phone_session.id)
        .await
        .unwrap();
    let error = phone.account().await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(laptop.sessions(&proof).await.unwrap().len(), 2);
    let error = laptop
        .revoke_session(&proof, &phone_session.id)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::SessionNotFound));
}

#[tokio::test]
async fn revoking_a_session_but_keeping_grants_leaves_its_token_working() {
    let world = world().await;
    let other = world.client_with_scopes(&with_sessions());
    let client = world.client_with_scopes(&with_sessions());
    let proof = client
        .verify_password(&logto_account::Password::new(PASSWORD))
        .await
        .unwrap();
    let sessions = client.sessions(&proof).await.unwrap();
    client
        .revoke_session_with(&proof, &sessions[1].id, RevokeGrants::Keep)
        .await
        .unwrap();
    assert!(other.account().await.is_ok());
}

#[tokio::test]
async fn revoking_a_grant_stops_its_tokens_and_keeps_the_session() {
    let world = world().await;
    let other = world.client_with_scopes(&with_sessions());
    let client = world.client_with_scopes(&with_sessions());
    let proof = client
        .verify_password(&logto_account::Password::new(PASSWORD))
        .await
        .unwrap();
    let grants = client
        .grants(&proof, GrantFilter::FirstParty)
        .await
        .unwrap();
    assert_eq!(grants.len(), 3);
    assert!(
        client
            .grants(&proof, GrantFilter::ThirdParty)
            .await
            .unwrap()
            .is_empty()
    );
    client.revoke_grant(&proof, &grants[1].id).await.unwrap();
    assert_eq!(
        other.account().await.unwrap_err().code(),
        Some(&ErrorCode::Unauthorized)
    );
    assert_eq!(client.sessions(&proof).await.unwrap().len(), 3);
    let error = client.revoke_grant(&proof, "nope").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidGrant));
}

#[tokio::test]
async fn sessions_without_the_scope_is_a_missing_scope() {
    let world = world().await;
    let proof = world.proof().await;
    let error = world.client.sessions(&proof).await.unwrap_err();
    assert!(error.is_missing_scope());
}

#[tokio::test]
async fn mfa_settings_and_logto_config_share_skip_mfa_on_sign_in() {
    let world = world().await;
    let proof = world.proof().await;
    assert!(
        !world
            .client
            .mfa_settings()
            .await
            .unwrap()
            .skip_mfa_on_sign_in
    );
    let settings = world
        .client
        .update_mfa_settings(
            &proof,
            &MfaSettings {
                skip_mfa_on_sign_in: true,
            },
        )
        .await
        .unwrap();
    assert!(settings.skip_mfa_on_sign_in);
    let config = world.client.logto_config().await.unwrap();
    assert!(config.mfa.skip_mfa_on_sign_in);
    assert_eq!(config.mfa.enabled, None);
    let config = world
        .client
        .update_logto_config(
            &proof,
            &LogtoConfigUpdate::new().passkey_sign_in_skipped(true),
        )
        .await
        .unwrap();
    assert!(config.passkey_sign_in.skipped);
    assert!(!config.mfa.skipped);
    let no_scope = world.client_with_scopes(&["openid", "profile"]);
    assert!(
        no_scope
            .mfa_settings()
            .await
            .unwrap_err()
            .is_missing_scope()
    );
}

#[tokio::test]
async fn provider_tokens_are_not_found_without_a_linked_identity_and_need_the_scope() {
    let world = world().await;
    let error = world
        .client
        .social_identity_token("github")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::TokenNotFound));
    let error = world.client.sso_identity_token("okta").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::TokenNotFound));
    let no_scope = world.client_with_scopes(&["openid", "profile"]);
    let error = no_scope.social_identity_token("github").await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(403));
    assert!(error.is_missing_scope());
}

#[tokio::test]
async fn an_uploaded_avatar_is_served_at_its_url() {
    let world = world().await;
    let url = world
        .client
        .upload_avatar("image/png", b"\x89PNG fake image".to_vec())
        .await
        .unwrap();
    assert!(url.starts_with(world.emulator.base_url()));
    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(&served.bytes().await.unwrap()[..], b"\x89PNG fake image");
}
