//! Reading and changing the profile, end to end against the emulator.

use crate::emulated::*;
use logto_account::{AccountUpdate, Address, Error, ErrorCode, ProfileClaims};
use logto_account_emulator::{Field, FieldAccess, NewUser};
use serde_json::{Map, json};

#[tokio::test]
async fn profile_reads_the_account() {
    let world = world().await;
    let account = world.client.account().await.unwrap();
    assert_eq!(account.id, world.user_id);
    assert_eq!(account.username.as_deref(), Some("ada"));
    assert_eq!(account.primary_email.as_deref(), Some(EMAIL));
    assert_eq!(account.name.as_deref(), Some("Ada"));
    assert_eq!(account.has_password, Some(true));
    assert_eq!(account.has_security_verification_method, Some(true));
    assert!(account.created_at.is_some());
    assert!(account.sso_identities.is_empty());
}

#[tokio::test]
async fn an_openid_only_token_reads_just_the_id() {
    let world = world().await;
    let account = world
        .client_with_scopes(&["openid"])
        .account()
        .await
        .unwrap();
    assert_eq!(account.id, world.user_id);
    assert_eq!(account.username, None);
    assert_eq!(account.primary_email, None);
    assert_eq!(account.has_security_verification_method, Some(true));
}

#[tokio::test]
async fn update_profile_changes_name_avatar_and_custom_data() {
    let world = world().await;
    let mut data = Map::new();
    data.insert("theme".into(), json!("dark"));
    let account = world
        .client
        .update_account(
            &AccountUpdate::new()
                .name("Ada Lovelace")
                .avatar("https://example.com/ada.png")
                .custom_data(data.clone()),
        )
        .await
        .unwrap();
    assert_eq!(account.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        account.avatar.as_deref(),
        Some("https://example.com/ada.png")
    );
    assert_eq!(account.custom_data, Some(data));

    let cleared = world
        .client
        .update_account(&AccountUpdate::new().clear_name().clear_avatar())
        .await
        .unwrap();
    assert_eq!(cleared.name, None);
    assert_eq!(cleared.avatar, None);
}

#[tokio::test]
async fn a_read_only_field_fails_as_not_editable() {
    let world = world().await;
    world
        .emulator
        .set_field_access(Field::Name, FieldAccess::ReadOnly);
    let error = world
        .client
        .update_account(&AccountUpdate::new().name("N"))
        .await
        .unwrap_err();
    assert!(error.is_field_not_editable());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn a_disabled_account_center_fails_every_call() {
    let world = world().await;
    world.emulator.set_account_center_enabled(false);
    let read = world.client.account().await.unwrap_err();
    assert!(read.is_account_center_disabled());
    let verify = world
        .client
        .verify_password(&logto_account::Password::new(PASSWORD))
        .await
        .unwrap_err();
    assert!(verify.is_account_center_disabled());
    assert_eq!(verify.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn a_missing_profile_scope_is_400_unauthorized() {
    let world = world().await;
    let client = world.client_with_scopes(&["openid"]);
    let error = client
        .update_account(&AccountUpdate::new().name("N"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    let claims = client
        .update_profile(&ProfileClaims::default())
        .await
        .unwrap_err();
    assert_eq!(claims.code(), Some(&ErrorCode::Unauthorized));
}

#[tokio::test]
async fn an_empty_update_is_refused_before_sending() {
    let world = world().await;
    let error = world
        .client
        .update_account(&AccountUpdate::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
}

#[tokio::test]
async fn change_username_needs_a_proof_and_a_free_name() {
    let world = world().await;
    world
        .emulator
        .create_user(NewUser::new().username("grace"))
        .unwrap();
    let proof = world.proof().await;
    let taken = world
        .client
        .change_username(&proof, "grace")
        .await
        .unwrap_err();
    assert_eq!(taken.code(), Some(&ErrorCode::UsernameAlreadyInUse));
    let account = world.client.change_username(&proof, "ada_l").await.unwrap();
    assert_eq!(account.username.as_deref(), Some("ada_l"));
    let removed = world.client.remove_username(&proof).await.unwrap();
    assert_eq!(removed.username, None);
}

#[tokio::test]
async fn remove_username_keeps_the_last_identifier() {
    let world = world_with(
        NewUser::new().username("solo").password(PASSWORD),
        &logto_account_emulator::DEFAULT_SCOPES,
    )
    .await;
    let proof = world.proof().await;
    let error = world.client.remove_username(&proof).await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::LastSignInMethodRequired));
}

#[tokio::test]
async fn profile_claims_merge_and_address_is_replaced_whole() {
    let world = world().await;
    let first = ProfileClaims {
        family_name: Some("Lovelace".into()),
        address: Some(Address {
            country: Some("UK".into()),
            locality: Some("London".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    world.client.update_profile(&first).await.unwrap();
    let second = ProfileClaims {
        given_name: Some("Ada".into()),
        address: Some(Address {
            locality: Some("Marylebone".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let merged = world.client.update_profile(&second).await.unwrap();
    assert_eq!(merged.family_name.as_deref(), Some("Lovelace"));
    assert_eq!(merged.given_name.as_deref(), Some("Ada"));
    let address = merged.address.unwrap();
    assert_eq!(address.locality.as_deref(), Some("Marylebone"));
    assert_eq!(address.country, None);
    let account = world.client.account().await.unwrap();
    assert_eq!(
        account.profile.unwrap().family_name.as_deref(),
        Some("Lovelace")
    );
}

#[tokio::test]
async fn a_wrong_endpoint_gets_the_plain_text_404_as_an_unexpected_response() {
    let world = world().await;
    let token = world.emulator.issue_default_token(&world.user_id);
    let endpoint = format!("{}/not-logto", world.emulator.base_url());
    let client =
        logto_account::AccountClient::new(&endpoint, logto_account::AccessToken::new(token))
            .unwrap();
    let error = client.account().await.unwrap_err();
    match error {
        Error::UnexpectedResponse {
            status,
            content_type,
            body,
            request_id,
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(content_type.as_deref(), Some("text/plain; charset=utf-8"));
            assert_eq!(body, "Not Found");
            assert_eq!(request_id.map(|id| id.len()), Some(16));
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}
