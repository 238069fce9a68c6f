//! `/api/my-account`: reading and changing the caller's own account.
//!
//! Each handler runs Logto's checks in Logto's order (facts §5.1), because
//! the order decides which error a client sees when several apply.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::account_center::{AccountCenter, Field};
use crate::auth::Caller;
use crate::body::parse_body;
use crate::errors::{self, ApiError, json_response, json_text_response};
use crate::guard::{Guard, Rule};
use crate::jsonb;
use crate::outbox::Channel;
use crate::password_policy::{self, UserInfo};
use crate::shared::{Shared, begin, no_content, update_user, user_of};
use crate::state::{RecordKind, User};
use crate::username_policy;

/// The string claims of `profile`, in Logto's order.
const PROFILE_CLAIMS: [&str; 11] = [
    "familyName",
    "givenName",
    "middleName",
    "nickname",
    "preferredUsername",
    "profile",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
];

/// The keys of `profile.address`.
const ADDRESS_CLAIMS: [&str; 6] = [
    "formatted",
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "country",
];

/// Column limits of the users table, in characters: a longer value fails at
/// the update with 422 `entity.value_too_long`.
/// (A username never gets there: the username policy stops it first.)
const NAME_LIMIT: usize = 128;
const AVATAR_LIMIT: usize = 2048;
const PRIMARY_IDENTIFIER_LIMIT: usize = 128;

/// The column limit `value` breaks, if any. PostgreSQL counts characters.
fn broken_limit(value: Option<&Option<String>>, limit: usize) -> Option<usize> {
    value
        .and_then(Option::as_ref)
        .is_some_and(|text| text.chars().count() > limit)
        .then_some(limit)
}

/// `GET /api/my-account`, with a strong `ETag` and conditional GET.
pub(crate) async fn get_account(
    State(shared): State<Shared>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    let caller = begin(&state, &headers)?;
    let user = user_of(&state, &caller)?;
    let body = scoped_account(user, &caller, &state.account_center).to_string();
    let etag = etag(&body);
    if if_none_match(&headers, &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        insert_etag(&mut response, &etag);
        return Ok(response);
    }
    let mut response = json_text_response(StatusCode::OK, body);
    // Logto sends no ETag on HEAD.
    if method != Method::HEAD {
        insert_etag(&mut response, &etag);
    }
    // koa-compress and @koa/cors both vary the answer (facts, 6a).
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Origin"),
    );
    Ok(response)
}

/// `PATCH /api/my-account`: name, avatar, username, custom data.
pub(crate) async fn update_account(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let name = guard.optional_nullable_string(object, &["name"], &[]);
    let avatar = guard.optional_nullable_string(object, &["avatar"], &[Rule::Url]);
    let username = guard.optional_nullable_string(
        object,
        &["username"],
        &[Rule::Pattern("ClearableUsername")],
    );
    let custom_data = guard.optional_object(object, &["customData"]);
    guard.finish()?;

    let sent = [
        (name.is_some(), Field::Name),
        (avatar.is_some(), Field::Avatar),
        (username.is_some(), Field::Username),
        (custom_data.is_some(), Field::CustomData),
    ];
    for (is_sent, field) in sent {
        if is_sent && !state.account_center.editable(field) {
            return Err(errors::field_not_editable());
        }
    }
    caller.require_scope("profile", StatusCode::BAD_REQUEST)?;
    if custom_data.is_some() {
        caller.require_scope("custom_data", StatusCode::BAD_REQUEST)?;
    }
    let user = user_of(&state, &caller)?;
    if let Some(username) = &username {
        caller.require_identity_verified()?;
        match username {
            None => {
                let mut without = user.clone();
                without.username = None;
                if !without.has_identifier() {
                    return Err(errors::last_sign_in_method_required());
                }
            }
            Some(username) => {
                if let Some(violation) = username_policy::violation(username) {
                    return Err(errors::username_policy(violation));
                }
                if state.username_taken(username, &caller.user_id) {
                    return Err(errors::username_already_in_use());
                }
            }
        }
    }
    if sent.iter().all(|(is_sent, _)| !is_sent) {
        return Err(errors::value_list_empty());
    }
    if let Some(limit) = broken_limit(name.as_ref(), NAME_LIMIT)
        .or_else(|| broken_limit(avatar.as_ref(), AVATAR_LIMIT))
    {
        return Err(errors::value_too_long(limit));
    }

    update_user(&mut state, &caller, |user| {
        if let Some(name) = name {
            user.name = name;
        }
        if let Some(avatar) = avatar {
            user.avatar = avatar;
        }
        if let Some(username) = username {
            user.username = username;
        }
        if let Some(custom_data) = custom_data {
            // Replaced whole, never merged.
            user.custom_data = custom_data;
        }
    })?;
    let user = user_of(&state, &caller)?;
    Ok(json_response(
        StatusCode::OK,
        &scoped_account(user, &caller, &state.account_center),
    ))
}

