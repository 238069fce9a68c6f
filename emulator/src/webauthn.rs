//! `/api/verifications/web-authn/registration[/verify]`: registering a
//! WebAuthn key.
//!
//! The emulator cannot check an attestation for real, so it checks what a
//! test can make without an authenticator: `response.clientDataJSON` must be
//! base64url of JSON with `type` `webauthn.create`, the record's
//! `challenge`, and an `origin` equal to the request's `Origin` header.
//! `attestationObject` is taken as it is, and the credential's `id` becomes
//! the key's id. [`client_data_json`] builds a fitting `clientDataJSON`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::body::parse_body;
use crate::clock::iso;
use crate::errors::{self, ApiError, json_response};
use crate::guard::Guard;
use crate::ids;
use crate::shared::{Shared, begin, user_of};
use crate::state::RecordKind;

/// The `clientDataJSON` (base64url, as a browser's `toJSON()` gives it) of
/// a registration for `challenge` on the page at `origin`: what the
/// emulator checks in place of an attestation.
pub fn client_data_json(challenge: &str, origin: &str) -> String {
    let data = json!({"type": "webauthn.create", "challenge": challenge, "origin": origin});
    URL_SAFE_NO_PAD.encode(data.to_string())
}

/// `POST /api/verifications/web-authn/registration`: 200 (not 201) with
/// the options for `navigator.credentials.create()`.
pub(crate) async fn start_registration(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let user = user_of(&state, &caller)?;
    let challenge = ids::webauthn_challenge();
    // Logto's relying party id is the host name of the request.
    let rp_id = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map(|host| host.rsplit_once(':').map_or(host, |(name, _)| name))
        .unwrap_or("localhost")
        .to_owned();
    let user_name = user
        .username
        .clone()
        .or_else(|| user.primary_email.clone())
        .unwrap_or_else(|| user.id.clone());
    let exclude: Vec<Value> = user
        .mfa_factors
        .iter()
        .filter_map(|factor| match &factor.kind {
            crate::state::BoundFactorKind::WebAuthn { credential_id, .. } => {
                Some(json!({"type": "public-key", "id": credential_id}))
            }
            _ => None,
        })
        .collect();
    let options = json!({
        "rp": {"name": rp_id, "id": rp_id},
        "user": {
            "id": URL_SAFE_NO_PAD.encode(&user.id),
            "name": user_name,
            "displayName": user.name.clone().unwrap_or_else(|| user_name.clone()),
        },
        "challenge": challenge,
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "excludeCredentials": exclude,
        "authenticatorSelection": {"residentKey": "discouraged", "userVerification": "preferred"},
        "attestation": "none",
    });
    let id = state.insert_record(
        Some(caller.user_id.clone()),
        RecordKind::WebAuthn {
            challenge,
            credential_id: None,
        },
    );
    let expires_at = state
        .records
        .get(&id)
        .map(|record| iso(record.expires_at))
        .unwrap_or_default();
    Ok(json_response(
        StatusCode::OK,
        &json!({"verificationRecordId": id, "registrationOptions": options, "expiresAt": expires_at}),
    ))
}

/// `POST /api/verifications/web-authn/registration/verify`.
pub(crate) async fn verify_registration(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let record_id = guard.string(object, &["verificationRecordId"], &[]);
    let credential = read_payload(&mut guard, object);
    guard.finish()?;
    let Some((credential_id, client_data)) = credential else {
        return Err(errors::internal());
    };

    let Some(RecordKind::WebAuthn { challenge, .. }) = state
        .active_record(&record_id)
        .filter(|record| record.user_id.as_deref() == Some(caller.user_id.as_str()))
        .map(|record| &record.kind)
    else {
        return Err(errors::verification_record_not_found());
    };
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|origin| origin.to_str().ok())
        .unwrap_or_default();
    check_client_data(&client_data, challenge, origin)?;
    if let Some(RecordKind::WebAuthn {
        credential_id: verified,
        ..
    }) = state
        .active_record_mut(&record_id)
        .map(|record| &mut record.kind)
    {
        *verified = Some(credential_id);
    }
    Ok(crate::verification_routes::verified_record(&record_id))
}

/// The payload's credential id and `clientDataJSON`, in the guard's key
/// order.
fn read_payload(guard: &mut Guard, object: &Map<String, Value>) -> Option<(String, String)> {
    let payload = guard.object(object.get("payload"), &["payload"])?;
    guard.literal(payload, &["payload", "type"], "WebAuthn");
    let id = guard.string(payload, &["payload", "id"], &[]);
    guard.string(payload, &["payload", "rawId"], &[]);
    let client_data = guard
        .object(payload.get("response"), &["payload", "response"])
        .map(|response| {
            let client_data =
                guard.string(response, &["payload", "response", "clientDataJSON"], &[]);
            guard.string(response, &["payload", "response", "attestationObject"], &[]);
            client_data
        });
    guard.object(
        payload.get("clientExtensionResults"),
        &["payload", "clientExtensionResults"],
    );
    Some((id, client_data?))
}

/// What SimpleWebAuthn checks first, with its messages.
fn check_client_data(encoded: &str, challenge: &str, origin: &str) -> Result<(), ApiError> {
    let data: Value = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null);
    let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or_default();
    if text("type") != "webauthn.create" {
        return Err(errors::webauthn_verification_failed(format!(
            "Unexpected registration response type: {}",
            text("type")
        )));
    }
    if text("challenge") != challenge {
        return Err(errors::webauthn_verification_failed(format!(
            "Unexpected registration response challenge \"{}\", expected \"{challenge}\"",
            text("challenge")
        )));
    }
    if text("origin") != origin || origin.is_empty() {
        return Err(errors::webauthn_verification_failed(format!(
            "Unexpected registration response origin \"{}\", expected one of: {origin}",
            text("origin")
        )));
    }
    Ok(())
}
