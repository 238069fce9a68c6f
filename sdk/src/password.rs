//! Changing the user's password.

use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification, Password};

impl AccountClient {
    /// Changes the password (`POST /api/my-account/password`), with proof of
    /// the user's identity.
    ///
    /// A password the tenant's policy refuses fails with 422
    /// [`PasswordRejected`](crate::ErrorCode::PasswordRejected); the broken
    /// rules are in [`ApiError::password_issues`](crate::ApiError::password_issues).
    /// The current password again is 422 [`SamePassword`](crate::ErrorCode::SamePassword).
    ///
    /// Forgetting the proof does not compile:
    ///
    /// ```compile_fail,E0061
    /// # async fn run(client: logto_account::AccountClient) {
    /// use logto_account::Password;
    /// client.change_password(&Password::new("a new passphrase")).await;
    /// # }
    /// ```
    pub async fn change_password(
        &self,
        verification: &IdentityVerification,
        new_password: &Password,
    ) -> Result<(), Error> {
        let body = types::UpdatePasswordRequest {
            password: input::new_password(new_password)?,
        };
        let header = verification.header()?;
        self.send(self.api().update_password(Some(&header), &body))
            .await
    }

    /// Sets a first password for a user who has no password, primary email
    /// or primary phone
    /// ([`Account::has_security_verification_method`](crate::Account::has_security_verification_method)
    /// is `Some(false)`), e.g. one who signed up with a social account.
    /// Such a user has nothing to verify with, so Logto (1.40 and later)
    /// needs no proof. For any other user this fails with
    /// [`Error::is_reauthentication_required`]; use
    /// [`change_password`](Self::change_password).
    pub async fn set_initial_password(&self, password: &Password) -> Result<(), Error> {
        let body = types::UpdatePasswordRequest {
            password: input::new_password(password)?,
        };
        self.send(self.api().update_password(None, &body)).await
    }
}
