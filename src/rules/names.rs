//! NET-NAMES: names, IPv4 addresses, GUIDs and enum values well formed.
//!
//! Names: 1 to 64 characters, ASCII letters, digits, `-`, `_`, `.` and spaces, starting with a
//! letter or digit and ending with a letter, digit or `_`. That is the common ground of the classic
//! service's VNet, subnet, site and gateway names (names end up in URL paths and the netcfg XML).

use std::collections::HashMap;
use std::net::Ipv4Addr;

use crate::rules::derived::GATEWAY_SUBNET;
use crate::rules::enums::{parse_exact, StringEnum};
use crate::rules::finding::{AttrPath, Explanation, Finding, RuleId};
use crate::rules::model::{Fact, VnetFacts};

const MAX_NAME_LEN: usize = 64;

fn name_is_well_formed(name: &str) -> bool {
    let bytes = name.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    bytes.len() <= MAX_NAME_LEN
        && first.is_ascii_alphanumeric()
        && (last.is_ascii_alphanumeric() || *last == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_. ".contains(b))
}

fn invalid(path: AttrPath, summary: &str, value: &str, why: &str, fix: &str) -> Finding {
    Finding::error(
        RuleId::NetNames,
        path,
        summary,
        Explanation {
            value: &format!("The value is {value:?}."),
            why,
            fix,
        },
    )
}

/// A name of a VNet, subnet, site, gateway or connection (`what` says which, for the message).
pub fn check_name(value: &Fact<String>, path: AttrPath, what: &str) -> Option<Finding> {
    let name = value.known()?;
    (!name_is_well_formed(name)).then(|| {
        invalid(
            path,
            &format!("{what} {name:?} is not a valid name"),
            name,
            "Classic network names are 1 to 64 characters of letters, digits, '-', '_', '.' and \
             spaces, starting with a letter or digit and ending with a letter, digit or '_'.",
            "rename it within those characters.",
        )
    })
}

/// A public VPN device address such as a local network gateway's `ip_address`.
pub fn check_ipv4(value: &Fact<String>, path: AttrPath) -> Option<Finding> {
    let text = value.known()?;
    let why = match text.parse::<Ipv4Addr>() {
        Err(_) => "It is not an IPv4 address in dotted-decimal form.",
        Ok(ip) if ip.is_unspecified() || ip.is_loopback() || ip.is_multicast() || ip.is_broadcast() => {
            "It cannot be the address of a VPN device (unspecified, loopback, multicast or broadcast)."
        }
        Ok(_) => return None,
    };
    Some(invalid(
        path,
        &format!("{text:?} is not a usable IPv4 address"),
        text,
        why,
        "give the public IPv4 address of the on-premises VPN device, e.g. 23.39.1.2.",
    ))
}

/// A service key or gateway id: a GUID in its hyphenated form.
pub fn check_guid(value: &Fact<String>, path: AttrPath, what: &str) -> Option<Finding> {
    let text = value.known()?;
    let well_formed = text.len() == 36 && uuid::Uuid::try_parse(text).is_ok();
    (!well_formed).then(|| {
        invalid(
            path,
            &format!("{what} {text:?} is not a GUID"),
            text,
            "The classic API identifies it by a GUID such as 348ae011-ffa9-4add-b530-7cb30010565e.",
            "use the id exactly as the service or the other resource reports it.",
        )
    })
}

/// Parses an enum attribute for the model. A bad value is a NET-NAMES finding; the caller records
/// it and continues with `Fact::Unknown`, so no rule reports on a value that has no meaning.
pub fn enum_fact<T: StringEnum>(raw: Fact<&str>, path: AttrPath) -> Result<Fact<T>, Finding> {
    match raw {
        Fact::Unknown => Ok(Fact::Unknown),
        Fact::Known(text) => parse_exact::<T>(text).map(Fact::Known).map_err(|err| {
            let fix = match err.suggestion {
                Some(s) => format!("write {s:?}; values are case-sensitive."),
                None => format!("use one of {}.", err.valid.join(", ")),
            };
            invalid(
                path,
                &format!("{text:?} is not a valid {}", err.kind),
                text,
                &format!("The service accepts only {} exactly.", err.valid.join(", ")),
                &fix,
            )
        }),
    }
}

/// A count-like attribute such as a connection's `routing_weight`.
pub fn check_non_negative(value: &Fact<Option<i64>>, path: AttrPath) -> Option<Finding> {
    let n = (*value.known()?)?;
    (n < 0).then(|| {
        invalid(
            path,
            &format!("{n} is negative"),
            &n.to_string(),
            "The service takes a routing weight of zero or more.",
            "use 0 or a positive number, or leave it unset.",
        )
    })
}

/// Each name that appears more than once, reported at its later occurrences.
fn duplicates<'a>(
    names: impl Iterator<Item = &'a Fact<String>>,
    block: &'static str,
    what: &str,
) -> Vec<Finding> {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut findings = Vec::new();
    for (index, name) in names.enumerate() {
        let Some(name) = name.known() else { continue };
        if let Some(first) = first_seen.get(name.as_str()) {
            findings.push(invalid(
                AttrPath::of(block).index(index).attr("name"),
                &format!("{what} name {name:?} is used twice"),
                name,
                &format!("It is already the name of {block}[{first}]; names must be unique."),
                "give each one its own name.",
            ));
        } else {
            first_seen.insert(name, index);
        }
    }
    findings
}

