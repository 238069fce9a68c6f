//! `/api/my-account/sessions` and `/api/my-account/grants`: the sign-ins of
//! the tokens the emulator issued (facts §5 rows 27–30, §9.5, §13).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::account_center::Field;
use crate::account_routes::path_segment_from_end;
use crate::auth::Caller;
use crate::errors::{self, ApiError, json_response};
use crate::guard::Guard;
use crate::shared::{Shared, begin, no_content};
use crate::state::State as EmulatorState;

const SESSIONS_SCOPE: &str = "urn:logto:scope:sessions";

/// Logto checks the verification header before the scope (facts §13).
fn authorize(state: &EmulatorState, headers: &HeaderMap, edit: bool) -> Result<Caller, ApiError> {
    let caller = begin(state, headers)?;
    if edit && !state.account_center.editable(Field::Session) {
        return Err(errors::field_not_editable());
    }
    if !edit && !state.account_center.readable(Field::Session) {
        return Err(errors::field_not_enabled());
    }
    caller.require_identity_verified()?;
    caller.require_scope(SESSIONS_SCOPE, StatusCode::UNAUTHORIZED)?;
    Ok(caller)
}

/// The token's `?name=value` query value, decoded.
fn query_value(uri: &Uri, name: &str) -> Option<String> {
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// A query parameter that must be one of `options` (a zod enum).
fn query_enum(uri: &Uri, name: &str, options: &[&str]) -> Result<Option<String>, ApiError> {
    let value = query_value(uri, name);
    if let Some(value) = &value {
        let mut guard = Guard::default();
        guard.enumeration(value, &[name], options);
        guard.finish_for("query")?;
    }
    Ok(value)
}

fn seconds(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

/// `GET /api/my-account/sessions`: oldest first, in Logto's key order.
pub(crate) async fn get_sessions(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let caller = authorize(&state, &headers, false)?;
    let now = state.now();
    let sessions: Vec<Value> = state
        .sessions
        .iter()
        .filter(|session| session.user_id == caller.user_id && session.expires_at > now)
        .map(|session| {
            let mut authorizations = Map::new();
            if let Some(grant_id) = &session.grant_id {
                authorizations.insert(
                    session.application_id.clone(),
                    json!({"sid": session.uid, "grantId": grant_id, "persistsLogout": true}),
                );
            }
            json!({
                "payload": {
                    "exp": seconds(session.expires_at),
                    "iat": seconds(session.login_at),
                    "jti": session.jti,
                    "uid": session.uid,
                    "kind": "Session",
                    "loginTs": seconds(session.login_at),
                    "accountId": session.user_id,
                    "authorizations": authorizations,
                },
                "lastSubmission": {
                    "interactionEvent": "SignIn",
                    "userId": session.user_id,
                    "verificationRecords": [],
                    "signInContext": {"ip": "127.0.0.1"},
                },
                "clientId": session.application_id,
                "accountId": session.user_id,
                "expiresAt": session.expires_at.timestamp_millis(),
                "isCurrent": caller.session_uid == session.uid,
            })
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"sessions": sessions}),
    ))
}

/// `DELETE /api/my-account/sessions/{sessionId}`: without
/// `revokeGrantsTarget` the grant and its tokens stay (as on Logto).
pub(crate) async fn delete_session(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let session_id = path_segment_from_end(&uri, 0);
    let mut state = shared.lock();
    let target = query_enum(&uri, "revokeGrantsTarget", &["all", "firstParty"])?;
    let caller = authorize(&state, &headers, true)?;
    let Some(index) = state
        .sessions
        .iter()
        .position(|session| session.uid == session_id)
    else {
        return Err(errors::session_not_found());
    };
    if state.sessions[index].user_id != caller.user_id {
        return Err(errors::invalid_session_account_id());
    }
    let session = state.sessions.remove(index);
    // The emulator's applications are all first-party, so both targets
    // revoke the session's grant.
    if let (Some(_), Some(grant_id)) = (target, session.grant_id) {
        revoke_grant(&mut state, &grant_id);
    }
    Ok(no_content())
}

/// `GET /api/my-account/grants`.
pub(crate) async fn get_grants(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let app_type = query_enum(&uri, "appType", &["firstParty", "thirdParty"])?;
    let caller = authorize(&state, &headers, false)?;
    let now = state.now();
    let grants: Vec<Value> = state
        .grants
        .iter()
        .filter(|grant| grant.user_id == caller.user_id && grant.expires_at > now)
        // Every emulated application is first-party.
        .filter(|_| app_type.as_deref() != Some("thirdParty"))
        .map(|grant| {
            json!({
                "id": grant.id,
                "payload": {
                    "exp": seconds(grant.expires_at),
                    "iat": seconds(grant.created_at),
                    "jti": grant.id,
                    "kind": "Grant",
                    "clientId": grant.application_id,
                    "accountId": grant.user_id,
                },
                "expiresAt": grant.expires_at.timestamp_millis(),
                "application": {"id": grant.application_id, "name": "Emulated application"},
            })
        })
        .collect();
    Ok(json_response(StatusCode::OK, &json!({"grants": grants})))
}

/// `DELETE /api/my-account/grants/{grantId}`: its tokens stop working, its
/// session stays without the authorization.
pub(crate) async fn delete_grant(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let grant_id = path_segment_from_end(&uri, 0);
    let mut state = shared.lock();
    let caller = authorize(&state, &headers, true)?;
    if !state
        .grants
        .iter()
        .any(|grant| grant.id == grant_id && grant.user_id == caller.user_id)
    {
        return Err(errors::invalid_grant());
    }
    revoke_grant(&mut state, &grant_id);
    Ok(no_content())
}

/// Removes a grant, the tokens issued under it, and its session's link.
fn revoke_grant(state: &mut EmulatorState, grant_id: &str) {
    state.grants.retain(|grant| grant.id != grant_id);
    state.tokens.retain(|_, token| token.grant_id != grant_id);
    for session in &mut state.sessions {
        if session.grant_id.as_deref() == Some(grant_id) {
            session.grant_id = None;
            // node-oidc-provider saves the session anew: a new cookie id.
            session.jti = crate::ids::record_id();
        }
    }
}
