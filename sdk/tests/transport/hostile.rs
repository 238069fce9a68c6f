//! Hostile servers and inputs, one test per class of attack: redirects that
//! would carry secrets away, path parameters that would leave their segment,
//! echoes of secrets on every error path, token providers that hang or fail,
//! and oversized error bodies. Each asserts what reached the server (or that
//! nothing did) and the exact typed error.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use logto_account::{
    AccessToken, AccountClient, AccountPoll, BoxError, ETag, Error, IdentityVerification, Password,
    RetryPolicy, TokenProviderTimeout, TokenSource, VerificationRecordId,
};
use proptest::prelude::*;

use crate::fault_server::{FaultServer, Reply, Seen, json, response, with_header};

const TOKEN: &str = "tok-HOSTILE-7q1";
const PASSWORD: &str = "pw-HOSTILE-8r2";
const NEW_PASSWORD: &str = "pw-HOSTILE-new-9s3";
const RECORD: &str = "rec-HOSTILE-0t4";
const OAUTH_CODE: &str = "oauth-HOSTILE-1u5";
const SECRETS: &[&str] = &[TOKEN, PASSWORD, NEW_PASSWORD, RECORD, OAUTH_CODE];

fn client(url: &str) -> AccountClient {
    AccountClient::builder(url, AccessToken::new(TOKEN))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn identity() -> IdentityVerification {
    IdentityVerification::from_parts(
        VerificationRecordId::new(RECORD).unwrap(),
        "2030-01-01T00:00:00Z".parse().unwrap(),
    )
}

/// Every way an error can be shown: Display, Debug, and each source's.
fn shown(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "`{secret}` leaked in:\n{text}");
    }
}

// --- 1. Redirects ---------------------------------------------------------

