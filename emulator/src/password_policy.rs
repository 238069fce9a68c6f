//! Logto's default password policy (`password-policy.ts` in Logto's
//! core-kit, facts §8.3 and §12): length 8 to 256, supported characters, and
//! no password made mostly of repetitions, sequences or the user's own
//! details. The breach check (`pwned`) asks an online database and is not
//! emulated; the real server did not report it for `123456` either.
//!
//! Logto works on JavaScript strings, so lengths and positions here are
//! UTF-16 code units and "characters" are what `for...of` yields: code
//! points, or a lone surrogate where a slice cuts a pair in two.

use std::sync::LazyLock;

use regress::Regex;
use serde_json::{Value, json};

const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 256;

/// Symbols the policy accepts, besides ASCII letters and digits.
const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ";

/// Runs shorter than this are not repetitions or sequences.
const RUN_THRESHOLD: usize = 3;

/// A password fails when its marked positions exceed
/// `max(1, length - TOLERANCE)`.
const TOLERANCE: usize = 3;

/// Digits, the alphabet, keyboard rows and columns: what a sequence is made
/// of, forwards or backwards, all lower or all upper case.
const SEQUENCES: [&str; 14] = [
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz",
    "2wsx",
    "3edc",
    "4rfv",
    "5tgb",
    "6yhn",
    "7ujm",
    "8ik",
    "9ol",
];

/// The user's details a password must not be made of (Logto's `UserInfo`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UserInfo<'a> {
    pub(crate) name: Option<&'a str>,
    pub(crate) username: Option<&'a str>,
    pub(crate) email: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
}

/// The issues for `password.rejected`'s `data`, in Logto's order; empty if
/// the password passes.
pub(crate) fn issues(password: &str, user: &UserInfo<'_>) -> Vec<Value> {
    let units: Vec<u16> = password.encode_utf16().collect();
    let mut issues = Vec::new();
    if units.len() < MIN_LENGTH {
        issues.push(
            json!({"code": "password_rejected.too_short", "interpolation": {"min": MIN_LENGTH}}),
        );
    } else if units.len() > MAX_LENGTH {
        issues.push(
            json!({"code": "password_rejected.too_long", "interpolation": {"max": MAX_LENGTH}}),
        );
    }
    if password
        .chars()
        .any(|c| !c.is_ascii_alphanumeric() && !SYMBOLS.contains(c))
    {
        issues.push(json!({"code": "password_rejected.unsupported_characters"}));
    } else if password.is_empty() {
        // No character type at all, fewer than the default minimum of one.
        issues.push(
            json!({"code": "password_rejected.character_types", "interpolation": {"min": 1}}),
        );
    }
    issues.extend(
        restricted_phrases(&units, user)
            .into_iter()
            .map(|code| json!({ "code": format!("password_rejected.restricted.{code}") })),
    );
    issues
}

/// The restricted-phrase rules that marked something, in the order they
/// first did, if the marked positions are too many; else none.
fn restricted_phrases(units: &[u16], user: &UserInfo<'_>) -> Vec<&'static str> {
    let mut marked = vec![false; units.len()];
    let mut rules: Vec<&'static str> = Vec::new();
    let mut mark = |start: usize, length: usize, rule: &'static str| {
        if length == 0 {
            return;
        }
        for position in start..start + length {
            // JavaScript grows the array when a match runs past the end.
            if position >= marked.len() {
                marked.resize(position + 1, false);
            }
            marked[position] = true;
        }
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    };
    for start in 0..units.len() {
        let rest = &units[start..];
        mark(start, repetition_length(rest), "repetition");
        mark(start, sequence_length(rest), "sequence");
        mark(start, user_info_length(rest, user), "user_info");
    }
    let count = marked.iter().filter(|marked| **marked).count();
    let threshold = units.len().saturating_sub(TOLERANCE).max(1);
    if count > threshold { rules } else { Vec::new() }
}

/// The characters of a UTF-16 slice as `for...of` yields them.
fn js_chars(units: &[u16]) -> Vec<Vec<u16>> {
    char::decode_utf16(units.iter().copied())
        .map(|decoded| match decoded {
            Ok(c) => {
                let mut buffer = [0; 2];
                c.encode_utf16(&mut buffer).to_vec()
            }
            Err(lone) => vec![lone.unpaired_surrogate()],
        })
        .collect()
}

/// How many characters at the start repeat the first code unit (0 below
/// the threshold). Case-sensitive, as in Logto.
fn repetition_length(units: &[u16]) -> usize {
    let Some(first) = units.first() else {
        return 0;
    };
    let length = js_chars(units)
        .iter()
        .take_while(|c| c.as_slice() == [*first])
        .count();
    if length >= RUN_THRESHOLD { length } else { 0 }
}

/// How many characters at the start form a sequence (0 below the threshold).
fn sequence_length(units: &[u16]) -> usize {
    let mut value: Vec<u16> = Vec::new();
    let mut length = 0;
    for c in js_chars(units) {
        let mut candidate = value.clone();
        candidate.extend(&c);
        if value.is_empty() || is_sequential(&candidate) {
            value = candidate;
            length += 1;
        } else {
            break;
        }
    }
    if length >= RUN_THRESHOLD { length } else { 0 }
}

fn is_sequential(value: &[u16]) -> bool {
    let Ok(value) = String::from_utf16(value) else {
        return false;
    };
    SEQUENCES.iter().any(|sequence| {
        let reversed: String = sequence.chars().rev().collect();
        [
            sequence.to_string(),
            sequence.to_uppercase(),
            reversed.to_uppercase(),
            reversed,
        ]
        .iter()
        .any(|candidate| candidate.contains(&value))
    })
}

