//! Generators for the fuzz tests: XML documents built from the classic API's own vocabulary (so they get
//! past the tree parser into the typed readers and the emulator's rules), damaged at random.
//!
//! Use it with `mod fuzz_support;` from each fuzz test file.

#![allow(dead_code)] // each fuzz test file uses part of the generators

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Cases per property: `PROPTEST_CASES` when set (as proptest reads it everywhere), else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The fuzz tests' proptest settings: `cases(default)` cases, failures saved beside the test file
/// as regression seeds.
pub fn fuzz_config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    }
}

/// Element names the classic messages and the network configuration read.
const ELEMENTS: &[&str] = &[
    "NetworkConfiguration",
    "VirtualNetworkConfiguration",
    "Dns",
    "DnsServers",
    "DnsServer",
    "DnsServersRef",
    "DnsServerRef",
    "LocalNetworkSites",
    "LocalNetworkSite",
    "VPNGatewayAddress",
    "VirtualNetworkSites",
    "VirtualNetworkSite",
    "AddressSpace",
    "AddressPrefix",
    "Subnets",
    "Subnet",
    "Gateway",
    "ConnectionsToLocalNetwork",
    "LocalNetworkSiteRef",
    "Connection",
    "VPNClientAddressPool",
    "State",
    "VIPAddress",
    "GatewaySize",
    "GatewayType",
    "GatewayId",
    "GatewayName",
    "LastEvent",
    "Timestamp",
    "Id",
    "Message",
    "Data",
    "Code",
    "Status",
    "HttpStatusCode",
    "Error",
    "ID",
    "Operation",
    "GatewayOperation",
    "GatewayOperationAsyncResponse",
    "VirtualNetworkGateway",
    "VirtualNetworkGateways",
    "VnetId",
    "Location",
    "DefaultSites",
    "EnableBgp",
    "BgpSettings",
    "Asn",
    "BgpPeeringAddress",
    "PeerWeight",
    "LocalNetworkGateway",
    "LocalNetworkGateways",
    "IpAddress",
    "AddressPrefixes",
    "GatewayConnection",
    "GatewayConnections",
    "ConnectedEntityId",
    "GatewayConnectionName",
    "GatewayConnectionType",
    "VirtualNetworkGatewayId",
    "RoutingWeight",
    "SharedKey",
    "DedicatedCircuit",
    "DedicatedCircuits",
    "DedicatedCircuitLink",
    "DedicatedCircuitLinks",
    "ServiceKey",
    "CircuitName",
    "Bandwidth",
    "BillingType",
    "ServiceProviderName",
    "ServiceProviderProvisioningState",
    "Sku",
    "VnetName",
    "string",
    "a:string",
    "nc:Subnet",
];

/// Attribute names the readers look at, plus namespace declarations.
const ATTRIBUTES: &[&str] = &[
    "name",
    "Location",
    "AffinityGroup",
    "type",
    "IPAddress",
    "i:nil",
    "xsi:nil",
    "xmlns",
    "xmlns:i",
    "xmlns:a",
    "xmlns:nc",
];

/// Values that are valid somewhere, almost valid, or hostile.
const VALUES: &[&str] = &[
    "",
    " ",
    "true",
    "false",
    "True",
    "0",
    "-1",
    "2147483648",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "10.0.0.0/16",
    "10.0.1.0/27",
    "10.0.1.0/28",
    "10.0.1.4/27",
    "0.0.0.0/0",
    "255.255.255.255/32",
    "10.0.0.0/33",
    "10.0.0/16",
    "1.2.3.4",
    "999.1.1.1",
    "aec3ca48-6940-41bb-95f0-929627ea42f6",
    "not-a-guid",
    "Dedicated",
    "IPsec",
    "Default",
    "Standard",
    "HighPerformance",
    "UltraPerformance",
    "DynamicRouting",
    "StaticRouting",
    "Provisioned",
    "Provisioning",
    "NotProvisioned",
    "InProgress",
    "Succeeded",
    "Failed",
    "GatewaySubnet",
    "Central US",
    "http://schemas.microsoft.com/windowsazure",
    "http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://schemas.microsoft.com/2003/10/Serialization/Arrays",
    "2026-11-26T14:00:00Z",
    "&amp;&lt;&#x41;&#0;&#xFFFFFFFF;&bogus;",
    "\u{feff}\u{202e}\u{10ffff}",
];

/// A network configuration with a local site and two VNets (one with a gateway), every value a hole for
/// [`filled`].
pub const NETCFG_TEMPLATE: &str = r#"<NetworkConfiguration xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration"><VirtualNetworkConfiguration><LocalNetworkSites><LocalNetworkSite name="{v:Site2}"><AddressSpace><AddressPrefix>{v:10.3.0.0/16}</AddressPrefix></AddressSpace><VPNGatewayAddress>{v:1.2.3.4}</VPNGatewayAddress></LocalNetworkSite></LocalNetworkSites><VirtualNetworkSites><VirtualNetworkSite name="LegacyVNet" Location="{v:Central US}"><AddressSpace><AddressPrefix>{v:10.2.0.0/16}</AddressPrefix></AddressSpace><Subnets><Subnet name="{v:Subnet-1}"><AddressPrefix>{v:10.2.0.0/24}</AddressPrefix></Subnet><Subnet name="GatewaySubnet"><AddressPrefix>{v:10.2.1.0/27}</AddressPrefix></Subnet></Subnets><Gateway><ConnectionsToLocalNetwork><LocalNetworkSiteRef name="{v:Site2}"><Connection type="{v:Dedicated}" /></LocalNetworkSiteRef></ConnectionsToLocalNetwork></Gateway></VirtualNetworkSite><VirtualNetworkSite name="{v:NewVNet}" Location="Central US"><AddressSpace><AddressPrefix>{v:10.4.0.0/16}</AddressPrefix></AddressSpace><Subnets><Subnet name="GatewaySubnet"><AddressPrefix>{v:10.4.1.0/27}</AddressPrefix></Subnet></Subnets></VirtualNetworkSite></VirtualNetworkSites></VirtualNetworkConfiguration></NetworkConfiguration>"#;

