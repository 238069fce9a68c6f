//! `POST /api/my-account/user-assets/avatar` (facts §5 row 33, §5.1, §13)
//! and the emulator's own storage, which serves an upload back at the URL
//! it returned.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::account_center::Field;
use crate::account_routes::path_segment_from_end;
use crate::errors::{self, ApiError, json_response};
use crate::guard::Guard;
use crate::shared::{Shared, begin};

/// Logto's upload limit (20 MB).
pub(crate) const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

const ALLOWED_TYPES: [&str; 5] = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
];

/// One multipart part named `file`: its content type and bytes.
struct FilePart {
    content_type: String,
    bytes: Vec<u8>,
}

/// `POST /api/my-account/user-assets/avatar`.
pub(crate) async fn upload_avatar(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    let caller = begin(&state, &headers)?;
    let file = files_guard(&headers, &body)?;
    if !state.account_center.editable(Field::Avatar) {
        return Err(errors::field_not_editable());
    }
    caller.require_scope("profile", StatusCode::UNAUTHORIZED)?;
    let essence = file
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some(content_type) = ALLOWED_TYPES.iter().find(|allowed| **allowed == essence) else {
        return Err(errors::mime_type_not_allowed());
    };
    if file.bytes.len() > MAX_UPLOAD_BYTES {
        return Err(errors::file_size_exceeded());
    }
    let id = crate::ids::record_id();
    let extension = content_type.trim_start_matches("image/");
    let url = format!("{}/user-assets/{id}/avatar.{extension}", shared.base_url);
    state
        .assets
        .insert(id, ((*content_type).to_owned(), file.bytes));
    Ok(json_response(StatusCode::OK, &json!({ "url": url })))
}

/// `GET /user-assets/{id}/{name}`: an uploaded image, as stored.
pub(crate) async fn serve_asset(State(shared): State<Shared>, uri: Uri) -> Response {
    let id = path_segment_from_end(&uri, 1);
    let state = shared.lock();
    match state.assets.get(&id) {
        Some((content_type, bytes)) => {
            let mut response = bytes.clone().into_response();
            if let Ok(value) = HeaderValue::from_str(content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        None => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

/// koa-body's view of the request's files: no multipart body is
/// `expected: object` at the root, no `file` part `expected: array` at
/// `["file"]`, both as "The request files is invalid.".
fn files_guard(headers: &HeaderMap, body: &[u8]) -> Result<FilePart, ApiError> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .filter(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
        .and_then(|value| {
            value
                .split(';')
                .filter_map(|parameter| parameter.trim().strip_prefix("boundary="))
                .next()
                .map(|boundary| boundary.trim_matches('"').to_owned())
        });
    let mut guard = Guard::default();
    let Some(boundary) = boundary.filter(|_| !body.is_empty()) else {
        guard.invalid_type_at(&[], "object");
        return Err(guard
            .finish_for("files")
            .err()
            .unwrap_or_else(errors::internal));
    };
    match file_part(body, &boundary) {
        Some(file) => Ok(file),
        None => {
            guard.invalid_type_at(&["file"], "array");
            Err(guard
                .finish_for("files")
                .err()
                .unwrap_or_else(errors::internal))
        }
    }
}

/// The part named `file` of a multipart body, if there is one.
fn file_part(body: &[u8], boundary: &str) -> Option<FilePart> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut rest = body;
    while let Some(start) = find(rest, delimiter) {
        rest = &rest[start + delimiter.len()..];
        let part_end = find(rest, delimiter).unwrap_or(rest.len());
        let part = rest[..part_end]
            .strip_prefix(b"\r\n")
            .unwrap_or(&rest[..part_end]);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let head_end = find(part, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&part[..head_end]).to_ascii_lowercase();
        let is_file = head
            .lines()
            .any(|line| line.starts_with("content-disposition:") && line.contains("name=\"file\""));
        if is_file {
            let content_type = head
                .lines()
                .find_map(|line| line.strip_prefix("content-type:"))
                .map(|value| value.trim().to_owned())
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            return Some(FilePart {
                content_type,
                bytes: part[head_end + 4..].to_vec(),
            });
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
