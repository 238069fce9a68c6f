//! `/api/my-account/mfa-settings` and `/api/my-account/logto-configs`: the
//! user's MFA and passkey sign-in preferences (facts §5 rows 5–8, §13).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::account_center::{Field, FieldAccess};
use crate::body::parse_body;
use crate::errors::{self, ApiError, json_response};
use crate::guard::Guard;
use crate::shared::{Shared, begin, update_user, user_of};
use crate::state::LogtoConfig;

/// `GET /api/my-account/mfa-settings`.
pub(crate) async fn get_mfa_settings(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let caller = begin(&state, &headers)?;
    if !state.account_center.readable(Field::Mfa) {
        return Err(errors::field_not_enabled());
    }
    caller.require_scope("identities", StatusCode::UNAUTHORIZED)?;
    let config = &user_of(&state, &caller)?.logto_config;
    Ok(mfa_settings(config))
}

/// `PATCH /api/my-account/mfa-settings`.
pub(crate) async fn update_mfa_settings(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let skip = guard.boolean(object, &["skipMfaOnSignIn"]);
    guard.finish()?;
    if !state.account_center.editable(Field::Mfa) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope("identities", StatusCode::UNAUTHORIZED)?;
    caller.require_identity_verified()?;
    let user = update_user(&mut state, &caller, |user| {
        user.logto_config.skip_mfa_on_sign_in = skip;
    })?;
    Ok(mfa_settings(&user.logto_config))
}

fn mfa_settings(config: &LogtoConfig) -> Response {
    json_response(
        StatusCode::OK,
        &json!({"skipMfaOnSignIn": config.skip_mfa_on_sign_in}),
    )
}

/// `GET /api/my-account/logto-configs`.
pub(crate) async fn get_logto_config(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let caller = begin(&state, &headers)?;
    if state.account_center.passkey_access() == FieldAccess::Off {
        return Err(errors::field_not_enabled());
    }
    caller.require_scope("identities", StatusCode::UNAUTHORIZED)?;
    Ok(logto_config(&user_of(&state, &caller)?.logto_config))
}

/// `PATCH /api/my-account/logto-configs`: keys left out are kept.
pub(crate) async fn update_logto_config(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let empty = Map::new();
    let mfa = read_object(&mut guard, object, "mfa");
    let mfa = mfa.as_ref().unwrap_or(&empty);
    let enabled = guard.optional_boolean(mfa, &["mfa", "enabled"]);
    let skipped = guard.optional_boolean(mfa, &["mfa", "skipped"]);
    // Accepted and stored by Logto, never echoed.
    let _ = guard.optional_boolean(mfa, &["mfa", "additionalBindingSuggestionSkipped"]);
    let skip_on_sign_in = guard.optional_boolean(mfa, &["mfa", "skipMfaOnSignIn"]);
    let passkey = read_object(&mut guard, object, "passkeySignIn");
    let passkey = passkey.as_ref().unwrap_or(&empty);
    let passkey_skipped = guard.optional_boolean(passkey, &["passkeySignIn", "skipped"]);
    guard.finish()?;
    if state.account_center.passkey_access() != FieldAccess::Edit {
        return Err(errors::field_not_editable());
    }
    caller.require_scope("identities", StatusCode::UNAUTHORIZED)?;
    caller.require_identity_verified()?;
    let user = update_user(&mut state, &caller, |user| {
        let config = &mut user.logto_config;
        if enabled.is_some() {
            config.mfa_enabled = enabled;
        }
        config.mfa_skipped = skipped.unwrap_or(config.mfa_skipped);
        config.skip_mfa_on_sign_in = skip_on_sign_in.unwrap_or(config.skip_mfa_on_sign_in);
        config.passkey_sign_in_skipped = passkey_skipped.unwrap_or(config.passkey_sign_in_skipped);
    })?;
    Ok(logto_config(&user.logto_config))
}

fn read_object(
    guard: &mut Guard,
    object: &Map<String, Value>,
    key: &str,
) -> Option<Map<String, Value>> {
    guard.optional_object(object, &[key])
}

/// Logto's key order: `enabled` (only once set), `skipped`, `skipMfaOnSignIn`.
fn logto_config(config: &LogtoConfig) -> Response {
    let mut mfa = Map::new();
    if let Some(enabled) = config.mfa_enabled {
        mfa.insert("enabled".to_owned(), json!(enabled));
    }
    mfa.insert("skipped".to_owned(), json!(config.mfa_skipped));
    mfa.insert(
        "skipMfaOnSignIn".to_owned(),
        json!(config.skip_mfa_on_sign_in),
    );
    json_response(
        StatusCode::OK,
        &json!({"mfa": mfa, "passkeySignIn": {"skipped": config.passkey_sign_in_skipped}}),
    )
}
