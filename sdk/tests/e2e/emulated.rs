//! Shared fixtures of the end-to-end tests: an emulator, a user, a client.

use logto_account::{AccessToken, AccountClient, IdentityVerification, Password};
use logto_account_emulator::{DEFAULT_SCOPES, Emulator, NewUser};

/// The user's password in every test.
pub const PASSWORD: &str = "correct horse battery staple";
/// The user's email in every test.
pub const EMAIL: &str = "ada@example.com";

pub struct World {
    pub emulator: Emulator,
    pub client: AccountClient,
    pub user_id: String,
}

/// User `ada` with a password and an email, a client with the default scopes.
pub async fn world() -> World {
    world_with(
        NewUser::new()
            .username("ada")
            .password(PASSWORD)
            .email(EMAIL)
            .name("Ada"),
        &DEFAULT_SCOPES,
    )
    .await
}

/// A user of your choice, a client with `scopes`.
pub async fn world_with(user: NewUser, scopes: &[&str]) -> World {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let user_id = emulator.create_user(user).expect("a new user");
    let token = emulator.issue_token(&user_id, scopes);
    let client = client_for(&emulator, token);
    World {
        emulator,
        client,
        user_id,
    }
}

pub fn client_for(emulator: &Emulator, token: String) -> AccountClient {
    AccountClient::new(emulator.base_url(), AccessToken::new(token))
        .expect("the emulator's URL is a valid endpoint")
}

impl World {
    /// A client for the same user with other scopes.
    pub fn client_with_scopes(&self, scopes: &[&str]) -> AccountClient {
        client_for(
            &self.emulator,
            self.emulator.issue_token(&self.user_id, scopes),
        )
    }

    pub async fn proof(&self) -> IdentityVerification {
        self.client
            .verify_password(&Password::new(PASSWORD))
            .await
            .expect("the password verifies")
    }
}
