//! A field that can be set, or cleared with an explicit JSON `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A new value for a stored field, or [`Clearable::Clear`] to remove it.
///
/// Used where Logto accepts `null` to clear a field (`name`, `avatar`,
/// `username` on `PATCH /api/my-account`). Wrapped in an `Option`, it gives the
/// three states the server understands: `None` leaves the field out of the
/// body (unchanged), `Some(Clear)` sends `null`, `Some(Set(v))` sends `v`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clearable<T> {
    /// Send `null`: the server clears the field.
    Clear,
    /// Send this value.
    Set(T),
}

impl<T: Serialize> Serialize for Clearable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Clearable::Clear => serializer.serialize_none(),
            Clearable::Set(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Clearable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Clearable::Clear, Clearable::Set))
    }
}
