//! Values that must never show up in logs: their `Debug` prints `***`.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// Its `Debug` output never shows the value, and it has no `Display`.
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(SecretString::from(value.into()))
            }

            /// The value itself, for sending or storing it deliberately.
            pub fn expose_secret(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name::new(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::new(value)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(***)"))
            }
        }
    };
}

secret_type! {
    /// A user's opaque access token for Logto (issued without a `resource`).
    AccessToken
}

secret_type! {
    /// A password: the user's current one, or a new one.
    Password
}

secret_type! {
    /// A verification code the user received by email or SMS.
    VerificationCode
}

secret_type! {
    /// The id of a verification record. Whoever holds it can act as the
    /// verified user for ten minutes.
    VerificationRecordId
}

secret_type! {
    /// An access token a social or enterprise SSO provider issued for the
    /// user (e.g. Google's), to call that provider's API.
    ProviderAccessToken
}
