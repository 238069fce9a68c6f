//! A Rust client for [Logto](https://logto.io)'s Account API: the signed-in
//! user reads and changes their own account.
//!
//! ```no_run
//! # async fn run() -> Result<(), logto_account::Error> {
//! use logto_account::{AccessToken, AccountClient, Password};
//!
//! let client = AccountClient::new("https://my-tenant.logto.app", AccessToken::new("opaque-token"))?;
//! let proof = client.verify_password(&Password::new("current password")).await?;
//! client.change_password(&proof, &Password::new("a much better passphrase")).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Sensitive changes take a proof of the user's identity
//! ([`IdentityVerification`]) as an argument, so forgetting it does not
//! compile. Proofs of a *new* email, phone or social account are other types
//! ([`VerifiedEmail`], [`VerifiedPhone`], [`VerifiedSocialIdentity`]).
//! Secrets ([`AccessToken`], [`Password`], [`VerificationCode`],
//! [`VerificationRecordId`]) never show in `Debug` output.
//!
//! The generated low-level bindings are in [`logto_account_api`], reachable
//! through [`AccountClient::bindings`].
//!
//! | What the user does | Methods |
//! | --- | --- |
//! | read the account; change name, avatar, custom data, username | [`account`](AccountClient::account), [`account_if_changed`](AccountClient::account_if_changed) (polling: 304 while unchanged), [`update_account`](AccountClient::update_account), [`change_username`](AccountClient::change_username), [`remove_username`](AccountClient::remove_username) |
//! | change the OpenID Connect profile claims | [`update_profile`](AccountClient::update_profile) |
//! | prove their identity | [`verify_password`](AccountClient::verify_password), [`send_identity_code_to_email`](AccountClient::send_identity_code_to_email), [`send_identity_code_to_phone`](AccountClient::send_identity_code_to_phone), [`verify_code`](AccountClient::verify_code) |
//! | change the password | [`change_password`](AccountClient::change_password), [`set_initial_password`](AccountClient::set_initial_password) |
//! | change or remove the email or phone | [`send_email_code`](AccountClient::send_email_code), [`change_email`](AccountClient::change_email), [`remove_email`](AccountClient::remove_email), [`send_phone_code`](AccountClient::send_phone_code), [`change_phone`](AccountClient::change_phone), [`remove_phone`](AccountClient::remove_phone) |
//! | link, replace or unlink a social account | [`start_social_verification`](AccountClient::start_social_verification), [`complete_social_verification`](AccountClient::complete_social_verification), [`link_social_identity`](AccountClient::link_social_identity), [`replace_social_identity`](AccountClient::replace_social_identity), [`unlink_social_identity`](AccountClient::unlink_social_identity) |
//! | list or remove MFA factors | [`mfa_factors`](AccountClient::mfa_factors), [`remove_mfa_factor`](AccountClient::remove_mfa_factor) |
//! | bind an authenticator app (TOTP) | [`generate_totp_secret`](AccountClient::generate_totp_secret), [`add_totp_factor`](AccountClient::add_totp_factor), [`replace_totp_factor`](AccountClient::replace_totp_factor) |
//! | bind or read backup codes | [`generate_backup_codes`](AccountClient::generate_backup_codes), [`add_backup_codes`](AccountClient::add_backup_codes), [`backup_codes`](AccountClient::backup_codes) |
//! | register, bind or rename a WebAuthn key | [`start_webauthn_registration`](AccountClient::start_webauthn_registration), [`verify_webauthn_registration`](AccountClient::verify_webauthn_registration), [`add_webauthn_factor`](AccountClient::add_webauthn_factor), [`rename_webauthn_factor`](AccountClient::rename_webauthn_factor) |
//! | use a provider's token (Google, an enterprise SSO...) | [`social_identity_token`](AccountClient::social_identity_token), [`update_social_identity_token`](AccountClient::update_social_identity_token), [`sso_identity_token`](AccountClient::sso_identity_token) |
//! | see and sign out sessions, revoke application grants | [`sessions`](AccountClient::sessions), [`revoke_session`](AccountClient::revoke_session), [`revoke_session_with`](AccountClient::revoke_session_with), [`grants`](AccountClient::grants), [`revoke_grant`](AccountClient::revoke_grant) |
//! | MFA and passkey preferences | [`mfa_settings`](AccountClient::mfa_settings), [`update_mfa_settings`](AccountClient::update_mfa_settings), [`logto_config`](AccountClient::logto_config), [`update_logto_config`](AccountClient::update_logto_config) |
//! | upload an avatar image | [`upload_avatar`](AccountClient::upload_avatar) |
//!
//! A web backend builds one client at start-up and one per request with
//! [`AccountClient::with_token`]: they share the connection pool. With the
//! `serde` feature, [`Account`] and every proof and pending verification are
//! `Serialize`/`Deserialize`, to keep them in a web session between two
//! requests (a serialized proof holds a secret: keep it server-side).

mod account;
mod auth;
mod avatar;
mod backup_codes;
mod call;
mod client;
mod conditional;
mod email;
mod error;
mod error_code;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod identities;
mod input;
mod mfa;
mod password;
mod phone;
mod profile;
#[cfg(test)]
mod properties;
mod provider_tokens;
mod redact;
mod retry;
mod secret;
mod sessions;
mod settings;
mod tls;
mod totp;
mod transport;
mod verification;
mod webauthn;

pub use account::{Account, AccountUpdate, SocialIdentity, SsoIdentity};
pub use auth::{BoxError, TokenFuture, TokenProvider, TokenProviderTimeout, TokenSource};
pub use avatar::MAX_AVATAR_BYTES;
pub use backup_codes::StoredBackupCode;
/// The time types of the public API (`DateTime<Utc>`), re-exported so that
/// callers need no `chrono` dependency of their own.
pub use chrono;
pub use client::{
    AccountClient, AccountClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, DEFAULT_TOKEN_PROVIDER_TIMEOUT,
};
pub use conditional::{AccountPoll, ETag, TaggedAccount};
pub use error::{ApiError, Error, InputIssue, PasswordIssue};
pub use error_code::ErrorCode;
pub use logto_account_api;
pub use mfa::{MfaFactor, MfaFactorKind};
pub use profile::{Address, ProfileClaims};
pub use provider_tokens::ProviderToken;
pub use retry::RetryPolicy;
pub use secret::{
    AccessToken, BackupCode, Password, ProviderAccessToken, TotpCode, TotpSecret, VerificationCode,
    VerificationRecordId,
};
pub use sessions::{Grant, GrantFilter, RevokeGrants, Session, SessionAuthorization};
pub use settings::{
    LogtoConfig, LogtoConfigMfa, LogtoConfigPasskeySignIn, LogtoConfigUpdate, MfaSettings,
};
pub use verification::{
    CodeDestination, CodeProof, IdentityVerification, PendingCode, PendingSocialVerification,
    SocialVerificationRequest, VerifiedEmail, VerifiedPhone, VerifiedSocialIdentity,
};
pub use webauthn::{PendingWebAuthnRegistration, VerifiedWebAuthnKey};

/// The README's examples compile (checked by `cargo test --doc`).
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
