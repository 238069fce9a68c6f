//! The user's account (`/api/my-account`): reading it, and changing name,
//! avatar, custom data and username.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use logto_account_api::Clearable;
use logto_account_api::types;
use serde_json::{Map, Value};

use crate::input;
use crate::{AccountClient, Error, IdentityVerification};

pub use logto_account_api::types::{SocialIdentity, SsoIdentity};

use crate::ProfileClaims;

/// The signed-in user's account, as far as the token may see it.
///
/// Which fields are present depends on the token's scopes (`profile`, `email`,
/// `phone`, `custom_data`, `identities`, `address`) and on the tenant's
/// account-center field settings: `None` means "not set" or "not visible to
/// this token". A token with only `openid` sees just `id` and
/// `has_security_verification_method`.
///
/// With the `serde` feature it is `Serialize` and `Deserialize` (camelCase
/// keys, times as RFC 3339), so a web handler can return it as it is.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
#[non_exhaustive]
pub struct Account {
    /// The user id.
    pub id: String,
    /// The username.
    pub username: Option<String>,
    /// The primary email.
    pub primary_email: Option<String>,
    /// The primary phone, international digits without `+`.
    pub primary_phone: Option<String>,
    /// The display name.
    pub name: Option<String>,
    /// The avatar URL.
    pub avatar: Option<String>,
    /// The application's custom data.
    pub custom_data: Option<Map<String, Value>>,
    /// Linked social identities, keyed by connector target (e.g. `google`).
    pub identities: Option<BTreeMap<String, SocialIdentity>>,
    /// OpenID Connect standard claims (`address` only with the `address` scope).
    /// Boxed: the claims are large, and an account is moved often.
    pub profile: Option<Box<ProfileClaims>>,
    /// When the user last signed in.
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// When the user was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the user was last updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// The application the user first signed in to.
    pub application_id: Option<String>,
    /// The client id metadata document (CIMD) client of the user's first
    /// consent, when that was not an application of the tenant (Logto after
    /// 1.42; `None` before). Never set together with `application_id`.
    pub cimd_client_id: Option<String>,
    /// Whether the user is suspended.
    pub is_suspended: Option<bool>,
    /// Whether the user has a password.
    pub has_password: Option<bool>,
    /// Whether the user has a password, primary email or primary phone. When
    /// it is `Some(false)`, a first password and social links need no
    /// [`IdentityVerification`] (see [`AccountClient::set_initial_password`]).
    pub has_security_verification_method: Option<bool>,
    /// Enterprise SSO identities (Logto declares them but never sends them).
    pub sso_identities: Vec<SsoIdentity>,
}

impl Account {
    /// The account in a response; one without `id`, or with a time out of
    /// range, does not decode.
    pub(crate) fn from_response(response: types::AccountResponse) -> Result<Self, String> {
        // Checked before anything moves, the error made out of line: the
        // common path is then only moves, and stays small. Every field is
        // named, so that one the spec adds is not dropped unnoticed.
        let (Some(last_sign_in_at), Some(created_at), Some(updated_at)) = (
            timestamp(response.last_sign_in_at),
            timestamp(response.created_at),
            timestamp(response.updated_at),
        ) else {
            return Err(not_an_account(response));
        };
        let types::AccountResponse {
            id: Some(id),
            username,
            primary_email,
            primary_phone,
            name,
            avatar,
            custom_data,
            identities,
            profile,
            application_id,
            cimd_client_id,
            is_suspended,
            has_password,
            has_security_verification_method,
            sso_identities,
            last_sign_in_at: _,
            created_at: _,
            updated_at: _,
        } = response
        else {
            return Err(not_an_account(response));
        };
        Ok(Account {
            id,
            username,
            primary_email,
            primary_phone,
            name,
            avatar,
            custom_data,
            identities,
            profile,
            last_sign_in_at,
            created_at,
            updated_at,
            application_id,
            cimd_client_id,
            is_suspended,
            has_password,
            has_security_verification_method,
            sso_identities,
        })
    }
}

/// Epoch milliseconds to a time: `None` when out of chrono's range, and
/// `Some(None)` when absent.
fn timestamp(millis: Option<i64>) -> Option<Option<DateTime<Utc>>> {
    match millis {
        None => Some(None),
        Some(millis) => DateTime::from_timestamp_millis(millis).map(Some),
    }
}

