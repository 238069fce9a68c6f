//! Verification records: proofs of the user's identity, and of new identifiers.
//!
//! Logto wants proof before a sensitive change. There are two kinds, and they
//! are different types here so they can never be swapped:
//!
//! - [`IdentityVerification`]: the user is who the token says (their password,
//!   or a code sent to their *current* email or phone). Sent as the
//!   `logto-verification-id` header.
//! - [`VerifiedEmail`], [`VerifiedPhone`], [`VerifiedSocialIdentity`]: the user
//!   owns a *new* identifier. Sent in the body of the change.
//!
//! Every record lives ten minutes from its creation and can be used any number
//! of times until then.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use logto_account_api::types;
use serde_json::{Map, Value};

use crate::input;
use crate::{AccountClient, Error, Password, VerificationCode, VerificationRecordId};

/// Proof that the user is who the access token says, for sensitive changes.
///
/// Get one from [`AccountClient::verify_password`], or by verifying a code sent
/// to the user's current email or phone
/// ([`AccountClient::send_identity_code_to_email`]).
/// It can be stored (e.g. in a web session) with [`record_id`](Self::record_id)
/// and [`expires_at`](Self::expires_at) and rebuilt with
/// [`from_parts`](Self::from_parts).
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct IdentityVerification {
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// Proof that the user owns a new email address, for
/// [`AccountClient::change_email`].
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct VerifiedEmail {
    email: String,
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// Proof that the user owns a new phone number, for
/// [`AccountClient::change_phone`].
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct VerifiedPhone {
    phone: String,
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// Proof that the user signed in with a social provider, for
/// [`AccountClient::link_social_identity`].
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct VerifiedSocialIdentity {
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// A verification code that was sent and awaits the code the user received.
///
/// `P` is the proof verifying it gives: [`IdentityVerification`] for a code
/// sent to the user's current email or phone, [`VerifiedEmail`] or
/// [`VerifiedPhone`] for a new one.
///
/// With the `serde` feature it is `Serialize` and `Deserialize` as
/// `{recordId, destination, expiresAt}`; the proof type is not stored, so
/// deserialize into the same `PendingCode<P>` that was stored.
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", bound = "")
)]
pub struct PendingCode<P> {
    record_id: VerificationRecordId,
    destination: CodeDestination,
    expires_at: DateTime<Utc>,
    #[cfg_attr(feature = "serde", serde(skip))]
    proof: PhantomData<fn() -> P>,
}

/// A social verification that was started: send the user to
/// [`authorization_uri`](Self::authorization_uri), then complete it with
/// [`AccountClient::complete_social_verification`].
#[derive(Clone, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct PendingSocialVerification {
    record_id: VerificationRecordId,
    authorization_uri: String,
    expires_at: DateTime<Utc>,
}

/// Where a verification code goes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "type", content = "value", rename_all = "lowercase")
)]
pub enum CodeDestination {
    /// An email address.
    Email(String),
    /// A phone number in international form, digits only (e.g. `15551234567`).
    Phone(String),
}

/// What starting a social verification needs.
#[derive(Clone, Debug)]
pub struct SocialVerificationRequest {
    /// The id of the tenant's social connector.
    pub connector_id: String,
    /// An unguessable value; the provider sends it back to the redirect URI.
    /// Check it there, to stop cross-site request forgery.
    pub state: String,
    /// Where the provider sends the user back.
    pub redirect_uri: String,
    /// Provider scopes overriding the connector's configured ones.
    pub scope: Option<String>,
}

macro_rules! record_accessors {
    (impl<$($generic:ident),*> $type:ty) => {
        impl<$($generic),*> $type {
            /// The verification record id. It is a secret: whoever has it can
            /// act as the verified user until it expires.
            pub fn record_id(&self) -> &VerificationRecordId {
                &self.record_id
            }

            /// When the record expires (ten minutes after it was created).
            pub fn expires_at(&self) -> DateTime<Utc> {
                self.expires_at
            }

            /// Whether the record has expired by this machine's clock.
            pub fn is_expired(&self) -> bool {
                self.expires_at <= Utc::now()
            }
        }
    };
    ($type:ty) => {
        record_accessors!(impl<> $type);
    };
}

pub(crate) use record_accessors;

record_accessors!(IdentityVerification);
record_accessors!(VerifiedEmail);
record_accessors!(VerifiedPhone);
record_accessors!(VerifiedSocialIdentity);
record_accessors!(PendingSocialVerification);
record_accessors!(impl<P> PendingCode<P>);