/// The length in code units of the longest detail of the user the text
/// starts with, compared case-insensitively (Logto's `userInfoLength`).
fn user_info_length(units: &[u16], user: &UserInfo<'_>) -> usize {
    let lowercased = String::from_utf16_lossy(units).to_lowercase();
    let starts = |detail: &str| lowercased.starts_with(&detail.to_lowercase());
    let mut length = 0;
    let mut consider = |detail: &str| length = length.max(utf16_length(detail));
    if let Some(name) = user.name.filter(|name| !name.is_empty()) {
        if starts(name) {
            consider(name);
        } else {
            let joined = without_whitespace(name);
            if starts(&joined) {
                consider(&joined);
            }
            for word in name.split(' ').filter(|word| starts(word)) {
                consider(word);
            }
        }
    }
    if let Some(username) = user.username.filter(|username| !username.is_empty())
        && starts(username)
    {
        consider(username);
    }
    if let Some(local_part) = user
        .email
        .and_then(|email| email.split('@').next())
        .filter(|local_part| !local_part.is_empty())
        && starts(local_part)
    {
        consider(local_part);
    }
    // Logto compares the phone without lower-casing it.
    if let Some(phone) = user.phone.filter(|phone| !phone.is_empty())
        && lowercased.starts_with(phone)
    {
        consider(phone);
    }
    length
}

fn utf16_length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text.replaceAll(/\s+/g, '')`, with JavaScript's idea of white space.
fn without_whitespace(text: &str) -> String {
    static WHITESPACE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\s").ok());
    let Some(whitespace) = WHITESPACE.as_ref() else {
        return text.to_owned();
    };
    text.chars()
        .filter(|c| whitespace.find(c.encode_utf8(&mut [0; 4])).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule names a password gets, for the table below.
    fn codes(password: &str, user: &UserInfo<'_>) -> Vec<String> {
        issues(password, user)
            .iter()
            .map(|issue| {
                issue["code"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches("password_rejected.")
                    .to_owned()
            })
            .collect()
    }

    const NOBODY: UserInfo<'static> = UserInfo {
        name: None,
        username: None,
        email: None,
        phone: None,
    };

    const DEMO: UserInfo<'static> = UserInfo {
        name: Some("Demo User"),
        username: Some("demo"),
        email: Some("demo.mail@example.com"),
        phone: Some("15551234567"),
    };

    /// Logto's own examples (core-kit's tests and §8.3) and the ones seen on
    /// a real 1.42.0 (§12).
    #[test]
    fn the_policy_agrees_with_logto_on_its_examples() {
        let table: [(&str, &UserInfo<'_>, &[&str]); 23] = [
            // Seen on the real server.
            ("123456", &NOBODY, &["too_short", "restricted.sequence"]),
            (
                "aaaa1234",
                &NOBODY,
                &["restricted.repetition", "restricted.sequence"],
            ),
            ("abcdeXY9", &NOBODY, &[]),
            (
                "123aaaaa",
                &NOBODY,
                &["restricted.sequence", "restricted.repetition"],
            ),
            ("demouser7", &DEMO, &["restricted.user_info"]),
            ("😀😀😀😀", &NOBODY, &["unsupported_characters"]),
            // Length in UTF-16 units: three emoji are six units.
            ("😀😀😀", &NOBODY, &["too_short", "unsupported_characters"]),
            // Logto's examples of each run.
            ("aaaaaaaaa", &NOBODY, &["restricted.repetition"]),
            ("abcdefghij", &NOBODY, &["restricted.sequence"]),
            ("qwertyuiop1", &NOBODY, &["restricted.sequence"]),
            ("ZYXWVUTS", &NOBODY, &["restricted.sequence"]),
            ("1qaz2wsx3edc", &NOBODY, &["restricted.sequence"]),
            // Mixed case is neither a repetition nor a sequence.
            ("aAaAbBcC", &NOBODY, &[]),
            // Four free characters out of eight are enough.
            ("abcd!X9z", &NOBODY, &[]),
            // The user's details, case-insensitively, in every form.
            ("DemoUser!", &DEMO, &["restricted.user_info"]),
            ("demo user1", &DEMO, &["restricted.user_info"]),
            (
                "demo\u{a0}user",
                &DEMO,
                &["unsupported_characters", "restricted.user_info"],
            ),
            ("demo.mail1", &DEMO, &["restricted.user_info"]),
            // Rules are listed in the order they first mark a position.
            (
                "15551234567x",
                &DEMO,
                &[
                    "restricted.user_info",
                    "restricted.repetition",
                    "restricted.sequence",
                ],
            ),
            ("demo!demo!", &DEMO, &["restricted.user_info"]),
            ("demouser7", &NOBODY, &[]),
            // Ordinary passphrases pass.
            ("correct horse battery staple", &DEMO, &[]),
            ("pässwort-lang", &NOBODY, &["unsupported_characters"]),
        ];
        for (password, user, expected) in table {
            assert_eq!(codes(password, user), expected, "password {password:?}");
        }
    }

    #[test]
    fn issues_carry_logtos_interpolations() {
        assert_eq!(
            issues("", &NOBODY),
            vec![
                json!({"code": "password_rejected.too_short", "interpolation": {"min": 8}}),
                json!({"code": "password_rejected.character_types", "interpolation": {"min": 1}}),
            ]
        );
        assert_eq!(
            issues(&"ab1!".repeat(65), &NOBODY),
            vec![json!({"code": "password_rejected.too_long", "interpolation": {"max": 256}})]
        );
    }
}
