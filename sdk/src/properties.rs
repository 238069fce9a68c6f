//! Property tests: decoding and checking arbitrary input never panics, and
//! the local input rules agree with the server's regular expressions.

use proptest::prelude::*;
use serde_json::Value;

use crate::error::ApiError;
use crate::redact::RequestSecrets;
use crate::{Account, VerificationRecordId};

/// A modest number of cases: these run in every CI build.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Arbitrary JSON, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("code".to_owned()),
                    Just("issues".to_owned()),
                    Just("createdAt".to_owned()),
                    Just("interpolation".to_owned()),
                    ".{0,8}".prop_map(String::from),
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// What JavaScript's `\s` matches: a character `\S` refuses.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `^\S+@\S+\.\S+$` written out by hand.
fn reference_email(text: &str) -> bool {
    if text.is_empty() || text.chars().any(is_js_space) {
        return false;
    }
    // Some `@` with text before it, and after it some `.` with text on
    // both sides (greedy matching may pick any of them).
    text.char_indices()
        .filter(|(_, c)| *c == '@')
        .any(|(at, _)| {
            at > 0 && {
                let rest = &text[at + 1..];
                rest.char_indices()
                    .filter(|(_, c)| *c == '.')
                    .any(|(dot, _)| dot > 0 && dot + 1 < rest.len())
            }
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_json_decodes_to_an_account_or_an_error(value in json()) {
        if let Ok(response) = serde_json::from_value::<logto_account_api::types::AccountResponse>(value) {
            let _ = Account::from_response(response);
        }
    }

    #[test]
    fn any_bytes_decode_to_an_account_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(response) = serde_json::from_slice::<logto_account_api::types::AccountResponse>(&bytes) {
            let _ = Account::from_response(response);
        }
    }

    #[test]
    fn any_error_body_gives_issues_without_panicking(code in prop_oneof![Just("password.rejected".to_owned()), Just("guard.invalid_input".to_owned()), ".{0,20}"], data in json()) {
        let body = logto_account_api::types::ErrorBody {
            code: Some(code),
            data: Some(data),
            details: None,
            message: "m".to_owned(),
        };
        let error = ApiError::from_body(reqwest::StatusCode::BAD_REQUEST, body, None, &RequestSecrets::default());
        let _ = (error.password_issues(), error.input_issues(), error.to_string());
    }

    #[test]
    fn phone_numbers_are_refused_locally_exactly_when_not_all_digits(phone in "[0-9+ ()-]{0,16}|\\PC{0,8}") {
        let expected = !phone.is_empty() && phone.chars().all(|c| c.is_ascii_digit());
        prop_assert_eq!(crate::input::phone(&phone).is_ok(), expected);
    }

    #[test]
    fn emails_are_refused_locally_exactly_as_the_server_pattern_does(email in "[a-z@. \u{a0}]{0,12}|\\PC{0,12}") {
        prop_assert_eq!(crate::input::email(&email).is_ok(), reference_email(&email), "{:?}", email);
    }

    #[test]
    fn usernames_are_refused_locally_exactly_as_the_server_pattern_does(name in "[A-Za-z0-9_ é-]{0,10}") {
        let expected = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        prop_assert_eq!(crate::input::username(&name).is_ok(), expected);
    }

    #[test]
    fn redaction_removes_every_echoed_secret(secret in "[a-zA-Z0-9]{4,24}", prefix in ".{0,20}", suffix in ".{0,20}") {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("logto-verification-id", secret.parse().unwrap());
        let secrets = RequestSecrets::of_request(&headers, None);
        let echoed = format!("{prefix}{secret}{suffix}");
        let body = serde_json::json!({"code": echoed, "message": echoed, "details": echoed, "data": [format!("{secret}{secret}"), {echoed.clone(): echoed}]});
        let error = ApiError::from_body(reqwest::StatusCode::BAD_REQUEST, serde_json::from_value(body.clone()).unwrap(), None, &secrets);
        let shown = format!("{error} {error:?}");
        prop_assert!(!shown.contains(&secret), "{}", shown);
        let excerpt = secrets.body_excerpt(body.to_string().as_bytes());
        prop_assert!(!excerpt.contains(&secret), "{}", excerpt);
    }

    #[test]
    fn opaque_ids_with_anything_but_visible_ascii_are_refused(id in "\\PC{0,24}") {
        let expected = !id.is_empty() && id.bytes().all(|b| b.is_ascii_graphic());
        prop_assert_eq!(VerificationRecordId::new(id.clone()).is_ok(), expected);
    }
}
