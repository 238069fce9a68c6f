//! Request bodies as Logto's koa-body reads them (facts §12): which content
//! types it parses and how, its size limits (whose 413 Logto's error
//! handler turns into a plain-text 404), and `Content-Encoding`.

use std::io::Read;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use flate2::read::{GzDecoder, ZlibDecoder};
use serde_json::{Map, Value};

use crate::errors::{ApiError, internal};

/// koa-body's `jsonLimit`, 1 MB.
const JSON_LIMIT: usize = 1024 * 1024;
/// koa-body's `formLimit` and `textLimit`, 56 KB.
const FORM_AND_TEXT_LIMIT: usize = 56 * 1024;

/// The content types co-body parses as JSON.
const JSON_TYPES: [&str; 5] = [
    "application/json",
    "application/json-patch+json",
    "application/vnd.api+json",
    "application/csp-report",
    "application/reports+json",
];

/// How koa-body reads a body, by its declared content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Json,
    Form,
    Text,
    /// Not read at all: the body is `{}`.
    Ignored,
}

fn kind(headers: &HeaderMap) -> Kind {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if JSON_TYPES.contains(&media_type.as_str()) {
        Kind::Json
    } else if media_type == "application/x-www-form-urlencoded" {
        Kind::Form
    } else if media_type.starts_with("text/") {
        Kind::Text
    } else {
        Kind::Ignored
    }
}

/// Middleware: reads and inflates the body before any route, as koa-body
/// runs before Logto's routers. Over its limit: 404 `Not Found`; a body
/// declared compressed that does not inflate: 500; JSON that does not parse:
/// 400 with the parser's message, before authentication, as koa-body's
/// parse error reaches Logto's error handler before any router.
pub(crate) async fn read_body(request: Request, next: Next) -> Response {
    let body_kind = kind(request.headers());
    let limit = match body_kind {
        Kind::Json => JSON_LIMIT,
        Kind::Form | Kind::Text => FORM_AND_TEXT_LIMIT,
        Kind::Ignored => return next.run(request).await,
    };
    let (mut parts, body) = request.into_parts();
    let encoding = parts
        .headers
        .get(header::CONTENT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.trim().to_ascii_lowercase());
    // The compressed body may not be bigger than the inflated one may.
    let Ok(raw) = to_bytes(body, limit.saturating_add(1)).await else {
        return too_large();
    };
    let inflated = match encoding.as_deref() {
        None | Some("identity") => Ok(raw.to_vec()),
        Some("gzip") => inflate(GzDecoder::new(&raw[..]), limit),
        Some("deflate") => inflate(ZlibDecoder::new(&raw[..]), limit),
        // Others are passed on as they are.
        Some(_) => Ok(raw.to_vec()),
    };
    let inflated = match inflated {
        Ok(inflated) => inflated,
        Err(Failure::TooLarge) => return too_large(),
        Err(Failure::Corrupt) => return internal().into_response(),
    };
    if inflated.len() > limit {
        return too_large();
    }
    if matches!(body_kind, Kind::Json)
        && let Err(error) = parse_json(&inflated)
    {
        return error.into_response();
    }
    parts.headers.remove(header::CONTENT_ENCODING);
    if let Ok(length) = HeaderValue::from_str(&inflated.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, length);
    }
    next.run(Request::from_parts(parts, Body::from(inflated)))
        .await
}

enum Failure {
    TooLarge,
    Corrupt,
}

fn inflate(decoder: impl Read, limit: usize) -> Result<Vec<u8>, Failure> {
    let mut inflated = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    decoder
        .take(cap)
        .read_to_end(&mut inflated)
        .map_err(|_| Failure::Corrupt)?;
    if inflated.len() > limit {
        return Err(Failure::TooLarge);
    }
    Ok(inflated)
}

/// What Logto answers for koa-body's 413.
fn too_large() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// The parsed body a route's guard sees: JSON for the JSON types (an empty
/// body is `{}`, a malformed one 400 with the parser's message and no
/// code), form fields as an object of strings, `text/*` as a string, and
/// `{}` for anything else.
pub(crate) fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    match kind(headers) {
        Kind::Json => parse_json(body),
        Kind::Form => Ok(parse_form(body)),
        Kind::Text => Ok(Value::String(String::from_utf8_lossy(body).into_owned())),
        Kind::Ignored => Ok(Value::Object(Map::new())),
    }
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ (Value::Object(_) | Value::Array(_))) => Ok(value),
        Ok(_) => Err(ApiError::malformed_json(
            "invalid JSON, only supports object and array",
        )),
        Err(error) => Err(ApiError::malformed_json(error.to_string())),
    }
}

/// `a=1&b=2` as `{"a":"1","b":"2"}`; a repeated key collects an array, as
/// `qs` does.
fn parse_form(body: &[u8]) -> Value {
    let mut fields = Map::new();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = Value::String(value.into_owned());
        match fields.get_mut(key.as_ref()) {
            Some(Value::Array(values)) => values.push(value),
            Some(existing) => *existing = Value::Array(vec![existing.take(), value]),
            None => {
                fields.insert(key.into_owned(), value);
            }
        }
    }
    Value::Object(fields)
}
