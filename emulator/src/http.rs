//! The HTTP side: the router, what Node and Koa answer before any route
//! runs (oversized headers, unknown methods, `OPTIONS`, CORS preflights),
//! the headers responses carry, and the answers for paths and methods the
//! emulator does not serve.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post, put};

use crate::shared::Shared;
use crate::{
    account_routes, admin, avatar_routes, body, ids, mfa_routes, session_routes, settings_routes,
    social, spec, token_routes, verification_routes, webauthn,
};

const REQUEST_ID_HEADER: &str = "logto-core-request-id";

pub(crate) fn router(shared: Shared) -> Router {
    let logto_routes: [(&str, MethodRouter<Shared>); 30] = [
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
            post(account_routes::add_identity).put(account_routes::replace_identity),
        ),
        (
            "/api/my-account/identities/{target}/access-token",
            get(token_routes::get_social_token).put(token_routes::update_social_token),
        ),
        (
            "/api/my-account/sso-identities/{connector_id}/access-token",
            get(token_routes::get_sso_token),
        ),
        (
            "/api/my-account/mfa-settings",
            get(settings_routes::get_mfa_settings).patch(settings_routes::update_mfa_settings),
        ),
        (
            "/api/my-account/logto-configs",
            get(settings_routes::get_logto_config).patch(settings_routes::update_logto_config),
        ),
        (
            "/api/my-account/sessions",
            get(session_routes::get_sessions),
        ),
        (
            "/api/my-account/sessions/{session_id}",
            delete(session_routes::delete_session),
        ),
        ("/api/my-account/grants", get(session_routes::get_grants)),
        (
            "/api/my-account/grants/{grant_id}",
            delete(session_routes::delete_grant),
        ),
        (
            "/api/my-account/user-assets/avatar",
            post(avatar_routes::upload_avatar).layer(DefaultBodyLimit::max(
                avatar_routes::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        ),
        (
            "/api/my-account/identities/{target}",
            delete(account_routes::delete_identity),
        ),
        (
            "/api/my-account/mfa-verifications",
            get(mfa_routes::list_factors).post(mfa_routes::add_factor),
        ),
        (
            "/api/my-account/mfa-verifications/totp",
            put(mfa_routes::replace_totp),
        ),
        (
            "/api/my-account/mfa-verifications/totp-secret/generate",
            post(mfa_routes::generate_totp_secret),
        ),
        (
            "/api/my-account/mfa-verifications/backup-codes/generate",
            post(mfa_routes::generate_backup_codes),
        ),
        (
            "/api/my-account/mfa-verifications/backup-codes",
            get(mfa_routes::backup_codes),
        ),
        (
            "/api/my-account/mfa-verifications/{verification_id}/name",
            patch(mfa_routes::rename_factor),
        ),
        (
            "/api/my-account/mfa-verifications/{verification_id}",
            delete(mfa_routes::remove_factor),
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
        (
            "/api/verifications/web-authn/registration",
            post(webauthn::start_registration),
        ),
        (
            "/api/verifications/web-authn/registration/verify",
            post(webauthn::verify_registration),
        ),
    ];
    let mut router = Router::new();
    for (path, method_router) in logto_routes {
        // koa-router's `allowedMethods`: `OPTIONS` lists what the path serves.
        let method_router = method_router.options(move || async move { options(path) });
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
        .route("/user-assets/{id}/{name}", get(avatar_routes::serve_asset))
        .route("/__emulator/codes", get(admin::sent_codes))
        .route("/__emulator/clock", get(admin::clock))
        .route("/__emulator/clock/advance", post(admin::advance_clock))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(body::read_body))
        .layer(middleware::from_fn(stamp_response))
        .layer(middleware::from_fn(node_limits))
        .with_state(shared)
}

/// How many bytes of request line and headers Node takes (its
/// `--max-http-header-size`, 16 KiB).
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The methods Node's HTTP parser knows; others never reach Koa.
const KNOWN_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// What Node answers itself, with an empty body and no request id: 431 for
/// headers over its limit, 400 for a method its parser does not know.
async fn node_limits(request: Request, next: Next) -> Response {
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum::<usize>()
        + request.uri().to_string().len();
    if header_bytes > MAX_HEADER_BYTES {
        return StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE.into_response();
    }
    if !KNOWN_METHODS.contains(&request.method().as_str()) {
        return StatusCode::BAD_REQUEST.into_response();
    }
    next.run(request).await
}

/// Whether Logto's CORS middleware covers `path`: the account and
/// verification routes, known or not.
fn has_cors(path: &str) -> bool {
    ["/api/my-account", "/api/verifications"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// 200 with `Allow` and an empty body, as koa-router answers `OPTIONS`.
fn options(path: &str) -> Response {
    let mut response = StatusCode::OK.into_response();
    if let Ok(allow) = HeaderValue::from_str(&spec::allow_header(path)) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// @koa/cors' answer to a preflight: 204, the origin reflected (`*` without
/// one), its default methods and the requested headers.
fn preflight(request: &Request) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        request
            .headers()
            .get(header::ORIGIN)
            .cloned()
            .unwrap_or(HeaderValue::from_static("*")),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET,HEAD,PUT,POST,DELETE,PATCH"),
    );
    if let Some(requested) = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
    {
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// Adds what Logto puts on every response: a fresh request id, and on the
/// account and verification routes the CORS headers (answering a preflight
/// there before any route runs).
async fn stamp_response(request: Request, next: Next) -> Response {
    let cors = has_cors(request.uri().path());
    let is_preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let origin = request.headers().get(header::ORIGIN).cloned();
    let mut response = if cors && is_preflight {
        preflight(&request)
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(&ids::request_id()) {
        headers.insert(REQUEST_ID_HEADER, id);
    }
    if cors && !is_preflight {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            origin.unwrap_or(HeaderValue::from_static("*")),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("*"),
        );
    }
    response
}

/// Koa's answer for an unknown path: plain text, before any authentication.
/// A known path in another letter case is matched by koa-router, whose
/// handler then fails: Logto's 500.
async fn not_found(request: Request) -> Response {
    if spec::is_path_in_another_case(request.uri().path()) {
        return crate::errors::internal().into_response();
    }
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
