//! Shared fixtures: an emulator with one user, and raw HTTP requests to it.
// Not every test module uses every helper.
#![allow(dead_code)]

use logto_account_emulator::{DEFAULT_SCOPES, Emulator, NewUser};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// The user's password in every test.
pub const PASSWORD: &str = "correct horse battery staple";
/// The user's email in every test.
pub const EMAIL: &str = "ada@example.com";

pub struct Fixture {
    pub emulator: Emulator,
    pub http: reqwest::Client,
    pub user_id: String,
    pub token: String,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    /// Sends `request` and reads the whole answer.
    pub async fn read(request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("the emulator answers");
        Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            text: response.text().await.expect("a body"),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a Logto error answer: status, exact body text (so Logto's
    /// key order too), JSON content type.
    pub fn assert_error(&self, status: u16, body: Value) {
        self.assert_json(status, body);
    }

    /// Asserts a 204: no body and no content type.
    pub fn assert_no_content(&self) {
        assert_eq!(self.status, 204, "body: {}", self.text);
        assert_eq!(self.text, "");
        assert_eq!(self.header("content-type"), None);
    }

    /// Asserts a JSON answer: status, exact body text (so the key order
    /// too), JSON content type.
    pub fn assert_json(&self, status: u16, body: Value) {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(self.json(), body);
        assert_eq!(self.text, body.to_string(), "key order");
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
    }
}

/// A reqwest client builder for the emulator's plain-HTTP address. (The
/// SDK's TLS feature is reqwest's own `rustls`, which brings its provider,
/// so a workspace build needs no process-wide provider either.)
pub fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
}

/// An emulator with user `ada` (password, email) and a default-scope token.
pub async fn setup() -> Fixture {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let user_id = emulator
        .create_user(
            NewUser::new()
                .username("ada")
                .password(PASSWORD)
                .email(EMAIL)
                .name("Ada"),
        )
        .expect("a new user");
    let token = emulator.issue_default_token(&user_id);
    Fixture {
        emulator,
        http: http_builder().build().expect("a client"),
        user_id,
        token,
    }
}

/// A request: method, path, bearer token, `logto-verification-id`, JSON body.
pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub verification: Option<&'a str>,
    pub body: Option<Value>,
}

impl Fixture {
    pub async fn send(&self, call: Call<'_>) -> Answer {
        let mut request = self.http.request(
            call.method,
            format!("{}{}", self.emulator.base_url(), call.path),
        );
        if let Some(token) = call.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(id) = call.verification {
            request = request.header("logto-verification-id", id);
        }
        if let Some(body) = call.body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        Answer::read(request).await
    }

    /// A request with any token, verification and body.
    pub async fn send_body(
        &self,
        method: Method,
        path: &str,
        token: &str,
        verification: Option<&str>,
        body: Body,
    ) -> Answer {
        let mut request = self
            .http
            .request(method, format!("{}{}", self.emulator.base_url(), path))
            .header("authorization", format!("Bearer {token}"));
        if let Some(id) = verification {
            request = request.header("logto-verification-id", id);
        }
        request = match body {
            Body::None => request,
            Body::Json(body) => request
                .header("content-type", "application/json")
                .body(body.to_string()),
            Body::Raw(content_type, bytes) => {
                request.header("content-type", content_type).body(bytes)
            }
        };
        Answer::read(request).await
    }

    /// A token for the fixture's user with `scopes`.
    pub fn token_with(&self, scopes: &[&str]) -> String {
        self.emulator.issue_token(&self.user_id, scopes)
    }

    /// `GET /api/my-account` with another token than the fixture's.
    pub async fn get_account_with(&self, token: &str) -> Answer {
        self.send(Call {
            method: Method::GET,
            path: "/api/my-account",
            token: Some(token),
            verification: None,
            body: None,
        })
        .await
    }

