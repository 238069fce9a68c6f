//! `/api/verifications/*` routes, raw, against the facts' real answers.

use std::time::Duration;

use crate::common::*;
use chrono::{DateTime, TimeDelta, Utc};
use logto_account_emulator::{Channel, NewUser};
use reqwest::Method;
use serde_json::json;

fn code_mismatch() -> serde_json::Value {
    json!({"code": "verification_code.code_mismatch", "message": "Invalid verification code."})
}

fn not_found() -> serde_json::Value {
    json!({"code": "verification_record.not_found", "message": "Verification record not found."})
}

#[tokio::test]
async fn a_password_record_is_201_with_an_id_and_ten_minutes() {
    let fixture = setup().await;
    let before = fixture.emulator.now();
    let answer = fixture
        .call(
            Method::POST,
            "/api/verifications/password",
            Some(json!({"password": PASSWORD})),
        )
        .await;
    assert_eq!(answer.status, 201);
    let body = answer.json();
    let id = body["verificationRecordId"].as_str().unwrap();
    assert_eq!(id.len(), 21);
    assert!(
        id.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    let expires_at: DateTime<Utc> = body["expiresAt"].as_str().unwrap().parse().unwrap();
    let lifetime = expires_at - before;
    assert!(
        lifetime >= TimeDelta::seconds(599) && lifetime <= TimeDelta::seconds(601),
        "{lifetime}"
    );
    assert!(body["expiresAt"].as_str().unwrap().ends_with('Z'));
    // Logto's key order, not sorted.
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["verificationRecordId", "expiresAt"]);
    assert!(answer.text.starts_with("{\"verificationRecordId\":"));
}

#[tokio::test]
async fn missing_social_fields_are_listed_in_the_schemas_key_order() {
    let fixture = setup().await;
    let required = |key: &str, expected: &str| json!({"code": "invalid_type", "expected": expected, "received": "undefined", "path": [key], "message": "Required"});
    let line = |key: &str, expected: &str| {
        format!(
            "Error in key path \"{key}\": (invalid_type) Expected {expected} but received undefined."
        )
    };
    fixture
        .call(Method::POST, "/api/verifications/social", Some(json!({})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([
                    required("state", "string"),
                    required("redirectUri", "string"),
                    required("connectorId", "string")
                ]),
                &[
                    line("state", "string"),
                    line("redirectUri", "string"),
                    line("connectorId", "string"),
                ]
                .join("\n"),
            ),
        );
    fixture
        .call(
            Method::POST,
            "/api/verifications/social/verify",
            Some(json!({})),
        )
        .await
        .assert_error(
            400,
            guard_error(
                json!([
                    required("connectorData", "object"),
                    required("verificationRecordId", "string")
                ]),
                &[
                    line("connectorData", "object"),
                    line("verificationRecordId", "string"),
                ]
                .join("\n"),
            ),
        );
}

#[tokio::test]
async fn a_wrong_or_missing_password_is_refused() {
    let fixture = setup().await;
    fixture
        .call(Method::POST, "/api/verifications/password", Some(json!({"password": "wrong"})))
        .await
        .assert_error(422, json!({"code": "session.invalid_credentials", "message": "Incorrect account or password. Please check your input."}));
    fixture
        .call(Method::POST, "/api/verifications/password", Some(json!({})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["password"], "message": "Required"}]),
                "Error in key path \"password\": (invalid_type) Expected string but received undefined.",
            ),
        );
    fixture
        .call(Method::POST, "/api/verifications/password", Some(json!({"password": ""})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"code": "too_small", "minimum": 1, "type": "string", "inclusive": true, "exact": false, "message": "String must contain at least 1 character(s)", "path": ["password"]}]),
                "Error in key path \"password\": (too_small) String must contain at least 1 character(s)",
            ),
        );
}

#[tokio::test]
async fn a_code_to_a_new_address_binds_a_new_identifier() {
    let fixture = setup().await;
    let identifier = json!({"type": "email", "value": "new@example.com"});
    let sent = fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code",
            Some(json!({"identifier": identifier})),
        )
        .await;
    assert_eq!(sent.status, 201);
    let id = record_id(&sent);
    let outbox = fixture.emulator.sent_codes();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].to, "new@example.com");
    assert_eq!(outbox[0].channel, Channel::Email);
    assert_eq!(outbox[0].template, "BindNewIdentifier");
    assert_eq!(outbox[0].code.len(), 6);

    let wrong = if outbox[0].code == "000000" {
        "111111"
    } else {
        "000000"
    };
    fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code/verify",
            Some(json!({"identifier": identifier, "verificationId": id, "code": wrong})),
        )
        .await
        .assert_error(400, code_mismatch());
    let right = fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code/verify",
            Some(json!({"identifier": identifier, "verificationId": id, "code": outbox[0].code})),
        )
        .await;
    assert_eq!(right.status, 200);
    assert_eq!(right.json(), json!({"verificationRecordId": id}));
    // A new-identifier record does not prove the user's identity.
    fixture
        .verified(Method::DELETE, "/api/my-account/primary-email", &id, None)
        .await
        .assert_error(401, permission_denied());
}