impl<P> PendingCode<P> {
    /// Where the code was sent.
    pub fn destination(&self) -> &CodeDestination {
        &self.destination
    }

    /// Rebuilds a pending code stored between two requests of a web flow.
    pub fn from_parts(
        record_id: VerificationRecordId,
        destination: CodeDestination,
        expires_at: DateTime<Utc>,
    ) -> Self {
        PendingCode {
            record_id,
            destination,
            expires_at,
            proof: PhantomData,
        }
    }
}

impl<P> Clone for PendingCode<P> {
    fn clone(&self) -> Self {
        PendingCode::from_parts(
            self.record_id.clone(),
            self.destination.clone(),
            self.expires_at,
        )
    }
}

impl<P> fmt::Debug for PendingCode<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingCode")
            .field("record_id", &self.record_id)
            .field("destination", &self.destination)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl IdentityVerification {
    /// Rebuilds a verification stored between two requests of a web flow.
    pub fn from_parts(record_id: VerificationRecordId, expires_at: DateTime<Utc>) -> Self {
        IdentityVerification {
            record_id,
            expires_at,
        }
    }

    /// The record id, as the `logto-verification-id` header sends it.
    pub(crate) fn header(&self) -> &types::VerificationRecordId {
        self.record_id.as_sent()
    }
}

impl VerifiedEmail {
    /// The email address this proves the user owns.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Rebuilds a proof stored between two requests of a web flow.
    pub fn from_parts(
        email: impl Into<String>,
        record_id: VerificationRecordId,
        expires_at: DateTime<Utc>,
    ) -> Self {
        VerifiedEmail {
            email: email.into(),
            record_id,
            expires_at,
        }
    }
}

impl VerifiedPhone {
    /// The phone number this proves the user owns.
    pub fn phone(&self) -> &str {
        &self.phone
    }

    /// Rebuilds a proof stored between two requests of a web flow.
    pub fn from_parts(
        phone: impl Into<String>,
        record_id: VerificationRecordId,
        expires_at: DateTime<Utc>,
    ) -> Self {
        VerifiedPhone {
            phone: phone.into(),
            record_id,
            expires_at,
        }
    }
}

impl VerifiedSocialIdentity {
    /// Rebuilds a proof stored between two requests of a web flow.
    pub fn from_parts(record_id: VerificationRecordId, expires_at: DateTime<Utc>) -> Self {
        VerifiedSocialIdentity {
            record_id,
            expires_at,
        }
    }
}

impl PendingSocialVerification {
    /// The provider's page to send the user to.
    pub fn authorization_uri(&self) -> &str {
        &self.authorization_uri
    }

    /// Rebuilds a social verification stored between two requests of a web flow.
    pub fn from_parts(
        record_id: VerificationRecordId,
        authorization_uri: String,
        expires_at: DateTime<Utc>,
    ) -> Self {
        PendingSocialVerification {
            record_id,
            authorization_uri,
            expires_at,
        }
    }
}

/// The proof a verified code gives; see [`PendingCode`].
pub trait CodeProof: sealed::Sealed + Sized {
    #[doc(hidden)]
    fn from_verified_code(pending: &PendingCode<Self>) -> Self;
}

impl CodeProof for IdentityVerification {
    fn from_verified_code(pending: &PendingCode<Self>) -> Self {
        IdentityVerification::from_parts(pending.record_id.clone(), pending.expires_at)
    }
}

impl CodeProof for VerifiedEmail {
    fn from_verified_code(pending: &PendingCode<Self>) -> Self {
        VerifiedEmail::from_parts(
            pending.destination.value(),
            pending.record_id.clone(),
            pending.expires_at,
        )
    }
}

impl CodeProof for VerifiedPhone {
    fn from_verified_code(pending: &PendingCode<Self>) -> Self {
        VerifiedPhone::from_parts(
            pending.destination.value(),
            pending.record_id.clone(),
            pending.expires_at,
        )
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::IdentityVerification {}
    impl Sealed for super::VerifiedEmail {}
    impl Sealed for super::VerifiedPhone {}
}

impl CodeDestination {
    fn value(&self) -> &str {
        match self {
            CodeDestination::Email(value) | CodeDestination::Phone(value) => value,
        }
    }

