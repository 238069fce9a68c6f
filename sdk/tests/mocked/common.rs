//! Shared fixtures: a mock Logto, a client for it, and Logto's real error bodies.

use chrono::{DateTime, Utc};
use httpmock::prelude::*;
use httpmock::{Then, When};
use logto_account::{AccessToken, AccountClient, IdentityVerification, VerificationRecordId};
use serde_json::{Value, json};

/// The user's access token in every test.
pub const TOKEN: &str = "opaque-token-4f9a8b7c2d1e";
/// A verification record id proving the user's identity.
pub const RECORD_ID: &str = "t0czpmpa7nnr3qu5ymsqk";
/// A verification record id proving a new identifier.
pub const NEW_RECORD_ID: &str = "gg2o66yp0mm4w2wb8dtz7";
/// The request id Logto puts on every response.
pub const REQUEST_ID: &str = "4gCezgdrFxxWJVKY";
/// The header carrying a verification record id.
pub const VERIFICATION_HEADER: &str = "logto-verification-id";

pub async fn setup() -> (MockServer, AccountClient) {
    let server = MockServer::start_async().await;
    let client = AccountClient::new(&server.base_url(), AccessToken::new(TOKEN))
        .expect("a mock server URL is a valid endpoint");
    (server, client)
}

/// Matches a request from our client: method, path and bearer token.
pub fn request(when: When, method: httpmock::Method, path: &str) -> When {
    when.method(method)
        .path(path)
        .header("authorization", format!("Bearer {TOKEN}"))
}

/// The expiry Logto gave the record in the facts' sample.
pub fn expires_at() -> DateTime<Utc> {
    "2026-11-25T11:14:44.879Z"
        .parse()
        .expect("a valid RFC 3339 time")
}

pub fn identity() -> IdentityVerification {
    IdentityVerification::from_parts(VerificationRecordId::new(RECORD_ID).unwrap(), expires_at())
}

/// Answers like Logto does with a JSON body, success or error: its content
/// type and a request id.
pub fn logto_json(then: Then, status: u16, body: Value) -> Then {
    then.status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("logto-core-request-id", REQUEST_ID)
        .json_body(body)
}

/// Answers 204 No Content like Logto does.
pub fn no_content(then: Then) -> Then {
    then.status(204).header("logto-core-request-id", REQUEST_ID)
}

pub fn permission_denied() -> Value {
    json!({"code":"verification_record.permission_denied","message":"Permission denied, please re-authenticate."})
}

/// The account of the facts' full sample: every field the default scopes show.
pub fn full_account() -> Value {
    json!({
        "id": "n25n9482fsgh",
        "username": "ada",
        "primaryEmail": "ada@example.com",
        "primaryPhone": "12025550123",
        "name": "Ada Lovelace",
        "avatar": "https://example.com/ada.png",
        "customData": {"theme": "dark", "beta": true},
        "identities": {"github": {"userId": "4242", "details": {"login": "ada"}}},
        "lastSignInAt": 1764068084879i64,
        "createdAt": 1764060000000i64,
        "updatedAt": 1764068000000i64,
        "profile": {"givenName": "Ada", "familyName": "Lovelace", "address": {"country": "GB", "locality": "London"}},
        "applicationId": "demo-app",
        "isSuspended": false,
        "hasPassword": true,
        "hasSecurityVerificationMethod": true
    })
}

pub fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("a valid time")
}

/// A mock that answers anything with 500: assert it got no call to prove
/// that input was refused before sending.
pub async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await
}
