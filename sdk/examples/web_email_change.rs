//! A web backend that changes a user's email over three requests, keeping
//! the proofs in the user's session between them (the `serde` feature):
//!
//! 1. `POST /account/verify-password` (body: the current password) proves the
//!    user's identity;
//! 2. `POST /account/email` (body: the new address) sends a code there;
//! 3. `POST /account/email/confirm` (body: the code) verifies it and changes
//!    the email, or answers 409 when the user has to verify again.
//!
//! One `AccountClient` is built at start-up; each request acts for its user
//! with `with_token`, on the same connection pool. The session store here is
//! a map in memory; a real one (a signed cookie, Redis...) stores the same
//! JSON. A serialized proof holds a secret: keep it server-side.
//!
//! ```sh
//! cargo run --example web_email_change
//! ```
//! runs the backend against the emulator and plays the browser.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use logto_account::{
    AccessToken, AccountClient, Error, IdentityVerification, Password, PendingCode,
    VerificationCode, VerifiedEmail,
};
use logto_account_emulator::{Emulator, NewUser};
use serde::{Serialize, de::DeserializeOwned};

/// What the backend shares between requests.
#[derive(Clone)]
pub struct App {
    /// Built once; `with_token` makes a client per request from it.
    logto: AccountClient,
    /// Session id → named JSON values: a stand-in for a real session store.
    sessions: Arc<Mutex<HashMap<String, HashMap<&'static str, serde_json::Value>>>>,
}

/// The backend's routes.
pub fn router(logto: AccountClient) -> Router {
    let app = App {
        logto,
        sessions: Arc::default(),
    };
    Router::new()
        .route("/account/verify-password", post(verify_password))
        .route("/account/email", post(send_email_code))
        .route("/account/email/confirm", post(confirm_email))
        .with_state(app)
}

type Answer = (StatusCode, String);

/// The user's own Logto access token and session id, from the request (a
/// real backend takes both from its session cookie).
fn user(app: &App, headers: &HeaderMap) -> Result<(AccountClient, String), Answer> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let unauthorized = || (StatusCode::UNAUTHORIZED, "sign in first".to_owned());
    let token = header("authorization")
        .and_then(|value| value.strip_prefix("Bearer ").map(str::to_owned))
        .ok_or_else(unauthorized)?;
    let session = header("x-session").ok_or_else(unauthorized)?;
    let client = app
        .logto
        .with_token(AccessToken::new(token))
        .map_err(|error| (StatusCode::BAD_REQUEST, error.to_string()))?;
    Ok((client, session))
}

fn store<T: Serialize>(
    app: &App,
    session: &str,
    key: &'static str,
    value: &T,
) -> Result<(), Answer> {
    let json = serde_json::to_value(value).map_err(internal)?;
    let mut sessions = app.sessions.lock().map_err(|_| internal("session store"))?;
    sessions
        .entry(session.to_owned())
        .or_default()
        .insert(key, json);
    Ok(())
}

fn load<T: DeserializeOwned>(app: &App, session: &str, key: &'static str) -> Result<T, Answer> {
    let sessions = app.sessions.lock().map_err(|_| internal("session store"))?;
    let json = sessions
        .get(session)
        .and_then(|values| values.get(key))
        .cloned()
        .ok_or_else(|| {
            (
                StatusCode::CONFLICT,
                format!("no {key} in this session: start again"),
            )
        })?;
    serde_json::from_value(json).map_err(internal)
}

