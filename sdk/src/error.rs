//! The one error type of the SDK, and what Logto's error bodies carry.

use std::fmt;

use logto_account_api::types::ErrorBody;
use reqwest::StatusCode;
use serde_json::Value;

use crate::ErrorCode;
use crate::redact::{RequestSecrets, Untrusted};

/// Everything that can go wrong calling the Account API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error ([`ApiError`] has its code).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request did not complete: connection refused or reset, TLS, DNS.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request did not complete within the configured timeout.
    #[error("request timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// A response could not be decoded into what the operation returns.
    #[error("cannot decode the response{}: {}; body: {body:?}", status_suffix(.status), Untrusted(.reason))]
    Decode {
        /// The HTTP status of the response, when known.
        status: Option<StatusCode>,
        /// What did not fit (with the request's secrets scrubbed).
        reason: String,
        /// The start of the body that failed (at most 1024 characters),
        /// with the request's secrets and the answer's secret fields
        /// replaced by `***`; empty when the body decoded but its content
        /// did not fit.
        body: String,
    },
    /// The server answered with a redirect. Logto's Account API never
    /// redirects, and following one would send the request's secrets (the
    /// token, a password, a verification record) wherever it points, so the
    /// client follows none: check the endpoint.
    #[error("the server redirected ({status}){}; the client follows no redirect: check the endpoint", location_suffix(.location.as_deref()))]
    Redirect {
        /// The 3xx status.
        status: StatusCode,
        /// The `Location` it named (secrets of the request replaced by
        /// `***`, at most 1024 characters).
        location: Option<String>,
    },
    /// A response with a status the operation does not expect and no Logto
    /// error body (e.g. `404 Not Found` as plain text for a wrong endpoint,
    /// or an HTML page from a proxy).
    #[error("unexpected response {status}{}: {body:?}", request_id_suffix(.request_id.as_deref()))]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type`, if any.
        content_type: Option<String>,
        /// The start of the body (at most 1024 characters).
        body: String,
        /// Logto's `Logto-Core-Request-Id`, if the response has one.
        request_id: Option<String>,
    },
    /// The response body is larger than the client's limit; it was not read
    /// whole.
    #[error("the response body is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The limit ([`AccountClientBuilder::max_response_bytes`](crate::AccountClientBuilder::max_response_bytes)).
        limit: usize,
    },
    /// The [`TokenProvider`](crate::TokenProvider) failed to supply a token.
    #[error("the token provider failed: {0}")]
    TokenProvider(#[source] crate::BoxError),
    /// Input the server would reject, refused before sending anything.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The input at fault, e.g. `phone` or `endpoint`.
        field: &'static str,
        /// Which rule it breaks (never the value itself).
        reason: String,
    },
}

