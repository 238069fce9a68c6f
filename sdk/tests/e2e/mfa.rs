//! MFA factors and WebAuthn keys against the emulator: every operation,
//! with Logto's checks (facts §13).

use crate::emulated::*;
use logto_account::{ErrorCode, MfaFactorKind, TotpCode};
use logto_account_emulator::{MfaFactor, webauthn};
use serde_json::{Value, json};

#[tokio::test]
async fn totp_binds_only_once_the_tenant_offers_it_and_the_code_is_right() {
    let world = world().await;
    let proof = world.proof().await;
    let secret = world.client.generate_totp_secret().await.unwrap();
    assert_eq!(secret.expose_secret().len(), 32);
    let code = TotpCode::new(world.emulator.totp_code(secret.expose_secret()).unwrap());

    let error = world
        .client
        .add_totp_factor(&proof, &secret, &code)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::MfaFactorNotEnabled));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));

    world
        .emulator
        .set_mfa_factors(&[MfaFactor::Totp, MfaFactor::BackupCode]);
    let wrong = TotpCode::new(if code.expose_secret() == "000000" {
        "111111"
    } else {
        "000000"
    });
    let error = world
        .client
        .add_totp_factor(&proof, &secret, &wrong)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidTotpCode));

    world
        .client
        .add_totp_factor(&proof, &secret, &code)
        .await
        .unwrap();
    let factors = world.client.mfa_factors().await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].kind, MfaFactorKind::Totp);
    assert!(factors[0].created_at <= world.emulator.now());

    let error = world
        .client
        .add_totp_factor(&proof, &secret, &code)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::TotpAlreadyInUse));
}

#[tokio::test]
async fn replacing_totp_gives_the_factor_a_new_id() {
    let world = world().await;
    world.emulator.set_mfa_factors(&[MfaFactor::Totp]);
    let proof = world.proof().await;
    for _ in 0..2 {
        let secret = world.client.generate_totp_secret().await.unwrap();
        let code = TotpCode::new(world.emulator.totp_code(secret.expose_secret()).unwrap());
        world
            .client
            .replace_totp_factor(&proof, &secret, &code)
            .await
            .unwrap();
    }
    let factors = world.client.mfa_factors().await.unwrap();
    assert_eq!(factors.len(), 1);
    let first_id = factors[0].id.clone();

    let secret = world.client.generate_totp_secret().await.unwrap();
    let code = TotpCode::new(world.emulator.totp_code(secret.expose_secret()).unwrap());
    world
        .client
        .replace_totp_factor(&proof, &secret, &code)
        .await
        .unwrap();
    let factors = world.client.mfa_factors().await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_ne!(factors[0].id, first_id);
}

#[tokio::test]
async fn backup_codes_need_another_factor_and_show_when_used() {
    let world = world().await;
    world
        .emulator
        .set_mfa_factors(&[MfaFactor::Totp, MfaFactor::BackupCode]);
    let proof = world.proof().await;

    let error = world.client.backup_codes(&proof).await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    let codes = world.client.generate_backup_codes().await.unwrap();
    assert_eq!(codes.len(), 10);
    let error = world
        .client
        .add_backup_codes(&proof, &codes)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::BackupCodeCanNotBeAlone));

    let secret = world.client.generate_totp_secret().await.unwrap();
    let code = TotpCode::new(world.emulator.totp_code(secret.expose_secret()).unwrap());
    world
        .client
        .add_totp_factor(&proof, &secret, &code)
        .await
        .unwrap();
    world.client.add_backup_codes(&proof, &codes).await.unwrap();
    let error = world
        .client
        .add_backup_codes(&proof, &codes)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::BackupCodeAlreadyInUse));

    assert!(
        world
            .emulator
            .use_backup_code(&world.user_id, codes[0].expose_secret())
    );
    let stored = world.client.backup_codes(&proof).await.unwrap();
    assert_eq!(stored.len(), 10);
    assert!(stored[0].used_at.is_some());
    assert!(stored[1..].iter().all(|code| code.used_at.is_none()));
    let factors = world.client.mfa_factors().await.unwrap();
    assert_eq!(factors[1].remaining_codes, Some(9));

    // Removing TOTP while backup codes remain is allowed.
    world
        .client
        .remove_mfa_factor(&proof, &factors[0].id)
        .await
        .unwrap();
    world
        .client
        .remove_mfa_factor(&proof, &factors[1].id)
        .await
        .unwrap();
    assert!(world.client.mfa_factors().await.unwrap().is_empty());
    let error = world
        .client
        .remove_mfa_factor(&proof, &factors[1].id)
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
}

#[tokio::test]
async fn mfa_factors_need_the_identities_scope() {
    let world = world().await;
    let client = world.client_with_scopes(&["openid", "profile"]);
    let error = client.mfa_factors().await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Unauthorized));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

/// What a browser would send back for the emulator's options.
fn credential(challenge: &str, origin: &str) -> Value {
    json!({
        "id": "a2V5LWE", "rawId": "a2V5LWE", "type": "public-key",
        "response": {"clientDataJSON": webauthn::client_data_json(challenge, origin), "attestationObject": "o2NmbXRkbm9uZQ"},
        "clientExtensionResults": {}
    })
}

#[tokio::test]
async fn a_webauthn_key_registers_binds_and_renames() {
    let world = world().await;
    world.emulator.set_mfa_factors(&[MfaFactor::WebAuthn]);
    let proof = world.proof().await;
    let origin = "https://app.example.com";

    let pending = world.client.start_webauthn_registration().await.unwrap();
    assert_eq!(pending.options()["rp"]["id"], json!("127.0.0.1"));
    let challenge = pending.options()["challenge"].as_str().unwrap().to_owned();

    let error = world
        .client
        .verify_webauthn_registration(
            &pending,
            "https://evil.example",
            &credential(&challenge, origin),
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::WebAuthnVerificationFailed));

    let key = world
        .client
        .verify_webauthn_registration(&pending, origin, &credential(&challenge, origin))
        .await
        .unwrap();
    world
        .client
        .add_webauthn_factor(&proof, &key, Some("Key A"))
        .await
        .unwrap();
    let factors = world.client.mfa_factors().await.unwrap();
    assert_eq!(factors[0].kind, MfaFactorKind::WebAuthn);
    assert_eq!(factors[0].name.as_deref(), Some("Key A"));

    world
        .client
        .rename_webauthn_factor(&proof, &factors[0].id, "Renamed key")
        .await
        .unwrap();
    let factors = world.client.mfa_factors().await.unwrap();
    assert_eq!(factors[0].name.as_deref(), Some("Renamed key"));

    let error = world
        .client
        .rename_webauthn_factor(&proof, "unknownid123", "x")
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::VerificationRecordNotFound));
}
