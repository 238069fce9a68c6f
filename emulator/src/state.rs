//! Everything the emulator remembers, behind one lock: users, tokens,
//! verification records, settings, the outbox and the fake social provider.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value};

use crate::account_center::AccountCenter;
use crate::clock::Clock;
use crate::ids;
use crate::outbox::{Channel, Outbox};
use crate::social::SocialProvider;

/// How long a verification record lives, from its creation.
pub(crate) const RECORD_LIFETIME: TimeDelta = TimeDelta::minutes(10);

/// The scopes Logto's SDKs request by default, plus the ones the Account API
/// reads.
pub const DEFAULT_SCOPES: [&str; 8] = [
    "openid",
    "offline_access",
    "profile",
    "email",
    "phone",
    "address",
    "custom_data",
    "identities",
];

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) clock: Clock,
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) tokens: HashMap<String, Token>,
    pub(crate) records: HashMap<String, VerificationRecord>,
    pub(crate) account_center: AccountCenter,
    pub(crate) outbox: Outbox,
    pub(crate) social: SocialProvider,
    /// The MFA factors the sign-in experience offers (`mfa.factors`):
    /// none by default, as in Logto.
    pub(crate) mfa_factors: Vec<MfaFactor>,
    /// Sign-in sessions and grants, one of each per issued token.
    pub(crate) sessions: Vec<SignInSession>,
    pub(crate) grants: Vec<Grant>,
    /// Provider tokens by (user id, connector target).
    pub(crate) provider_tokens: HashMap<(String, String), ProviderToken>,
    /// Uploaded images by asset id: (content type, bytes).
    pub(crate) assets: HashMap<String, (String, Vec<u8>)>,
    passwords: PasswordHasher,
}

/// An MFA factor kind the sign-in experience can offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MfaFactor {
    /// An authenticator app.
    Totp,
    /// A WebAuthn key or passkey.
    WebAuthn,
    /// Backup codes.
    BackupCode,
}

impl MfaFactor {
    /// Logto's name for the kind (`type` in the API).
    pub fn as_str(self) -> &'static str {
        match self {
            MfaFactor::Totp => "Totp",
            MfaFactor::WebAuthn => "WebAuthn",
            MfaFactor::BackupCode => "BackupCode",
        }
    }
}

/// A factor a user has bound (`mfaVerifications` in Logto's user row).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BoundFactor {
    pub(crate) id: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) kind: BoundFactorKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum BoundFactorKind {
    Totp {
        secret: String,
    },
    BackupCode {
        /// Each code, and when it was used.
        codes: Vec<(String, Option<DateTime<Utc>>)>,
    },
    WebAuthn {
        credential_id: String,
        agent: String,
        name: Option<String>,
    },
}

impl BoundFactor {
    pub(crate) fn factor(&self) -> MfaFactor {
        match self.kind {
            BoundFactorKind::Totp { .. } => MfaFactor::Totp,
            BoundFactorKind::BackupCode { .. } => MfaFactor::BackupCode,
            BoundFactorKind::WebAuthn { .. } => MfaFactor::WebAuthn,
        }
    }
}

/// A sign-in session of node-oidc-provider.
#[derive(Clone, Debug)]
pub(crate) struct SignInSession {
    pub(crate) uid: String,
    pub(crate) jti: String,
    pub(crate) user_id: String,
    pub(crate) application_id: String,
    pub(crate) login_at: DateTime<Utc>,
    pub(crate) expires_at: DateTime<Utc>,
    /// The grant its sign-in made; `None` once that grant is revoked.
    pub(crate) grant_id: Option<String>,
}

/// An application's grant.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) application_id: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) expires_at: DateTime<Utc>,
}

/// A social provider's access token, stored for a linked identity.
#[derive(Clone, Debug)]
pub(crate) struct ProviderToken {
    pub(crate) access_token: String,
    pub(crate) scope: String,
    pub(crate) expires_at: DateTime<Utc>,
}