/// `GatewaySubnet` spelled in another case: the service only recognises the exact name.
fn miscased_gateway_subnet(name: &Fact<String>, path: AttrPath) -> Option<Finding> {
    let name = name.known()?;
    (name != GATEWAY_SUBNET && name.eq_ignore_ascii_case(GATEWAY_SUBNET)).then(|| {
        invalid(
            path,
            &format!("the gateway subnet must be named exactly {GATEWAY_SUBNET:?}"),
            name,
            "Gateways are deployed only into a subnet whose name is exactly GatewaySubnet; other \
             spellings are ordinary subnets.",
            "rename it to \"GatewaySubnet\".",
        )
    })
}

/// NET-NAMES for a VNet: its name and location, subnet and site reference names.
pub fn check_vnet_names(vnet: &VnetFacts) -> Vec<Finding> {
    let mut findings: Vec<Finding> = [
        check_name(&vnet.name, AttrPath::of("name"), "virtual network"),
        check_name(&vnet.location, AttrPath::of("location"), "location"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Fact::Known(subnets) = &vnet.subnets {
        for (i, s) in subnets.iter().enumerate() {
            let path = AttrPath::of("subnet").index(i).attr("name");
            findings.extend(
                miscased_gateway_subnet(&s.name, path.clone())
                    .or_else(|| check_name(&s.name, path, "subnet")),
            );
        }
        findings.extend(duplicates(
            subnets.iter().map(|s| &s.name),
            "subnet",
            "subnet",
        ));
    }
    if let Fact::Known(refs) = &vnet.local_network_site_refs {
        for (i, r) in refs.iter().enumerate() {
            let path = AttrPath::of("local_network_site_ref").index(i).attr("name");
            findings.extend(check_name(&r.name, path, "local network site"));
        }
        findings.extend(duplicates(
            refs.iter().map(|r| &r.name),
            "local_network_site_ref",
            "local network site",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::enums::Sku;
    use crate::rules::testkit::*;

    #[test]
    fn name_table() {
        let valid = [
            "MyAzureVNET",
            "Subnet-1",
            "GatewaySubnet",
            "Central US",
            "a",
            "x_",
            "v.1",
        ];
        for name in valid {
            assert_eq!(
                check_name(&known(name), AttrPath::of("name"), "x"),
                None,
                "{name}"
            );
        }
        let long = "a".repeat(65);
        let invalid = [
            "",
            " a",
            "a ",
            "-a",
            "a-",
            "a/b",
            "a\u{e9}",
            "a\nb",
            long.as_str(),
        ];
        for name in invalid {
            let f = check_name(&known(name), AttrPath::of("name"), "subnet");
            assert_eq!(id(&f), Some(pair("NET-NAMES", "name")), "{name:?}");
        }
        assert_eq!(check_name(&Fact::Unknown, AttrPath::of("name"), "x"), None);
    }

    #[test]
    fn ipv4_table() {
        for ok in ["23.39.1.2", "1.1.1.1", "10.0.0.1"] {
            assert_eq!(
                check_ipv4(&known(ok), AttrPath::of("ip_address")),
                None,
                "{ok}"
            );
        }
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4/32",
            "::1",
            "0.0.0.0",
            "127.0.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "a.b.c.d",
            " 1.2.3.4",
        ] {
            let f = check_ipv4(&known(bad), AttrPath::of("ip_address"));
            assert_eq!(id(&f), Some(pair("NET-NAMES", "ip_address")), "{bad:?}");
        }
        assert_eq!(check_ipv4(&Fact::Unknown, AttrPath::of("ip_address")), None);
    }

    #[test]
    fn guid_table() {
        let path = || AttrPath::of("service_key");
        for ok in [
            "348ae011-ffa9-4add-b530-7cb30010565e",
            "AEC3CA48-6940-41BB-95F0-929627EA42F6",
        ] {
            assert_eq!(check_guid(&known(ok), path(), "service key"), None, "{ok}");
        }
        for bad in [
            "",
            "348ae011ffa94addb5307cb30010565e",
            "{348ae011-ffa9-4add-b530-7cb30010565e}",
            "348ae011-ffa9-4add-b530-7cb30010565g",
            "key",
        ] {
            let f = check_guid(&known(bad), path(), "service key");
            assert_eq!(id(&f), Some(pair("NET-NAMES", "service_key")), "{bad:?}");
        }
        assert_eq!(check_guid(&Fact::Unknown, path(), "service key"), None);
    }

    #[test]
    fn enum_fact_table() {
        let path = || AttrPath::of("gateway_sku");
        assert_eq!(
            enum_fact::<Sku>(Fact::Known("Standard"), path()),
            Ok(Fact::Known(Sku::Standard))
        );
        assert_eq!(enum_fact::<Sku>(Fact::Unknown, path()), Ok(Fact::Unknown));
        let err = enum_fact::<Sku>(Fact::Known("standard"), path()).unwrap_err();
        assert_eq!(
            (err.rule, err.path.to_string()),
            (RuleId::NetNames, "gateway_sku".into())
        );
        assert!(err.detail.contains("write \"Standard\""), "{}", err.detail);
        let err = enum_fact::<Sku>(Fact::Known("Basic"), path()).unwrap_err();
        assert!(
            err.detail
                .contains("Default, Standard, HighPerformance, UltraPerformance"),
            "{}",
            err.detail
        );
    }

    #[test]
    fn non_negative_table() {
        let path = || AttrPath::of("routing_weight");
        assert_eq!(check_non_negative(&Fact::Known(Some(3)), path()), None);
        assert_eq!(check_non_negative(&Fact::Known(Some(0)), path()), None);
        assert_eq!(check_non_negative(&Fact::Known(None), path()), None);
        assert_eq!(check_non_negative(&Fact::Unknown, path()), None);
        let f = check_non_negative(&Fact::Known(Some(-1)), path());
        assert_eq!(id(&f), Some(pair("NET-NAMES", "routing_weight")));
    }

    #[test]
    fn vnet_names_table() {
        assert_eq!(ids(&check_vnet_names(&procedure_vnet())), vec![]);
        let miscased = vnet_with_subnets(&[
            ("Subnet-1", "10.17.159.192/27"),
            ("gatewaysubnet", "10.17.159.224/27"),
        ]);
        let findings = check_vnet_names(&miscased);
        assert_eq!(ids(&findings), vec![pair("NET-NAMES", "subnet[1].name")]);
        assert!(
            findings[0].summary.contains("exactly \"GatewaySubnet\""),
            "{}",
            findings[0].summary
        );
        let dup = vnet_with_subnets(&[
            ("a", "10.17.159.192/27"),
            ("b", "10.17.159.224/28"),
            ("a", "10.17.159.240/28"),
        ]);
        assert_eq!(
            ids(&check_vnet_names(&dup)),
            vec![pair("NET-NAMES", "subnet[2].name")]
        );
        let refs = vnet_with_refs(vec![
            site_ref("x y", crate::rules::enums::SiteConnectionType::Dedicated),
            site_ref("x y", crate::rules::enums::SiteConnectionType::Dedicated),
            site_ref("bad/", crate::rules::enums::SiteConnectionType::Dedicated),
        ]);
        assert_eq!(
            ids(&check_vnet_names(&refs)),
            vec![
                pair("NET-NAMES", "local_network_site_ref[2].name"),
                pair("NET-NAMES", "local_network_site_ref[1].name"),
            ]
        );
        assert_eq!(ids(&check_vnet_names(&VnetFacts::default())), vec![]);
    }
}
