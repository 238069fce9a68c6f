//! Logto's error answers: a status and a body `{code, data?, details?, message}`.
//!
//! Messages are Logto's English phrases. `data` and `details` are left out of
//! the body when absent, as Logto's `JSON.stringify` drops `undefined`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::username_policy::UsernameViolation;

/// An error answer, ready to be sent.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    status: StatusCode,
    /// `None` for failures that are not Logto request errors (a JSON syntax
    /// error has only a `message`).
    code: Option<&'static str>,
    message: String,
    data: Option<Box<Value>>,
    details: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: Some(code),
            message: message.into(),
            data: None,
            details: None,
        }
    }

    pub(crate) fn with_data(mut self, data: Value) -> Self {
        self.data = Some(Box::new(data));
        self
    }

    pub(crate) fn with_details(mut self, details: String) -> Self {
        self.details = Some(details);
        self
    }

    /// A body that failed to parse as JSON: Logto answers with the parser's
    /// message and no code.
    pub(crate) fn malformed_json(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: None,
            message: message.into(),
            data: None,
            details: None,
        }
    }

    fn body(&self) -> Value {
        let mut body = Map::new();
        if let Some(code) = self.code {
            body.insert("code".to_owned(), json!(code));
        }
        if let Some(data) = &self.data {
            body.insert("data".to_owned(), (**data).clone());
        }
        if let Some(details) = &self.details {
            body.insert("details".to_owned(), json!(details));
        }
        body.insert("message".to_owned(), json!(self.message));
        Value::Object(body)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

/// A JSON answer with Logto's content type.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    json_text_response(status, body.to_string())
}

/// [`json_response`] for a body already serialized (e.g. to hash it first).
pub(crate) fn json_text_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Logto's answer for a failure that is not a request error. The emulator
/// uses it only where a guard that already passed left nothing to read,
/// which cannot happen.
pub(crate) fn internal() -> ApiError {
    ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: None,
        message: "Internal server error.".to_owned(),
        data: None,
        details: None,
    }
}

const UNAUTHORIZED_MESSAGE: &str = "Unauthorized. Please check credentials and its scope.";

pub(crate) fn authorization_header_missing() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "auth.authorization_header_missing",
        "Authorization header is missing.",
    )
}

pub(crate) fn authorization_token_type_not_supported() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "auth.authorization_token_type_not_supported",
        "Authorization type is not supported.",
    )
    .with_data(json!({"supportedTypes": ["Bearer"]}))
}

/// `auth.unauthorized` with the status the route uses: 401 from the token
/// middleware and some routes, 400 from routes asserting a scope without a
/// status.
pub(crate) fn unauthorized(status: StatusCode) -> ApiError {
    ApiError::new(status, "auth.unauthorized", UNAUTHORIZED_MESSAGE)
}

pub(crate) fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "auth.forbidden",
        "Forbidden. Please check your user roles and permissions.",
    )
}

pub(crate) fn account_center_not_enabled() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "account_center.not_enabled",
        "Account center is not enabled.",
    )
}

pub(crate) fn field_not_editable() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "account_center.field_not_editable",
        "Field is not editable.",
    )
}

pub(crate) fn permission_denied() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "verification_record.permission_denied",
        "Permission denied, please re-authenticate.",
    )
}

pub(crate) fn verification_record_not_found() -> ApiError {
    verification_record_not_found_with(StatusCode::BAD_REQUEST)
}

pub(crate) fn code_mismatch() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "verification_code.code_mismatch",
        "Invalid verification code.",
    )
}

pub(crate) fn verification_code_not_found() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "verification_code.not_found",
        "Verification code not found. Please send verification code first.",
    )
}

pub(crate) fn exceed_max_try() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "verification_code.exceed_max_try",
        "Verification code retries limitation exceeded. Please request a new verification code.",
    )
}

pub(crate) fn email_mismatch() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "verification_code.email_mismatch",
        "Email mismatch. Please request a new verification code.",
    )
}

pub(crate) fn phone_mismatch() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "verification_code.phone_mismatch",
        "Phone mismatch. Please request a new verification code.",
    )
}

pub(crate) fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "session.invalid_credentials",
        "Incorrect account or password. Please check your input.",
    )
}

pub(crate) fn invalid_connector_id(connector_id: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "session.invalid_connector_id",
        format!("Unable to find available connector with id {connector_id}."),
    )
}

/// What a social connector answers for an authorization code it does not
/// accept. Not in the facts: the emulator's own choice, documented in the
/// crate docs.
pub(crate) fn social_auth_code_invalid() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "connector.social_auth_code_invalid",
        "Can not get access token, please check authorization code.",
    )
}

pub(crate) fn message_rate_limited() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "request.message_rate_limited",
        "Too many messages sent to this recipient. Please try again later.",
    )
}

pub(crate) fn value_list_empty() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "entity.invalid_input",
        "Invalid input. Value list must not be empty.",
    )
}

