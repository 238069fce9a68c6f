//! A fake social provider: the emulator plays both Logto and the provider.
//!
//! `POST /api/verifications/social` answers with an `authorizationUri` on the
//! emulator itself, `/mock-social/{connectorId}/authorize`. That page
//! "signs the user in" at once and redirects to the `redirect_uri` with a
//! fresh `code` and the `state`. The social user is `login_as` from the
//! query, or [`DEFAULT_SOCIAL_USER_ID`]. Tests can skip the redirect and
//! mint a code with [`Emulator::social_code_for`](crate::Emulator::social_code_for).
//! Either way, `POST /api/verifications/social/verify` takes
//! `connectorData: {"code": ...}`; each code works once.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use crate::ids;
use crate::shared::Shared;

/// The connector every emulator has, with target `mock-social`.
pub const MOCK_SOCIAL_CONNECTOR_ID: &str = "mock-social";

/// The social user the authorization page signs in when the query names none.
pub const DEFAULT_SOCIAL_USER_ID: &str = "mock-social-user";

#[derive(Debug)]
pub(crate) struct SocialProvider {
    /// Connector id to connector target (the key of `identities`).
    connectors: BTreeMap<String, String>,
    /// Unused authorization codes: code to (connector id, social user id).
    codes: HashMap<String, (String, String)>,
}

impl Default for SocialProvider {
    fn default() -> Self {
        SocialProvider {
            connectors: BTreeMap::from([(
                MOCK_SOCIAL_CONNECTOR_ID.to_owned(),
                MOCK_SOCIAL_CONNECTOR_ID.to_owned(),
            )]),
            codes: HashMap::new(),
        }
    }
}

impl SocialProvider {
    pub(crate) fn add_connector(&mut self, connector_id: &str, target: &str) {
        self.connectors
            .insert(connector_id.to_owned(), target.to_owned());
    }

    pub(crate) fn target(&self, connector_id: &str) -> Option<&str> {
        self.connectors.get(connector_id).map(String::as_str)
    }

    pub(crate) fn mint_code(&mut self, connector_id: &str, social_user_id: &str) -> String {
        let code = ids::social_code();
        self.codes.insert(
            code.clone(),
            (connector_id.to_owned(), social_user_id.to_owned()),
        );
        code
    }

    /// The social user a code signs in, if it is unused and minted for the
    /// connector whose target is `target`. Consumes the code.
    pub(crate) fn redeem(&mut self, code: &str, target: &str) -> Option<String> {
        let (connector_id, social_user_id) = self.codes.get(code)?.clone();
        if self.target(&connector_id) != Some(target) {
            return None;
        }
        self.codes.remove(code);
        Some(social_user_id)
    }

    /// Where `POST /api/verifications/social` sends the user.
    pub(crate) fn authorization_uri(
        base_url: &str,
        connector_id: &str,
        state: &str,
        redirect_uri: &str,
        scope: Option<&str>,
    ) -> String {
        let mut uri = match Url::parse(base_url) {
            Ok(base) => base,
            // The base URL is the emulator's own, always valid; a literal
            // fallback keeps this infallible.
            Err(_) => return format!("{base_url}/mock-social/{connector_id}/authorize"),
        };
        uri.path_segments_mut()
            .map(|mut segments| {
                segments.extend(["mock-social", connector_id, "authorize"]);
            })
            .ok();
        {
            let mut query = uri.query_pairs_mut();
            query.append_pair("state", state);
            query.append_pair("redirect_uri", redirect_uri);
            if let Some(scope) = scope {
                query.append_pair("scope", scope);
            }
        }
        uri.to_string()
    }
}

/// `GET /mock-social/{connectorId}/authorize`: redirects to `redirect_uri`
/// with a code and the state, as a provider would after the user agreed.
pub(crate) async fn authorize(
    State(shared): State<Shared>,
    Path(connector_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let param = |name: &str| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let Some(redirect_uri) = param("redirect_uri") else {
        return (StatusCode::BAD_REQUEST, "redirect_uri is required").into_response();
    };
    let Ok(mut location) = Url::parse(&redirect_uri) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri is not a URL").into_response();
    };
    let social_user_id = param("login_as").unwrap_or_else(|| DEFAULT_SOCIAL_USER_ID.to_owned());
    let code = {
        let mut state = shared.lock();
        if state.social.target(&connector_id).is_none() {
            return (StatusCode::NOT_FOUND, "Not Found").into_response();
        }
        state.social.mint_code(&connector_id, &social_user_id)
    };
    location.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = param("state") {
        location.query_pairs_mut().append_pair("state", &state);
    }
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location.as_str()) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
