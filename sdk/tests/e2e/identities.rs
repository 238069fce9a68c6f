//! Linking and unlinking social identities, end to end against the emulator.

use crate::emulated::*;
use logto_account::{ErrorCode, SocialVerificationRequest};
use logto_account_emulator::{DEFAULT_SCOPES, MOCK_SOCIAL_CONNECTOR_ID, NewUser};
use serde_json::{Map, json};

fn request() -> SocialVerificationRequest {
    SocialVerificationRequest {
        connector_id: MOCK_SOCIAL_CONNECTOR_ID.into(),
        state: "csrf-state".into(),
        redirect_uri: "https://app.example/callback".into(),
        scope: None,
    }
}

fn callback(code: String) -> Map<String, serde_json::Value> {
    let mut data = Map::new();
    data.insert("code".into(), json!(code));
    data.insert("state".into(), json!("csrf-state"));
    data
}

#[tokio::test]
async fn link_and_unlink_a_social_identity() {
    let world = world().await;
    let proof = world.proof().await;
    let pending = world
        .client
        .start_social_verification(&request())
        .await
        .unwrap();
    assert!(
        pending
            .authorization_uri()
            .starts_with(world.emulator.base_url())
    );
    let code = world
        .emulator
        .social_code_for(MOCK_SOCIAL_CONNECTOR_ID, "octocat");
    let social = world
        .client
        .complete_social_verification(&pending, callback(code))
        .await
        .unwrap();
    world
        .client
        .link_social_identity(&proof, &social)
        .await
        .unwrap();
    let identities = world.client.account().await.unwrap().identities.unwrap();
    assert_eq!(identities["mock-social"].user_id, "octocat");

    let again = world
        .client
        .link_social_identity(&proof, &social)
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some(&ErrorCode::IdentityAlreadyInUse));
    assert_eq!(again.status().map(|s| s.as_u16()), Some(400));

    world
        .client
        .unlink_social_identity(&proof, "mock-social")
        .await
        .unwrap();
    let missing = world
        .client
        .unlink_social_identity(&proof, "mock-social")
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some(&ErrorCode::IdentityNotExist));
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn linking_needs_proof_when_the_user_has_a_password() {
    let world = world().await;
    let pending = world
        .client
        .start_social_verification(&request())
        .await
        .unwrap();
    let code = world
        .emulator
        .social_code_for(MOCK_SOCIAL_CONNECTOR_ID, "octocat");
    let social = world
        .client
        .complete_social_verification(&pending, callback(code))
        .await
        .unwrap();
    let error = world
        .client
        .link_social_identity_without_verification(&social)
        .await
        .unwrap_err();
    assert!(error.is_reauthentication_required());
}

#[tokio::test]
async fn a_user_without_a_security_method_links_and_unlinks_freely() {
    let world = world_with(
        NewUser::new().social_identity("mock-social", "first"),
        &DEFAULT_SCOPES,
    )
    .await;
    world
        .emulator
        .add_social_connector("github-connector", "github");
    let pending = world
        .client
        .start_social_verification(&SocialVerificationRequest {
            connector_id: "github-connector".into(),
            ..request()
        })
        .await
        .unwrap();
    let code = world.emulator.social_code_for("github-connector", "gh-1");
    let social = world
        .client
        .complete_social_verification(&pending, callback(code))
        .await
        .unwrap();
    world
        .client
        .link_social_identity_without_verification(&social)
        .await
        .unwrap();
    world
        .client
        .unlink_social_identity_without_verification("mock-social")
        .await
        .unwrap();
    // The last identity is the last identifier: it stays.
    let error = world
        .client
        .unlink_social_identity_without_verification("github")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::LastSignInMethodRequired));
}

#[tokio::test]
async fn a_social_account_of_another_user_is_already_in_use() {
    let world = world().await;
    world
        .emulator
        .create_user(NewUser::new().social_identity("mock-social", "taken"))
        .unwrap();
    let proof = world.proof().await;
    let pending = world
        .client
        .start_social_verification(&request())
        .await
        .unwrap();
    let code = world
        .emulator
        .social_code_for(MOCK_SOCIAL_CONNECTOR_ID, "taken");
    let social = world
        .client
        .complete_social_verification(&pending, callback(code))
        .await
        .unwrap();
    let error = world
        .client
        .link_social_identity(&proof, &social)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::IdentityAlreadyInUse));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn an_unknown_connector_is_invalid_connector_id() {
    let world = world().await;
    let error = world
        .client
        .start_social_verification(&SocialVerificationRequest {
            connector_id: "nope".into(),
            ..request()
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidConnectorId));
}

#[tokio::test]
async fn the_identities_scope_is_401_to_link_and_400_to_unlink() {
    let world = world().await;
    let proof = world.proof().await;
    let client = world.client_with_scopes(&["openid", "profile"]);
    let pending = client.start_social_verification(&request()).await.unwrap();
    let code = world
        .emulator
        .social_code_for(MOCK_SOCIAL_CONNECTOR_ID, "x");
    let social = client
        .complete_social_verification(&pending, callback(code))
        .await
        .unwrap();
    let link = client
        .link_social_identity(&proof, &social)
        .await
        .unwrap_err();
    assert_eq!(link.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(link.status().map(|s| s.as_u16()), Some(401));
    let unlink = client
        .unlink_social_identity(&proof, "mock-social")
        .await
        .unwrap_err();
    assert_eq!(unlink.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(unlink.status().map(|s| s.as_u16()), Some(400));
}
