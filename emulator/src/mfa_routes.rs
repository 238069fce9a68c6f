//! `/api/my-account/mfa-verifications`: the caller's MFA factors, with
//! Logto's checks in Logto's order (`mfa-verifications.ts`): the
//! verification header, the account-center field, the `identities` scope,
//! then the sign-in experience's factors.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::auth::Caller;
use crate::body::parse_body;
use crate::clock::iso;
use crate::errors::{self, ApiError, json_response};
use crate::guard::Guard;
use crate::ids;
use crate::shared::{Shared, begin, no_content, update_user, user_of};
use crate::state::{BoundFactor, BoundFactorKind, MfaFactor, RecordKind, State as EmulatorState};
use crate::totp;

/// Every MFA route but the two generators needs this scope, else 401.
const SCOPE: &str = "identities";

/// `GET /api/my-account/mfa-verifications`.
pub(crate) async fn list_factors(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let caller = begin(&state, &headers)?;
    if !state.account_center.readable(crate::Field::Mfa) {
        return Err(errors::field_not_enabled());
    }
    caller.require_scope(SCOPE, StatusCode::UNAUTHORIZED)?;
    let user = user_of(&state, &caller)?;
    let factors: Vec<Value> = user.mfa_factors.iter().map(listed).collect();
    Ok(json_response(StatusCode::OK, &Value::Array(factors)))
}

/// A factor as the list shows it, in Logto's key order.
fn listed(factor: &BoundFactor) -> Value {
    let mut item = Map::new();
    item.insert("id".to_owned(), json!(factor.id));
    item.insert("createdAt".to_owned(), json!(iso(factor.created_at)));
    item.insert("type".to_owned(), json!(factor.factor().as_str()));
    match &factor.kind {
        BoundFactorKind::Totp { .. } => {}
        BoundFactorKind::BackupCode { codes } => {
            let unused = codes.iter().filter(|(_, used)| used.is_none()).count();
            item.insert("remainCodes".to_owned(), json!(unused));
        }
        BoundFactorKind::WebAuthn { agent, name, .. } => {
            item.insert("agent".to_owned(), json!(agent));
            if let Some(name) = name {
                item.insert("name".to_owned(), json!(name));
            }
        }
    }
    Value::Object(item)
}

/// The body of `POST /api/my-account/mfa-verifications`, read.
enum NewFactor {
    WebAuthn {
        record_id: String,
        name: Option<String>,
    },
    Totp {
        secret: String,
        code: Option<String>,
    },
    BackupCode {
        codes: Vec<String>,
    },
}

