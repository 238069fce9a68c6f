//! Secrets never leak (Debug, Display, errors echoing them, TRACE logs), and
//! input that could change the request is refused before sending.

use std::sync::{Arc, Mutex};

use crate::fault_server::{FaultServer, Reply, json, response};
use chrono::{DateTime, Utc};
use logto_account::{
    AccessToken, AccountClient, AccountUpdate, BoxError, CodeDestination, Error,
    IdentityVerification, Password, PendingCode, PendingSocialVerification, RetryPolicy,
    TokenSource, VerificationCode, VerificationRecordId, VerifiedEmail, VerifiedPhone,
};

const TOKEN: &str = "tok-SECRET-a1";
const PASSWORD: &str = "pw-SECRET-b2";
const NEW_PASSWORD: &str = "pw-SECRET-new-c3";
const CODE: &str = "code-SECRET-d4";
const RECORD: &str = "rec-SECRET-e5";
const NEW_RECORD: &str = "rec-SECRET-new-f6";
const SECRETS: &[&str] = &[TOKEN, PASSWORD, NEW_PASSWORD, CODE, RECORD, NEW_RECORD];

fn expires() -> DateTime<Utc> {
    "2030-01-01T00:00:00Z".parse().unwrap()
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked in: {text}");
    }
}

