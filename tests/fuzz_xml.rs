//! Fuzzing at volume, with proptest, of every XML reader of the classic API: the element tree, each
//! message's `from_xml`, and the network configuration. Inputs are built from the API's own vocabulary
//! and damaged at random. Properties: no panic; whatever reads also writes something that reads back
//! the same; and hostile sizes (deep nesting, huge texts, many siblings) fail or pass in bounded time.
//!
//! Case counts: `PROPTEST_CASES` overrides the default below (as proptest does everywhere).

mod fuzz_support;

use std::time::{Duration, Instant};

use azureclassic::asm::xml::messages::{
    CreateGatewayConnectionParameters, CreateGatewayParameters,
    CreateLocalNetworkGatewayParameters, CreateVirtualNetworkGatewayParameters, DedicatedCircuit,
    DedicatedCircuitLink, Gateway, GatewayConnection, GatewayEvent, GatewayOperation,
    GatewayOperationAsyncResponse, List, LocalNetworkGateway, Message, Operation, SerializedString,
    ServiceError, UpdateGatewayConnectionParameters, UpdateGatewayParameters,
    UpdateLocalNetworkGatewayParameters, VirtualNetworkGateway, VirtualNetworkSiteInfo,
};
use azureclassic::asm::xml::netcfg::{
    ConnectionType, GatewayConfig, LocalNetworkSiteRef, NetworkConfiguration, SiteLocation, Subnet,
    VirtualNetworkSite,
};
use azureclassic::asm::xml::tree::{MAX_ATTRIBUTES, MAX_DEPTH};
use azureclassic::asm::xml::{Document, XmlError};
use fuzz_support::{filled, fuzz_config, xml_document, xml_message, NETCFG_TEMPLATE};
use proptest::prelude::*;

/// Cases per property when `PROPTEST_CASES` is not set (about 20 s per property in a debug build).
const CASES: u32 = 2000;

/// A message that reads from `xml` must write a document that reads back to the same message.
fn reads_back<T: Message + PartialEq + std::fmt::Debug>(xml: &str) -> Result<(), TestCaseError> {
    if let Ok(message) = T::from_xml(xml) {
        let written = message.to_xml();
        let again = T::from_xml(&written);
        prop_assert_eq!(again.as_ref(), Ok(&message), "written: {}", written);
    }
    Ok(())
}

/// Runs `reads_back` for each message type whose root is `root`.
macro_rules! every_message {
    ($xml:expr, $root:expr, [$($t:ty),+ $(,)?]) => {
        $(if $root == <$t as Message>::ROOT { reads_back::<$t>($xml)?; })+
    };
}

const ROOTS: &[&str] = &[
    "LastEvent",
    "Gateway",
    "CreateGatewayParameters",
    "UpdateGatewayParameters",
    "LocalNetworkGateway",
    "LocalNetworkGateways",
    "CreateLocalNetworkGatewayParameters",
    "UpdateLocalNetworkGatewayParameters",
    "VirtualNetworkSite",
    "VirtualNetworkSites",
    "Error",
    "Operation",
    "GatewayOperationAsyncResponse",
    "GatewayOperation",
    "DedicatedCircuit",
    "DedicatedCircuits",
    "DedicatedCircuitLink",
    "DedicatedCircuitLinks",
    "GatewayConnection",
    "GatewayConnections",
    "CreateGatewayConnectionParameters",
    "UpdateGatewayConnectionParameters",
    "VirtualNetworkGateway",
    "VirtualNetworkGateways",
    "CreateVirtualNetworkGatewayParameters",
];

fn message_case() -> impl Strategy<Value = (&'static str, String)> {
    prop::sample::select(ROOTS).prop_flat_map(|root| xml_message(root).prop_map(move |x| (root, x)))
}

