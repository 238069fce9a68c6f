//! Who is calling: the bearer token and the `logto-verification-id` header,
//! checked in Logto's order.

use axum::http::{HeaderMap, StatusCode, header};

use crate::errors::{self, ApiError};
use crate::state::State;

/// The header carrying a verification record id.
const VERIFICATION_HEADER: &str = "logto-verification-id";

/// An authenticated caller.
#[derive(Debug)]
pub(crate) struct Caller {
    pub(crate) user_id: String,
    /// The application the token was issued to.
    pub(crate) application_id: String,
    scopes: Vec<String>,
    /// Whether `logto-verification-id` names a record that proves this
    /// user's identity. A bad header is not an error here: routes that need
    /// proof refuse with `verification_record.permission_denied`.
    pub(crate) identity_verified: bool,
    /// The session whose sign-in issued the token.
    pub(crate) session_uid: String,
}

impl Caller {
    pub(crate) fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| granted == scope)
    }

    /// Fails with `auth.unauthorized` and the route's status unless the
    /// token has `scope`.
    pub(crate) fn require_scope(&self, scope: &str, status: StatusCode) -> Result<(), ApiError> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(errors::unauthorized(status))
        }
    }

    pub(crate) fn require_identity_verified(&self) -> Result<(), ApiError> {
        if self.identity_verified {
            Ok(())
        } else {
            Err(errors::permission_denied())
        }
    }
}

/// Logto's token middleware: header present, `Bearer` scheme, a known and
/// unexpired token, the `openid` scope.
pub(crate) fn authenticate(state: &State, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return Err(errors::authorization_header_missing());
    };
    let authorization = authorization.as_bytes();
    // Logto checks `startsWith('Bearer')` (case-sensitively) and then takes
    // everything after the seventh character, so any one separator works.
    if !authorization.starts_with(b"Bearer") {
        return Err(errors::authorization_token_type_not_supported());
    }
    let token = authorization
        .get(7..)
        .and_then(|token| std::str::from_utf8(token).ok())
        .unwrap_or_default();
    let now = state.now();
    let Some(token) = state
        .tokens
        .get(token)
        .filter(|token| token.expires_at > now)
    else {
        return Err(errors::unauthorized(StatusCode::UNAUTHORIZED));
    };
    if !token.scopes.iter().any(|scope| scope == "openid") {
        return Err(errors::forbidden());
    }
    // Node joins a repeated header with ", ", which names no record.
    let verification_ids: Vec<&str> = headers
        .get_all(VERIFICATION_HEADER)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    let record = match verification_ids.as_slice() {
        [id] => state.active_record(id),
        _ => None,
    };
    let identity_verified = record.is_some_and(|record| record.proves_identity_of(&token.user_id));
    Ok(Caller {
        user_id: token.user_id.clone(),
        application_id: token.application_id.clone(),
        scopes: token.scopes.clone(),
        identity_verified,
        session_uid: token.session_uid.clone(),
    })
}
