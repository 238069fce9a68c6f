//! GetProfile, UpdateProfile and UpdateOtherProfile against exact requests.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{AccountUpdate, Address, Error, ErrorCode, ProfileClaims};
use serde_json::json;

#[tokio::test]
async fn profile_sends_bearer_token_and_decodes_the_full_account() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account")
                .header_missing(VERIFICATION_HEADER)
                .header(
                    "user-agent",
                    concat!("logto-account/", env!("CARGO_PKG_VERSION")),
                )
                .header_missing("content-type");
            logto_json(then, 200, full_account());
        })
        .await;

    let account = client.account().await.unwrap();

    mock.assert_async().await;
    assert_eq!(account.id, "n25n9482fsgh");
    assert_eq!(account.username.as_deref(), Some("ada"));
    assert_eq!(account.primary_email.as_deref(), Some("ada@example.com"));
    assert_eq!(account.primary_phone.as_deref(), Some("12025550123"));
    assert_eq!(account.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        account.avatar.as_deref(),
        Some("https://example.com/ada.png")
    );
    assert_eq!(
        account.custom_data.unwrap(),
        json!({"theme": "dark", "beta": true})
            .as_object()
            .unwrap()
            .clone()
    );
    let github = &account.identities.unwrap()["github"];
    assert_eq!(github.user_id, "4242");
    assert_eq!(
        github.details,
        json!({"login": "ada"}).as_object().unwrap().clone()
    );
    assert_eq!(account.last_sign_in_at, Some(millis(1764068084879)));
    assert_eq!(account.created_at, Some(millis(1764060000000)));
    assert_eq!(account.updated_at, Some(millis(1764068000000)));
    let profile = account.profile.unwrap();
    assert_eq!(profile.given_name.as_deref(), Some("Ada"));
    assert_eq!(profile.family_name.as_deref(), Some("Lovelace"));
    assert_eq!(
        profile.address,
        Some(Address {
            country: Some("GB".into()),
            locality: Some("London".into()),
            ..Default::default()
        })
    );
    assert_eq!(account.application_id.as_deref(), Some("demo-app"));
    assert_eq!(account.is_suspended, Some(false));
    assert_eq!(account.has_password, Some(true));
    assert_eq!(account.has_security_verification_method, Some(true));
    assert!(account.sso_identities.is_empty());
}

#[tokio::test]
async fn profile_of_an_openid_only_token_has_only_id_and_security_flag() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(
                then,
                200,
                json!({"id":"n25n9482fsgh","hasSecurityVerificationMethod":true}),
            );
        })
        .await;

    let account = client.account().await.unwrap();

    assert_eq!(account.id, "n25n9482fsgh");
    assert_eq!(account.has_security_verification_method, Some(true));
    assert_eq!(account.username, None);
    assert_eq!(account.has_password, None);
    assert_eq!(account.custom_data, None);
    assert_eq!(account.identities, None);
    assert_eq!(account.profile, None);
    assert_eq!(account.created_at, None);
}

#[tokio::test]
async fn profile_limited_by_field_settings_keeps_null_name_and_ignores_unknown_fields() {
    // With only `name: ReadOnly`, Logto answers `{name: null, ...}` without
    // the other fields; newer servers add fields (cimdClientId) we must skip.
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(
                then,
                200,
                json!({
                    "id": "u1", "name": null, "lastSignInAt": null,
                    "createdAt": 1764060000000i64, "updatedAt": 1764060000000i64,
                    "applicationId": null, "isSuspended": false,
                    "hasSecurityVerificationMethod": false,
                    "cimdClientId": null, "someFutureField": {"x": 1}
                }),
            );
        })
        .await;

    let account = client.account().await.unwrap();

    assert_eq!(account.id, "u1");
    assert_eq!(account.name, None);
    assert_eq!(account.last_sign_in_at, None);
    assert_eq!(account.avatar, None);
    assert_eq!(account.primary_email, None);
    assert_eq!(account.has_security_verification_method, Some(false));
}

#[tokio::test]
async fn profile_without_id_is_a_decode_error() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(then, 200, json!({"name": "x"}));
        })
        .await;

    let error = client.account().await.unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn profile_with_account_center_disabled_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(
                then,
                400,
                json!({"code":"account_center.not_enabled","message":"Account center is not enabled."}),
            );
        })
        .await;

    let error = client.account().await.unwrap_err();

    assert!(error.is_account_center_disabled());
    let api = error.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 400);
    assert_eq!(api.code(), Some(&ErrorCode::AccountCenterNotEnabled));
    assert_eq!(api.message(), "Account center is not enabled.");
    assert_eq!(api.request_id(), Some(REQUEST_ID));
}

