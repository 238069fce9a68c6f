//! UpdatePassword: with proof, and the first password without.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{ErrorCode, Password, PasswordIssue};
use serde_json::json;

#[tokio::test]
async fn change_password_sends_the_proof_and_the_new_password() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password")
                .header(VERIFICATION_HEADER, RECORD_ID)
                .json_body(json!({"password": "a much better passphrase"}));
            no_content(then);
        })
        .await;

    client
        .change_password(&identity(), &Password::new("a much better passphrase"))
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn change_password_rejected_by_policy_lists_typed_issues() {
    // The real answer to {"password":"123456"} with a valid record.
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password");
            logto_json(
                then,
                422,
                json!({"code":"password.rejected","data":[{"code":"password_rejected.too_short","interpolation":{"min":8}},{"code":"password_rejected.restricted.sequence"}],"message":"Password rejected. Please check if your password meets the requirements."}),
            );
        })
        .await;

    let error = client
        .change_password(&identity(), &Password::new("123456"))
        .await
        .unwrap_err();

    let api = error.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 422);
    assert_eq!(api.code(), Some(&ErrorCode::PasswordRejected));
    assert_eq!(
        api.password_issues(),
        vec![PasswordIssue::TooShort { min: 8 }, PasswordIssue::Sequence]
    );
    assert!(api.input_issues().is_empty());
}

#[tokio::test]
async fn every_documented_password_issue_is_typed_and_unknown_ones_are_kept() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password");
            logto_json(
                then,
                422,
                json!({"code":"password.rejected","message":"Password rejected.","data":[
                    {"code":"password_rejected.too_long","interpolation":{"max":256}},
                    {"code":"password_rejected.character_types","interpolation":{"min":2}},
                    {"code":"password_rejected.unsupported_characters"},
                    {"code":"password_rejected.pwned"},
                    {"code":"password_rejected.restricted.repetition"},
                    {"code":"password_rejected.restricted.user_info"},
                    {"code":"password_rejected.restricted.words"},
                    {"code":"password_rejected.brand_new","interpolation":{"x":1}}
                ]}),
            );
        })
        .await;

    let error = client
        .change_password(&identity(), &Password::new("x"))
        .await
        .unwrap_err();

    assert_eq!(
        error.api_error().unwrap().password_issues(),
        vec![
            PasswordIssue::TooLong { max: 256 },
            PasswordIssue::CharacterTypes { min: 2 },
            PasswordIssue::UnsupportedCharacters,
            PasswordIssue::Pwned,
            PasswordIssue::Repetition,
            PasswordIssue::UserInfo,
            PasswordIssue::RestrictedWords,
            PasswordIssue::Other {
                code: "password_rejected.brand_new".into(),
                interpolation: Some(json!({"x": 1})),
            },
        ]
    );
}

#[tokio::test]
async fn change_password_with_an_invalid_record_requires_reauthentication() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password").header(VERIFICATION_HEADER, RECORD_ID);
            logto_json(then, 401, permission_denied());
        })
        .await;

    let error = client
        .change_password(&identity(), &Password::new("a much better passphrase"))
        .await
        .unwrap_err();

    assert!(error.is_reauthentication_required());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        error.api_error().unwrap().message(),
        "Permission denied, please re-authenticate."
    );
}

#[tokio::test]
async fn set_initial_password_sends_no_verification_header() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password")
                .header_missing(VERIFICATION_HEADER)
                .json_body(json!({"password": "first passphrase"}));
            no_content(then);
        })
        .await;

    client
        .set_initial_password(&Password::new("first passphrase"))
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn set_initial_password_for_a_user_with_a_password_requires_reauthentication() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password").header_missing(VERIFICATION_HEADER);
            logto_json(then, 401, permission_denied());
        })
        .await;

    let error = client
        .set_initial_password(&Password::new("first passphrase"))
        .await
        .unwrap_err();

    assert!(error.is_reauthentication_required());
}

#[tokio::test]
async fn same_password_is_typed() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/password");
            logto_json(
                then,
                422,
                json!({"code":"user.same_password","message":"New password cannot be the same as your old password."}),
            );
        })
        .await;

    let error = client
        .change_password(&identity(), &Password::new("old one"))
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::SamePassword));
    assert!(error.api_error().unwrap().password_issues().is_empty());
}
