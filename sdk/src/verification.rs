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
/// to the user's current email or phone ([`AccountClient::send_identity_code`]).
/// It can be stored (e.g. in a web session) with [`record_id`](Self::record_id)
/// and [`expires_at`](Self::expires_at) and rebuilt with
/// [`from_parts`](Self::from_parts).
#[derive(Clone, Debug)]
pub struct IdentityVerification {
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// Proof that the user owns a new email address, for
/// [`AccountClient::change_email`].
#[derive(Clone, Debug)]
pub struct VerifiedEmail {
    email: String,
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// Proof that the user owns a new phone number, for
/// [`AccountClient::change_phone`].
#[derive(Clone, Debug)]
pub struct VerifiedPhone {
    phone: String,
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// Proof that the user signed in with a social provider, for
/// [`AccountClient::link_social_identity`].
#[derive(Clone, Debug)]
pub struct VerifiedSocialIdentity {
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

/// A verification code that was sent and awaits the code the user received.
///
/// `P` is the proof verifying it gives: [`IdentityVerification`] for a code
/// sent to the user's current email or phone, [`VerifiedEmail`] or
/// [`VerifiedPhone`] for a new one.
pub struct PendingCode<P> {
    record_id: VerificationRecordId,
    destination: CodeDestination,
    expires_at: DateTime<Utc>,
    proof: PhantomData<fn() -> P>,
}

/// A social verification that was started: send the user to
/// [`authorization_uri`](Self::authorization_uri), then complete it with
/// [`AccountClient::complete_social_verification`].
#[derive(Clone, Debug)]
pub struct PendingSocialVerification {
    record_id: VerificationRecordId,
    authorization_uri: String,
    expires_at: DateTime<Utc>,
}

/// Where a verification code goes.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    ($type:ty) => {
        impl $type {
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
}

pub(crate) use record_accessors;

record_accessors!(IdentityVerification);
record_accessors!(VerifiedEmail);
record_accessors!(VerifiedPhone);
record_accessors!(VerifiedSocialIdentity);
record_accessors!(PendingSocialVerification);

impl<P> PendingCode<P> {
    /// The verification record id (a secret).
    pub fn record_id(&self) -> &VerificationRecordId {
        &self.record_id
    }

    /// When the record expires (ten minutes after the code was sent).
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

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

    pub(crate) fn header(&self) -> Result<types::VerificationRecordId, Error> {
        input::record_id_header(&self.record_id)
    }
}

impl VerifiedEmail {
    /// The email address this proves the user owns.
    pub fn email(&self) -> &str {
        &self.email
    }
}

impl VerifiedPhone {
    /// The phone number this proves the user owns.
    pub fn phone(&self) -> &str {
        &self.phone
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
        VerifiedEmail {
            email: pending.destination.value().to_owned(),
            record_id: pending.record_id.clone(),
            expires_at: pending.expires_at,
        }
    }
}

impl CodeProof for VerifiedPhone {
    fn from_verified_code(pending: &PendingCode<Self>) -> Self {
        VerifiedPhone {
            phone: pending.destination.value().to_owned(),
            record_id: pending.record_id.clone(),
            expires_at: pending.expires_at,
        }
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
    /// A wrong password is 422 [`InvalidCredentials`](crate::ErrorCode::InvalidCredentials);
    /// too many tries, 400 [`VerificationBlockedTooManyAttempts`](crate::ErrorCode::VerificationBlockedTooManyAttempts).
    pub async fn verify_password(
        &self,
        password: &Password,
    ) -> Result<IdentityVerification, Error> {
        let body = types::CreateVerificationByPasswordRequest {
            password: input::current_password(password)?,
        };
        self.send_and(
            self.api().create_verification_by_password(&body),
            |record| {
                Ok(IdentityVerification::from_parts(
                    server_record_id(record.verification_record_id)?,
                    record.expires_at,
                ))
            },
        )
        .await
    }

    /// Sends a code to the user's *current* primary email or phone; verifying
    /// it proves the user's identity
    /// (`POST /api/verifications/verification-code`, template
    /// `UserPermissionValidation`).
    ///
    /// If `to` is not the user's current email or phone, Logto treats it as a
    /// new identifier and the resulting proof is refused with
    /// [`Error::is_reauthentication_required`]: use
    /// [`send_email_code`](Self::send_email_code) for a new address.
    pub async fn send_identity_code(
        &self,
        to: CodeDestination,
    ) -> Result<PendingCode<IdentityVerification>, Error> {
        self.send_code(
            to,
            Some(types::VerificationCodeTemplate::UserPermissionValidation),
        )
        .await
    }

    /// Sends a code to a *new* email address, to prove the user owns it
    /// before [`change_email`](Self::change_email).
    ///
    /// Errors: 429 [`MessageRateLimited`](crate::ErrorCode::MessageRateLimited)
    /// after 10 codes to one address in 10 minutes; 501
    /// [`ConnectorNotFound`](crate::ErrorCode::ConnectorNotFound) without an
    /// email connector; 422 `session.email_blocklist.*`.
    pub async fn send_email_code(&self, email: &str) -> Result<PendingCode<VerifiedEmail>, Error> {
        self.send_code(CodeDestination::Email(email.to_owned()), None)
            .await
    }

    /// Sends a code to a *new* phone number (international digits, no `+`),
    /// to prove the user owns it before [`change_phone`](Self::change_phone).
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
            self.api().create_verification_by_verification_code(&body),
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
    /// A wrong code is 400 [`VerificationCodeMismatch`](crate::ErrorCode::VerificationCodeMismatch).
    pub async fn verify_code<P: CodeProof>(
        &self,
        pending: &PendingCode<P>,
        code: &VerificationCode,
    ) -> Result<P, Error> {
        let body = types::VerifyVerificationByVerificationCodeRequest {
            identifier: pending.destination.to_identifier()?,
            verification_id: input::record_id(&pending.record_id)?,
            code: input::code(code)?,
        };
        self.send(self.api().verify_verification_by_verification_code(&body))
            .await?;
        Ok(P::from_verified_code(pending))
    }

    /// Starts linking a social account (`POST /api/verifications/social`):
    /// returns the provider's authorization URI to send the user to.
    ///
    /// An unknown connector is 422 [`InvalidConnectorId`](crate::ErrorCode::InvalidConnectorId).
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
        self.send_and(self.api().create_verification_by_social(&body), |record| {
            Ok(PendingSocialVerification::from_parts(
                server_record_id(record.verification_record_id)?,
                record.authorization_uri,
                record.expires_at,
            ))
        })
        .await
    }

    /// Completes a social verification with the query parameters the
    /// provider sent to the redirect URI (typically `code` and `state`)
    /// (`POST /api/verifications/social/verify`).
    pub async fn complete_social_verification(
        &self,
        pending: &PendingSocialVerification,
        connector_data: Map<String, Value>,
    ) -> Result<VerifiedSocialIdentity, Error> {
        let body = types::VerifyVerificationBySocialRequest {
            verification_record_id: input::record_id(&pending.record_id)?,
            connector_data,
        };
        self.send(self.api().verify_verification_by_social(&body))
            .await?;
        Ok(VerifiedSocialIdentity {
            record_id: pending.record_id.clone(),
            expires_at: pending.expires_at,
        })
    }
}

/// A record id the server sent; an empty one would be unusable later.
pub(crate) fn server_record_id(record_id: String) -> Result<VerificationRecordId, String> {
    if record_id.is_empty() {
        return Err("the server returned an empty verificationRecordId".to_owned());
    }
    Ok(VerificationRecordId::new(record_id))
}
