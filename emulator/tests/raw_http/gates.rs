//! The order in which a route's gates refuse a request (facts §5.1, §13):
//! the account center's switch first, then the route's field, then its
//! scope and the verification header in the route's own order. One checker
//! for every route, so each route states only its gates.

use crate::common::*;
use logto_account_emulator::{Field, FieldAccess};
use reqwest::Method;
use serde_json::Value;

/// A check that comes after the field gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    /// The route's scope; a token without it gets `Gates::missing_scope`.
    Scope,
    /// `logto-verification-id`; without it, 401 `permission_denied`.
    Verification,
}

/// A route and what gates it.
pub struct Gates<'a> {
    pub method: Method,
    pub path: &'a str,
    /// A body that passes the route's guard.
    pub body: Body,
    /// The account-center field, and whether the route writes (needs
    /// `Edit`) or reads (needs `ReadOnly`).
    pub field: Option<(Field, Access)>,
    pub scope: &'static str,
    /// The status and body a token without `scope` gets.
    pub missing_scope: (u16, Value),
    /// The checks after the field's, in the route's order.
    pub order: &'a [Check],
}

/// What a route does with its field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Access {
    Read,
    Write,
}

/// Sends the route a request that fails every gate, then one that passes
/// one gate more each time, and checks each answer is the next gate's.
pub async fn assert_gate_order(gates: Gates<'_>) {
    let fixture = setup().await;
    let proof = fixture.password_proof().await;
    let without_scope: Vec<&str> = every_scope()
        .into_iter()
        .filter(|scope| *scope != gates.scope)
        .collect();
    let bare = fixture.token_with(&without_scope);
    let full = fixture.token_with(&every_scope());
    let send = |passed: &[Check]| {
        let token = if passed.contains(&Check::Scope) {
            &full
        } else {
            &bare
        };
        let verification = passed
            .contains(&Check::Verification)
            .then_some(proof.as_str());
        fixture.send_body(
            gates.method.clone(),
            gates.path,
            token,
            verification,
            gates.body.clone(),
        )
    };
    let context = format!("{} {}", gates.method, gates.path);

    fixture.emulator.set_account_center_enabled(false);
    let answer = send(&[]).await;
    assert_eq!(answer.status, 400, "{context}: {}", answer.text);
    answer.assert_error(400, account_center_not_enabled());
    fixture.emulator.set_account_center_enabled(true);

    if let Some((field, access)) = gates.field {
        let (refused, expected) = match access {
            Access::Read => (FieldAccess::Off, field_not_enabled()),
            Access::Write => (FieldAccess::ReadOnly, field_not_editable()),
        };
        fixture.emulator.set_field_access(field, refused);
        let answer = send(&[]).await;
        assert_eq!(answer.status, 400, "{context}: {}", answer.text);
        answer.assert_error(400, expected);
        fixture.emulator.set_field_access(field, FieldAccess::Edit);
    }

    for (index, check) in gates.order.iter().enumerate() {
        let answer = send(&gates.order[..index]).await;
        let (status, body) = match check {
            Check::Scope => gates.missing_scope.clone(),
            Check::Verification => (401, permission_denied()),
        };
        assert_eq!(
            answer.status, status,
            "{context}, {check:?}: {}",
            answer.text
        );
        answer.assert_error(status, body);
    }
}
