//! The user's MFA and passkey preferences: whether to skip MFA at sign-in,
//! and the skip marks Logto keeps for factor and passkey binding prompts.

use logto_account_api::types;

use crate::{AccountClient, Error, IdentityVerification};

pub use logto_account_api::types::{
    LogtoConfig, LogtoConfigMfa, LogtoConfigPasskeySignIn, MfaSettings,
};

/// Changes to the user's [`LogtoConfig`], for
/// [`AccountClient::update_logto_config`]. Keys not set are kept.
///
/// ```
/// use logto_account::LogtoConfigUpdate;
///
/// let update = LogtoConfigUpdate::new().mfa_skipped(true).passkey_sign_in_skipped(true);
/// # let _ = update;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogtoConfigUpdate {
    body: types::UpdateLogtoConfigRequest,
}

impl LogtoConfigUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn mfa(mut self, set: impl FnOnce(&mut types::UpdateLogtoConfigMfa)) -> Self {
        set(self.body.mfa.get_or_insert_with(Default::default));
        self
    }

    /// Turns MFA on or off for the user.
    pub fn mfa_enabled(self, enabled: bool) -> Self {
        self.mfa(|mfa| mfa.enabled = Some(enabled))
    }

    /// Marks that the user skipped binding an MFA factor.
    pub fn mfa_skipped(self, skipped: bool) -> Self {
        self.mfa(|mfa| mfa.skipped = Some(skipped))
    }

    /// Marks that the user skipped the suggestion to bind another factor
    /// (Logto stores it but never shows it in [`LogtoConfig`]).
    pub fn additional_binding_suggestion_skipped(self, skipped: bool) -> Self {
        self.mfa(|mfa| mfa.additional_binding_suggestion_skipped = Some(skipped))
    }

    /// Whether to skip asking for a second factor at sign-in (ignored when
    /// the tenant's MFA policy is mandatory).
    pub fn skip_mfa_on_sign_in(self, skip: bool) -> Self {
        self.mfa(|mfa| mfa.skip_mfa_on_sign_in = Some(skip))
    }

    /// Marks that the user skipped binding a passkey for sign-in, for good.
    pub fn passkey_sign_in_skipped(mut self, skipped: bool) -> Self {
        self.body.passkey_sign_in = Some(types::UpdateLogtoConfigPasskeySignIn {
            skipped: Some(skipped),
        });
        self
    }
}

impl AccountClient {
    /// Reads whether the user skips MFA at sign-in
    /// (`GET /api/my-account/mfa-settings`).
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`,
    /// [`Error::is_missing_scope`]) and the account center's `mfa` field
    /// readable (else 400 [`FieldNotEnabled`](crate::ErrorCode::FieldNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let settings = client.mfa_settings().await?;
    /// println!("skips MFA at sign-in: {}", settings.skip_mfa_on_sign_in);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn mfa_settings(&self) -> Result<MfaSettings, Error> {
        self.send(|| self.api().get_mfa_settings())
            .await
            .map_err(Error::on_route_refusing_scope_with_401)
    }

    /// Sets whether the user skips MFA at sign-in
    /// (`PATCH /api/my-account/mfa-settings`), with proof of the user's
    /// identity; returns the settings after the change.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`) and the
    /// `mfa` field editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::MfaSettings;
    ///
    /// client.update_mfa_settings(&proof, &MfaSettings { skip_mfa_on_sign_in: true }).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_mfa_settings(
        &self,
        verification: &IdentityVerification,
        settings: &MfaSettings,
    ) -> Result<MfaSettings, Error> {
        let header = verification.header();
        self.send(|| self.api().update_mfa_settings(header, settings))
            .await
            .map_err(Error::on_route_refusing_scope_with_401)
    }

    /// Reads the user's MFA and passkey sign-in state
    /// (`GET /api/my-account/logto-configs`). `mfa.enabled` is `None` until
    /// the user first binds a factor.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`) and the
    /// account center's `passkey` field (or `mfa` when `passkey` is unset)
    /// readable (else 400 [`FieldNotEnabled`](crate::ErrorCode::FieldNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let config = client.logto_config().await?;
    /// println!("passkey prompt skipped: {}", config.passkey_sign_in.skipped);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn logto_config(&self) -> Result<LogtoConfig, Error> {
        self.send(|| self.api().get_logto_config())
            .await
            .map_err(Error::on_route_refusing_scope_with_401)
    }

    /// Changes the user's MFA and passkey sign-in state
    /// (`PATCH /api/my-account/logto-configs`), with proof of the user's
    /// identity; returns the state after the change.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`) and the
    /// `passkey` field (or `mfa`) editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::LogtoConfigUpdate;
    ///
    /// let update = LogtoConfigUpdate::new().passkey_sign_in_skipped(true);
    /// client.update_logto_config(&proof, &update).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_logto_config(
        &self,
        verification: &IdentityVerification,
        update: &LogtoConfigUpdate,
    ) -> Result<LogtoConfig, Error> {
        let header = verification.header();
        self.send(|| self.api().update_logto_config(header, &update.body))
            .await
            .map_err(Error::on_route_refusing_scope_with_401)
    }
}