/// A value longer than its `varchar(limit)` column: Logto's Slonik error
/// handler passes PostgreSQL's own text on in `data.message`.
pub(crate) fn value_too_long(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "entity.value_too_long",
        "The length of value is too long and exceeds the limit.",
    )
    .with_data(json!({
        "message": format!("value too long for type character varying({limit})")
    }))
}

/// 422 `user.username_<violation>` from the username policy.
pub(crate) fn username_policy(violation: UsernameViolation) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        violation.code(),
        violation.message(),
    )
}

pub(crate) fn user_not_found(user_id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "entity.not_exists_with_id",
        format!("The user with ID `{user_id}` does not exist."),
    )
}

pub(crate) fn username_already_in_use() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.username_already_in_use",
        "This username is already in use.",
    )
}

pub(crate) fn email_already_in_use() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.email_already_in_use",
        "This email is associated with an existing account.",
    )
}

pub(crate) fn phone_already_in_use() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.phone_already_in_use",
        "This phone number is associated with an existing account.",
    )
}

/// The same code with two statuses: 422 when another user has the social
/// account, 400 when this user already has one for the connector.
pub(crate) fn identity_already_in_use(status: StatusCode) -> ApiError {
    ApiError::new(
        status,
        "user.identity_already_in_use",
        "The social account has been associated with an existing account.",
    )
}

pub(crate) fn identity_not_exist() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "user.identity_not_exist",
        "The social account has not been registered yet.",
    )
}

pub(crate) fn last_sign_in_method_required() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "user.last_sign_in_method_required",
        "You need to keep at least one identifier in your account.",
    )
}

pub(crate) fn same_password() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.same_password",
        "New password cannot be the same as your old password.",
    )
}

pub(crate) fn password_rejected(issues: Vec<Value>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "password.rejected",
        "Password rejected. Please check if your password meets the requirements.",
    )
    .with_data(Value::Array(issues))
}

pub(crate) fn field_not_enabled() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "account_center.field_not_enabled",
        "Field is not enabled.",
    )
}

/// `verification_record.not_found` with the route's status: 400, or 404
/// on `GET .../backup-codes`.
pub(crate) fn verification_record_not_found_with(status: StatusCode) -> ApiError {
    ApiError::new(
        status,
        "verification_record.not_found",
        "Verification record not found.",
    )
}

pub(crate) fn mfa_factor_not_enabled() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "session.mfa.mfa_factor_not_enabled",
        "MFA factor is not enabled.",
    )
}

pub(crate) fn invalid_totp_code() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "session.mfa.invalid_totp_code",
        "Invalid TOTP code.",
    )
}

pub(crate) fn totp_secret_invalid() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "user.totp_secret_invalid",
        "Invalid TOTP secret supplied.",
    )
}

pub(crate) fn totp_already_in_use() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.totp_already_in_use",
        "TOTP is already in use.",
    )
}

pub(crate) fn backup_code_already_in_use() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.backup_code_already_in_use",
        "Backup code is already in use.",
    )
}

pub(crate) fn backup_code_can_not_be_alone() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "session.mfa.backup_code_can_not_be_alone",
        "Backup code can not be the only MFA.",
    )
}

pub(crate) fn wrong_backup_code_format() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.wrong_backup_code_format",
        "Backup code format is invalid.",
    )
}

/// A registration response that did not verify; `reason` is the WebAuthn
/// library's message, which Logto passes on in `data.message`.
pub(crate) fn webauthn_verification_failed(reason: String) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "session.mfa.webauthn_verification_failed",
        "WebAuthn verification failed.",
    )
    .with_data(json!({ "message": reason }))
}

/// What the token routes answer a token without `identities`.
pub(crate) fn forbidden_by_scope() -> ApiError {
    forbidden()
}

pub(crate) fn provider_token_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "secrets.third_party_token_set.token_not_found",
        "Token record not found.",
    )
}

pub(crate) fn identity_not_exists_in_current_user() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "user.identity_not_exists_in_current_user",
        "The specified identity does not exist in the current user account. Please link the identity first.",
    )
}

pub(crate) fn social_verification_invalid_target(expected: &str, actual: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "verification_record.social_verification.invalid_target",
        format!("Invalid verification record. Expected {expected} but got {actual}."),
    )
}

/// Logto answers these with 400 and the intended 404 in `data.status`.
pub(crate) fn session_not_found() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "oidc.session_not_found",
        "Session not found.",
    )
    .with_data(serde_json::json!({"status": 404}))
}

pub(crate) fn invalid_session_account_id() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "oidc.invalid_session_account_id",
        "Session accountId mismatch.",
    )
    .with_data(serde_json::json!({"status": 404}))
}

pub(crate) fn invalid_grant() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "oidc.invalid_grant",
        "Grant request is invalid.",
    )
}

pub(crate) fn mime_type_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "guard.mime_type_not_allowed",
        "MIME type is not allowed.",
    )
}

pub(crate) fn file_size_exceeded() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "guard.file_size_exceeded",
        "File size exceeded.",
    )
}
