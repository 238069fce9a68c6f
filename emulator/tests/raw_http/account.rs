//! `/api/my-account` routes, raw, against the facts' real answers.

use std::time::Duration;

use crate::common::*;
use logto_account_emulator::{DEFAULT_APPLICATION_ID, DEFAULT_SCOPES, Field, FieldAccess, NewUser};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn get_shows_the_whole_account_with_default_scopes() {
    let fixture = setup().await;
    let answer = fixture.call(Method::GET, "/api/my-account", None).await;
    assert_eq!(answer.status, 200);
    let account = answer.json();
    assert_eq!(account["id"], json!(fixture.user_id));
    assert_eq!(account["username"], "ada");
    assert_eq!(account["primaryEmail"], EMAIL);
    assert_eq!(account["primaryPhone"], json!(null));
    assert_eq!(account["name"], "Ada");
    assert_eq!(account["hasPassword"], true);
    assert_eq!(account["hasSecurityVerificationMethod"], true);
    assert_eq!(account["customData"], json!({}));
    assert_eq!(account["identities"], json!({}));
    assert!(account["createdAt"].is_i64());
    assert_eq!(account["applicationId"], DEFAULT_APPLICATION_ID);
    assert_eq!(account["cimdClientId"], json!(null));
    // Logto's key order (its response guard's), not sorted.
    let keys: Vec<&str> = account
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "username",
            "primaryEmail",
            "primaryPhone",
            "name",
            "avatar",
            "customData",
            "identities",
            "lastSignInAt",
            "createdAt",
            "updatedAt",
            "profile",
            "applicationId",
            "cimdClientId",
            "isSuspended",
            "hasPassword",
            "hasSecurityVerificationMethod",
        ]
    );
}

#[tokio::test]
async fn the_account_names_the_application_the_token_was_issued_to() {
    let fixture = setup().await;
    let token = fixture.emulator.issue_token_to(
        "myapp0000000000000001",
        &fixture.user_id,
        &DEFAULT_SCOPES,
        Duration::from_secs(60),
    );
    let answer = fixture.get_account_with(&token).await;
    assert_eq!(answer.json()["applicationId"], "myapp0000000000000001");
}

#[tokio::test]
async fn custom_data_and_profile_claims_keep_logtos_key_order() {
    let fixture = setup().await;
    let answer = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"customData": {"zz": 1, "b": {"bb": 2, "a": 3}}})),
        )
        .await;
    // PostgreSQL jsonb: shorter keys first, then by bytes.
    assert!(
        answer
            .text
            .contains(r#""customData":{"b":{"a":3,"bb":2},"zz":1}"#),
        "{}",
        answer.text
    );
    let answer = fixture
        .call(
            Method::PATCH,
            "/api/my-account/profile",
            Some(json!({"nickname": "N", "address": {"country": "Y", "locality": "Z"}, "familyName": "F"})),
        )
        .await;
    // The profile guard's key order.
    assert_eq!(
        answer.text,
        r#"{"familyName":"F","nickname":"N","address":{"locality":"Z","country":"Y"}}"#
    );
}

#[tokio::test]
async fn an_openid_only_token_sees_just_the_id_and_security_method() {
    let fixture = setup().await;
    let token = fixture
        .emulator
        .issue_token(&fixture.user_id, &["openid", "offline_access"]);
    let answer = fixture.get_account_with(&token).await;
    assert_eq!(
        answer.json(),
        json!({"id": fixture.user_id, "hasSecurityVerificationMethod": true})
    );
}

#[tokio::test]
async fn fields_the_account_center_turns_off_are_left_out() {
    let fixture = setup().await;
    fixture
        .emulator
        .set_field_access(Field::Email, FieldAccess::Off);
    fixture
        .emulator
        .set_field_access(Field::Name, FieldAccess::ReadOnly);
    let account = fixture
        .call(Method::GET, "/api/my-account", None)
        .await
        .json();
    assert!(account.get("primaryEmail").is_none());
    assert_eq!(account["name"], "Ada");
}

