//! Random identifiers in Logto's shapes. `fastrand` is not a cryptographic
//! generator: fine for a test double, whose tokens guard nothing.

const LOWERCASE_AND_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_string(alphabet: &[u8], length: usize) -> String {
    (0..length)
        .map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())]))
        .collect()
}

/// A user id: 12 lowercase letters and digits.
pub(crate) fn user_id() -> String {
    random_string(LOWERCASE_AND_DIGITS, 12)
}

/// A verification record id: 21 lowercase letters and digits.
pub(crate) fn record_id() -> String {
    random_string(LOWERCASE_AND_DIGITS, 21)
}

/// An opaque access token.
pub(crate) fn access_token() -> String {
    random_string(ALPHANUMERIC, 43)
}

/// A `Logto-Core-Request-Id`: 16 letters and digits.
pub(crate) fn request_id() -> String {
    random_string(ALPHANUMERIC, 16)
}

/// A six-digit verification code.
pub(crate) fn verification_code() -> String {
    format!("{:06}", fastrand::u32(..1_000_000))
}

/// An authorization code of the fake social provider.
pub(crate) fn social_code() -> String {
    random_string(ALPHANUMERIC, 24)
}

/// A salt for a password digest.
pub(crate) fn salt() -> u64 {
    fastrand::u64(..)
}

/// An MFA backup code: 10 lowercase hexadecimal characters.
pub(crate) fn backup_code() -> String {
    random_string(b"0123456789abcdef", 10)
}

/// A WebAuthn challenge: 32 random bytes, base64url without padding.
pub(crate) fn webauthn_challenge() -> String {
    random_string(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        43,
    )
}