/// Why `response` is not an account: no `id`, or a time out of range (not
/// a silent `None`).
#[cold]
#[inline(never)]
fn not_an_account(response: types::AccountResponse) -> String {
    if response.id.is_none() {
        return "the account has no `id`".to_owned();
    }
    let times = [
        ("lastSignInAt", response.last_sign_in_at),
        ("createdAt", response.created_at),
        ("updatedAt", response.updated_at),
    ];
    times
        .into_iter()
        .find_map(|(field, millis)| {
            let millis = millis?;
            timestamp(Some(millis))
                .is_none()
                .then(|| format!("`{field}` {millis} is not a valid time"))
        })
        .unwrap_or_else(|| "the account does not decode".to_owned())
}

/// Changes to name, avatar and custom data, for [`AccountClient::update_account`].
///
/// Fields not set are left as they are.
///
/// ```
/// use logto_account::AccountUpdate;
///
/// let update = AccountUpdate::new().name("Ada Lovelace").clear_avatar();
/// # let _ = update;
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct AccountUpdate {
    /// The request body itself, so that sending it copies nothing.
    body: types::UpdateProfileRequest,
}

impl AccountUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the display name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(Clearable::Set(name.into()));
        self
    }

    /// Removes the display name (sends `null`).
    pub fn clear_name(mut self) -> Self {
        self.body.name = Some(Clearable::Clear);
        self
    }

    /// Sets the avatar URL.
    pub fn avatar(mut self, url: impl Into<String>) -> Self {
        self.body.avatar = Some(Clearable::Set(url.into()));
        self
    }

    /// Removes the avatar (sends `null`).
    pub fn clear_avatar(mut self) -> Self {
        self.body.avatar = Some(Clearable::Clear);
        self
    }

    /// Replaces the **whole** custom data object with `data` (Logto does not
    /// merge it): read it, change it, and send all of it. Needs the
    /// `custom_data` scope.
    pub fn custom_data(mut self, data: Map<String, Value>) -> Self {
        self.body.custom_data = Some(data);
        self
    }

    fn is_empty(&self) -> bool {
        self.body.name.is_none() && self.body.avatar.is_none() && self.body.custom_data.is_none()
    }
}

impl fmt::Debug for AccountUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountUpdate")
            .field("name", &self.body.name)
            .field("avatar", &self.body.avatar)
            .field("custom_data", &self.body.custom_data)
            .finish()
    }
}