impl Error {
    /// The API error, if the server answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The error code, if the server answered with a Logto error.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api_error().and_then(ApiError::code)
    }

    /// The HTTP status of the response that failed, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status()),
            Error::UnexpectedResponse { status, .. } | Error::Redirect { status, .. } => {
                Some(*status)
            }
            Error::Transport(error) | Error::Timeout(error) => error.status(),
            Error::Decode { status, .. } => *status,
            Error::InvalidInput { .. }
            | Error::ResponseTooLarge { .. }
            | Error::TokenProvider(_) => None,
        }
    }

    /// True when the operation needs a (new) identity verification: the
    /// verification was missing, expired, unknown or of the wrong kind
    /// (401 `verification_record.permission_denied`). Verify again, e.g. with
    /// [`AccountClient::verify_password`](crate::AccountClient::verify_password),
    /// and repeat the call.
    pub fn is_reauthentication_required(&self) -> bool {
        self.code() == Some(&ErrorCode::PermissionDenied)
    }

    /// True when the account center does not let users edit the field
    /// (`account_center.field_not_editable`, or its old spelling).
    pub fn is_field_not_editable(&self) -> bool {
        self.code() == Some(&ErrorCode::FieldNotEditable)
    }

    /// True when the access token lacks a scope the route needs. Logto says
    /// so three ways, depending on the route (each facade method's doc names
    /// its scope and status): 400 `auth.unauthorized`, 403 `auth.forbidden`,
    /// or, on routes that check the scope in their own middleware, 401
    /// `auth.unauthorized`. That 401 is also what an expired token gets, so
    /// it counts here only on those routes, and only after the client has
    /// retried with a fresh token where a [`TokenProvider`](crate::TokenProvider)
    /// supplies one. Ask the user to sign in again with the scope.
    pub fn is_missing_scope(&self) -> bool {
        let Some(error) = self.api_error() else {
            return false;
        };
        match (error.status.as_u16(), error.code()) {
            (400, Some(ErrorCode::Unauthorized)) | (403, Some(ErrorCode::Forbidden)) => true,
            (401, Some(ErrorCode::Unauthorized)) => error.scope_refused_with_401,
            _ => false,
        }
    }

    /// Marks an error of a route that answers a missing scope with 401
    /// `auth.unauthorized` (see [`is_missing_scope`](Self::is_missing_scope)).
    pub(crate) fn on_route_refusing_scope_with_401(mut self) -> Self {
        if let Error::Api(error) = &mut self {
            error.scope_refused_with_401 = true;
        }
        self
    }

    /// True when the tenant's account center is disabled, so no account or
    /// verification call works until an admin enables it.
    pub fn is_account_center_disabled(&self) -> bool {
        self.code() == Some(&ErrorCode::AccountCenterNotEnabled)
    }

    /// True when too many codes were sent to one recipient (429
    /// `request.message_rate_limited`: 10 in 10 minutes): wait before
    /// sending another.
    pub fn is_rate_limited(&self) -> bool {
        self.code() == Some(&ErrorCode::MessageRateLimited)
    }

    /// True when the password given to
    /// [`verify_password`](crate::AccountClient::verify_password) is wrong
    /// (422 `session.invalid_credentials`).
    pub fn is_invalid_credentials(&self) -> bool {
        self.code() == Some(&ErrorCode::InvalidCredentials)
    }

    /// True when the verification code is wrong
    /// (400 `verification_code.code_mismatch`): the user may try again.
    pub fn is_code_mismatch(&self) -> bool {
        self.code() == Some(&ErrorCode::VerificationCodeMismatch)
    }

    /// True when a proof or a pending code can no longer be used, and the
    /// user has to verify again from the start: the proof is missing,
    /// expired or unknown ([`is_reauthentication_required`](Self::is_reauthentication_required)),
    /// the verification record is expired, unknown or already used
    /// (`verification_record.not_found`), or a code expired, was never sent
    /// or was guessed wrong too often (`verification_code.expired`,
    /// `.not_found`, `.exceed_max_try`).
    pub fn needs_new_verification(&self) -> bool {
        matches!(
            self.code(),
            Some(
                ErrorCode::PermissionDenied
                    | ErrorCode::VerificationRecordNotFound
                    | ErrorCode::VerificationCodeExpired
                    | ErrorCode::VerificationCodeNotFound
                    | ErrorCode::VerificationCodeExceedMaxTry
            )
        )
    }

    /// The password-policy rules a rejected password broke
    /// (422 `password.rejected`); empty for any other error.
    pub fn password_issues(&self) -> Vec<PasswordIssue> {
        self.api_error()
            .map(ApiError::password_issues)
            .unwrap_or_default()
    }

    /// The fields the server's input guard refused (400 `guard.invalid_input`);
    /// empty for any other error.
    pub fn input_issues(&self) -> Vec<InputIssue> {
        self.api_error()
            .map(ApiError::input_issues)
            .unwrap_or_default()
    }

    pub(crate) fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error, limit: usize) -> Self {
        if caused_by::<http_body_util::LengthLimitError>(&error) {
            Error::ResponseTooLarge { limit }
        } else if error.is_timeout() {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }
}

/// An error answer from Logto: `{code, message, data?, details?}` and the
/// HTTP status and request id it came with.
#[derive(Clone, Debug)]
pub struct ApiError {
    status: StatusCode,
    code: Option<ErrorCode>,
    message: String,
    data: Option<Value>,
    details: Option<String>,
    request_id: Option<String>,
    /// The route answers a missing scope with 401 `auth.unauthorized`.
    scope_refused_with_401: bool,
}

