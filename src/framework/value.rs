//! cty values with null and unknown anywhere, and their wire encodings (msgpack, JSON).
//!
//! Values carry no type of their own: decoding and encoding are directed by the schema's [`Type`],
//! which is how Terraform's own msgpack encoding works (a null list and a null string are both `nil`).

use std::collections::BTreeMap;
use std::io::Cursor;

use rmpv::Value as Mp;

use super::path::AttrPath;
use super::types::Type;

/// A cty value. Sets keep their elements in a vector and compare as sets.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    /// Not known until apply (Terraform's "known after apply").
    Unknown,
    String(String),
    Number(Number),
    Bool(bool),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
}

/// A cty number: an integer when it is integral and fits i64, else a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(NumberRepr);

#[derive(Clone, Copy, Debug, PartialEq)]
enum NumberRepr {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn from_i64(n: i64) -> Number {
        Number(NumberRepr::Int(n))
    }

    /// `None` for NaN, which cty can't represent.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            return None;
        }
        // i64::MAX as f64 rounds up to 2^63, which does not fit: compare with a strict bound.
        if f.fract() == 0.0 && f >= -(2f64.powi(63)) && f < 2f64.powi(63) {
            Some(Number(NumberRepr::Int(f as i64)))
        } else {
            Some(Number(NumberRepr::Float(f)))
        }
    }

    pub fn from_u64(n: u64) -> Number {
        match i64::try_from(n) {
            Ok(i) => Number::from_i64(i),
            Err(_) => Number(NumberRepr::Float(n as f64)),
        }
    }

    /// Parses a decimal string, as Terraform sends numbers too large for float64.
    pub fn parse(s: &str) -> Option<Number> {
        if let Ok(i) = s.trim().parse::<i64>() {
            return Some(Number::from_i64(i));
        }
        s.trim().parse::<f64>().ok().and_then(Number::from_f64)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            NumberRepr::Int(i) => Some(i),
            NumberRepr::Float(_) => None,
        }
    }

    pub fn as_f64(&self) -> f64 {
        match self.0 {
            NumberRepr::Int(i) => i as f64,
            NumberRepr::Float(f) => f,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) | (Unknown, Unknown) => true,
            (String(a), String(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (List(a), List(b)) => a == b,
            (Set(a), Set(b)) => set_eq(a, b),
            (Map(a), Map(b)) | (Object(a), Object(b)) => a == b,
            _ => false,
        }
    }
}

/// Sets compare regardless of order; elements are few, so quadratic is fine.
fn set_eq(a: &[Value], b: &[Value]) -> bool {
    let mut used = vec![false; b.len()];
    a.len() == b.len()
        && a.iter().all(|x| {
            let found = b
                .iter()
                .enumerate()
                .find(|(i, y)| !used[*i] && x == *y)
                .map(|(i, _)| i);
            found.map(|i| used[i] = true).is_some()
        })
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// An object from (attribute, value) pairs.
    pub fn object<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when no unknown appears anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) | Value::Set(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// An attribute of an object; `Null` for a null object or a missing key.
    pub fn attr(&self, name: &str) -> &Value {
        match self {
            Value::Object(m) => m.get(name).unwrap_or(&Value::Null),
            _ => &Value::Null,
        }
    }

    /// The elements of a list or set; none for anything else.
    pub fn elements(&self) -> &[Value] {
        match self {
            Value::List(items) | Value::Set(items) => items,
            _ => &[],
        }
    }

    /// The first unknown inside, as a path.
    pub fn first_unknown(&self) -> Option<AttrPath> {
        fn walk(v: &Value, path: AttrPath) -> Option<AttrPath> {
            match v {
                Value::Unknown => Some(path),
                Value::List(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, e)| walk(e, path.join_index(i))),
                Value::Set(items) => items
                    .iter()
                    .find_map(|e| walk(e, path.clone()).map(|_| path.clone())),
                Value::Map(m) => m.iter().find_map(|(k, e)| walk(e, path.join_key(k))),
                Value::Object(m) => m.iter().find_map(|(k, e)| walk(e, path.join_attr(k))),
                _ => None,
            }
        }
        walk(self, AttrPath::root())
    }

    /// Checks the value against `ty` and normalises it: lists become sets where the type says set
    /// (and back), maps and objects likewise, and objects get exactly the type's keys (missing ones null).
    pub fn conform(self, ty: &Type) -> Result<Value, ValueError> {
        conform_at(self, ty, &AttrPath::root())
    }
}

