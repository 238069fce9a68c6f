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

/// Request body fields whose values are secrets.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "code",
    "verificationId",
    "verificationRecordId",
    "newIdentifierVerificationRecordId",
];

tokio::task_local! {
    /// The status of the response a facade call received, for the errors
    /// the bindings report without it (a body that does not decode).
    pub(crate) static RESPONSE_STATUS: std::cell::Cell<Option<StatusCode>>;
}

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
        let mut secrets = request_secrets(&request);
        let outcome = self
            .send_with_retries(client, request, &mut attempts, &mut secrets)
            .await;
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &outcome {
            Ok(response) => {
                // Outside a facade call (raw bindings) there is no slot.
                let _ = RESPONSE_STATUS.try_with(|status| status.set(Some(response.status())));
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
        match outcome {
            Ok(response) if !response.status().is_success() => {
                self.scrub_error_body(response, &secrets).await
            }
            Ok(response) => Ok(self.limit_body(response)),
            Err(error) => Err(error),
        }
    }

    async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        request: Request,
        attempts: &mut u32,
        secrets: &mut Vec<Vec<u8>>,
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
                if let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) {
                    secrets.push(token.as_bytes().to_vec());
                }
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

impl Transport {
    /// Reads an error body (within the limit) and replaces every secret the
    /// request carried with `***`, so that a server or proxy echoing one
    /// cannot put it into an error message.
    async fn scrub_error_body(
        &self,
        response: Response,
        secrets: &[Vec<u8>],
    ) -> reqwest::Result<Response> {
        if response
            .content_length()
            .is_some_and(|length| length > self.max_response_bytes as u64)
        {
            return Ok(self.limit_body(response));
        }
        let (parts, body) = http::Response::from(response).into_parts();
        let bytes =
            match http_body_util::BodyExt::collect(Limited::new(body, self.max_response_bytes))
                .await
            {
                Ok(collected) => collected.to_bytes(),
                Err(error) => match error.downcast::<reqwest::Error>() {
                    Ok(transport) => return Err(*transport),
                    // Over the limit: a body that fails the same way when read.
                    Err(_) => {
                        let over = Limited::new(reqwest::Body::from(vec![0u8]), 0);
                        return Ok(Response::from(http::Response::from_parts(
                            parts,
                            reqwest::Body::wrap(over),
                        )));
                    }
                },
            };
        let scrubbed = redact(&bytes, secrets);
        Ok(Response::from(http::Response::from_parts(
            parts,
            reqwest::Body::from(scrubbed),
        )))
    }
}

/// The secret values a request carries: the verification header and the
/// secret fields of its JSON body (also as they appear JSON-escaped).
fn request_secrets(request: &Request) -> Vec<Vec<u8>> {
    let mut secrets = Vec::new();
    if let Some(id) = request.headers().get("logto-verification-id") {
        secrets.push(id.as_bytes().to_vec());
    }
    let body = request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok());
    if let Some(serde_json::Value::Object(fields)) = body {
        for name in SECRET_FIELDS {
            if let Some(serde_json::Value::String(value)) = fields.get(*name) {
                secrets.push(value.as_bytes().to_vec());
                let escaped = serde_json::Value::String(value.clone()).to_string();
                secrets.push(escaped.trim_matches('"').as_bytes().to_vec());
            }
        }
    }
    secrets.retain(|secret| !secret.is_empty());
    secrets
}

/// An error body with every echoed secret replaced by `***`. In JSON, only
/// string values are touched, and never `code`s: a password such as
/// `password` must not turn `password.rejected` into another code.
pub(crate) fn redact(body: &[u8], secrets: &[Vec<u8>]) -> Vec<u8> {
    let secrets: Vec<&str> = secrets
        .iter()
        .filter_map(|secret| std::str::from_utf8(secret).ok())
        .collect();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut json) => {
            redact_json(&mut json, &secrets);
            serde_json::to_vec(&json).unwrap_or_default()
        }
        Err(_) => {
            // Not JSON (an HTML page, plain text): whole words are unknowable,
            // so only secrets long enough not to match ordinary text.
            let text = String::from_utf8_lossy(body);
            let long: Vec<&str> = secrets
                .into_iter()
                .filter(|secret| secret.chars().count() >= MIN_PLAIN_TEXT_SECRET)
                .collect();
            redact_text(&text, &long).into_bytes()
        }
    }
}

/// Shorter secrets are not looked for in non-JSON bodies.
const MIN_PLAIN_TEXT_SECRET: usize = 4;

fn redact_json(value: &mut serde_json::Value, secrets: &[&str]) {
    match value {
        serde_json::Value::String(text) => *text = redact_text(text, secrets),
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|item| redact_json(item, secrets))
        }
        serde_json::Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if key != "code" {
                    redact_json(field, secrets);
                }
            }
        }
        _ => {}
    }
}

fn redact_text(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text.to_owned(), |text, secret| text.replace(secret, "***"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_codes_and_json_structure() {
        let body = br#"{"code":"password.rejected","message":"password was password","data":[{"code":"password_rejected.restricted.words","interpolation":{"password":"password"}}]}"#;

        let redacted = redact(body, &[b"password".to_vec()]);

        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&redacted).unwrap(),
            serde_json::json!({"code":"password.rejected","message":"*** was ***","data":[{"code":"password_rejected.restricted.words","interpolation":{"password":"***"}}]})
        );
    }

    #[test]
    fn plain_text_redaction_skips_secrets_too_short_to_tell_apart() {
        let redacted = redact(
            b"<p>token abcdef, pin 12</p>",
            &[b"abcdef".to_vec(), b"12".to_vec()],
        );

        assert_eq!(redacted, b"<p>token ***, pin 12</p>".to_vec());
    }
}
