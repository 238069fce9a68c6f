//! The user's MFA factors: listing and removing them. Binding one is per
//! kind: TOTP (`totp`), backup codes (`backup_codes`), WebAuthn keys
//! (`webauthn`).
//!
//! Every route here needs the `identities` scope; Logto answers 401
//! `auth.unauthorized` without it. Changes need an
//! [`IdentityVerification`] and the account center's `mfa` field editable
//! (`passkey`, falling back to `mfa`, for WebAuthn keys); binding a kind
//! also needs the tenant's sign-in experience to offer it.

use chrono::{DateTime, Utc};
use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification};

/// One MFA factor the user has bound.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MfaFactor {
    /// The factor's id, for [`AccountClient::remove_mfa_factor`] and
    /// [`AccountClient::rename_webauthn_factor`].
    pub id: String,
    /// What kind of factor it is.
    pub kind: MfaFactorKind,
    /// When it was bound.
    pub created_at: DateTime<Utc>,
    /// When it was last used to sign in, if Logto recorded it.
    pub last_used_at: Option<DateTime<Utc>>,
    /// WebAuthn: the key's name.
    pub name: Option<String>,
    /// WebAuthn: the user agent that registered the key.
    pub agent: Option<String>,
    /// Backup codes: how many are still unused.
    pub remaining_codes: Option<u32>,
}

/// The kind of an [`MfaFactor`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MfaFactorKind {
    /// A time-based one-time password app (`Totp`).
    Totp,
    /// A WebAuthn key or passkey (`WebAuthn`).
    WebAuthn,
    /// Backup codes (`BackupCode`).
    BackupCode,
    /// A kind this version of the SDK does not know, as Logto spells it.
    Other(String),
}

impl MfaFactorKind {
    /// Parses Logto's `type`.
    pub fn parse(kind: &str) -> Self {
        match kind {
            "Totp" => MfaFactorKind::Totp,
            "WebAuthn" => MfaFactorKind::WebAuthn,
            "BackupCode" => MfaFactorKind::BackupCode,
            other => MfaFactorKind::Other(other.to_owned()),
        }
    }

    /// The kind as Logto spells it.
    pub fn as_str(&self) -> &str {
        match self {
            MfaFactorKind::Totp => "Totp",
            MfaFactorKind::WebAuthn => "WebAuthn",
            MfaFactorKind::BackupCode => "BackupCode",
            MfaFactorKind::Other(kind) => kind,
        }
    }
}

impl MfaFactor {
    fn from_response(factor: types::MfaVerification) -> Result<Self, String> {
        let remaining_codes = factor
            .remain_codes
            .map(|count| {
                u32::try_from(count).map_err(|_| format!("`remainCodes` {count} is not a count"))
            })
            .transpose()?;
        Ok(MfaFactor {
            id: factor.id,
            kind: MfaFactorKind::parse(&factor.type_.0),
            created_at: factor.created_at,
            last_used_at: factor.last_used_at,
            name: factor.name,
            agent: factor.agent,
            remaining_codes,
        })
    }
}

impl AccountClient {
    /// The user's MFA factors, oldest first
    /// (`GET /api/my-account/mfa-verifications`).
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`) and the
    /// account center's `mfa` field readable (else 400
    /// [`FieldNotEnabled`](crate::ErrorCode::FieldNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// for factor in client.mfa_factors().await? {
    ///     println!("{} {} since {}", factor.kind.as_str(), factor.id, factor.created_at);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn mfa_factors(&self) -> Result<Vec<MfaFactor>, Error> {
        self.send_and(
            || self.api().get_mfa_verifications(),
            |factors| {
                Vec::from(factors)
                    .into_iter()
                    .map(MfaFactor::from_response)
                    .collect()
            },
        )
        .await
    }

    /// Removes an MFA factor of any kind
    /// (`DELETE /api/my-account/mfa-verifications/{verificationId}`).
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`) and the
    /// `mfa` field editable (`passkey`, falling back to `mfa`, for a WebAuthn
    /// key; else 400 [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)).
    /// An unknown id is 400
    /// [`VerificationRecordNotFound`](crate::ErrorCode::VerificationRecordNotFound).
    /// Removing TOTP while backup codes remain is allowed.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// let factors = client.mfa_factors().await?;
    /// if let Some(factor) = factors.first() {
    ///     client.remove_mfa_factor(&proof, &factor.id).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_mfa_factor(
        &self,
        verification: &IdentityVerification,
        factor_id: &str,
    ) -> Result<(), Error> {
        let factor_id = input::path_segment("factor id", factor_id)?;
        let header = verification.header();
        self.send(|| self.api().delete_mfa_verification(&factor_id, header))
            .await
    }
}