fn conform_at(value: Value, ty: &Type, path: &AttrPath) -> Result<Value, ValueError> {
    let mismatch = |v: &Value| ValueError::mismatch(path, ty, v);
    Ok(match (value, ty) {
        (v @ (Value::Null | Value::Unknown), _) => v,
        (v @ Value::String(_), Type::String) => v,
        (v @ Value::Number(_), Type::Number) => v,
        (v @ Value::Bool(_), Type::Bool) => v,
        (Value::List(items) | Value::Set(items), Type::List(e) | Type::Set(e)) => {
            decode_sequence(items, ty, e, path, conform_at)?
        }
        (Value::Map(m) | Value::Object(m), Type::Map(e)) => decode_map(m, e, path, conform_at)?,
        (Value::Map(m) | Value::Object(m), Type::Object(attrs)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(ValueError::new(
                    path,
                    format!("unexpected attribute {extra:?}"),
                ));
            }
            decode_object(m, attrs, path, conform_at)?
        }
        (v, _) => return Err(mismatch(&v)),
    })
}

/// How one source representation (our values, msgpack, JSON) becomes a value of a type.
type Decode<T> = fn(T, &Type, &AttrPath) -> Result<Value, ValueError>;

/// A list or set, as `ty` says, of the decoded `items`.
fn decode_sequence<T>(
    items: Vec<T>,
    ty: &Type,
    element: &Type,
    path: &AttrPath,
    decode: Decode<T>,
) -> Result<Value, ValueError> {
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, v)| decode(v, element, &path.join_index(i)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if matches!(ty, Type::Set(_)) {
        Value::Set(items)
    } else {
        Value::List(items)
    })
}

fn decode_map<T>(
    entries: impl IntoIterator<Item = (String, T)>,
    element: &Type,
    path: &AttrPath,
    decode: Decode<T>,
) -> Result<Value, ValueError> {
    let entries = entries
        .into_iter()
        .map(|(k, v)| {
            let v = decode(v, element, &path.join_key(&k))?;
            Ok((k, v))
        })
        .collect::<Result<_, ValueError>>()?;
    Ok(Value::Map(entries))
}

/// An object with exactly the type's attributes: those given decoded, missing ones null, others ignored.
fn decode_object<T>(
    mut given: BTreeMap<String, T>,
    attrs: &BTreeMap<String, Type>,
    path: &AttrPath,
    decode: Decode<T>,
) -> Result<Value, ValueError> {
    let mut out = BTreeMap::new();
    for (name, ty) in attrs {
        let v = match given.remove(name) {
            Some(v) => decode(v, ty, &path.join_attr(name))?,
            None => Value::Null,
        };
        out.insert(name.clone(), v);
    }
    Ok(Value::Object(out))
}

/// A value that does not fit its type, or bytes that are not a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ValueError {
    pub path: AttrPath,
    pub message: String,
}

impl ValueError {
    fn new(path: &AttrPath, message: impl Into<String>) -> ValueError {
        ValueError {
            path: path.clone(),
            message: message.into(),
        }
    }

    fn mismatch(path: &AttrPath, ty: &Type, found: &impl std::fmt::Debug) -> ValueError {
        // Only the kind of what was found, never its content: values may be secrets.
        let found = format!("{found:?}");
        let kind = found.split(['(', ' ', '{', '[']).next().unwrap_or("value");
        ValueError::new(path, format!("expected {ty}, found {kind}"))
    }
}

// ---------------------------------------------------------------- msgpack

/// Decodes Terraform's msgpack encoding of a value of type `ty`. Any msgpack extension is an unknown
/// (Terraform 1.6+ sends refined unknowns as extension type 12).
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    let root = AttrPath::root();
    let mut cursor = Cursor::new(bytes);
    let mp = rmpv::decode::read_value(&mut cursor)
        .map_err(|e| ValueError::new(&root, format!("invalid msgpack: {e}")))?;
    if usize::try_from(cursor.position()).ok() != Some(bytes.len()) {
        return Err(ValueError::new(&root, "trailing bytes after msgpack value"));
    }
    from_msgpack(mp, ty, &root)
}