#[tokio::test]
async fn get_has_a_strong_etag_and_honours_if_none_match() {
    let fixture = setup().await;
    let first = fixture.call(Method::GET, "/api/my-account", None).await;
    let etag = first.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'));
    assert_eq!(first.header("vary"), Some("Accept-Encoding, Origin"));
    for tag in [etag.clone(), format!("W/{etag}"), "*".to_owned()] {
        let response = fixture
            .http
            .get(format!("{}/api/my-account", fixture.emulator.base_url()))
            .bearer_auth(&fixture.token)
            .header("if-none-match", tag)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 304);
        assert_eq!(response.headers()["etag"], etag.as_str());
        assert!(response.text().await.unwrap().is_empty());
    }
    let other = fixture
        .http
        .get(format!("{}/api/my-account", fixture.emulator.base_url()))
        .bearer_auth(&fixture.token)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn patch_with_a_number_for_name_is_the_real_guard_error() {
    let fixture = setup().await;
    let answer = fixture
        .call(Method::PATCH, "/api/my-account", Some(json!({"name": 123})))
        .await;
    answer.assert_error(
        400,
        guard_error(
            json!([{"code": "invalid_type", "expected": "string", "received": "number", "path": ["name"], "message": "Expected string, received number"}]),
            "Error in key path \"name\": (invalid_type) Expected string but received number.",
        ),
    );
}

#[tokio::test]
async fn patch_with_a_bad_username_and_avatar_lists_both_issues() {
    let fixture = setup().await;
    let answer = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"username": "bad name!"})),
        )
        .await;
    answer.assert_error(
        400,
        guard_error(
            json!([{"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["username"]}]),
            "Error in key path \"username\": (invalid_string) Invalid",
        ),
    );
    let both = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"avatar": "not a url", "username": "1x"})),
        )
        .await;
    both.assert_error(
        400,
        guard_error(
            json!([
                {"validation": "url", "code": "invalid_string", "message": "Invalid url", "path": ["avatar"]},
                {"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["username"]}
            ]),
            "Error in key path \"avatar\": (invalid_string) Invalid url\nError in key path \"username\": (invalid_string) Invalid",
        ),
    );
}

#[tokio::test]
async fn patch_with_nothing_to_change_is_422() {
    let fixture = setup().await;
    let expected = json!({"code": "entity.invalid_input", "message": "Invalid input. Value list must not be empty."});
    fixture
        .call(Method::PATCH, "/api/my-account", Some(json!({})))
        .await
        .assert_error(422, expected.clone());
    // Unknown keys are dropped, as zod does, so this is empty too.
    fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"nickname": "x"})),
        )
        .await
        .assert_error(422, expected.clone());
    fixture
        .call(Method::PATCH, "/api/my-account", None)
        .await
        .assert_error(422, expected);
}

#[tokio::test]
async fn patch_name_returns_the_updated_account() {
    let fixture = setup().await;
    let answer = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"name": "Renamed", "avatar": null})),
        )
        .await;
    assert_eq!(answer.status, 200);
    let account = answer.json();
    assert_eq!(account["name"], "Renamed");
    assert_eq!(account["avatar"], json!(null));
    assert_eq!(account["username"], "ada");
}

#[tokio::test]
async fn a_read_only_field_is_not_editable() {
    let fixture = setup().await;
    fixture
        .emulator
        .set_field_access(Field::Name, FieldAccess::ReadOnly);
    fixture
        .call(Method::PATCH, "/api/my-account", Some(json!({"name": "N"})))
        .await
        .assert_error(400, json!({"code": "account_center.field_not_editable", "message": "Field is not editable."}));
}

#[tokio::test]
async fn writes_without_the_profile_scope_are_400_unauthorized() {
    let fixture = setup().await;
    let token = fixture.emulator.issue_token(&fixture.user_id, &["openid"]);
    for (path, body) in [
        ("/api/my-account", json!({"name": "N"})),
        ("/api/my-account/profile", json!({"givenName": "G"})),
    ] {
        let answer = fixture
            .send(Call {
                method: Method::PATCH,
                path,
                token: Some(&token),
                verification: None,
                body: Some(body),
            })
            .await;
        answer.assert_error(400, unauthorized());
    }
}

#[tokio::test]
async fn custom_data_needs_its_scope_and_is_replaced_whole() {
    let fixture = setup().await;
    let token = fixture
        .emulator
        .issue_token(&fixture.user_id, &["openid", "profile"]);
    let answer = fixture
        .send(Call {
            method: Method::PATCH,
            path: "/api/my-account",
            token: Some(&token),
            verification: None,
            body: Some(json!({"customData": {"a": 1}})),
        })
        .await;
    answer.assert_error(400, unauthorized());

    fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"customData": {"a": 1, "b": 2}})),
        )
        .await;
    let answer = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"customData": {"c": 3}})),
        )
        .await;
    assert_eq!(answer.json()["customData"], json!({"c": 3}));
}

