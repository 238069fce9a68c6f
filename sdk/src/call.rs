//! One facade call: what the transport learns while it sends the request
//! (the token to use, the response status, the request's secrets, a failed
//! token refresh, a retry to make), and turning the bindings' outcome into
//! an [`Error`] with that knowledge.
//!
//! The generated methods drop the status of a body that does not decode and
//! know nothing of secrets, so the transport writes what it saw into this
//! call's record, and only this module reads it back. When the transport
//! sends a request directly, it leaves any retry to this module, which
//! calls the generated method again: no copy of the request is kept.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use logto_account_api::ResponseValue;
use logto_account_api::types::ErrorBody;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::redact::{self, RequestSecrets, SentRequest, Untrusted};
use crate::{AccountClient, BoxError, Error, retry};

/// The most of an error body the client reads: Logto's are a few hundred
/// bytes, so a larger one is not Logto's and is not read whole.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

tokio::task_local! {
    // Boxed: tokio swaps the value in and out of the thread at every poll.
    static CALL: Box<RefCell<CallRecord>>;
}

/// What the facade and the transport share about one call.
#[derive(Default)]
pub(crate) struct CallRecord {
    /// The header the facade got from the token source, and its generation.
    authorization: Option<(HeaderValue, u64)>,
    /// The status of the last response (its headers stay with it, or are
    /// dropped: see [`Handling::success_headers`]).
    status: Option<StatusCode>,
    /// The secret-bearing parts of the last request, for redaction.
    sent: SentRequest,
    /// The token provider failed while refreshing a rejected token.
    provider_error: Option<BoxError>,
    /// The application's HTTP client followed a redirect: the status and
    /// URL of the answer it got there.
    redirected: Option<(StatusCode, String)>,
    /// The attempt this is (1 for the first).
    attempt: u32,
    /// What the transport may do with the request and the answer.
    handling: Handling,
    /// The method of the request sent is idempotent.
    idempotent: bool,
    /// The transport left a retry to the facade: the wait before it.
    retry_after: Option<Duration>,
}

/// What the transport may do with one facade call's request and answer.
#[derive(Clone, Copy, Default)]
pub(crate) struct Handling {
    /// Making the call again builds its request again: the transport may
    /// leave retries to the facade instead of keeping a copy of the request.
    rebuildable: bool,
    /// The facade reads the headers of a success answer (an `ETag`).
    /// Otherwise the bindings drop them before reading the body, as
    /// reqwest's `json()` does: moved into the value, they held memory
    /// while the body was decoded, which made a read of the account 1.3%
    /// more work (cost model) with 32 calls in flight.
    success_headers: bool,
}

impl Handling {
    /// A generated call, made again for a retry, that reads no headers of
    /// a success answer.
    const REBUILT: Handling = Handling {
        rebuildable: true,
        success_headers: false,
    };
}

impl CallRecord {
    /// Whether the last response had `status` and reached the caller as
    /// sent: not through a redirect, and with no failed token refresh.
    pub(crate) fn is_plain_answer(&self, status: StatusCode) -> bool {
        self.status == Some(status) && self.redirected.is_none() && self.provider_error.is_none()
    }
}

/// The token the facade fetched for this call, if the request is part of a
/// facade call (raw `bindings()` calls have none).
pub(crate) fn authorization() -> Option<(HeaderValue, u64)> {
    CALL.try_with(|call| call.borrow().authorization.clone())
        .ok()
        .flatten()
}

/// Inside a facade call whose request can be built again, readies
/// `request` to be sent once as it is (the facade makes any retry): adds
/// the call's token and notes what the request carries. `false` elsewhere.
pub(crate) fn ready_direct(request: &mut reqwest::Request) -> bool {
    CALL.try_with(|call| {
        let mut call = call.borrow_mut();
        if !call.handling.rebuildable {
            return false;
        }
        // Moved, not copied: the record's copy is not read again once the
        // request carries it (`sent` keeps one for redaction).
        let Some((authorization, _)) = call.authorization.take() else {
            return false;
        };
        request.headers_mut().insert(AUTHORIZATION, authorization);
        call.sent = SentRequest::of(request);
        call.idempotent = retry::is_idempotent(request.method());
        true
    })
    .unwrap_or(false)
}

