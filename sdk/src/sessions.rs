//! The user's sign-in sessions (browsers and devices signed in to Logto) and
//! grants (what each application may do for the user): listing and revoking.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use logto_account_api::types;

use crate::input;
use crate::{AccountClient, Error, IdentityVerification};

pub use logto_account_api::types::SessionAuthorization;

/// One sign-in session: a browser or device signed in to Logto.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Session {
    /// The session id, for [`AccountClient::revoke_session`].
    pub id: String,
    /// The application the user signed in to.
    pub client_id: Option<String>,
    /// When the user signed in.
    pub signed_in_at: DateTime<Utc>,
    /// When the session expires.
    pub expires_at: DateTime<Utc>,
    /// This is the session whose sign-in issued the client's access token.
    pub is_current: bool,
    /// What the session authorized, per application id.
    pub authorizations: BTreeMap<String, SessionAuthorization>,
    /// The IP address the user signed in from, when Logto recorded it.
    pub sign_in_ip: Option<String>,
}

impl Session {
    fn from_response(session: types::Session) -> Result<Self, String> {
        let sign_in_ip = session
            .last_submission
            .0
            .as_ref()
            .and_then(|submission| submission.sign_in_context.get("ip").cloned());
        Ok(Session {
            id: session.payload.uid,
            client_id: session.client_id,
            signed_in_at: seconds("loginTs", session.payload.login_ts)?,
            expires_at: millis("expiresAt", session.expires_at)?,
            is_current: session.is_current,
            authorizations: session.payload.authorizations.into_iter().collect(),
            sign_in_ip,
        })
    }
}

/// An application's grant: what it may do for the user, and the tokens
/// issued under it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Grant {
    /// The grant id, for [`AccountClient::revoke_grant`].
    pub id: String,
    /// The application's id.
    pub application_id: String,
    /// The application's name.
    pub application_name: String,
    /// When the grant was made.
    pub created_at: DateTime<Utc>,
    /// When the grant expires.
    pub expires_at: DateTime<Utc>,
}

impl Grant {
    fn from_response(grant: types::Grant) -> Result<Self, String> {
        Ok(Grant {
            id: grant.id,
            application_id: grant.application.id,
            application_name: grant.application.name,
            created_at: seconds("iat", grant.payload.iat)?,
            expires_at: millis("expiresAt", grant.expires_at)?,
        })
    }
}

/// Which grants to revoke with a session, for
/// [`AccountClient::revoke_session_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevokeGrants {
    /// The grants of every application the session authorized: the device is
    /// signed out everywhere it signed in through this session.
    #[default]
    All,
    /// Only first-party applications' grants; third-party applications keep
    /// their access.
    FirstParty,
    /// None: the session ends, but tokens issued with offline access (and
    /// their access tokens) keep working until they expire.
    Keep,
}

/// Which applications' grants to list, for [`AccountClient::grants`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrantFilter {
    /// Every application.
    #[default]
    All,
    /// First-party applications only.
    FirstParty,
    /// Third-party applications only.
    ThirdParty,
}

fn seconds(field: &str, seconds: i64) -> Result<DateTime<Utc>, String> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| format!("`{field}` {seconds} is not a valid time"))
}

fn millis(field: &str, millis: i64) -> Result<DateTime<Utc>, String> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| format!("`{field}` {millis} is not a valid time"))
}

fn all<T, U>(items: Vec<T>, convert: fn(T) -> Result<U, String>) -> Result<Vec<U>, String> {
    items.into_iter().map(convert).collect()
}