#[tokio::test]
async fn changing_the_username_needs_verification_and_a_free_name() {
    let fixture = setup().await;
    fixture
        .emulator
        .create_user(NewUser::new().username("Taken"))
        .unwrap();
    fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"username": "ada2"})),
        )
        .await
        .assert_error(401, permission_denied());
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::PATCH, "/api/my-account", &proof, Some(json!({"username": "Taken"})))
        .await
        .assert_error(422, json!({"code": "user.username_already_in_use", "message": "This username is already in use."}));
    // Usernames are case-sensitive: `taken` is free while `Taken` is not.
    let answer = fixture
        .verified(
            Method::PATCH,
            "/api/my-account",
            &proof,
            Some(json!({"username": "taken"})),
        )
        .await;
    assert_eq!(answer.json()["username"], "taken");
}

#[tokio::test]
async fn a_username_over_128_characters_breaks_the_username_policy() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(
            Method::PATCH,
            "/api/my-account",
            &proof,
            Some(json!({"username": "u".repeat(129)})),
        )
        .await
        .assert_error(
            422,
            json!({"code": "user.username_too_long", "message": "Username is too long."}),
        );
}

#[tokio::test]
async fn removing_the_last_identifier_is_refused() {
    let fixture = setup().await;
    let user_id = fixture
        .emulator
        .create_user(NewUser::new().username("solo").password(PASSWORD))
        .unwrap();
    let token = fixture.emulator.issue_default_token(&user_id);
    let proof = fixture.password_proof_for(&token).await;
    let answer = fixture
        .send(Call {
            method: Method::PATCH,
            path: "/api/my-account",
            token: Some(&token),
            verification: Some(&proof),
            body: Some(json!({"username": null})),
        })
        .await;
    answer.assert_error(400, json!({"code": "user.last_sign_in_method_required", "message": "You need to keep at least one identifier in your account."}));
}

#[tokio::test]
async fn profile_claims_merge_at_the_top_level_and_address_is_replaced() {
    let fixture = setup().await;
    let first = fixture
        .call(
            Method::PATCH,
            "/api/my-account/profile",
            Some(json!({"address": {"country": "Y", "locality": "Z"}})),
        )
        .await;
    assert_eq!(
        first.json(),
        json!({"address": {"locality": "Z", "country": "Y"}})
    );
    let second = fixture
        .call(
            Method::PATCH,
            "/api/my-account/profile",
            Some(json!({"address": {"locality": "X"}})),
        )
        .await;
    assert_eq!(second.json(), json!({"address": {"locality": "X"}}));
    fixture
        .call(
            Method::PATCH,
            "/api/my-account/profile",
            Some(json!({"familyName": "F", "nickname": "N"})),
        )
        .await;
    let last = fixture
        .call(
            Method::PATCH,
            "/api/my-account/profile",
            Some(json!({"givenName": "A"})),
        )
        .await;
    assert_eq!(
        last.json(),
        json!({"familyName": "F", "givenName": "A", "nickname": "N", "address": {"locality": "X"}})
    );
    let unchanged = fixture
        .call(Method::PATCH, "/api/my-account/profile", Some(json!({})))
        .await;
    assert_eq!(unchanged.status, 200);
    assert_eq!(unchanged.json(), last.json());
}

#[tokio::test]
async fn an_address_needs_the_address_scope() {
    let fixture = setup().await;
    let token = fixture
        .emulator
        .issue_token(&fixture.user_id, &["openid", "profile"]);
    let answer = fixture
        .send(Call {
            method: Method::PATCH,
            path: "/api/my-account/profile",
            token: Some(&token),
            verification: None,
            body: Some(json!({"address": {"country": "Y"}})),
        })
        .await;
    answer.assert_error(400, unauthorized());
}

#[tokio::test]
async fn changing_the_password_needs_a_verification_record() {
    let fixture = setup().await;
    let body = Some(json!({"password": "a brand new passphrase"}));
    fixture
        .call(Method::POST, "/api/my-account/password", body.clone())
        .await
        .assert_error(401, permission_denied());
    fixture
        .verified(
            Method::POST,
            "/api/my-account/password",
            "invalid-verification-record-id",
            body,
        )
        .await
        .assert_error(401, permission_denied());
}

