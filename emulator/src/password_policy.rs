//! Logto's default password policy, as far as it can be checked offline:
//! length 8 to 256, supported characters, and no password made mostly of
//! repeated or sequential characters. (`pwned`, which asks an online
//! breach database, and the personal-information rule are not emulated.)

use serde_json::{Value, json};

const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 256;

/// Symbols the policy accepts, besides ASCII letters and digits.
const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ";

/// Runs shorter than this are not counted as repetition or sequence.
const RUN_THRESHOLD: usize = 3;

/// How many characters outside repeated or sequential runs a password needs
/// to pass: a password is refused when such runs cover all but fewer than
/// this many of its characters.
const TOLERANCE: usize = 3;

/// Keyboard rows, the alphabet and digits: sequences a password should not
/// be made of.
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

/// The issues for `password.rejected`'s `data`, in Logto's order; empty if
/// the password passes.
pub(crate) fn issues(password: &str) -> Vec<Value> {
    let chars: Vec<char> = password.chars().collect();
    let mut issues = Vec::new();
    if chars.len() < MIN_LENGTH {
        issues.push(
            json!({"code": "password_rejected.too_short", "interpolation": {"min": MIN_LENGTH}}),
        );
    }
    if chars.len() > MAX_LENGTH {
        issues.push(
            json!({"code": "password_rejected.too_long", "interpolation": {"max": MAX_LENGTH}}),
        );
    }
    if chars
        .iter()
        .any(|c| !c.is_ascii_alphanumeric() && !SYMBOLS.contains(*c))
    {
        issues.push(json!({"code": "password_rejected.unsupported_characters"}));
    }
    let mostly = |covered: usize| covered >= chars.len().saturating_sub(TOLERANCE).max(1);
    if mostly(covered_by_runs(&chars, is_repetition)) {
        issues.push(json!({"code": "password_rejected.restricted.repetition"}));
    }
    if mostly(covered_by_runs(&chars, is_sequential)) {
        issues.push(json!({"code": "password_rejected.restricted.sequence"}));
    }
    issues
}

/// How many characters lie in maximal runs of at least [`RUN_THRESHOLD`]
/// characters that `is_run` accepts.
fn covered_by_runs(chars: &[char], is_run: fn(&[char]) -> bool) -> usize {
    let mut covered = 0;
    let mut start = 0;
    while start < chars.len() {
        let mut end = start + 1;
        while end < chars.len() && is_run(&chars[start..=end]) {
            end += 1;
        }
        if end - start >= RUN_THRESHOLD {
            covered += end - start;
            start = end;
        } else {
            start += 1;
        }
    }
    covered
}

fn is_repetition(run: &[char]) -> bool {
    run.iter().all(|c| *c == run[0])
}

/// Whether `run` is part of a sequence, forwards or backwards, all in lower
/// or all in upper case.
fn is_sequential(run: &[char]) -> bool {
    let run: String = run.iter().collect();
    SEQUENCES.iter().any(|sequence| {
        let reversed: String = sequence.chars().rev().collect();
        [
            sequence.to_string(),
            reversed.clone(),
            sequence.to_uppercase(),
            reversed.to_uppercase(),
        ]
        .iter()
        .any(|candidate| candidate.contains(&run))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(password: &str) -> Vec<String> {
        issues(password)
            .iter()
            .map(|issue| issue["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn a_short_sequence_is_too_short_and_sequential() {
        assert_eq!(
            issues("123456"),
            vec![
                json!({"code": "password_rejected.too_short", "interpolation": {"min": 8}}),
                json!({"code": "password_rejected.restricted.sequence"}),
            ]
        );
    }

    #[test]
    fn long_sequences_and_repetitions_are_refused() {
        assert_eq!(
            codes("abcdefghij"),
            ["password_rejected.restricted.sequence"]
        );
        assert_eq!(
            codes("qwertyuiop1"),
            ["password_rejected.restricted.sequence"]
        );
        assert_eq!(
            codes("aaaaaaaaa"),
            ["password_rejected.restricted.repetition"]
        );
    }

    #[test]
    fn an_ordinary_passphrase_passes_even_with_a_short_run_inside() {
        assert!(codes("correct horse battery staple").is_empty());
        assert!(codes("abc-Tango-42!").is_empty());
    }

    #[test]
    fn characters_outside_the_policy_are_unsupported() {
        assert_eq!(
            codes("pässwort-lang"),
            ["password_rejected.unsupported_characters"]
        );
    }
}
