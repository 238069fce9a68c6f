//! TOTP as Logto checks it (otplib's `authenticator`): RFC 6238 with
//! HMAC-SHA1, 30-second steps, six digits, a base32 secret, and one step
//! either side accepted for clock drift.

use chrono::{DateTime, Utc};
use totp_lite::{Sha1, totp_custom};

const STEP_SECONDS: u64 = 30;
const DIGITS: u32 = 6;
const BASE32_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Whether Logto takes `secret` (`validateTotpSecret`): 16 to 32
/// characters of upper-case base32, padded to whole 8-character groups.
pub(crate) fn secret_is_valid(secret: &str) -> bool {
    let unpadded = secret.trim_end_matches('=');
    let padding = secret.len() - unpadded.len();
    (16..=32).contains(&secret.len())
        && secret.len().is_multiple_of(8)
        && [0, 1, 3, 4, 6].contains(&padding)
        && unpadded.bytes().all(|b| BASE32_ALPHABET.contains(&b))
}

/// The bytes of a base32 secret (`=` padding ignored); `None` for another
/// character.
fn decode(secret: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let (mut buffer, mut bits) = (0u64, 0u32);
    for symbol in secret.trim_end_matches('=').bytes() {
        let value = BASE32_ALPHABET
            .iter()
            .position(|&c| c == symbol.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(bytes)
}

/// The code an authenticator app shows for `secret` at `at`; `None` for a
/// secret that is not base32.
pub fn code_at(secret: &str, at: DateTime<Utc>) -> Option<String> {
    let key = decode(secret)?;
    let seconds = u64::try_from(at.timestamp()).unwrap_or(0);
    Some(totp_custom::<Sha1>(STEP_SECONDS, DIGITS, &key, seconds))
}

/// Whether `code` is right for `secret` at `now`, a step early or late.
pub(crate) fn code_is_valid(secret: &str, code: &str, now: DateTime<Utc>) -> bool {
    let step = chrono::TimeDelta::seconds(STEP_SECONDS as i64);
    [now - step, now, now + step]
        .into_iter()
        .any(|at| code_at(secret, at).is_some_and(|expected| expected == code))
}

/// A new secret as Logto makes one: 20 random bytes, 32 base32 characters.
pub(crate) fn new_secret() -> String {
    (0..32)
        .map(|_| char::from(BASE32_ALPHABET[fastrand::usize(..BASE32_ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238() {
        // RFC 6238 appendix B: the ASCII key "12345678901234567890" (base32
        // below), SHA-1, time 59 -> 94287082 (eight digits; six: 287082).
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let at = DateTime::from_timestamp(59, 0).unwrap_or_default();
        assert_eq!(code_at(secret, at).as_deref(), Some("287082"));
        let at = DateTime::from_timestamp(1_111_111_109, 0).unwrap_or_default();
        assert_eq!(code_at(secret, at).as_deref(), Some("081804"));
    }

    #[test]
    fn secrets_follow_logtos_rule() {
        assert!(secret_is_valid("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        assert!(secret_is_valid("JBSWY3DPEHPK3PXP"));
        assert!(!secret_is_valid("abc"));
        assert!(!secret_is_valid("jbswy3dpehpk3pxp"));
        assert!(!secret_is_valid("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSW"));
        assert!(!secret_is_valid("JBSWY3DPEHPK3PX1"));
        assert!(secret_is_valid(&new_secret()));
    }
}
