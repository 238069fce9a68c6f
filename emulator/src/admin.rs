//! The admin routes: what a test written in another language needs to
//! finish the email and phone flows and to test expiry, since it cannot
//! call the [`Emulator`](crate::Emulator) handle. Off unless
//! [`Emulator::enable_admin_routes`](crate::Emulator::enable_admin_routes)
//! turned them on (the standalone binary does); off, they are unknown paths.
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /__emulator/codes` | 200 `[{"to","channel":"email"\|"phone","code","template","sentAt"}]`, oldest first |
//! | `GET /__emulator/clock` | 200 `{"now": "<ISO 8601>"}` |
//! | `POST /__emulator/clock/advance?seconds=N` | 200 `{"now": ...}` after moving the clock N seconds forward |

use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::clock::iso;
use crate::errors::json_response;
use crate::outbox::Channel;
use crate::shared::Shared;

/// `GET /__emulator/codes`.
pub(crate) async fn sent_codes(State(shared): State<Shared>) -> Response {
    if !shared.admin_enabled() {
        return not_found();
    }
    let codes: Vec<Value> = shared
        .lock()
        .outbox
        .all()
        .into_iter()
        .map(|sent| {
            json!({
                "to": sent.to,
                "channel": match sent.channel {
                    Channel::Email => "email",
                    Channel::Phone => "phone",
                },
                "code": sent.code,
                "template": sent.template,
                "sentAt": iso(sent.sent_at),
            })
        })
        .collect();
    json_response(StatusCode::OK, &Value::Array(codes))
}

/// `GET /__emulator/clock`.
pub(crate) async fn clock(State(shared): State<Shared>) -> Response {
    if !shared.admin_enabled() {
        return not_found();
    }
    now(&shared)
}

/// `POST /__emulator/clock/advance?seconds=N`.
pub(crate) async fn advance_clock(
    State(shared): State<Shared>,
    RawQuery(query): RawQuery,
) -> Response {
    if !shared.admin_enabled() {
        return not_found();
    }
    let seconds = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "seconds")
        .and_then(|(_, value)| value.parse::<u64>().ok());
    let Some(seconds) = seconds else {
        return (StatusCode::BAD_REQUEST, "seconds must be a whole number").into_response();
    };
    shared.lock().clock.advance(Duration::from_secs(seconds));
    now(&shared)
}

fn now(shared: &Shared) -> Response {
    json_response(StatusCode::OK, &json!({"now": iso(shared.lock().now())}))
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}
