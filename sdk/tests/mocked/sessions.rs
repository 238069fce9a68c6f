//! GetSessions, DeleteSessionById, GetGrants, DeleteGrantById.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{ErrorCode, GrantFilter, RevokeGrants};
use serde_json::json;

fn session_json() -> serde_json::Value {
    json!({"sessions":[{"payload":{"exp":1796847378,"iat":1795637778,"jti":"cookie-secret","uid":"sess1","kind":"Session",
        "loginTs":1795637778,"accountId":"u1",
        "authorizations":{"app1":{"sid":"sid1","grantId":"grant1","persistsLogout":true}}},
      "lastSubmission":{"interactionEvent":"SignIn","userId":"u1",
        "verificationRecords":[{"id":"r1","type":"Password","identifier":{"type":"username","value":"ada"},"verified":true}],
        "signInContext":{"ip":"127.0.0.1"}},
      "clientId":"app1","accountId":"u1","expiresAt":1796847378348_i64,"isCurrent":true}]})
}

#[tokio::test]
async fn sessions_decode_times_and_the_current_flag() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/sessions").header(VERIFICATION_HEADER, RECORD_ID);
            logto_json(then, 200, session_json());
        })
        .await;
    let sessions = client.sessions(&identity()).await.unwrap();
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    assert_eq!(session.id, "sess1");
    assert!(session.is_current);
    assert_eq!(session.signed_in_at.timestamp(), 1795637778);
    assert_eq!(session.expires_at, millis(1796847378348));
    assert_eq!(session.sign_in_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        session.authorizations["app1"].grant_id.as_deref(),
        Some("grant1")
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn sessions_without_the_sessions_scope_is_a_missing_scope() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/sessions");
            logto_json(
                then,
                401,
                json!({"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."}),
            );
        })
        .await;
    let error = client.sessions(&identity()).await.unwrap_err();
    assert!(error.is_missing_scope());
}

#[tokio::test]
async fn revoke_session_revokes_every_grant_by_default() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/sessions/sess1")
                .query_param("revokeGrantsTarget", "all")
                .header(VERIFICATION_HEADER, RECORD_ID);
            no_content(then);
        })
        .await;
    client.revoke_session(&identity(), "sess1").await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn revoke_session_keeping_grants_sends_no_target() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/sessions/sess1")
                .query_param_missing("revokeGrantsTarget");
            no_content(then);
        })
        .await;
    client
        .revoke_session_with(&identity(), "sess1", RevokeGrants::Keep)
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn revoke_unknown_session_is_400_session_not_found() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/sessions/gone");
            logto_json(
                then,
                400,
                json!({"code":"oidc.session_not_found","data":{"status":404},"message":"Session not found."}),
            );
        })
        .await;
    let error = client
        .revoke_session(&identity(), "gone")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::SessionNotFound));
    assert_eq!(error.status().map(|status| status.as_u16()), Some(400));
}

#[tokio::test]
async fn grants_filter_by_application_type() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account/grants").query_param("appType", "firstParty");
            logto_json(
                then,
                200,
                json!({"grants":[{"id":"grant1","payload":{"exp":1811189778,"iat":1795637778,"jti":"grant1","kind":"Grant",
                    "clientId":"app1","accountId":"u1","openid":{"scope":"openid"}},
                  "expiresAt":1811189778312_i64,"application":{"id":"app1","name":"sdk-tests-spa"}}]}),
            );
        })
        .await;
    let grants = client
        .grants(&identity(), GrantFilter::FirstParty)
        .await
        .unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].application_name, "sdk-tests-spa");
    assert_eq!(grants[0].expires_at, millis(1811189778312));
    mock.assert_async().await;
}

#[tokio::test]
async fn revoke_grant_sends_the_proof() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/grants/grant1")
                .header(VERIFICATION_HEADER, RECORD_ID);
            no_content(then);
        })
        .await;
    client.revoke_grant(&identity(), "grant1").await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn revoke_unknown_grant_is_404_invalid_grant() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/grants/nope");
            logto_json(
                then,
                404,
                json!({"code":"oidc.invalid_grant","message":"Grant request is invalid."}),
            );
        })
        .await;
    let error = client.revoke_grant(&identity(), "nope").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidGrant));
}