#[tokio::test]
async fn a_weak_password_is_rejected_with_the_policy_issues() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::POST, "/api/my-account/password", &proof, Some(json!({"password": "123456"})))
        .await
        .assert_error(
            422,
            json!({
                "code": "password.rejected",
                "data": [{"code": "password_rejected.too_short", "interpolation": {"min": 8}}, {"code": "password_rejected.restricted.sequence"}],
                "message": "Password rejected. Please check if your password meets the requirements."
            }),
        );
    fixture
        .verified(Method::POST, "/api/my-account/password", &proof, Some(json!({"password": PASSWORD})))
        .await
        .assert_error(422, json!({"code": "user.same_password", "message": "New password cannot be the same as your old password."}));
}

/// The policy's verdicts seen on a real Logto 1.42.0 (facts §12), with the
/// fixture's user named "Ada" (username `ada`, email `ada@example.com`).
#[tokio::test]
async fn the_password_policy_answers_like_logto() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let rejected = |data: serde_json::Value| {
        json!({
            "code": "password.rejected",
            "data": data,
            "message": "Password rejected. Please check if your password meets the requirements."
        })
    };
    let cases = [
        (
            "aaaa1234",
            Some(
                json!([{"code": "password_rejected.restricted.repetition"}, {"code": "password_rejected.restricted.sequence"}]),
            ),
        ),
        (
            "123aaaaa",
            Some(
                json!([{"code": "password_rejected.restricted.sequence"}, {"code": "password_rejected.restricted.repetition"}]),
            ),
        ),
        (
            "😀😀😀😀",
            Some(json!([{"code": "password_rejected.unsupported_characters"}])),
        ),
        // The user's name, username and the email's local part.
        (
            "Ada!ada!",
            Some(json!([{"code": "password_rejected.restricted.user_info"}])),
        ),
        ("abcdeXY9", None),
    ];
    for (password, expected) in cases {
        let answer = fixture
            .verified(
                Method::POST,
                "/api/my-account/password",
                &proof,
                Some(json!({"password": password})),
            )
            .await;
        match expected {
            Some(data) => answer.assert_error(422, rejected(data)),
            None => assert_eq!(
                (answer.status, answer.text.as_str()),
                (204, ""),
                "{password}"
            ),
        }
    }
    assert!(
        fixture
            .emulator
            .password_matches(&fixture.user_id, "abcdeXY9")
    );
}

/// A user named "Demo User" cannot set `demouser7` (facts §12).
#[tokio::test]
async fn a_password_made_of_the_users_name_is_rejected() {
    let fixture = setup().await;
    let user_id = fixture
        .emulator
        .create_user(
            NewUser::new()
                .username("demo")
                .password(PASSWORD)
                .name("Demo User"),
        )
        .unwrap();
    let token = fixture.emulator.issue_default_token(&user_id);
    let proof = fixture.password_proof_for(&token).await;
    fixture
        .send(Call {
            method: Method::POST,
            path: "/api/my-account/password",
            token: Some(&token),
            verification: Some(&proof),
            body: Some(json!({"password": "demouser7"})),
        })
        .await
        .assert_error(
            422,
            json!({
                "code": "password.rejected",
                "data": [{"code": "password_rejected.restricted.user_info"}],
                "message": "Password rejected. Please check if your password meets the requirements."
            }),
        );
}

#[tokio::test]
async fn one_record_serves_several_changes_until_it_expires() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    for password in ["first new passphrase", "second new passphrase"] {
        let answer = fixture
            .verified(
                Method::POST,
                "/api/my-account/password",
                &proof,
                Some(json!({"password": password})),
            )
            .await;
        assert_eq!(answer.status, 204);
        assert!(answer.text.is_empty());
        assert!(answer.header("content-type").is_none());
    }
    assert!(
        fixture
            .emulator
            .password_matches(&fixture.user_id, "second new passphrase")
    );
    fixture.emulator.advance_clock(Duration::from_secs(600));
    fixture
        .verified(
            Method::POST,
            "/api/my-account/password",
            &proof,
            Some(json!({"password": "third new passphrase"})),
        )
        .await
        .assert_error(401, permission_denied());
}