    /// A request with the fixture's token and no verification.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        self.send(Call {
            method,
            path,
            token: Some(&self.token),
            verification: None,
            body,
        })
        .await
    }

    /// A request with the fixture's token and a verification record id.
    pub async fn verified(
        &self,
        method: Method,
        path: &str,
        verification: &str,
        body: Option<Value>,
    ) -> Answer {
        self.send(Call {
            method,
            path,
            token: Some(&self.token),
            verification: Some(verification),
            body,
        })
        .await
    }

    /// A verification record id from the user's password.
    pub async fn password_proof(&self) -> String {
        self.password_proof_for(&self.token).await
    }

    /// A verification record id from the password `PASSWORD` of the user
    /// `token` belongs to.
    pub async fn password_proof_for(&self, token: &str) -> String {
        let answer = self
            .send(Call {
                method: Method::POST,
                path: "/api/verifications/password",
                token: Some(token),
                verification: None,
                body: Some(json!({"password": PASSWORD})),
            })
            .await;
        assert_eq!(answer.status, 201, "{}", answer.text);
        record_id(&answer)
    }

    /// A verified code record for `email` (sent and verified with the
    /// outbox's code).
    pub async fn verified_email(&self, email: &str) -> String {
        let identifier = json!({"type": "email", "value": email});
        let sent = self
            .call(
                Method::POST,
                "/api/verifications/verification-code",
                Some(json!({"identifier": identifier})),
            )
            .await;
        assert_eq!(sent.status, 201, "{}", sent.text);
        let id = record_id(&sent);
        let code = self.emulator.last_code_sent_to(email).expect("a code");
        let verified = self
            .call(
                Method::POST,
                "/api/verifications/verification-code/verify",
                Some(json!({"identifier": identifier, "verificationId": id, "code": code})),
            )
            .await;
        assert_eq!(verified.status, 200, "{}", verified.text);
        id
    }

    /// A verified social record for `social_user_id` at the mock connector.
    pub async fn verified_social(&self, social_user_id: &str) -> String {
        self.verified_social_at("mock-social", social_user_id).await
    }

    /// A verified social record for `social_user_id` at `connector_id`.
    pub async fn verified_social_at(&self, connector_id: &str, social_user_id: &str) -> String {
        let started = self
            .call(
                Method::POST,
                "/api/verifications/social",
                Some(json!({"connectorId": connector_id, "state": "s", "redirectUri": "https://app.example/cb"})),
            )
            .await;
        assert_eq!(started.status, 201, "{}", started.text);
        let id = record_id(&started);
        let code = self.emulator.social_code_for(connector_id, social_user_id);
        let verified = self
            .call(
                Method::POST,
                "/api/verifications/social/verify",
                Some(json!({"verificationRecordId": id, "connectorData": {"code": code}})),
            )
            .await;
        assert_eq!(verified.status, 200, "{}", verified.text);
        id
    }
}

/// The keys of a JSON object, in the order the answer sent them.
pub fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect()
}

pub fn record_id(answer: &Answer) -> String {
    answer.json()["verificationRecordId"]
        .as_str()
        .expect("a record id")
        .to_owned()
}

/// Logto's guard error for the given issues and details lines.
pub fn guard_error(issues: Value, details: &str) -> Value {
    guard_error_in("body", issues, details)
}

/// Logto's guard error for another part of the request: `query` or `files`.
pub fn guard_error_in(part: &str, issues: Value, details: &str) -> Value {
    json!({
        "code": "guard.invalid_input",
        "data": {"issues": issues, "name": "ZodError"},
        "details": details,
        "message": format!("The request {part} is invalid.")
    })
}

/// The scope of the sessions and grants routes.
pub const SESSIONS_SCOPE: &str = "urn:logto:scope:sessions";

/// The default scopes and the sessions scope: everything a route can ask for.
pub fn every_scope() -> Vec<&'static str> {
    DEFAULT_SCOPES
        .iter()
        .copied()
        .chain([SESSIONS_SCOPE])
        .collect()
}

/// A request body: none, JSON, or raw bytes with their content type.
#[derive(Clone, Debug)]
pub enum Body {
    None,
    Json(Value),
    Raw(String, Vec<u8>),
}

/// A `multipart/form-data` body with one part: its field name, file
/// content type and bytes.
pub fn multipart(field: &str, content_type: &str, bytes: &[u8]) -> Body {
    const BOUNDARY: &str = "emulator-test-boundary";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"a\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    Body::Raw(format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

pub fn account_center_not_enabled() -> Value {
    json!({"code": "account_center.not_enabled", "message": "Account center is not enabled."})
}

pub fn field_not_enabled() -> Value {
    json!({"code": "account_center.field_not_enabled", "message": "Field is not enabled."})
}

pub fn field_not_editable() -> Value {
    json!({"code": "account_center.field_not_editable", "message": "Field is not editable."})
}

pub fn forbidden() -> Value {
    json!({"code": "auth.forbidden", "message": "Forbidden. Please check your user roles and permissions."})
}

pub fn record_not_found() -> Value {
    json!({"code": "verification_record.not_found", "message": "Verification record not found."})
}

pub fn permission_denied() -> Value {
    json!({"code": "verification_record.permission_denied", "message": "Permission denied, please re-authenticate."})
}

pub fn unauthorized() -> Value {
    json!({"code": "auth.unauthorized", "message": "Unauthorized. Please check credentials and its scope."})
}
