//! UploadAccountAvatar (multipart, sent by the facade itself).

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{Error, ErrorCode, MAX_AVATAR_BYTES};
use serde_json::json;

#[tokio::test]
async fn upload_avatar_sends_one_file_part_and_returns_the_url() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/user-assets/avatar")
                .header_matches("content-type", "^multipart/form-data; boundary=")
                .body_includes("Content-Disposition: form-data; name=\"file\"; filename=\"avatar.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n");
            logto_json(then, 200, json!({"url": "https://cdn.example.com/a.png"}));
        })
        .await;
    let url = client
        .upload_avatar("image/png", b"PNGDATA".to_vec())
        .await
        .unwrap();
    assert_eq!(url, "https://cdn.example.com/a.png");
    mock.assert_async().await;
}

#[tokio::test]
async fn upload_avatar_without_storage_is_storage_not_configured() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, POST, "/api/my-account/user-assets/avatar");
            logto_json(
                then,
                400,
                json!({"code":"storage.not_configured","message":"Storage provider is not configured."}),
            );
        })
        .await;
    let error = client
        .upload_avatar("image/png", b"PNG".to_vec())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::StorageNotConfigured));
}

#[tokio::test]
async fn upload_avatar_of_another_type_or_too_large_sends_nothing() {
    let (server, client) = setup().await;
    let any = catch_all(&server).await;
    let error = client
        .upload_avatar("text/plain", b"hi".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidInput {
            field: "avatar content type",
            ..
        }
    ));
    let error = client
        .upload_avatar("image/png", vec![0; MAX_AVATAR_BYTES + 1])
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidInput {
            field: "avatar",
            ..
        }
    ));
    any.assert_calls_async(0).await;
}
