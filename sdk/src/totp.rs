//! Binding an authenticator app (TOTP: RFC 6238, HMAC-SHA1, 30 seconds,
//! six digits): generate a secret, show it to the user (e.g. as an
//! `otpauth://` QR code), and bind it with a code their app shows.

use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification, TotpCode, TotpSecret};

impl AccountClient {
    /// A fresh TOTP secret, 32 base32 characters
    /// (`POST /api/my-account/mfa-verifications/totp-secret/generate`).
    /// Nothing is stored until [`add_totp_factor`](Self::add_totp_factor).
    ///
    /// Needs no scope, account-center field or verification.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let secret = client.generate_totp_secret().await?;
    /// let uri = format!("otpauth://totp/Example:ada?secret={}&issuer=Example", secret.expose_secret());
    /// # let _ = uri;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn generate_totp_secret(&self) -> Result<TotpSecret, Error> {
        self.send_and(
            || self.api().generate_totp_secret(),
            |generated| Ok(TotpSecret::new(generated.secret)),
        )
        .await
    }

    /// Binds an authenticator app (`POST /api/my-account/mfa-verifications`,
    /// type `Totp`), checking `code` against `secret` first, so a secret the
    /// user copied wrong is never bound.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`), the
    /// account center's `mfa` field editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)) and the
    /// sign-in experience offering TOTP (else 400
    /// [`MfaFactorNotEnabled`](crate::ErrorCode::MfaFactorNotEnabled)).
    /// Then: 422 [`TotpAlreadyInUse`](crate::ErrorCode::TotpAlreadyInUse)
    /// (use [`replace_totp_factor`](Self::replace_totp_factor)), 400
    /// [`TotpSecretInvalid`](crate::ErrorCode::TotpSecretInvalid), 400
    /// [`InvalidTotpCode`](crate::ErrorCode::InvalidTotpCode).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::TotpCode;
    /// let secret = client.generate_totp_secret().await?;
    /// // ... the user adds `secret` to their app, which shows a code ...
    /// client.add_totp_factor(&proof, &secret, &TotpCode::new("123456")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn add_totp_factor(
        &self,
        verification: &IdentityVerification,
        secret: &TotpSecret,
        code: &TotpCode,
    ) -> Result<(), Error> {
        let body = types::AddMfaVerificationRequest::TotpFactor(types::AddTotpFactor {
            type_: types::AddTotpFactorType::Totp,
            secret: input::totp_secret(secret)?,
            code: Some(input::totp_code(code)?),
        });
        let header = verification.header();
        self.send(|| self.api().add_mfa_verification(header, &body))
            .await
    }

    /// Binds an authenticator app, replacing the current one if there is
    /// one (`PUT /api/my-account/mfa-verifications/totp`, Logto 1.38 and
    /// later). The factor gets a new id.
    ///
    /// Needs what [`add_totp_factor`](Self::add_totp_factor) needs: the
    /// `identities` scope (else 401), the `mfa` field editable (else 400) and
    /// TOTP offered by the sign-in experience (else 400
    /// [`MfaFactorNotEnabled`](crate::ErrorCode::MfaFactorNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::TotpCode;
    /// let secret = client.generate_totp_secret().await?;
    /// client.replace_totp_factor(&proof, &secret, &TotpCode::new("123456")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn replace_totp_factor(
        &self,
        verification: &IdentityVerification,
        secret: &TotpSecret,
        code: &TotpCode,
    ) -> Result<(), Error> {
        let body = types::ReplaceTotpRequest {
            secret: input::totp_secret(secret)?,
            code: input::totp_code(code)?,
        };
        let header = verification.header();
        let call = || {
            self.api()
                .create_or_replace_totp_mfa_verification(header, &body)
        };
        self.send(call).await
    }
}
