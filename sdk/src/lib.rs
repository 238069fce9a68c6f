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
//! | read the account, change name, avatar, custom data, username, profile claims | [`profile`](AccountClient::profile), [`update_profile`](AccountClient::update_profile), [`change_username`](AccountClient::change_username), [`remove_username`](AccountClient::remove_username), [`update_profile_claims`](AccountClient::update_profile_claims) |
//! | prove their identity | [`verify_password`](AccountClient::verify_password), [`send_identity_code`](AccountClient::send_identity_code), [`verify_code`](AccountClient::verify_code) |
//! | change the password | [`change_password`](AccountClient::change_password), [`set_initial_password`](AccountClient::set_initial_password) |
//! | change or remove the email or phone | [`send_email_code`](AccountClient::send_email_code), [`change_email`](AccountClient::change_email), [`remove_email`](AccountClient::remove_email), [`send_phone_code`](AccountClient::send_phone_code), [`change_phone`](AccountClient::change_phone), [`remove_phone`](AccountClient::remove_phone) |
//! | link, replace or unlink a social account | [`start_social_verification`](AccountClient::start_social_verification), [`complete_social_verification`](AccountClient::complete_social_verification), [`link_social_identity`](AccountClient::link_social_identity), [`replace_social_identity`](AccountClient::replace_social_identity), [`unlink_social_identity`](AccountClient::unlink_social_identity) |
//! | use a provider's token (Google, an enterprise SSO...) | [`social_identity_token`](AccountClient::social_identity_token), [`update_social_identity_token`](AccountClient::update_social_identity_token), [`sso_identity_token`](AccountClient::sso_identity_token) |
//! | see and sign out sessions, revoke application grants | [`sessions`](AccountClient::sessions), [`revoke_session`](AccountClient::revoke_session), [`revoke_session_with`](AccountClient::revoke_session_with), [`grants`](AccountClient::grants), [`revoke_grant`](AccountClient::revoke_grant) |
//! | MFA and passkey preferences | [`mfa_settings`](AccountClient::mfa_settings), [`update_mfa_settings`](AccountClient::update_mfa_settings), [`logto_config`](AccountClient::logto_config), [`update_logto_config`](AccountClient::update_logto_config) |
//! | upload an avatar image | [`upload_avatar`](AccountClient::upload_avatar) |

mod auth;
mod avatar;
mod call;
mod client;
mod email;
mod error;
mod error_code;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod identities;
mod input;
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
mod transport;
mod verification;

pub use auth::{BoxError, TokenFuture, TokenProvider, TokenProviderTimeout, TokenSource};
pub use avatar::MAX_AVATAR_BYTES;
pub use client::{
    AccountClient, AccountClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, DEFAULT_TOKEN_PROVIDER_TIMEOUT,
};
pub use error::{ApiError, Error, InputIssue, PasswordIssue};
pub use error_code::ErrorCode;
pub use logto_account_api;
pub use profile::{Account, Address, ProfileClaims, ProfileUpdate, SocialIdentity, SsoIdentity};
pub use provider_tokens::ProviderToken;
pub use retry::RetryPolicy;
pub use secret::{
    AccessToken, Password, ProviderAccessToken, VerificationCode, VerificationRecordId,
};
pub use sessions::{Grant, GrantFilter, RevokeGrants, Session, SessionAuthorization};
pub use settings::{
    LogtoConfig, LogtoConfigMfa, LogtoConfigPasskeySignIn, LogtoConfigUpdate, MfaSettings,
};
pub use verification::{
    CodeDestination, CodeProof, IdentityVerification, PendingCode, PendingSocialVerification,
    SocialVerificationRequest, VerifiedEmail, VerifiedPhone, VerifiedSocialIdentity,
};

/// The README's examples compile (checked by `cargo test --doc`).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
