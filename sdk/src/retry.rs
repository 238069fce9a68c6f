//! When a failed request may be sent again, and how long to wait first.

use std::time::Duration;

use reqwest::{Method, StatusCode};

/// How the client retries requests that failed in a way that is safe to
/// repeat.
///
/// - A connection that could not be made: any method (nothing was sent).
/// - A timeout or broken connection, 502, 503, 504 or 429: only idempotent
///   methods (GET, PUT, DELETE). POST and PATCH are never repeated once the
///   request may have reached the server: a password change must not run twice.
///
/// Waits grow exponentially from `initial_backoff` up to `max_backoff`, with
/// full jitter. A `Retry-After` header is honoured when it asks for no more
/// than `max_retry_after`; a longer wait gives the response back instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Up to 3 attempts, waits from 100 ms to 2 s, `Retry-After` up to 10 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// Never retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a request may be sent in all (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest first wait.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The cap on any wait.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` the client waits for.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `next` (2 for the first retry): a random
    /// duration up to the capped exponential bound.
    pub(crate) fn backoff(&self, next: u32) -> Duration {
        let exponent = next.saturating_sub(2).min(16);
        let bound = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        bound.mul_f64(fastrand::f64())
    }
}

/// What one attempt came to, as far as deciding what to do next needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attempted {
    /// No connection could be made: nothing was sent.
    NotConnected,
    /// The request failed after it may have reached the server (a timeout,
    /// a broken connection).
    Broken,
    /// The server answered.
    Answered {
        /// The status.
        status: StatusCode,
        /// The wait a `Retry-After` header asks for; read only with a
        /// retryable status, the only one it changes a decision for.
        retry_after: Option<Duration>,
        /// A 401 `auth.unauthorized`: the token was rejected and the request
        /// did not run.
        token_rejected: bool,
    },
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Give the outcome to the caller.
    Done,
    /// Send the request again after a wait.
    Retry(Wait),
    /// Get a new token and send the request again at once (not a retry).
    Refresh,
}

/// How long to wait before a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// The policy's jittered backoff before attempt `next`.
    Backoff {
        /// The attempt about to be made (2 for the first retry).
        next: u32,
    },
    /// What the server's `Retry-After` asked for.
    RetryAfter(Duration),
}

impl RetryPolicy {
    /// The next step after attempt number `attempt` (1 for the first) of a
    /// request. `can_refresh`: a token provider can supply a new token, and
    /// none was asked for yet in this call.
    pub(crate) fn decide(
        &self,
        attempted: Attempted,
        idempotent: bool,
        attempt: u32,
        can_refresh: bool,
    ) -> Decision {
        let attempts_left = attempt < self.max_attempts;
        let backoff = Decision::Retry(Wait::Backoff { next: attempt + 1 });
        match attempted {
            Attempted::NotConnected if attempts_left => backoff,
            Attempted::Broken if attempts_left && idempotent => backoff,
            Attempted::Answered {
                token_rejected: true,
                ..
            } if can_refresh => Decision::Refresh,
            Attempted::Answered {
                status,
                retry_after,
                ..
            } if attempts_left && idempotent && is_retryable_status(status) => match retry_after {
                Some(wait) if wait <= self.max_retry_after => {
                    Decision::Retry(Wait::RetryAfter(wait))
                }
                Some(_) => Decision::Done,
                None => backoff,
            },
            _ => Decision::Done,
        }
    }

    /// The duration of a wait.
    pub(crate) fn wait(&self, wait: Wait) -> Duration {
        match wait {
            Wait::Backoff { next } => self.backoff(next),
            Wait::RetryAfter(duration) => duration,
        }
    }
}

/// GET, PUT, DELETE (and HEAD, OPTIONS): repeating them changes nothing more.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
    )
}

/// Statuses that say "try again later".
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// An answer, its body unread: a 401 is not taken for a rejected token
/// (only its body can say that).
pub(crate) fn answered(response: &reqwest::Response) -> Attempted {
    let status = response.status();
    Attempted::Answered {
        status,
        // Most answers are not retryable: no header lookup for them.
        retry_after: is_retryable_status(status)
            .then(|| retry_after(response.headers()))
            .flatten(),
        token_rejected: false,
    }
}

/// A transport failure: a failed connect sent nothing; anything else may
/// have reached the server.
pub(crate) fn classify_error(error: &reqwest::Error) -> Attempted {
    if error.is_connect() {
        Attempted::NotConnected
    } else {
        Attempted::Broken
    }
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_the_capped_exponential_bound() {
        let policy = RetryPolicy::default();
        for _ in 0..200 {
            assert!(policy.backoff(2) <= Duration::from_millis(100));
            assert!(policy.backoff(3) <= Duration::from_millis(200));
            assert!(policy.backoff(30) <= Duration::from_secs(2));
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn retry_after_is_read_for_retryable_statuses_only() {
        let response = |status: u16| {
            let response = http::Response::builder()
                .status(status)
                .header(reqwest::header::RETRY_AFTER, "3")
                .body(Vec::<u8>::new())
                .unwrap();
            reqwest::Response::from(response)
        };
        for (status, wait) in [(503, Some(3)), (429, Some(3)), (200, None), (400, None)] {
            assert_eq!(
                super::answered(&response(status)),
                answered(status, wait, false),
                "{status}"
            );
        }
    }

    fn answered(status: u16, retry_after: Option<u64>, token_rejected: bool) -> Attempted {
        Attempted::Answered {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: retry_after.map(Duration::from_secs),
            token_rejected,
        }
    }

    #[test]
    fn decisions_follow_the_table() {
        use Decision::{Done, Refresh, Retry};
        let policy = RetryPolicy::default();
        let backoff = |next| Retry(Wait::Backoff { next });
        // (what happened, idempotent, attempt, can refresh) -> decision
        let table = [
            (Attempted::NotConnected, false, 1, false, backoff(2)),
            (Attempted::NotConnected, true, 2, false, backoff(3)),
            (Attempted::NotConnected, true, 3, false, Done),
            (Attempted::Broken, true, 1, false, backoff(2)),
            (Attempted::Broken, false, 1, false, Done),
            (answered(503, None, false), true, 1, false, backoff(2)),
            (answered(503, None, false), false, 1, false, Done),
            (answered(502, None, false), true, 3, false, Done),
            (
                answered(429, Some(3), false),
                true,
                1,
                false,
                Retry(Wait::RetryAfter(Duration::from_secs(3))),
            ),
            (answered(429, Some(11), false), true, 1, false, Done),
            (answered(500, None, false), true, 1, false, Done),
            (answered(401, None, true), false, 1, true, Refresh),
            (answered(401, None, true), true, 3, true, Refresh),
            (answered(401, None, true), true, 1, false, Done),
            (answered(401, None, false), true, 1, true, Done),
            (answered(200, None, false), true, 1, true, Done),
        ];
        for (attempted, idempotent, attempt, can_refresh, expected) in table {
            assert_eq!(
                policy.decide(attempted, idempotent, attempt, can_refresh),
                expected,
                "{attempted:?}, idempotent {idempotent}, attempt {attempt}, can refresh {can_refresh}"
            );
        }
        assert_eq!(
            RetryPolicy::disabled().decide(Attempted::NotConnected, true, 1, false),
            Done
        );
    }

    #[test]
    fn only_idempotent_methods_are_idempotent() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }
}
