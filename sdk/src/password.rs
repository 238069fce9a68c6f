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
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::Password;
    ///
    /// let proof = client.verify_password(&Password::new("current password")).await?;
    /// if let Err(error) = client.change_password(&proof, &Password::new("123456")).await {
    ///     for issue in error.password_issues() {
    ///         println!("the password needs {issue}");
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
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
        let header = verification.header();
        self.send(|| self.api().update_password(Some(header), &body))
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
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::Password;
    ///
    /// if client.account().await?.has_security_verification_method == Some(false) {
    ///     client.set_initial_password(&Password::new("a first passphrase")).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn set_initial_password(&self, password: &Password) -> Result<(), Error> {
        let body = types::UpdatePasswordRequest {
            password: input::new_password(password)?,
        };
        self.send(|| self.api().update_password(None, &body)).await
    }
}
