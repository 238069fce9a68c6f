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

        /// With the `serde` feature: the value itself, as a string. What is
        /// serialized holds the secret: keep it server-side.
        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.expose_secret())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::new)
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
