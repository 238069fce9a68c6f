//! Sends every request: the access token, retries, one refresh on a rejected
//! token, a tracing span per call, and caps on response bodies.
//!
//! A facade call with nothing to trace, no token to refresh and no foreign
//! HTTP client goes out directly: the executor sends it once, and
//! [`Execute::finish`] notes the status and any retry, which the facade
//! makes by building the request again. Everything else takes
//! the managed path, a boxed future that keeps a copy of the request for
//! retries and reads a 401 to see whether to refresh the token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Limited;
use logto_account_api::{Execute, ExecuteFuture, Start};
use reqwest::header::AUTHORIZATION;
use reqwest::{Request, Response, StatusCode, Url};
use tracing::field::Empty;
use tracing::subscriber::NoSubscriber;
use tracing::{Instrument, Span};

use crate::auth::Auth;
use crate::call::{self, ERROR_BODY_LIMIT};
use crate::redact::{self, SentRequest};
use crate::retry::{self, Attempted, Decision, RetryPolicy};

/// The code of a 401 whose request never ran: safe to repeat with a new token.
const TOKEN_REJECTED: &str = "auth.unauthorized";

/// The client's [`Execute`] implementation.
pub(crate) struct Transport {
    pub(crate) auth: Arc<Auth>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    /// The `reqwest::Client` is the application's, and may follow
    /// redirects: a response from another URL is then an error.
    pub(crate) check_final_url: bool,
}

impl Execute for Transport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> ExecuteFuture<'a> {
        let span = request_span(&request, operation_id);
        self.managed(client, request, span)
    }

    fn start<'a>(
        &'a self,
        client: &'a reqwest::Client,
        mut request: Request,
        operation_id: &'static str,
    ) -> Start<'a> {
        // The request goes out as it is when nothing needs the managed
        // path: no subscriber wants its span, no token can be refreshed
        // (that reads a 401's body first), no redirect can have been
        // followed, and the facade can build the request again to retry.
        let may_go_direct = !self.auth.can_refresh() && !self.check_final_url;
        // Asking whether any subscriber wants an INFO span here costs less
        // than building a disabled one; the span is built only if one may.
        let span = (!may_go_direct || tracing::span_enabled!(tracing::Level::INFO))
            .then(|| request_span(&request, operation_id));
        if may_go_direct && span.as_ref().is_none_or(unobserved) && call::ready_direct(&mut request)
        {
            return Start::Direct(request);
        }
        let span = span.unwrap_or_else(|| request_span(&request, operation_id));
        Start::Managed(self.managed(client, request, span))
    }

    fn keeps_success_headers(&self) -> bool {
        call::keeps_success_headers()
    }

    fn finish(&self, outcome: reqwest::Result<Response>) -> reqwest::Result<Response> {
        let attempted = match &outcome {
            Ok(response) => retry::answered(response),
            Err(error) => retry::classify_error(error),
        };
        // One visit to the call's record: the status, the attempt, and
        // what to note.
        let retry = &self.retry;
        let status = outcome.as_ref().ok().map(Response::status);
        call::after_direct(status, |attempt, idempotent| {
            let Decision::Retry(wait) = retry.decide(attempted, idempotent, attempt, false) else {
                return None;
            };
            let wait = retry.wait(wait);
            log_retry(attempt, &outcome, wait);
            Some(wait)
        });
        match outcome {
            Ok(response) => Ok(self.capped(response)),
            Err(error) => {
                tracing::debug!(error = %error, "request failed");
                Err(error)
            }
        }
    }
}

/// Whether nothing listens to `span`. A span is not always disabled when
/// nothing listens: once any subscriber was interested in its callsite,
/// tracing builds it even for the no-op subscriber.
fn unobserved(span: &Span) -> bool {
    span.is_disabled() || tracing::dispatcher::get_default(|dispatch| dispatch.is::<NoSubscriber>())
}

/// The span of one request, with its retries. Without a subscriber for it,
/// it is not built at all (its fields are not even formatted).
fn request_span(request: &Request, operation_id: &'static str) -> Span {
    tracing::info_span!(
        "logto_account.request",
        operation = operation_id,
        method = %request.method(),
        path = request.url().path(),
        status = Empty,
        attempts = Empty,
        request_id = Empty,
        duration_ms = Empty,
    )
}

