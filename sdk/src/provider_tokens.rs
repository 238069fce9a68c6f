//! Tokens that social and enterprise SSO providers issued for the user,
//! which Logto keeps so the application can call the provider's API.

use std::time::Duration;

use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, ProviderAccessToken, VerifiedSocialIdentity};

/// An access token a provider issued for the user. `Debug` never shows the
/// token.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProviderToken {
    /// The provider's access token.
    pub access_token: ProviderAccessToken,
    /// The token type, usually `Bearer`.
    pub token_type: Option<String>,
    /// The scopes the provider granted, space-separated.
    pub scope: Option<String>,
    /// How long the token is still valid, when the provider said.
    pub expires_in: Option<Duration>,
}

impl ProviderToken {
    /// The token in a response. Providers send `expires_in` as a number or a
    /// numeric string; anything else (or a negative value) does not decode.
    fn from_response(token: types::ThirdPartyAccessToken) -> Result<Self, String> {
        let expires_in = token.expires_in.map(seconds).transpose()?;
        Ok(ProviderToken {
            access_token: ProviderAccessToken::new(token.access_token),
            token_type: token.token_type,
            scope: token.scope,
            expires_in,
        })
    }
}

fn seconds(value: types::TokenExpiresIn) -> Result<Duration, String> {
    let seconds = match value {
        types::TokenExpiresIn::Number(seconds) => seconds,
        types::TokenExpiresIn::String(text) => text
            .trim()
            .parse::<f64>()
            .map_err(|_| "`expires_in` is a string that is not a number".to_owned())?,
    };
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| "`expires_in` is not a non-negative number of seconds".to_owned())
}

impl AccountClient {
    /// The access token the social provider of `target` (e.g. `google`)
    /// issued when the user linked or signed in with it
    /// (`GET /api/my-account/identities/{target}/access-token`); Logto
    /// refreshes an expired one first when the provider gave a refresh token.
    ///
    /// Needs the `identities` scope: a token without it gets **403**
    /// [`Forbidden`](crate::ErrorCode::Forbidden) here
    /// ([`Error::is_missing_scope`]). No account-center field gates it.
    /// Errors: 404 [`TokenNotFound`](crate::ErrorCode::TokenNotFound) (no
    /// stored token), 401 [`ProviderAccessTokenExpired`](crate::ErrorCode::ProviderAccessTokenExpired)
    /// (expired, no refresh token: link the account again).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let token = client.social_identity_token("google").await?;
    /// // Call Google's API with token.access_token.expose_secret().
    /// # Ok(())
    /// # }
    /// ```
    pub async fn social_identity_token(&self, target: &str) -> Result<ProviderToken, Error> {
        let target = input::path_segment("target", target)?;
        self.send_and(
            || self.api().get_social_identity_access_token(&target),
            ProviderToken::from_response,
        )
        .await
    }

    /// Stores the provider tokens of a completed social verification for the
    /// user's existing identity of `target`, and returns the new access token
    /// (`PUT /api/my-account/identities/{target}/access-token`). Use it after
    /// asking the user to authorize the provider again, e.g. for more scopes.
    ///
    /// Needs the `identities` scope (else **403**
    /// [`Forbidden`](crate::ErrorCode::Forbidden)); no identity verification
    /// and no account-center field. Errors: 400
    /// [`VerificationRecordNotFound`](crate::ErrorCode::VerificationRecordNotFound),
    /// 422 [`SocialVerificationInvalidTarget`](crate::ErrorCode::SocialVerificationInvalidTarget)
    /// (the verification is for another provider), 422
    /// [`IdentityNotExistsInCurrentUser`](crate::ErrorCode::IdentityNotExistsInCurrentUser),
    /// 422 [`TokenResponseNotFound`](crate::ErrorCode::TokenResponseNotFound)
    /// (the connector stores no tokens).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, social: logto_account::VerifiedSocialIdentity) -> Result<(), logto_account::Error> {
    /// let token = client.update_social_identity_token("google", &social).await?;
    /// # let _ = token;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_social_identity_token(
        &self,
        target: &str,
        social: &VerifiedSocialIdentity,
    ) -> Result<ProviderToken, Error> {
        let target = input::path_segment("target", target)?;
        let body = types::UpdateSocialIdentityAccessTokenRequest {
            verification_record_id: input::token_record_id(social.record_id())?,
        };
        let call = || {
            self.api()
                .update_social_identity_access_token_by_verification_id(&target, &body)
        };
        self.send_and(call, ProviderToken::from_response).await
    }

    /// The access token the enterprise SSO provider of `connector_id` issued
    /// when the user signed in with it
    /// (`GET /api/my-account/sso-identities/{connectorId}/access-token`).
    ///
    /// Needs the `identities` scope (else **403**
    /// [`Forbidden`](crate::ErrorCode::Forbidden)); no account-center field.
    /// Errors: 404 [`TokenNotFound`](crate::ErrorCode::TokenNotFound), 401
    /// [`ProviderAccessTokenExpired`](crate::ErrorCode::ProviderAccessTokenExpired).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let token = client.sso_identity_token("okta-connector-id").await?;
    /// # let _ = token;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sso_identity_token(&self, connector_id: &str) -> Result<ProviderToken, Error> {
        let connector_id = input::path_segment("connector id", connector_id)?;
        let call = || {
            self.api()
                .get_enterprise_sso_identity_access_token(&connector_id)
        };
        self.send_and(call, ProviderToken::from_response).await
    }
}