fn from_msgpack(mp: Mp, ty: &Type, path: &AttrPath) -> Result<Value, ValueError> {
    let mismatch = |v: &Mp| ValueError::mismatch(path, ty, v);
    Ok(match (mp, ty) {
        (Mp::Nil, _) => Value::Null,
        (Mp::Ext(_, _), _) => Value::Unknown,
        (Mp::String(s), Type::String) => match s.into_str() {
            Some(s) => Value::String(s),
            None => return Err(ValueError::new(path, "string is not valid UTF-8")),
        },
        (Mp::Integer(i), Type::Number) => match (i.as_i64(), i.as_u64()) {
            (Some(i), _) => Value::Number(Number::from_i64(i)),
            (None, Some(u)) => Value::Number(Number::from_u64(u)),
            _ => return Err(ValueError::new(path, "integer out of range")),
        },
        (Mp::F32(f), Type::Number) => number_from_f64(f64::from(f), path)?,
        (Mp::F64(f), Type::Number) => number_from_f64(f, path)?,
        (Mp::String(s), Type::Number) => match s.as_str().and_then(Number::parse) {
            Some(n) => Value::Number(n),
            None => return Err(ValueError::new(path, "string is not a number")),
        },
        (Mp::Boolean(b), Type::Bool) => Value::Bool(b),
        (Mp::Array(items), Type::List(e) | Type::Set(e)) => {
            decode_sequence(items, ty, e, path, from_msgpack)?
        }
        (Mp::Map(entries), Type::Map(e)) => {
            decode_map(msgpack_entries(entries, path)?, e, path, from_msgpack)?
        }
        (Mp::Map(entries), Type::Object(attrs)) => {
            decode_object(msgpack_entries(entries, path)?, attrs, path, from_msgpack)?
        }
        (v, _) => return Err(mismatch(&v)),
    })
}

fn number_from_f64(f: f64, path: &AttrPath) -> Result<Value, ValueError> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| ValueError::new(path, "NaN is not a number"))
}

fn msgpack_entries(
    entries: Vec<(Mp, Mp)>,
    path: &AttrPath,
) -> Result<BTreeMap<String, Mp>, ValueError> {
    entries
        .into_iter()
        .map(|(k, v)| Ok((msgpack_key(k, path)?, v)))
        .collect()
}

fn msgpack_key(key: Mp, path: &AttrPath) -> Result<String, ValueError> {
    match key {
        Mp::String(s) => s
            .into_str()
            .ok_or_else(|| ValueError::new(path, "map key is not valid UTF-8")),
        _ => Err(ValueError::new(path, "map key is not a string")),
    }
}

/// Encodes `value` as Terraform's msgpack for type `ty`. Objects get exactly the type's keys.
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mp = to_msgpack(value, ty, &AttrPath::root())?;
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &mp)
        .map_err(|e| ValueError::new(&AttrPath::root(), format!("msgpack encoding failed: {e}")))?;
    Ok(out)
}

fn to_msgpack(value: &Value, ty: &Type, path: &AttrPath) -> Result<Mp, ValueError> {
    Ok(match (value, ty) {
        (Value::Null, _) => Mp::Nil,
        // Terraform's own unknown: fixext1, extension type 0, one zero byte.
        (Value::Unknown, _) => Mp::Ext(0, vec![0]),
        (Value::String(s), Type::String) => Mp::from(s.as_str()),
        (Value::Number(n), Type::Number) => match n.as_i64() {
            Some(i) => Mp::from(i),
            None => Mp::F64(n.as_f64()),
        },
        (Value::Bool(b), Type::Bool) => Mp::Boolean(*b),
        (Value::List(items) | Value::Set(items), Type::List(e) | Type::Set(e)) => Mp::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| to_msgpack(v, e, &path.join_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        (Value::Map(m) | Value::Object(m), Type::Map(e)) => Mp::Map(
            m.iter()
                .map(|(k, v)| Ok((Mp::from(k.as_str()), to_msgpack(v, e, &path.join_key(k))?)))
                .collect::<Result<_, ValueError>>()?,
        ),
        (Value::Map(m) | Value::Object(m), Type::Object(attrs)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(ValueError::new(
                    path,
                    format!("unexpected attribute {extra:?}"),
                ));
            }
            Mp::Map(
                attrs
                    .iter()
                    .map(|(k, aty)| {
                        let v = m.get(k).unwrap_or(&Value::Null);
                        Ok((
                            Mp::from(k.as_str()),
                            to_msgpack(v, aty, &path.join_attr(k))?,
                        ))
                    })
                    .collect::<Result<_, ValueError>>()?,
            )
        }
        (v, _) => return Err(ValueError::mismatch(path, ty, v)),
    })
}