/// Logs that a request is sent again after `wait`.
#[cold]
#[inline(never)]
fn log_retry(attempt: u32, outcome: &reqwest::Result<Response>, wait: Duration) {
    let wait_ms = wait.as_millis() as u64;
    match outcome {
        Ok(response) => {
            let status = response.status().as_u16();
            tracing::info!(attempt, status, wait_ms, "retrying after a busy answer");
        }
        Err(error) => {
            tracing::info!(attempt, error = %error, wait_ms, "retrying after a transport error");
        }
    }
}

impl Transport {
    /// The boxed future that sends the request with retries and a token
    /// refresh, inside `span` when it is enabled.
    fn managed<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        span: Span,
    ) -> ExecuteFuture<'a> {
        if span.is_disabled() {
            Box::pin(self.send(client, request, span))
        } else {
            Box::pin(self.send(client, request, span.clone()).instrument(span))
        }
    }

    /// Sends the request (with retries), fills in `span` when it is
    /// enabled, and caps the body of the response it returns.
    async fn send(
        &self,
        client: &reqwest::Client,
        request: Request,
        span: Span,
    ) -> reqwest::Result<Response> {
        let started = (!span.is_disabled()).then(Instant::now);
        let requested = self.check_final_url.then(|| request.url().clone());
        let (outcome, attempts, sent) = self.send_with_retries(client, request).await;
        if let Some(started) = started {
            span.record("attempts", attempts);
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            if let Ok(response) = &outcome {
                span.record("status", response.status().as_u16());
                if let Some(id) = redact::request_id(response.headers(), &sent) {
                    span.record("request_id", id);
                }
            }
        }
        call::record_request(sent);
        match outcome {
            Ok(response) => Ok(self.deliver(response, requested)),
            Err(error) => {
                tracing::debug!(error = %error, "request failed");
                Err(error)
            }
        }
    }

    /// Hands a response to the bindings: notes its status (and a redirect
    /// the application's client followed away from `requested`) in the
    /// call's record, and caps its body.
    fn deliver(&self, response: Response, requested: Option<Url>) -> Response {
        let status = response.status();
        if let Some(requested) = requested
            && response.url() != &requested
        {
            tracing::warn!(
                status = status.as_u16(),
                "the application's HTTP client followed a redirect"
            );
            call::record_redirect(status, response.url());
        }
        call::record_status(status);
        self.capped(response)
    }

    /// Logs an answer and caps its body.
    fn capped(&self, response: Response) -> Response {
        let status = response.status();
        tracing::debug!(status = status.as_u16(), "response");
        // Logto's error bodies are small: a large one is not read whole.
        let limit = if status.is_success() {
            self.max_response_bytes
        } else {
            ERROR_BODY_LIMIT
        };
        limit_body(response, limit)
    }

    /// Sends the request until the retry policy is done with it; returns the
    /// last outcome, the number of attempts (a token refresh is not one) and
    /// the secret-bearing parts of the last request sent.
    async fn send_with_retries(
        &self,
        client: &reqwest::Client,
        mut request: Request,
    ) -> (reqwest::Result<Response>, u32, SentRequest) {
        let idempotent = retry::is_idempotent(request.method());
        let (mut authorization, mut generation) = match call::authorization() {
            Some((header, generation)) => (Some(header), generation),
            // A raw `bindings()` call: ask here. Sending without a token gets
            // Logto's own 401, which says so.
            // Boxed, as every rare path here: the future of a request that
            // takes none of them stays small (it is boxed and moved per call).
            None => match Box::pin(self.auth.header()).await {
                Ok((header, generation)) => (Some(header), generation),
                Err(error) => {
                    tracing::warn!(error = %error, "no access token to send");
                    (None, 0)
                }
            },
        };
        let mut attempt = 1;
        let mut can_refresh = self.auth.can_refresh();
        if let Some(header) = &authorization {
            request.headers_mut().insert(AUTHORIZATION, header.clone());
        }
        loop {
            let sent = SentRequest::of(&request);
            // A copy is made only when the request may be sent again; it
            // carries the same `Authorization`.
            let repeatable = attempt < self.retry.attempts() || can_refresh;
            let spare = if repeatable {
                request.try_clone()
            } else {
                None
            };
            let outcome = client.execute(request).await;
            let (outcome, attempted) = match outcome {
                Err(error) => {
                    let attempted = retry::classify_error(&error);
                    (Err(error), attempted)
                }
                Ok(response) => match observe(response, can_refresh).await {
                    Ok((response, attempted)) => (Ok(response), attempted),
                    Err(error) => return (Err(error), attempt, sent),
                },
            };
            let decision = self
                .retry
                .decide(attempted, idempotent, attempt, can_refresh);
            let Some(next) = spare.filter(|_| decision != Decision::Done) else {
                return (outcome, attempt, sent);
            };
            match decision {
                Decision::Done => return (outcome, attempt, sent),
                Decision::Retry(wait) => {
                    let wait = self.retry.wait(wait);
                    log_retry(attempt, &outcome, wait);
                    drop(outcome);
                    Box::pin(tokio::time::sleep(wait)).await;
                    attempt += 1;
                }
                Decision::Refresh => {
                    can_refresh = false;
                    match Box::pin(self.auth.refresh(generation)).await {
                        Ok((header, new_generation)) => {
                            tracing::info!("access token rejected; repeating once with a new one");
                            call::record_authorization(header.clone(), new_generation);
                            (authorization, generation) = (Some(header), new_generation);
                        }
                        Err(error) => {
                            tracing::warn!(error = %error, "access token rejected and refreshing it failed");
                            // Inside a facade call, the call reports the
                            // provider's failure; a raw call gets the 401.
                            let _ = call::record_provider_error(error);
                            return (outcome, attempt, sent);
                        }
                    }
                }
            }
            request = next;
            if decision == Decision::Refresh
                && let Some(header) = &authorization
            {
                request.headers_mut().insert(AUTHORIZATION, header.clone());
            }
        }
    }
}

