//! `POST /api/my-account/user-assets/avatar`, raw, against the facts' real
//! answers (§5 row 33, §5.1, §13). Unlike a Logto without storage, the
//! emulator stores the image and serves it at the URL it returns.

use crate::common::*;
use crate::gates::{Access, Check, Gates, assert_gate_order};
use logto_account_emulator::Field;
use reqwest::Method;
use serde_json::json;

const AVATAR: &str = "/api/my-account/user-assets/avatar";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n fake image";

async fn upload(fixture: &Fixture, body: Body) -> Answer {
    fixture
        .send_body(Method::POST, AVATAR, &fixture.token, None, body)
        .await
}

#[tokio::test]
async fn an_image_is_stored_and_served_at_the_returned_url() {
    let fixture = setup().await;
    let answer = upload(&fixture, multipart("file", "image/png", PNG)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.json();
    assert_eq!(keys(&body), ["url"]);
    let url = body["url"].as_str().unwrap();
    assert!(url.starts_with(fixture.emulator.base_url()), "{url}");
    let served = fixture.http.get(url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(&served.bytes().await.unwrap()[..], PNG);
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused() {
    let fixture = setup().await;
    upload(&fixture, multipart("file", "text/plain", b"hello"))
        .await
        .assert_error(
            400,
            json!({"code": "guard.mime_type_not_allowed", "message": "MIME type is not allowed."}),
        );
}

#[tokio::test]
async fn no_file_part_or_no_body_is_the_files_guard_error() {
    let fixture = setup().await;
    upload(&fixture, multipart("picture", "image/png", PNG))
        .await
        .assert_error(
            400,
            guard_error_in(
                "files",
                json!([{"code": "invalid_type", "expected": "array", "received": "undefined", "path": ["file"], "message": "Required"}]),
                "Error in key path \"file\": (invalid_type) Expected array but received undefined.",
            ),
        );
    upload(&fixture, Body::None).await.assert_error(
        400,
        guard_error_in(
            "files",
            json!([{"code": "invalid_type", "expected": "object", "received": "undefined", "path": [], "message": "Required"}]),
            "Error in key path \"\": (invalid_type) Expected object but received undefined.",
        ),
    );
}

#[tokio::test]
async fn uploading_checks_the_avatar_field_then_the_profile_scope_and_no_verification() {
    assert_gate_order(Gates {
        method: Method::POST,
        path: AVATAR,
        body: multipart("file", "image/png", PNG),
        field: Some((Field::Avatar, Access::Write)),
        scope: "profile",
        missing_scope: (401, unauthorized()),
        order: &[Check::Scope],
    })
    .await;
}