/// After a request sent directly: notes the answer's `status` (none when
/// the request failed); `decide` gets the attempt it was (1 for the first)
/// and whether its method is idempotent, and says how long to wait before
/// the facade makes the call again, if it should.
pub(crate) fn after_direct(
    status: Option<StatusCode>,
    decide: impl FnOnce(u32, bool) -> Option<Duration>,
) {
    let _ = CALL.try_with(|call| {
        let mut call = call.borrow_mut();
        if status.is_some() {
            call.status = status;
        }
        call.retry_after = decide(call.attempt, call.idempotent);
    });
}

/// Whether the value of a success answer keeps the response's headers:
/// outside a facade call (a raw bindings call), always; inside one, if
/// the facade reads them (see [`Handling::success_headers`]).
pub(crate) fn keeps_success_headers() -> bool {
    CALL.try_with(|call| call.borrow().handling.success_headers)
        .unwrap_or(true)
}

/// Notes the request that was sent, for redacting what comes back.
pub(crate) fn record_request(sent: SentRequest) {
    let _ = CALL.try_with(|call| call.borrow_mut().sent = sent);
}

/// Notes a new token used for the rest of the call.
pub(crate) fn record_authorization(header: HeaderValue, generation: u64) {
    let _ = CALL.try_with(|call| call.borrow_mut().authorization = Some((header, generation)));
}

/// Notes the status of the response handed to the bindings.
pub(crate) fn record_status(status: StatusCode) {
    let _ = CALL.try_with(|call| call.borrow_mut().status = Some(status));
}

/// Notes that the answer came from another URL than the request's.
pub(crate) fn record_redirect(status: StatusCode, url: &url::Url) {
    let _ = CALL.try_with(|call| {
        call.borrow_mut().redirected = Some((status, url.as_str().to_owned()));
    });
}

/// Notes that refreshing a rejected token failed; the call reports this
/// instead of the server's 401. Gives the error back outside a facade call.
pub(crate) fn record_provider_error(error: Error) -> Result<(), Error> {
    match error {
        Error::TokenProvider(source) => CALL
            .try_with(|call| call.borrow_mut().provider_error = Some(source))
            .map_err(|_| Error::TokenProvider("token provider failed".into())),
        other => Err(other),
    }
}

/// What a generated method returns.
pub(crate) type BindingsResult<T> = Result<ResponseValue<T>, progenitor_client::Error<ErrorBody>>;

impl AccountClient {
    /// Runs a generated call (`make_call` makes it, again for each retry)
    /// and turns its outcome into ours.
    pub(crate) fn send<T, C>(
        &self,
        make_call: impl FnMut() -> C,
    ) -> impl Future<Output = Result<T, Error>>
    where
        C: Future<Output = BindingsResult<T>>,
    {
        self.send_and(make_call, Ok)
    }

    /// Runs a generated call, then `convert`s its value; a value that does
    /// not convert is a decode error with the response's status.
    ///
    /// Not an `async fn`, nor are the other entry points: each async layer
    /// would move the call's result once more when it is ready.
    pub(crate) fn send_and<T, U, C>(
        &self,
        make_call: impl FnMut() -> C,
        convert: impl FnOnce(T) -> Result<U, String>,
    ) -> impl Future<Output = Result<U, Error>>
    where
        C: Future<Output = BindingsResult<T>>,
    {
        self.attempts(make_call, Handling::REBUILT, |outcome, record| {
            self.finish(outcome, record, convert)
        })
    }

    /// Runs a generated call with this client's token; `then` turns its
    /// outcome into ours with what the transport recorded, and the headers
    /// of a success answer.
    pub(crate) fn run<T, R, C>(
        &self,
        make_call: impl FnMut() -> C,
        then: impl FnOnce(BindingsResult<T>, &mut CallRecord) -> Finished<R>,
    ) -> impl Future<Output = Result<R, Error>>
    where
        C: Future<Output = BindingsResult<T>>,
    {
        let handling = Handling {
            success_headers: true,
            ..Handling::REBUILT
        };
        self.attempts(make_call, handling, then)
    }