#[tokio::test]
async fn a_user_without_a_security_method_sets_a_first_password_freely() {
    let fixture = setup().await;
    let user_id = fixture
        .emulator
        .create_user(NewUser::new().social_identity("mock-social", "s-1"))
        .unwrap();
    let token = fixture.emulator.issue_default_token(&user_id);
    let answer = fixture
        .send(Call {
            method: Method::POST,
            path: "/api/my-account/password",
            token: Some(&token),
            verification: None,
            body: Some(json!({"password": "a first passphrase"})),
        })
        .await;
    assert_eq!(answer.status, 204, "{}", answer.text);
}

#[tokio::test]
async fn the_body_guard_runs_before_the_verification_check() {
    let fixture = setup().await;
    fixture
        .call(Method::POST, "/api/my-account/password", Some(json!({})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["password"], "message": "Required"}]),
                "Error in key path \"password\": (invalid_type) Expected string but received undefined.",
            ),
        );
    fixture
        .call(Method::POST, "/api/my-account/primary-email", Some(json!({"email": "nope", "newIdentifierVerificationRecordId": "x"})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["email"]}]),
                "Error in key path \"email\": (invalid_string) Invalid",
            ),
        );
    for phone in ["+1 555", "+15551234567"] {
        let answer = fixture
            .call(
                Method::POST,
                "/api/my-account/primary-phone",
                Some(json!({"phone": phone, "newIdentifierVerificationRecordId": "x"})),
            )
            .await;
        assert_eq!(answer.json()["data"]["issues"][0]["path"], json!(["phone"]));
    }
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::POST, "/api/my-account/primary-phone", &proof, Some(json!({"phone": "15551234567", "newIdentifierVerificationRecordId": "x"})))
        .await
        .assert_error(400, json!({"code": "verification_record.not_found", "message": "Verification record not found."}));
}

#[tokio::test]
async fn changing_the_email_takes_two_records() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let new_email = fixture.verified_email("new@example.com").await;
    let answer = fixture
        .verified(
            Method::POST,
            "/api/my-account/primary-email",
            &proof,
            Some(
                json!({"email": "new@example.com", "newIdentifierVerificationRecordId": new_email}),
            ),
        )
        .await;
    assert_eq!(answer.status, 204, "{}", answer.text);
    let account = fixture
        .call(Method::GET, "/api/my-account", None)
        .await
        .json();
    assert_eq!(account["primaryEmail"], "new@example.com");
}

#[tokio::test]
async fn an_email_another_user_has_is_422() {
    let fixture = setup().await;
    fixture
        .emulator
        .create_user(NewUser::new().email("bob@example.com"))
        .unwrap();
    let proof = fixture.password_proof().await;
    let record = fixture.verified_email("bob@example.com").await;
    fixture
        .verified(Method::POST, "/api/my-account/primary-email", &proof, Some(json!({"email": "bob@example.com", "newIdentifierVerificationRecordId": record})))
        .await
        .assert_error(422, json!({"code": "user.email_already_in_use", "message": "This email is associated with an existing account."}));
}

#[tokio::test]
async fn email_routes_without_the_email_scope_are_400() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let token = fixture
        .emulator
        .issue_token(&fixture.user_id, &["openid", "profile"]);
    let answer = fixture
        .send(Call {
            method: Method::DELETE,
            path: "/api/my-account/primary-email",
            token: Some(&token),
            verification: Some(&proof),
            body: None,
        })
        .await;
    answer.assert_error(400, unauthorized());
}

#[tokio::test]
async fn removing_the_email_keeps_at_least_one_identifier() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let answer = fixture
        .verified(
            Method::DELETE,
            "/api/my-account/primary-email",
            &proof,
            None,
        )
        .await;
    assert_eq!(answer.status, 204);
    let user_id = fixture
        .emulator
        .create_user(NewUser::new().email("only@example.com").password(PASSWORD))
        .unwrap();
    let token = fixture.emulator.issue_default_token(&user_id);
    let own_proof = fixture.password_proof_for(&token).await;
    fixture
        .send(Call { method: Method::DELETE, path: "/api/my-account/primary-email", token: Some(&token), verification: Some(&own_proof), body: None })
        .await
        .assert_error(400, json!({"code": "user.last_sign_in_method_required", "message": "You need to keep at least one identifier in your account."}));
}

#[tokio::test]
async fn another_users_record_does_not_verify() {
    let fixture = setup().await;
    let user_id = fixture
        .emulator
        .create_user(NewUser::new().username("eve").password(PASSWORD))
        .unwrap();
    let token = fixture.emulator.issue_default_token(&user_id);
    let eves_proof = fixture.password_proof_for(&token).await;
    fixture
        .verified(
            Method::DELETE,
            "/api/my-account/primary-email",
            &eves_proof,
            None,
        )
        .await
        .assert_error(401, permission_denied());
}

