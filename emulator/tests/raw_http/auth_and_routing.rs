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
async fn a_known_path_in_another_case_reaches_koa_routers_handler_and_fails_with_500() {
    let fixture = setup().await;
    for path in ["/API/MY-ACCOUNT", "/api/My-Account/identities/github"] {
        let answer = fixture.call(Method::GET, path, None).await;
        assert_eq!(answer.status, 500, "{path}");
        assert_eq!(
            answer.text, r#"{"message":"Internal server error."}"#,
            "{path}"
        );
        assert_eq!(
            answer.header("content-type"),
            Some("application/json; charset=utf-8")
        );
    }
    // A parameter's value keeps its case: that is a different identity.
    let answer = fixture
        .call(Method::DELETE, "/api/my-account/identities/GitHub", None)
        .await;
    assert_ne!(answer.status, 500);
}

#[tokio::test]
async fn an_unknown_path_is_plain_text_404_before_authentication() {
    let fixture = setup().await;
    for path in [
        "/api/my-account/nope",
        "/api/my-account/trusted-devices",
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

/// Sends `method` to `path` with extra headers and no token.
async fn raw(fixture: &Fixture, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = fixture.http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{path}", fixture.emulator.base_url()),
    );
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    Answer::read(request).await
}

/// Every operation of our spec reaches a handler: without a token each
/// answers Logto's 401, never the 404 of an unknown path or the 405 of an
/// unserved method. An operation added to the spec without a handler fails
/// here.
#[tokio::test]
async fn every_operation_of_the_spec_is_routed() {
    let fixture = setup().await;
    let spec: serde_json::Value =
        serde_json::from_str(logto_account_api::OPENAPI_DOCUMENT).unwrap();
    let mut operations = 0;
    for (template, item) in spec["paths"].as_object().unwrap() {
        // Path parameters get a plain value.
        let path: String = template
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "x"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            operations += 1;
            let answer = raw(&fixture, &method.to_ascii_uppercase(), &path, &[]).await;
            assert_eq!(answer.status, 401, "{method} {template}: {}", answer.text);
            assert_eq!(
                answer.json()["code"],
                "auth.authorization_header_missing",
                "{method} {template}"
            );
        }
    }
    assert!(operations >= 15, "{operations}");
}

#[tokio::test]
async fn options_lists_the_paths_methods() {
    let fixture = setup().await;
    let answer = raw(&fixture, "OPTIONS", "/api/my-account", &[]).await;
    assert_eq!((answer.status, answer.text.as_str()), (200, ""));
    assert_eq!(answer.header("allow"), Some("HEAD, GET, PATCH"));
    let answer = raw(&fixture, "OPTIONS", "/api/my-account/primary-email", &[]).await;
    assert_eq!(answer.header("allow"), Some("POST, DELETE"));
    let answer = raw(&fixture, "OPTIONS", "/api/my-account/nowhere", &[]).await;
    assert_eq!((answer.status, answer.text.as_str()), (404, "Not Found"));
}

#[tokio::test]
async fn a_cors_preflight_is_204_before_authentication() {
    let fixture = setup().await;
    let answer = raw(
        &fixture,
        "OPTIONS",
        "/api/my-account",
        &[
            ("origin", "https://app.example"),
            ("access-control-request-method", "PATCH"),
            (
                "access-control-request-headers",
                "authorization,content-type,logto-verification-id",
            ),
        ],
    )
    .await;
    assert_eq!((answer.status, answer.text.as_str()), (204, ""));
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert_eq!(
        answer.header("access-control-allow-methods"),
        Some("GET,HEAD,PUT,POST,DELETE,PATCH")
    );
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("authorization,content-type,logto-verification-id")
    );
    assert!(answer.header("logto-core-request-id").is_some());
}

#[tokio::test]
async fn cors_headers_only_on_account_and_verification_routes() {
    let fixture = setup().await;
    let origin = [("origin", "https://app.example")];
    let account = raw(&fixture, "GET", "/api/my-account", &origin).await;
    assert_eq!(
        account.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    let verification = raw(&fixture, "POST", "/api/verifications/password", &origin).await;
    assert_eq!(
        verification.header("access-control-expose-headers"),
        Some("*")
    );
    for path in ["/api/.well-known/user.openapi.json", "/api/elsewhere"] {
        let answer = raw(&fixture, "GET", path, &origin).await;
        assert_eq!(answer.header("access-control-allow-origin"), None, "{path}");
        assert!(answer.header("logto-core-request-id").is_some(), "{path}");
    }
}

#[tokio::test]
async fn two_verification_headers_are_joined_and_verify_nothing() {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let answer = raw(
        &fixture,
        "DELETE",
        "/api/my-account/primary-email",
        &[
            ("authorization", &format!("Bearer {}", fixture.token)),
            ("logto-verification-id", &proof),
            ("logto-verification-id", &proof),
        ],
    )
    .await;
    answer.assert_error(401, permission_denied());
}

#[tokio::test]
async fn node_refuses_huge_headers_and_unknown_methods_with_empty_bodies() {
    let fixture = setup().await;
    let huge = "x".repeat(17 * 1024);
    let answer = raw(&fixture, "GET", "/api/my-account", &[("x-padding", &huge)]).await;
    assert_eq!((answer.status, answer.text.as_str()), (431, ""));
    assert_eq!(answer.header("logto-core-request-id"), None);
    let answer = raw(&fixture, "FOO", "/api/my-account", &[]).await;
    assert_eq!((answer.status, answer.text.as_str()), (400, ""));
    assert_eq!(answer.header("logto-core-request-id"), None);
}
