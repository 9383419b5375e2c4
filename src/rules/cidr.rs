//! IPv4 CIDR helpers on `ipnet`: strict parsing (what the service accepts) and the set relations the
//! rules need.

use std::net::Ipv4Addr;

pub use ipnet::Ipv4Net;
use thiserror::Error;

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CidrError {
    #[error("{input:?} is not an IPv4 CIDR prefix such as 10.0.0.0/24")]
    Malformed { input: String },
    #[error("{input:?} has a prefix length above 32")]
    PrefixTooLong { input: String },
    #[error("{input:?} has host bits set; the prefix it denotes is {canonical}")]
    HostBits { input: String, canonical: Ipv4Net },
}

/// Parses `a.b.c.d/n` with nothing around it, no leading zeros in the length, and no host bits.
pub fn parse_strict(input: &str) -> Result<Ipv4Net, CidrError> {
    let malformed = || CidrError::Malformed {
        input: input.to_owned(),
    };
    let (addr, len) = input.split_once('/').ok_or_else(malformed)?;
    let well_formed_len = !len.is_empty()
        && len.len() <= 3
        && len.bytes().all(|b| b.is_ascii_digit())
        && !(len.len() > 1 && len.starts_with('0'));
    if !well_formed_len {
        return Err(malformed());
    }
    let addr: Ipv4Addr = addr.parse().map_err(|_| malformed())?;
    let len: u8 = len.parse().map_err(|_| malformed())?;
    let net = Ipv4Net::new(addr, len).map_err(|_| CidrError::PrefixTooLong {
        input: input.to_owned(),
    })?;
    if net.trunc() != net {
        return Err(CidrError::HostBits {
            input: input.to_owned(),
            canonical: net.trunc(),
        });
    }
    Ok(net)
}

/// `inner` lies wholly inside `outer`.
pub fn contains(outer: &Ipv4Net, inner: &Ipv4Net) -> bool {
    outer.contains(inner)
}

/// The two prefixes share at least one address. CIDR blocks either nest or are disjoint.
pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// The prefix is `/max_len` or shorter (that size or larger).
pub fn at_least_as_large_as(net: &Ipv4Net, max_len: u8) -> bool {
    net.prefix_len() <= max_len
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(s: &str) -> Ipv4Net {
        parse_strict(s).expect(s)
    }

    #[test]
    fn strict_parse_table() {
        let ok = ["10.0.0.0/8", "10.17.159.224/27", "0.0.0.0/0", "1.2.3.4/32"];
        for s in ok {
            assert_eq!(parse_strict(s).map(|n| n.to_string()), Ok(s.to_owned()));
        }
        let malformed = [
            "",
            "10.0.0.0",
            "10.0.0.0/",
            "/24",
            "10.0.0.0/024",
            " 10.0.0.0/24",
            "10.0.0.0/24 ",
            "10.0.0/24",
            "10.0.0.256/24",
            "fd00::/8",
            "10.0.0.0/2a",
            "10.0.0.0/24/1",
            "10.0.0.0/+8",
        ];
        for s in malformed {
            assert!(
                matches!(parse_strict(s), Err(CidrError::Malformed { .. })),
                "{s}"
            );
        }
        assert!(matches!(
            parse_strict("10.0.0.0/33"),
            Err(CidrError::PrefixTooLong { .. })
        ));
        assert_eq!(
            parse_strict("10.0.0.5/24"),
            Err(CidrError::HostBits {
                input: "10.0.0.5/24".into(),
                canonical: net("10.0.0.0/24"),
            })
        );
    }

    #[test]
    fn relations_table() {
        let cases = [
            ("10.0.0.0/16", "10.0.1.0/24", true, true),
            ("10.0.1.0/24", "10.0.0.0/16", false, true),
            ("10.0.0.0/24", "10.0.1.0/24", false, false),
            ("10.0.0.0/24", "10.0.0.0/24", true, true),
        ];
        for (a, b, a_contains_b, overlap) in cases {
            assert_eq!(contains(&net(a), &net(b)), a_contains_b, "{a} contains {b}");
            assert_eq!(overlaps(&net(a), &net(b)), overlap, "{a} overlaps {b}");
        }
        assert!(at_least_as_large_as(&net("10.0.0.0/26"), 27));
        assert!(at_least_as_large_as(&net("10.0.0.0/27"), 27));
        assert!(!at_least_as_large_as(&net("10.0.0.0/28"), 27));
    }

    fn any_net() -> impl Strategy<Value = Ipv4Net> {
        (any::<u32>(), 0u8..=32).prop_map(|(addr, len)| {
            Ipv4Net::new(Ipv4Addr::from(addr), len)
                .map(|n| n.trunc())
                .unwrap_or_default()
        })
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = parse_strict(&s);
        }

        #[test]
        fn parse_never_panics_on_cidr_like_input(s in "[0-9./ ]{0,24}") {
            let _ = parse_strict(&s);
        }

        #[test]
        fn aligned_prefixes_round_trip(n in any_net()) {
            prop_assert_eq!(parse_strict(&n.to_string()), Ok(n));
        }

        #[test]
        fn unaligned_prefixes_name_their_canonical_form(addr in any::<u32>(), len in 0u8..=32) {
            let input = format!("{}/{}", Ipv4Addr::from(addr), len);
            let expected = Ipv4Net::new(Ipv4Addr::from(addr), len).map(|n| n.trunc());
            match parse_strict(&input) {
                Ok(n) => prop_assert_eq!(Ok(n), expected),
                Err(CidrError::HostBits { canonical, .. }) => {
                    prop_assert_eq!(Ok(canonical), expected);
                    prop_assert_ne!(canonical.network(), Ipv4Addr::from(addr));
                }
                Err(e) => prop_assert!(false, "unexpected {e}"),
            }
        }

        #[test]
        fn prefix_lengths_above_32_are_rejected(addr in any::<u32>(), len in 33u16..1000) {
            let input = format!("{}/{}", Ipv4Addr::from(addr), len);
            prop_assert!(parse_strict(&input).is_err());
        }

        #[test]
        fn overlap_is_symmetric(a in any_net(), b in any_net()) {
            prop_assert_eq!(overlaps(&a, &b), overlaps(&b, &a));
        }

        #[test]
        fn containment_implies_overlap_and_is_antisymmetric(a in any_net(), b in any_net()) {
            if contains(&a, &b) {
                prop_assert!(overlaps(&a, &b));
                prop_assert!(a.prefix_len() <= b.prefix_len());
                if contains(&b, &a) {
                    prop_assert_eq!(a, b);
                }
            }
        }

        #[test]
        fn subnets_are_contained_and_siblings_disjoint(a in any_net(), extra in 1u8..=4) {
            let len = a.prefix_len().saturating_add(extra).min(32);
            if let Ok(subnets) = a.subnets(len) {
                let subnets: Vec<Ipv4Net> = subnets.take(4).collect();
                for s in &subnets {
                    prop_assert!(contains(&a, s));
                }
                for pair in subnets.windows(2) {
                    prop_assert!(!overlaps(&pair[0], &pair[1]));
                }
            }
        }

        #[test]
        fn size_predicate_matches_prefix_length(n in any_net(), max in 0u8..=32) {
            prop_assert_eq!(at_least_as_large_as(&n, max), n.prefix_len() <= max);
        }
    }
}
