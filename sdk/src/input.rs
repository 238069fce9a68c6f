//! Local checks of input the server would refuse with `guard.invalid_input`.
//!
//! The rules are the spec's: each check builds the generated type, whose
//! constructor enforces the spec's pattern or length, so they cannot drift
//! apart. Errors name the field and the rule, never the value.

use logto_account_api::types;

use crate::{
    BackupCode, Error, Password, TotpCode, TotpSecret, VerificationCode, VerificationRecordId,
};

pub(crate) fn email(email: &str) -> Result<types::EmailAddress, Error> {
    types::EmailAddress::try_from(email).map_err(|_| {
        Error::invalid_input(
            "email",
            "must look like name@domain.tld, without white space",
        )
    })
}

pub(crate) fn code_email(email: &str) -> Result<types::VerificationCodeEmail, Error> {
    types::VerificationCodeEmail::try_from(email).map_err(|_| {
        Error::invalid_input(
            "email",
            "must look like name@domain.tld, without white space, and have at most 256 characters",
        )
    })
}

pub(crate) fn phone(phone: &str) -> Result<types::PhoneNumber, Error> {
    types::PhoneNumber::try_from(phone).map_err(|_| {
        Error::invalid_input(
            "phone",
            "must be digits only in international form, without `+`, spaces or dashes (e.g. 15551234567)",
        )
    })
}

pub(crate) fn username(username: &str) -> Result<types::Username, Error> {
    types::Username::try_from(username).map_err(|_| {
        Error::invalid_input(
            "username",
            "must start with a letter or `_` and contain only letters, digits and `_`",
        )
    })
}

pub(crate) fn current_password(
    password: &Password,
) -> Result<types::CreateVerificationByPasswordRequestPassword, Error> {
    types::CreateVerificationByPasswordRequestPassword::try_from(password.expose_secret())
        .map_err(|_| Error::invalid_input("password", "is empty"))
}

pub(crate) fn new_password(
    password: &Password,
) -> Result<types::UpdatePasswordRequestPassword, Error> {
    types::UpdatePasswordRequestPassword::try_from(password.expose_secret())
        .map_err(|_| Error::invalid_input("password", "is empty"))
}

pub(crate) fn code(code: &VerificationCode) -> Result<String, Error> {
    let code = code.expose_secret();
    if code.is_empty() {
        return Err(Error::invalid_input("verification code", "is empty"));
    }
    if code.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "verification code",
            "contains control characters",
        ));
    }
    Ok(code.to_owned())
}

/// An opaque id or token must be non-empty visible ASCII: anything else
/// could split or smuggle a header, and is never a real Logto value.
pub(crate) fn opaque_token(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "is empty"));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_input(
            field,
            "contains spaces, control or non-ASCII characters",
        ));
    }
    Ok(())
}

/// A path parameter: one that could leave its segment is refused, naming
/// the field.
pub(crate) fn path_segment(
    field: &'static str,
    value: &str,
) -> Result<logto_account_api::PathSegment, Error> {
    logto_account_api::PathSegment::new(value)
        .map_err(|reason| Error::invalid_input(field, reason.to_string()))
}

/// A TOTP secret for a body: the spec's rule (non-empty); whether it is
/// valid base32 of the right length is the server's to say.
pub(crate) fn totp_secret<T: TryFrom<String>>(secret: &TotpSecret) -> Result<T, Error> {
    let secret = secret.expose_secret();
    opaque_token("TOTP secret", secret)?;
    T::try_from(secret.to_owned()).map_err(|_| Error::invalid_input("TOTP secret", "is empty"))
}

/// A TOTP code: what an authenticator app shows, six digits.
pub(crate) fn totp_code(code: &TotpCode) -> Result<String, Error> {
    let code = code.expose_secret();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_input("TOTP code", "must be six digits"));
    }
    Ok(code.to_owned())
}

/// Backup codes to bind: exactly ten, each as the spec's item pattern says.
pub(crate) fn backup_codes(
    codes: &[BackupCode],
) -> Result<[types::AddBackupCodeFactorCodesItem; 10], Error> {
    const RULE: &str = "must be exactly 10 codes of 10 lowercase hexadecimal characters";
    let items = codes
        .iter()
        .map(|code| types::AddBackupCodeFactorCodesItem::try_from(code.expose_secret()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| Error::invalid_input("backup codes", RULE))?;
    items
        .try_into()
        .map_err(|_| Error::invalid_input("backup codes", RULE))
}

/// A verified social record for the body of the provider-token update.
pub(crate) fn token_record_id(
    record_id: &VerificationRecordId,
) -> Result<types::UpdateSocialIdentityAccessTokenRequestVerificationRecordId, Error> {
    types::UpdateSocialIdentityAccessTokenRequestVerificationRecordId::try_from(
        record_id.expose_secret().to_owned(),
    )
    .map_err(|_| Error::invalid_input("verification record id", "is empty"))
}