#[tokio::test]
async fn deleting_an_identity_the_user_lacks_is_404_after_verification() {
    let fixture = setup().await;
    fixture
        .call(Method::DELETE, "/api/my-account/identities/github", None)
        .await
        .assert_error(401, permission_denied());
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::DELETE, "/api/my-account/identities/github", &proof, None)
        .await
        .assert_error(404, json!({"code": "user.identity_not_exist", "message": "The social account has not been registered yet."}));
}

#[tokio::test]
async fn linking_and_unlinking_a_social_identity() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let social = fixture.verified_social("gh-42").await;
    let body = Some(json!({"newIdentifierVerificationRecordId": social}));
    fixture
        .call(Method::POST, "/api/my-account/identities", body.clone())
        .await
        .assert_error(401, permission_denied());
    let linked = fixture
        .verified(
            Method::POST,
            "/api/my-account/identities",
            &proof,
            body.clone(),
        )
        .await;
    assert_eq!(linked.status, 204, "{}", linked.text);
    let account = fixture
        .call(Method::GET, "/api/my-account", None)
        .await
        .json();
    assert_eq!(account["identities"]["mock-social"]["userId"], "gh-42");
    fixture
        .verified(Method::POST, "/api/my-account/identities", &proof, body)
        .await
        .assert_error(400, json!({"code": "user.identity_already_in_use", "message": "The social account has been associated with an existing account."}));
    let unlinked = fixture
        .verified(
            Method::DELETE,
            "/api/my-account/identities/mock-social",
            &proof,
            None,
        )
        .await;
    assert_eq!(unlinked.status, 204);
}

#[tokio::test]
async fn a_social_account_linked_to_someone_else_is_422() {
    let fixture = setup().await;
    fixture
        .emulator
        .create_user(NewUser::new().social_identity("mock-social", "gh-7"))
        .unwrap();
    let proof = fixture.password_proof().await;
    let social = fixture.verified_social("gh-7").await;
    // PUT, which replaces the user's own identity, refuses it the same way.
    for method in [Method::POST, Method::PUT] {
        fixture
            .verified(method, "/api/my-account/identities", &proof, Some(json!({"newIdentifierVerificationRecordId": social})))
            .await
            .assert_error(422, json!({"code": "user.identity_already_in_use", "message": "The social account has been associated with an existing account."}));
    }
}

#[tokio::test]
async fn the_identities_scope_is_401_to_link_and_400_to_unlink() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let token = fixture
        .emulator
        .issue_token(&fixture.user_id, &["openid", "profile"]);
    let link = fixture
        .send(Call {
            method: Method::POST,
            path: "/api/my-account/identities",
            token: Some(&token),
            verification: Some(&proof),
            body: Some(json!({"newIdentifierVerificationRecordId": "x"})),
        })
        .await;
    link.assert_error(401, unauthorized());
    let unlink = fixture
        .send(Call {
            method: Method::DELETE,
            path: "/api/my-account/identities/github",
            token: Some(&token),
            verification: Some(&proof),
            body: None,
        })
        .await;
    unlink.assert_error(400, unauthorized());
}

#[tokio::test]
async fn malformed_json_is_400_with_only_a_message() {
    let fixture = setup().await;
    let response = fixture
        .http
        .patch(format!("{}/api/my-account", fixture.emulator.base_url()))
        .bearer_auth(&fixture.token)
        .header("content-type", "application/json")
        .body("{\"name\":")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body.get("code").is_none());
    assert!(body["message"].is_string());
}

