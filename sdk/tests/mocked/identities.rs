//! AddUserIdentities and DeleteIdentity.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{
    AccountClient, ErrorCode, PendingSocialVerification, VerificationRecordId,
    VerifiedSocialIdentity,
};
use serde_json::json;

pub async fn verified_social(
    server: &httpmock::MockServer,
    client: &AccountClient,
) -> VerifiedSocialIdentity {
    let verify = server
        .mock_async(|when, then| {
            request(when, POST, "/api/verifications/social/verify");
            logto_json(then, 200, json!({"verificationRecordId": NEW_RECORD_ID}));
        })
        .await;
    let pending = PendingSocialVerification::from_parts(
        VerificationRecordId::new(NEW_RECORD_ID).unwrap(),
        "https://github.com/login/oauth/authorize".into(),
        expires_at(),
    );
    let social = client
        .complete_social_verification(&pending, serde_json::Map::new())
        .await
        .unwrap();
    verify.delete_async().await;
    social
}

#[tokio::test]
async fn link_social_identity_sends_both_proofs() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/identities")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"newIdentifierVerificationRecordId": NEW_RECORD_ID}));
            no_content(then);
        })
        .await;

    client
        .link_social_identity(&identity(), &social)
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn link_social_identity_without_verification_sends_no_header() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/identities")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({"newIdentifierVerificationRecordId": NEW_RECORD_ID}));
            no_content(then);
        })
        .await;

    client
        .link_social_identity_without_verification(&social)
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn link_an_identity_of_another_user_is_typed() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/identities");
            logto_json(
                then,
                422,
                json!({"code":"user.identity_already_in_use","message":"The social account has been associated with an existing account."}),
            );
        })
        .await;

    let error = client
        .link_social_identity(&identity(), &social)
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(error.code(), Some(&ErrorCode::IdentityAlreadyInUse));
}

#[tokio::test]
async fn unlink_social_identity_sends_the_proof_to_the_target_path() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/identities/github")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .body("");
            no_content(then);
        })
        .await;

    client
        .unlink_social_identity(&identity(), "github")
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn unlink_an_identity_the_user_lacks_is_a_typed_404() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/identities/github");
            logto_json(
                then,
                404,
                json!({"code":"user.identity_not_exist","message":"The social account has not been registered yet."}),
            );
        })
        .await;

    let error = client
        .unlink_social_identity(&identity(), "github")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.code(), Some(&ErrorCode::IdentityNotExist));
}

#[tokio::test]
async fn unlink_without_verification_sends_no_header_and_encodes_the_target() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/identities/a%2Fb%3Fc")
                .header_missing(VERIFICATION_HEADER);
            no_content(then);
        })
        .await;

    client
        .unlink_social_identity_without_verification("a/b?c")
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn replace_social_identity_puts_both_proofs() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PUT, "/api/my-account/identities")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"newIdentifierVerificationRecordId": NEW_RECORD_ID}));
            no_content(then);
        })
        .await;
    client
        .replace_social_identity(&identity(), &social)
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn replace_social_identity_without_the_scope_is_a_missing_scope() {
    let (server, client) = setup().await;
    let social = verified_social(&server, &client).await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PUT, "/api/my-account/identities").header_missing(VERIFICATION_HEADER);
            logto_json(
                then,
                401,
                json!({"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."}),
            );
        })
        .await;
    let error = client
        .replace_social_identity_without_verification(&social)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    assert!(error.is_missing_scope());
    mock.assert_async().await;
}