#[tokio::test]
async fn a_verified_code_to_the_current_email_proves_identity() {
    let fixture = setup().await;
    let id = fixture.verified_email(EMAIL).await;
    assert_eq!(
        fixture.emulator.sent_codes()[0].template,
        "UserPermissionValidation"
    );
    let answer = fixture
        .verified(
            Method::PATCH,
            "/api/my-account",
            &id,
            Some(json!({"username": "ada_l"})),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn verifying_checks_the_record_the_identifier_and_expiry() {
    let fixture = setup().await;
    let identifier = json!({"type": "email", "value": "new@example.com"});
    let id = record_id(
        &fixture
            .call(
                Method::POST,
                "/api/verifications/verification-code",
                Some(json!({"identifier": identifier})),
            )
            .await,
    );
    let code = fixture
        .emulator
        .last_code_sent_to("NEW@example.com")
        .unwrap();
    let verify = |identifier: serde_json::Value, id: String| {
        let code = code.clone();
        let fixture = &fixture;
        async move {
            fixture
                .call(
                    Method::POST,
                    "/api/verifications/verification-code/verify",
                    Some(json!({"identifier": identifier, "verificationId": id, "code": code})),
                )
                .await
        }
    };
    verify(identifier.clone(), "unknown-id".to_owned())
        .await
        .assert_error(400, not_found());
    verify(json!({"type": "phone", "value": "15551234567"}), id.clone())
        .await
        .assert_error(400, not_found());
    verify(json!({"type": "email", "value": "other@example.com"}), id.clone())
        .await
        .assert_error(400, json!({"code": "verification_code.email_mismatch", "message": "Email mismatch. Please request a new verification code."}));
    fixture.emulator.advance_clock(Duration::from_secs(600));
    verify(identifier, id).await.assert_error(400, not_found());
}

fn code_not_found() -> serde_json::Value {
    json!({"code": "verification_code.not_found", "message": "Verification code not found. Please send verification code first."})
}

/// Sends a code to `email`; returns the record id and the code.
async fn send_code(fixture: &Fixture, email: &str) -> (String, String) {
    let sent = fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code",
            Some(json!({"identifier": {"type": "email", "value": email}})),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let code = fixture.emulator.last_code_sent_to(email).unwrap();
    (record_id(&sent), code)
}

async fn verify_code(fixture: &Fixture, email: &str, id: &str, code: &str) -> Answer {
    fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code/verify",
            Some(json!({"identifier": {"type": "email", "value": email}, "verificationId": id, "code": code})),
        )
        .await
}

#[tokio::test]
async fn an_empty_code_is_not_found_rather_than_a_mismatch() {
    let fixture = setup().await;
    let (id, _) = send_code(&fixture, "new@example.com").await;
    verify_code(&fixture, "new@example.com", &id, "")
        .await
        .assert_error(400, code_not_found());
}

#[tokio::test]
async fn after_ten_wrong_codes_even_the_right_one_exceeds_the_tries() {
    let fixture = setup().await;
    let (id, code) = send_code(&fixture, "new@example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..10 {
        verify_code(&fixture, "new@example.com", &id, wrong)
            .await
            .assert_error(400, code_mismatch());
    }
    verify_code(&fixture, "new@example.com", &id, &code)
        .await
        .assert_error(
            400,
            json!({"code": "verification_code.exceed_max_try", "message": "Verification code retries limitation exceeded. Please request a new verification code."}),
        );
}

#[tokio::test]
async fn a_verified_code_cannot_be_verified_again() {
    let fixture = setup().await;
    let (id, code) = send_code(&fixture, "new@example.com").await;
    let first = verify_code(&fixture, "new@example.com", &id, &code).await;
    assert_eq!(first.status, 200, "{}", first.text);
    verify_code(&fixture, "new@example.com", &id, &code)
        .await
        .assert_error(400, code_not_found());
}

fn invalid_literal(received: &str, expected: &str, path: serde_json::Value) -> serde_json::Value {
    json!({"received": received, "code": "invalid_literal", "expected": expected, "path": path, "message": format!("Invalid literal value, expected \"{expected}\"")})
}

#[tokio::test]
async fn identifier_is_a_union_discriminated_by_type() {
    let fixture = setup().await;
    let send = |body: serde_json::Value| {
        fixture.call(
            Method::POST,
            "/api/verifications/verification-code",
            Some(body),
        )
    };
    for wrong in ["fax", "Email"] {
        send(json!({"identifier": {"type": wrong, "value": "1"}}))
            .await
            .assert_error(
                400,
                guard_error(
                    json!([{
                        "code": "invalid_union_discriminator",
                        "options": ["email", "phone"],
                        "path": ["identifier", "type"],
                        "message": "Invalid discriminator value. Expected 'email' | 'phone'"
                    }]),
                    "Error in key path \"identifier.type\": (invalid_union_discriminator) Invalid discriminator value. Expected 'email' | 'phone'",
                ),
            );
    }
    send(json!({}))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"code": "invalid_type", "expected": "object", "received": "undefined", "path": ["identifier"], "message": "Required"}]),
                "Error in key path \"identifier\": (invalid_type) Expected object but received undefined.",
            ),
        );
}