proptest! {
    #![proptest_config(fuzz_config(CASES))]

    #[test]
    fn tree_parser_never_panics_and_its_output_reparses(xml in xml_document()) {
        if let Ok(doc) = Document::parse(&xml) {
            let written = doc.to_xml();
            let again = Document::parse(&written);
            prop_assert_eq!(again.as_ref().map(|d| &d.root), Ok(&doc.root), "written: {}", written);
        }
    }

    #[test]
    fn every_message_reader_never_panics_and_round_trips((root, xml) in message_case()) {
        every_message!(&xml, root, [
            GatewayEvent, Gateway, CreateGatewayParameters, UpdateGatewayParameters,
            LocalNetworkGateway, List<LocalNetworkGateway>, CreateLocalNetworkGatewayParameters,
            UpdateLocalNetworkGatewayParameters, VirtualNetworkSiteInfo, List<VirtualNetworkSiteInfo>,
            ServiceError, Operation, GatewayOperationAsyncResponse, GatewayOperation,
            DedicatedCircuit, List<DedicatedCircuit>, DedicatedCircuitLink, List<DedicatedCircuitLink>,
            GatewayConnection, List<GatewayConnection>, CreateGatewayConnectionParameters,
            UpdateGatewayConnectionParameters, VirtualNetworkGateway, List<VirtualNetworkGateway>,
            CreateVirtualNetworkGatewayParameters,
        ]);
    }

    #[test]
    fn serialized_string_reader_never_panics(xml in xml_message("string")) {
        if let Ok(s) = SerializedString::from_xml(&xml) {
            prop_assert_eq!(SerializedString::from_xml(&s.to_xml()), Ok(s));
        }
    }

    /// A configuration that parses keeps its sites through a write, and takes an edit without panicking.
    #[test]
    fn netcfg_reader_never_panics_and_edits_keep_the_rest(
        xml in prop_oneof![xml_message("NetworkConfiguration"), filled(NETCFG_TEMPLATE)]
    ) {
        let Ok(mut config) = NetworkConfiguration::parse(&xml) else { return Ok(()) };
        let sites = config.virtual_network_sites();
        let locals = config.local_network_sites();
        let again = NetworkConfiguration::parse(&config.to_xml()).expect("own output parses");
        prop_assert_eq!(again.virtual_network_sites(), sites.clone());
        let _ = config.normalized();

        config.upsert_virtual_network_site(&fuzz_site());
        prop_assert_eq!(config.virtual_network_site("FuzzVNet"), Some(fuzz_site()));
        let reread = NetworkConfiguration::parse(&config.to_xml()).expect("edited output parses");
        prop_assert_eq!(reread.local_network_sites(), locals);
        for site in &sites {
            if site.name != "FuzzVNet" {
                prop_assert_eq!(reread.virtual_network_site(&site.name), Some(site.clone()));
            }
        }
        prop_assert!(config.remove_virtual_network_site("FuzzVNet"));
    }
}

fn fuzz_site() -> VirtualNetworkSite {
    VirtualNetworkSite {
        name: "FuzzVNet".to_string(),
        location: SiteLocation::Location("Central US".to_string()),
        address_space: vec!["10.9.0.0/16".to_string()],
        subnets: vec![Subnet {
            name: "GatewaySubnet".to_string(),
            address_prefix: "10.9.1.0/27".to_string(),
        }],
        gateway: Some(GatewayConfig {
            vpn_client_address_pool: vec![],
            connections: vec![LocalNetworkSiteRef {
                name: "Site".to_string(),
                connection_type: ConnectionType::Dedicated,
            }],
        }),
    }
}

/// Runs `f` and fails if it takes longer than `limit` (debug build, loaded machine: generous).
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < limit, "{what} took {:?}", start.elapsed());
    out
}

#[test]
fn hostile_sizes_are_refused_or_read_in_bounded_time() {
    let limit = Duration::from_secs(10);
    // A million levels: refused at MAX_DEPTH, without recursing (no stack overflow).
    let deep = "<a>".repeat(1_000_000);
    let result = within(limit, "deep nesting", || Document::parse(&deep));
    assert!(matches!(result, Err(XmlError::TooDeep(d)) if d == MAX_DEPTH));
    // The same with self-closing leaves at the bottom and a netcfg root.
    let deep_netcfg = format!(
        "<NetworkConfiguration>{}",
        "<VirtualNetworkConfiguration>".repeat(100_000)
    );
    assert!(within(limit, "deep netcfg", || NetworkConfiguration::parse(
        &deep_netcfg
    ))
    .is_err());

    // 8 MB of text in one element, and 200 000 siblings: read, written and read again.
    let text = format!("<Error><Code>{}</Code></Error>", "x".repeat(8 << 20));
    let error = within(limit, "huge text", || ServiceError::from_xml(&text)).expect("reads");
    assert_eq!(error.code.len(), 8 << 20);
    let wide = format!(
        "<LocalNetworkGateways>{}</LocalNetworkGateways>",
        "<LocalNetworkGateway><Name>n</Name></LocalNetworkGateway>".repeat(200_000)
    );
    within(limit, "wide list", || {
        let _ = List::<LocalNetworkGateway>::from_xml(&wide);
        Document::parse(&wide).expect("well formed").to_xml()
    });

    // 100 000 attributes on one element: refused at MAX_ATTRIBUTES (the duplicate check is quadratic).
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let result = within(limit, "many attributes", || {
        Document::parse(&format!("<Operation{attrs}/>"))
    });
    assert_eq!(result, Err(XmlError::TooManyAttributes(MAX_ATTRIBUTES)));

    // Entity expansion (billion laughs) is refused outright: no DOCTYPE at all.
    let laughs = r#"<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Error><Code>&b;</Code></Error>"#;
    assert!(ServiceError::from_xml(laughs).is_err());
}
