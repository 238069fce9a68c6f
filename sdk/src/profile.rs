//! The user's OpenID Connect profile claims (`/api/my-account/profile`).

use crate::{AccountClient, Error};

pub use logto_account_api::types::{UserAddress as Address, UserProfile as ProfileClaims};

impl AccountClient {
    /// Merges OpenID Connect claims into the user's profile
    /// (`PATCH /api/my-account/profile`) and returns the whole merged profile.
    ///
    /// Claims left `None` are kept; a given `address` replaces the stored
    /// address as a whole (and needs the `address` scope). Needs the
    /// `profile` scope (400 `auth.unauthorized` without it) and the account
    /// center's `profile` field set to `Edit`.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::ProfileClaims;
    ///
    /// let claims = ProfileClaims { given_name: Some("Ada".into()), ..Default::default() };
    /// let merged = client.update_profile(&claims).await?;
    /// assert_eq!(merged.given_name.as_deref(), Some("Ada"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_profile(&self, claims: &ProfileClaims) -> Result<ProfileClaims, Error> {
        self.send(|| self.api().update_other_profile(claims)).await
    }
}
