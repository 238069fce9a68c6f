//! A request goes out either directly (no subscriber wants its span, a
//! static token, the facade retries by building the request again) or
//! through the managed path (a span, a token provider that may refresh, a
//! copy of the request kept for retries). Both must send the same requests
//! and give the same outcome, for every scripted answer.

use std::time::Duration;

use crate::fault_server::{FaultServer, Reply, json, with_header};
use logto_account::{
    AccessToken, AccountClient, AccountUpdate, BoxError, Password, RetryPolicy, TokenSource,
};

const ACCOUNT: &str = r#"{"id":"u1","name":"Ada"}"#;
const RECORD: &str =
    r#"{"verificationRecordId":"t0czpmpa7nnr3qu5ymsqk","expiresAt":"2026-11-25T11:14:44.879Z"}"#;

/// How the client is set up, which decides the path its requests take.
#[derive(Clone, Copy, Debug)]
enum Setup {
    /// A static token and no subscriber: the direct path.
    Direct,
    /// A static token under a TRACE subscriber: the managed path, traced.
    Traced,
    /// A token provider: the managed path, which can refresh.
    Provider,
}

/// One call of the facade.
#[derive(Clone, Copy, Debug)]
enum Call {
    ReadAccount,
    UpdateName,
    VerifyPassword,
}

/// A call, the server's answers in turn (the last repeats), how many
/// requests must arrive, and the outcome.
type Case = (
    Call,
    &'static [&'static str],
    usize,
    Result<&'static str, Option<u16>>,
);

/// What reached the server, and what the caller got.
#[derive(Debug, PartialEq)]
struct Observed {
    requests: Vec<(String, String, Option<String>, Vec<u8>)>,
    outcome: Result<String, Option<u16>>,
}

fn server_script(
    answers: &'static [&'static str],
) -> impl Fn(usize, &crate::fault_server::Seen) -> Reply {
    move |n, _| {
        let answer = answers[n.min(answers.len() - 1)];
        match answer {
            "200" => Reply::Send(json("200 OK", ACCOUNT)),
            "201" => Reply::Send(json("201 Created", RECORD)),
            "429" => Reply::Send(with_header(
                json("429 Too Many Requests", r#"{"message":"slow down"}"#),
                "retry-after: 1",
            )),
            "502" => Reply::Send(json("502 Bad Gateway", r#"{"message":"down"}"#)),
            _ => Reply::Send(json("503 Service Unavailable", r#"{"message":"busy"}"#)),
        }
    }
}

async fn observe(setup: Setup, call: Call, answers: &'static [&'static str]) -> Observed {
    let server = FaultServer::start(server_script(answers)).await;
    let source = match setup {
        Setup::Direct | Setup::Traced => TokenSource::from(AccessToken::new("token-1")),
        Setup::Provider => {
            TokenSource::provider(|| async { Ok::<_, BoxError>(AccessToken::new("token-1")) })
        }
    };
    let client = AccountClient::builder(&server.url, source)
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_millis(40)),
        )
        .build()
        .unwrap();
    let captured = crate::Captured::default();
    let _guard = matches!(setup, Setup::Traced)
        .then(|| tracing::subscriber::set_default(captured.subscriber()));
    let outcome = match call {
        Call::ReadAccount => client.account().await.map(|account| account.id),
        Call::UpdateName => client
            .update_account(&AccountUpdate::new().name("Ada"))
            .await
            .map(|account| account.id),
        Call::VerifyPassword => client
            .verify_password(&Password::new("pw"))
            .await
            .map(|_| "verified".to_owned()),
    }
    .map_err(|error| error.status().map(|status| status.as_u16()));
    let requests = server
        .seen()
        .into_iter()
        .map(|seen| {
            let authorization = seen.header("authorization").map(str::to_owned);
            (seen.method, seen.path, authorization, seen.body)
        })
        .collect();
    if matches!(setup, Setup::Traced) {
        assert!(captured.text().contains("logto_account.request"));
    }
    Observed { requests, outcome }
}

#[tokio::test(start_paused = true)]
async fn direct_and_managed_sends_agree_on_requests_and_outcomes() {
    let cases: [Case; 7] = [
        (Call::ReadAccount, &["200"], 1, Ok("u1")),
        (Call::ReadAccount, &["503", "200"], 2, Ok("u1")),
        (Call::ReadAccount, &["503"], 3, Err(Some(503))),
        (Call::ReadAccount, &["429", "200"], 2, Ok("u1")),
        (Call::UpdateName, &["502", "200"], 1, Err(Some(502))),
        (Call::VerifyPassword, &["503", "201"], 1, Err(Some(503))),
        (Call::VerifyPassword, &["201"], 1, Ok("verified")),
    ];
    for (call, answers, sent, outcome) in cases {
        let direct = observe(Setup::Direct, call, answers).await;
        assert_eq!(direct.requests.len(), sent, "{call:?} {answers:?}");
        assert_eq!(
            direct.outcome,
            outcome.map(str::to_owned),
            "{call:?} {answers:?}"
        );
        for request in &direct.requests {
            assert_eq!(request.2.as_deref(), Some("Bearer token-1"));
        }
        for setup in [Setup::Traced, Setup::Provider] {
            let managed = observe(setup, call, answers).await;
            assert_eq!(managed, direct, "{setup:?} {call:?} {answers:?}");
        }
    }
}
