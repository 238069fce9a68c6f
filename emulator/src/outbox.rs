//! Where verification codes go instead of an email or SMS provider, and the
//! per-recipient send limit that Logto applies to them.

use chrono::{DateTime, TimeDelta, Utc};

/// How many codes one recipient may get within [`SEND_WINDOW`].
pub(crate) const SEND_LIMIT: usize = 10;

/// The sliding window of the send limit: 600 seconds.
pub(crate) const SEND_WINDOW: TimeDelta = TimeDelta::seconds(600);

/// How a code was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// By email.
    Email,
    /// By SMS.
    Phone,
}

/// A verification code the emulator sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentCode {
    /// The email address or phone number, as the request gave it.
    pub to: String,
    /// Email or SMS.
    pub channel: Channel,
    /// The code, six digits.
    pub code: String,
    /// Logto's template: `BindNewIdentifier` for an identifier the user does
    /// not have yet, otherwise `UserPermissionValidation` or `BindMfa`.
    pub template: String,
    /// When it was sent, by the emulator's clock.
    pub sent_at: DateTime<Utc>,
}

/// Every code sent so far, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    sent: Vec<SentCode>,
}

impl Outbox {
    pub(crate) fn push(&mut self, code: SentCode) {
        self.sent.push(code);
    }

    pub(crate) fn all(&self) -> Vec<SentCode> {
        self.sent.clone()
    }

    /// The newest code sent to `recipient` (compared case-insensitively).
    pub(crate) fn last_to(&self, recipient: &str) -> Option<&SentCode> {
        self.sent
            .iter()
            .rev()
            .find(|sent| sent.to.eq_ignore_ascii_case(recipient))
    }

    /// Whether another code to `recipient` would break the send limit. Logto
    /// keys the limit by recipient, case-insensitively.
    pub(crate) fn limit_reached(&self, recipient: &str, now: DateTime<Utc>) -> bool {
        let window_start = now
            .checked_sub_signed(SEND_WINDOW)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let recent = self
            .sent
            .iter()
            .filter(|sent| sent.sent_at > window_start)
            .filter(|sent| sent.to.to_lowercase() == recipient.to_lowercase())
            .count();
        recent >= SEND_LIMIT
    }
}
