//! Authentication, the account center switch, unknown routes and the headers
//! every answer carries, against the facts' real answers.

use std::time::Duration;

use crate::common::*;
use logto_account_emulator::Emulator;
use reqwest::Method;
use serde_json::json;

async fn get_with_authorization(fixture: &Fixture, authorization: &str) -> Answer {
    let response = fixture
        .http
        .get(format!("{}/api/my-account", fixture.emulator.base_url()))
        .header("authorization", authorization)
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        text: response.text().await.unwrap(),
    }
}

#[tokio::test]
async fn a_request_without_authorization_is_401_header_missing() {
    let fixture = setup().await;
    let answer = fixture
        .send(Call {
            method: Method::GET,
            path: "/api/my-account",
            token: None,
            verification: None,
            body: None,
        })
        .await;
    answer.assert_error(
        401,
        json!({"code": "auth.authorization_header_missing", "message": "Authorization header is missing."}),
    );
}

#[tokio::test]
async fn an_unknown_token_is_401_unauthorized() {
    let fixture = setup().await;
    let answer = get_with_authorization(&fixture, "Bearer not-a-real-token").await;
    answer.assert_error(401, unauthorized());
    get_with_authorization(&fixture, "Bearer ")
        .await
        .assert_error(401, unauthorized());
    let two_spaces = format!("Bearer  {}", fixture.token);
    get_with_authorization(&fixture, &two_spaces)
        .await
        .assert_error(401, unauthorized());
}

#[tokio::test]
async fn a_scheme_other_than_bearer_is_401_with_the_supported_types() {
    let fixture = setup().await;
    let expected = json!({
        "code": "auth.authorization_token_type_not_supported",
        "data": {"supportedTypes": ["Bearer"]},
        "message": "Authorization type is not supported."
    });
    get_with_authorization(&fixture, "Basic xxx")
        .await
        .assert_error(401, expected.clone());
    // The scheme is matched case-sensitively.
    let lower = format!("bearer {}", fixture.token);
    get_with_authorization(&fixture, &lower)
        .await
        .assert_error(401, expected);
}

#[tokio::test]
async fn any_single_character_after_bearer_separates_the_token() {
    let fixture = setup().await;
    for separator in ["\t", "X"] {
        let header = format!("Bearer{separator}{}", fixture.token);
        assert_eq!(get_with_authorization(&fixture, &header).await.status, 200);
    }
}

#[tokio::test]
async fn a_token_without_openid_is_403_forbidden() {
    let fixture = setup().await;
    let token = fixture.emulator.issue_token(&fixture.user_id, &["profile"]);
    let answer = get_with_authorization(&fixture, &format!("Bearer {token}")).await;
    answer.assert_error(
        403,
        json!({"code": "auth.forbidden", "message": "Forbidden. Please check your user roles and permissions."}),
    );
}

#[tokio::test]
async fn a_token_expires_after_an_hour_by_the_emulators_clock() {
    let fixture = setup().await;
    assert_eq!(
        fixture
            .call(Method::GET, "/api/my-account", None)
            .await
            .status,
        200
    );
    fixture.emulator.advance_clock(Duration::from_secs(3601));
    fixture
        .call(Method::GET, "/api/my-account", None)
        .await
        .assert_error(401, unauthorized());
}

#[tokio::test]
async fn an_unknown_path_is_plain_text_404_before_authentication() {
    let fixture = setup().await;
    for path in [
        "/api/my-account/nope",
        "/api/my-account/mfa-verifications",
        "/elsewhere",
    ] {
        let answer = fixture
            .send(Call {
                method: Method::GET,
                path,
                token: None,
                verification: None,
                body: None,
            })
            .await;
        assert_eq!(answer.status, 404);
        assert_eq!(answer.text, "Not Found");
        assert_eq!(
            answer.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(
            answer.header("logto-core-request-id").map(str::len),
            Some(16)
        );
    }
}

#[tokio::test]
async fn a_known_path_with_another_method_is_plain_text_405() {
    let fixture = setup().await;
    let answer = fixture
        .send(Call {
            method: Method::PUT,
            path: "/api/my-account",
            token: None,
            verification: None,
            body: None,
        })
        .await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.text, "Method Not Allowed");
    assert_eq!(
        answer.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
}

#[tokio::test]
async fn every_answer_has_a_fresh_request_id_and_open_cors() {
    let fixture = setup().await;
    let ok = fixture.call(Method::GET, "/api/my-account", None).await;
    let error = fixture
        .call(Method::PATCH, "/api/my-account", Some(json!({})))
        .await;
    let ids: Vec<&str> = [&ok, &error]
        .iter()
        .map(|answer| answer.header("logto-core-request-id").unwrap())
        .collect();
    assert!(
        ids.iter()
            .all(|id| id.len() == 16 && id.chars().all(|c| c.is_ascii_alphanumeric()))
    );
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ok.header("access-control-allow-origin"), Some("*"));
    assert_eq!(error.header("access-control-expose-headers"), Some("*"));
    assert_eq!(ok.header("retry-after"), None);
}

