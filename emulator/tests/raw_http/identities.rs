//! `PUT /api/my-account/identities` and the provider-token routes, raw,
//! against the facts' real answers (§5 rows 14, 16–18, §5.1, §13).

use crate::common::*;
use crate::gates::{Access, Check, Gates, assert_gate_order};
use logto_account_emulator::{Field, NewUser};
use reqwest::Method;
use serde_json::{Value, json};

const IDENTITIES: &str = "/api/my-account/identities";
const MOCK_TOKEN: &str = "/api/my-account/identities/mock-social/access-token";

fn link_body(record_id: &str) -> Option<Value> {
    Some(json!({"newIdentifierVerificationRecordId": record_id}))
}

fn token_not_found() -> Value {
    json!({"code": "secrets.third_party_token_set.token_not_found", "message": "Token record not found."})
}

/// The social user id linked for the mock connector, if any.
async fn linked_mock_user(fixture: &Fixture) -> Value {
    let account = fixture.call(Method::GET, "/api/my-account", None).await;
    account.json()["identities"]["mock-social"]["userId"].clone()
}

#[tokio::test]
async fn put_links_a_new_target_and_replaces_an_existing_one() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let first = fixture.verified_social("gh-1").await;
    fixture
        .verified(Method::PUT, IDENTITIES, &proof, link_body(&first))
        .await
        .assert_no_content();
    assert_eq!(linked_mock_user(&fixture).await, "gh-1");
    let second = fixture.verified_social("gh-2").await;
    // POST refuses a second account for the target; PUT replaces it.
    fixture
        .verified(Method::POST, IDENTITIES, &proof, link_body(&second))
        .await
        .assert_error(400, json!({"code": "user.identity_already_in_use", "message": "The social account has been associated with an existing account."}));
    fixture
        .verified(Method::PUT, IDENTITIES, &proof, link_body(&second))
        .await
        .assert_no_content();
    assert_eq!(linked_mock_user(&fixture).await, "gh-2");
}

#[tokio::test]
async fn put_with_an_unknown_or_non_social_record_is_not_found() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::PUT, IDENTITIES, &proof, link_body("x"))
        .await
        .assert_error(400, record_not_found());
    fixture
        .verified(Method::PUT, IDENTITIES, &proof, link_body(&proof))
        .await
        .assert_error(400, record_not_found());
}

#[tokio::test]
async fn put_checks_the_field_the_scope_then_verification() {
    assert_gate_order(Gates {
        method: Method::PUT,
        path: IDENTITIES,
        body: Body::Json(json!({"newIdentifierVerificationRecordId": "x"})),
        field: Some((Field::Social, Access::Write)),
        scope: "identities",
        missing_scope: (401, unauthorized()),
        order: &[Check::Scope, Check::Verification],
    })
    .await;
}

#[tokio::test]
async fn a_user_without_a_security_method_puts_without_verification() {
    let fixture = setup().await;
    let user_id = fixture
        .emulator
        .create_user(NewUser::new().social_identity("mock-social", "first"))
        .unwrap();
    let fixture = Fixture {
        token: fixture.emulator.issue_default_token(&user_id),
        user_id,
        ..fixture
    };
    let social = fixture.verified_social("second").await;
    fixture
        .call(Method::PUT, IDENTITIES, link_body(&social))
        .await
        .assert_no_content();
    assert_eq!(linked_mock_user(&fixture).await, "second");
}

#[tokio::test]
async fn a_linked_identity_has_a_provider_token_in_logtos_key_order() {
    let fixture = setup().await;
    fixture
        .call(Method::GET, MOCK_TOKEN, None)
        .await
        .assert_error(404, token_not_found());
    let proof = fixture.password_proof().await;
    let social = fixture.verified_social("gh-1").await;
    fixture
        .verified(Method::POST, IDENTITIES, &proof, link_body(&social))
        .await
        .assert_no_content();
    let answer = fixture.call(Method::GET, MOCK_TOKEN, None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let token = answer.json();
    assert_eq!(
        keys(&token),
        ["access_token", "scope", "token_type", "expires_in"]
    );
    assert_eq!(token["scope"], "profile");
    assert_eq!(token["token_type"], "Bearer");
    let expires_in = token["expires_in"].as_i64().unwrap();
    assert!((3590..=3600).contains(&expires_in), "{expires_in}");
}

#[tokio::test]
async fn replacing_the_social_account_replaces_its_provider_token() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let first = fixture.verified_social("gh-1").await;
    fixture
        .verified(Method::POST, IDENTITIES, &proof, link_body(&first))
        .await;
    let before = fixture.call(Method::GET, MOCK_TOKEN, None).await.json();
    let second = fixture.verified_social("gh-2").await;
    fixture
        .verified(Method::PUT, IDENTITIES, &proof, link_body(&second))
        .await
        .assert_no_content();
    let after = fixture.call(Method::GET, MOCK_TOKEN, None).await.json();
    assert_ne!(after["access_token"], before["access_token"]);
}

