//! The error codes Logto sends for the Account and Verification API.

use std::fmt;

macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident = $code:literal,)*) => {
        /// A Logto error code (`code` in the error body).
        ///
        /// Every code Logto documents for the account and verification routes
        /// has a variant; any other code is kept in [`ErrorCode::Other`].
        /// Branch on this, never on the localized message.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$meta])* #[doc = concat!("`", $code, "`")] $variant,)*
            /// A code this version of the SDK does not know.
            Other(String),
        }

        impl ErrorCode {
            /// Parses a code from an error body.
            pub fn parse(code: &str) -> Self {
                match code {
                    $($code => ErrorCode::$variant,)*
                    // Logto up to 1.28 misspelled this code.
                    "account_center.filed_not_editable" => ErrorCode::FieldNotEditable,
                    other => ErrorCode::Other(other.to_owned()),
                }
            }

            /// The code as Logto spells it (the current spelling).
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Other(code) => code,
                }
            }
        }
    };
}

error_codes! {
    /// 401: no `Authorization` header was sent.
    AuthorizationHeaderMissing = "auth.authorization_header_missing",
    /// 401: the `Authorization` scheme is not `Bearer`.
    AuthorizationTokenTypeNotSupported = "auth.authorization_token_type_not_supported",
    /// 401 (unknown or expired token) or 400 (a scope the route needs is missing).
    Unauthorized = "auth.unauthorized",
    /// 403: the token lacks `openid`, or the scope a token route needs.
    Forbidden = "auth.forbidden",
    /// 403: the token was issued to a third-party application.
    ThirdPartyApplicationForbidden = "auth.third_party_application_forbidden",
    /// 400: the tenant's account center is disabled.
    AccountCenterNotEnabled = "account_center.not_enabled",
    /// 400: the account center does not let users edit this field
    /// (also `account_center.filed_not_editable` from Logto 1.28 and older).
    FieldNotEditable = "account_center.field_not_editable",
    /// 400: the account center does not let users read this field.
    FieldNotEnabled = "account_center.field_not_enabled",
    /// 401: the operation needs a valid identity verification.
    PermissionDenied = "verification_record.permission_denied",
    /// 400: the verification record is unknown, expired, unverified or of the wrong kind.
    VerificationRecordNotFound = "verification_record.not_found",
    /// 400: no code was sent for this record.
    VerificationCodeNotFound = "verification_code.not_found",
    /// 400: the email does not match the one the code was sent to.
    VerificationCodeEmailMismatch = "verification_code.email_mismatch",
    /// 400: the phone does not match the one the code was sent to.
    VerificationCodePhoneMismatch = "verification_code.phone_mismatch",
    /// 400: the code has expired.
    VerificationCodeExpired = "verification_code.expired",
    /// 400: too many wrong codes.
    VerificationCodeExceedMaxTry = "verification_code.exceed_max_try",
    /// 400: the code is wrong.
    VerificationCodeMismatch = "verification_code.code_mismatch",
    /// 422: the password is wrong.
    InvalidCredentials = "session.invalid_credentials",
    /// 400: too many failed verifications; try again later.
    VerificationBlockedTooManyAttempts = "session.verification_blocked_too_many_attempts",
    /// 422: no social connector has this id.
    InvalidConnectorId = "session.invalid_connector_id",
    /// 422: the email is on the tenant's blocklist.
    EmailNotAllowed = "session.email_blocklist.email_not_allowed",
    /// 422: the tenant forbids email subaddressing (`a+b@c.d`).
    EmailSubaddressingNotAllowed = "session.email_blocklist.email_subaddressing_not_allowed",
    /// 422: another user has this username.
    UsernameAlreadyInUse = "user.username_already_in_use",
    /// 422: another user has this email.
    EmailAlreadyInUse = "user.email_already_in_use",
    /// 422: another user has this phone.
    PhoneAlreadyInUse = "user.phone_already_in_use",
    /// 422 (linked to another user) or 400 (this user already has an identity for the target).
    IdentityAlreadyInUse = "user.identity_already_in_use",
    /// 404: the user has no identity for this target.
    IdentityNotExist = "user.identity_not_exist",
    /// 400: the user must keep at least one sign-in identifier.
    LastSignInMethodRequired = "user.last_sign_in_method_required",
    /// 422: the username policy requires a username.
    UsernameRequired = "user.username_required",
    /// 422: the username policy forbids a leading digit.
    UsernameStartsWithNumber = "user.username_starts_with_number",
    /// 422: the username has characters the policy forbids.
    UsernameInvalidCharsetHard = "user.username_invalid_charset_hard",
    /// 422: the username is shorter than the policy allows.
    UsernameTooShort = "user.username_too_short",
    /// 422: the username is longer than the policy allows.
    UsernameTooLong = "user.username_too_long",
    /// 422: the username policy forbids upper case.
    UsernameUppercaseNotAllowed = "user.username_uppercase_not_allowed",
    /// 422: the username policy forbids lower case.
    UsernameLowercaseNotAllowed = "user.username_lowercase_not_allowed",
    /// 422: the username policy forbids digits.
    UsernameNumbersNotAllowed = "user.username_numbers_not_allowed",
    /// 422: the username policy forbids `_`.
    UsernameUnderscoreNotAllowed = "user.username_underscore_not_allowed",
    /// 422: the new password equals the current one.
    SamePassword = "user.same_password",
    /// 422: the phone number cannot be parsed.
    InvalidPhone = "user.invalid_phone",
    /// 401: the account is suspended.
    UserSuspended = "user.suspended",
    /// 400 (Logto before 1.39): the sign-up settings require an email.
    EmailRequired = "user.email_required",
    /// 400 (Logto before 1.39): the sign-up settings require a phone.
    PhoneRequired = "user.phone_required",
    /// 400 (Logto before 1.39): the sign-up settings require an email or phone.
    EmailOrPhoneRequired = "user.email_or_phone_required",
    /// 400: the tenant's sign-in experience does not offer this MFA factor.
    MfaFactorNotEnabled = "session.mfa.mfa_factor_not_enabled",
    /// 400: the TOTP code does not match the secret.
    InvalidTotpCode = "session.mfa.invalid_totp_code",
    /// 422: backup codes need another MFA factor bound first.
    BackupCodeCanNotBeAlone = "session.mfa.backup_code_can_not_be_alone",
    /// 400: the WebAuthn registration response did not verify (wrong
    /// challenge or origin, or a bad attestation).
    WebAuthnVerificationFailed = "session.mfa.webauthn_verification_failed",
    /// 422: the user already has a TOTP factor.
    TotpAlreadyInUse = "user.totp_already_in_use",
    /// 400: the TOTP secret is not 16 to 32 base32 characters.
    TotpSecretInvalid = "user.totp_secret_invalid",
    /// 422: the user still has unused backup codes.
    BackupCodeAlreadyInUse = "user.backup_code_already_in_use",
    /// 422: backup codes must be exactly ten of 10 hexadecimal characters.
    WrongBackupCodeFormat = "user.wrong_backup_code_format",
    /// 422: the password breaks the password policy; see
    /// [`ApiError::password_issues`](crate::ApiError::password_issues).
    PasswordRejected = "password.rejected",
    /// 400: the request failed the server's input guard; see
    /// [`ApiError::input_issues`](crate::ApiError::input_issues).
    GuardInvalidInput = "guard.invalid_input",
    /// 422: the update was empty or otherwise invalid.
    EntityInvalidInput = "entity.invalid_input",
    /// 422: a value is longer than the database allows.
    EntityValueTooLong = "entity.value_too_long",
    /// 404: the user no longer exists.
    EntityNotExistsWithId = "entity.not_exists_with_id",
    /// 501: no email or SMS connector is configured.
    ConnectorNotFound = "connector.not_found",
    /// 400: the connector is not a social connector.
    ConnectorUnexpectedType = "connector.unexpected_type",
    /// 429: too many codes were sent to this recipient (10 per 10 minutes).
    MessageRateLimited = "request.message_rate_limited",
    /// 404: Logto stores no provider token for this identity.
    TokenNotFound = "secrets.third_party_token_set.token_not_found",
    /// 401: the provider token expired and there is no refresh token; the
    /// user must link the account again.
    ProviderAccessTokenExpired = "secrets.third_party_token_set.access_token_expired",
    /// 422: the social verification is for another connector target.
    SocialVerificationInvalidTarget = "verification_record.social_verification.invalid_target",
    /// 422: the social connector stores no provider tokens.
    TokenResponseNotFound = "verification_record.social_verification.token_response_not_found",
    /// 422: the user has no identity for this connector target.
    IdentityNotExistsInCurrentUser = "user.identity_not_exists_in_current_user",
    /// 400 (with `data.status` 404): no session has this id.
    SessionNotFound = "oidc.session_not_found",
    /// 400 (with `data.status` 404): the session is another user's.
    InvalidSessionAccountId = "oidc.invalid_session_account_id",
    /// 404: no grant has this id.
    InvalidGrant = "oidc.invalid_grant",
    /// 500: revoking the grant left its session's authorization behind.
    FailedToCleanupSessionAuthorization = "oidc.failed_to_cleanup_session_authorization",
    /// 400: the uploaded file is larger than Logto allows (20 MB).
    FileSizeExceeded = "guard.file_size_exceeded",
    /// 400: the uploaded file's type is not an allowed image type.
    MimeTypeNotAllowed = "guard.mime_type_not_allowed",
    /// 400: the tenant has no storage provider for uploads.
    StorageNotConfigured = "storage.not_configured",
    /// 500: the storage provider failed to store the upload.
    StorageUploadError = "storage.upload_error",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
