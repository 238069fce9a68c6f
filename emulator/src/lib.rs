//! An in-memory emulator of [Logto](https://logto.io)'s Account and
//! Verification API (Logto 1.42.0), for tests and demos without a Logto
//! server.
//!
//! It answers every operation of our OpenAPI document (`openapi/logto-account.json`) with Logto's
//! statuses, error codes, messages and body shapes, running Logto's checks
//! in Logto's order. State lives in memory behind the [`Emulator`] handle,
//! which also lets a test set things up and look inside:
//!
//! ```
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use logto_account_emulator::{Emulator, NewUser};
//!
//! let emulator = Emulator::start().await?;
//! let user_id = emulator.create_user(
//!     NewUser::new().username("ada").password("correct horse battery staple").email("ada@example.com"),
//! )?;
//! let token = emulator.issue_default_token(&user_id);
//! // Point your client at `emulator.base_url()` with `Authorization: Bearer {token}`.
//! assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
//! # let _ = token;
//! # Ok(())
//! # }
//! ```
//!
//! | Test need | Handle method |
//! | --- | --- |
//! | users and tokens | [`create_user`](Emulator::create_user), [`issue_token`](Emulator::issue_token), [`issue_default_token`](Emulator::issue_default_token), [`issue_token_to`](Emulator::issue_token_to) (another application) |
//! | account-center settings | [`set_account_center_enabled`](Emulator::set_account_center_enabled), [`set_field_access`](Emulator::set_field_access) |
//! | MFA | [`set_mfa_factors`](Emulator::set_mfa_factors) (none offered at start, as in Logto), [`totp_code`](Emulator::totp_code) (what an authenticator app shows), [`use_backup_code`](Emulator::use_backup_code), [`webauthn::client_data_json`] |
//! | codes "sent" by email or SMS | [`last_code_sent_to`](Emulator::last_code_sent_to), [`sent_codes`](Emulator::sent_codes) |
//! | social sign-in | [`social_code_for`](Emulator::social_code_for), [`add_social_connector`](Emulator::add_social_connector) (see [`social`] for the redirect flow) |
//! | time | [`advance_clock`](Emulator::advance_clock), [`now`](Emulator::now) |
//! | checking the result | [`password_matches`](Emulator::password_matches) |
//! | the same over HTTP, for tests in other languages | [`enable_admin_routes`](Emulator::enable_admin_routes) (see [`admin`]); the `logto-account-emulator` binary has them on |
//!
//! The server runs on the Tokio runtime that calls [`Emulator::start`], so
//! call it from an async test (`#[tokio::test]` is fine) and talk to it with
//! an async client; a blocking client on a single-threaded runtime would
//! wait for a server that cannot run.
//!
//! Defaults: the account center is enabled with every [`Field`] editable
//! (a fresh Logto has it off), tokens live an hour, verification records
//! ten minutes from creation, one recipient may get 10 codes in any 10
//! minutes, and the password and username policies are Logto's defaults.
//!
//! Besides the routes, it answers like Logto 1.42.0 at the HTTP level:
//! bodies parsed by content type with koa-body's limits, `OPTIONS` and CORS
//! preflights, CORS headers on the account and verification routes only,
//! Node's 431 and 400, and Logto's key order in every body.
//!
//! What it does not emulate:
//! - enterprise SSO: there are no SSO connectors, so an SSO provider token
//!   is never found (404); every application is first-party, so
//!   `revokeGrantsTarget=firstParty` revokes what `all` does and a
//!   `thirdParty` grant list is empty. Each issued token is one sign-in:
//!   a session and a grant of its application. The mock social connector
//!   stores a provider token whenever an identity is linked. Uploaded
//!   avatars are kept in memory and served at the URL returned (a Logto
//!   without storage answers 400 `storage.not_configured` instead);
//! - WebAuthn attestation: no signature is checked. A registration verifies
//!   when its `clientDataJSON` names the record's challenge and the
//!   request's `Origin` (see [`webauthn`]); `attestationObject` is taken as
//!   it is. Passkey sign-in (which also lets WebAuthn keys be bound) is not
//!   a setting here: offer WebAuthn with [`Emulator::set_mfa_factors`];
//! - the breached-password rule (`pwned`), the email blocklist, phone-number
//!   parsing (`user.invalid_phone`), lockout after repeated wrong passwords
//!   (`session.verification_blocked_too_many_attempts`), missing connectors
//!   (501), suspended users, third-party applications, and tenant settings
//!   other than the account center (password and username policies);
//! - a JSON syntax error's message is worded by a different parser (the
//!   status, the shape and that it comes before authentication are Logto's);
//!   content encodings other than gzip and deflate are passed on as they
//!   are; localized messages (English only).
//!
//! A wrong social authorization code is the emulator's own choice of error:
//! 401 `connector.social_auth_code_invalid`.