fn internal(error: impl std::fmt::Display) -> Answer {
    (StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}

/// Logto's errors as answers: "verify again" is a 409 the page can act on.
fn answer(error: Error) -> Answer {
    if error.needs_new_verification() {
        (StatusCode::CONFLICT, "verify again".to_owned())
    } else if error.is_code_mismatch() || error.is_invalid_credentials() {
        (StatusCode::UNPROCESSABLE_ENTITY, error.to_string())
    } else {
        (StatusCode::BAD_GATEWAY, error.to_string())
    }
}

async fn verify_password(State(app): State<App>, headers: HeaderMap, password: String) -> Answer {
    let outcome = async {
        let (client, session) = user(&app, &headers)?;
        let proof = client
            .verify_password(&Password::new(password))
            .await
            .map_err(answer)?;
        store(&app, &session, "identity", &proof)
    };
    outcome
        .await
        .map_or_else(|e| e, |()| (StatusCode::NO_CONTENT, String::new()))
}

async fn send_email_code(State(app): State<App>, headers: HeaderMap, email: String) -> Answer {
    let outcome = async {
        let (client, session) = user(&app, &headers)?;
        let pending = client.send_email_code(email.trim()).await.map_err(answer)?;
        store(&app, &session, "pending_email", &pending)
    };
    outcome
        .await
        .map_or_else(|e| e, |()| (StatusCode::NO_CONTENT, String::new()))
}

async fn confirm_email(State(app): State<App>, headers: HeaderMap, code: String) -> Answer {
    let outcome = async {
        let (client, session) = user(&app, &headers)?;
        let identity: IdentityVerification = load(&app, &session, "identity")?;
        let pending: PendingCode<VerifiedEmail> = load(&app, &session, "pending_email")?;
        if identity.is_expired() || pending.is_expired() {
            return Err((StatusCode::CONFLICT, "verify again".to_owned()));
        }
        let new_email = client
            .verify_code(&pending, &VerificationCode::new(code.trim()))
            .await
            .map_err(answer)?;
        client
            .change_email(&identity, &new_email)
            .await
            .map_err(answer)
    };
    outcome
        .await
        .map_or_else(|e| e, |()| (StatusCode::NO_CONTENT, String::new()))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The backend listening on a free loopback port, and a browser of one
/// signed-in user of `emulator`.
pub struct Demo {
    /// The backend's own client (any token: requests bring their own).
    pub logto: AccountClient,
    /// The signed-in user's Logto access token.
    pub token: String,
    backend: String,
    browser: reqwest::Client,
}

impl Demo {
    /// Starts the backend against `emulator`, for a new user `grace`.
    pub async fn start(emulator: &Emulator) -> Result<Demo, BoxError> {
        let user_id = emulator.create_user(
            NewUser::new()
                .username("grace")
                .password("correct horse battery staple")
                .email("grace@example.com"),
        )?;
        let token = emulator.issue_default_token(&user_id);
        let logto = AccountClient::new(emulator.base_url(), AccessToken::new("unused"))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let backend = format!("http://{}", listener.local_addr()?);
        tokio::spawn(axum::serve(listener, router(logto.clone())).into_future());
        Ok(Demo {
            logto,
            token,
            backend,
            browser: reqwest::Client::new(),
        })
    }

    /// The browser posts `body` to the backend; returns the status.
    pub async fn post(&self, path: &str, body: &str) -> Result<StatusCode, BoxError> {
        let response = self
            .browser
            .post(format!("{}{path}", self.backend))
            .bearer_auth(&self.token)
            .header("x-session", "session-1")
            .body(body.to_owned())
            .send()
            .await?;
        Ok(StatusCode::from_u16(response.status().as_u16())?)
    }

    /// The user's primary email, read with their token.
    pub async fn primary_email(&self) -> Result<Option<String>, BoxError> {
        let client = self
            .logto
            .with_token(AccessToken::new(self.token.clone()))?;
        Ok(client.account().await?.primary_email)
    }
}

/// Runs the backend against `emulator` and plays the browser of one user
/// through the three requests; returns the user's primary email afterwards.
pub async fn demo(emulator: &Emulator) -> Result<Option<String>, BoxError> {
    let demo = Demo::start(emulator).await?;
    let steps = [
        (
            "/account/verify-password",
            "correct horse battery staple".to_owned(),
        ),
        ("/account/email", "grace@hopper.dev".to_owned()),
    ];
    for (path, body) in steps {
        let status = demo.post(path, &body).await?;
        if status != StatusCode::NO_CONTENT {
            return Err(format!("{path}: {status}").into());
        }
    }
    let code = emulator
        .last_code_sent_to("grace@hopper.dev")
        .ok_or("the emulator sent no code")?;
    let status = demo.post("/account/email/confirm", &code).await?;
    if status != StatusCode::NO_CONTENT {
        return Err(format!("confirm: {status}").into());
    }
    demo.primary_email().await
}

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = async {
        let emulator = Emulator::start().await?;
        demo(&emulator).await
    };
    match outcome.await {
        Ok(email) => {
            println!(
                "primary email after the three requests: {}",
                email.unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = std::error::Error::source(error.as_ref());
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}