/// A value of the vocabulary, or free text (escaped).
fn value() -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::sample::select(VALUES).prop_map(str::to_string),
        1 => "\\PC{0,24}".prop_map(|s| escape(&s)),
    ]
    .boxed()
}

/// `template` with each hole `{v:DEFAULT}` filled: mostly with its valid default, otherwise with a
/// value of the vocabulary. A valid document's shape with one or two bad values gets past the readers
/// into the checks behind them.
pub fn filled(template: &'static str) -> impl Strategy<Value = String> {
    let holes = template.matches("{v:").count();
    let choice = prop_oneof![12 => Just(None), 1 => value().prop_map(Some)];
    prop::collection::vec(choice, holes).prop_map(move |choices| {
        let mut out = String::new();
        let mut rest = template;
        for choice in choices {
            let Some((before, after)) = rest.split_once("{v:") else {
                break;
            };
            let (default, after) = after.split_once('}').unwrap_or((after, ""));
            out.push_str(before);
            out.push_str(choice.as_deref().unwrap_or(default));
            rest = after;
        }
        out.push_str(rest);
        out
    })
}

/// One random XML fragment per call: an element of the vocabulary with attributes, text and children.
fn element(depth: u32) -> BoxedStrategy<String> {
    let name = prop_oneof![
        9 => prop::sample::select(ELEMENTS).prop_map(str::to_string),
        1 => "[a-zA-Z_][a-zA-Z0-9_.:-]{0,12}",
    ];
    let attributes = prop::collection::vec((prop::sample::select(ATTRIBUTES), value()), 0..3);
    let children = if depth == 0 {
        Just(Vec::new()).boxed()
    } else {
        prop::collection::vec(element(depth - 1), 0..5).boxed()
    };
    (name, attributes, value(), children)
        .prop_map(|(name, attributes, text, children)| {
            let mut out = format!("<{name}");
            for (a, v) in attributes {
                out.push_str(&format!(" {a}=\"{v}\""));
            }
            out.push('>');
            if children.is_empty() {
                out.push_str(&text);
            } else {
                out.extend(children);
            }
            out.push_str(&format!("</{name}>"));
            out
        })
        .boxed()
}

/// Escapes free text so that damage, not escaping, decides whether the document is well formed.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// A way to damage a document.
#[derive(Debug, Clone)]
pub enum Damage {
    None,
    /// Cut at this fraction of the length.
    Truncate(f64),
    /// Insert markup characters at this fraction.
    Insert(f64, String),
    /// Repeat the span [a, b) (fractions).
    Repeat(f64, f64),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        3 => Just(Damage::None),
        1 => (0.0..1.0).prop_map(Damage::Truncate),
        1 => (0.0..1.0, "[<>&/\"'=;!?\\[\\]\\-\\x00 ]{1,4}").prop_map(|(at, s)| Damage::Insert(at, s)),
        1 => (0.0..1.0, 0.0..1.0).prop_map(|(a, b)| Damage::Repeat(a, b)),
    ]
}

/// The char boundary at or before `fraction` of `s`.
fn boundary(s: &str, fraction: f64) -> usize {
    let mut at = (s.len() as f64 * fraction) as usize;
    while at > 0 && !s.is_char_boundary(at) {
        at -= 1;
    }
    at.min(s.len())
}

pub fn apply(doc: &str, damage: &Damage) -> String {
    match damage {
        Damage::None => doc.to_string(),
        Damage::Truncate(f) => doc[..boundary(doc, *f)].to_string(),
        Damage::Insert(f, s) => {
            let at = boundary(doc, *f);
            format!("{}{s}{}", &doc[..at], &doc[at..])
        }
        Damage::Repeat(a, b) => {
            let (a, b) = (boundary(doc, a.min(*b)), boundary(doc, a.max(*b)));
            format!("{}{}", &doc[..b], &doc[a..])
        }
    }
}

/// An XML document (root from the vocabulary, up to five levels), possibly damaged.
pub fn xml_document() -> impl Strategy<Value = String> {
    let prolog = prop_oneof![
        Just(""),
        Just("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        Just("\u{feff}"),
        Just("<!-- c -->"),
    ];
    (prolog, element(4), damage()).prop_map(|(p, root, d)| apply(&format!("{p}{root}"), &d))
}

/// A document whose root is `root` (declaring the windowsazure namespace half the time) with random
/// children, possibly damaged, so the typed reader of that message gets to its fields.
pub fn xml_message(root: &'static str) -> impl Strategy<Value = String> {
    let children = prop::collection::vec(element(3), 0..8);
    (children, any::<bool>(), damage()).prop_map(move |(children, ns, d)| {
        let xmlns = if ns {
            " xmlns=\"http://schemas.microsoft.com/windowsazure\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\""
        } else {
            ""
        };
        apply(&format!("<{root}{xmlns}>{}</{root}>", children.concat()), &d)
    })
}
