//! Building the client, answers that are not Logto errors, and redaction.

use crate::common::*;
use httpmock::prelude::*;
use logto_account::{
    AccessToken, AccountClient, CodeDestination, Error, Password, PendingCode, VerificationCode,
    VerificationRecordId, VerifiedEmail,
};
use serde_json::json;

#[test]
fn the_client_is_clone_send_and_sync_and_errors_cross_threads() {
    fn client_traits<T: Clone + Send + Sync + 'static>() {}
    fn error_traits<T: std::error::Error + Send + Sync + 'static>() {}
    client_traits::<AccountClient>();
    error_traits::<Error>();
}

#[test]
fn an_endpoint_that_is_not_an_http_url_fails_when_building() {
    for bad in [
        "not a url",
        "ftp://logto.example.com",
        "https://logto.example.com/?tenant=x",
        "https://user:secret@logto.example.com",
        "logto.example.com",
    ] {
        let error = AccountClient::new(bad, AccessToken::new(TOKEN)).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    field: "endpoint",
                    ..
                }
            ),
            "{bad}: {error:?}"
        );
    }
}

#[test]
fn an_empty_or_multiline_token_fails_when_building() {
    for bad in ["", "abc\r\nX-Injected: 1", "tab\u{1}"] {
        let error =
            AccountClient::new("https://logto.example.com", AccessToken::new(bad)).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    field: "access_token",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(!error.to_string().contains("abc"), "{error}");
    }
}

#[tokio::test]
async fn an_undeclared_success_status_keeps_its_content_type_and_request_id() {
    // A 2xx the operation does not declare is not decoded; the error still
    // names its content type and request id.
    answer_is_unexpected_response(202, "text/plain", "queued").await;
}

/// Answers `GET /api/my-account` with `status`, `content_type` and `body`
/// (and a request id), and checks that the account read fails with an
/// `UnexpectedResponse` naming all four.
async fn answer_is_unexpected_response(status: u16, content_type: &str, body: &str) {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            then.status(status)
                .header("content-type", content_type)
                .header("logto-core-request-id", REQUEST_ID)
                .body(body);
        })
        .await;

    let error = client.account().await.unwrap_err();

    match error {
        Error::UnexpectedResponse {
            status: got_status,
            content_type: got_content_type,
            body: got_body,
            request_id,
        } => {
            assert_eq!(got_status.as_u16(), status);
            assert_eq!(got_content_type.as_deref(), Some(content_type));
            assert_eq!(got_body, body);
            assert_eq!(request_id.as_deref(), Some(REQUEST_ID));
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_trailing_slash_on_the_endpoint_does_not_double_the_path() {
    let server = MockServer::start_async().await;
    let client =
        AccountClient::new(&format!("{}/", server.base_url()), AccessToken::new(TOKEN)).unwrap();
    let mock = server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(then, 200, json!({"id": "u1"}));
        })
        .await;

    client.account().await.unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn an_unknown_route_answer_is_an_unexpected_response_not_a_logto_json() {
    // Logto answers unknown paths with text/plain `Not Found` (e.g. when the
    // endpoint wrongly ends in /api).
    answer_is_unexpected_response(404, "text/plain; charset=utf-8", "Not Found").await;
}

#[tokio::test]
async fn an_internal_error_without_code_is_an_api_error_with_no_code() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(then, 500, json!({"message": "Internal server error."}));
        })
        .await;

    let error = client.account().await.unwrap_err();

    let api = error.api_error().unwrap();
    assert_eq!(api.status().as_u16(), 500);
    assert_eq!(api.code(), None);
    assert_eq!(api.message(), "Internal server error.");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_keeping_the_body() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            then.status(200)
                .header("content-type", "application/json")
                .body("{\"id\": \"u1\", ");
        })
        .await;

    let error = client.account().await.unwrap_err();

    match error {
        Error::Decode {
            status,
            body,
            reason,
        } => {
            assert_eq!(status, Some(reqwest::StatusCode::OK));
            assert_eq!(body, "{\"id\": \"u1\", ");
            assert_eq!(reason, "EOF while parsing a value at line 1 column 13");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_huge_undecodable_body_is_kept_only_in_part() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            then.status(200).body("x".repeat(100_000));
        })
        .await;

    let error = client.account().await.unwrap_err();

    match error {
        Error::Decode { body, .. } => assert_eq!(body.chars().count(), 1025),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client =
        AccountClient::new(&format!("http://127.0.0.1:{port}"), AccessToken::new(TOKEN)).unwrap();

    let error = client.account().await.unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[test]
fn secrets_never_show_in_debug_output() {
    let token = "tok-SECRET-1";
    let password = "pw-SECRET-2";
    let code = "code-SECRET-3";
    let record = "rec-SECRET-4";
    let client = AccountClient::new("https://logto.example.com", AccessToken::new(token)).unwrap();
    let pending: PendingCode<VerifiedEmail> = PendingCode::from_parts(
        VerificationRecordId::new(record).unwrap(),
        CodeDestination::Email("a@example.com".into()),
        expires_at(),
    );
    let identity = logto_account::IdentityVerification::from_parts(
        VerificationRecordId::new(record).unwrap(),
        expires_at(),
    );
    let printed = [
        format!("{client:?}"),
        format!("{:?}", AccessToken::new(token)),
        format!("{:?}", Password::new(password)),
        format!("{:?}", VerificationCode::new(code)),
        format!("{:?}", VerificationRecordId::new(record).unwrap()),
        format!("{pending:?}"),
        format!("{identity:?}"),
        format!(
            "{:?}",
            AccountClient::builder("https://x.example", AccessToken::new(token))
        ),
    ];
    for text in printed {
        for secret in [token, password, code, record] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    assert_eq!(format!("{:?}", Password::new(password)), "Password(***)");
}

#[tokio::test]
async fn the_bindings_send_the_token_and_the_verification_header() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            request(when, DELETE, "/api/my-account/primary-email")
                .header(VERIFICATION_HEADER, RECORD_ID);
            no_content(then);
        })
        .await;
    let header =
        logto_account::logto_account_api::types::VerificationRecordId::try_from(RECORD_ID).unwrap();

    client
        .bindings()
        .delete_primary_email(&header)
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn a_bindings_call_keeps_every_header_of_a_success_answer() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            request(when, GET, "/api/my-account");
            logto_json(then, 200, json!({"id": "u1"}))
                .header("etag", "W/\"1\"")
                .header("x-extra", "kept");
        })
        .await;

    let answer = client.bindings().get_profile(None).await.unwrap();

    assert_eq!(answer.headers()["etag"], "W/\"1\"");
    assert_eq!(answer.headers()["x-extra"], "kept");
    assert_eq!(answer.headers()["logto-core-request-id"], REQUEST_ID);
    assert_eq!(answer.into_inner().id.as_deref(), Some("u1"));
}