#[tokio::test]
async fn an_email_identifier_with_a_bad_value_reports_just_that_value() {
    let fixture = setup().await;
    fixture
        .call(Method::POST, "/api/verifications/verification-code", Some(json!({"identifier": {"type": "email", "value": "nope"}})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["identifier", "value"]}]),
                "Error in key path \"identifier.value\": (invalid_string) Invalid",
            ),
        );
}

#[tokio::test]
async fn the_eleventh_code_to_one_recipient_within_ten_minutes_is_429() {
    let fixture = setup().await;
    let send = |value: &str| {
        let body = json!({"identifier": {"type": "email", "value": value}});
        let fixture = &fixture;
        async move {
            fixture
                .call(
                    Method::POST,
                    "/api/verifications/verification-code",
                    Some(body),
                )
                .await
        }
    };
    for _ in 0..10 {
        assert_eq!(send("rl@example.com").await.status, 201);
    }
    let limited = send("rl@example.com").await;
    limited.assert_error(429, json!({"code": "request.message_rate_limited", "message": "Too many messages sent to this recipient. Please try again later."}));
    assert!(limited.header("retry-after").is_none());
    assert_eq!(send("RL@Example.com").await.status, 429);
    assert_eq!(send("other@example.com").await.status, 201);
    fixture.emulator.advance_clock(Duration::from_secs(601));
    assert_eq!(send("rl@example.com").await.status, 201);
}

#[tokio::test]
async fn an_unknown_social_connector_is_422() {
    let fixture = setup().await;
    fixture
        .call(Method::POST, "/api/verifications/social", Some(json!({"connectorId": "nope", "state": "s", "redirectUri": "https://app.example/cb"})))
        .await
        .assert_error(422, json!({"code": "session.invalid_connector_id", "message": "Unable to find available connector with id nope."}));
}