    fn to_identifier(&self) -> Result<types::VerificationCodeIdentifier, Error> {
        Ok(match self {
            CodeDestination::Email(email) => {
                types::VerificationCodeIdentifier::Email(input::code_email(email)?)
            }
            CodeDestination::Phone(phone) => {
                types::VerificationCodeIdentifier::Phone(input::phone(phone)?)
            }
        })
    }
}

impl AccountClient {
    /// Checks the user's current password and returns proof of their identity
    /// (`POST /api/verifications/password`).
    ///
    /// A wrong password is 422 [`InvalidCredentials`](crate::ErrorCode::InvalidCredentials)
    /// ([`Error::is_invalid_credentials`]); too many tries, 400
    /// [`VerificationBlockedTooManyAttempts`](crate::ErrorCode::VerificationBlockedTooManyAttempts).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::Password;
    ///
    /// let proof = client.verify_password(&Password::new("current password")).await?;
    /// client.change_password(&proof, &Password::new("a much better passphrase")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn verify_password(
        &self,
        password: &Password,
    ) -> Result<IdentityVerification, Error> {
        let body = types::CreateVerificationByPasswordRequest {
            password: input::current_password(password)?,
        };
        self.send_and(
            || self.api().create_verification_by_password(&body),
            |record| {
                Ok(IdentityVerification::from_parts(
                    server_record_id(record.verification_record_id)?,
                    record.expires_at,
                ))
            },
        )
        .await
    }

