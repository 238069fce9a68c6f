//! Registering a WebAuthn key (a passkey or security key) as an MFA factor:
//! Logto makes the options, the user's browser creates the credential, and
//! Logto checks it before it can be bound.
//!
//! The browser does the cryptography, so the facade only carries JSON:
//! [`PendingWebAuthnRegistration::options`] go to
//! `navigator.credentials.create()`, and the credential it returns (its
//! `toJSON()`) comes back to
//! [`verify_webauthn_registration`](AccountClient::verify_webauthn_registration).

use chrono::{DateTime, Utc};
use logto_account_api::types;
use serde_json::{Map, Value};

use crate::input;
use crate::verification::{record_accessors, server_record_id};
use crate::{AccountClient, Error, IdentityVerification, VerificationRecordId};

/// A started WebAuthn registration: hand [`options`](Self::options) to the
/// browser, then verify what it returns.
#[derive(Clone, Debug)]
pub struct PendingWebAuthnRegistration {
    record_id: VerificationRecordId,
    options: Map<String, Value>,
    expires_at: DateTime<Utc>,
}

/// Proof that the user's browser registered a WebAuthn key, for
/// [`AccountClient::add_webauthn_factor`].
#[derive(Clone, Debug)]
pub struct VerifiedWebAuthnKey {
    record_id: VerificationRecordId,
    expires_at: DateTime<Utc>,
}

record_accessors!(PendingWebAuthnRegistration);
record_accessors!(VerifiedWebAuthnKey);

impl PendingWebAuthnRegistration {
    /// `PublicKeyCredentialCreationOptions` in JSON form (`rp`, `user`,
    /// `challenge`, `pubKeyCredParams`, ...) for `navigator.credentials.create()`.
    /// `rp.id` is the host name of the endpoint the client talks to.
    pub fn options(&self) -> &Map<String, Value> {
        &self.options
    }

    /// Rebuilds a registration stored between two requests of a web flow.
    pub fn from_parts(
        record_id: VerificationRecordId,
        options: Map<String, Value>,
        expires_at: DateTime<Utc>,
    ) -> Self {
        PendingWebAuthnRegistration {
            record_id,
            options,
            expires_at,
        }
    }
}