/// `POST /api/my-account/mfa-verifications`.
pub(crate) async fn add_factor(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let new = read_new_factor(&mut guard, object);
    guard.finish()?;
    let Some(new) = new else {
        return Err(errors::internal());
    };

    caller.require_identity_verified()?;
    let editable = match new {
        NewFactor::WebAuthn { .. } => state.account_center.passkey_editable(),
        _ => state.account_center.editable(crate::Field::Mfa),
    };
    if !editable {
        return Err(errors::field_not_editable());
    }
    caller.require_scope(SCOPE, StatusCode::UNAUTHORIZED)?;
    let user = user_of(&state, &caller)?;
    let kind = match new {
        NewFactor::WebAuthn { .. } => MfaFactor::WebAuthn,
        NewFactor::Totp { .. } => MfaFactor::Totp,
        NewFactor::BackupCode { .. } => MfaFactor::BackupCode,
    };
    if !state.mfa_factors.contains(&kind) {
        return Err(errors::mfa_factor_not_enabled());
    }
    let bound = match new {
        NewFactor::Totp { secret, code } => {
            if user
                .mfa_factors
                .iter()
                .any(|f| f.factor() == MfaFactor::Totp)
            {
                return Err(errors::totp_already_in_use());
            }
            check_totp(&state, &secret, code.as_deref())?;
            BoundFactorKind::Totp { secret }
        }
        NewFactor::BackupCode { codes } => {
            let unused_left = user.mfa_factors.iter().any(|f| {
                matches!(&f.kind, BoundFactorKind::BackupCode { codes }
                    if codes.iter().any(|(_, used)| used.is_none()))
            });
            if unused_left {
                return Err(errors::backup_code_already_in_use());
            }
            if user
                .mfa_factors
                .iter()
                .all(|f| f.factor() == MfaFactor::BackupCode)
            {
                return Err(errors::backup_code_can_not_be_alone());
            }
            let well_formed = codes.len() == 10
                && codes
                    .iter()
                    .all(|code| code.len() == 10 && code.bytes().all(|b| b.is_ascii_hexdigit()));
            if !well_formed {
                return Err(errors::wrong_backup_code_format());
            }
            BoundFactorKind::BackupCode {
                codes: codes.into_iter().map(|code| (code, None)).collect(),
            }
        }
        NewFactor::WebAuthn { record_id, name } => {
            let credential_id = state
                .active_record(&record_id)
                .filter(|record| record.user_id.as_deref() == Some(caller.user_id.as_str()))
                .and_then(|record| match &record.kind {
                    RecordKind::WebAuthn {
                        credential_id: Some(id),
                        ..
                    } => Some(id.clone()),
                    _ => None,
                })
                .ok_or_else(errors::verification_record_not_found)?;
            let agent = headers
                .get(header::USER_AGENT)
                .and_then(|agent| agent.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            BoundFactorKind::WebAuthn {
                credential_id,
                agent,
                name,
            }
        }
    };
    bind(&mut state, &caller, bound, false)?;
    Ok(no_content())
}

/// Reads the zod discriminated union on `type`.
fn read_new_factor(guard: &mut Guard, object: &Map<String, Value>) -> Option<NewFactor> {
    match object.get("type").and_then(Value::as_str) {
        Some("WebAuthn") => {
            let record_id = guard.string(object, &["newIdentifierVerificationRecordId"], &[]);
            let name = guard.optional_string(object, &["name"], &[]);
            Some(NewFactor::WebAuthn { record_id, name })
        }
        Some("Totp") => {
            let secret = guard.string(object, &["secret"], &[]);
            let code = guard.optional_string(object, &["code"], &[]);
            Some(NewFactor::Totp { secret, code })
        }
        Some("BackupCode") => {
            let codes = guard.string_array(object, &["codes"]);
            Some(NewFactor::BackupCode { codes })
        }
        _ => {
            guard.invalid_discriminator(&["type"], &["WebAuthn", "Totp", "BackupCode"]);
            None
        }
    }
}

/// The secret's shape, then the code if one was sent (an empty code is
/// not checked, as in Logto).
fn check_totp(state: &EmulatorState, secret: &str, code: Option<&str>) -> Result<(), ApiError> {
    if !totp::secret_is_valid(secret) {
        return Err(errors::totp_secret_invalid());
    }
    if let Some(code) = code.filter(|code| !code.is_empty())
        && !totp::code_is_valid(secret, code, state.now())
    {
        return Err(errors::invalid_totp_code());
    }
    Ok(())
}

/// Stores a new factor with a fresh id; `replace_totp` swaps the current
/// TOTP factor in its place instead of appending.
fn bind(
    state: &mut EmulatorState,
    caller: &Caller,
    kind: BoundFactorKind,
    replace_totp: bool,
) -> Result<(), ApiError> {
    let factor = BoundFactor {
        id: ids::record_id(),
        created_at: state.now(),
        kind,
    };
    update_user(state, caller, |user| {
        let current = user
            .mfa_factors
            .iter()
            .position(|f| f.factor() == MfaFactor::Totp);
        match current {
            Some(index) if replace_totp => user.mfa_factors[index] = factor,
            _ => user.mfa_factors.push(factor),
        }
    })?;
    Ok(())
}

/// `PUT /api/my-account/mfa-verifications/totp`: binds or replaces TOTP.
pub(crate) async fn replace_totp(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let secret = guard.string(object, &["secret"], &[]);
    let code = guard.string(object, &["code"], &[]);
    guard.finish()?;

    caller.require_identity_verified()?;
    if !state.account_center.editable(crate::Field::Mfa) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope(SCOPE, StatusCode::UNAUTHORIZED)?;
    if !state.mfa_factors.contains(&MfaFactor::Totp) {
        return Err(errors::mfa_factor_not_enabled());
    }
    if !totp::secret_is_valid(&secret) {
        return Err(errors::totp_secret_invalid());
    }
    if !totp::code_is_valid(&secret, &code, state.now()) {
        return Err(errors::invalid_totp_code());
    }
    bind(&mut state, &caller, BoundFactorKind::Totp { secret }, true)?;
    Ok(no_content())
}

/// `POST .../totp-secret/generate`: no verification, scope or field.
pub(crate) async fn generate_totp_secret(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    begin(&state, &headers)?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"secret": totp::new_secret()}),
    ))
}

