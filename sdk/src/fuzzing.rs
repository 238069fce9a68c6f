//! Entry points for the fuzz targets in `fuzz/` (built with `--cfg fuzzing`).

use logto_account_api::types::{AccountResponse, ErrorBody};

use crate::Account;
use crate::error::ApiError;
use crate::redact::RequestSecrets;

/// Decodes bytes as an account, as a GET /api/my-account answer would be.
pub fn decode_account(bytes: &[u8]) {
    if let Ok(response) = serde_json::from_slice::<AccountResponse>(bytes) {
        let _ = Account::from_response(response);
    }
}

/// Decodes bytes as a Logto error body and reads everything users read.
pub fn decode_error(bytes: &[u8]) {
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(bytes) {
        let error = ApiError::from_body(
            reqwest::StatusCode::UNPROCESSABLE_ENTITY,
            body,
            None,
            &RequestSecrets::default(),
        );
        let _ = (
            error.password_issues(),
            error.input_issues(),
            error.to_string(),
        );
    }
    let _ = RequestSecrets::default().body_excerpt(bytes);
}