/// `PATCH /api/my-account/profile`: OpenID Connect claims, merged at the top
/// level (a sent `address` replaces the stored one whole).
pub(crate) async fn update_profile_claims(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let body = parse_body(&headers, &body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let mut claims = Map::new();
    for claim in PROFILE_CLAIMS {
        if let Some(value) = guard.optional_string(object, &[claim], &[]) {
            claims.insert(claim.to_owned(), Value::String(value));
        }
    }
    let address = match object.get("address") {
        None => None,
        Some(value) => guard.object(Some(value), &["address"]).map(|address| {
            let mut claims = Map::new();
            for claim in ADDRESS_CLAIMS {
                if let Some(value) = guard.optional_string(address, &["address", claim], &[]) {
                    claims.insert(claim.to_owned(), Value::String(value));
                }
            }
            claims
        }),
    };
    guard.finish()?;

    if !state.account_center.editable(Field::Profile) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope("profile", StatusCode::BAD_REQUEST)?;
    if address.is_some() {
        caller.require_scope("address", StatusCode::BAD_REQUEST)?;
    }
    let user = update_user(&mut state, &caller, |user| {
        user.profile.extend(claims);
        if let Some(address) = address {
            user.profile
                .insert("address".to_owned(), Value::Object(address));
        }
    })?;
    Ok(json_response(
        StatusCode::OK,
        &profile_claims(user, &caller),
    ))
}

/// `POST /api/my-account/password`.
pub(crate) async fn update_password(
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
    // A user with nothing to verify with may set a first password freely.
    if user.has_security_verification_method() {
        caller.require_identity_verified()?;
    }
    if !state.account_center.editable(Field::Password) {
        return Err(errors::field_not_editable());
    }
    let user_info = UserInfo {
        name: user.name.as_deref(),
        username: user.username.as_deref(),
        email: user.primary_email.as_deref(),
        phone: user.primary_phone.as_deref(),
    };
    let issues = password_policy::issues(&password, &user_info);
    if !issues.is_empty() {
        return Err(errors::password_rejected(issues));
    }
    if user
        .password
        .as_ref()
        .is_some_and(|current| state.password_matches(current, &password))
    {
        return Err(errors::same_password());
    }
    let digest = state.digest_password(&password);
    update_user(&mut state, &caller, |user| user.password = Some(digest))?;
    Ok(no_content())
}

/// `POST /api/my-account/primary-email`.
pub(crate) async fn update_primary_email(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    update_primary_identifier(&shared, &headers, &body, Channel::Email)
}

/// `POST /api/my-account/primary-phone`.
pub(crate) async fn update_primary_phone(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    update_primary_identifier(&shared, &headers, &body, Channel::Phone)
}

/// The two routes differ only in names, pattern and collision error.
fn update_primary_identifier(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
    channel: Channel,
) -> Result<Response, ApiError> {
    let (key, rule, field, scope) = identifier_route(channel);
    let mut state = shared.lock();
    let caller = begin(&state, headers)?;
    let body = parse_body(headers, body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let value = guard.string(object, &[key], &[rule]);
    let record_id = guard.string(object, &["newIdentifierVerificationRecordId"], &[]);
    guard.finish()?;

    caller.require_identity_verified()?;
    if !state.account_center.editable(field) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope(scope, StatusCode::BAD_REQUEST)?;
    let proves_new_identifier = state.active_record(&record_id).is_some_and(|record| {
        matches!(&record.kind, RecordKind::Code { channel: c, value: v, verified: true, .. }
            if *c == channel && *v == value)
    });
    if !proves_new_identifier {
        return Err(errors::verification_record_not_found());
    }
    let taken = match channel {
        Channel::Email => state.email_taken(&value, &caller.user_id),
        Channel::Phone => state.phone_taken(&value, &caller.user_id),
    };
    if taken {
        return Err(match channel {
            Channel::Email => errors::email_already_in_use(),
            Channel::Phone => errors::phone_already_in_use(),
        });
    }
    if value.chars().count() > PRIMARY_IDENTIFIER_LIMIT {
        return Err(errors::value_too_long(PRIMARY_IDENTIFIER_LIMIT));
    }
    update_user(&mut state, &caller, |user| match channel {
        Channel::Email => user.primary_email = Some(value),
        Channel::Phone => user.primary_phone = Some(value),
    })?;
    Ok(no_content())
}

/// `DELETE /api/my-account/primary-email`.
pub(crate) async fn delete_primary_email(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    delete_primary_identifier(&shared, &headers, Channel::Email)
}

/// `DELETE /api/my-account/primary-phone`.
pub(crate) async fn delete_primary_phone(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    delete_primary_identifier(&shared, &headers, Channel::Phone)
}

fn delete_primary_identifier(
    shared: &Shared,
    headers: &HeaderMap,
    channel: Channel,
) -> Result<Response, ApiError> {
    let (_, _, field, scope) = identifier_route(channel);
    let mut state = shared.lock();
    let caller = begin(&state, headers)?;
    caller.require_identity_verified()?;
    if !state.account_center.editable(field) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope(scope, StatusCode::BAD_REQUEST)?;
    let mut without = user_of(&state, &caller)?.clone();
    match channel {
        Channel::Email => without.primary_email = None,
        Channel::Phone => without.primary_phone = None,
    }
    if !without.has_identifier() {
        return Err(errors::last_sign_in_method_required());
    }
    update_user(&mut state, &caller, |user| *user = without)?;
    Ok(no_content())
}

/// Body key, pattern, account-center field and scope of the email or phone
/// routes.
fn identifier_route(channel: Channel) -> (&'static str, Rule, Field, &'static str) {
    match channel {
        Channel::Email => (
            "email",
            Rule::Pattern("EmailAddress"),
            Field::Email,
            "email",
        ),
        Channel::Phone => ("phone", Rule::Pattern("PhoneNumber"), Field::Phone, "phone"),
    }
}

/// `POST /api/my-account/identities`: links a verified social account.
pub(crate) async fn add_identity(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    link_identity(&shared, &headers, &body, false)
}

/// `PUT /api/my-account/identities`: like POST, but replaces the user's
/// identity for the target instead of refusing it.
pub(crate) async fn replace_identity(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    link_identity(&shared, &headers, &body, true)
}

fn link_identity(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
    replace: bool,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, headers)?;
    let body = parse_body(headers, body)?;
    let (mut guard, object) = Guard::root(&body)?;
    let record_id = guard.string(object, &["newIdentifierVerificationRecordId"], &[]);
    guard.finish()?;

    if !state.account_center.editable(Field::Social) {
        return Err(errors::field_not_editable());
    }
    // This route's missing-scope status is 401, unlike DELETE's 400.
    caller.require_scope("identities", StatusCode::UNAUTHORIZED)?;
    if user_of(&state, &caller)?.has_security_verification_method() {
        caller.require_identity_verified()?;
    }
    let Some((target, identity)) = state
        .active_record(&record_id)
        .and_then(|record| match &record.kind {
            RecordKind::Social {
                identity: Some(verified),
                ..
            } => Some(verified.clone()),
            _ => None,
        })
    else {
        return Err(errors::verification_record_not_found());
    };
    if state.social_identity_taken(&target, &identity.user_id, &caller.user_id) {
        return Err(errors::identity_already_in_use(
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let previous = user_of(&state, &caller)?.identities.get(&target).cloned();
    if previous.is_some() && !replace {
        return Err(errors::identity_already_in_use(StatusCode::BAD_REQUEST));
    }
    // A new social account for the target drops the old one's provider
    // tokens; the mock connector stores tokens for the new one.
    if previous.is_some_and(|previous| previous.user_id != identity.user_id) {
        state
            .provider_tokens
            .remove(&(caller.user_id.clone(), target.clone()));
    }
    crate::token_routes::store_provider_token(&mut state, &caller.user_id, &target);
    update_user(&mut state, &caller, |user| {
        user.identities.insert(target, identity);
    })?;
    Ok(no_content())
}

/// `DELETE /api/my-account/identities/{target}`.
pub(crate) async fn delete_identity(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let target = identity_target(&uri);
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    if !state.account_center.editable(Field::Social) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope("identities", StatusCode::BAD_REQUEST)?;
    let mut without = user_of(&state, &caller)?.clone();
    if without.has_security_verification_method() {
        caller.require_identity_verified()?;
    }
    if without.identities.remove(&target).is_none() {
        return Err(errors::identity_not_exist());
    }
    if !without.has_identifier() {
        return Err(errors::last_sign_in_method_required());
    }
    update_user(&mut state, &caller, |user| *user = without)?;
    Ok(no_content())
}

/// The `{target}` of `/api/my-account/identities/{target}`, percent-decoded
/// like koa-router does: a segment that does not decode is taken as is.
fn identity_target(uri: &Uri) -> String {
    path_segment_from_end(uri, 0)
}

/// The path segment `back` places before the last one, decoded as
/// koa-router decodes parameters.
pub(crate) fn path_segment_from_end(uri: &Uri, back: usize) -> String {
    let path = uri.path();
    let path = path.strip_suffix('/').unwrap_or(path);
    let raw = path.rsplit('/').nth(back).unwrap_or_default();
    percent_decode(raw).unwrap_or_else(|| raw.to_owned())
}

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not
/// UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The account as GET shows it to this caller: each field only with its
/// scope and, where the account center controls it, when readable.
fn scoped_account(user: &User, caller: &Caller, settings: &AccountCenter) -> Value {
    let mut account = Map::new();
    account.insert("id".to_owned(), json!(user.id));
    let mut show = |scope: &str, field: Option<Field>, key: &str, value: Value| {
        if caller.has_scope(scope) && field.is_none_or(|field| settings.readable(field)) {
            account.insert(key.to_owned(), value);
        }
    };
    show(
        "profile",
        Some(Field::Username),
        "username",
        json!(user.username),
    );
    show(
        "email",
        Some(Field::Email),
        "primaryEmail",
        json!(user.primary_email),
    );
    show(
        "phone",
        Some(Field::Phone),
        "primaryPhone",
        json!(user.primary_phone),
    );
    show("profile", Some(Field::Name), "name", json!(user.name));
    show("profile", Some(Field::Avatar), "avatar", json!(user.avatar));
    show(
        "custom_data",
        Some(Field::CustomData),
        "customData",
        jsonb::ordered(&Value::Object(user.custom_data.clone())),
    );
    let identities: Map<String, Value> = user
        .identities
        .iter()
        .map(|(target, identity)| {
            (
                target.clone(),
                json!({"userId": identity.user_id, "details": jsonb::ordered(&Value::Object(identity.details.clone()))}),
            )
        })
        .collect();
    show(
        "identities",
        Some(Field::Social),
        "identities",
        jsonb::ordered(&Value::Object(identities)),
    );
    show(
        "profile",
        None,
        "lastSignInAt",
        json!(user.last_sign_in_at.map(|t| t.timestamp_millis())),
    );
    show(
        "profile",
        None,
        "createdAt",
        json!(user.created_at.timestamp_millis()),
    );
    show(
        "profile",
        None,
        "updatedAt",
        json!(user.updated_at.timestamp_millis()),
    );
    show(
        "profile",
        Some(Field::Profile),
        "profile",
        profile_claims(user, caller),
    );
    show(
        "profile",
        None,
        "applicationId",
        json!(caller.application_id),
    );
    // Set only for clients identified by a metadata document URL, which the
    // emulator does not issue tokens to.
    show("profile", None, "cimdClientId", Value::Null);
    show("profile", None, "isSuspended", json!(false));
    show(
        "profile",
        Some(Field::Password),
        "hasPassword",
        json!(user.password.is_some()),
    );
    account.insert(
        "hasSecurityVerificationMethod".to_owned(),
        json!(user.has_security_verification_method()),
    );
    Value::Object(account)
}

/// The `profile` claims as Logto's response guard emits them: in the
/// schema's key order, `address` only with the `address` scope.
fn profile_claims(user: &User, caller: &Caller) -> Value {
    let mut claims = Map::new();
    for claim in PROFILE_CLAIMS {
        if let Some(value) = user.profile.get(claim) {
            claims.insert(claim.to_owned(), value.clone());
        }
    }
    if caller.has_scope("address")
        && let Some(Value::Object(address)) = user.profile.get("address")
    {
        let ordered: Map<String, Value> = ADDRESS_CLAIMS
            .iter()
            .filter_map(|claim| Some(((*claim).to_owned(), address.get(*claim)?.clone())))
            .collect();
        claims.insert("address".to_owned(), Value::Object(ordered));
    }
    Value::Object(claims)
}

/// A strong validator of the body, shaped like Logto's `"<hex length>-<hash>"`.
fn etag(body: &str) -> String {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:x}-{:016x}\"", body.len(), hasher.finish())
}

fn insert_etag(response: &mut Response, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
}

/// Whether `If-None-Match` matches: weak comparison, `*` matches anything.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_targets_decode_like_koa_router() {
        let target = |path: &str| identity_target(&path.parse::<Uri>().unwrap_or_default());
        assert_eq!(target("/api/my-account/identities/google"), "google");
        assert_eq!(target("/api/my-account/identities/google/"), "google");
        assert_eq!(target("/api/my-account/identities/my%20idp"), "my idp");
        assert_eq!(target("/api/my-account/identities/%FF"), "%FF");
        assert_eq!(target("/api/my-account/identities/50%"), "50%");
    }
}
