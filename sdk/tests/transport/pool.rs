//! One client, many users: clients made with `with_token` share the
//! connection pool and the settings, and each sends only its own token.

use std::time::Duration;

use logto_account::{AccessToken, AccountClient, Error, RetryPolicy};

use crate::fault_server::{FaultServer, Reply, json};

#[tokio::test]
async fn clients_for_two_users_share_one_connection() {
    let server = FaultServer::start(|_, request| {
        let id = match request.header("authorization") {
            Some("Bearer token-ada") => "ada",
            Some("Bearer token-bob") => "bob",
            _ => "nobody",
        };
        Reply::Send(json("200 OK", &format!(r#"{{"id":"{id}"}}"#)))
    })
    .await;
    let shared = AccountClient::builder(&server.url, AccessToken::new("unused"))
        .retry_policy(RetryPolicy::disabled())
        .user_agent("my-backend/2.0")
        .build()
        .unwrap();
    let ada = shared.with_token(AccessToken::new("token-ada")).unwrap();
    let bob = shared.with_token(AccessToken::new("token-bob")).unwrap();

    let ids = [
        ada.account().await.unwrap().id,
        bob.account().await.unwrap().id,
        ada.account().await.unwrap().id,
    ];

    assert_eq!(ids, ["ada", "bob", "ada"]);
    assert_eq!(
        server.connections(),
        1,
        "one pool, one kept-alive connection"
    );
    let seen = server.seen();
    let agents: Vec<_> = seen.iter().map(|s| s.header("user-agent")).collect();
    assert_eq!(agents, [Some("my-backend/2.0"); 3]);
}

#[tokio::test]
async fn with_token_refuses_a_token_that_cannot_be_sent() {
    let shared = AccountClient::new("http://127.0.0.1:9", AccessToken::new("t")).unwrap();
    let error = shared.with_token(AccessToken::new("a\nb")).unwrap_err();
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
}

#[tokio::test]
async fn an_application_http_client_is_used_and_a_followed_redirect_is_an_error() {
    let elsewhere =
        FaultServer::start(|_, _| Reply::Send(json("200 OK", r#"{"id":"someone-else"}"#))).await;
    let target = format!("{}/x?t=tok-app-1", elsewhere.url);
    let origin = FaultServer::start(move |_, _| {
        Reply::Send(
            format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n"
            )
            .into_bytes(),
        )
    })
    .await;
    // An application client that follows redirects (reqwest's default).
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .user_agent("app-client/1")
        .build()
        .unwrap();
    let client = AccountClient::builder(&origin.url, AccessToken::new("tok-app-1"))
        .http_client(http)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = client.account().await.unwrap_err();

    match &error {
        Error::Redirect { status, location } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(
                location.as_deref(),
                Some(format!("{}/x?t=***", elsewhere.url).as_str())
            );
        }
        other => panic!("expected Redirect, got {other:?}"),
    }
    assert_eq!(origin.seen()[0].header("user-agent"), Some("app-client/1"));
}
