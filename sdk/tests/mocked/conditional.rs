//! GetProfile with `If-None-Match`: the exact request, and Logto's 304 as
//! the facts describe it (ETag and request id, no body, no content type).

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{AccountPoll, ETag, Error};
use serde_json::json;

const TAG: &str = "\"17a-xRovKVkXkaN3TZ/rFbdHyRgB0nc\"";

#[tokio::test]
async fn a_matching_tag_is_sent_and_a_304_reads_as_unchanged() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account").header("if-none-match", TAG);
            then.status(304)
                .header("etag", TAG)
                .header("logto-core-request-id", REQUEST_ID);
        })
        .await;

    let polled = client.account_if_changed(&ETag::new(TAG)).await.unwrap();

    mock.assert_async().await;
    assert_eq!(polled, AccountPoll::Unchanged);
}

#[tokio::test]
async fn a_200_gives_the_account_with_its_tag() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account").header("if-none-match", "\"old\"");
            logto_json(then, 200, json!({"id": "n25n9482fsgh", "name": "Ada"})).header("etag", TAG);
        })
        .await;

    let polled = client
        .account_if_changed(&ETag::new("\"old\""))
        .await
        .unwrap();

    mock.assert_async().await;
    let AccountPoll::Changed(tagged) = polled else {
        panic!("a 200 is a changed account");
    };
    assert_eq!(tagged.account.id, "n25n9482fsgh");
    assert_eq!(tagged.account.name.as_deref(), Some("Ada"));
    assert_eq!(tagged.etag, Some(ETag::new(TAG)));
}

#[tokio::test]
async fn a_plain_read_sends_no_tag_and_takes_none_from_an_untagged_answer() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account").header_missing("if-none-match");
            logto_json(then, 200, json!({"id": "n25n9482fsgh"}));
        })
        .await;

    let tagged = client.account_tagged().await.unwrap();

    mock.assert_async().await;
    assert_eq!(tagged.account.id, "n25n9482fsgh");
    assert_eq!(tagged.etag, None);
}

#[tokio::test]
async fn a_304_to_a_read_without_a_tag_is_an_unexpected_response() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            then.status(304)
                .header("etag", TAG)
                .header("logto-core-request-id", REQUEST_ID);
        })
        .await;

    let error = client.account().await.unwrap_err();

    let Error::UnexpectedResponse {
        status,
        content_type,
        body,
        request_id,
    } = error
    else {
        panic!("expected an unexpected response, got {error:?}");
    };
    assert_eq!(status.as_u16(), 304);
    assert_eq!(content_type, None);
    assert_eq!(body, "");
    assert_eq!(request_id.as_deref(), Some(REQUEST_ID));
}
