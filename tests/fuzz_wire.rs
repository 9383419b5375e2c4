//! Fuzzing at volume, with proptest, of what arrives from Terraform and from users: the msgpack and
//! JSON value decoders against random types (random msgpack and JSON documents, not just random
//! bytes, so the decoders get past the first byte), and the strict CIDR parser. Properties: no panic;
//! what decodes re-encodes and decodes to the same value; hostile shapes (deep nesting, huge length
//! headers) fail in bounded time and memory, on a stack as small as a tokio worker's.
//!
//! Case counts: `PROPTEST_CASES` overrides the default below.

mod fuzz_support;

use std::time::{Duration, Instant};

use azureclassic::framework::value::{decode_json, decode_msgpack, encode_msgpack};
use azureclassic::framework::Type;
use azureclassic::rules::cidr::{overlaps, parse_strict};
use fuzz_support::fuzz_config;
use proptest::prelude::*;
use rmpv::Value as Mp;

/// Cases per property when `PROPTEST_CASES` is not set (a few seconds each in a debug build).
const CASES: u32 = 10_000;

const KEYS: &[&str] = &["name", "id", "subnet", "timeouts", "", "\u{0}", "é"];

fn arb_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map(
                prop::sample::select(KEYS).prop_map(String::from),
                inner,
                0..4
            )
            .prop_map(Type::Object),
        ]
    })
}

/// Any msgpack value, Terraform's unknowns (extensions) and invalid UTF-8 included.
fn arb_msgpack() -> impl Strategy<Value = Mp> {
    let leaf = prop_oneof![
        Just(Mp::Nil),
        any::<bool>().prop_map(Mp::Boolean),
        any::<i64>().prop_map(Mp::from),
        any::<u64>().prop_map(Mp::from),
        any::<f32>().prop_map(Mp::F32),
        any::<f64>().prop_map(Mp::F64),
        "\\PC{0,12}".prop_map(|s| Mp::from(s.as_str())),
        "-?[0-9]{1,40}(\\.[0-9]{0,5})?(e-?[0-9]{1,4})?".prop_map(|s| Mp::from(s.as_str())),
        prop::collection::vec(any::<u8>(), 0..8).prop_map(|b| Mp::String(rmpv::Utf8String::from(
            String::from_utf8_lossy(&b).into_owned()
        ))),
        prop::collection::vec(any::<u8>(), 0..8).prop_map(Mp::Binary),
        (any::<i8>(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(t, d)| Mp::Ext(t, d)),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Mp::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(KEYS).prop_map(Mp::from),
                        1 => inner.clone(),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(Mp::Map),
        ]
    })
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<u64>().prop_map(J::from),
        any::<f64>().prop_map(J::from),
        "\\PC{0,12}".prop_map(J::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            prop::collection::btree_map(
                prop::sample::select(KEYS).prop_map(String::from),
                inner,
                0..6
            )
            .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

fn encode(mp: &Mp) -> Vec<u8> {
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, mp).expect("writing to a Vec cannot fail");
    out
}

proptest! {
    #![proptest_config(fuzz_config(CASES))]

    #[test]
    fn msgpack_decoder_never_panics_and_round_trips(mp in arb_msgpack(), ty in arb_type(), cut in any::<prop::sample::Index>()) {
        let bytes = encode(&mp);
        if let Ok(value) = decode_msgpack(&bytes, &ty) {
            let again = encode_msgpack(&value, &ty).expect("a decoded value encodes");
            prop_assert_eq!(decode_msgpack(&again, &ty), Ok(value));
        }
        // The same document cut short: an error, never a panic.
        if !bytes.is_empty() {
            let at = cut.index(bytes.len());
            prop_assert!(decode_msgpack(&bytes[..at], &ty).is_err());
        }
    }

    #[test]
    fn json_decoder_never_panics(json in arb_json(), ty in arb_type(), cut in any::<prop::sample::Index>()) {
        let bytes = serde_json::to_vec(&json).expect("JSON serialises");
        let _ = decode_json(&bytes, &ty);
        let at = cut.index(bytes.len());
        let _ = decode_json(&bytes[..at], &ty);
    }

    #[test]
    fn random_bytes_never_panic_either_decoder(bytes in prop::collection::vec(any::<u8>(), 0..256), ty in arb_type()) {
        let _ = decode_msgpack(&bytes, &ty);
        let _ = decode_json(&bytes, &ty);
    }

    #[test]
    fn cidr_parser_accepts_only_canonical_prefixes(
        input in prop_oneof![
            "\\PC{0,24}",
            "[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}/[0-9]{0,4}",
            "[ 0-9./x:-]{0,24}",
        ],
        other in "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,2}",
    ) {
        if let Ok(net) = parse_strict(&input) {
            // Accepted means written exactly as the canonical form, which reads back the same.
            prop_assert_eq!(net.to_string(), input.clone());
            prop_assert_eq!(parse_strict(&net.to_string()), Ok(net));
            if let Ok(o) = parse_strict(&other) {
                prop_assert_eq!(overlaps(&net, &o), overlaps(&o, &net));
            }
        }
    }
}

/// Runs `f` on a thread with a 2 MiB stack (a tokio worker's default) and fails if it takes longer
/// than `limit`.
fn on_small_stack<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let start = Instant::now();
    let out = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .unwrap_or_else(|_| panic!("{what} panicked or overflowed the stack"));
    assert!(start.elapsed() < limit, "{what} took {:?}", start.elapsed());
    out
}

#[test]
fn hostile_shapes_fail_fast_within_a_small_stack() {
    let limit = Duration::from_secs(10);
    let deep_list = (0..6).fold(Type::String, |t, _| Type::list(t));

    // A million nested one-element arrays (0x91) and maps.
    let nested_arrays = vec![0x91u8; 1_000_000];
    let ty = deep_list.clone();
    assert!(on_small_stack("nested msgpack arrays", limit, move || {
        decode_msgpack(&nested_arrays, &ty).is_err()
    }));
    let nested_maps: Vec<u8> = [0x81u8, 0xa1, b'a'].repeat(300_000);
    assert!(on_small_stack("nested msgpack maps", limit, move || {
        decode_msgpack(&nested_maps, &Type::map(Type::String)).is_err()
    }));
    let nested_json = "[".repeat(1_000_000);
    let ty = deep_list.clone();
    assert!(on_small_stack("nested JSON", limit, move || {
        decode_json(nested_json.as_bytes(), &ty).is_err()
    }));

    // Length headers that promise 4 GiB and deliver nothing: no allocation of the promise.
    for header in [
        vec![0xdd, 0xff, 0xff, 0xff, 0xff],       // array32
        vec![0xdf, 0xff, 0xff, 0xff, 0xff],       // map32
        vec![0xdb, 0xff, 0xff, 0xff, 0xff, b'x'], // str32
        vec![0xc6, 0xff, 0xff, 0xff, 0xff],       // bin32
        vec![0xc9, 0xff, 0xff, 0xff, 0xff, 0x0c], // ext32
    ] {
        let ty = Type::list(Type::String);
        assert!(on_small_stack("huge length header", limit, move || {
            decode_msgpack(&header, &ty).is_err()
        }));
    }

    // A 10-million-digit number string: parsed or refused, quickly.
    let digits = Mp::from("9".repeat(10_000_000).as_str());
    let bytes = encode(&digits);
    on_small_stack("huge number string", limit, move || {
        let _ = decode_msgpack(&bytes, &Type::Number);
    });
}
