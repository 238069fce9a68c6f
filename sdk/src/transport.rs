//! Sends every request: the access token, retries, one refresh on a rejected
//! token, a tracing span per call, and a cap on response bodies.

use std::sync::Arc;
use std::time::Instant;

use http_body_util::Limited;
use logto_account_api::{Execute, ExecuteFuture};
use reqwest::header::AUTHORIZATION;
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;
use tracing::field::Empty;

use crate::auth::Auth;
use crate::retry::{self, RetryPolicy};

/// The header in which Logto names each request.
const REQUEST_ID_HEADER: &str = "logto-core-request-id";

/// The most of a 401 body read to see whether the token was rejected.
const UNAUTHORIZED_BODY_LIMIT: usize = 64 * 1024;

/// The code of a 401 whose request never ran: safe to repeat with a new token.
const TOKEN_REJECTED: &str = "auth.unauthorized";

/// The client's [`Execute`] implementation.
pub(crate) struct Transport {
    pub(crate) auth: Arc<Auth>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
}

impl Execute for Transport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a> {
        let span = tracing::info_span!(
            "logto_account.request",
            operation = operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = Empty,
            attempts = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        Box::pin(self.send(client, request).instrument(span))
    }
}

impl Transport {
    async fn send(&self, client: &reqwest::Client, request: Request) -> reqwest::Result<Response> {
        let started = Instant::now();
        let span = tracing::Span::current();
        let mut attempts = 0;
        let outcome = self.send_with_retries(client, request, &mut attempts).await;
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &outcome {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                if let Some(id) = response
                    .headers()
                    .get(REQUEST_ID_HEADER)
                    .and_then(|v| v.to_str().ok())
                {
                    span.record("request_id", id);
                }
                tracing::debug!(status = response.status().as_u16(), "response");
            }
            Err(error) => tracing::debug!(error = %error, "request failed"),
        }
        outcome.map(|response| self.limit_body(response))
    }

    async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        request: Request,
        attempts: &mut u32,
    ) -> reqwest::Result<Response> {
        let idempotent = retry::is_idempotent(request.method());
        let mut refreshed = false;
        let (mut authorization, mut generation) = match self.auth.header().await {
            Ok(header) => (Some(header.0), header.1),
            // Sending without a token gets Logto's own 401, which says so.
            Err(error) => {
                tracing::warn!(error = %error, "no access token to send");
                (None, 0)
            }
        };
        loop {
            *attempts += 1;
            let Some(mut attempt) = request.try_clone() else {
                // A streaming body cannot be sent twice; send it once.
                return client
                    .execute(with_authorization(request, authorization))
                    .await;
            };
            if let Some(value) = &authorization {
                attempt.headers_mut().insert(AUTHORIZATION, value.clone());
            }
            let can_retry = *attempts < self.retry.attempts();
            match client.execute(attempt).await {
                Err(error) if can_retry && retry::is_retryable_error(&error, idempotent) => {
                    let wait = self.retry.backoff(*attempts + 1);
                    tracing::info!(attempt = *attempts, error = %error, wait_ms = wait.as_millis() as u64, "retrying after a transport error");
                    tokio::time::sleep(wait).await;
                }
                Err(error) => return Err(error),
                Ok(response)
                    if response.status() == StatusCode::UNAUTHORIZED
                        && !refreshed
                        && self.auth.can_refresh() =>
                {
                    let (response, rejected) = token_rejected(response).await?;
                    if !rejected {
                        return Ok(response);
                    }
                    refreshed = true;
                    match self.auth.refresh(generation).await {
                        Ok((header, new_generation)) => {
                            tracing::info!("access token rejected; repeating once with a new one");
                            (authorization, generation) = (Some(header), new_generation);
                            // The refresh is not a retry: do not count it.
                            *attempts -= 1;
                        }
                        Err(error) => {
                            tracing::warn!(error = %error, "access token rejected and refreshing it failed");
                            return Ok(response);
                        }
                    }
                }
                Ok(response)
                    if can_retry && idempotent && retry::is_retryable_status(response.status()) =>
                {
                    let wait = match retry::retry_after(response.headers()) {
                        Some(wait) if self.retry.accepts_retry_after(wait) => wait,
                        Some(_) => return Ok(response),
                        None => self.retry.backoff(*attempts + 1),
                    };
                    tracing::info!(
                        attempt = *attempts,
                        status = response.status().as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying after a busy answer"
                    );
                    drop(response);
                    tokio::time::sleep(wait).await;
                }
                Ok(response) => return Ok(response),
            }
        }
    }

    /// Caps the body: reading past the limit fails with `LengthLimitError`,
    /// and a declared length over it fails before reading anything.
    fn limit_body(&self, response: Response) -> Response {
        let declared_too_large = response
            .content_length()
            .is_some_and(|length| length > self.max_response_bytes as u64);
        let limit = if declared_too_large {
            0
        } else {
            self.max_response_bytes
        };
        let (parts, body) = http::Response::from(response).into_parts();
        Response::from(http::Response::from_parts(
            parts,
            reqwest::Body::wrap(Limited::new(body, limit)),
        ))
    }
}

fn with_authorization(
    mut request: Request,
    authorization: Option<reqwest::header::HeaderValue>,
) -> Request {
    if let Some(value) = authorization {
        request.headers_mut().insert(AUTHORIZATION, value);
    }
    request
}

/// Reads a 401's body to see whether Logto rejected the token itself, and
/// gives back an equivalent response for the caller.
async fn token_rejected(response: Response) -> reqwest::Result<(Response, bool)> {
    let (parts, body) = http::Response::from(response).into_parts();
    let bytes =
        match http_body_util::BodyExt::collect(Limited::new(body, UNAUTHORIZED_BODY_LIMIT)).await {
            Ok(collected) => collected.to_bytes(),
            // Too large or broken: not Logto's small error body.
            Err(_) => bytes::Bytes::new(),
        };
    let rejected = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|body| {
            body.get("code")
                .and_then(|code| code.as_str().map(|c| c == TOKEN_REJECTED))
        })
        .unwrap_or(false);
    Ok((
        Response::from(http::Response::from_parts(
            parts,
            reqwest::Body::from(bytes),
        )),
        rejected,
    ))
}
