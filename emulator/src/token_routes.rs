//! Provider tokens (`.../access-token`, facts §5 rows 16–18, §5.1): the
//! mock social connector stores a token whenever an identity is linked; the
//! emulator has no enterprise SSO, so SSO tokens are never found.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::TimeDelta;
use serde_json::{Map, Value, json};

use crate::account_routes::path_segment_from_end;
use crate::auth::Caller;
use crate::body::parse_body;
use crate::errors::{self, ApiError, json_response};
use crate::guard::{Guard, Rule};
use crate::shared::{Shared, begin, user_of};
use crate::state::{ProviderToken, RecordKind, State as EmulatorState};

/// How long the mock connector's access tokens live.
const PROVIDER_TOKEN_LIFETIME: TimeDelta = TimeDelta::hours(1);

/// Stores a fresh mock provider token for the user's identity of `target`.
pub(crate) fn store_provider_token(state: &mut EmulatorState, user_id: &str, target: &str) {
    let expires_at = state.now() + PROVIDER_TOKEN_LIFETIME;
    state.provider_tokens.insert(
        (user_id.to_owned(), target.to_owned()),
        ProviderToken {
            access_token: format!("mock-provider-token-{}", crate::ids::access_token()),
            scope: "profile".to_owned(),
            expires_at,
        },
    );
}

/// The token routes answer a token without `identities` with 403.
fn authorize(state: &EmulatorState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let caller = begin(state, headers)?;
    if !caller.has_scope("identities") {
        return Err(errors::forbidden_by_scope());
    }
    Ok(caller)
}

fn token_body(state: &EmulatorState, token: &ProviderToken) -> Response {
    let mut body = Map::new();
    body.insert("access_token".to_owned(), json!(token.access_token));
    body.insert("scope".to_owned(), json!(token.scope));
    body.insert("token_type".to_owned(), json!("Bearer"));
    let expires_in = (token.expires_at - state.now()).num_seconds();
    // Logto leaves `expires_in` out when it is unknown or 0.
    if expires_in > 0 {
        body.insert("expires_in".to_owned(), Value::from(expires_in));
    }
    json_response(StatusCode::OK, &Value::Object(body))
}

/// `GET /api/my-account/identities/{target}/access-token`.
pub(crate) async fn get_social_token(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let target = path_segment_from_end(&uri, 1);
    let state = shared.lock();
    let caller = authorize(&state, &headers)?;
    let key = (caller.user_id.clone(), target);
    match state.provider_tokens.get(&key) {
        Some(token) if token.expires_at > state.now() => Ok(token_body(&state, token)),
        _ => Err(errors::provider_token_not_found()),
    }
}

/// `PUT /api/my-account/identities/{target}/access-token`: stores the
/// tokens of a verified social record for the user's existing identity.
pub(crate) async fn update_social_token(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let target = path_segment_from_end(&uri, 1);
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let record_id = guard.string(object, &["verificationRecordId"], &[Rule::MinLength(1)]);
    guard.finish()?;
    if !caller.has_scope("identities") {
        return Err(errors::forbidden_by_scope());
    }
    let Some((record_target, identity)) =
        state
            .active_record(&record_id)
            .and_then(|record| match &record.kind {
                RecordKind::Social {
                    target,
                    identity: Some((_, identity)),
                } => Some((target.clone(), identity.clone())),
                _ => None,
            })
    else {
        return Err(errors::verification_record_not_found());
    };
    if record_target != target {
        return Err(errors::social_verification_invalid_target(
            &target,
            &record_target,
        ));
    }
    let owns = user_of(&state, &caller)?
        .identities
        .get(&target)
        .is_some_and(|linked| linked.user_id == identity.user_id);
    if !owns {
        return Err(errors::identity_not_exists_in_current_user());
    }
    store_provider_token(&mut state, &caller.user_id, &target);
    let key = (caller.user_id.clone(), target);
    match state.provider_tokens.get(&key) {
        Some(token) => Ok(token_body(&state, token)),
        None => Err(errors::internal()),
    }
}

/// `GET /api/my-account/sso-identities/{connectorId}/access-token`: the
/// emulator has no enterprise SSO connectors, so there is never a token.
pub(crate) async fn get_sso_token(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    authorize(&state, &headers)?;
    Err(errors::provider_token_not_found())
}
