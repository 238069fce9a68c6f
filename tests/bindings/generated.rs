//! The generated bindings: explicit nulls, and the request they send.

use logto_account_api::Clearable;
use logto_account_api::types::{UpdateProfileRequest, Username, VerificationCodeIdentifier};
use serde_json::json;

#[test]
fn update_profile_request_tells_absent_from_null_from_a_value() {
    let body = UpdateProfileRequest {
        name: Some(Clearable::Set("Ada".into())),
        avatar: Some(Clearable::Clear),
        username: None,
        custom_data: Some(serde_json::Map::new()),
    };

    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"name": "Ada", "avatar": null, "customData": {}})
    );
    assert_eq!(
        serde_json::to_value(UpdateProfileRequest::default()).unwrap(),
        json!({})
    );
}

#[test]
fn clearable_reads_back_what_it_writes() {
    let clear: Clearable<String> = serde_json::from_value(json!(null)).unwrap();
    let set: Clearable<String> = serde_json::from_value(json!("x")).unwrap();
    assert_eq!(clear, Clearable::Clear);
    assert_eq!(set, Clearable::Set("x".into()));
}

#[test]
fn generated_types_enforce_the_specs_patterns() {
    assert!(Username::try_from("ada_l").is_ok());
    assert!(Username::try_from("_x1").is_ok());
    assert!(Username::try_from("1ada").is_err());
    assert!(Username::try_from("bad name!").is_err());
    let identifier: VerificationCodeIdentifier =
        serde_json::from_value(json!({"type": "phone", "value": "15551234567"})).unwrap();
    assert_eq!(
        serde_json::to_value(&identifier).unwrap(),
        json!({"type": "phone", "value": "15551234567"})
    );
    assert!(
        serde_json::from_value::<VerificationCodeIdentifier>(
            json!({"type": "phone", "value": "+1555"})
        )
        .is_err()
    );
}

#[test]
fn generated_types_holding_secrets_print_them_as_stars() {
    use logto_account_api::types::{
        CreateVerificationByPasswordRequest, VerificationRecordId,
        VerifyVerificationBySocialRequest,
    };
    let password = CreateVerificationByPasswordRequest {
        password: "hunter2-secret".try_into().unwrap(),
    };
    let record: VerificationRecordId = "rec-secret-1".to_owned().try_into().unwrap();
    let mut data = serde_json::Map::new();
    data.insert("code".into(), json!("oauth-secret-2"));
    let social = VerifyVerificationBySocialRequest {
        verification_record_id: "rec-secret-3".into(),
        connector_data: data,
    };

    let shown = format!("{password:?} {:?} {record:?} {social:?}", password.password);

    assert_eq!(
        shown,
        "CreateVerificationByPasswordRequest { password: *** } CreateVerificationByPasswordRequestPassword(***) VerificationRecordId(***) VerifyVerificationBySocialRequest { connector_data: ***, verification_record_id: *** }"
    );
    assert_eq!(logto_account_api::SECRET_HEADERS, ["logto-verification-id"]);
}