impl ApiError {
    /// An error from Logto's body, with every secret of the request that
    /// it echoes replaced by `***`.
    pub(crate) fn from_body(
        status: StatusCode,
        body: ErrorBody,
        request_id: Option<String>,
        secrets: &RequestSecrets,
    ) -> Self {
        let code = body.code.map(|code| {
            let code = match ErrorCode::parse(&code) {
                ErrorCode::Other(_) if !PasswordIssue::is_known_code(&code) => {
                    secrets.scrub_str(&code)
                }
                _ => code,
            };
            ErrorCode::parse(&code)
        });
        let mut data = body.data;
        if let Some(data) = &mut data {
            secrets.scrub_json(data);
        }
        ApiError {
            status,
            code,
            message: secrets.scrub_str(&body.message),
            data,
            details: body.details.map(|details| secrets.scrub_str(&details)),
            request_id,
            scope_refused_with_401: false,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The error code; `None` for failures that are not Logto request errors
    /// (e.g. a 500 `Internal server error.`).
    pub fn code(&self) -> Option<&ErrorCode> {
        self.code.as_ref()
    }

    /// The message, localized by the server. Show it; do not branch on it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Structured detail whose shape depends on the code.
    pub fn data(&self) -> Option<&Value> {
        self.data.as_ref()
    }

    /// Formatted validation detail (for `guard.invalid_input`).
    pub fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }

    /// The `Logto-Core-Request-Id` of the response: quote it when asking
    /// the server's operators about this error.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The password-policy rules a rejected password broke
    /// (422 `password.rejected`); empty for any other error.
    pub fn password_issues(&self) -> Vec<PasswordIssue> {
        if self.code != Some(ErrorCode::PasswordRejected) {
            return Vec::new();
        }
        self.data
            .as_ref()
            .and_then(Value::as_array)
            .map(|issues| issues.iter().map(PasswordIssue::from_json).collect())
            .unwrap_or_default()
    }

    /// The fields the server's input guard refused (400 `guard.invalid_input`);
    /// empty for any other error.
    pub fn input_issues(&self) -> Vec<InputIssue> {
        if self.code != Some(ErrorCode::GuardInvalidInput) {
            return Vec::new();
        }
        self.data
            .as_ref()
            .and_then(|data| data.get("issues"))
            .and_then(Value::as_array)
            .map(|issues| issues.iter().map(InputIssue::from_json).collect())
            .unwrap_or_default()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Logto answered {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {}", Untrusted(code.as_str()))?;
        }
        write!(f, ": {}", Untrusted(&self.message))?;
        f.write_str(&request_id_suffix(self.request_id.as_deref()))
    }
}

impl std::error::Error for ApiError {}

/// One password-policy rule a rejected password broke.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordIssue {
    /// Shorter than `min` characters.
    TooShort {
        /// The minimum length.
        min: u64,
    },
    /// Longer than `max` characters.
    TooLong {
        /// The maximum length.
        max: u64,
    },
    /// Fewer than `min` kinds of characters (lower, upper, digits, symbols).
    CharacterTypes {
        /// The number of kinds needed.
        min: u64,
    },
    /// Has characters the policy does not allow.
    UnsupportedCharacters,
    /// Found in a known data breach.
    Pwned,
    /// Repeats characters (e.g. `aaaa`).
    Repetition,
    /// Has a sequence (e.g. `1234`, `abcd`).
    Sequence,
    /// Contains the user's own information (name, email...).
    UserInfo,
    /// Contains a word the tenant forbids.
    RestrictedWords,
    /// A rule this SDK does not know, as Logto sent it.
    Other {
        /// The issue code, e.g. `password_rejected.something_new`.
        code: String,
        /// Its parameters, if any.
        interpolation: Option<Value>,
    },
}

