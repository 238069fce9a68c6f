//! `/api/verifications/*`: creating and verifying the records that prove
//! the user's identity or a new identifier. No scope beyond `openid` is
//! needed here, but the account center's switch applies (facts §1).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::body::parse_body;
use crate::clock::iso;
use crate::errors::{self, ApiError, json_response};
use crate::guard::{Guard, Rule, UnionBranch};
use crate::ids;
use crate::outbox::{Channel, SentCode};
use crate::shared::{Shared, begin, user_of};
use crate::social::SocialProvider;
use crate::state::{RecordKind, SocialIdentity};

/// `POST /api/verifications/password`: checks the current password.
pub(crate) async fn create_by_password(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let password = guard.string(object, &["password"], &[Rule::MinLength(1)]);
    guard.finish()?;

    let user = user_of(&state, &caller)?;
    let correct = user
        .password
        .as_ref()
        .is_some_and(|stored| state.password_matches(stored, &password));
    if !correct {
        return Err(errors::invalid_credentials());
    }
    let id = state.insert_record(Some(caller.user_id.clone()), RecordKind::Password);
    Ok(created(&state, &id, Map::new()))
}

/// `POST /api/verifications/verification-code`: sends a code.
///
/// A code to the user's current email or phone proves their identity
/// (template `UserPermissionValidation`, or `BindMfa` if asked); any other
/// address is a new identifier (`BindNewIdentifier`, record without user).
pub(crate) async fn create_by_code(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let identifier = read_identifier(&mut guard, object);
    let template_type = read_template_type(&mut guard, object);
    guard.finish()?;
    let Some((channel, value)) = identifier else {
        return Err(errors::internal());
    };

    // The identifier is stored with the code: PostgreSQL refuses a NUL.
    if value.contains('\0') {
        return Err(errors::internal());
    }
    let user = user_of(&state, &caller)?;
    let current = match channel {
        Channel::Email => user.primary_email.as_deref(),
        Channel::Phone => user.primary_phone.as_deref(),
    };
    let (template, record_user) = if current == Some(value.as_str()) {
        (
            template_type.unwrap_or_else(|| "UserPermissionValidation".to_owned()),
            Some(caller.user_id.clone()),
        )
    } else {
        ("BindNewIdentifier".to_owned(), None)
    };
    let now = state.now();
    if state.outbox.limit_reached(&value, now) {
        return Err(errors::message_rate_limited());
    }
    let code = ids::verification_code();
    let id = state.insert_record(
        record_user,
        RecordKind::Code {
            channel,
            value: value.clone(),
            template: template.clone(),
            code: code.clone(),
            verified: false,
            failed_tries: 0,
        },
    );
    state.outbox.push(SentCode {
        to: value,
        channel,
        code,
        template,
        sent_at: now,
    });
    Ok(created(&state, &id, Map::new()))
}

/// Wrong codes Logto allows on one record before refusing every try.
const MAX_CODE_TRIES: u32 = 10;

/// `POST /api/verifications/verification-code/verify`: checks the code the
/// user received. Expiry is not extended.
pub(crate) async fn verify_code(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let identifier = read_identifier(&mut guard, object);
    let record_id = guard.string(object, &["verificationId"], &[]);
    let given_code = guard.string(object, &["code"], &[]);
    guard.finish()?;
    let Some((channel, value)) = identifier else {
        return Err(errors::internal());
    };

    let Some(RecordKind::Code {
        channel: record_channel,
        value: record_value,
        code,
        verified,
        failed_tries,
        ..
    }) = state
        .active_record_mut(&record_id)
        .map(|record| &mut record.kind)
    else {
        return Err(errors::verification_record_not_found());
    };
    if *record_channel != channel {
        return Err(errors::verification_record_not_found());
    }
    if *record_value != value {
        return Err(match channel {
            Channel::Email => errors::email_mismatch(),
            Channel::Phone => errors::phone_mismatch(),
        });
    }
    // Logto consumes a code once it verifies, so a verified record has no
    // code left to find, and neither does an empty guess.
    if given_code.is_empty() || *verified {
        return Err(errors::verification_code_not_found());
    }
    if *failed_tries >= MAX_CODE_TRIES {
        return Err(errors::exceed_max_try());
    }
    if *code != given_code {
        *failed_tries += 1;
        return Err(errors::code_mismatch());
    }
    *verified = true;
    Ok(verified_record(&record_id))
}

