//! Changing and removing the primary email.

use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification, VerifiedEmail};

impl AccountClient {
    /// Makes a verified new address the primary email
    /// (`POST /api/my-account/primary-email`).
    ///
    /// Needs two proofs: of the user's identity, and of the new address (from
    /// [`send_email_code`](Self::send_email_code) and
    /// [`verify_code`](Self::verify_code)). An address another user has fails
    /// with 422 [`EmailAlreadyInUse`](crate::ErrorCode::EmailAlreadyInUse).
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
    pub async fn change_email(
        &self,
        verification: &IdentityVerification,
        new_email: &VerifiedEmail,
    ) -> Result<(), Error> {
        let body = types::UpdatePrimaryEmailRequest {
            email: input::email(new_email.email())?,
            new_identifier_verification_record_id: new_email.record_id().expose_secret().to_owned(),
        };
        let header = verification.header();
        self.send(|| self.api().update_primary_email(header, &body))
            .await
    }

    /// Removes the primary email (`DELETE /api/my-account/primary-email`).
    ///
    /// Fails with 400 [`LastSignInMethodRequired`](crate::ErrorCode::LastSignInMethodRequired)
    /// if it is the user's only identifier.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// client.remove_email(&proof).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_email(&self, verification: &IdentityVerification) -> Result<(), Error> {
        let header = verification.header();
        self.send(|| self.api().delete_primary_email(header)).await
    }
}
