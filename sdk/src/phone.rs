//! Changing and removing the primary phone.

use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification, VerifiedPhone};

impl AccountClient {
    /// Makes a verified new number the primary phone
    /// (`POST /api/my-account/primary-phone`).
    ///
    /// Needs two proofs: of the user's identity, and of the new number (from
    /// [`send_phone_code`](Self::send_phone_code) and
    /// [`verify_code`](Self::verify_code)). A number another user has fails
    /// with 422 [`PhoneAlreadyInUse`](crate::ErrorCode::PhoneAlreadyInUse).
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
    pub async fn change_phone(
        &self,
        verification: &IdentityVerification,
        new_phone: &VerifiedPhone,
    ) -> Result<(), Error> {
        let body = types::UpdatePrimaryPhoneRequest {
            phone: input::phone(new_phone.phone())?,
            new_identifier_verification_record_id: new_phone.record_id().expose_secret().to_owned(),
        };
        let header = verification.header();
        self.send(|| self.api().update_primary_phone(header, &body))
            .await
    }

    /// Removes the primary phone (`DELETE /api/my-account/primary-phone`).
    ///
    /// Fails with 400 [`LastSignInMethodRequired`](crate::ErrorCode::LastSignInMethodRequired)
    /// if it is the user's only identifier.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// client.remove_phone(&proof).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_phone(&self, verification: &IdentityVerification) -> Result<(), Error> {
        let header = verification.header();
        self.send(|| self.api().delete_primary_phone(header)).await
    }
}
