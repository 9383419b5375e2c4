//! `Attr<T>`: a model field that may be null, unknown (known only after apply) or known.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Names our own (de)serializer recognises to carry "unknown" through serde.
pub(crate) const UNKNOWN_MARKER: &str = "$azureclassic::unknown";
pub(crate) const ATTR_MARKER: &str = "$azureclassic::attr";

/// Tri-state attribute value. Use it for every field whose value may be unknown: anything in a
/// configuration (variables and references are unknown during validate and plan), and computed
/// attributes in a plan. Plain types (`String`, `Option<String>`, `Vec<_>`) refuse unknowns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Attr<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Attr<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_known(self) -> Option<T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }

    pub fn as_ref(&self) -> Attr<&T> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(v) => Attr::Known(v),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<U> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(v) => Attr::Known(f(v)),
        }
    }
}

impl Attr<String> {
    pub fn known_str(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
}

impl<T> From<Option<T>> for Attr<T> {
    fn from(o: Option<T>) -> Attr<T> {
        o.map_or(Attr::Null, Attr::Known)
    }
}

impl<T: Serialize> Serialize for Attr<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Attr::Null => serializer.serialize_none(),
            Attr::Unknown => serializer.serialize_unit_struct(UNKNOWN_MARKER),
            Attr::Known(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Attr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Attr<T>, D::Error> {
        deserializer.deserialize_newtype_struct(ATTR_MARKER, AttrVisitor(PhantomData))
    }
}

/// Our deserializer answers the marker with unit = unknown, none = null, some = known.
struct AttrVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for AttrVisitor<T> {
    type Value = Attr<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null or unknown")
    }

    fn visit_unit<E>(self) -> Result<Attr<T>, E> {
        Ok(Attr::Unknown)
    }

    fn visit_none<E>(self) -> Result<Attr<T>, E> {
        Ok(Attr::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Attr<T>, D::Error> {
        T::deserialize(d).map(Attr::Known)
    }

    // Other deserializers (serde_json in tests) have no unknowns: treat as an Option.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Attr<T>, D::Error> {
        Option::<T>::deserialize(d).map(Attr::from)
    }
}