mod account_center;
mod account_routes;
pub mod admin;
mod auth;
mod avatar_routes;
mod body;
mod clock;
mod errors;
mod guard;
mod http;
mod ids;
mod jsonb;
mod mfa_routes;
mod outbox;
mod password_policy;
mod session_routes;
mod settings_routes;
mod shared;
pub mod social;
mod spec;
mod state;
mod token_routes;
mod totp;
mod username_policy;
mod verification_routes;
pub mod webauthn;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use account_center::{Field, FieldAccess};
pub use outbox::{Channel, SentCode};
pub use social::{DEFAULT_SOCIAL_USER_ID, MOCK_SOCIAL_CONNECTOR_ID};
pub use state::{DEFAULT_SCOPES, MfaFactor};
pub use totp::code_at as totp_code_at;

use crate::shared::Shared;
use crate::state::{
    GRANT_LIFETIME, Grant, SESSION_LIFETIME, SignInSession, SocialIdentity, Token, User,
};

/// The application tokens are issued to unless
/// [`issue_token_to`](Emulator::issue_token_to) names another: a Logto
/// application id (21 lowercase letters and digits).
pub const DEFAULT_APPLICATION_ID: &str = "emulatorapp0000000001";

/// How long an access token lives unless issued with
/// [`issue_token_valid_for`](Emulator::issue_token_valid_for): Logto's
/// default, one hour.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// A running emulator. Dropping it (or [`shutdown`](Self::shutdown)) stops
/// the server.
pub struct Emulator {
    shared: Shared,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` with a free port.
    pub async fn start() -> std::io::Result<Emulator> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts an emulator on the given address (port 0 picks a free one).
    pub async fn start_on(address: SocketAddr) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(address).await?;
        let local = listener.local_addr()?;
        let shared = Shared::new(format!("http://{local}"));
        let app = http::router(shared.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            // An accept error ends the server; the handle's owner sees
            // connection errors, which is all a test double can report.
            let _ = serve.await;
        });
        Ok(Emulator {
            shared,
            shutdown: Some(shutdown),
            server: Some(server),
        })
    }

    /// The URL to give a client, e.g. `http://127.0.0.1:41234` (no `/api`,
    /// no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    /// Creates a user; returns their id (12 lowercase letters and digits).
    ///
    /// Fails if another user has the username (case-sensitively, like
    /// Logto's default username policy), email (case-insensitively) or phone.
    pub fn create_user(&self, new: NewUser) -> Result<String, UserConflict> {
        let mut state = self.shared.lock();
        if let Some(username) = &new.username
            && state.username_taken(username, "")
        {
            return Err(UserConflict::Username);
        }
        if let Some(email) = &new.email
            && state.email_taken(email, "")
        {
            return Err(UserConflict::Email);
        }
        if let Some(phone) = &new.phone
            && state.phone_taken(phone, "")
        {
            return Err(UserConflict::Phone);
        }
        let now = state.now();
        let id = loop {
            let id = ids::user_id();
            if !state.users.contains_key(&id) {
                break id;
            }
        };
        let password = new
            .password
            .as_deref()
            .map(|password| state.digest_password(password));
        let identities = new
            .social_identities
            .into_iter()
            .map(|(target, social_user_id)| {
                let details =
                    Map::from_iter([("id".to_owned(), Value::from(social_user_id.clone()))]);
                (
                    target,
                    SocialIdentity {
                        user_id: social_user_id,
                        details,
                    },
                )
            })
            .collect();
        state.users.insert(
            id.clone(),
            User {
                id: id.clone(),
                username: new.username,
                password,
                primary_email: new.email,
                primary_phone: new.phone,
                name: new.name,
                avatar: new.avatar,
                custom_data: new.custom_data,
                profile: Map::new(),
                identities,
                created_at: now,
                updated_at: now,
                last_sign_in_at: Some(now),
                mfa_factors: Vec::new(),
                logto_config: Default::default(),
            },
        );
        Ok(id)
    }