#[tokio::test]
async fn the_fake_provider_redirects_back_with_a_code_that_verifies() {
    let fixture = setup().await;
    let started = fixture
        .call(Method::POST, "/api/verifications/social", Some(json!({"connectorId": "mock-social", "state": "xyz", "redirectUri": "https://app.example/cb"})))
        .await;
    assert_eq!(started.status, 201);
    let body = started.json();
    let uri = body["authorizationUri"].as_str().unwrap();
    assert!(uri.starts_with(fixture.emulator.base_url()));
    let no_redirects = http_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let redirect = no_redirects
        .get(format!("{uri}&login_as=octocat"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 302);
    let location = url::Url::parse(redirect.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.path(), "/cb");
    let query: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(query["state"], "xyz");

    let id = body["verificationRecordId"].as_str().unwrap();
    let verified = fixture
        .call(Method::POST, "/api/verifications/social/verify", Some(json!({"verificationRecordId": id, "connectorData": {"code": query["code"], "state": "xyz"}})))
        .await;
    assert_eq!(verified.json(), json!({"verificationRecordId": id}));
    let linked = fixture
        .verified(
            Method::POST,
            "/api/my-account/identities",
            &fixture.password_proof().await,
            Some(json!({"newIdentifierVerificationRecordId": id})),
        )
        .await;
    assert_eq!(linked.status, 204);
    let account = fixture
        .call(Method::GET, "/api/my-account", None)
        .await
        .json();
    assert_eq!(account["identities"]["mock-social"]["userId"], "octocat");
}

#[tokio::test]
async fn a_social_verify_with_a_bad_code_or_record_fails() {
    let fixture = setup().await;
    let started = fixture
        .call(Method::POST, "/api/verifications/social", Some(json!({"connectorId": "mock-social", "state": "s", "redirectUri": "https://app.example/cb"})))
        .await;
    let id = record_id(&started);
    fixture
        .call(Method::POST, "/api/verifications/social/verify", Some(json!({"verificationRecordId": id, "connectorData": {"code": "forged"}})))
        .await
        .assert_error(401, json!({"code": "connector.social_auth_code_invalid", "message": "Can not get access token, please check authorization code."}));
    let password_record = fixture.password_proof().await;
    let code = fixture.emulator.social_code_for("mock-social", "x");
    fixture
        .call(
            Method::POST,
            "/api/verifications/social/verify",
            Some(json!({"verificationRecordId": password_record, "connectorData": {"code": code}})),
        )
        .await
        .assert_error(400, not_found());
    // An unverified social record cannot be linked.
    fixture
        .verified(
            Method::POST,
            "/api/my-account/identities",
            &password_record,
            Some(json!({"newIdentifierVerificationRecordId": id})),
        )
        .await
        .assert_error(400, not_found());
}

#[tokio::test]
async fn a_user_with_no_security_method_links_without_verification() {
    let fixture = setup().await;
    fixture
        .emulator
        .add_social_connector("google-connector", "google");
    let user_id = fixture
        .emulator
        .create_user(NewUser::new().social_identity("mock-social", "s-9"))
        .unwrap();
    let token = fixture.emulator.issue_default_token(&user_id);
    let started = fixture
        .send(Call { method: Method::POST, path: "/api/verifications/social", token: Some(&token), verification: None, body: Some(json!({"connectorId": "google-connector", "state": "s", "redirectUri": "https://app.example/cb"})) })
        .await;
    let id = record_id(&started);
    let code = fixture.emulator.social_code_for("google-connector", "g-1");
    fixture
        .send(Call {
            method: Method::POST,
            path: "/api/verifications/social/verify",
            token: Some(&token),
            verification: None,
            body: Some(json!({"verificationRecordId": id, "connectorData": {"code": code}})),
        })
        .await;
    let linked = fixture
        .send(Call {
            method: Method::POST,
            path: "/api/my-account/identities",
            token: Some(&token),
            verification: None,
            body: Some(json!({"newIdentifierVerificationRecordId": id})),
        })
        .await;
    assert_eq!(linked.status, 204, "{}", linked.text);
}

#[tokio::test]
async fn a_bind_mfa_code_does_not_prove_identity() {
    let fixture = setup().await;
    let identifier = json!({"type": "email", "value": EMAIL});
    let sent = fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code",
            Some(json!({"identifier": identifier, "templateType": "BindMfa"})),
        )
        .await;
    let id = record_id(&sent);
    assert_eq!(fixture.emulator.sent_codes()[0].template, "BindMfa");
    let code = fixture.emulator.last_code_sent_to(EMAIL).unwrap();
    let verified = fixture
        .call(
            Method::POST,
            "/api/verifications/verification-code/verify",
            Some(json!({"identifier": identifier, "verificationId": id, "code": code})),
        )
        .await;
    assert_eq!(verified.status, 200);
    fixture
        .verified(Method::DELETE, "/api/my-account/primary-email", &id, None)
        .await
        .assert_error(401, permission_denied());
}

#[tokio::test]
async fn an_unknown_template_type_fails_both_literals() {
    let fixture = setup().await;
    let path = json!(["templateType"]);
    fixture
        .call(Method::POST, "/api/verifications/verification-code", Some(json!({"identifier": {"type": "email", "value": EMAIL}, "templateType": "SignIn"})))
        .await
        .assert_error(
            400,
            guard_error(
                json!([{
                    "code": "invalid_union",
                    "unionErrors": [
                        {"issues": [invalid_literal("SignIn", "BindMfa", path.clone())], "name": "ZodError"},
                        {"issues": [invalid_literal("SignIn", "UserPermissionValidation", path)], "name": "ZodError"}
                    ],
                    "path": ["templateType"],
                    "message": "Invalid input"
                }]),
                "Error in key path \"templateType\": (invalid_union) Invalid input",
            ),
        );
}
