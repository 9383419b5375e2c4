//! cty types: the shapes Terraform and the provider agree on for every value.

use std::collections::BTreeMap;
use std::fmt;

/// A cty type. `dynamic` is left out on purpose: no schema of this provider needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
}

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// The compact cty JSON type encoding Terraform expects in a schema attribute's `type` bytes:
    /// `"string"`, `["list","string"]`, `["object",{"a":"bool"}]`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::List(e) => J::Array(vec![J::from("list"), e.to_json()]),
            Type::Set(e) => J::Array(vec![J::from("set"), e.to_json()]),
            Type::Map(e) => J::Array(vec![J::from("map"), e.to_json()]),
            Type::Object(attrs) => J::Array(vec![
                J::from("object"),
                J::Object(
                    attrs
                        .iter()
                        .map(|(k, t)| (k.clone(), t.to_json()))
                        .collect(),
                ),
            ]),
        }
    }

    /// Parses the compact cty JSON type encoding (the inverse of [`Type::to_json`]).
    pub fn from_json(json: &serde_json::Value) -> Option<Type> {
        use serde_json::Value as J;
        match json {
            J::String(s) => match s.as_str() {
                "string" => Some(Type::String),
                "number" => Some(Type::Number),
                "bool" => Some(Type::Bool),
                _ => None,
            },
            J::Array(parts) => match (parts.first()?.as_str()?, parts.get(1)?, parts.len()) {
                ("list", e, 2) => Some(Type::list(Type::from_json(e)?)),
                ("set", e, 2) => Some(Type::set(Type::from_json(e)?)),
                ("map", e, 2) => Some(Type::map(Type::from_json(e)?)),
                ("object", J::Object(attrs), 2) => attrs
                    .iter()
                    .map(|(k, t)| Some((k.clone(), Type::from_json(t)?)))
                    .collect::<Option<BTreeMap<_, _>>>()
                    .map(Type::Object),
                _ => None,
            },
            _ => None,
        }
    }

    /// The element type of a list, set or map.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(e) | Type::Set(e) | Type::Map(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_json_encoding_matches_cty() {
        let t = Type::Object(BTreeMap::from([
            ("a".to_string(), Type::list(Type::String)),
            ("b".to_string(), Type::set(Type::map(Type::Number))),
            ("c".to_string(), Type::Bool),
        ]));
        let json = serde_json::to_string(&t.to_json()).unwrap();
        assert_eq!(
            json,
            r#"["object",{"a":["list","string"],"b":["set",["map","number"]],"c":"bool"}]"#
        );
        assert_eq!(Type::from_json(&t.to_json()), Some(t));
        assert_eq!(Type::from_json(&serde_json::json!(["tuple", []])), None);
    }
}
