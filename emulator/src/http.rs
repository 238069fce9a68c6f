//! The HTTP side: the router, the headers every response carries, and the
//! answers for paths and methods the emulator does not serve.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post};

use crate::auth::{self, Caller};
use crate::errors::{self, ApiError};
use crate::state::{State, User};
use crate::{account_routes, ids, social, verification_routes};

const REQUEST_ID_HEADER: &str = "logto-core-request-id";

/// What every handler shares: the state and the emulator's own base URL.
#[derive(Clone, Debug)]
pub(crate) struct Shared {
    state: Arc<Mutex<State>>,
    pub(crate) base_url: Arc<str>,
}

impl Shared {
    pub(crate) fn new(base_url: String) -> Self {
        Shared {
            state: Arc::new(Mutex::new(State::default())),
            base_url: base_url.into(),
        }
    }

    /// The state. A handler that panicked cannot leave it half-changed in a
    /// way later requests care about, so a poisoned lock is taken as is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) fn router(shared: Shared) -> Router {
    let logto_routes: [(&str, MethodRouter<Shared>); 12] = [
        (
            "/api/my-account",
            get(account_routes::get_account).patch(account_routes::update_account),
        ),
        (
            "/api/my-account/profile",
            patch(account_routes::update_profile_claims),
        ),
        (
            "/api/my-account/password",
            post(account_routes::update_password),
        ),
        (
            "/api/my-account/primary-email",
            post(account_routes::update_primary_email).delete(account_routes::delete_primary_email),
        ),
        (
            "/api/my-account/primary-phone",
            post(account_routes::update_primary_phone).delete(account_routes::delete_primary_phone),
        ),
        (
            "/api/my-account/identities",
            post(account_routes::add_identity),
        ),
        (
            "/api/my-account/identities/{target}",
            delete(account_routes::delete_identity),
        ),
        (
            "/api/verifications/password",
            post(verification_routes::create_by_password),
        ),
        (
            "/api/verifications/verification-code",
            post(verification_routes::create_by_code),
        ),
        (
            "/api/verifications/verification-code/verify",
            post(verification_routes::verify_code),
        ),
        (
            "/api/verifications/social",
            post(verification_routes::create_by_social),
        ),
        (
            "/api/verifications/social/verify",
            post(verification_routes::verify_social),
        ),
    ];
    let mut router = Router::new();
    for (path, method_router) in logto_routes {
        // koa-router matches non-strictly: one trailing slash is allowed.
        router = router
            .route(path, method_router.clone())
            .route(&format!("{path}/"), method_router);
    }
    router
        .route("/api/.well-known/user.openapi.json", get(openapi_spec))
        .route(
            "/mock-social/{connector_id}/authorize",
            get(social::authorize),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(stamp_response))
        .with_state(shared)
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
/// as every write does; returns the updated record.
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
    change(user);
    user.updated_at = now;
    Ok(user)
}

/// 204 with an empty body.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Adds what Logto puts on every response: a fresh request id and the CORS
/// headers of the account and verification routes.
async fn stamp_response(request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(&ids::request_id()) {
        headers.insert(REQUEST_ID_HEADER, id);
    }
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        origin.unwrap_or(HeaderValue::from_static("*")),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("*"),
    );
    response
}

/// Koa's answer for an unknown path: plain text, before any authentication.
async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// Koa's answer for a known path with a method it does not serve.
async fn method_not_allowed() -> Response {
    (StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").into_response()
}

async fn openapi_spec() -> Response {
    let mut response = (StatusCode::OK, logto_account_api::OPENAPI_DOCUMENT).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