    /// Issues an opaque access token for `user_id` with exactly `scopes`,
    /// valid for [`DEFAULT_TOKEN_LIFETIME`]. Leave out `openid` to get 403
    /// `auth.forbidden`, or another scope to see the route's missing-scope
    /// error. A token for a user id that does not exist is accepted, and
    /// the routes then answer 404 `entity.not_exists_with_id`.
    pub fn issue_token(&self, user_id: &str, scopes: &[&str]) -> String {
        self.issue_token_valid_for(user_id, scopes, DEFAULT_TOKEN_LIFETIME)
    }

    /// Issues a token with [`DEFAULT_SCOPES`].
    pub fn issue_default_token(&self, user_id: &str) -> String {
        self.issue_token(user_id, &DEFAULT_SCOPES)
    }

    /// Issues a token that expires after `lifetime` by the emulator's clock,
    /// for the application [`DEFAULT_APPLICATION_ID`].
    pub fn issue_token_valid_for(
        &self,
        user_id: &str,
        scopes: &[&str],
        lifetime: Duration,
    ) -> String {
        self.issue_token_to(DEFAULT_APPLICATION_ID, user_id, scopes, lifetime)
    }

    /// Issues a token as if `user_id` had signed in with the application
    /// `application_id`; the account then shows it as `applicationId`.
    pub fn issue_token_to(
        &self,
        application_id: &str,
        user_id: &str,
        scopes: &[&str],
        lifetime: Duration,
    ) -> String {
        let mut state = self.shared.lock();
        let token = ids::access_token();
        let now = state.now();
        let expires_at = now
            .checked_add_signed(TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        // Each token stands for one sign-in: a session and a grant of its
        // application, as node-oidc-provider keeps them.
        let (session_uid, grant_id) = (ids::record_id(), ids::record_id());
        state.sessions.push(SignInSession {
            uid: session_uid.clone(),
            jti: ids::record_id(),
            user_id: user_id.to_owned(),
            application_id: application_id.to_owned(),
            login_at: now,
            expires_at: now + SESSION_LIFETIME,
            grant_id: Some(grant_id.clone()),
        });
        state.grants.push(Grant {
            id: grant_id.clone(),
            user_id: user_id.to_owned(),
            application_id: application_id.to_owned(),
            created_at: now,
            expires_at: now + GRANT_LIFETIME,
        });
        state.tokens.insert(
            token.clone(),
            Token {
                user_id: user_id.to_owned(),
                application_id: application_id.to_owned(),
                scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
                expires_at,
                session_uid,
                grant_id,
            },
        );
        token
    }

    /// Turns on the `/__emulator` routes ([`admin`]), so a test in any
    /// language can read sent codes and move the clock over HTTP.
    pub fn enable_admin_routes(&self) {
        self.shared.enable_admin();
    }

    /// Turns the account center on or off. Off, every account and
    /// verification route answers 400 `account_center.not_enabled`.
    pub fn set_account_center_enabled(&self, enabled: bool) {
        self.shared.lock().account_center.enabled = enabled;
    }

    /// Sets what users may do with a field (all are [`FieldAccess::Edit`]
    /// at start).
    pub fn set_field_access(&self, field: Field, access: FieldAccess) {
        self.shared.lock().account_center.set(field, access);
    }

    /// Sets the MFA factors the sign-in experience offers (none at start,
    /// as in Logto): binding any other kind is 400
    /// `session.mfa.mfa_factor_not_enabled`.
    pub fn set_mfa_factors(&self, factors: &[MfaFactor]) {
        self.shared.lock().mfa_factors = factors.to_vec();
    }

    /// The code an authenticator app shows now, by the emulator's clock,
    /// for a TOTP `secret` (base32); `None` if it is not base32.
    pub fn totp_code(&self, secret: &str) -> Option<String> {
        totp::code_at(secret, self.now())
    }

    /// Uses one of the user's unused backup codes, as signing in with it
    /// would: afterwards it shows `usedAt`. False for a code the user does
    /// not have unused.
    pub fn use_backup_code(&self, user_id: &str, code: &str) -> bool {
        let mut state = self.shared.lock();
        let now = state.now();
        let Some(user) = state.users.get_mut(user_id) else {
            return false;
        };
        for factor in &mut user.mfa_factors {
            if let state::BoundFactorKind::BackupCode { codes } = &mut factor.kind
                && let Some((_, used_at)) = codes
                    .iter_mut()
                    .find(|(stored, used_at)| stored == code && used_at.is_none())
            {
                *used_at = Some(now);
                return true;
            }
        }
        false
    }

    /// Moves the emulator's clock forward, e.g. past the ten minutes a
    /// verification record lives.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.lock().clock.advance(by);
    }