/// koa-body parses before any router, so a syntax error comes before the
/// token is even looked at.
#[tokio::test]
async fn malformed_json_is_400_before_authentication() {
    let fixture = setup().await;
    for path in ["/api/my-account", "/api/verifications/password"] {
        let response = fixture
            .http
            .post(format!("{}{path}", fixture.emulator.base_url()))
            .header("content-type", "application/json")
            .body("{\"name\":")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
        assert!(body["message"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn head_answers_like_get_without_an_etag() {
    let fixture = setup().await;
    let response = fixture
        .http
        .head(format!("{}/api/my-account", fixture.emulator.base_url()))
        .bearer_auth(&fixture.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert!(response.headers().get("etag").is_none());
}

#[tokio::test]
async fn changing_and_removing_the_phone() {
    let fixture = setup().await;
    fixture
        .emulator
        .create_user(NewUser::new().phone("15550000000"))
        .unwrap();
    let proof = fixture.password_proof().await;
    let send_and_verify = |phone: &'static str| {
        let fixture = &fixture;
        async move {
            let identifier = json!({"type": "phone", "value": phone});
            let sent = fixture
                .call(
                    Method::POST,
                    "/api/verifications/verification-code",
                    Some(json!({"identifier": identifier})),
                )
                .await;
            let id = record_id(&sent);
            let code = fixture.emulator.last_code_sent_to(phone).unwrap();
            let verified = fixture
                .call(
                    Method::POST,
                    "/api/verifications/verification-code/verify",
                    Some(json!({"identifier": identifier, "verificationId": id, "code": code})),
                )
                .await;
            assert_eq!(verified.status, 200);
            id
        }
    };
    let taken = send_and_verify("15550000000").await;
    fixture
        .verified(Method::POST, "/api/my-account/primary-phone", &proof, Some(json!({"phone": "15550000000", "newIdentifierVerificationRecordId": taken})))
        .await
        .assert_error(422, json!({"code": "user.phone_already_in_use", "message": "This phone number is associated with an existing account."}));
    let free = send_and_verify("15551234567").await;
    // The record proves a different number than the one sent.
    fixture
        .verified(Method::POST, "/api/my-account/primary-phone", &proof, Some(json!({"phone": "15559999999", "newIdentifierVerificationRecordId": free})))
        .await
        .assert_error(400, json!({"code": "verification_record.not_found", "message": "Verification record not found."}));
    let changed = fixture
        .verified(
            Method::POST,
            "/api/my-account/primary-phone",
            &proof,
            Some(json!({"phone": "15551234567", "newIdentifierVerificationRecordId": free})),
        )
        .await;
    assert_eq!(changed.status, 204);
    assert_eq!(
        fixture
            .call(Method::GET, "/api/my-account", None)
            .await
            .json()["primaryPhone"],
        "15551234567"
    );
    fixture
        .call(Method::DELETE, "/api/my-account/primary-phone", None)
        .await
        .assert_error(401, permission_denied());
    let removed = fixture
        .verified(
            Method::DELETE,
            "/api/my-account/primary-phone",
            &proof,
            None,
        )
        .await;
    assert_eq!(removed.status, 204);
    assert!(removed.text.is_empty());
    assert_eq!(
        fixture
            .call(Method::GET, "/api/my-account", None)
            .await
            .json()["primaryPhone"],
        json!(null)
    );
}

#[tokio::test]
async fn the_field_gate_comes_before_the_scope_on_the_email_route() {
    let fixture = setup().await;
    fixture
        .emulator
        .set_field_access(Field::Email, FieldAccess::ReadOnly);
    let proof = fixture.password_proof().await;
    let token = fixture.emulator.issue_token(&fixture.user_id, &["openid"]);
    let answer = fixture
        .send(Call {
            method: Method::DELETE,
            path: "/api/my-account/primary-email",
            token: Some(&token),
            verification: Some(&proof),
            body: None,
        })
        .await;
    answer.assert_error(
        400,
        json!({"code": "account_center.field_not_editable", "message": "Field is not editable."}),
    );
}

#[tokio::test]
async fn values_longer_than_their_column_are_422() {
    let fixture = setup().await;
    let answer = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"name": "n".repeat(129)})),
        )
        .await;
    answer.assert_error(
        422,
        json!({
            "code": "entity.value_too_long",
            "data": {"message": "value too long for type character varying(128)"},
            "message": "The length of value is too long and exceeds the limit."
        }),
    );
    let at_limit = fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"name": "n".repeat(128)})),
        )
        .await;
    assert_eq!(at_limit.status, 200);
}

#[tokio::test]
async fn an_identity_target_that_does_not_decode_is_taken_as_is() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::DELETE, "/api/my-account/identities/%FF", &proof, None)
        .await
        .assert_error(404, json!({"code": "user.identity_not_exist", "message": "The social account has not been registered yet."}));
}

/// Sends `body` as is, with `content-type` and maybe `content-encoding`.
async fn send_raw(
    fixture: &Fixture,
    method: Method,
    path: &str,
    content_type: &str,
    encoding: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut request = fixture
        .http
        .request(method, format!("{}{path}", fixture.emulator.base_url()))
        .header("authorization", format!("Bearer {}", fixture.token))
        .header("content-type", content_type)
        .body(body);
    if let Some(encoding) = encoding {
        request = request.header("content-encoding", encoding);
    }
    Answer::read(request).await
}