/// How long a session lives (14 days) and a grant (180 days), as seen on Logto.
pub(crate) const SESSION_LIFETIME: TimeDelta = TimeDelta::days(14);
pub(crate) const GRANT_LIFETIME: TimeDelta = TimeDelta::days(180);

/// A stored user.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<PasswordDigest>,
    pub(crate) primary_email: Option<String>,
    pub(crate) primary_phone: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) avatar: Option<String>,
    pub(crate) custom_data: Map<String, Value>,
    /// The OpenID Connect claims object (`profile`).
    pub(crate) profile: Map<String, Value>,
    /// Social identities by connector target.
    pub(crate) identities: BTreeMap<String, SocialIdentity>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) last_sign_in_at: Option<DateTime<Utc>>,
    /// Bound MFA factors, oldest first.
    pub(crate) mfa_factors: Vec<BoundFactor>,
    /// `logtoConfig`: MFA and passkey sign-in state.
    pub(crate) logto_config: LogtoConfig,
}

/// The parts of `logtoConfig` the account API exposes.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LogtoConfig {
    /// Absent until the user first binds a factor (or sets it).
    pub(crate) mfa_enabled: Option<bool>,
    pub(crate) mfa_skipped: bool,
    pub(crate) skip_mfa_on_sign_in: bool,
    pub(crate) passkey_sign_in_skipped: bool,
}

impl User {
    /// Whether the user has something to prove their identity with, which
    /// makes verification mandatory for the password and identity routes.
    pub(crate) fn has_security_verification_method(&self) -> bool {
        self.password.is_some() || self.primary_email.is_some() || self.primary_phone.is_some()
    }

    /// Whether a stored string holds a NUL character, which PostgreSQL
    /// refuses in `text` and `jsonb`.
    pub(crate) fn has_nul(&self) -> bool {
        let texts = [
            &self.username,
            &self.primary_email,
            &self.primary_phone,
            &self.name,
            &self.avatar,
        ];
        texts
            .iter()
            .flat_map(|text| text.as_deref())
            .any(|text| text.contains('\0'))
            || [&self.custom_data, &self.profile]
                .iter()
                .any(|object| value_has_nul(&Value::Object((*object).clone())))
    }

    /// Whether the user can still sign in: a username, email, phone or
    /// social identity left.
    pub(crate) fn has_identifier(&self) -> bool {
        self.username.is_some()
            || self.primary_email.is_some()
            || self.primary_phone.is_some()
            || !self.identities.is_empty()
    }
}

fn value_has_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(value_has_nul),
        Value::Object(object) => object
            .iter()
            .any(|(key, value)| key.contains('\0') || value_has_nul(value)),
        _ => false,
    }
}

/// A linked social account.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SocialIdentity {
    pub(crate) user_id: String,
    pub(crate) details: Map<String, Value>,
}

/// A salted, keyed digest of a password. Its `Debug` shows nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct PasswordDigest {
    salt: u64,
    digest: u64,
}

impl fmt::Debug for PasswordDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordDigest(***)")
    }
}

/// Digests passwords with a key chosen at random per emulator, so digests
/// are worthless outside it. A test double needs no slow hash.
#[derive(Debug, Default)]
struct PasswordHasher {
    key: RandomState,
}

impl PasswordHasher {
    fn digest(&self, salt: u64, password: &str) -> u64 {
        let mut hasher = self.key.build_hasher();
        salt.hash(&mut hasher);
        password.hash(&mut hasher);
        hasher.finish()
    }
}

/// An opaque access token.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) user_id: String,
    /// The application the user signed in with.
    pub(crate) application_id: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) expires_at: DateTime<Utc>,
    /// The session and grant of the sign-in that issued it.
    pub(crate) session_uid: String,
    pub(crate) grant_id: String,
}

/// A verification record (`/api/verifications/*`).
#[derive(Clone, Debug)]
pub(crate) struct VerificationRecord {
    /// The user it proves the identity of; `None` for records about a new
    /// identifier or a social account.
    pub(crate) user_id: Option<String>,
    pub(crate) expires_at: DateTime<Utc>,
    pub(crate) kind: RecordKind,
}