#[tokio::test]
async fn update_profile_sends_only_the_changed_fields_and_explicit_nulls() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account")
                .header_missing(VERIFICATION_HEADER)
                .header("content-type", "application/json")
                .json_body(json!({"name": "Renamed", "avatar": null, "customData": {}}));
            logto_json(
                then,
                200,
                json!({"id": "u1", "name": "Renamed", "avatar": null, "customData": {}}),
            );
        })
        .await;

    let update = AccountUpdate::new()
        .name("Renamed")
        .clear_avatar()
        .custom_data(serde_json::Map::new());
    let account = client.update_account(&update).await.unwrap();

    mock.assert_async().await;
    assert_eq!(account.name.as_deref(), Some("Renamed"));
    assert_eq!(account.avatar, None);
    assert_eq!(account.custom_data, Some(serde_json::Map::new()));
}

#[tokio::test]
async fn update_profile_with_nothing_to_change_sends_nothing() {
    let (server, client) = setup().await;
    let mock = catch_all(&server).await;

    let error = client
        .update_account(&AccountUpdate::new())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::InvalidInput {
                field: "account update",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn update_profile_of_a_read_only_field_is_field_not_editable() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account").json_body(json!({"name": "N"}));
            logto_json(
                then,
                400,
                json!({"code":"account_center.field_not_editable","message":"Field is not editable."}),
            );
        })
        .await;

    let error = client
        .update_account(&AccountUpdate::new().name("N"))
        .await
        .unwrap_err();

    assert!(error.is_field_not_editable());
    assert_eq!(error.code(), Some(&ErrorCode::FieldNotEditable));
}

#[tokio::test]
async fn old_servers_misspelled_field_not_editable_is_recognised() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account");
            logto_json(
                then,
                400,
                json!({"code":"account_center.filed_not_editable","message":"Field is not editable."}),
            );
        })
        .await;

    let error = client
        .update_account(&AccountUpdate::new().name("N"))
        .await
        .unwrap_err();

    assert!(error.is_field_not_editable());
}

#[tokio::test]
async fn change_username_sends_the_verification_header() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"username": "ada_l"}));
            logto_json(then, 200, json!({"id": "u1", "username": "ada_l"}));
        })
        .await;

    let account = client.change_username(&identity(), "ada_l").await.unwrap();

    mock.assert_async().await;
    assert_eq!(account.username.as_deref(), Some("ada_l"));
}

#[tokio::test]
async fn remove_username_sends_null_with_the_verification_header() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"username": null}));
            logto_json(
                then,
                400,
                json!({"code":"user.last_sign_in_method_required","message":"You need to keep at least one identifier in your account."}),
            );
        })
        .await;

    let error = client.remove_username(&identity()).await.unwrap_err();

    mock.assert_async().await;
    assert_eq!(error.code(), Some(&ErrorCode::LastSignInMethodRequired));
}

#[tokio::test]
async fn username_the_server_would_refuse_is_refused_before_sending() {
    let (server, client) = setup().await;
    let mock = catch_all(&server).await;

    for bad in ["bad name!", "1abc", "", "ünïcode"] {
        let error = client.change_username(&identity(), bad).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    field: "username",
                    ..
                }
            ),
            "{bad}: {error:?}"
        );
    }
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn server_guard_error_exposes_its_issues() {
    // The real answer to PATCH /api/my-account {"username":"bad name!"}.
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account");
            logto_json(
                then,
                400,
                json!({"code":"guard.invalid_input","data":{"issues":[{"validation":"regex","code":"invalid_string","message":"Invalid","path":["username"]}],"name":"ZodError"},"details":"Error in key path \"username\": (invalid_string) Invalid","message":"The request body is invalid."}),
            );
        })
        .await;

    let error = client
        .update_account(&AccountUpdate::new().name("x"))
        .await
        .unwrap_err();

    let api = error.api_error().unwrap();
    assert_eq!(api.code(), Some(&ErrorCode::GuardInvalidInput));
    assert_eq!(
        api.details(),
        Some("Error in key path \"username\": (invalid_string) Invalid")
    );
    let issues = api.input_issues();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].path, vec!["username".to_owned()]);
    assert_eq!(issues[0].code, "invalid_string");
    assert_eq!(issues[0].message, "Invalid");
}

#[tokio::test]
async fn update_profile_sends_the_claims_and_returns_the_merged_profile() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account/profile")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({"givenName": "A", "address": {"locality": "X"}}));
            logto_json(
                then,
                200,
                json!({"familyName":"F","givenName":"A","nickname":"N","address":{"locality":"X"}}),
            );
        })
        .await;

    let claims = ProfileClaims {
        given_name: Some("A".into()),
        address: Some(Address {
            locality: Some("X".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let merged = client.update_profile(&claims).await.unwrap();

    mock.assert_async().await;
    assert_eq!(merged.family_name.as_deref(), Some("F"));
    assert_eq!(merged.given_name.as_deref(), Some("A"));
    assert_eq!(merged.nickname.as_deref(), Some("N"));
    assert_eq!(merged.address.unwrap().locality.as_deref(), Some("X"));
}

#[tokio::test]
async fn update_profile_without_profile_scope_is_a_400_unauthorized() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, PATCH, "/api/my-account/profile");
            logto_json(
                then,
                400,
                json!({"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."}),
            );
        })
        .await;

    let error = client
        .update_profile(&ProfileClaims::default())
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
}