    /// Runs the call `make_call` makes in a call scope with this client's
    /// token, as many times as the retry policy asks when the transport
    /// leaves retries to this loop (see `handling`). The last attempt's
    /// outcome and record go to `then`.
    async fn attempts<T, C, R>(
        &self,
        mut make_call: impl FnMut() -> C,
        handling: Handling,
        then: impl FnOnce(BindingsResult<T>, &mut CallRecord) -> Finished<R>,
    ) -> Result<R, Error>
    where
        C: Future<Output = BindingsResult<T>>,
    {
        // The token is fetched once, here: a provider that fails means
        // nothing is sent.
        let authorization = self.auth.header().await?;
        let mut attempt = 1;
        loop {
            let record = Box::new(RefCell::new(CallRecord {
                authorization: Some(authorization.clone()),
                attempt,
                handling,
                ..CallRecord::default()
            }));
            // The outcome leaves the scope through `outcome`, and the record
            // stays in its box: tokio moves a scope's output at every poll,
            // and both are large.
            let mut outcome = None;
            let record = {
                let mut scope = std::pin::pin!(CALL.scope(record, async {
                    outcome = Some(make_call().await);
                }));
                scope.as_mut().await;
                scope.take_value()
            };
            let (Some(outcome), Some(mut record)) = (outcome, record) else {
                return Err(Error::invalid_input("call", "did not finish"));
            };
            let record = record.get_mut();
            match record.retry_after {
                Some(wait) => {
                    Box::pin(tokio::time::sleep(wait)).await;
                    attempt += 1;
                }
                // Written out rather than `Finished::result`: one future
                // fewer to move the value through.
                None => {
                    return match then(outcome, record) {
                        Finished::Now(result) => result,
                        Finished::Later(error) => Err(error.await),
                    };
                }
            }
        }
    }

    /// Turns a generated call's outcome into ours: at once, unless an
    /// answer's body is still to be read.
    pub(crate) fn finish<T, U>(
        &self,
        outcome: BindingsResult<T>,
        record: &mut CallRecord,
        convert: impl FnOnce(T) -> Result<U, String>,
    ) -> Finished<U> {
        if let Some(error) = record.provider_error.take() {
            return Finished::Now(Err(Error::TokenProvider(error)));
        }
        if let Some(redirected) = record.redirected.take() {
            return Finished::Now(Err(redirect_error(redirected, &record.sent)));
        }
        match outcome {
            Ok(response) => {
                Finished::Now(
                    convert(response.into_inner()).map_err(|reason| Error::Decode {
                        status: record.status,
                        reason,
                        body: String::new(),
                    }),
                )
            }
            Err(error) => Finished::Later(self.read_error(error, std::mem::take(record))),
        }
    }

    /// The future that turns the bindings' error into ours, reading what
    /// is left of the body.
    #[cold]
    #[inline(never)]
    fn read_error(
        &self,
        error: progenitor_client::Error<ErrorBody>,
        record: CallRecord,
    ) -> Pin<Box<dyn Future<Output = Error> + Send>> {
        let limit = match record.status {
            Some(status) if !status.is_success() => ERROR_BODY_LIMIT,
            _ => self.max_response_bytes(),
        };
        Box::pin(async move { from_bindings(error, &record, limit).await })
    }
}

/// The error of a call whose answer came from another URL: the
/// application's HTTP client followed a redirect. Rare, so kept out of the
/// common path.
#[cold]
#[inline(never)]
fn redirect_error((status, location): (StatusCode, String), sent: &SentRequest) -> Error {
    let location = redact::bounded(&sent.secrets().scrub_plain(&location));
    Error::Redirect {
        status,
        location: Some(location),
    }
}

/// What a call came to. An error may still have a body to read; the
/// future doing that is boxed, as the path is rare and its future large.
pub(crate) enum Finished<U> {
    /// Known now.
    Now(Result<U, Error>),
    /// The error, once the body is read.
    Later(Pin<Box<dyn Future<Output = Error> + Send>>),
}

impl<U> Finished<U> {
    /// The same outcome with its value turned by `convert`.
    pub(crate) fn map<V>(self, convert: impl FnOnce(U) -> V) -> Finished<V> {
        match self {
            Finished::Now(result) => Finished::Now(result.map(convert)),
            Finished::Later(error) => Finished::Later(error),
        }
    }
}

