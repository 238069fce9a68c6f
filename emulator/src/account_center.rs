//! Account-center settings: the global switch and which fields users may
//! read or edit.

use std::collections::BTreeMap;

/// A field the account center controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The display name.
    Name,
    /// The avatar URL.
    Avatar,
    /// The OpenID Connect profile claims (`PATCH /api/my-account/profile`).
    Profile,
    /// The primary email.
    Email,
    /// The primary phone.
    Phone,
    /// The password (and `hasPassword` in the account).
    Password,
    /// The username.
    Username,
    /// Linked social identities.
    Social,
    /// The custom data object.
    CustomData,
    /// MFA factors (TOTP, backup codes; WebAuthn keys too unless
    /// [`Passkey`](Field::Passkey) is set).
    Mfa,
    /// WebAuthn keys; when not set, [`Mfa`](Field::Mfa) decides.
    Passkey,
    /// Sessions and grants.
    Session,
}

impl Field {
    /// Every field, in Logto's order.
    pub const ALL: [Field; 12] = [
        Field::Name,
        Field::Avatar,
        Field::Profile,
        Field::Email,
        Field::Phone,
        Field::Password,
        Field::Username,
        Field::Social,
        Field::CustomData,
        Field::Mfa,
        Field::Passkey,
        Field::Session,
    ];
}

/// What users may do with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldAccess {
    /// Hidden from reads, refused on writes.
    Off,
    /// Shown, but writes fail with 400 `account_center.field_not_editable`.
    ReadOnly,
    /// Shown and editable.
    Edit,
}

/// The tenant's account center.
#[derive(Debug)]
pub(crate) struct AccountCenter {
    pub(crate) enabled: bool,
    /// A field missing from the map is `Off`, as in Logto.
    fields: BTreeMap<Field, FieldAccess>,
}

impl Default for AccountCenter {
    /// Enabled, every field editable: what a test usually wants. (A fresh
    /// Logto has it disabled until an admin turns it on.)
    fn default() -> Self {
        AccountCenter {
            enabled: true,
            fields: Field::ALL
                .into_iter()
                .map(|field| (field, FieldAccess::Edit))
                .collect(),
        }
    }
}

impl AccountCenter {
    pub(crate) fn set(&mut self, field: Field, access: FieldAccess) {
        self.fields.insert(field, access);
    }

    pub(crate) fn access(&self, field: Field) -> FieldAccess {
        self.fields.get(&field).copied().unwrap_or(FieldAccess::Off)
    }

    /// `fields.passkey ?? fields.mfa`, as Logto reads the passkey gate.
    pub(crate) fn passkey_access(&self) -> FieldAccess {
        self.fields
            .get(&Field::Passkey)
            .or_else(|| self.fields.get(&Field::Mfa))
            .copied()
            .unwrap_or(FieldAccess::Off)
    }

    pub(crate) fn readable(&self, field: Field) -> bool {
        self.access(field) != FieldAccess::Off
    }

    pub(crate) fn editable(&self, field: Field) -> bool {
        self.access(field) == FieldAccess::Edit
    }

    /// Whether WebAuthn keys may be changed: `passkey ?? mfa`.
    pub(crate) fn passkey_editable(&self) -> bool {
        self.fields
            .get(&Field::Passkey)
            .copied()
            .unwrap_or_else(|| self.access(Field::Mfa))
            == FieldAccess::Edit
    }
}
