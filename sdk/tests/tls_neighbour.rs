//! Adding logto-account to an application changes nothing for its other TLS
//! clients: building an `AccountClient` installs no process-wide rustls
//! provider (the application's own `install_default()` still succeeds), and a
//! plain `reqwest::Client` works before and after. Its own binary, because
//! the process-wide provider is global state.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use logto_account::{AccessToken, AccountClient};

#[test]
fn building_a_client_leaves_process_wide_tls_state_alone() {
    // Before: reqwest's own default works with the features this crate enables.
    let _ = reqwest::Client::new();

    let client = AccountClient::new("https://my-tenant.logto.app", AccessToken::new("t")).unwrap();
    assert_eq!(client.endpoint().as_str(), "https://my-tenant.logto.app/");
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    let _ = reqwest::Client::builder().build().unwrap();

    // The common startup line of an application does not panic.
    rustls::crypto::aws_lc_rs::default_provider()
        .install_default()
        .unwrap();
    AccountClient::new("https://other.logto.app", AccessToken::new("t")).unwrap();
}