impl AccountClient {
    /// Starts registering a WebAuthn key
    /// (`POST /api/verifications/web-authn/registration`).
    ///
    /// Needs no scope or account-center field (the account center must be
    /// enabled, as for every call).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient) -> Result<(), logto_account::Error> {
    /// let pending = client.start_webauthn_registration().await?;
    /// let for_the_browser = serde_json::Value::Object(pending.options().clone());
    /// # let _ = for_the_browser;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_webauthn_registration(&self) -> Result<PendingWebAuthnRegistration, Error> {
        self.send_and(
            || self.api().generate_web_authn_registration_options(),
            |started| {
                Ok(PendingWebAuthnRegistration::from_parts(
                    server_record_id(started.verification_record_id)?,
                    started.registration_options,
                    started.expires_at,
                ))
            },
        )
        .await
    }

    /// Checks the credential the browser created
    /// (`POST /api/verifications/web-authn/registration/verify`).
    ///
    /// `origin` is the web origin of the page that called
    /// `navigator.credentials.create()`, e.g. `https://app.example.com`: the
    /// browser signed it into the credential and Logto compares the two,
    /// refusing the key without it. A server-side client has no origin of its
    /// own, so it must say which one the browser used. `credential` is the
    /// browser's `PublicKeyCredential` as JSON (`id`, `rawId`, `response`,
    /// `clientExtensionResults`, ...); one without those is refused locally.
    ///
    /// A failed check is 400
    /// [`WebAuthnVerificationFailed`](crate::ErrorCode::WebAuthnVerificationFailed);
    /// an unknown or expired registration, 400
    /// [`VerificationRecordNotFound`](crate::ErrorCode::VerificationRecordNotFound).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, pending: logto_account::PendingWebAuthnRegistration, from_browser: serde_json::Value) -> Result<(), logto_account::Error> {
    /// let key = client
    ///     .verify_webauthn_registration(&pending, "https://app.example.com", &from_browser)
    ///     .await?;
    /// # let _ = key;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn verify_webauthn_registration(
        &self,
        pending: &PendingWebAuthnRegistration,
        origin: &str,
        credential: &Value,
    ) -> Result<VerifiedWebAuthnKey, Error> {
        input::opaque_token("origin", origin)?;
        let origin = types::VerifyWebAuthnRegistrationOrigin::try_from(origin)
            .map_err(|_| Error::invalid_input("origin", "is empty"))?;
        let body = types::VerifyWebAuthnRegistrationRequest {
            verification_record_id: pending.record_id.expose_secret().to_owned(),
            payload: registration_payload(credential)?,
        };
        self.send(|| self.api().verify_web_authn_registration(&origin, &body))
            .await?;
        Ok(VerifiedWebAuthnKey {
            record_id: pending.record_id.clone(),
            expires_at: pending.expires_at,
        })
    }

    /// Binds a verified WebAuthn key as an MFA factor
    /// (`POST /api/my-account/mfa-verifications`, type `WebAuthn`). Without
    /// a `name`, Logto names it after the user agent.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`), the
    /// account center's `passkey` field (or `mfa` when `passkey` is unset)
    /// editable (else 400 [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)),
    /// and WebAuthn offered as an MFA factor or passkey sign-in (else 400
    /// [`MfaFactorNotEnabled`](crate::ErrorCode::MfaFactorNotEnabled)).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification, key: logto_account::VerifiedWebAuthnKey) -> Result<(), logto_account::Error> {
    /// client.add_webauthn_factor(&proof, &key, Some("YubiKey")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn add_webauthn_factor(
        &self,
        verification: &IdentityVerification,
        key: &VerifiedWebAuthnKey,
        name: Option<&str>,
    ) -> Result<(), Error> {
        let body = types::AddMfaVerificationRequest::WebAuthnFactor(types::AddWebAuthnFactor {
            type_: types::AddWebAuthnFactorType::WebAuthn,
            new_identifier_verification_record_id: key.record_id.expose_secret().to_owned(),
            name: name.map(str::to_owned),
        });
        let header = verification.header();
        self.send(|| self.api().add_mfa_verification(header, &body))
            .await
    }

    /// Renames a WebAuthn key
    /// (`PATCH /api/my-account/mfa-verifications/{verificationId}/name`).
    /// Logto answers `200 OK` in plain text, which is success here.
    ///
    /// Needs the `identities` scope (else 401 `auth.unauthorized`) and the
    /// `passkey` field (or `mfa`) editable (else 400
    /// [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)). Any other
    /// kind of factor, or an unknown id, is 400
    /// [`VerificationRecordNotFound`](crate::ErrorCode::VerificationRecordNotFound).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, proof: logto_account::IdentityVerification) -> Result<(), logto_account::Error> {
    /// client.rename_webauthn_factor(&proof, "factor-id", "Work laptop").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn rename_webauthn_factor(
        &self,
        verification: &IdentityVerification,
        factor_id: &str,
        name: &str,
    ) -> Result<(), Error> {
        let factor_id = input::path_segment("factor id", factor_id)?;
        let body = types::UpdateMfaVerificationNameRequest {
            name: name.to_owned(),
        };
        let header = verification.header();
        let call = || {
            self.api()
                .update_mfa_verification_name(&factor_id, header, &body)
        };
        // The body is Koa's `OK`: nothing in it to read.
        self.send_and(call, |_| Ok(())).await
    }
}

/// The browser's credential as Logto's payload: its `type` becomes Logto's
/// `WebAuthn` (the browser says `public-key`). The error names what is
/// needed, never the value.
fn registration_payload(credential: &Value) -> Result<types::WebAuthnRegistrationPayload, Error> {
    let Value::Object(credential) = credential else {
        return Err(Error::invalid_input("credential", "is not a JSON object"));
    };
    let mut payload = credential.clone();
    payload.insert("type".to_owned(), Value::from("WebAuthn"));
    serde_json::from_value(Value::Object(payload)).map_err(|_| {
        Error::invalid_input(
            "credential",
            "is not a WebAuthn registration response: it needs `id`, `rawId`, `response` with `clientDataJSON` and `attestationObject`, and `clientExtensionResults`",
        )
    })
}