// ---------------------------------------------------------------- JSON

/// Decodes a JSON value of type `ty` (DynamicValue.json, or a stored state's raw JSON): object keys the
/// type does not know are ignored, and keys it knows but the JSON lacks are null.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    let json: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ValueError::new(&AttrPath::root(), format!("invalid JSON: {e}")))?;
    from_json(json, ty, &AttrPath::root())
}

pub fn from_json(json: serde_json::Value, ty: &Type, path: &AttrPath) -> Result<Value, ValueError> {
    use serde_json::Value as J;
    Ok(match (json, ty) {
        (J::Null, _) => Value::Null,
        (J::String(s), Type::String) => Value::String(s),
        (J::Number(n), Type::Number) => {
            let number = match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Some(Number::from_i64(i)),
                (None, Some(u), _) => Some(Number::from_u64(u)),
                (None, None, Some(f)) => Number::from_f64(f),
                _ => None,
            };
            Value::Number(number.ok_or_else(|| ValueError::new(path, "number out of range"))?)
        }
        (J::String(s), Type::Number) => Value::Number(
            Number::parse(&s).ok_or_else(|| ValueError::new(path, "string is not a number"))?,
        ),
        (J::Bool(b), Type::Bool) => Value::Bool(b),
        (J::Array(items), Type::List(e) | Type::Set(e)) => {
            decode_sequence(items, ty, e, path, from_json)?
        }
        (J::Object(m), Type::Map(e)) => decode_map(m, e, path, from_json)?,
        (J::Object(m), Type::Object(attrs)) => {
            decode_object(m.into_iter().collect(), attrs, path, from_json)?
        }
        (v, _) => return Err(ValueError::mismatch(path, ty, &v)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn object_type(pairs: &[(&str, Type)]) -> Type {
        Type::Object(
            pairs
                .iter()
                .map(|(k, t)| (k.to_string(), t.clone()))
                .collect(),
        )
    }

    #[test]
    fn unknown_is_terraforms_fixext() {
        assert_eq!(
            encode_msgpack(&Value::Unknown, &Type::String).unwrap(),
            vec![0xd4, 0, 0]
        );
        assert_eq!(
            encode_msgpack(&Value::Null, &Type::list(Type::String)).unwrap(),
            vec![0xc0]
        );
    }

    #[test]
    fn refined_unknown_ext_12_is_unknown() {
        // ext8, length 3, type 12, payload a small msgpack map: a refined unknown from Terraform 1.6+.
        let bytes = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
        assert_eq!(
            decode_msgpack(&bytes, &Type::String).unwrap(),
            Value::Unknown
        );
    }

    #[test]
    fn numbers_from_every_msgpack_number_kind() {
        let cases: [(&[u8], Value); 5] = [
            (&[0x05], Value::Number(Number::from_i64(5))),
            (
                &[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                Value::Number(Number::from_u64(u64::MAX)),
            ),
            (
                &[0xca, 0x3f, 0xc0, 0, 0],
                Value::Number(Number::from_f64(1.5).unwrap()),
            ),
            (
                &[0xcb, 0x40, 0x00, 0, 0, 0, 0, 0, 0],
                Value::Number(Number::from_i64(2)),
            ),
            (
                &[0xa3, b'1', b'.', b'5'],
                Value::Number(Number::from_f64(1.5).unwrap()),
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                decode_msgpack(bytes, &Type::Number).unwrap(),
                want,
                "{bytes:?}"
            );
        }
        // Integral numbers go out as integers, others as float64.
        assert_eq!(
            encode_msgpack(
                &Value::Number(Number::from_f64(2.0).unwrap()),
                &Type::Number
            )
            .unwrap(),
            vec![2]
        );
        assert_eq!(
            encode_msgpack(
                &Value::Number(Number::from_f64(0.5).unwrap()),
                &Type::Number
            )
            .unwrap()[0],
            0xcb
        );
    }

    #[test]
    fn objects_carry_exactly_the_schema_keys() {
        let ty = object_type(&[("a", Type::String), ("b", Type::list(Type::String))]);
        let bytes = encode_msgpack(&Value::object([("a", Value::string("x"))]), &ty).unwrap();
        let back = decode_msgpack(&bytes, &ty).unwrap();
        assert_eq!(
            back,
            Value::object([("a", Value::string("x")), ("b", Value::Null)])
        );
        assert!(encode_msgpack(&Value::object([("zz", Value::Null)]), &ty).is_err());
    }

    #[test]
    fn json_ignores_extra_keys_and_null_fills_missing_ones() {
        let ty = object_type(&[
            ("a", Type::String),
            ("n", Type::Number),
            ("gone", Type::Bool),
        ]);
        let v = decode_json(br#"{"a":"x","n":"12","removed_attr":[1,2]}"#, &ty).unwrap();
        assert_eq!(
            v,
            Value::object([
                ("a", Value::string("x")),
                ("n", Value::Number(Number::from_i64(12))),
                ("gone", Value::Null)
            ])
        );
        let err = decode_json(br#"{"a":[1]}"#, &ty).unwrap_err();
        assert_eq!(err.path, AttrPath::attr("a"));
    }

    #[test]
    fn sets_compare_regardless_of_order() {
        let a = Value::Set(vec![Value::string("x"), Value::string("y")]);
        let b = Value::Set(vec![Value::string("y"), Value::string("x")]);
        assert_eq!(a, b);
        assert_ne!(a, Value::Set(vec![Value::string("x"), Value::string("x")]));
    }

    fn arb_type() -> impl Strategy<Value = Type> {
        let leaf = prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4).prop_map(Type::Object),
            ]
        })
    }

    fn arb_value(ty: Type) -> BoxedStrategy<Value> {
        let special = prop_oneof![Just(Value::Null), Just(Value::Unknown)];
        let known: BoxedStrategy<Value> = match ty {
            Type::String => ".{0,8}".prop_map(Value::String).boxed(),
            Type::Number => prop_oneof![
                any::<i64>().prop_map(|i| Value::Number(Number::from_i64(i))),
                any::<f64>()
                    .prop_filter_map("NaN", Number::from_f64)
                    .prop_map(Value::Number),
            ]
            .boxed(),
            Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Type::List(e) => prop::collection::vec(arb_value(*e), 0..3)
                .prop_map(Value::List)
                .boxed(),
            Type::Set(e) => prop::collection::vec(arb_value(*e), 0..3)
                .prop_map(Value::Set)
                .boxed(),
            Type::Map(e) => prop::collection::btree_map("[a-z]{0,4}", arb_value(*e), 0..3)
                .prop_map(Value::Map)
                .boxed(),
            Type::Object(attrs) => attrs
                .into_iter()
                .map(|(k, t)| arb_value(t).prop_map(move |v| (k.clone(), v)))
                .collect::<Vec<_>>()
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
                .boxed(),
        };
        prop_oneof![1 => special, 4 => known].boxed()
    }

    fn typed_value() -> impl Strategy<Value = (Type, Value)> {
        arb_type().prop_flat_map(|t| arb_value(t.clone()).prop_map(move |v| (t.clone(), v)))
    }

    proptest! {
        #[test]
        fn msgpack_round_trips((ty, value) in typed_value()) {
            let bytes = encode_msgpack(&value, &ty).unwrap();
            prop_assert_eq!(decode_msgpack(&bytes, &ty).unwrap(), value);
        }

        #[test]
        fn random_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in arb_type()) {
            let _ = decode_msgpack(&bytes, &ty);
            let _ = decode_json(&bytes, &ty);
        }

        #[test]
        fn type_encoding_round_trips(ty in arb_type()) {
            prop_assert_eq!(Type::from_json(&ty.to_json()), Some(ty));
        }
    }
}
