//! Linking and unlinking social identities.

use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification, VerifiedSocialIdentity};

impl AccountClient {
    /// Links the social account of a completed social verification
    /// (`POST /api/my-account/identities`), with proof of the user's identity.
    ///
    /// Errors: 422 [`IdentityAlreadyInUse`](crate::ErrorCode::IdentityAlreadyInUse)
    /// if another user has that social account, 400 with the same code if this
    /// user already has one for the connector. Needs the `identities` scope.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification, social: logto_account::VerifiedSocialIdentity) -> Result<(), logto_account::Error> {
    /// // `social` comes from complete_social_verification.
    /// client.link_social_identity(&proof, &social).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn link_social_identity(
        &self,
        verification: &IdentityVerification,
        social: &VerifiedSocialIdentity,
    ) -> Result<(), Error> {
        let header = verification.header();
        self.link(Link::Add, Some(header), social).await
    }

    /// Links a social account for a user who has no password, primary email
    /// or primary phone
    /// ([`Account::has_security_verification_method`](crate::Account::has_security_verification_method)
    /// is `Some(false)`): Logto (1.41 and later) needs no proof from them. For
    /// any other user this fails with [`Error::is_reauthentication_required`].
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification, social: logto_account::VerifiedSocialIdentity) -> Result<(), logto_account::Error> {
    /// if client.account().await?.has_security_verification_method == Some(false) {
    ///     client.link_social_identity_without_verification(&social).await?;
    /// } else {
    ///     client.link_social_identity(&proof, &social).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn link_social_identity_without_verification(
        &self,
        social: &VerifiedSocialIdentity,
    ) -> Result<(), Error> {
        self.link(Link::Add, None, social).await
    }

    /// Links the social account of a completed social verification,
    /// replacing the user's identity for that connector target if there is
    /// one (`PUT /api/my-account/identities`), with proof of the user's
    /// identity. Provider tokens stored for a replaced identity are deleted.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`,
    /// [`Error::is_missing_scope`]) and the account center's `social` field
    /// editable (else 400 [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)).
    /// Errors: 400 [`VerificationRecordNotFound`](crate::ErrorCode::VerificationRecordNotFound)
    /// if the social verification is not verified; 422
    /// [`IdentityAlreadyInUse`](crate::ErrorCode::IdentityAlreadyInUse) if
    /// another user has that social account.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification, social: logto_account::VerifiedSocialIdentity) -> Result<(), logto_account::Error> {
    /// client.replace_social_identity(&proof, &social).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn replace_social_identity(
        &self,
        verification: &IdentityVerification,
        social: &VerifiedSocialIdentity,
    ) -> Result<(), Error> {
        let header = verification.header();
        self.link(Link::Replace, Some(header), social).await
    }

    /// Links or replaces a social account for a user who has no password,
    /// primary email or primary phone (see
    /// [`link_social_identity_without_verification`](Self::link_social_identity_without_verification)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, social: logto_account::VerifiedSocialIdentity) -> Result<(), logto_account::Error> {
    /// client.replace_social_identity_without_verification(&social).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn replace_social_identity_without_verification(
        &self,
        social: &VerifiedSocialIdentity,
    ) -> Result<(), Error> {
        self.link(Link::Replace, None, social).await
    }

    async fn link(
        &self,
        mode: Link,
        header: Option<&types::VerificationRecordId>,
        social: &VerifiedSocialIdentity,
    ) -> Result<(), Error> {
        let body = types::AddUserIdentitiesRequest {
            new_identifier_verification_record_id: social.record_id().expose_secret().to_owned(),
        };
        let outcome = match mode {
            Link::Add => {
                self.send(|| self.api().add_user_identities(header, &body))
                    .await
            }
            Link::Replace => {
                self.send(|| self.api().replace_my_account_identity(header, &body))
                    .await
            }
        };
        outcome.map_err(Error::on_route_refusing_scope_with_401)
    }

    /// Unlinks the social identity of a connector target, e.g. `google`
    /// (`DELETE /api/my-account/identities/{target}`), with proof of the
    /// user's identity.
    ///
    /// Errors: 404 [`IdentityNotExist`](crate::ErrorCode::IdentityNotExist)
    /// if the user has none for the target; 400
    /// [`LastSignInMethodRequired`](crate::ErrorCode::LastSignInMethodRequired)
    /// if it is the user's only identifier.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// client.unlink_social_identity(&proof, "github").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unlink_social_identity(
        &self,
        verification: &IdentityVerification,
        target: &str,
    ) -> Result<(), Error> {
        let header = verification.header();
        self.unlink(Some(header), target).await
    }

    /// Unlinks a social identity for a user who has no password, primary
    /// email or primary phone (see
    /// [`link_social_identity_without_verification`](Self::link_social_identity_without_verification)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// client.unlink_social_identity_without_verification("github").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unlink_social_identity_without_verification(
        &self,
        target: &str,
    ) -> Result<(), Error> {
        self.unlink(None, target).await
    }

    async fn unlink(
        &self,
        header: Option<&types::VerificationRecordId>,
        target: &str,
    ) -> Result<(), Error> {
        let target = input::path_segment("target", target)?;
        self.send(|| self.api().delete_identity(&target, header))
            .await
    }
}

/// Whether linking adds an identity (refused if the target has one) or
/// replaces the target's identity.
enum Link {
    Add,
    Replace,
}