impl AccountClient {
    /// Reads the signed-in user's account (`GET /api/my-account`).
    ///
    /// What it shows depends on the token's scopes and the account center's
    /// field settings (see [`Account`]). A disabled account center fails with
    /// [`Error::is_account_center_disabled`].
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let account = client.account().await?;
    /// println!("{} <{}>", account.id, account.primary_email.as_deref().unwrap_or("no email"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn account(&self) -> Result<Account, Error> {
        self.send_and(|| self.api().get_profile(None), Account::from_response)
            .await
    }

    /// Changes name, avatar and/or custom data (`PATCH /api/my-account`) and
    /// returns the updated account.
    ///
    /// Needs the `profile` scope (400 `auth.unauthorized` without it), and
    /// `custom_data` for custom data. An update that changes nothing is
    /// refused locally (Logto answers 422 `entity.invalid_input`). A field
    /// the account center does not let users edit fails with
    /// [`Error::is_field_not_editable`].
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::AccountUpdate;
    ///
    /// let account = client.update_account(&AccountUpdate::new().name("Ada Lovelace")).await?;
    /// assert_eq!(account.name.as_deref(), Some("Ada Lovelace"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_account(&self, update: &AccountUpdate) -> Result<Account, Error> {
        if update.is_empty() {
            return Err(Error::invalid_input("account update", "changes nothing"));
        }
        self.send_and(
            || self.api().update_profile(None, &update.body),
            Account::from_response,
        )
        .await
    }

    /// Changes the username (`PATCH /api/my-account` with `username`), which
    /// needs proof of the user's identity. Returns the updated account.
    ///
    /// A username must start with a letter or `_` and continue with letters,
    /// digits or `_`; others are refused locally. The tenant's username policy
    /// may refuse more (422 `user.username_*`), and a taken one is 422
    /// [`UsernameAlreadyInUse`](crate::ErrorCode::UsernameAlreadyInUse).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// use logto_account::Password;
    ///
    /// let proof = client.verify_password(&Password::new("current password")).await?;
    /// client.change_username(&proof, "ada_l").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn change_username(
        &self,
        verification: &IdentityVerification,
        username: &str,
    ) -> Result<Account, Error> {
        let username = Clearable::Set(input::username(username)?);
        self.patch_username(verification, username).await
    }

    /// Removes the username. Fails with 400
    /// [`LastSignInMethodRequired`](crate::ErrorCode::LastSignInMethodRequired)
    /// if it is the user's only identifier.
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// let account = client.remove_username(&proof).await?;
    /// assert_eq!(account.username, None);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_username(
        &self,
        verification: &IdentityVerification,
    ) -> Result<Account, Error> {
        self.patch_username(verification, Clearable::Clear).await
    }

    async fn patch_username(
        &self,
        verification: &IdentityVerification,
        username: Clearable<types::Username>,
    ) -> Result<Account, Error> {
        let body = types::UpdateProfileRequest {
            username: Some(username),
            ..Default::default()
        };
        let header = verification.header();
        self.send_and(
            || self.api().update_profile(Some(header), &body),
            Account::from_response,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_prints_what_it_changes() {
        let update = AccountUpdate::new().name("Ada").clear_avatar();
        assert_eq!(
            format!("{update:?}"),
            r#"AccountUpdate { name: Some(Set("Ada")), avatar: Some(Clear), custom_data: None }"#
        );
        assert!(AccountUpdate::new().is_empty());
        assert!(!update.is_empty());
    }

    fn response(body: Value) -> types::AccountResponse {
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn an_account_keeps_every_field_and_reads_times_as_utc() {
        let account = Account::from_response(response(serde_json::json!({
            "id": "u1", "username": "ada", "primaryEmail": "ada@example.com",
            "primaryPhone": "4412345", "name": "Ada", "avatar": "https://a/b.png",
            "customData": {"k": 1}, "identities": {}, "profile": {"nickname": "A"},
            "lastSignInAt": 1_700_000_000_123_i64, "createdAt": 0, "updatedAt": -1,
            "applicationId": "app", "isSuspended": false, "hasPassword": true,
            "hasSecurityVerificationMethod": true, "ssoIdentities": []
        })))
        .unwrap();
        assert_eq!(account.id, "u1");
        assert_eq!(account.username.as_deref(), Some("ada"));
        assert_eq!(account.primary_email.as_deref(), Some("ada@example.com"));
        assert_eq!(account.primary_phone.as_deref(), Some("4412345"));
        assert_eq!(account.avatar.as_deref(), Some("https://a/b.png"));
        assert_eq!(account.custom_data.unwrap()["k"], 1);
        assert_eq!(account.profile.unwrap().nickname.as_deref(), Some("A"));
        assert_eq!(
            account.last_sign_in_at.unwrap().to_rfc3339(),
            "2023-11-14T22:13:20.123+00:00"
        );
        assert_eq!(account.created_at, DateTime::from_timestamp_millis(0));
        assert_eq!(account.updated_at, DateTime::from_timestamp_millis(-1));
        assert_eq!(account.application_id.as_deref(), Some("app"));
        assert_eq!(account.is_suspended, Some(false));
        assert_eq!(account.has_password, Some(true));
        assert_eq!(account.has_security_verification_method, Some(true));
    }

    #[test]
    fn an_account_without_id_or_with_a_time_out_of_range_says_why() {
        let no_id = response(serde_json::json!({"name": "x", "createdAt": i64::MAX}));
        assert_eq!(
            Account::from_response(no_id),
            Err("the account has no `id`".to_owned())
        );
        let late = response(serde_json::json!({"id": "u1", "updatedAt": i64::MAX}));
        assert_eq!(
            Account::from_response(late),
            Err(format!("`updatedAt` {} is not a valid time", i64::MAX))
        );
        let early = response(serde_json::json!({"id": "u1", "lastSignInAt": i64::MIN}));
        assert_eq!(
            Account::from_response(early),
            Err(format!("`lastSignInAt` {} is not a valid time", i64::MIN))
        );
    }
}