/// Answers every request with an error whose message, details and data echo
/// the whole request (headers and body), like a careless server or proxy.
async fn echo_server() -> FaultServer {
    FaultServer::start(|n, request| {
        let echo = format!("{} {} {:?} {}", request.method, request.path, request.headers, String::from_utf8_lossy(&request.body));
        let text = serde_json::to_string(&echo).unwrap();
        if n % 2 == 0 {
            let body = format!(r#"{{"code":"guard.invalid_input","message":{text},"details":{text},"data":{{"echo":{text}}}}}"#);
            Reply::Send(json("400 Bad Request", &body))
        } else {
            Reply::Send(response("418 I'm a teapot", "text/html", echo.as_bytes()))
        }
    })
    .await
}

fn client(url: &str) -> AccountClient {
    AccountClient::builder(url, AccessToken::new(TOKEN))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn identity() -> IdentityVerification {
    IdentityVerification::from_parts(VerificationRecordId::new(RECORD).unwrap(), expires())
}

fn pending<P>(destination: CodeDestination) -> PendingCode<P> {
    PendingCode::from_parts(
        VerificationRecordId::new(NEW_RECORD).unwrap(),
        destination,
        expires(),
    )
}

#[tokio::test]
async fn errors_from_responses_echoing_secrets_do_not_contain_them() {
    let server = echo_server().await;
    let client = client(&server.url);
    let email: PendingCode<VerifiedEmail> = pending(CodeDestination::Email("a@example.com".into()));
    let phone: PendingCode<VerifiedPhone> = pending(CodeDestination::Phone("15551234567".into()));
    let social = PendingSocialVerification::from_parts(
        VerificationRecordId::new(NEW_RECORD).unwrap(),
        String::new(),
        expires(),
    );
    let code = VerificationCode::new(CODE);

    let mut errors: Vec<Error> = Vec::new();
    for _ in 0..2 {
        // Twice: once answered with a JSON error, once with an HTML page.
        errors.push(
            client
                .verify_password(&Password::new(PASSWORD))
                .await
                .unwrap_err(),
        );
        errors.push(
            client
                .change_password(&identity(), &Password::new(NEW_PASSWORD))
                .await
                .unwrap_err(),
        );
        errors.push(
            client
                .set_initial_password(&Password::new(NEW_PASSWORD))
                .await
                .unwrap_err(),
        );
        errors.push(client.verify_code(&email, &code).await.unwrap_err());
        errors.push(client.remove_email(&identity()).await.unwrap_err());
        errors.push(client.remove_phone(&identity()).await.unwrap_err());
        errors.push(
            client
                .change_username(&identity(), "ada")
                .await
                .unwrap_err(),
        );
        errors.push(
            client
                .unlink_social_identity(&identity(), "github")
                .await
                .unwrap_err(),
        );
        errors.push(
            client
                .complete_social_verification(&social, serde_json::Map::new())
                .await
                .unwrap_err(),
        );
        errors.push(client.verify_code(&phone, &code).await.unwrap_err());
        errors.push(client.account().await.unwrap_err());
        errors.push(
            client
                .update_account(&AccountUpdate::new().name("x"))
                .await
                .unwrap_err(),
        );
    }

    assert_eq!(server.seen().len(), errors.len());
    // The echo did reach the errors (with the secrets masked).
    assert!(errors.iter().any(|e| e.to_string().contains("***")));
    for error in &errors {
        assert_no_secret(&format!("{error}"));
        assert_no_secret(&format!("{error:?}"));
        if let Some(api) = error.api_error() {
            assert_no_secret(api.message());
            assert_no_secret(&format!("{:?}", api.data()));
            assert_no_secret(api.details().unwrap_or_default());
        }
    }
}

#[tokio::test]
async fn a_record_id_in_an_undecodable_success_body_is_masked() {
    let server = FaultServer::start(|_, _| {
        Reply::Send(json(
            "201 Created",
            &format!(r#"{{"verificationRecordId":"{NEW_RECORD}","expiresAt":"not a date"}}"#),
        ))
    })
    .await;

    let error = client(&server.url)
        .send_email_code("a@example.com")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_no_secret(&format!("{error} {error:?}"));
}

#[test]
fn every_type_holding_a_secret_redacts_it_in_debug() {
    let client = AccountClient::new("https://logto.example.com", AccessToken::new(TOKEN)).unwrap();
    let email: PendingCode<VerifiedEmail> = pending(CodeDestination::Email("a@example.com".into()));
    let printed = [
        format!("{client:?}"),
        format!(
            "{:?}",
            AccountClient::builder("https://x.example", AccessToken::new(TOKEN))
        ),
        format!("{:?}", TokenSource::from(AccessToken::new(TOKEN))),
        format!("{:?}", AccessToken::new(TOKEN)),
        format!("{:?}", Password::new(PASSWORD)),
        format!("{:?}", VerificationCode::new(CODE)),
        format!("{:?}", VerificationRecordId::new(RECORD).unwrap()),
        format!("{:?}", identity()),
        format!("{email:?}"),
        format!(
            "{:?}",
            PendingSocialVerification::from_parts(
                VerificationRecordId::new(RECORD).unwrap(),
                "https://p".into(),
                expires()
            )
        ),
    ];
    for text in printed {
        assert_no_secret(&text);
        assert!(
            text.contains("***") || text.starts_with("AccountClient"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn trace_output_of_a_full_flow_has_the_call_details_and_no_secret() {
    let captured = crate::Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());
    let record =
        format!(r#"{{"verificationRecordId":"{RECORD}","expiresAt":"2030-01-01T00:00:00.000Z"}}"#);
    let server = FaultServer::start(move |_, request| {
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", "/api/verifications/password") => Reply::Send(json("201 Created", &record)),
            ("POST", "/api/my-account/password") => Reply::Send(
                b"HTTP/1.1 204 No Content\r\nlogto-core-request-id: FAULTREQUEST0001\r\n\r\n"
                    .to_vec(),
            ),
            ("GET", "/api/my-account") => Reply::Send(json("200 OK", r#"{"id":"u1"}"#)),
            _ => Reply::Send(json(
                "400 Bad Request",
                &format!(r#"{{"code":"x","message":"{CODE} {NEW_PASSWORD}"}}"#),
            )),
        }
    })
    .await;
    let counter = Arc::new(Mutex::new(0));
    let client = AccountClient::new(
        &server.url,
        TokenSource::provider(move || {
            *counter.lock().unwrap() += 1;
            async { Ok::<_, BoxError>(AccessToken::new(TOKEN)) }
        }),
    )
    .unwrap();

    client.account().await.unwrap();
    let proof = client
        .verify_password(&Password::new(PASSWORD))
        .await
        .unwrap();
    client
        .change_password(&proof, &Password::new(NEW_PASSWORD))
        .await
        .unwrap();
    let email: PendingCode<VerifiedEmail> = pending(CodeDestination::Email("a@example.com".into()));
    client
        .verify_code(&email, &VerificationCode::new(CODE))
        .await
        .unwrap_err();

    let log = captured.text();
    assert!(log.contains("operation=\"update_password\""), "{log}");
    assert!(log.contains("status=204"), "{log}");
    assert!(log.contains("attempts=1"), "{log}");
    assert!(log.contains("request_id=\"FAULTREQUEST0001\""), "{log}");
    assert!(
        log.contains("path=\"/api/verifications/password\""),
        "{log}"
    );
    assert_no_secret(&log);
}

#[tokio::test]
async fn retries_show_in_the_trace() {
    let captured = crate::Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());
    let server = FaultServer::start(|n, _| match n {
        0 => Reply::Send(json("503 Service Unavailable", r#"{"message":"busy"}"#)),
        _ => Reply::Send(json("200 OK", r#"{"id":"u1"}"#)),
    })
    .await;
    let client = AccountClient::new(&server.url, AccessToken::new(TOKEN)).unwrap();

    client.account().await.unwrap();

    let log = captured.text();
    assert!(log.contains("retrying after a busy answer"), "{log}");
    assert!(log.contains("status=503"), "{log}");
    assert!(log.contains("attempts=2"), "{log}");
    assert!(log.contains("operation=\"get_profile\""), "{log}");
    assert_no_secret(&log);
}

#[test]
fn plain_http_is_refused_unless_loopback_or_allowed() {
    for endpoint in ["http://logto.example.com", "http://10.0.0.5:3001"] {
        let error = AccountClient::new(endpoint, AccessToken::new(TOKEN)).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    field: "endpoint",
                    ..
                }
            ),
            "{endpoint}: {error:?}"
        );
    }
    for endpoint in [
        "http://localhost:3001",
        "http://127.0.0.1",
        "http://127.8.0.1:80",
        "http://[::1]:3001",
        "https://logto.example.com",
    ] {
        assert!(
            AccountClient::new(endpoint, AccessToken::new(TOKEN)).is_ok(),
            "{endpoint}"
        );
    }
    let allowed = AccountClient::builder("http://logto.internal", AccessToken::new(TOKEN))
        .allow_insecure_http(true)
        .build();
    assert!(allowed.is_ok());
}

#[tokio::test]
async fn control_characters_in_ids_codes_and_tokens_are_refused_before_sending() {
    let server = FaultServer::start(|_, _| Reply::Send(json("200 OK", "{}"))).await;
    let client = client(&server.url);
    // A record id is checked where it is made: one that could split a
    // header, or carries a NUL, never exists.
    for bad in ["abc\r\nx-evil: 1", "id\u{0}", "", "two words", "é"] {
        let error = VerificationRecordId::new(bad).unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidInput {
                    field: "verification record id",
                    ..
                }
            ),
            "{bad:?}: {error:?}"
        );
    }
    let email: PendingCode<VerifiedEmail> = pending(CodeDestination::Email("a@example.com".into()));
    let error = client
        .verify_code(&email, &VerificationCode::new("12\n34"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidInput {
                field: "verification code",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(server.seen().is_empty());

    let provider = AccountClient::new(
        &server.url,
        TokenSource::provider(|| async { Ok::<_, BoxError>(AccessToken::new("tok\r\nx: y")) }),
    )
    .unwrap();
    let error = provider.account().await.unwrap_err();
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
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn path_segments_are_percent_encoded() {
    let server =
        FaultServer::start(|_, _| Reply::Send(b"HTTP/1.1 204 No Content\r\n\r\n".to_vec())).await;

    client(&server.url)
        .unlink_social_identity(&identity(), "../password?x=1#y")
        .await
        .unwrap();

    assert_eq!(
        server.seen()[0].path,
        "/api/my-account/identities/..%2Fpassword%3Fx=1%23y"
    );
}