#[tokio::test]
async fn put_provider_token_stores_a_new_token_without_verification() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let social = fixture.verified_social("gh-1").await;
    fixture
        .verified(Method::POST, IDENTITIES, &proof, link_body(&social))
        .await;
    let again = fixture.verified_social("gh-1").await;
    let answer = fixture
        .call(
            Method::PUT,
            MOCK_TOKEN,
            Some(json!({"verificationRecordId": again})),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let stored = fixture.call(Method::GET, MOCK_TOKEN, None).await;
    assert_eq!(stored.json()["access_token"], answer.json()["access_token"]);
}

#[tokio::test]
async fn put_provider_token_refuses_other_records_providers_and_accounts() {
    let fixture = setup().await;
    fixture
        .emulator
        .add_social_connector("github-connector", "github");
    let proof = fixture.password_proof().await;
    let social = fixture.verified_social("gh-1").await;
    fixture
        .verified(Method::POST, IDENTITIES, &proof, link_body(&social))
        .await;
    let put = |body: Value| fixture.call(Method::PUT, MOCK_TOKEN, Some(body));

    put(json!({})).await.assert_error(
        400,
        guard_error(
            json!([{"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["verificationRecordId"], "message": "Required"}]),
            "Error in key path \"verificationRecordId\": (invalid_type) Expected string but received undefined.",
        ),
    );
    put(json!({"verificationRecordId": ""})).await.assert_error(
        400,
        guard_error(
            json!([{"code": "too_small", "minimum": 1, "type": "string", "inclusive": true, "exact": false, "message": "String must contain at least 1 character(s)", "path": ["verificationRecordId"]}]),
            "Error in key path \"verificationRecordId\": (too_small) String must contain at least 1 character(s)",
        ),
    );
    put(json!({"verificationRecordId": "nope"}))
        .await
        .assert_error(400, record_not_found());

    let other_account = fixture.verified_social("gh-2").await;
    put(json!({"verificationRecordId": other_account})).await.assert_error(
        422,
        json!({"code": "user.identity_not_exists_in_current_user", "message": "The specified identity does not exist in the current user account. Please link the identity first."}),
    );
    let other_provider = fixture.verified_social_at("github-connector", "gh-1").await;
    put(json!({"verificationRecordId": other_provider})).await.assert_error(
        422,
        json!({"code": "verification_record.social_verification.invalid_target", "message": "Invalid verification record. Expected mock-social but got github."}),
    );
}

#[tokio::test]
async fn provider_token_routes_need_the_identities_scope_and_answer_403() {
    let cases = [
        (Method::GET, MOCK_TOKEN, Body::None),
        (
            Method::PUT,
            MOCK_TOKEN,
            Body::Json(json!({"verificationRecordId": "x"})),
        ),
        (
            Method::GET,
            "/api/my-account/sso-identities/okta/access-token",
            Body::None,
        ),
    ];
    for (method, path, body) in cases {
        assert_gate_order(Gates {
            method,
            path,
            body,
            field: None,
            scope: "identities",
            missing_scope: (403, forbidden()),
            order: &[Check::Scope],
        })
        .await;
    }
}

#[tokio::test]
async fn the_emulator_has_no_sso_provider_tokens() {
    let fixture = setup().await;
    fixture
        .call(
            Method::GET,
            "/api/my-account/sso-identities/okta/access-token",
            None,
        )
        .await
        .assert_error(404, token_not_found());
}
