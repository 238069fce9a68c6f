//! Linking and unlinking social identities, end to end against the emulator.

use crate::emulated::*;
use std::time::Duration;

use logto_account::{
    ErrorCode, IdentityVerification, ProviderToken, SocialVerificationRequest,
    VerifiedSocialIdentity,
};
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

/// A completed social verification of `social_user_id` at `connector_id`.
async fn verified(
    world: &World,
    connector_id: &str,
    social_user_id: &str,
) -> VerifiedSocialIdentity {
    let pending = world
        .client
        .start_social_verification(&SocialVerificationRequest {
            connector_id: connector_id.into(),
            ..request()
        })
        .await
        .unwrap();
    let code = world.emulator.social_code_for(connector_id, social_user_id);
    world
        .client
        .complete_social_verification(&pending, callback(code))
        .await
        .unwrap()
}

/// Verifies and links the mock connector's `social_user_id`, with proof.
async fn link_mock(world: &World, proof: &IdentityVerification, social_user_id: &str) {
    let social = verified(world, MOCK_SOCIAL_CONNECTOR_ID, social_user_id).await;
    world
        .client
        .link_social_identity(proof, &social)
        .await
        .unwrap();
}

/// The provider token Logto keeps for the mock connector's identity.
async fn mock_token(world: &World) -> ProviderToken {
    world
        .client
        .social_identity_token("mock-social")
        .await
        .unwrap()
}

/// The social user id the account has linked for `target`.
async fn linked(world: &World, target: &str) -> Option<String> {
    let account = world.client.account().await.unwrap();
    let identities = account.identities.unwrap_or_default();
    identities
        .get(target)
        .map(|identity| identity.user_id.clone())
}

#[tokio::test]
async fn replacing_swaps_the_social_account_and_its_provider_token() {
    let world = world().await;
    let proof = world.proof().await;
    link_mock(&world, &proof, "octocat").await;
    let old_token = mock_token(&world).await;

    // Linking a second account for the same target is refused; replacing it is not.
    let second = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "hubot").await;
    let refused = world
        .client
        .link_social_identity(&proof, &second)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(&ErrorCode::IdentityAlreadyInUse));
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400));
    world
        .client
        .replace_social_identity(&proof, &second)
        .await
        .unwrap();
    assert_eq!(
        linked(&world, "mock-social").await.as_deref(),
        Some("hubot")
    );
    let new_token = mock_token(&world).await;
    assert_ne!(
        new_token.access_token.expose_secret(),
        old_token.access_token.expose_secret()
    );
}

#[tokio::test]
async fn replacing_without_proof_is_refused_when_the_user_has_a_password() {
    let world = world().await;
    let social = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "octocat").await;
    let error = world
        .client
        .replace_social_identity_without_verification(&social)
        .await
        .unwrap_err();
    assert!(error.is_reauthentication_required());
    assert_eq!(linked(&world, "mock-social").await, None);
}

#[tokio::test]
async fn a_user_without_a_security_method_replaces_without_proof() {
    let world = world_with(
        NewUser::new().social_identity("mock-social", "first"),
        &DEFAULT_SCOPES,
    )
    .await;
    let social = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "second").await;
    world
        .client
        .replace_social_identity_without_verification(&social)
        .await
        .unwrap();
    assert_eq!(
        linked(&world, "mock-social").await.as_deref(),
        Some("second")
    );
}

#[tokio::test]
async fn provider_tokens_of_a_linked_identity_are_read_and_renewed() {
    let world = world().await;
    let proof = world.proof().await;
    link_mock(&world, &proof, "octocat").await;
    let stored = mock_token(&world).await;
    assert_eq!(stored.token_type.as_deref(), Some("Bearer"));
    assert_eq!(stored.scope.as_deref(), Some("profile"));
    // The mock connector's tokens live an hour, counted down by real time.
    let expires_in = stored.expires_in.unwrap();
    assert!(expires_in <= Duration::from_secs(3600) && expires_in >= Duration::from_secs(3590));

    // The user authorizes the provider again: the new tokens replace the stored ones.
    let again = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "octocat").await;
    let renewed = world
        .client
        .update_social_identity_token("mock-social", &again)
        .await
        .unwrap();
    assert_ne!(
        renewed.access_token.expose_secret(),
        stored.access_token.expose_secret()
    );
    let read = mock_token(&world).await;
    assert_eq!(
        read.access_token.expose_secret(),
        renewed.access_token.expose_secret()
    );
}

#[tokio::test]
async fn renewing_provider_tokens_needs_the_same_provider_account_and_scope() {
    let world = world().await;
    world
        .emulator
        .add_social_connector("github-connector", "github");
    let proof = world.proof().await;
    link_mock(&world, &proof, "octocat").await;

    let other_account = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "hubot").await;
    let error = world
        .client
        .update_social_identity_token("mock-social", &other_account)
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(&ErrorCode::IdentityNotExistsInCurrentUser)
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));

    let other_provider = verified(&world, "github-connector", "octocat").await;
    let error = world
        .client
        .update_social_identity_token("mock-social", &other_provider)
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(&ErrorCode::SocialVerificationInvalidTarget)
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));

    let again = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "octocat").await;
    let no_scope = world.client_with_scopes(&["openid", "profile"]);
    let error = no_scope
        .update_social_identity_token("mock-social", &again)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Forbidden));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(error.is_missing_scope());
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
    let social = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "octocat").await;
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
    let social = verified(&world, "github-connector", "gh-1").await;
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
    let social = verified(&world, MOCK_SOCIAL_CONNECTOR_ID, "taken").await;
    let error = world
        .client
        .link_social_identity(&proof, &social)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::IdentityAlreadyInUse));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    // Replacing is refused the same way: the account is another user's.
    let error = world
        .client
        .replace_social_identity(&proof, &social)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::IdentityAlreadyInUse));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(linked(&world, "mock-social").await, None);
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
