//! Uploading an avatar image to the tenant's storage.
//!
//! progenitor generates no multipart body, so this module builds the
//! request itself and sends it through [`AccountClient::send_built`]: the
//! same client, token, retries, limits and error mapping as every call.

use logto_account_api::types;
use progenitor_client::ClientInfo;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::{AccountClient, Error};

/// The largest image Logto accepts (20 MB); a larger one is refused locally.
pub const MAX_AVATAR_BYTES: usize = 20 * 1024 * 1024;

/// The image types Logto accepts for an avatar.
const ALLOWED_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
];

/// The multipart boundary: it cannot occur in the part's headers, and a
/// body that contained it would only end the part early, which Logto would
/// refuse, so a fixed one is enough.
const BOUNDARY: &str = "logto-account-avatar-7f3c9a51e2d84b06";

impl AccountClient {
    /// Uploads an image and returns the URL it is served at
    /// (`POST /api/my-account/user-assets/avatar`, multipart field `file`).
    /// It does not change the avatar: set the URL with
    /// [`update_profile`](Self::update_profile).
    ///
    /// `content_type` must be `image/jpeg`, `image/png`, `image/gif`,
    /// `image/webp` or `image/bmp` and the image at most
    /// [`MAX_AVATAR_BYTES`]; otherwise [`Error::InvalidInput`] and nothing
    /// is sent.
    ///
    /// Needs the `profile` scope (else 401 `auth.unauthorized`,
    /// [`Error::is_missing_scope`]) and the account center's `avatar` field
    /// editable (else 400 [`FieldNotEditable`](crate::ErrorCode::FieldNotEditable)).
    /// No identity verification. Errors: 400
    /// [`StorageNotConfigured`](crate::ErrorCode::StorageNotConfigured) when
    /// the tenant has no storage provider, 500
    /// [`StorageUploadError`](crate::ErrorCode::StorageUploadError).
    ///
    /// ```no_run
    /// # async fn run(client: logto_account::AccountClient, png: Vec<u8>) -> Result<(), logto_account::Error> {
    /// use logto_account::AccountUpdate;
    ///
    /// let url = client.upload_avatar("image/png", png).await?;
    /// client.update_account(&AccountUpdate::new().avatar(url)).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_avatar(
        &self,
        content_type: &str,
        image: impl Into<Vec<u8>>,
    ) -> Result<String, Error> {
        let image = image.into();
        let content_type = allowed_type(content_type)?;
        if image.len() > MAX_AVATAR_BYTES {
            return Err(Error::invalid_input(
                "avatar",
                format!("is larger than {MAX_AVATAR_BYTES} bytes"),
            ));
        }
        let url = format!("{}/api/my-account/user-assets/avatar", self.api().baseurl());
        let request = self
            .api()
            .client()
            .post(url)
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(
                reqwest::header::ACCEPT,
                HeaderValue::from_static("application/json"),
            )
            .body(multipart_body(content_type, &image))
            .build()
            .map_err(|error| Error::invalid_input("request", error.to_string()))?;
        let upload: types::AvatarUpload = self
            .send_built(request, "upload_account_avatar", &[400, 401, 403, 500])
            .await
            .map_err(Error::on_route_refusing_scope_with_401)?;
        Ok(upload.url)
    }
}

/// The allowed type `content_type` names (parameters and case ignored).
fn allowed_type(content_type: &str) -> Result<&'static str, Error> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    ALLOWED_TYPES
        .iter()
        .find(|allowed| **allowed == essence)
        .copied()
        .ok_or_else(|| {
            Error::invalid_input(
                "avatar content type",
                "must be image/jpeg, image/png, image/gif, image/webp or image/bmp",
            )
        })
}

/// One `file` part: the bytes as they are, no encoding.
fn multipart_body(content_type: &str, image: &[u8]) -> Vec<u8> {
    let extension = content_type.trim_start_matches("image/");
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"avatar.{extension}\"\r\nContent-Type: {content_type}\r\n\r\n"
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let mut body = Vec::with_capacity(head.len() + image.len() + tail.len());
    body.extend_from_slice(head.as_bytes());
    body.extend_from_slice(image);
    body.extend_from_slice(tail.as_bytes());
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_boundary_the_body_uses() {
        let body = multipart_body("image/png", b"PNG");
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{BOUNDARY}\r\n")));
        assert!(text.ends_with(&format!("\r\n--{BOUNDARY}--\r\n")));
        assert!(text.contains("Content-Type: image/png\r\n\r\nPNG\r\n"));
    }

    #[test]
    fn only_the_five_image_types_are_allowed() {
        assert_eq!(allowed_type("IMAGE/PNG; x=y").ok(), Some("image/png"));
        assert!(allowed_type("image/svg+xml").is_err());
        assert!(allowed_type("text/plain").is_err());
    }
}
