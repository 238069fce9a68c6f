//! Values that must never show up in logs: their `Debug` prints `***`.

use std::fmt;

use logto_account_api::types;
use secrecy::{ExposeSecret, SecretString};

use crate::{Error, input};

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

/// The id of a verification record. Whoever holds it can act as the
/// verified user for ten minutes.
///
/// Checked once, when it is made: an id that exists can be sent (Logto's are
/// 21 lowercase letters and digits; anything empty, or with spaces, control
/// or non-ASCII characters, is refused). Its `Debug` output never shows the
/// value, and it has no `Display`.
#[derive(Clone)]
pub struct VerificationRecordId(types::VerificationRecordId);

impl VerificationRecordId {
    /// Checks and wraps a record id, e.g. one stored between two requests.
    ///
    /// Fails with [`Error::InvalidInput`] (field `verification record id`)
    /// for a value that cannot be one.
    ///
    /// ```
    /// use logto_account::VerificationRecordId;
    ///
    /// assert!(VerificationRecordId::new("t0czpmpa7nnr3qu5ymsqk").is_ok());
    /// assert!(VerificationRecordId::new("two words").is_err());
    /// ```
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        input::opaque_token(FIELD, &value)?;
        types::VerificationRecordId::try_from(value)
            .map(VerificationRecordId)
            .map_err(|_| Error::invalid_input(FIELD, "is empty"))
    }

    /// The value itself, for sending or storing it deliberately.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The value as the bindings send it.
    pub(crate) fn as_sent(&self) -> &types::VerificationRecordId {
        &self.0
    }
}

/// How errors name a record id.
const FIELD: &str = "verification record id";

/// With the `serde` feature: the value itself, as a string. What is
/// serialized holds the secret: keep it server-side.
#[cfg(feature = "serde")]
impl serde::Serialize for VerificationRecordId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

/// With the `serde` feature; a stored value is checked like a new one.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for VerificationRecordId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        VerificationRecordId::new(String::deserialize(deserializer)?)
            .map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for VerificationRecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerificationRecordId(***)")
    }
}

secret_type! {
    /// A TOTP secret (base32), shared with the user's authenticator app.
    /// Whoever has it can make the user's codes.
    TotpSecret
}

secret_type! {
    /// A code from the user's authenticator app (six digits, valid 30 seconds).
    TotpCode
}

secret_type! {
    /// One MFA backup code: 10 lowercase hexadecimal characters, each usable
    /// once to sign in.
    BackupCode
}

secret_type! {
    /// An access token a social or enterprise SSO provider issued for the
    /// user (e.g. Google's), to call that provider's API.
    ProviderAccessToken
}