    /// The emulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().now()
    }

    /// The newest code sent to an email address or phone number
    /// (compared case-insensitively).
    pub fn last_code_sent_to(&self, recipient: &str) -> Option<String> {
        self.shared
            .lock()
            .outbox
            .last_to(recipient)
            .map(|sent| sent.code.clone())
    }

    /// Every code sent so far, oldest first.
    pub fn sent_codes(&self) -> Vec<SentCode> {
        self.shared.lock().outbox.all()
    }

    /// Mints an authorization code of the fake provider: verifying a social
    /// record of `connector_id` with `connectorData: {"code": <it>}` signs
    /// in as `social_user_id`. Each code works once.
    pub fn social_code_for(&self, connector_id: &str, social_user_id: &str) -> String {
        self.shared
            .lock()
            .social
            .mint_code(connector_id, social_user_id)
    }

    /// Adds a social connector; `target` is the key of the linked identity
    /// (e.g. `google`). [`MOCK_SOCIAL_CONNECTOR_ID`] exists from the start.
    pub fn add_social_connector(&self, connector_id: &str, target: &str) {
        self.shared
            .lock()
            .social
            .add_connector(connector_id, target);
    }

    /// Whether `password` is the user's password now (false for an unknown
    /// user or one without a password).
    pub fn password_matches(&self, user_id: &str, password: &str) -> bool {
        let state = self.shared.lock();
        state
            .users
            .get(user_id)
            .and_then(|user| user.password.as_ref())
            .is_some_and(|stored| state.password_matches(stored, password))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// A user to create with [`Emulator::create_user`]. Every field is optional.
///
/// Its `Debug` never shows the password.
#[derive(Clone, Default)]
pub struct NewUser {
    username: Option<String>,
    password: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    name: Option<String>,
    avatar: Option<String>,
    custom_data: Map<String, Value>,
    social_identities: Vec<(String, String)>,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("name", &self.name)
            .field("avatar", &self.avatar)
            .field("custom_data", &self.custom_data)
            .field("social_identities", &self.social_identities)
            .finish()
    }
}

impl NewUser {
    /// A user with nothing set yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The username.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The password (stored only as a salted digest).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// The primary email.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The primary phone, international digits without `+`.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// The display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The avatar URL.
    pub fn avatar(mut self, avatar: impl Into<String>) -> Self {
        self.avatar = Some(avatar.into());
        self
    }

    /// The custom data object.
    pub fn custom_data(mut self, custom_data: Map<String, Value>) -> Self {
        self.custom_data = custom_data;
        self
    }

    /// A linked social identity: connector `target` (e.g. `mock-social`)
    /// and the user's id at the provider.
    pub fn social_identity(
        mut self,
        target: impl Into<String>,
        social_user_id: impl Into<String>,
    ) -> Self {
        self.social_identities
            .push((target.into(), social_user_id.into()));
        self
    }
}

/// Why [`Emulator::create_user`] refused a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserConflict {
    /// Another user has the username.
    Username,
    /// Another user has the email.
    Email,
    /// Another user has the phone.
    Phone,
}

impl fmt::Display for UserConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            UserConflict::Username => "username",
            UserConflict::Email => "email",
            UserConflict::Phone => "phone",
        };
        write!(f, "another user already has this {what}")
    }
}

impl std::error::Error for UserConflict {}
