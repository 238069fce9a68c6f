//! Rules our spec keeps: the operations, the verification header exactly
//! where Logto needs it, typed error bodies, and none of Logto's document bugs.

use std::collections::BTreeMap;

use serde_json::Value;

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/logto-account.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Resolves a local `$ref`, or returns the value itself.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(spec, spec.pointer(pointer).unwrap())
        }
        None => value,
    }
}

/// operationId -> the operation.
fn operations(spec: &Value) -> BTreeMap<String, &Value> {
    let mut operations = BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            operations.insert(id, operation);
        }
    }
    operations
}

#[test]
fn the_spec_covers_logtos_operations_with_logtos_ids() {
    let spec = spec();
    let ids: Vec<String> = operations(&spec).into_keys().collect();
    let mut expected = vec![
        "GetProfile",
        "UpdateProfile",
        "UpdateOtherProfile",
        "UpdatePassword",
        "UpdatePrimaryEmail",
        "DeletePrimaryEmail",
        "UpdatePrimaryPhone",
        "DeletePrimaryPhone",
        "AddUserIdentities",
        "DeleteIdentity",
        "CreateVerificationByPassword",
        "CreateVerificationByVerificationCode",
        "VerifyVerificationByVerificationCode",
        "CreateVerificationBySocial",
        "VerifyVerificationBySocial",
        "GetMfaVerifications",
        "AddMfaVerification",
        "CreateOrReplaceTotpMfaVerification",
        "GenerateTotpSecret",
        "GenerateMyAccountBackupCodes",
        "GetBackupCodes",
        "UpdateMfaVerificationName",
        "DeleteMfaVerification",
        "GenerateWebAuthnRegistrationOptions",
        "VerifyWebAuthnRegistration",
        "GetMfaSettings",
        "UpdateMfaSettings",
        "GetLogtoConfig",
        "UpdateLogtoConfig",
        "ReplaceMyAccountIdentity",
        "GetSocialIdentityAccessToken",
        "UpdateSocialIdentityAccessTokenByVerificationId",
        "GetEnterpriseSsoIdentityAccessToken",
        "GetSessions",
        "DeleteSessionById",
        "GetGrants",
        "DeleteGrantById",
        "UploadAccountAvatar",
    ];
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

#[test]
fn the_verification_header_is_declared_exactly_where_logto_reads_it() {
    let spec = spec();
    let mut declared = BTreeMap::new();
    for (id, operation) in operations(&spec) {
        let header = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|parameter| resolve(&spec, parameter))
            .find(|parameter| {
                parameter["in"] == "header" && parameter["name"] == "logto-verification-id"
            });
        if let Some(header) = header {
            declared.insert(id, header["required"].as_bool().unwrap_or(false));
        }
    }
    let expected: BTreeMap<String, bool> = [
        // Always needed (facts section 5, "V").
        ("UpdatePrimaryEmail", true),
        ("DeletePrimaryEmail", true),
        ("UpdatePrimaryPhone", true),
        ("DeletePrimaryPhone", true),
        ("AddMfaVerification", true),
        ("CreateOrReplaceTotpMfaVerification", true),
        ("GetBackupCodes", true),
        ("UpdateMfaVerificationName", true),
        ("DeleteMfaVerification", true),
        ("UpdateMfaSettings", true),
        ("UpdateLogtoConfig", true),
        ("GetSessions", true),
        ("DeleteSessionById", true),
        ("GetGrants", true),
        ("DeleteGrantById", true),
        // Needed only if the user has a password, email or phone ("V?"),
        // or only when `username` is sent.
        ("UpdatePassword", false),
        ("AddUserIdentities", false),
        ("ReplaceMyAccountIdentity", false),
        ("DeleteIdentity", false),
        ("UpdateProfile", false),
    ]
    .into_iter()
    .map(|(id, required)| (id.to_owned(), required))
    .collect();
    assert_eq!(declared, expected);
}

#[test]
fn every_error_status_has_a_json_error_body_schema() {
    let spec = spec();
    for (id, operation) in operations(&spec) {
        let responses = operation["responses"].as_object().unwrap();
        let errors: Vec<&String> = responses
            .keys()
            // 4xx and 5xx: a 304 (GetProfile's conditional read) is no error.
            .filter(|status| status.starts_with('4') || status.starts_with('5'))
            .collect();
        assert!(!errors.is_empty(), "{id} declares no error");
        for status in errors {
            let response = resolve(&spec, &responses[status]);
            let schema = &response["content"]["application/json"]["schema"];
            assert_eq!(
                schema["$ref"], "#/components/schemas/ErrorBody",
                "{id} {status}"
            );
        }
    }
    let error_body = &spec["components"]["schemas"]["ErrorBody"];
    assert_eq!(error_body["required"], serde_json::json!(["message"]));
    for field in ["code", "message", "data", "details"] {
        assert!(error_body["properties"].get(field).is_some(), "{field}");
    }
}

#[test]
fn patterns_are_plain_regexes_without_javascript_slashes() {
    fn visit(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(pattern)) = map.get("pattern") {
                    found.push(pattern.clone());
                }
                assert_ne!(map.get("format"), Some(&Value::String("regex".into())));
                map.values().for_each(|v| visit(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| visit(v, found)),
            _ => {}
        }
    }
    let mut patterns = Vec::new();
    visit(&spec(), &mut patterns);
    assert!(!patterns.is_empty());
    for pattern in patterns {
        assert!(
            pattern.starts_with('^') && pattern.ends_with('$'),
            "{pattern}"
        );
    }
}

#[test]
fn bearer_security_is_declared_for_the_whole_api() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.0.3");
    assert_eq!(spec["security"], serde_json::json!([{"bearerAuth": []}]));
    let scheme = &spec["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
}

#[test]
fn timestamps_are_epoch_milliseconds_and_expiries_are_date_times() {
    let spec = spec();
    let account = &spec["components"]["schemas"]["AccountResponse"]["properties"];
    for field in ["createdAt", "updatedAt", "lastSignInAt"] {
        assert_eq!(account[field]["type"], "integer", "{field}");
        assert_eq!(account[field]["format"], "int64", "{field}");
    }
    assert_eq!(account["lastSignInAt"]["nullable"], true);
    for record in ["VerificationRecord", "SocialVerificationRecord"] {
        let expires = &spec["components"]["schemas"][record]["properties"]["expiresAt"];
        assert_eq!(expires["format"], "date-time", "{record}");
    }
}
