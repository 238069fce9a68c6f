//! Fault injection: bad servers and bad networks give a typed error within a
//! bounded time, retries happen only where safe, and a rejected token is
//! refreshed once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::fault_server::{FaultServer, Reply, json, response, with_header};
use logto_account::{
    AccessToken, AccountClient, BoxError, DEFAULT_TIMEOUT, Error, ErrorCode, Password, RetryPolicy,
    TokenSource,
};

const ACCOUNT: &str = r#"{"id":"u1","name":"Ada"}"#;
const RECORD: &str =
    r#"{"verificationRecordId":"t0czpmpa7nnr3qu5ymsqk","expiresAt":"2026-11-25T11:14:44.879Z"}"#;

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

fn client(url: &str) -> AccountClient {
    AccountClient::builder(url, AccessToken::new("token-1"))
        .timeout(Duration::from_millis(500))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn client_with_limit(url: &str, max_response_bytes: usize) -> AccountClient {
    AccountClient::builder(url, AccessToken::new("token-1"))
        .max_response_bytes(max_response_bytes)
        .build()
        .unwrap()
}

/// Runs `call` and checks that it ended within `bound` on tokio's clock.
/// Every test here runs with that clock paused: timeouts, backoffs and
/// `Retry-After` waits pass instantly and exactly, whatever the machine's
/// load, while the loopback server answers in real time.
async fn within<T>(bound: Duration, call: impl std::future::Future<Output = T>) -> T {
    let started = Instant::now();
    let outcome = call.await;
    assert!(started.elapsed() < bound, "took {:?}", started.elapsed());
    outcome
}

#[tokio::test(start_paused = true)]
async fn refused_connection_is_a_transport_error_retried_for_any_method() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let log = crate::Captured::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());

    let error = within(
        Duration::from_secs(2),
        client.verify_password(&Password::new("pw")),
    )
    .await
    .unwrap_err();

    assert!(
        matches!(error, Error::Transport(ref e) if e.is_connect()),
        "{error:?}"
    );
    // Nothing was sent, so even a POST is tried the policy's three times.
    let text = log.text();
    assert_eq!(
        text.matches("retrying after a transport error").count(),
        2,
        "{text}"
    );
    assert!(
        text.contains("retrying after a transport error attempt=2"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn reset_mid_headers_is_a_transport_error_and_post_is_not_repeated() {
    let server =
        FaultServer::start(|_, _| Reply::SendAndClose(b"HTTP/1.1 201 Created\r\nconte".to_vec()))
            .await;

    let error = within(
        Duration::from_secs(2),
        client(&server.url).verify_password(&Password::new("pw")),
    )
    .await
    .unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn reset_mid_headers_on_get_is_retried_then_reported() {
    let server =
        FaultServer::start(|_, _| Reply::SendAndClose(b"HTTP/1.1 200 OK\r\nconte".to_vec())).await;

    let error = within(Duration::from_secs(2), client(&server.url).account())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn reset_mid_body_is_a_transport_error() {
    let server = FaultServer::start(|_, _| {
        Reply::SendAndClose(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":".to_vec())
    })
    .await;

    let error = within(Duration::from_secs(2), client(&server.url).account())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn slow_headers_time_out_within_the_bound() {
    let server = FaultServer::start(|_, _| Reply::Stall(Vec::new(), Duration::from_secs(10))).await;
    let client = AccountClient::builder(&server.url, AccessToken::new("token-1"))
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = within(Duration::from_secs(2), client.account())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn a_timeout_on_get_is_retried_and_on_post_is_not() {
    let server = FaultServer::start(|_, _| Reply::Stall(Vec::new(), Duration::from_secs(10))).await;
    let client = AccountClient::builder(&server.url, AccessToken::new("token-1"))
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let get = within(Duration::from_secs(2), client.account())
        .await
        .unwrap_err();
    let post = within(
        Duration::from_secs(1),
        client.verify_password(&Password::new("pw")),
    )
    .await
    .unwrap_err();

    assert!(matches!(get, Error::Timeout(_)), "{get:?}");
    assert!(matches!(post, Error::Timeout(_)), "{post:?}");
    let methods: Vec<String> = server.seen().into_iter().map(|s| s.method).collect();
    assert_eq!(methods, ["GET", "GET", "GET", "POST"]);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_times_out_within_the_bound() {
    let server = FaultServer::start(|_, _| {
        Reply::Stall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{\"id\":".to_vec(),
            Duration::from_secs(10),
        )
    })
    .await;
    let client = AccountClient::builder(&server.url, AccessToken::new("token-1"))
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = within(Duration::from_secs(2), client.account())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn truncated_json_is_a_decode_error() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", r#"{"id":"u1","na"#))).await;

    let error = client(&server.url).account().await.unwrap_err();

    assert!(
        matches!(error, Error::Decode { ref body, .. } if body == r#"{"id":"u1","na"#),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn malformed_json_is_a_decode_error() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", r#"{"id": }"#))).await;

    let error = client(&server.url).account().await.unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn an_empty_200_is_a_decode_error() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", ""))).await;

    let error = client(&server.url).account().await.unwrap_err();

    assert!(
        matches!(error, Error::Decode { ref body, .. } if body.is_empty()),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_html_502_from_a_proxy_is_retried_for_get_then_an_unexpected_response() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = FaultServer::start(move |_, _| {
        Reply::Send(response("502 Bad Gateway", "text/html", page.as_bytes()))
    })
    .await;

    let error = within(Duration::from_secs(2), client(&server.url).account())
        .await
        .unwrap_err();

    match error {
        Error::UnexpectedResponse {
            status,
            content_type,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert_eq!(body, page);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_503_then_success_is_retried_for_get() {
    let server = FaultServer::start(|n, _| match n {
        0 => Reply::Send(json("503 Service Unavailable", r#"{"message":"busy"}"#)),
        _ => Reply::Send(json("200 OK", ACCOUNT)),
    })
    .await;

    let account = within(Duration::from_secs(2), client(&server.url).account())
        .await
        .unwrap();

    assert_eq!(account.name.as_deref(), Some("Ada"));
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_503_is_not_retried_for_post() {
    let server = FaultServer::start(|n, _| match n {
        0 => Reply::Send(json("503 Service Unavailable", r#"{"message":"busy"}"#)),
        _ => Reply::Send(json("201 Created", RECORD)),
    })
    .await;

    let error = client(&server.url)
        .verify_password(&Password::new("pw"))
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.api_error().unwrap().message(), "busy");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_is_honoured_for_get() {
    let server = FaultServer::start(|n, _| match n {
        0 => Reply::Send(with_header(
            json("429 Too Many Requests", "{}"),
            "retry-after: 1",
        )),
        _ => Reply::Send(json("200 OK", ACCOUNT)),
    })
    .await;

    let started = Instant::now();
    let account = client(&server.url).account().await.unwrap();

    assert_eq!(account.id, "u1");
    assert_eq!(server.seen().len(), 2);
    // Exactly the second asked for, on the paused clock.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1100),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_without_retry_after_backs_off_for_get() {
    let server = FaultServer::start(|n, _| match n {
        0 => Reply::Send(json("429 Too Many Requests", r#"{"message":"slow down"}"#)),
        _ => Reply::Send(json("200 OK", ACCOUNT)),
    })
    .await;

    let account = within(Duration::from_secs(1), client(&server.url).account())
        .await
        .unwrap();

    assert_eq!(account.id, "u1");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_429_asking_too_long_a_wait_is_returned_at_once() {
    let server = FaultServer::start(|_, _| {
        Reply::Send(with_header(
            json(
                "429 Too Many Requests",
                r#"{"code":"request.message_rate_limited","message":"Too many messages."}"#,
            ),
            "retry-after: 3600",
        ))
    })
    .await;

    let error = within(Duration::from_millis(500), client(&server.url).account())
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::MessageRateLimited));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limited_code_send_is_not_retried() {
    let server = FaultServer::start(|_, _| {
        Reply::Send(json(
            "429 Too Many Requests",
            r#"{"code":"request.message_rate_limited","message":"Too many messages sent to this recipient. Please try again later."}"#,
        ))
    })
    .await;

    let error = client(&server.url)
        .send_email_code("a@example.com")
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::MessageRateLimited));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_oversized_body_is_refused_without_reading_it() {
    // Declares 64 MiB and sends only the start: reading it whole would hang.
    let server = FaultServer::start(|_, _| {
        Reply::Stall(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 67108864\r\n\r\n{\"id\":\"".to_vec(),
            Duration::from_secs(10),
        )
    })
    .await;
    let client = client_with_limit(&server.url, 1024);

    let error = within(Duration::from_secs(1), client.account())
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1024 }),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_oversized_chunked_body_is_cut_at_the_limit() {
    let server = FaultServer::start(|_, _| {
        let chunk = "x".repeat(4000);
        let mut bytes = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..10 {
            bytes.extend_from_slice(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
        }
        Reply::Stall(bytes, Duration::from_secs(10))
    })
    .await;
    let client = client_with_limit(&server.url, 8 * 1024);

    let error = within(Duration::from_secs(1), client.account())
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 8192 }),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_wrong_content_type_is_a_decode_error() {
    let server = FaultServer::start(|_, _| {
        Reply::Send(response("200 OK", "text/html", b"<html>maintenance</html>"))
    })
    .await;

    let error = client(&server.url).account().await.unwrap_err();

    assert!(
        matches!(error, Error::Decode { ref body, .. } if body == "<html>maintenance</html>"),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn unknown_extra_fields_are_tolerated() {
    let server = FaultServer::start(|_, _| {
        Reply::Send(json(
            "200 OK",
            r#"{"id":"u1","name":"Ada","brandNew":{"deep":[1,2]},"hasPasskey":true}"#,
        ))
    })
    .await;

    let account = client(&server.url).account().await.unwrap();

    assert_eq!(account.name.as_deref(), Some("Ada"));
}

#[tokio::test(start_paused = true)]
async fn a_missing_required_field_is_a_decode_error() {
    let server = FaultServer::start(|_, _| {
        Reply::Send(json("201 Created", r#"{"verificationRecordId":"x"}"#))
    })
    .await;

    let error = client(&server.url)
        .verify_password(&Password::new("pw"))
        .await
        .unwrap_err();

    match error {
        Error::Decode { reason, .. } => assert!(reason.contains("expiresAt"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

/// A provider that hands out `token-1`, `token-2`... and counts its calls.
fn counting_provider() -> (TokenSource, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let source = TokenSource::provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, BoxError>(AccessToken::new(format!("token-{n}")))
        }
    });
    (source, calls)
}

fn unauthorized_unless_token_2(_: usize, request: &crate::fault_server::Seen) -> Reply {
    if request.header("authorization") == Some("Bearer token-2") {
        Reply::Send(json("201 Created", RECORD))
    } else {
        Reply::Send(json(
            "401 Unauthorized",
            r#"{"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."}"#,
        ))
    }
}

#[tokio::test(start_paused = true)]
async fn a_rejected_token_is_refreshed_once_and_the_post_repeated() {
    let server = FaultServer::start(unauthorized_unless_token_2).await;
    let (source, calls) = counting_provider();
    let client = AccountClient::new(&server.url, source).unwrap();

    let proof = client.verify_password(&Password::new("pw")).await.unwrap();

    assert_eq!(proof.record_id().expose_secret(), "t0czpmpa7nnr3qu5ymsqk");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("authorization"), Some("Bearer token-1"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer token-2"));
    assert_eq!(seen[1].body, br#"{"password":"pw"}"#);
}

#[tokio::test(start_paused = true)]
async fn concurrent_calls_share_one_refresh() {
    let server = FaultServer::start(unauthorized_unless_token_2).await;
    let (source, calls) = counting_provider();
    let client = AccountClient::new(&server.url, source).unwrap();

    let results = futures_join(&client, 8).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // token-1 for the first attempts, one shared refresh to token-2.
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let accepted = server
        .seen()
        .iter()
        .filter(|request| request.header("authorization") == Some("Bearer token-2"))
        .count();
    assert_eq!(accepted, 8);
}

async fn futures_join(
    client: &AccountClient,
    n: usize,
) -> Vec<Result<logto_account::IdentityVerification, Error>> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.verify_password(&Password::new("pw")).await
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(start_paused = true)]
async fn a_failing_token_provider_is_a_typed_error_and_nothing_is_sent() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", ACCOUNT))).await;
    let client = AccountClient::new(
        &server.url,
        TokenSource::provider(|| async {
            Err::<AccessToken, BoxError>("the refresh token expired".into())
        }),
    )
    .unwrap();

    let error = client.account().await.unwrap_err();

    assert!(
        matches!(error, Error::TokenProvider(ref e) if e.to_string() == "the refresh token expired"),
        "{error:?}"
    );
    assert!(server.seen().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_static_token_rejected_is_the_servers_401() {
    let server = FaultServer::start(unauthorized_unless_token_2).await;

    let error = client(&server.url)
        .verify_password(&Password::new("pw"))
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_server_closing_keep_alive_connections_between_calls_is_survived() {
    let server = FaultServer::start(|_, _| Reply::SendAndClose(json("201 Created", RECORD))).await;
    let client = client(&server.url);

    for _ in 0..3 {
        client.verify_password(&Password::new("pw")).await.unwrap();
    }

    assert_eq!(server.seen().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_plain_text_ok_where_json_is_expected_is_a_decode_error() {
    // Logto's answer to the MFA rename route: 200 `text/plain` `OK`.
    let server = FaultServer::start(|_, _| {
        Reply::Send(response("200 OK", "text/plain; charset=utf-8", b"OK"))
    })
    .await;

    let error = client(&server.url).account().await.unwrap_err();

    assert!(
        matches!(error, Error::Decode { ref body, .. } if body == "OK"),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_undecodable_body_on_a_declared_error_status_keeps_the_status() {
    // DeleteIdentity declares 404 with Logto's JSON error body; a proxy's
    // HTML page in its place cannot be decoded, but its status is known.
    let server = FaultServer::start(|_, _| {
        Reply::Send(response(
            "404 Not Found",
            "text/html",
            b"<h1>Not Found</h1>",
        ))
    })
    .await;
    let proof = logto_account::IdentityVerification::from_parts(
        logto_account::VerificationRecordId::new("t0czpmpa7nnr3qu5ymsqk").unwrap(),
        chrono::Utc::now(),
    );

    let error = client(&server.url)
        .unlink_social_identity(&proof, "github")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    match error {
        Error::Decode { status, body, .. } => {
            assert_eq!(status.map(|s| s.as_u16()), Some(404));
            assert_eq!(body, "<h1>Not Found</h1>");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn an_undecodable_success_body_reports_its_status() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", "[]"))).await;

    let error = client(&server.url).account().await.unwrap_err();

    assert!(
        matches!(error, Error::Decode { status: Some(s), .. } if s.as_u16() == 200),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("cannot decode the response (200 OK): "),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn without_a_timeout_only_the_server_ends_a_slow_attempt() {
    // The server says nothing for 40 s, then hangs up.
    let server = FaultServer::start(|_, _| Reply::Stall(Vec::new(), Duration::from_secs(40))).await;
    let build = |timeout: Option<Duration>| {
        AccountClient::builder(&server.url, AccessToken::new("token-1"))
            .timeout(timeout)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
    };

    let started = Instant::now();
    let bounded = build(Some(DEFAULT_TIMEOUT)).account().await.unwrap_err();
    let bounded_after = started.elapsed();
    let started = Instant::now();
    let unbounded = build(None).account().await.unwrap_err();
    let unbounded_after = started.elapsed();

    assert!(matches!(bounded, Error::Timeout(_)), "{bounded:?}");
    assert_eq!(bounded_after.as_secs(), 30);
    assert!(matches!(unbounded, Error::Transport(_)), "{unbounded:?}");
    assert_eq!(unbounded_after.as_secs(), 40);
}
