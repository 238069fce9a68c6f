//! What every route shares: the state behind its lock, and the steps each
//! route begins with (who is calling, is the account center on, which user).
//! Routes depend on this module; it depends on no route.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::{self, Caller};
use crate::errors::{self, ApiError};
use crate::state::{State, User};

/// What every handler shares: the state and the emulator's own base URL.
#[derive(Clone, Debug)]
pub(crate) struct Shared {
    state: Arc<Mutex<State>>,
    pub(crate) base_url: Arc<str>,
    /// Whether the `/__emulator` routes answer (see [`crate::admin`]).
    admin: Arc<AtomicBool>,
}

impl Shared {
    pub(crate) fn new(base_url: String) -> Self {
        Shared {
            state: Arc::new(Mutex::new(State::default())),
            base_url: base_url.into(),
            admin: Arc::new(AtomicBool::new(false)),
        }
    }

    pub(crate) fn enable_admin(&self) {
        self.admin.store(true, Ordering::Relaxed);
    }

    pub(crate) fn admin_enabled(&self) -> bool {
        self.admin.load(Ordering::Relaxed)
    }

    /// The state. A handler that panicked cannot leave it half-changed in a
    /// way later requests care about, so a poisoned lock is taken as is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The start of every account and verification route, in Logto's order:
/// the token, then the account center's global switch.
pub(crate) fn begin(state: &State, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let caller = auth::authenticate(state, headers)?;
    if !state.account_center.enabled {
        return Err(errors::account_center_not_enabled());
    }
    Ok(caller)
}

/// The caller's user record.
pub(crate) fn user_of<'s>(state: &'s State, caller: &Caller) -> Result<&'s User, ApiError> {
    state
        .users
        .get(&caller.user_id)
        .ok_or_else(|| errors::user_not_found(&caller.user_id))
}

/// Applies `change` to the caller's user record and stamps `updatedAt`,
/// as every write does; returns the updated record. A NUL character in a
/// stored string fails as PostgreSQL makes Logto fail: 500, nothing stored.
pub(crate) fn update_user<'s>(
    state: &'s mut State,
    caller: &Caller,
    change: impl FnOnce(&mut User),
) -> Result<&'s User, ApiError> {
    let now = state.now();
    let user = state
        .users
        .get_mut(&caller.user_id)
        .ok_or_else(|| errors::user_not_found(&caller.user_id))?;
    let mut changed = user.clone();
    change(&mut changed);
    if changed.has_nul() {
        return Err(errors::internal());
    }
    changed.updated_at = now;
    *user = changed;
    Ok(user)
}

/// 204 with an empty body.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