#[tokio::test]
async fn no_redirect_is_followed_so_no_secret_reaches_another_origin() {
    let elsewhere =
        FaultServer::start(|_, _| Reply::Send(json("200 OK", r#"{"id":"someone-else"}"#))).await;
    // The token is the secret every request carries.
    let target = format!("{}/steal?token={TOKEN}", elsewhere.url);
    for (code, reason) in [
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
    ] {
        let location = format!("location: {target}");
        let origin = FaultServer::start(move |_, _| {
            let status = format!("{code} {reason}");
            Reply::Send(with_header(response(&status, "text/plain", b""), &location))
        })
        .await;
        let client = client(&origin.url);

        let errors = [
            client
                .verify_password(&Password::new(PASSWORD))
                .await
                .unwrap_err(),
            client.account().await.unwrap_err(),
            client
                .change_password(&identity(), &Password::new(NEW_PASSWORD))
                .await
                .unwrap_err(),
        ];

        for error in &errors {
            match error {
                Error::Redirect { status, location } => {
                    assert_eq!(status.as_u16(), code);
                    assert_eq!(
                        location.as_deref(),
                        Some(format!("{}/steal?token=***", elsewhere.url).as_str())
                    );
                }
                other => panic!("expected Error::Redirect for {code}, got {other:?}"),
            }
            assert_no_secret(&shown(error));
        }
        let seen = origin.seen();
        assert_eq!(
            seen.iter().map(|s| s.method.as_str()).collect::<Vec<_>>(),
            ["POST", "GET", "POST"],
            "each call is sent once to the endpoint, never repeated"
        );
    }
    assert!(
        elsewhere.seen().is_empty(),
        "the other origin got a request"
    );
}

// --- 2. Path parameters ---------------------------------------------------

/// Decodes `%XX` escapes (and nothing else, as a server's router does).
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A server under a base path that answers every request with 204.
async fn tenant_server() -> (FaultServer, AccountClient) {
    let server =
        FaultServer::start(|_, _| Reply::Send(response("204 No Content", "text/plain", b""))).await;
    let client = client(&format!("{}/tenant-a", server.url));
    (server, client)
}

/// What happened to one target: refused locally (with the field), or the
/// request line that arrived.
async fn unlink(
    client: &AccountClient,
    server: &FaultServer,
    target: &str,
) -> Result<Seen, String> {
    let before = server.seen().len();
    let outcome = client.unlink_social_identity(&identity(), target).await;
    let seen = server.seen();
    match outcome {
        Err(Error::InvalidInput { field, .. }) => {
            assert_eq!(seen.len(), before, "a refused target was sent");
            Err(field.to_owned())
        }
        Ok(()) => {
            assert_eq!(seen.len(), before + 1, "one request per call");
            Ok(seen[before].clone())
        }
        Err(other) => panic!("unexpected error for {target:?}: {other:?}"),
    }
}

/// The property: the request went to exactly one segment under the base path
/// that decodes back to the input, with the proof, or nothing was sent.
fn check_target(target: &str, outcome: Result<Seen, String>) -> Result<(), TestCaseError> {
    match outcome {
        Err(field) => prop_assert_eq!(field, "target"),
        Ok(seen) => {
            prop_assert_eq!(&seen.method, "DELETE");
            let segment = seen
                .path
                .strip_prefix("/tenant-a/api/my-account/identities/")
                .ok_or_else(|| TestCaseError::fail(format!("left the route: {}", seen.path)))?;
            prop_assert!(
                !segment.contains(['/', '?', '#', '\\']),
                "more than one segment: {}",
                seen.path
            );
            let decoded = percent_decode(segment);
            prop_assert_eq!(decoded.as_deref(), Some(target));
            prop_assert_eq!(seen.header("logto-verification-id"), Some(RECORD));
        }
    }
    Ok(())
}

#[tokio::test]
async fn known_path_escapes_are_refused_or_stay_in_their_segment() {
    let (server, client) = tenant_server().await;
    let refused = [
        "..\\primary-email",
        "..",
        ".",
        "",
        "\\",
        "a\\b",
        "..\\..\\password",
    ];
    for target in refused {
        assert_eq!(
            unlink(&client, &server, target).await.map(|s| s.path),
            Err("target".to_owned()),
            "{target:?}"
        );
    }
    let kept = [
        ("../primary-email", "..%2Fprimary-email"),
        ("%2e%2e", "%252e%252e"),
        ("a?b#c", "a%3Fb%23c"),
        ("...", "..."),
        ("google", "google"),
        ("é /x", "%C3%A9%20%2Fx"),
    ];
    for (target, segment) in kept {
        let seen = unlink(&client, &server, target).await.unwrap();
        assert_eq!(
            seen.path,
            format!("/tenant-a/api/my-account/identities/{segment}"),
            "{target:?}"
        );
        check_target(target, Ok(seen)).unwrap();
    }
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[./\\\\%?#a-z ]{0,8}",
        prop::collection::vec(
            prop_oneof![
                Just("."),
                Just(".."),
                Just("\\"),
                Just("/"),
                Just("%2e"),
                Just("%5c"),
                Just("a")
            ],
            0..6
        )
        .prop_map(|parts| parts.concat()),
        "\\PC{0,16}",
        // Blanks that are not HTTP's (no-break, en quad, ideographic) at
        // the edges: nothing may strip them on the way.
        "[\u{a0}\u{2000}-\u{200a}\u{3000} \t]{1,2}[a-z\"]{0,4}[\u{a0}\u{2000}\u{3000}]{0,2}",
        "[\\x00-\\x1f\\x7f]{1,4}",
        Just("a".repeat(10_000)),
    ]
}

#[test]
fn for_every_string_the_target_stays_one_segment_or_is_refused() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (server, client) = runtime.block_on(tenant_server());
    let config = ProptestConfig {
        cases: 96,
        ..ProptestConfig::default()
    };
    proptest!(config, |(target in hostile_string())| {
        let outcome = runtime.block_on(unlink(&client, &server, &target));
        check_target(&target, outcome)?;
    });
}

/// The names of the headers that arrived, sorted.
fn header_names(seen: &Seen) -> Vec<String> {
    let mut names: Vec<String> = seen
        .headers
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .collect();
    names.sort();
    names
}

/// The header values the generated code appends (here `If-None-Match`) go
/// out as the caller gave them, as one header, or the call is refused with
/// nothing sent: no string can add a header line or change another one.
#[test]
fn for_every_tag_if_none_match_arrives_as_given_or_nothing_is_sent() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(FaultServer::start(|_, _| {
        Reply::Send(response("304 Not Modified", "text/plain", b""))
    }));
    let client = client(&server.url);
    let baseline = runtime
        .block_on(client.account_if_changed(&ETag::new("\"plain\"")))
        .unwrap();
    assert!(matches!(baseline, AccountPoll::Unchanged));
    let expected_names = header_names(&server.seen()[0]);
    let config = ProptestConfig {
        cases: 96,
        ..ProptestConfig::default()
    };
    proptest!(config, |(tag in hostile_string())| {
        let before = server.seen().len();
        let outcome = runtime.block_on(client.account_if_changed(&ETag::new(tag.clone())));
        let seen = server.seen();
        match outcome {
            Ok(AccountPoll::Unchanged) => {
                prop_assert_eq!(seen.len(), before + 1);
                let sent = &seen[before];
                // HTTP drops the blanks around a value.
                let given = tag.trim_matches([' ', '\t']);
                prop_assert_eq!(sent.header("if-none-match"), Some(given));
                prop_assert_eq!(header_names(sent), expected_names.clone());
            }
            Err(Error::InvalidInput { field: "request", .. }) => {
                prop_assert_eq!(seen.len(), before, "a refused tag was sent");
            }
            other => prop_assert!(false, "{:?}: {:?}", tag, other),
        }
    });
}

// --- 3. Echoed secrets on every error path ----------------------------------

/// The whole request as text, as a careless server would echo it.
fn echo(request: &Seen) -> String {
    format!(
        "{} {} {:?} {}",
        request.method,
        request.path,
        request.headers,
        String::from_utf8_lossy(&request.body)
    )
}

/// Answers the n-th request in the n-th way a server can echo what it got.
fn echoing_reply(n: usize, request: &Seen) -> Reply {
    let text = serde_json::to_string(&echo(request)).unwrap();
    let token_as_id = format!("logto-core-request-id: {TOKEN}");
    match n % 7 {
        // A success body that does not decode.
        0 => Reply::Send(json("200 OK", &format!(r#"{{"echo":{text}}}"#))),
        // An undeclared status, plain text.
        1 => Reply::Send(response(
            "418 I'm a teapot",
            "text/plain",
            echo(request).as_bytes(),
        )),
        // An undeclared status with a Logto-shaped body.
        2 => Reply::Send(json(
            "418 I'm a teapot",
            &format!(r#"{{"code":"x","message":{text}}}"#),
        )),
        // A declared error, the echo nested deep in data.
        3 => Reply::Send(json(
            "400 Bad Request",
            &format!(
                r#"{{"code":"guard.invalid_input","message":{text},"details":{text},"data":{{"a":{{"b":[{text}]}},{text}:1}}}}"#
            ),
        )),
        // Each secret of the request echoed as the error code, in turn.
        4 => {
            let text = echo(request);
            let carried: Vec<&str> = SECRETS
                .iter()
                .copied()
                .filter(|s| text.contains(s))
                .collect();
            let secret = carried[(n / 7) % carried.len()];
            Reply::Send(json(
                "400 Bad Request",
                &format!(r#"{{"code":"{secret}","message":"m"}}"#),
            ))
        }
        // The token echoed as the request id.
        5 => Reply::Send(with_header(
            json(
                "400 Bad Request",
                r#"{"code":"guard.invalid_input","message":"m"}"#,
            ),
            &token_as_id,
        )),
        // A 2xx record whose secret field is not even a string.
        _ => Reply::Send(json(
            "201 Created",
            &format!(r#"{{"verificationRecordId":{text},"expiresAt":7}}"#),
        )),
    }
}

#[tokio::test]
async fn no_error_path_or_log_line_shows_a_secret_the_server_echoes() {
    let captured = crate::Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());
    let server = FaultServer::start(echoing_reply).await;
    let client = client(&server.url);
    let social = logto_account::PendingSocialVerification::from_parts(
        VerificationRecordId::new(RECORD).unwrap(),
        String::new(),
        "2030-01-01T00:00:00Z".parse().unwrap(),
    );
    let mut connector_data = serde_json::Map::new();
    connector_data.insert(
        "nested".to_owned(),
        serde_json::json!({"code": OAUTH_CODE, "list": [OAUTH_CODE]}),
    );

    let mut errors = Vec::new();
    for _ in 0..5 {
        for _ in 0..7 {
            errors.push(
                client
                    .verify_password(&Password::new(PASSWORD))
                    .await
                    .unwrap_err(),
            );
        }
        for _ in 0..7 {
            errors.push(
                client
                    .change_password(&identity(), &Password::new(NEW_PASSWORD))
                    .await
                    .unwrap_err(),
            );
        }
        for _ in 0..7 {
            errors.push(
                client
                    .complete_social_verification(&social, connector_data.clone())
                    .await
                    .unwrap_err(),
            );
        }
    }

    let kinds: std::collections::BTreeSet<&str> = errors
        .iter()
        .map(|error| match error {
            Error::Api(_) => "api",
            Error::Decode { .. } => "decode",
            Error::UnexpectedResponse { .. } => "unexpected",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["api", "decode", "unexpected"]
    );
    for error in &errors {
        assert_no_secret(&shown(error));
        if let Some(api) = error.api_error() {
            assert_no_secret(&format!("{:?} {:?}", api.data(), api.details()));
            assert_ne!(api.request_id(), Some(TOKEN));
        }
    }
    // The server did get the secrets: the test would see a leak.
    let received: String = server.seen().iter().map(echo).collect();
    for secret in SECRETS {
        assert!(received.contains(secret), "{secret} never sent");
    }
    let log = captured.text();
    assert!(log.contains("logto_account::transport"), "{log}");
    assert_no_secret(&log);
}

// --- 4. Token providers ---------------------------------------------------

fn provider_client(url: &str, provider: TokenSource, timeout: Duration) -> AccountClient {
    AccountClient::builder(url, provider)
        .retry_policy(RetryPolicy::disabled())
        .token_provider_timeout(timeout)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_provider_that_never_answers_fails_every_waiting_call_at_its_deadline() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", r#"{"id":"u1"}"#))).await;
    let provider = TokenSource::provider(std::future::pending::<Result<AccessToken, BoxError>>);
    let client = provider_client(&server.url, provider, Duration::from_secs(3));
    let started = tokio::time::Instant::now();

    let calls = (0..4).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.account().await })
    });
    let outcomes = futures_join(calls).await;

    for outcome in outcomes {
        match outcome {
            Err(Error::TokenProvider(source)) => {
                let timeout = source.downcast_ref::<TokenProviderTimeout>().unwrap();
                assert_eq!(timeout.0, Duration::from_secs(3));
                assert_eq!(
                    source.to_string(),
                    "the token provider did not answer within 3s"
                );
            }
            other => panic!("expected TokenProvider, got {other:?}"),
        }
    }
    // Waiters queue behind one refresh: each waits at most one deadline more.
    assert!(
        started.elapsed() <= Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    assert!(server.seen().is_empty());
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

const UNAUTHORIZED: &str = r#"{"code":"auth.unauthorized","message":"Unauthorized. Please check credentials and its scope."}"#;

#[tokio::test]
async fn a_provider_failing_during_a_refresh_is_reported_as_such() {
    let server =
        FaultServer::start(|_, _| Reply::Send(json("401 Unauthorized", UNAUTHORIZED))).await;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let provider = TokenSource::provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                Ok(AccessToken::new(TOKEN))
            } else {
                Err::<AccessToken, BoxError>("the refresh token was revoked".into())
            }
        }
    });
    let client = provider_client(&server.url, provider, Duration::from_secs(5));

    let error = client.account().await.unwrap_err();

    match &error {
        Error::TokenProvider(source) => {
            assert_eq!(source.to_string(), "the refresh token was revoked")
        }
        other => panic!("expected TokenProvider, got {other:?}"),
    }
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    assert_eq!(server.seen().len(), 1, "nothing is sent without a token");
}

fn refreshing_provider() -> TokenSource {
    TokenSource::provider(|| async { Ok::<_, BoxError>(AccessToken::new(TOKEN)) })
}

#[tokio::test(start_paused = true)]
async fn a_401_body_that_stalls_is_a_timeout_not_a_decode_error() {
    let server = FaultServer::start(|_, _| {
        let head = b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"code\":".to_vec();
        Reply::Stall(head, Duration::from_secs(5))
    })
    .await;
    let client = AccountClient::builder(&server.url, refreshing_provider())
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let error = client.account().await.unwrap_err();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_401_body_over_the_error_limit_is_too_large_not_a_decode_error() {
    let big = format!(
        r#"{{"code":"auth.unauthorized","message":"{}"}}"#,
        "x".repeat(70_000)
    );
    let server = FaultServer::start(move |_, _| Reply::Send(json("401 Unauthorized", &big))).await;
    let client = provider_client(&server.url, refreshing_provider(), Duration::from_secs(5));

    let error = client.account().await.unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 65536 }),
        "{error:?}"
    );
    assert_eq!(server.seen().len(), 1);
}

// --- 5. Error bodies have their own, small cap ----------------------------

#[tokio::test]
async fn error_bodies_are_capped_at_64_kib_while_successes_may_be_larger() {
    let error_body = format!(
        r#"{{"code":"guard.invalid_input","message":"{}"}}"#,
        "0,".repeat(40_000)
    );
    let account = format!(r#"{{"id":"u1","name":"{}"}}"#, "a".repeat(100_000));
    let server = FaultServer::start(move |n, _| match n {
        0 => Reply::Send(json("400 Bad Request", &error_body)),
        _ => Reply::Send(json("200 OK", &account)),
    })
    .await;
    let client = client(&server.url);

    let error = client.account().await.unwrap_err();
    let account = client.account().await.unwrap();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 65536 }),
        "{error:?}"
    );
    assert_eq!(account.name.map(|name| name.len()), Some(100_000));
}
