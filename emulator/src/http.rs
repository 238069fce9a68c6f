//! The HTTP side: the router, the headers every response carries, and the
//! answers for paths and methods the emulator does not serve.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post};

use crate::shared::Shared;
use crate::{account_routes, ids, social, verification_routes};

const REQUEST_ID_HEADER: &str = "logto-core-request-id";

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
