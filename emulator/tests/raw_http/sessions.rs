//! `/api/my-account/sessions` and `/api/my-account/grants`, raw, against
//! the facts' real answers (§5 rows 27–30, §9.5, §13).

use crate::common::*;
use crate::gates::{Access, Check, Gates, assert_gate_order};
use logto_account_emulator::{Field, NewUser};
use reqwest::Method;
use serde_json::{Value, json};

const SESSIONS: &str = "/api/my-account/sessions";
const GRANTS: &str = "/api/my-account/grants";

/// The fixture's user signed in twice: the fixture's own default-scope
/// token is the first sign-in, the returned fixture's token (with the
/// sessions scope) the second; the first sign-in's token comes back too.
async fn signed_in_twice() -> (Fixture, String) {
    let fixture = setup().await;
    let first = fixture.token.clone();
    let token = fixture.token_with(&every_scope());
    (Fixture { token, ..fixture }, first)
}

async fn delete(fixture: &Fixture, proof: &str, path: &str) -> Answer {
    fixture.verified(Method::DELETE, path, proof, None).await
}

async fn list(fixture: &Fixture, proof: &str, path: &str) -> Value {
    let answer = fixture.verified(Method::GET, path, proof, None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()
}

#[tokio::test]
async fn sessions_list_every_sign_in_oldest_first_in_logtos_shape() {
    let (fixture, _) = signed_in_twice().await;
    fixture
        .call(Method::GET, SESSIONS, None)
        .await
        .assert_error(401, permission_denied());
    let proof = fixture.password_proof().await;
    let sessions = list(&fixture, &proof, SESSIONS).await["sessions"].clone();
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["isCurrent"], false);
    assert_eq!(sessions[1]["isCurrent"], true);
    let session = &sessions[1];
    assert_eq!(
        keys(session),
        [
            "payload",
            "lastSubmission",
            "clientId",
            "accountId",
            "expiresAt",
            "isCurrent"
        ]
    );
    let payload = &session["payload"];
    assert_eq!(
        keys(payload),
        [
            "exp",
            "iat",
            "jti",
            "uid",
            "kind",
            "loginTs",
            "accountId",
            "authorizations"
        ]
    );
    assert_eq!(payload["kind"], "Session");
    assert_eq!(payload["accountId"], json!(fixture.user_id));
    assert_eq!(payload["loginTs"], payload["iat"]);
    // Seconds in the payload, milliseconds in `expiresAt`; 14 days long.
    let exp = payload["exp"].as_i64().unwrap();
    assert_eq!(exp - payload["iat"].as_i64().unwrap(), 14 * 24 * 3600);
    assert_eq!(session["expiresAt"].as_i64().unwrap() / 1000, exp);
    let client_id = session["clientId"].as_str().unwrap();
    let authorization = &payload["authorizations"][client_id];
    assert_eq!(keys(authorization), ["sid", "grantId", "persistsLogout"]);
    assert_eq!(authorization["persistsLogout"], true);
    assert_eq!(
        keys(&session["lastSubmission"]),
        [
            "interactionEvent",
            "userId",
            "verificationRecords",
            "signInContext"
        ]
    );
}

#[tokio::test]
async fn the_sessions_and_grants_routes_check_the_field_verification_then_scope() {
    let routes = [
        (Method::GET, SESSIONS, Access::Read),
        (
            Method::DELETE,
            "/api/my-account/sessions/nope",
            Access::Write,
        ),
        (Method::GET, GRANTS, Access::Read),
        (Method::DELETE, "/api/my-account/grants/nope", Access::Write),
    ];
    for (method, path, access) in routes {
        assert_gate_order(Gates {
            method,
            path,
            body: Body::None,
            field: Some((Field::Session, access)),
            scope: SESSIONS_SCOPE,
            missing_scope: (401, unauthorized()),
            order: &[Check::Verification, Check::Scope],
        })
        .await;
    }
}

#[tokio::test]
async fn revoking_a_session_with_its_grants_signs_its_token_out() {
    let (fixture, first) = signed_in_twice().await;
    let proof = fixture.password_proof().await;
    let sessions = list(&fixture, &proof, SESSIONS).await;
    let other = sessions["sessions"][0]["payload"]["uid"].as_str().unwrap();
    delete(
        &fixture,
        &proof,
        &format!("{SESSIONS}/{other}?revokeGrantsTarget=firstParty"),
    )
    .await
    .assert_no_content();
    fixture
        .get_account_with(&first)
        .await
        .assert_error(401, unauthorized());
    let grants = list(&fixture, &proof, GRANTS).await;
    assert_eq!(grants["grants"].as_array().unwrap().len(), 1);
    // Deleted: the same id is now unknown.
    delete(&fixture, &proof, &format!("{SESSIONS}/{other}")).await
        .assert_error(400, json!({"code": "oidc.session_not_found", "data": {"status": 404}, "message": "Session not found."}));
}