#[derive(Clone, Debug)]
pub(crate) enum RecordKind {
    /// A checked password: verified from the start.
    Password,
    /// A code sent by email or SMS.
    Code {
        channel: Channel,
        value: String,
        template: String,
        code: String,
        verified: bool,
        /// Wrong codes tried so far.
        failed_tries: u32,
    },
    /// A social sign-in; `identity` is set once verified.
    Social {
        target: String,
        identity: Option<(String, SocialIdentity)>,
    },
    /// A WebAuthn registration; `credential_id` is set once verified.
    WebAuthn {
        challenge: String,
        credential_id: Option<String>,
    },
}

impl VerificationRecord {
    /// Whether the record may stand in the `logto-verification-id` header
    /// for `user_id`: a verified password record or a permission-validation
    /// code record of that very user.
    pub(crate) fn proves_identity_of(&self, user_id: &str) -> bool {
        if self.user_id.as_deref() != Some(user_id) {
            return false;
        }
        match &self.kind {
            RecordKind::Password => true,
            RecordKind::Code {
                template, verified, ..
            } => *verified && template == "UserPermissionValidation",
            RecordKind::Social { .. } | RecordKind::WebAuthn { .. } => false,
        }
    }
}

impl State {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn digest_password(&self, password: &str) -> PasswordDigest {
        let salt = ids::salt();
        PasswordDigest {
            salt,
            digest: self.passwords.digest(salt, password),
        }
    }

    pub(crate) fn password_matches(&self, stored: &PasswordDigest, password: &str) -> bool {
        self.passwords.digest(stored.salt, password) == stored.digest
    }

    /// An unexpired record by id.
    pub(crate) fn active_record(&self, id: &str) -> Option<&VerificationRecord> {
        let now = self.now();
        self.records
            .get(id)
            .filter(|record| record.expires_at > now)
    }

    pub(crate) fn active_record_mut(&mut self, id: &str) -> Option<&mut VerificationRecord> {
        let now = self.now();
        self.records
            .get_mut(id)
            .filter(|record| record.expires_at > now)
    }

    /// Stores a record expiring ten minutes from now; returns its id.
    pub(crate) fn insert_record(&mut self, user_id: Option<String>, kind: RecordKind) -> String {
        let id = ids::record_id();
        // Saturates rather than overflows when a test moved the clock to
        // the end of time.
        let expires_at = self
            .now()
            .checked_add_signed(RECORD_LIFETIME)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.records.insert(
            id.clone(),
            VerificationRecord {
                user_id,
                expires_at,
                kind,
            },
        );
        id
    }

    /// Another user than `except` with this username. Logto's default
    /// username policy is case-sensitive: `Ada` and `ada` are two users.
    pub(crate) fn username_taken(&self, username: &str, except: &str) -> bool {
        self.users
            .values()
            .any(|user| user.id != except && user.username.as_deref() == Some(username))
    }

    /// Another user than `except` with this primary email (case-insensitive).
    pub(crate) fn email_taken(&self, email: &str, except: &str) -> bool {
        self.users.values().any(|user| {
            user.id != except
                && user
                    .primary_email
                    .as_deref()
                    .is_some_and(|taken| taken.to_lowercase() == email.to_lowercase())
        })
    }

    /// Another user than `except` with this primary phone.
    pub(crate) fn phone_taken(&self, phone: &str, except: &str) -> bool {
        self.users
            .values()
            .any(|user| user.id != except && user.primary_phone.as_deref() == Some(phone))
    }

    /// Another user than `except` linked to this social account.
    pub(crate) fn social_identity_taken(
        &self,
        target: &str,
        social_user_id: &str,
        except: &str,
    ) -> bool {
        self.users.values().any(|user| {
            user.id != except
                && user
                    .identities
                    .get(target)
                    .is_some_and(|identity| identity.user_id == social_user_id)
        })
    }
}
