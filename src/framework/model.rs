//! Typed models: resource code works on plain structs (one field per attribute, `Vec<Struct>` /
//! `Option<Struct>` per nested block) through serde, with our own Serializer and Deserializer over
//! [`Value`]. Enums with unit variants map to strings, which suits enum attributes.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

use super::attr::{ATTR_MARKER, UNKNOWN_MARKER};
use super::path::AttrPath;
use super::value::{Number, Value};

/// Converts a model into a value (not yet conformed to a schema: see [`Value::conform`]).
pub fn to_value<T: Serialize + ?Sized>(model: &T) -> Result<Value, ModelError> {
    model.serialize(ValueSerializer)
}

/// Converts a value into a model.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ModelError> {
    T::deserialize(ValueDeserializer {
        value,
        path: AttrPath::root(),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind}", path.as_ref().map(ToString::to_string).unwrap_or_else(|| "(root)".into()))]
pub struct ModelError {
    pub path: Option<AttrPath>,
    pub kind: ModelErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelErrorKind {
    /// The value is unknown but the model's field can't hold an unknown (it is not an `Attr`).
    #[error("value is unknown but the model needs it known")]
    UnexpectedUnknown,
    #[error("{0}")]
    Other(String),
}

impl ModelError {
    fn at(path: &AttrPath, kind: ModelErrorKind) -> ModelError {
        ModelError {
            path: Some(path.clone()),
            kind,
        }
    }

    /// Fills in the path when the error came from serde without one.
    fn located(mut self, path: &AttrPath) -> ModelError {
        self.path.get_or_insert_with(|| path.clone());
        self
    }

    pub fn is_unexpected_unknown(&self) -> bool {
        self.kind == ModelErrorKind::UnexpectedUnknown
    }
}

impl ser::Error for ModelError {
    fn custom<T: fmt::Display>(msg: T) -> ModelError {
        ModelError {
            path: None,
            kind: ModelErrorKind::Other(msg.to_string()),
        }
    }
}

impl de::Error for ModelError {
    fn custom<T: fmt::Display>(msg: T) -> ModelError {
        ModelError {
            path: None,
            kind: ModelErrorKind::Other(msg.to_string()),
        }
    }
}

fn unsupported(what: &str) -> ModelError {
    ser::Error::custom(format!("{what} can't be a Terraform value"))
}

// ---------------------------------------------------------------- serializer

struct ValueSerializer;

fn number(n: Option<Number>) -> Result<Value, ModelError> {
    n.map(Value::Number)
        .ok_or_else(|| ser::Error::custom("NaN is not a number"))
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ModelError;
    type SerializeSeq = SeqSerializer;
    type SerializeTuple = ser::Impossible<Value, ModelError>;
    type SerializeTupleStruct = ser::Impossible<Value, ModelError>;
    type SerializeTupleVariant = ser::Impossible<Value, ModelError>;
    type SerializeMap = MapSerializer;
    type SerializeStruct = MapSerializer;
    type SerializeStructVariant = ser::Impossible<Value, ModelError>;

    fn serialize_bool(self, v: bool) -> Result<Value, ModelError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ModelError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ModelError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ModelError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::from_i64(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ModelError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ModelError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ModelError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ModelError> {
        Ok(Value::Number(Number::from_u64(v)))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ModelError> {
        number(Number::from_f64(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ModelError> {
        number(Number::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ModelError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ModelError> {
        Ok(Value::string(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Value, ModelError> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, ModelError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ModelError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Value, ModelError> {
        Ok(if name == UNKNOWN_MARKER {
            Value::Unknown
        } else {
            Value::Null
        })
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ModelError> {
        Ok(Value::string(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Value, ModelError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Value, ModelError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSerializer, ModelError> {
        Ok(SeqSerializer(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, ModelError> {
        Err(unsupported("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, ModelError> {
        Err(unsupported("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, ModelError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSerializer, ModelError> {
        Ok(MapSerializer {
            entries: BTreeMap::new(),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapSerializer, ModelError> {
        Ok(MapSerializer {
            entries: BTreeMap::new(),
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, ModelError> {
        Err(unsupported("an enum variant with data"))
    }
}

struct SeqSerializer(Vec<Value>);

impl ser::SerializeSeq for SeqSerializer {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ModelError> {
        let path = AttrPath::root().join_index(self.0.len());
        self.0
            .push(v.serialize(ValueSerializer).map_err(|e| e.located(&path))?);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::List(self.0))
    }
}

struct MapSerializer {
    entries: BTreeMap<String, Value>,
    key: Option<String>,
}

impl ser::SerializeMap for MapSerializer {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ModelError> {
        match key.serialize(ValueSerializer)? {
            Value::String(s) => {
                self.key = Some(s);
                Ok(())
            }
            _ => Err(ser::Error::custom("map keys must be strings")),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), ModelError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("map value without a key"))?;
        let value = v
            .serialize(ValueSerializer)
            .map_err(|e| e.located(&AttrPath::root().join_key(&key)))?;
        self.entries.insert(key, value);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Map(self.entries))
    }
}

impl ser::SerializeStruct for MapSerializer {
    type Ok = Value;
    type Error = ModelError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), ModelError> {
        let value = v
            .serialize(ValueSerializer)
            .map_err(|e| e.located(&AttrPath::attr(key)))?;
        self.entries.insert(key.to_string(), value);
        Ok(())
    }
    fn end(self) -> Result<Value, ModelError> {
        Ok(Value::Object(self.entries))
    }
}

// ---------------------------------------------------------------- deserializer

struct ValueDeserializer {
    value: Value,
    path: AttrPath,
}

impl ValueDeserializer {
    fn unknown(&self) -> ModelError {
        ModelError::at(&self.path, ModelErrorKind::UnexpectedUnknown)
    }
}

impl<'de> de::Deserializer<'de> for ValueDeserializer {
    type Error = ModelError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        let path = self.path.clone();
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Unknown => return Err(ModelError::at(&path, ModelErrorKind::UnexpectedUnknown)),
            Value::String(s) => visitor.visit_string(s),
            Value::Number(n) => match n.as_i64() {
                Some(i) => visitor.visit_i64(i),
                None => visitor.visit_f64(n.as_f64()),
            },
            Value::Bool(b) => visitor.visit_bool(b),
            Value::List(items) | Value::Set(items) => visitor.visit_seq(SeqAccess {
                items: items.into_iter().enumerate(),
                path: path.clone(),
            }),
            Value::Map(m) | Value::Object(m) => visitor.visit_map(MapAccess {
                entries: m.into_iter(),
                pending: None,
                path: path.clone(),
                is_object: true,
            }),
        };
        result.map_err(|e| e.located(&path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ModelError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            Value::Unknown => Err(self.unknown()),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        if name != ATTR_MARKER {
            return visitor.visit_newtype_struct(self);
        }
        match self.value {
            Value::Null => visitor.visit_none(),
            Value::Unknown => visitor.visit_unit(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ModelError> {
        let path = self.path.clone();
        match self.value {
            Value::String(s) => visitor
                .visit_enum(s.into_deserializer())
                .map_err(|e: ModelError| e.located(&path)),
            Value::Unknown => Err(self.unknown()),
            _ => Err(ModelError::at(
                &path,
                ModelErrorKind::Other("expected a string".into()),
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

struct SeqAccess {
    items: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    path: AttrPath,
}

impl<'de> de::SeqAccess<'de> for SeqAccess {
    type Error = ModelError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ModelError> {
        match self.items.next() {
            None => Ok(None),
            Some((i, value)) => {
                let path = self.path.join_index(i);
                seed.deserialize(ValueDeserializer {
                    value,
                    path: path.clone(),
                })
                .map(Some)
                .map_err(|e| e.located(&path))
            }
        }
    }
}

struct MapAccess {
    entries: std::collections::btree_map::IntoIter<String, Value>,
    pending: Option<(String, Value)>,
    path: AttrPath,
    is_object: bool,
}

impl<'de> de::MapAccess<'de> for MapAccess {
    type Error = ModelError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ModelError> {
        match self.entries.next() {
            None => Ok(None),
            Some((key, value)) => {
                let k = seed.deserialize(key.clone().into_deserializer())?;
                self.pending = Some((key, value));
                Ok(Some(k))
            }
        }
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ModelError> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| de::Error::custom("map value without a key"))?;
        let path = if self.is_object {
            self.path.join_attr(&key)
        } else {
            self.path.join_key(&key)
        };
        seed.deserialize(ValueDeserializer {
            value,
            path: path.clone(),
        })
        .map_err(|e| e.located(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::super::attr::Attr;
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Subnet {
        name: String,
        address_prefix: Attr<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Kind {
        ExpressRoute,
        Vpn,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Model {
        id: Attr<String>,
        kind: Attr<Kind>,
        weight: Option<i64>,
        address_space: Attr<Vec<Attr<String>>>,
        subnet: Vec<Subnet>,
        tags: BTreeMap<String, String>,
    }

    #[test]
    fn round_trips_null_unknown_and_known() {
        let value = Value::object(vec![
            ("id", Value::Unknown),
            ("kind", Value::string("Vpn")),
            ("weight", Value::Null),
            (
                "address_space",
                Value::List(vec![Value::string("10.0.0.0/16"), Value::Unknown]),
            ),
            (
                "subnet",
                Value::List(vec![Value::object(vec![
                    ("name", Value::string("a")),
                    ("address_prefix", Value::Null),
                ])]),
            ),
            (
                "tags",
                Value::Map(BTreeMap::from([("k".to_string(), Value::string("v"))])),
            ),
        ]);
        let model: Model = from_value(value.clone()).unwrap();
        assert_eq!(model.id, Attr::Unknown);
        assert_eq!(model.kind, Attr::Known(Kind::Vpn));
        assert_eq!(model.subnet[0].address_prefix, Attr::Null);
        assert_eq!(model.address_space.known().map(|v| v.len()), Some(2));
        let back = to_value(&model).unwrap();
        // `tags` comes back as a map, which conform turns into the schema's type; content is equal.
        assert_eq!(back.attr("address_space"), value.attr("address_space"));
        assert_eq!(back.attr("id"), &Value::Unknown);
        assert_eq!(back.attr("subnet"), value.attr("subnet"));
    }

    #[test]
    fn unknown_where_the_model_needs_known_is_reported_with_its_path() {
        let value = Value::object(vec![
            ("id", Value::Null),
            ("kind", Value::Null),
            ("weight", Value::Null),
            ("address_space", Value::Null),
            (
                "subnet",
                Value::List(vec![Value::object(vec![
                    ("name", Value::Unknown),
                    ("address_prefix", Value::Null),
                ])]),
            ),
            ("tags", Value::Map(BTreeMap::new())),
        ]);
        let err = from_value::<Model>(value).unwrap_err();
        assert!(err.is_unexpected_unknown());
        assert_eq!(
            err.path,
            Some(AttrPath::attr("subnet").join_index(0).join_attr("name"))
        );
    }

    #[test]
    fn type_errors_name_the_attribute() {
        let value = Value::object(vec![
            ("name", Value::Bool(true)),
            ("address_prefix", Value::Null),
        ]);
        let err = from_value::<Subnet>(value).unwrap_err();
        assert_eq!(err.path, Some(AttrPath::attr("name")));
        let bad_enum = Value::object(vec![("kind", Value::string("Basic"))]);
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct K {
            kind: Attr<Kind>,
        }
        assert_eq!(
            from_value::<K>(bad_enum).unwrap_err().path,
            Some(AttrPath::attr("kind"))
        );
    }
}
