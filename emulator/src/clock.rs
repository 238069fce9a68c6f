//! The emulator's clock: real time plus an offset tests can move forward, so
//! expiry (verification records, tokens, the send limit) can be tested
//! without waiting.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// Real time shifted by what [`advance`](Clock::advance) added.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: TimeDelta,
}

impl Clock {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now()
            .checked_add_signed(self.offset)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        let by = TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
        self.offset = self.offset.checked_add(&by).unwrap_or(TimeDelta::MAX);
    }
}

/// Logto's time format in JSON: ISO 8601 in UTC with milliseconds.
pub(crate) fn iso(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
