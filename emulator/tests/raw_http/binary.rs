//! The standalone binary, driven as a test in another language would: its
//! options, its stdout and the admin routes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::common::*;

const BINARY: &str = env!("CARGO_BIN_EXE_logto-account-emulator");

/// Kills the child when the test ends, even on failure.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn help_prints_the_usage_and_exits_0() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("usage: logto-account-emulator"), "{text}");
    assert!(text.contains("/__emulator/codes"));
}

#[test]
fn a_bad_option_exits_2() {
    let output = Command::new(BINARY).arg("--bogus").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[tokio::test]
async fn a_test_outside_rust_can_finish_the_email_flow() {
    let mut child = Command::new(BINARY)
        .args([
            "--port",
            "0",
            "--user",
            "ada:correct horse battery staple:ada@example.com",
        ])
        .args(["--scope", "openid", "--scope", "email"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let base_url = lines
        .next()
        .unwrap()
        .unwrap()
        .strip_prefix("listening ")
        .unwrap()
        .to_owned();
    let user_line = lines.next().unwrap().unwrap();
    let [_, username, id, token] = user_line.split(' ').collect::<Vec<_>>()[..] else {
        panic!("{user_line}");
    };
    assert_eq!(username, "ada");

    let http = http_builder().build().unwrap();
    let bearer = format!("Bearer {token}");
    let identifier = json!({"type": "email", "value": "new@example.com"});
    let sent = Answer::read(
        http.post(format!("{base_url}/api/verifications/verification-code"))
            .header("authorization", &bearer)
            .json(&json!({"identifier": identifier})),
    )
    .await
    .json();
    let codes = Answer::read(http.get(format!("{base_url}/__emulator/codes")))
        .await
        .json();
    assert_eq!(codes[0]["to"], "new@example.com");
    assert_eq!(codes[0]["channel"], "email");
    assert_eq!(codes[0]["template"], "BindNewIdentifier");
    let verified = http
        .post(format!("{base_url}/api/verifications/verification-code/verify"))
        .header("authorization", &bearer)
        .json(&json!({"identifier": identifier, "verificationId": sent["verificationRecordId"], "code": codes[0]["code"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), 200);

    // The clock moves on request: the record is gone after ten minutes.
    let advanced =
        Answer::read(http.post(format!("{base_url}/__emulator/clock/advance?seconds=600"))).await;
    assert_eq!(advanced.status, 200, "{}", advanced.text);
    assert!(advanced.json()["now"].as_str().unwrap().ends_with('Z'));
    // The token lacks `profile`: the account shows just what `email` allows.
    let account = Answer::read(
        http.get(format!("{base_url}/api/my-account"))
            .header("authorization", &bearer),
    )
    .await;
    assert_eq!(
        account.json(),
        json!({"id": id, "primaryEmail": "ada@example.com", "hasSecurityVerificationMethod": true})
    );
}

#[tokio::test]
async fn the_admin_routes_are_unknown_paths_unless_enabled() {
    let fixture = setup().await;
    let url = format!("{}/__emulator/codes", fixture.emulator.base_url());
    let off = Answer::read(fixture.http.get(&url)).await;
    assert_eq!((off.status, off.text.as_str()), (404, "Not Found"));
    fixture.emulator.enable_admin_routes();
    let on = Answer::read(fixture.http.get(&url)).await;
    assert_eq!((on.status, on.text.as_str()), (200, "[]"));
}
