//! The baseline: a hand-written Account API client on reqwest and serde,
//! with the SDK's settings (user agent, timeouts, pool, TLS) and nothing else.

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, Utc};
use logto_account::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, IF_NONE_MATCH};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a raw call fails with.
pub type RawError = Box<dyn Error + Send + Sync>;

/// The user agent, as long as the SDK's `logto-account/0.1.0`.
const USER_AGENT: &str = "raw-bench-cli/0.1.0";

/// The account, decoded into the same fields and types as the SDK's
/// `Account`: times from epoch milliseconds to `DateTime<Utc>`, and the
/// profile into typed OpenID Connect claims in a `Box`, as a hand-written
/// client that reads them would (the SDK's `ProfileClaims`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "decoded as the SDK decodes it; the benchmark reads only the name"
)]
pub struct RawAccount {
    pub id: String,
    pub username: Option<String>,
    pub primary_email: Option<String>,
    pub primary_phone: Option<String>,
    pub name: Option<String>,
    pub avatar: Option<String>,
    pub custom_data: Option<Map<String, Value>>,
    pub identities: Option<BTreeMap<String, Value>>,
    pub profile: Option<Box<RawProfile>>,
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub last_sign_in_at: Option<DateTime<Utc>>,
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub updated_at: Option<DateTime<Utc>>,
    pub application_id: Option<String>,
    pub is_suspended: Option<bool>,
    pub has_password: Option<bool>,
    pub has_security_verification_method: Option<bool>,
    pub cimd_client_id: Option<String>,
    #[serde(default)]
    pub sso_identities: Vec<Value>,
}

/// The profile's standard claims, as the SDK's `ProfileClaims` has them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "decoded as the SDK decodes it")]
pub struct RawProfile {
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub nickname: Option<String>,
    pub preferred_username: Option<String>,
    pub profile: Option<String>,
    pub website: Option<String>,
    pub gender: Option<String>,
    pub birthdate: Option<String>,
    pub zoneinfo: Option<String>,
    pub locale: Option<String>,
    pub address: Option<RawAddress>,
}

/// The profile's address claim, as the SDK's `Address` has it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "decoded as the SDK decodes it")]
pub struct RawAddress {
    pub formatted: Option<String>,
    pub street_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

#[derive(Serialize)]
struct NameUpdate<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct PasswordUpdate<'a> {
    password: &'a str,
}

/// The hand-written client.
#[derive(Clone)]
pub struct RawClient {
    http: reqwest::Client,
    account_url: reqwest::Url,
    password_url: reqwest::Url,
    authorization: HeaderValue,
}

/// The reqwest client both sides use: the SDK's settings.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(DEFAULT_TIMEOUT)
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .build()
}

impl RawClient {
    /// A client for the server at `base` (`http://127.0.0.1:port`).
    pub fn new(base: &str, token: &str) -> Result<RawClient, RawError> {
        let mut authorization = HeaderValue::from_str(&format!("Bearer {token}"))?;
        authorization.set_sensitive(true);
        Ok(RawClient {
            http: http_client()?,
            account_url: reqwest::Url::parse(&format!("{base}/api/my-account"))?,
            password_url: reqwest::Url::parse(&format!("{base}/api/my-account/password"))?,
            authorization,
        })
    }

    /// `GET /api/my-account`.
    pub async fn profile(&self) -> Result<RawAccount, RawError> {
        let response = self
            .http
            .get(self.account_url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .send()
            .await?;
        expect_status(response.status(), StatusCode::OK)?;
        Ok(response.json().await?)
    }

    /// `GET /api/my-account` with `If-None-Match: etag`, expecting 304.
    pub async fn profile_unless(&self, etag: &str) -> Result<(), RawError> {
        let response = self
            .http
            .get(self.account_url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .header(IF_NONE_MATCH, etag)
            .send()
            .await?;
        expect_status(response.status(), StatusCode::NOT_MODIFIED)
    }

    /// `PATCH /api/my-account` with a new name.
    pub async fn update_name(&self, name: &str) -> Result<RawAccount, RawError> {
        let response = self
            .http
            .patch(self.account_url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .json(&NameUpdate { name })
            .send()
            .await?;
        expect_status(response.status(), StatusCode::OK)?;
        Ok(response.json().await?)
    }

    /// `POST /api/my-account/password` with the verification header.
    pub async fn change_password(
        &self,
        verification_record_id: &str,
        password: &str,
    ) -> Result<(), RawError> {
        let mut verification = HeaderValue::from_str(verification_record_id)?;
        verification.set_sensitive(true);
        let response = self
            .http
            .post(self.password_url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header("logto-verification-id", verification)
            .header(ACCEPT, "application/json")
            .json(&PasswordUpdate { password })
            .send()
            .await?;
        expect_status(response.status(), StatusCode::NO_CONTENT)
    }
}

fn expect_status(status: StatusCode, expected: StatusCode) -> Result<(), RawError> {
    if status == expected {
        Ok(())
    } else {
        Err(format!("expected {expected}, got {status}").into())
    }
}