/// `POST .../backup-codes/generate`: no verification, scope or field.
pub(crate) async fn generate_backup_codes(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    begin(&state, &headers)?;
    let codes: Vec<String> = (0..10).map(|_| ids::backup_code()).collect();
    Ok(json_response(StatusCode::OK, &json!({ "codes": codes })))
}

/// `GET .../backup-codes`: 404 when the user has none; no field gate.
pub(crate) async fn backup_codes(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let caller = begin(&state, &headers)?;
    caller.require_identity_verified()?;
    caller.require_scope(SCOPE, StatusCode::UNAUTHORIZED)?;
    let user = user_of(&state, &caller)?;
    let Some(codes) = user.mfa_factors.iter().find_map(|f| match &f.kind {
        BoundFactorKind::BackupCode { codes } => Some(codes),
        _ => None,
    }) else {
        return Err(errors::verification_record_not_found_with(
            StatusCode::NOT_FOUND,
        ));
    };
    // An unused code has no `usedAt` key at all.
    let codes: Vec<Value> = codes
        .iter()
        .map(|(code, used_at)| match used_at {
            Some(at) => json!({"code": code, "usedAt": iso(*at)}),
            None => json!({ "code": code }),
        })
        .collect();
    Ok(json_response(StatusCode::OK, &json!({ "codes": codes })))
}

/// `PATCH .../{verificationId}/name`: WebAuthn keys only; 200 `OK` as
/// plain text, Koa's body for a 200 without one.
pub(crate) async fn rename_factor(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let factor_id = path_parameter(&uri, 2);
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let new_name = guard.string(object, &["name"], &[]);
    guard.finish()?;

    caller.require_identity_verified()?;
    if !state.account_center.passkey_editable() {
        return Err(errors::field_not_editable());
    }
    caller.require_scope(SCOPE, StatusCode::UNAUTHORIZED)?;
    let is_key = user_of(&state, &caller)?
        .mfa_factors
        .iter()
        .any(|f| f.id == factor_id && f.factor() == MfaFactor::WebAuthn);
    if !is_key {
        return Err(errors::verification_record_not_found());
    }
    update_user(&mut state, &caller, |user| {
        for factor in &mut user.mfa_factors {
            if let BoundFactorKind::WebAuthn { name, .. } = &mut factor.kind
                && factor.id == factor_id
            {
                *name = Some(new_name.clone());
            }
        }
    })?;
    let mut response = (StatusCode::OK, "OK").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(response)
}

/// `DELETE .../{verificationId}`: the field checked is the factor's own.
pub(crate) async fn remove_factor(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let factor_id = path_parameter(&uri, 1);
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    caller.require_identity_verified()?;
    caller.require_scope(SCOPE, StatusCode::UNAUTHORIZED)?;
    let Some(kind) = user_of(&state, &caller)?
        .mfa_factors
        .iter()
        .find(|f| f.id == factor_id)
        .map(BoundFactor::factor)
    else {
        return Err(errors::verification_record_not_found());
    };
    let editable = match kind {
        MfaFactor::WebAuthn => state.account_center.passkey_editable(),
        _ => state.account_center.editable(crate::Field::Mfa),
    };
    if !editable {
        return Err(errors::field_not_editable());
    }
    update_user(&mut state, &caller, |user| {
        user.mfa_factors.retain(|f| f.id != factor_id);
    })?;
    Ok(no_content())
}

/// The path segment `from_end` places before the end (1 = the last),
/// percent-decoded like koa-router does.
fn path_parameter(uri: &Uri, from_end: usize) -> String {
    let path = uri.path();
    let path = path.strip_suffix('/').unwrap_or(path);
    let raw = path.rsplit('/').nth(from_end - 1).unwrap_or_default();
    crate::account_routes::percent_decode(raw).unwrap_or_else(|| raw.to_owned())
}