    /// Sends a code to the user's *current* primary email; verifying it
    /// proves the user's identity, like [`verify_password`](Self::verify_password)
    /// (`POST /api/verifications/verification-code`, template
    /// `UserPermissionValidation`).
    ///
    /// If `email` is not the user's current primary email, Logto treats it as
    /// a new identifier and the resulting proof is refused with
    /// [`Error::is_reauthentication_required`]: use
    /// [`send_email_code`](Self::send_email_code) for a new address.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::VerificationCode;
    ///
    /// let pending = client.send_identity_code_to_email("ada@example.com").await?;
    /// // ... the user reads the code from their inbox ...
    /// let proof = client.verify_code(&pending, &VerificationCode::new("123456")).await?;
    /// client.remove_phone(&proof).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_identity_code_to_email(
        &self,
        email: &str,
    ) -> Result<PendingCode<IdentityVerification>, Error> {
        self.send_code(
            CodeDestination::Email(email.to_owned()),
            Some(types::VerificationCodeTemplate::UserPermissionValidation),
        )
        .await
    }

    /// Sends a code to the user's *current* primary phone (international
    /// digits, no `+`); verifying it proves the user's identity (see
    /// [`send_identity_code_to_email`](Self::send_identity_code_to_email)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::VerificationCode;
    ///
    /// let pending = client.send_identity_code_to_phone("12025550123").await?;
    /// let proof = client.verify_code(&pending, &VerificationCode::new("123456")).await?;
    /// client.remove_email(&proof).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_identity_code_to_phone(
        &self,
        phone: &str,
    ) -> Result<PendingCode<IdentityVerification>, Error> {
        self.send_code(
            CodeDestination::Phone(phone.to_owned()),
            Some(types::VerificationCodeTemplate::UserPermissionValidation),
        )
        .await
    }

    /// Sends a code to a *new* email address, to prove the user owns it
    /// before [`change_email`](Self::change_email).
    ///
    /// Errors: 429 [`MessageRateLimited`](crate::ErrorCode::MessageRateLimited)
    /// after 10 codes to one address in 10 minutes ([`Error::is_rate_limited`]);
    /// 501 [`ConnectorNotFound`](crate::ErrorCode::ConnectorNotFound) without
    /// an email connector; 422 `session.email_blocklist.*`.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::VerificationCode;
    ///
    /// let pending = client.send_email_code("new@example.com").await?;
    /// let new_email = client.verify_code(&pending, &VerificationCode::new("123456")).await?;
    /// client.change_email(&proof, &new_email).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_email_code(&self, email: &str) -> Result<PendingCode<VerifiedEmail>, Error> {
        self.send_code(CodeDestination::Email(email.to_owned()), None)
            .await
    }

    /// Sends a code to a *new* phone number (international digits, no `+`),
    /// to prove the user owns it before [`change_phone`](Self::change_phone).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::VerificationCode;
    ///
    /// let pending = client.send_phone_code("12025550123").await?;
    /// let new_phone = client.verify_code(&pending, &VerificationCode::new("123456")).await?;
    /// client.change_phone(&proof, &new_phone).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_phone_code(&self, phone: &str) -> Result<PendingCode<VerifiedPhone>, Error> {
        self.send_code(CodeDestination::Phone(phone.to_owned()), None)
            .await
    }

    async fn send_code<P>(
        &self,
        to: CodeDestination,
        template: Option<types::VerificationCodeTemplate>,
    ) -> Result<PendingCode<P>, Error> {
        let body = types::CreateVerificationByVerificationCodeRequest {
            identifier: to.to_identifier()?,
            template_type: template,
        };
        self.send_and(
            || self.api().create_verification_by_verification_code(&body),
            |record| {
                Ok(PendingCode::from_parts(
                    server_record_id(record.verification_record_id)?,
                    to,
                    record.expires_at,
                ))
            },
        )
        .await
    }

    /// Checks the code the user received and returns the proof it gives
    /// (`POST /api/verifications/verification-code/verify`). The proof
    /// expires when the pending code does: verifying does not extend it.
    ///
    /// A wrong code is 400 [`VerificationCodeMismatch`](crate::ErrorCode::VerificationCodeMismatch)
    /// ([`Error::is_code_mismatch`]); an expired or already used record, or
    /// too many wrong codes, is [`Error::needs_new_verification`]: send a new code.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::VerificationCode;
    ///
    /// let pending = client.send_email_code("new@example.com").await?;
    /// match client.verify_code(&pending, &VerificationCode::new("123456")).await {
    ///     Ok(new_email) => println!("verified {}", new_email.email()),
    ///     Err(error) if error.is_code_mismatch() => println!("wrong code, try again"),
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn verify_code<P: CodeProof>(
        &self,
        pending: &PendingCode<P>,
        code: &VerificationCode,
    ) -> Result<P, Error> {
        let body = types::VerifyVerificationByVerificationCodeRequest {
            identifier: pending.destination.to_identifier()?,
            verification_id: pending.record_id.expose_secret().to_owned(),
            code: input::code(code)?,
        };
        self.send(|| self.api().verify_verification_by_verification_code(&body))
            .await?;
        Ok(P::from_verified_code(pending))
    }

    /// Starts linking a social account (`POST /api/verifications/social`):
    /// returns the provider's authorization URI to send the user to.
    ///
    /// An unknown connector is 422 [`InvalidConnectorId`](crate::ErrorCode::InvalidConnectorId).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::SocialVerificationRequest;
    ///
    /// let pending = client
    ///     .start_social_verification(&SocialVerificationRequest {
    ///         connector_id: "github-connector-id".into(),
    ///         state: "unguessable-state".into(),
    ///         redirect_uri: "https://app.example.com/callback".into(),
    ///         scope: None,
    ///     })
    ///     .await?;
    /// println!("send the user to {}", pending.authorization_uri());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_social_verification(
        &self,
        request: &SocialVerificationRequest,
    ) -> Result<PendingSocialVerification, Error> {
        let body = types::CreateVerificationBySocialRequest {
            connector_id: request.connector_id.clone(),
            state: request.state.clone(),
            redirect_uri: request.redirect_uri.clone(),
            scope: request.scope.clone(),
        };
        self.send_and(
            || self.api().create_verification_by_social(&body),
            |record| {
                Ok(PendingSocialVerification::from_parts(
                    server_record_id(record.verification_record_id)?,
                    record.authorization_uri,
                    record.expires_at,
                ))
            },
        )
        .await
    }

    /// Completes a social verification with the query parameters the
    /// provider sent to the redirect URI (typically `code` and `state`)
    /// (`POST /api/verifications/social/verify`). Every value of
    /// `connector_data` is treated as a secret (the provider's code).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, pending: logto_account::PendingSocialVerification, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// let mut callback = serde_json::Map::new();
    /// callback.insert("code".into(), "code-from-the-provider".into());
    /// callback.insert("state".into(), "unguessable-state".into());
    /// let social = client.complete_social_verification(&pending, callback).await?;
    /// client.link_social_identity(&proof, &social).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn complete_social_verification(
        &self,
        pending: &PendingSocialVerification,
        connector_data: Map<String, Value>,
    ) -> Result<VerifiedSocialIdentity, Error> {
        let body = types::VerifyVerificationBySocialRequest {
            verification_record_id: pending.record_id.expose_secret().to_owned(),
            connector_data,
        };
        self.send(|| self.api().verify_verification_by_social(&body))
            .await?;
        Ok(VerifiedSocialIdentity::from_parts(
            pending.record_id.clone(),
            pending.expires_at,
        ))
    }
}

/// A record id the server sent; an empty one would be unusable later.
pub(crate) fn server_record_id(record_id: String) -> Result<VerificationRecordId, String> {
    VerificationRecordId::new(record_id)
        .map_err(|error| format!("the server returned an unusable verificationRecordId: {error}"))
}