#[tokio::test]
async fn revoking_a_session_without_a_target_keeps_its_token_and_grant() {
    let (fixture, first) = signed_in_twice().await;
    let proof = fixture.password_proof().await;
    let sessions = list(&fixture, &proof, SESSIONS).await;
    let other = sessions["sessions"][0]["payload"]["uid"].as_str().unwrap();
    delete(&fixture, &proof, &format!("{SESSIONS}/{other}"))
        .await
        .assert_no_content();
    assert_eq!(fixture.get_account_with(&first).await.status, 200);
    let grants = list(&fixture, &proof, GRANTS).await;
    assert_eq!(grants["grants"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn another_users_session_is_a_400_account_mismatch() {
    let (fixture, _) = signed_in_twice().await;
    let grace = fixture
        .emulator
        .create_user(NewUser::new().username("grace").password(PASSWORD))
        .unwrap();
    let graces_token = fixture.emulator.issue_token(&grace, &every_scope());
    let graces_proof = fixture.password_proof_for(&graces_token).await;
    let graces = fixture
        .send(Call {
            method: Method::GET,
            path: SESSIONS,
            token: Some(&graces_token),
            verification: Some(&graces_proof),
            body: None,
        })
        .await
        .json();
    let graces_session = graces["sessions"][0]["payload"]["uid"].as_str().unwrap();
    let proof = fixture.password_proof().await;
    delete(&fixture, &proof, &format!("{SESSIONS}/{graces_session}")).await
        .assert_error(400, json!({"code": "oidc.invalid_session_account_id", "data": {"status": 404}, "message": "Session accountId mismatch."}));
}

#[tokio::test]
async fn grants_list_one_per_sign_in_in_logtos_shape() {
    let (fixture, _) = signed_in_twice().await;
    let proof = fixture.password_proof().await;
    let grants = list(&fixture, &proof, &format!("{GRANTS}?appType=firstParty")).await;
    let grants = grants["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 2);
    let grant = &grants[0];
    assert_eq!(keys(grant), ["id", "payload", "expiresAt", "application"]);
    // Logto then sends the grant's `openid` scopes, which the emulator leaves out.
    assert_eq!(
        keys(&grant["payload"])[..6],
        ["exp", "iat", "jti", "kind", "clientId", "accountId"]
    );
    assert_eq!(grant["payload"]["jti"], grant["id"]);
    assert_eq!(grant["payload"]["kind"], "Grant");
    // 180 days, `expiresAt` in milliseconds.
    let exp = grant["payload"]["exp"].as_i64().unwrap();
    assert_eq!(
        exp - grant["payload"]["iat"].as_i64().unwrap(),
        180 * 24 * 3600
    );
    assert_eq!(grant["expiresAt"].as_i64().unwrap() / 1000, exp);
    assert_eq!(keys(&grant["application"]), ["id", "name"]);
    fixture
        .verified(
            Method::GET,
            &format!("{GRANTS}?appType=thirdParty"),
            &proof,
            None,
        )
        .await
        .assert_json(200, json!({"grants": []}));
}

#[tokio::test]
async fn a_query_value_outside_its_enum_is_the_query_guard_error() {
    let (fixture, _) = signed_in_twice().await;
    let proof = fixture.password_proof().await;
    let cases = [
        (
            Method::DELETE,
            format!("{SESSIONS}/any?revokeGrantsTarget=x"),
            json!([{"received": "x", "code": "invalid_enum_value", "options": ["all", "firstParty"], "path": ["revokeGrantsTarget"], "message": "Invalid enum value. Expected 'all' | 'firstParty', received 'x'"}]),
            "Error in key path \"revokeGrantsTarget\": (invalid_enum_value) Invalid enum value. Expected 'all' | 'firstParty', received 'x'",
        ),
        (
            Method::GET,
            format!("{GRANTS}?appType=x"),
            json!([{"received": "x", "code": "invalid_enum_value", "options": ["firstParty", "thirdParty"], "path": ["appType"], "message": "Invalid enum value. Expected 'firstParty' | 'thirdParty', received 'x'"}]),
            "Error in key path \"appType\": (invalid_enum_value) Invalid enum value. Expected 'firstParty' | 'thirdParty', received 'x'",
        ),
    ];
    for (method, path, issues, details) in cases {
        fixture
            .verified(method, &path, &proof, None)
            .await
            .assert_error(400, guard_error_in("query", issues, details));
    }
}

#[tokio::test]
async fn revoking_a_grant_signs_its_token_out_and_keeps_the_session() {
    let (fixture, first) = signed_in_twice().await;
    let proof = fixture.password_proof().await;
    let grants = list(&fixture, &proof, GRANTS).await;
    let other = grants["grants"][0]["id"].as_str().unwrap();
    delete(&fixture, &proof, &format!("{GRANTS}/{other}"))
        .await
        .assert_no_content();
    fixture
        .get_account_with(&first)
        .await
        .assert_error(401, unauthorized());
    let sessions = list(&fixture, &proof, SESSIONS).await;
    let kept = &sessions["sessions"][0];
    assert_eq!(kept["payload"]["authorizations"], json!({}));
    assert_eq!(kept["isCurrent"], false);
    delete(&fixture, &proof, &format!("{GRANTS}/{other}"))
        .await
        .assert_error(
            404,
            json!({"code": "oidc.invalid_grant", "message": "Grant request is invalid."}),
        );
}