/// What a response means for the retry decision. A 401 is read (within
/// [`ERROR_BODY_LIMIT`]) only when a refresh could follow, to see whether
/// Logto rejected the token itself; the response is rebuilt for the caller.
/// A body that fails to read keeps its own error (timeout, reset, too large).
async fn observe(response: Response, can_refresh: bool) -> reqwest::Result<(Response, Attempted)> {
    if response.status() != StatusCode::UNAUTHORIZED || !can_refresh {
        let attempted = retry::answered(&response);
        return Ok((response, attempted));
    }
    Box::pin(read_rejection(response)).await
}

/// Reads a 401 to see whether Logto rejected the token itself.
async fn read_rejection(response: Response) -> reqwest::Result<(Response, Attempted)> {
    let status = response.status();
    // A 401 is not retryable: `Retry-After` changes nothing.
    let retry_after = None;
    let (parts, body) = http::Response::from(response).into_parts();
    let bytes = match http_body_util::BodyExt::collect(Limited::new(body, ERROR_BODY_LIMIT)).await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            return match error.downcast::<reqwest::Error>() {
                Ok(transport) => Err(*transport),
                // Over the limit: a body that fails the same way when read.
                Err(_) => Ok((
                    over_limit(parts),
                    Attempted::Answered {
                        status,
                        retry_after,
                        token_rejected: false,
                    },
                )),
            };
        }
    };
    let token_rejected = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|body| {
            body.get("code")?
                .as_str()
                .map(|code| code == TOKEN_REJECTED)
        })
        .unwrap_or(false);
    let response = Response::from(http::Response::from_parts(
        parts,
        reqwest::Body::from(bytes),
    ));
    Ok((
        response,
        Attempted::Answered {
            status,
            retry_after,
            token_rejected,
        },
    ))
}

/// A response whose body fails with `LengthLimitError` when read, as a body
/// over the limit does.
fn over_limit(parts: http::response::Parts) -> Response {
    let body = Limited::new(reqwest::Body::from(vec![0u8]), 0);
    Response::from(http::Response::from_parts(parts, reqwest::Body::wrap(body)))
}

/// Caps the body: reading past `limit` fails with `LengthLimitError`, and a
/// declared length over it fails before reading anything. A declared length
/// within the limit needs no cap: hyper reads no more than it.
fn limit_body(response: Response, limit: usize) -> Response {
    let limit = match response.content_length() {
        Some(length) if length <= limit as u64 => return response,
        Some(_) => 0,
        None => limit,
    };
    let (parts, body) = http::Response::from(response).into_parts();
    Response::from(http::Response::from_parts(
        parts,
        reqwest::Body::wrap(Limited::new(body, limit)),
    ))
}