impl PasswordIssue {
    /// The issue codes Logto documents (public text, never a secret).
    const KNOWN_CODES: &[&str] = &[
        "password_rejected.too_short",
        "password_rejected.too_long",
        "password_rejected.character_types",
        "password_rejected.unsupported_characters",
        "password_rejected.pwned",
        "password_rejected.restricted.repetition",
        "password_rejected.restricted.sequence",
        "password_rejected.restricted.user_info",
        "password_rejected.restricted.words",
    ];

    pub(crate) fn is_known_code(code: &str) -> bool {
        Self::KNOWN_CODES.contains(&code)
    }

    fn from_json(issue: &Value) -> Self {
        let code = issue
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let interpolation = issue.get("interpolation");
        let number = |key: &str| {
            interpolation
                .and_then(|i| i.get(key))
                .and_then(Value::as_u64)
        };
        match (code, number("min"), number("max")) {
            ("password_rejected.too_short", Some(min), _) => PasswordIssue::TooShort { min },
            ("password_rejected.too_long", _, Some(max)) => PasswordIssue::TooLong { max },
            ("password_rejected.character_types", Some(min), _) => {
                PasswordIssue::CharacterTypes { min }
            }
            ("password_rejected.unsupported_characters", ..) => {
                PasswordIssue::UnsupportedCharacters
            }
            ("password_rejected.pwned", ..) => PasswordIssue::Pwned,
            ("password_rejected.restricted.repetition", ..) => PasswordIssue::Repetition,
            ("password_rejected.restricted.sequence", ..) => PasswordIssue::Sequence,
            ("password_rejected.restricted.user_info", ..) => PasswordIssue::UserInfo,
            ("password_rejected.restricted.words", ..) => PasswordIssue::RestrictedWords,
            _ => PasswordIssue::Other {
                code: code.to_owned(),
                interpolation: interpolation.cloned(),
            },
        }
    }
}

/// What the user should read: e.g. "at least 8 characters".
impl fmt::Display for PasswordIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordIssue::TooShort { min } => write!(f, "at least {min} characters"),
            PasswordIssue::TooLong { max } => write!(f, "at most {max} characters"),
            PasswordIssue::CharacterTypes { min } => write!(
                f,
                "at least {min} kinds of characters (lower case, upper case, digits, symbols)"
            ),
            PasswordIssue::UnsupportedCharacters => f.write_str("only supported characters"),
            PasswordIssue::Pwned => f.write_str("not found in a known data breach"),
            PasswordIssue::Repetition => f.write_str("no repeated characters such as `aaaa`"),
            PasswordIssue::Sequence => f.write_str("no sequences such as `1234` or `abcd`"),
            PasswordIssue::UserInfo => f.write_str("none of your own details (name, email, phone)"),
            PasswordIssue::RestrictedWords => f.write_str("none of the words the site forbids"),
            PasswordIssue::Other { code, .. } => write!(f, "the rule `{}`", Untrusted(code)),
        }
    }
}

/// One field the server's input guard refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputIssue {
    /// Where in the body, e.g. `["username"]` or `["identifier", "value"]`.
    pub path: Vec<String>,
    /// The validator's code, e.g. `invalid_string` or `invalid_type`.
    pub code: String,
    /// The validator's message.
    pub message: String,
}

impl InputIssue {
    fn from_json(issue: &Value) -> Self {
        let text = |key: &str| {
            issue
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let path = issue
            .get("path")
            .and_then(Value::as_array)
            .map(|segments| {
                segments
                    .iter()
                    .map(|segment| match segment {
                        Value::String(name) => name.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        InputIssue {
            path,
            code: text("code"),
            message: text("message"),
        }
    }
}

/// Whether `E` is somewhere in the chain of `error`'s sources.
fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<E>() {
            return true;
        }
        current = error.source();
    }
    false
}

fn status_suffix(status: &Option<StatusCode>) -> String {
    status.map_or_else(String::new, |status| format!(" ({status})"))
}

fn location_suffix(location: Option<&str>) -> String {
    location.map_or_else(String::new, |location| format!(" to {location:?}"))
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id.map_or_else(String::new, |id| format!(" (request id {id})"))
}
