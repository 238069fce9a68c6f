//! Logto's username policy (`username-policy.ts` in core-kit) with the
//! default per-tenant settings: the hard floor (not empty, no leading digit,
//! Logto's username pattern) and a length of 1 to 128 UTF-16 code units.
//! Every character class is allowed and usernames are case-sensitive by
//! default, so no other violation can occur.

use crate::spec;

/// The default policy's longest username. (Its shortest, 1, is the hard
/// floor's `required`.)
const MAX_LENGTH: usize = 128;

/// Why the policy refuses a username; each is a 422 `user.username_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UsernameViolation {
    Required,
    StartsWithNumber,
    InvalidCharsetHard,
    TooLong,
}

impl UsernameViolation {
    pub(crate) fn code(self) -> &'static str {
        match self {
            UsernameViolation::Required => "user.username_required",
            UsernameViolation::StartsWithNumber => "user.username_starts_with_number",
            UsernameViolation::InvalidCharsetHard => "user.username_invalid_charset_hard",
            UsernameViolation::TooLong => "user.username_too_long",
        }
    }

    /// Logto's English phrase. Only "cannot start with a number" is quoted
    /// in the facts; the others follow its wording.
    pub(crate) fn message(self) -> &'static str {
        match self {
            UsernameViolation::Required => "Username is required.",
            UsernameViolation::StartsWithNumber => "Username cannot start with a number.",
            UsernameViolation::InvalidCharsetHard => "Username contains invalid characters.",
            UsernameViolation::TooLong => "Username is too long.",
        }
    }
}

/// The first rule `username` breaks, in Logto's order, if any.
pub(crate) fn violation(username: &str) -> Option<UsernameViolation> {
    let length = username.encode_utf16().count();
    if length == 0 {
        Some(UsernameViolation::Required)
    } else if username.starts_with(|c: char| c.is_ascii_digit()) {
        Some(UsernameViolation::StartsWithNumber)
    } else if !spec::matches("Username", username) {
        Some(UsernameViolation::InvalidCharsetHard)
    } else if length > MAX_LENGTH {
        Some(UsernameViolation::TooLong)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_refuses_in_logtos_order() {
        assert_eq!(violation(""), Some(UsernameViolation::Required));
        assert_eq!(violation("1ada"), Some(UsernameViolation::StartsWithNumber));
        assert_eq!(
            violation("a-b"),
            Some(UsernameViolation::InvalidCharsetHard)
        );
        assert_eq!(
            violation(&"a".repeat(129)),
            Some(UsernameViolation::TooLong)
        );
        assert_eq!(violation(&"a".repeat(128)), None);
        assert_eq!(violation("Ada_1"), None);
    }
}