impl AccountClient {
    /// The user's live sessions, oldest first (`GET /api/my-account/sessions`),
    /// with proof of the user's identity.
    ///
    /// Needs the `urn:logto:scope:sessions` scope (else 401
    /// `auth.unauthorized`, [`Error::is_missing_scope`]; without the proof
    /// the answer is 401 [`PermissionDenied`](crate::ErrorCode::PermissionDenied)
    /// first) and the account center's `session` field readable (else 400
    /// [`FieldNotEnabled`](crate::ErrorCode::FieldNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// for session in client.sessions(&proof).await? {
    ///     println!("{} since {} (current: {})", session.id, session.signed_in_at, session.is_current);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sessions(
        &self,
        verification: &IdentityVerification,
    ) -> Result<Vec<Session>, Error> {
        let header = verification.header();
        self.send_and(
            || self.api().get_sessions(header),
            |list| all(list.sessions, Session::from_response),
        )
        .await
        .map_err(Error::on_route_refusing_scope_with_401)
    }

    /// Signs a session out and revokes the grants of every application it
    /// authorized, so the tokens it issued stop working too
    /// (`DELETE /api/my-account/sessions/{sessionId}?revokeGrantsTarget=all`):
    /// what a user means by "sign out that device". See
    /// [`revoke_session_with`](Self::revoke_session_with) to keep grants.
    ///
    /// Needs `urn:logto:scope:sessions` (else 401 `auth.unauthorized`) and
    /// the `session` field editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)). An unknown
    /// id is 400 [`SessionNotFound`](crate::ErrorCode::SessionNotFound);
    /// another user's, 400
    /// [`InvalidSessionAccountId`](crate::ErrorCode::InvalidSessionAccountId).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// for session in client.sessions(&proof).await? {
    ///     if !session.is_current {
    ///         client.revoke_session(&proof, &session.id).await?;
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke_session(
        &self,
        verification: &IdentityVerification,
        session_id: &str,
    ) -> Result<(), Error> {
        self.revoke_session_with(verification, session_id, RevokeGrants::All)
            .await
    }

    /// Signs a session out, revoking the grants `grants` names
    /// (`DELETE /api/my-account/sessions/{sessionId}`). With
    /// [`RevokeGrants::Keep`] Logto ends the session but the access tokens it
    /// issued keep working (seen on Logto 1.42): the device is not really
    /// signed out. Scope, field and errors as
    /// [`revoke_session`](Self::revoke_session).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::RevokeGrants;
    ///
    /// client.revoke_session_with(&proof, "session-id", RevokeGrants::FirstParty).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke_session_with(
        &self,
        verification: &IdentityVerification,
        session_id: &str,
        grants: RevokeGrants,
    ) -> Result<(), Error> {
        let header = verification.header();
        let session_id = input::path_segment("session id", session_id)?;
        let target = match grants {
            RevokeGrants::All => Some(types::RevokeGrantsTarget::All),
            RevokeGrants::FirstParty => Some(types::RevokeGrantsTarget::FirstParty),
            RevokeGrants::Keep => None,
        };
        let call = || self.api().delete_session_by_id(&session_id, target, header);
        self.send(call)
            .await
            .map_err(Error::on_route_refusing_scope_with_401)
    }

    /// The user's active grants, one per application sign-in
    /// (`GET /api/my-account/grants`), with proof of the user's identity.
    ///
    /// Needs `urn:logto:scope:sessions` (else 401 `auth.unauthorized`,
    /// [`Error::is_missing_scope`]) and the `session` field readable (else
    /// 400 [`FieldNotEnabled`](crate::ErrorCode::FieldNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// use logto_account::GrantFilter;
    ///
    /// for grant in client.grants(&proof, GrantFilter::ThirdParty).await? {
    ///     println!("{} may act for you until {}", grant.application_name, grant.expires_at);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn grants(
        &self,
        verification: &IdentityVerification,
        filter: GrantFilter,
    ) -> Result<Vec<Grant>, Error> {
        let header = verification.header();
        let app_type = match filter {
            GrantFilter::All => None,
            GrantFilter::FirstParty => Some(types::GrantAppType::FirstParty),
            GrantFilter::ThirdParty => Some(types::GrantAppType::ThirdParty),
        };
        self.send_and(
            || self.api().get_grants(app_type, header),
            |list| all(list.grants, Grant::from_response),
        )
        .await
        .map_err(Error::on_route_refusing_scope_with_401)
    }

    /// Revokes a grant and every token issued under it
    /// (`DELETE /api/my-account/grants/{grantId}`); its session stays, without
    /// that application's authorization.
    ///
    /// Needs `urn:logto:scope:sessions` (else 401 `auth.unauthorized`) and the
    /// `session` field editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)). An unknown
    /// id is 404 [`InvalidGrant`](crate::ErrorCode::InvalidGrant).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// client.revoke_grant(&proof, "grant-id").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke_grant(
        &self,
        verification: &IdentityVerification,
        grant_id: &str,
    ) -> Result<(), Error> {
        let header = verification.header();
        let grant_id = input::path_segment("grant id", grant_id)?;
        self.send(|| self.api().delete_grant_by_id(&grant_id, header))
            .await
            .map_err(Error::on_route_refusing_scope_with_401)
    }
}