#[tokio::test]
async fn a_disabled_account_center_refuses_every_route_first() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    fixture.emulator.set_account_center_enabled(false);
    let expected =
        json!({"code": "account_center.not_enabled", "message": "Account center is not enabled."});
    let calls = [
        (Method::GET, "/api/my-account", None),
        (Method::PATCH, "/api/my-account", Some(json!({"name": 123}))),
        (Method::PATCH, "/api/my-account/profile", Some(json!({}))),
        (Method::POST, "/api/my-account/password", Some(json!({}))),
        (Method::DELETE, "/api/my-account/primary-email", None),
        (Method::DELETE, "/api/my-account/identities/github", None),
        (Method::POST, "/api/verifications/password", Some(json!({}))),
        (
            Method::POST,
            "/api/verifications/verification-code",
            Some(json!({"identifier": {"type": "email", "value": "x@y.z"}})),
        ),
        (Method::POST, "/api/verifications/social", Some(json!({}))),
    ];
    for (method, path, body) in calls {
        let answer = fixture.verified(method, path, &proof, body).await;
        answer.assert_error(400, expected.clone());
    }
    fixture.emulator.set_account_center_enabled(true);
    assert_eq!(
        fixture
            .call(Method::GET, "/api/my-account", None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn authentication_comes_before_the_account_center_switch() {
    let fixture = setup().await;
    fixture.emulator.set_account_center_enabled(false);
    let answer = get_with_authorization(&fixture, "Bearer not-a-real-token").await;
    answer.assert_error(401, unauthorized());
}

#[tokio::test]
async fn the_user_openapi_document_is_our_spec() {
    let fixture = setup().await;
    let answer = fixture
        .send(Call {
            method: Method::GET,
            path: "/api/.well-known/user.openapi.json",
            token: None,
            verification: None,
            body: None,
        })
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let spec: serde_json::Value =
        serde_json::from_str(logto_account_api::OPENAPI_DOCUMENT).unwrap();
    assert_eq!(answer.json(), spec);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let emulator = Emulator::start().await.unwrap();
    let url = format!("{}/api/my-account", emulator.base_url());
    let http = http_builder().pool_max_idle_per_host(0).build().unwrap();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);
    emulator.shutdown().await;
    assert!(http.get(&url).send().await.is_err());
}

#[tokio::test]
async fn a_token_of_a_user_that_does_not_exist_is_404() {
    let fixture = setup().await;
    let token = fixture.emulator.issue_default_token("nosuchuser00");
    let answer = get_with_authorization(&fixture, &format!("Bearer {token}")).await;
    answer.assert_error(
        404,
        json!({"code": "entity.not_exists_with_id", "message": "The user with ID `nosuchuser00` does not exist."}),
    );
}

#[tokio::test]
async fn the_end_of_time_expires_every_token_without_breaking_the_server() {
    let fixture = setup().await;
    let token = fixture.emulator.issue_token_valid_for(
        &fixture.user_id,
        &logto_account_emulator::DEFAULT_SCOPES,
        Duration::MAX,
    );
    fixture.emulator.advance_clock(Duration::MAX);
    let answer = fixture
        .send(Call {
            method: Method::POST,
            path: "/api/verifications/verification-code",
            token: Some(&token),
            verification: None,
            body: Some(json!({"identifier": {"type": "email", "value": "x@y.z"}})),
        })
        .await;
    answer.assert_error(401, unauthorized());
}

#[tokio::test]
async fn one_trailing_slash_reaches_the_same_route_as_in_koa_router() {
    let fixture = setup().await;
    assert_eq!(
        fixture
            .call(Method::GET, "/api/my-account/", None)
            .await
            .status,
        200
    );
    let proof = fixture.password_proof().await;
    fixture
        .verified(Method::DELETE, "/api/my-account/identities/github/", &proof, None)
        .await
        .assert_error(404, json!({"code": "user.identity_not_exist", "message": "The social account has not been registered yet."}));
    let two = fixture.call(Method::GET, "/api/my-account//", None).await;
    assert_eq!((two.status, two.text.as_str()), (404, "Not Found"));
}