/// `POST /api/verifications/social`: starts a social sign-in with the fake
/// provider (see [`crate::social`]).
pub(crate) async fn create_by_social(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    // In the schema's key order, which is the order of the issues.
    let social_state = guard.string(object, &["state"], &[]);
    let redirect_uri = guard.string(object, &["redirectUri"], &[]);
    let connector_id = guard.string(object, &["connectorId"], &[]);
    let scope = guard.optional_string(object, &["scope"], &[]);
    guard.finish()?;

    let Some(target) = state.social.target(&connector_id).map(str::to_owned) else {
        return Err(errors::invalid_connector_id(&connector_id));
    };
    let authorization_uri = SocialProvider::authorization_uri(
        &shared.base_url,
        &connector_id,
        &social_state,
        &redirect_uri,
        scope.as_deref(),
    );
    let id = state.insert_record(
        None,
        RecordKind::Social {
            target,
            identity: None,
        },
    );
    let mut extra = Map::new();
    extra.insert("authorizationUri".to_owned(), json!(authorization_uri));
    Ok(created(&state, &id, extra))
}

/// `POST /api/verifications/social/verify`: takes the provider's callback
/// data (`{"code": ...}` for the fake provider).
pub(crate) async fn verify_social(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    // In the schema's key order, which is the order of the issues.
    let connector_data = guard
        .object(object.get("connectorData"), &["connectorData"])
        .cloned();
    let record_id = guard.string(object, &["verificationRecordId"], &[]);
    guard.finish()?;

    let Some(target) = state
        .active_record(&record_id)
        .and_then(|record| match &record.kind {
            RecordKind::Social { target, .. } => Some(target.clone()),
            _ => None,
        })
    else {
        return Err(errors::verification_record_not_found());
    };
    let code = connector_data
        .as_ref()
        .and_then(|data| data.get("code"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(social_user_id) = state.social.redeem(code, &target) else {
        return Err(errors::social_auth_code_invalid());
    };
    let identity = SocialIdentity {
        details: Map::from_iter([("id".to_owned(), json!(social_user_id))]),
        user_id: social_user_id,
    };
    if let Some(RecordKind::Social {
        identity: verified, ..
    }) = state
        .active_record_mut(&record_id)
        .map(|record| &mut record.kind)
    {
        *verified = Some((target, identity));
    }
    Ok(verified_record(&record_id))
}

/// The `identifier` of the code routes: a zod discriminated union on
/// `type`, an email object or a phone object.
fn read_identifier(guard: &mut Guard, object: &Map<String, Value>) -> Option<(Channel, String)> {
    let identifier = guard.object(object.get("identifier"), &["identifier"])?;
    let (channel, rules): (Channel, &[Rule]) = match identifier.get("type").and_then(Value::as_str)
    {
        Some("email") => (
            Channel::Email,
            &[Rule::MaxLength(256), Rule::Pattern("VerificationCodeEmail")],
        ),
        Some("phone") => (Channel::Phone, &[Rule::Pattern("PhoneNumber")]),
        _ => {
            guard.invalid_discriminator(&["identifier", "type"], &["email", "phone"]);
            return None;
        }
    };
    let value = guard.string(identifier, &["identifier", "value"], rules);
    Some((channel, value))
}

/// The optional `templateType`: a zod union of two literals.
fn read_template_type(guard: &mut Guard, object: &Map<String, Value>) -> Option<String> {
    object.get("templateType")?;
    let branch = |template: &'static str| {
        Box::new(move |attempt: &mut Guard| {
            attempt.literal(object, &["templateType"], template);
            Some(template.to_owned())
        }) as UnionBranch<'_, String>
    };
    guard.union(
        &["templateType"],
        vec![branch("BindMfa"), branch("UserPermissionValidation")],
    )
}

/// 201 with the record id, any `extra` keys and the expiry, in Logto's key
/// order.
/// The answer to a verify route: 200 with the record's id, the same record
/// now verified.
pub(crate) fn verified_record(record_id: &str) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "verificationRecordId": record_id }),
    )
}

fn created(state: &crate::state::State, id: &str, extra: Map<String, Value>) -> Response {
    let mut body = Map::from_iter([("verificationRecordId".to_owned(), json!(id))]);
    body.extend(extra);
    if let Some(record) = state.records.get(id) {
        body.insert("expiresAt".to_owned(), json!(iso(record.expires_at)));
    }
    json_response(StatusCode::CREATED, &Value::Object(body))
}
