//! GetSocialIdentityAccessToken, UpdateSocialIdentityAccessTokenByVerificationId,
//! GetEnterpriseSsoIdentityAccessToken.

use std::time::Duration;

use crate::common::*;
use crate::identities::verified_social;
use httpmock::prelude::*;
use logto_account::ErrorCode;
use serde_json::json;

const PROVIDER_TOKEN: &str = "ya29.provider-token-secret";

fn forbidden() -> serde_json::Value {
    json!({"code":"auth.forbidden","message":"Forbidden. Please check your user roles and permissions."})
}

#[tokio::test]
async fn social_identity_token_decodes_a_numeric_expiry_and_hides_the_token() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/identities/google/access-token");
            logto_json(
                then,
                200,
                json!({"access_token": PROVIDER_TOKEN, "scope": "email", "token_type": "Bearer", "expires_in": 3599}),
            );
        })
        .await;
    let token = client.social_identity_token("google").await.unwrap();
    assert_eq!(token.access_token.expose_secret(), PROVIDER_TOKEN);
    assert_eq!(token.expires_in, Some(Duration::from_secs(3599)));
    assert_eq!(token.token_type.as_deref(), Some("Bearer"));
    assert!(!format!("{token:?}").contains(PROVIDER_TOKEN));
}

#[tokio::test]
async fn social_identity_token_not_stored_is_token_not_found() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/identities/google/access-token");
            logto_json(
                then,
                404,
                json!({"code":"secrets.third_party_token_set.token_not_found","message":"Token record not found."}),
            );
        })
        .await;
    let error = client.social_identity_token("google").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::TokenNotFound));
}

#[tokio::test]
async fn social_identity_token_without_the_identities_scope_is_403_forbidden() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/identities/google/access-token");
            logto_json(then, 403, forbidden());
        })
        .await;
    let error = client.social_identity_token("google").await.unwrap_err();
    assert!(error.is_missing_scope());
}

#[tokio::test]
async fn update_social_identity_token_sends_the_social_record_and_decodes_a_string_expiry() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PUT, "/api/my-account/identities/google/access-token")
                .json_body(json!({"verificationRecordId": NEW_RECORD_ID}));
            logto_json(
                then,
                200,
                json!({"access_token": PROVIDER_TOKEN, "expires_in": "3600"}),
            );
        })
        .await;
    let token = client
        .update_social_identity_token("google", &social)
        .await
        .unwrap();
    assert_eq!(token.expires_in, Some(Duration::from_secs(3600)));
    mock.assert_async().await;
}

#[tokio::test]
async fn update_social_identity_token_for_another_target_is_invalid_target() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    server
        .mock_async(|when, then| {
            request(when, PUT, "/api/my-account/identities/google/access-token");
            logto_json(
                then,
                422,
                json!({"code":"verification_record.social_verification.invalid_target","message":"Invalid verification record. Expected google but got github."}),
            );
        })
        .await;
    let error = client
        .update_social_identity_token("google", &social)
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(&ErrorCode::SocialVerificationInvalidTarget)
    );
}

#[tokio::test]
async fn sso_identity_token_reads_the_token() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/sso-identities/o/access-token");
            logto_json(then, 200, json!({"access_token": PROVIDER_TOKEN}));
        })
        .await;
    let token = client.sso_identity_token("o").await.unwrap();
    assert_eq!(token.expires_in, None);
    assert_eq!(token.scope, None);
}

#[tokio::test]
async fn sso_identity_token_without_the_scope_is_403_forbidden() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/sso-identities/o/access-token");
            logto_json(then, 403, forbidden());
        })
        .await;
    let error = client.sso_identity_token("o").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Forbidden));
    assert!(error.is_missing_scope());
}
