//! MFA backup codes: ten one-time codes for when the user's other factor
//! is out of reach. Logto binds them only beside another factor.

use chrono::{DateTime, Utc};
use logto_account_api::types;

use crate::input;
use crate::{AccountClient, BackupCode, Error, IdentityVerification};

/// A bound backup code and whether it was used.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StoredBackupCode {
    /// The code.
    pub code: BackupCode,
    /// When it was used to sign in; `None` while it is unused.
    pub used_at: Option<DateTime<Utc>>,
}

impl AccountClient {
    /// Ten fresh backup codes
    /// (`POST /api/my-account/mfa-verifications/backup-codes/generate`).
    /// Nothing is stored until [`add_backup_codes`](Self::add_backup_codes).
    ///
    /// Needs no scope, account-center field or verification.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let codes = client.generate_backup_codes().await?;
    /// for code in &codes {
    ///     println!("{}", code.expose_secret()); // show them to the user once
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn generate_backup_codes(&self) -> Result<Vec<BackupCode>, Error> {
        self.send_and(
            || self.api().generate_my_account_backup_codes(),
            |generated| Ok(generated.codes.into_iter().map(BackupCode::new).collect()),
        )
        .await
    }

    /// Binds ten backup codes (`POST /api/my-account/mfa-verifications`,
    /// type `BackupCode`), usually the ones
    /// [`generate_backup_codes`](Self::generate_backup_codes) gave. Anything
    /// but exactly ten codes of 10 lowercase hexadecimal characters is
    /// refused locally.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`), the
    /// account center's `mfa` field editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)) and the
    /// sign-in experience offering backup codes (else 400
    /// [`MfaFactorNotEnabled`](crate::ErrorCode::MfaFactorNotEnabled)). Then:
    /// 422 [`BackupCodeAlreadyInUse`](crate::ErrorCode::BackupCodeAlreadyInUse)
    /// while unused codes remain, 422
    /// [`BackupCodeCanNotBeAlone`](crate::ErrorCode::BackupCodeCanNotBeAlone)
    /// without another factor.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// let codes = client.generate_backup_codes().await?;
    /// client.add_backup_codes(&proof, &codes).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn add_backup_codes(
        &self,
        verification: &IdentityVerification,
        codes: &[BackupCode],
    ) -> Result<(), Error> {
        let body = types::AddMfaVerificationRequest::BackupCodeFactor(types::AddBackupCodeFactor {
            type_: types::AddBackupCodeFactorType::BackupCode,
            codes: input::backup_codes(codes)?,
        });
        let header = verification.header();
        self.send(|| self.api().add_mfa_verification(header, &body))
            .await
    }

    /// The bound backup codes, used ones included
    /// (`GET /api/my-account/mfa-verifications/backup-codes`).
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`); no
    /// account-center field. A user with none gets 404
    /// [`VerificationRecordNotFound`](crate::ErrorCode::VerificationRecordNotFound).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// let unused = client
    ///     .backup_codes(&proof)
    ///     .await?
    ///     .into_iter()
    ///     .filter(|code| code.used_at.is_none())
    ///     .count();
    /// println!("{unused} backup codes left");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn backup_codes(
        &self,
        verification: &IdentityVerification,
    ) -> Result<Vec<StoredBackupCode>, Error> {
        let header = verification.header();
        self.send_and(
            || self.api().get_backup_codes(header),
            |stored| {
                Ok(stored
                    .codes
                    .into_iter()
                    .map(|stored| StoredBackupCode {
                        code: BackupCode::new(stored.code),
                        used_at: stored.used_at,
                    })
                    .collect())
            },
        )
        .await
    }
}