#[tokio::test]
async fn form_bodies_are_parsed_like_json_ones() {
    let fixture = setup().await;
    let form = "application/x-www-form-urlencoded";
    let renamed = send_raw(
        &fixture,
        Method::PATCH,
        "/api/my-account",
        form,
        None,
        b"name=Form".to_vec(),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.json()["name"], "Form");
    let body = format!("password={}", PASSWORD.replace(' ', "+")).into_bytes();
    let verified = send_raw(
        &fixture,
        Method::POST,
        "/api/verifications/password",
        form,
        None,
        body,
    )
    .await;
    assert_eq!(verified.status, 201, "{}", verified.text);
}

#[tokio::test]
async fn text_bodies_are_strings_and_unknown_json_types_are_ignored() {
    let fixture = setup().await;
    for content_type in ["text/plain", "text/json"] {
        send_raw(&fixture, Method::PATCH, "/api/my-account", content_type, None, br#"{"name":"T"}"#.to_vec())
            .await
            .assert_error(
                400,
                guard_error(
                    json!([{"code": "invalid_type", "expected": "object", "received": "string", "path": [], "message": "Expected object, received string"}]),
                    "Error in key path \"\": (invalid_type) Expected object but received string.",
                ),
            );
    }
    send_raw(&fixture, Method::PATCH, "/api/my-account", "application/merge-patch+json", None, br#"{"name":"M"}"#.to_vec())
        .await
        .assert_error(422, json!({"code": "entity.invalid_input", "message": "Invalid input. Value list must not be empty."}));
    let parsed = send_raw(
        &fixture,
        Method::PATCH,
        "/api/my-account",
        "application/vnd.api+json",
        None,
        br#"{"name":"V"}"#.to_vec(),
    )
    .await;
    assert_eq!(parsed.json()["name"], "V");
}

#[tokio::test]
async fn bodies_over_koa_bodys_limits_are_a_plain_404() {
    let fixture = setup().await;
    let json_body = format!(r#"{{"name":"{}"}}"#, "n".repeat(1024 * 1024)).into_bytes();
    let answer = send_raw(
        &fixture,
        Method::PATCH,
        "/api/my-account",
        "application/json",
        None,
        json_body,
    )
    .await;
    assert_eq!((answer.status, answer.text.as_str()), (404, "Not Found"));
    let form_body = format!("name={}", "n".repeat(57 * 1024)).into_bytes();
    let form = "application/x-www-form-urlencoded";
    let answer = send_raw(
        &fixture,
        Method::PATCH,
        "/api/my-account",
        form,
        None,
        form_body,
    )
    .await;
    assert_eq!((answer.status, answer.text.as_str()), (404, "Not Found"));
}

#[tokio::test]
async fn a_compressed_body_is_inflated_and_a_corrupt_one_is_500() {
    use std::io::Write;
    let fixture = setup().await;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(br#"{"name":"Zipped"}"#).unwrap();
    let gzipped = encoder.finish().unwrap();
    let answer = send_raw(
        &fixture,
        Method::PATCH,
        "/api/my-account",
        "application/json",
        Some("gzip"),
        gzipped,
    )
    .await;
    assert_eq!(answer.json()["name"], "Zipped");
    send_raw(
        &fixture,
        Method::PATCH,
        "/api/my-account",
        "application/json",
        Some("gzip"),
        br#"{"name":"x"}"#.to_vec(),
    )
    .await
    .assert_error(500, json!({"message": "Internal server error."}));
}

#[tokio::test]
async fn a_nul_character_in_a_stored_string_is_500_and_stores_nothing() {
    let fixture = setup().await;
    fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"name": "a\u{0}b"})),
        )
        .await
        .assert_error(500, json!({"message": "Internal server error."}));
    fixture
        .call(
            Method::PATCH,
            "/api/my-account",
            Some(json!({"customData": {"k": ["\u{0}"]}})),
        )
        .await
        .assert_error(500, json!({"message": "Internal server error."}));
    let account = fixture
        .call(Method::GET, "/api/my-account", None)
        .await
        .json();
    assert_eq!(
        (account["name"].clone(), account["customData"].clone()),
        (json!("Ada"), json!({}))
    );
}
