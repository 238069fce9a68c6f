//! Generation succeeds on our spec and fails clearly, naming the operation,
//! on specs progenitor cannot handle.

use std::path::{Path, PathBuf};

use logto_account_sdk_gen::GenError;
use serde_json::{Value, json};

fn project_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(logto_account_sdk_gen::SPEC_RELATIVE_PATH)
}

/// Our spec with `change` applied, written to a file of its own.
fn variant(name: &str, change: impl FnOnce(&mut Value)) -> PathBuf {
    let mut spec: Value =
        serde_json::from_str(&std::fs::read_to_string(project_spec()).unwrap()).unwrap();
    change(&mut spec);
    write(name, &spec)
}

fn write(name: &str, spec: &Value) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("sdk-gen-test-{}-{name}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(spec).unwrap()).unwrap();
    path
}

fn generate(path: &Path) -> Result<String, GenError> {
    logto_account_sdk_gen::load(path).and_then(|spec| logto_account_sdk_gen::generate(&spec))
}

#[test]
fn the_project_spec_generates_one_method_per_operation() {
    let code = generate(&project_spec()).unwrap();
    for method in [
        "get_profile",
        "update_profile",
        "update_other_profile",
        "update_password",
        "update_primary_email",
        "delete_primary_email",
        "update_primary_phone",
        "delete_primary_phone",
        "add_user_identities",
        "delete_identity",
        "create_verification_by_password",
        "create_verification_by_verification_code",
        "verify_verification_by_verification_code",
        "create_verification_by_social",
        "verify_verification_by_social",
        "get_mfa_verifications",
        "add_mfa_verification",
        "create_or_replace_totp_mfa_verification",
        "generate_totp_secret",
        "generate_my_account_backup_codes",
        "get_backup_codes",
        "update_mfa_verification_name",
        "delete_mfa_verification",
        "generate_web_authn_registration_options",
        "verify_web_authn_registration",
        "get_mfa_settings",
        "update_mfa_settings",
        "get_logto_config",
        "update_logto_config",
        "replace_my_account_identity",
        "get_social_identity_access_token",
        "update_social_identity_access_token_by_verification_id",
        "get_enterprise_sso_identity_access_token",
        "get_sessions",
        "delete_session_by_id",
        "get_grants",
        "delete_grant_by_id",
    ] {
        assert!(
            code.contains(&format!("pub async fn {method}<'a>(")),
            "{method}"
        );
    }
    // Multipart operations (the avatar upload) are sent by the facade:
    // progenitor generates no multipart body.
    let spec = logto_account_sdk_gen::load(&project_spec()).unwrap();
    let generated = spec
        .operations()
        .filter(|(_, _, operation)| {
            !operation
                .request_body
                .as_ref()
                .is_some_and(|body| match body {
                    openapiv3::ReferenceOr::Item(body) => {
                        body.content.contains_key("multipart/form-data")
                    }
                    openapiv3::ReferenceOr::Reference { .. } => false,
                })
        })
        .count();
    assert_eq!(generated, 37);
    assert_eq!(code.matches("pub async fn ").count(), generated);
}

#[test]
fn a_missing_schema_names_the_operation_instead_of_panicking() {
    let path = variant("missing-ref", |spec| {
        spec["paths"]["/api/my-account/password"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"] = json!({"$ref": "#/components/schemas/Nope"});
    });

    match generate(&path).unwrap_err() {
        GenError::Operation {
            operation_id,
            reason,
        } => {
            assert_eq!(operation_id, "UpdatePassword");
            assert!(reason.contains("#/components/schemas/Nope"), "{reason}");
        }
        other => panic!("expected an Operation error, got {other}"),
    }
}

#[test]
fn an_unsupported_content_type_names_the_operation() {
    let path = variant("xml", |spec| {
        spec["paths"]["/api/verifications/password"]["post"]["requestBody"]["content"] =
            json!({"application/xml": {"schema": {"type": "string"}}});
    });

    let error = generate(&path).unwrap_err();

    assert_eq!(
        error.to_string(),
        "cannot generate code for operation CreateVerificationByPassword: unexpected or unhandled format in the OpenAPI document unexpected content type: application/xml"
    );
}

#[test]
fn a_duplicate_operation_id_is_refused() {
    let path = variant("duplicate", |spec| {
        spec["paths"]["/api/my-account/password"]["post"]["operationId"] = json!("GetProfile");
    });

    let error = generate(&path).unwrap_err();

    assert_eq!(
        error.to_string(),
        "spec check failed: operationId GetProfile is used twice"
    );
}

#[test]
fn an_openapi_3_1_document_is_refused() {
    let path = write(
        "v31",
        &json!({"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}}),
    );

    let error = generate(&path).unwrap_err();

    assert!(matches!(error, GenError::Invalid { .. }), "{error}");
    assert!(
        error.to_string().ends_with("version 3.1.0, expected 3.0.x"),
        "{error}"
    );
}

#[test]
fn a_missing_file_is_a_read_error() {
    let error = generate(&PathBuf::from("/nonexistent/spec.json")).unwrap_err();

    assert!(matches!(error, GenError::Read { .. }), "{error}");
}

#[test]
fn a_path_parameter_that_is_not_a_path_segment_is_refused_naming_the_operation() {
    let path = variant("raw-path-param", |spec| {
        spec["paths"]["/api/my-account/identities/{target}"]["delete"]["parameters"][0]["schema"] =
            json!({"type": "string", "minLength": 1});
    });

    let error = generate(&path).unwrap_err();

    assert_eq!(
        error.to_string(),
        "spec check failed: operation DeleteIdentity: path parameter `target` must be a `$ref` to #/components/schemas/PathSegment"
    );
}

#[test]
fn x_secret_fields_are_listed_and_redacted_in_the_generated_debug() {
    let code = generate(&project_spec()).unwrap();
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(project_spec()).unwrap()).unwrap();

    let marked: std::collections::BTreeSet<&str> = spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|schema| schema["properties"].as_object())
        .flat_map(|properties| properties.iter())
        .filter(|(_, property)| property["x-secret"] == json!(true))
        .map(|(name, _)| name.as_str())
        .collect();
    let declaration = "pub const SECRET_FIELDS: &[&str] = &[";
    let start = code.find(declaration).unwrap() + declaration.len();
    let list = &code[start..];
    let list = &list[..list.find("];").unwrap()];
    let listed: std::collections::BTreeSet<&str> = list
        .split(',')
        .map(|name| name.trim().trim_matches('"'))
        .filter(|name| !name.is_empty())
        .collect();
    assert_eq!(listed, marked);
    assert!(code.contains(r#"pub const SECRET_HEADERS: &[&str] = &["logto-verification-id"];"#));
    assert!(code.contains(r#".field("password", &format_args!("***"))"#));
    assert!(code.contains(r#"f.write_str("VerificationRecordId(***)")"#));
}