impl AccountClient {
    /// Runs a request the bindings cannot build (progenitor generates no
    /// multipart body) the way a generated method runs one: the same hooks,
    /// executor (token, retries, limits, tracing) and error mapping. A 200
    /// decodes as `T`, a status in `error_statuses` as Logto's error body.
    pub(crate) async fn send_built<T: DeserializeOwned>(
        &self,
        request: reqwest::Request,
        operation_id: &'static str,
        error_statuses: &[u16],
    ) -> Result<T, Error> {
        let api = self.api();
        // The transport keeps a copy of this request for retries (if its
        // body can be copied): there is no generated method to build it
        // again.
        let mut request = Some(request);
        let make_call = move || {
            let request = request.take();
            async move {
                let Some(request) = request else {
                    return Err(progenitor_client::Error::InvalidRequest(
                        "the request was sent already".to_owned(),
                    ));
                };
                let info = OperationInfo { operation_id };
                let response = api.exec(request, &info).await?;
                match response.status().as_u16() {
                    200 => ResponseValue::from_response(response).await,
                    status if error_statuses.contains(&status) => {
                        Err(progenitor_client::Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ))
                    }
                    _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
                }
            }
        };
        let handling = Handling {
            rebuildable: false,
            success_headers: false,
        };
        self.attempts(make_call, handling, |outcome, record| {
            self.finish(outcome, record, Ok)
        })
        .await
    }
}

/// Converts what the generated bindings return.
async fn from_bindings(
    error: progenitor_client::Error<ErrorBody>,
    record: &CallRecord,
    limit: usize,
) -> Error {
    use progenitor_client::Error as Bindings;
    let sent = &record.sent;
    let secrets = sent.secrets();
    match error {
        Bindings::ErrorResponse(response) => {
            let status = response.status();
            let request_id = redact::request_id(response.headers(), sent);
            Error::Api(Box::new(ApiError::from_body(
                status,
                response.into_inner(),
                request_id,
                &secrets,
            )))
        }
        Bindings::CommunicationError(error)
        | Bindings::ResponseBodyError(error)
        | Bindings::InvalidUpgrade(error) => Error::from_reqwest(error, limit),
        Bindings::InvalidResponsePayload(body, source) => Error::Decode {
            status: record.status,
            reason: secrets.scrub_plain(&Untrusted(&source.to_string()).to_string()),
            body: secrets.body_excerpt(&body),
        },
        Bindings::UnexpectedResponse(response) => unexpected(response, limit, sent, &secrets).await,
        Bindings::InvalidRequest(reason) | Bindings::Custom(reason) => {
            Error::invalid_input("request", reason)
        }
    }
}

/// A response with a status the operation does not declare.
async fn unexpected(
    response: reqwest::Response,
    limit: usize,
    sent: &SentRequest,
    secrets: &RequestSecrets,
) -> Error {
    let status = response.status();
    let headers = response.headers();
    let request_id = redact::request_id(headers, sent);
    if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
        // The client follows no redirect: the Account API never sends one,
        // and following would carry the request's secrets elsewhere.
        let location = headers.get(LOCATION).map(|value| {
            let text = String::from_utf8_lossy(value.as_bytes());
            redact::bounded(&secrets.scrub_plain(&text))
        });
        return Error::Redirect { status, location };
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .map(|value| redact::bounded(&String::from_utf8_lossy(value.as_bytes())));
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => return Error::from_reqwest(error, limit),
    };
    // A Logto error body with a status the spec does not list is still a
    // Logto error: keep its code.
    if !status.is_success()
        && let Ok(error_body) = serde_json::from_slice::<ErrorBody>(&body)
    {
        return Error::Api(Box::new(ApiError::from_body(
            status, error_body, request_id, secrets,
        )));
    }
    Error::UnexpectedResponse {
        status,
        content_type,
        body: secrets.body_excerpt(&body),
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `keeps_success_headers` says inside a call with `handling`.
    async fn keeps_inside(handling: Handling) -> bool {
        let record = Box::new(RefCell::new(CallRecord {
            handling,
            ..CallRecord::default()
        }));
        CALL.scope(record, async { keeps_success_headers() }).await
    }

    #[tokio::test]
    async fn success_headers_are_kept_when_read_or_outside_a_facade_call() {
        assert!(!keeps_inside(Handling::REBUILT).await);
        let reading = Handling {
            success_headers: true,
            ..Handling::REBUILT
        };
        assert!(keeps_inside(reading).await);
        assert!(keeps_success_headers());
    }
}
