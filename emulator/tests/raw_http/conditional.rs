//! A conditional GET of the account is answered as Logto 1.42.0 answers it
//! (facts 6b): 304 with the ETag and a request id, and no body, content type
//! or content length.

use crate::common::*;

#[tokio::test]
async fn a_304_has_the_etag_and_a_request_id_but_no_content_headers() {
    let fixture = setup().await;
    let url = format!("{}/api/my-account", fixture.emulator.base_url());
    let first = fixture
        .http
        .get(&url)
        .bearer_auth(&fixture.token)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();

    let response = fixture
        .http
        .get(&url)
        .bearer_auth(&fixture.token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 304);
    let headers = response.headers();
    assert_eq!(headers["etag"], etag.as_str());
    let request_id = headers["logto-core-request-id"].to_str().unwrap();
    assert_eq!(request_id.len(), 16);
    assert!(headers.get("content-type").is_none());
    assert!(headers.get("content-length").is_none());
    assert!(response.bytes().await.unwrap().is_empty());
}
