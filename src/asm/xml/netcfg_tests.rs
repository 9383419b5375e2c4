use super::*;
use proptest::prelude::*;

/// A document with everything the typed view does not model: DNS, local sites, another VNet, a
/// `DnsServersRef`, unknown elements and attributes (also inside the edited VNet and its subnets),
/// comments and a prefixed namespace.
const RICH: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<NetworkConfiguration xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration" xmlns:x="urn:extra">
  <VirtualNetworkConfiguration>
    <Dns>
      <DnsServers><DnsServer name="dns1" IPAddress="10.0.0.4" /></DnsServers>
    </Dns>
    <LocalNetworkSites>
      <LocalNetworkSite name="onprem">
        <AddressSpace><AddressPrefix>10.1.0.0/16</AddressPrefix></AddressSpace>
        <VPNGatewayAddress>1.1.1.1</VPNGatewayAddress>
      </LocalNetworkSite>
    </LocalNetworkSites>
    <VirtualNetworkSites>
      <VirtualNetworkSite name="other" AffinityGroup="ag1">
        <AddressSpace><AddressPrefix>172.16.0.0/16</AddressPrefix></AddressSpace>
        <Gateway>
          <ConnectionsToLocalNetwork><LocalNetworkSiteRef name="onprem" /></ConnectionsToLocalNetwork>
        </Gateway>
      </VirtualNetworkSite>
      <!-- the one we edit -->
      <VirtualNetworkSite name="vnet1" Location="West US" x:tag="keep">
        <AddressSpace><AddressPrefix>192.168.100.0/24</AddressPrefix></AddressSpace>
        <Subnets>
          <Subnet name="Subnet-1" x:nsg="keep"><AddressPrefix>192.168.100.0/27</AddressPrefix><x:Extra>keep</x:Extra></Subnet>
          <Subnet name="GatewaySubnet"><AddressPrefix>192.168.100.32/27</AddressPrefix></Subnet>
        </Subnets>
        <DnsServersRef><DnsServerRef name="dns1" /></DnsServersRef>
        <Gateway>
          <VPNClientAddressPool><AddressPrefix>192.168.101.0/24</AddressPrefix></VPNClientAddressPool>
          <ConnectionsToLocalNetwork>
            <LocalNetworkSiteRef name="onprem"><Connection type="IPsec" /></LocalNetworkSiteRef>
          </ConnectionsToLocalNetwork>
          <x:FutureGatewayThing a="1" />
        </Gateway>
        <x:Unknown>keep me</x:Unknown>
      </VirtualNetworkSite>
    </VirtualNetworkSites>
  </VirtualNetworkConfiguration>
  <x:TopLevelUnknown />
</NetworkConfiguration>"#;

fn rich() -> NetworkConfiguration {
    NetworkConfiguration::parse(RICH).expect("rich sample parses")
}

/// The document with site `name` removed: what an edit of `name` must leave exactly as it was.
fn without(cfg: &NetworkConfiguration, name: &str) -> Document {
    let mut c = cfg.clone();
    c.remove_virtual_network_site(name);
    c.doc
}

/// The unmodelled children and attributes of site `name`.
fn unmodelled(cfg: &NetworkConfiguration, name: &str) -> (Vec<Element>, Vec<String>) {
    let e = cfg
        .site_elements()
        .find(|e| e.attr("name") == Some(name))
        .expect("site exists");
    let children = e
        .elements()
        .filter(|c| !SITE_ORDER.contains(&c.local_name()) || c.local_name() == "DnsServersRef")
        .cloned()
        .collect();
    let attrs = e
        .attributes
        .iter()
        .filter(|a| !["name", "Location", "AffinityGroup"].contains(&a.name.as_str()))
        .map(|a| format!("{}={}", a.name, a.value))
        .collect();
    (children, attrs)
}

#[test]
fn reads_the_documented_sample() {
    let cfg = rich();
    let site = cfg.virtual_network_site("vnet1").expect("vnet1");
    assert_eq!(site.location, SiteLocation::Location("West US".into()));
    assert_eq!(site.address_space, vec!["192.168.100.0/24"]);
    assert_eq!(
        site.gateway_subnet().map(|s| s.address_prefix.as_str()),
        Some("192.168.100.32/27")
    );
    let gw = site.gateway.expect("gateway");
    assert_eq!(gw.vpn_client_address_pool, vec!["192.168.101.0/24"]);
    assert_eq!(
        gw.connections,
        vec![LocalNetworkSiteRef {
            name: "onprem".into(),
            connection_type: ConnectionType::IPsec
        }]
    );
    let other = cfg.virtual_network_site("other").expect("other");
    assert_eq!(other.location, SiteLocation::AffinityGroup("ag1".into()));
    assert_eq!(
        cfg.local_network_sites()[0].vpn_gateway_address.as_deref(),
        Some("1.1.1.1")
    );
    assert_eq!(cfg.virtual_network_sites().len(), 2);
}

#[test]
fn unchanged_write_is_byte_identical() {
    let mut cfg = rich();
    let site = cfg.virtual_network_site("vnet1").expect("vnet1");
    cfg.upsert_virtual_network_site(&site);
    assert_eq!(cfg.to_xml(), RICH);
}

#[test]
fn dropping_p2s_keeps_the_gateway_and_its_links() {
    let mut cfg = rich();
    let mut site = cfg.virtual_network_site("vnet1").expect("vnet1");
    if let Some(g) = site.gateway.as_mut() {
        g.vpn_client_address_pool.clear();
        g.connections[0].connection_type = ConnectionType::Dedicated;
    }
    cfg.upsert_virtual_network_site(&site);
    let back = NetworkConfiguration::parse(&cfg.to_xml()).expect("reparses");
    assert_eq!(back.virtual_network_site("vnet1"), Some(site));
    assert!(back.to_xml().contains("<x:FutureGatewayThing a=\"1\" />"));
    assert!(back.to_xml().contains("<Connection type=\"Dedicated\" />"));
    assert!(!back.to_xml().contains("VPNClientAddressPool"));
}

#[test]
fn dropping_a_plain_gateway_removes_the_element_and_touches_nothing_else() {
    let mut cfg = rich();
    let mut other = cfg.virtual_network_site("other").expect("other");
    other.gateway = None;
    cfg.upsert_virtual_network_site(&other);
    let back = NetworkConfiguration::parse(&cfg.to_xml()).expect("reparses");
    assert_eq!(back.virtual_network_site("other"), Some(other));
    assert_eq!(without(&back, "other"), without(&rich(), "other"));
    assert_eq!(back.to_xml().matches("<Gateway>").count(), 1);
}

#[test]
fn inserts_a_new_site_into_an_empty_document() {
    let mut cfg = NetworkConfiguration::empty();
    let site = VirtualNetworkSite {
        name: "MyAzureVNET".into(),
        location: SiteLocation::Location("Central US".into()),
        address_space: vec!["10.17.159.192/26".into()],
        subnets: vec![Subnet {
            name: "GatewaySubnet".into(),
            address_prefix: "10.17.159.224/27".into(),
        }],
        gateway: Some(GatewayConfig {
            vpn_client_address_pool: vec![],
            connections: vec![LocalNetworkSiteRef {
                name: "MyLocalNetwork".into(),
                connection_type: ConnectionType::Dedicated,
            }],
        }),
    };
    cfg.upsert_virtual_network_site(&site);
    let xml = cfg.to_xml();
    assert_eq!(
        xml,
        "<NetworkConfiguration xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration\"><VirtualNetworkConfiguration><VirtualNetworkSites><VirtualNetworkSite name=\"MyAzureVNET\" Location=\"Central US\"><AddressSpace><AddressPrefix>10.17.159.192/26</AddressPrefix></AddressSpace><Subnets><Subnet name=\"GatewaySubnet\"><AddressPrefix>10.17.159.224/27</AddressPrefix></Subnet></Subnets><Gateway><ConnectionsToLocalNetwork><LocalNetworkSiteRef name=\"MyLocalNetwork\"><Connection type=\"Dedicated\" /></LocalNetworkSiteRef></ConnectionsToLocalNetwork></Gateway></VirtualNetworkSite></VirtualNetworkSites></VirtualNetworkConfiguration></NetworkConfiguration>"
    );
    let back = NetworkConfiguration::parse(&xml).expect("reparses");
    assert_eq!(back.virtual_network_sites(), vec![site]);
    assert!(back.remove_virtual_network_site_cloned("MyAzureVNET"));
}

impl NetworkConfiguration {
    fn remove_virtual_network_site_cloned(&self, name: &str) -> bool {
        let mut c = self.clone();
        c.remove_virtual_network_site(name) && c.virtual_network_sites().is_empty()
    }
}

#[test]
fn prefixed_documents_get_prefixed_new_elements() {
    let src = r#"<n:NetworkConfiguration xmlns:n="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration"><n:VirtualNetworkConfiguration /></n:NetworkConfiguration>"#;
    let mut cfg = NetworkConfiguration::parse(src).expect("parses");
    cfg.upsert_virtual_network_site(&VirtualNetworkSite {
        name: "v".into(),
        location: SiteLocation::AffinityGroup("ag".into()),
        address_space: vec!["10.0.0.0/16".into()],
        subnets: vec![],
        gateway: None,
    });
    assert_eq!(
        cfg.to_xml(),
        r#"<n:NetworkConfiguration xmlns:n="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration"><n:VirtualNetworkConfiguration><n:VirtualNetworkSites><n:VirtualNetworkSite name="v" AffinityGroup="ag"><n:AddressSpace><n:AddressPrefix>10.0.0.0/16</n:AddressPrefix></n:AddressSpace></n:VirtualNetworkSite></n:VirtualNetworkSites></n:VirtualNetworkConfiguration></n:NetworkConfiguration>"#
    );
}

#[test]
fn normalizes_like_the_service() {
    let cfg = NetworkConfiguration::parse(
        r#"<?xml version="1.0"?><NetworkConfiguration xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration"><!-- c --><VirtualNetworkConfiguration><VirtualNetworkSites><VirtualNetworkSite name="v" Location="l"><Gateway><ConnectionsToLocalNetwork><LocalNetworkSiteRef name="x" /></ConnectionsToLocalNetwork></Gateway></VirtualNetworkSite></VirtualNetworkSites></VirtualNetworkConfiguration></NetworkConfiguration>"#,
    )
    .expect("parses");
    assert_eq!(
        cfg.normalized().to_xml(),
        r#"<NetworkConfiguration xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration"><VirtualNetworkConfiguration><VirtualNetworkSites><VirtualNetworkSite name="v" Location="l"><Gateway><ConnectionsToLocalNetwork><LocalNetworkSiteRef name="x"><Connection type="IPsec" /></LocalNetworkSiteRef></ConnectionsToLocalNetwork></Gateway></VirtualNetworkSite></VirtualNetworkSites></VirtualNetworkConfiguration></NetworkConfiguration>"#
    );
}

#[test]
fn rejects_wrong_root_bad_enum_and_the_procedure_typo() {
    assert!(matches!(
        NetworkConfiguration::parse("<VirtualNetworkSite name=\"v\" Location=\"l\" />"),
        Err(XmlError::UnexpectedRoot { .. })
    ));
    let bad_enum = RICH.replace("type=\"IPsec\"", "type=\"Carrier\"");
    assert!(matches!(
        NetworkConfiguration::parse(&bad_enum),
        Err(XmlError::InvalidValue { .. })
    ));
    let typo = RICH.replace(
        "<AddressPrefix>192.168.100.32/27</AddressPrefix></Subnet>",
        "<AddressPrefix>192.168.100.32/27</AddressPrefix>\n /Subnet>",
    );
    assert!(NetworkConfiguration::parse(&typo).is_err_and(|e| e.is_syntax()));
}

fn cidr() -> impl Strategy<Value = String> {
    (0u8..=255, 0u8..=255, 8u8..=29).prop_map(|(a, b, len)| format!("10.{a}.{b}.0/{len}"))
}

fn arb_site() -> impl Strategy<Value = VirtualNetworkSite> {
    let subnet_name = prop_oneof![
        Just("GatewaySubnet".to_string()),
        Just("Subnet-1".to_string()),
        "[a-z]{1,6}"
    ];
    let reference = (
        prop_oneof![Just("onprem".to_string()), "[A-Za-z]{1,8}"],
        prop_oneof![Just(ConnectionType::IPsec), Just(ConnectionType::Dedicated)],
    )
        .prop_map(|(name, connection_type)| LocalNetworkSiteRef {
            name,
            connection_type,
        });
    let gateway = proptest::option::of(
        (
            proptest::collection::vec(cidr(), 0..3),
            proptest::collection::btree_map("[A-Za-z]{1,8}|onprem", reference, 0..3),
        )
            .prop_map(|(vpn_client_address_pool, refs)| GatewayConfig {
                vpn_client_address_pool,
                // Reference names are unique within a gateway: key them by name.
                connections: refs
                    .into_iter()
                    .map(|(name, r)| LocalNetworkSiteRef { name, ..r })
                    .collect(),
            }),
    );
    let location = prop_oneof![
        "[A-Za-z ]{1,12}".prop_map(SiteLocation::Location),
        "[a-z]{1,8}".prop_map(SiteLocation::AffinityGroup),
    ];
    (
        location,
        proptest::collection::vec(cidr(), 0..3),
        proptest::collection::btree_map(subnet_name, cidr(), 0..4),
        gateway,
    )
        .prop_map(
            |(location, address_space, subnets, gateway)| VirtualNetworkSite {
                name: "vnet1".into(),
                location,
                address_space,
                subnets: subnets
                    .into_iter()
                    .map(|(name, address_prefix)| Subnet {
                        name,
                        address_prefix,
                    })
                    .collect(),
                gateway,
            },
        )
}

proptest! {
    /// Editing one VNet, any way, changes nothing outside its modelled parts, and reads back as written.
    #[test]
    fn editing_one_vnet_preserves_everything_else(site in arb_site()) {
        let before = rich();
        let mut after = before.clone();
        after.upsert_virtual_network_site(&site);
        let reparsed = NetworkConfiguration::parse(&after.to_xml()).expect("own output parses");
        prop_assert_eq!(&reparsed, &after);
        // The gateway element holds unmodelled content, so it stays even when the view drops the gateway.
        let expected = VirtualNetworkSite {
            gateway: Some(site.gateway.clone().unwrap_or_default()),
            ..site.clone()
        };
        prop_assert_eq!(reparsed.virtual_network_site("vnet1"), Some(expected));
        prop_assert_eq!(without(&reparsed, "vnet1"), without(&before, "vnet1"));
        prop_assert_eq!(unmodelled(&reparsed, "vnet1"), unmodelled(&before, "vnet1"));
        prop_assert!(reparsed.to_xml().contains("<x:FutureGatewayThing a=\"1\" />"));
        // Subnet-1's unknown parts survive whenever Subnet-1 is kept.
        if site.subnets.iter().any(|s| s.name == "Subnet-1") {
            prop_assert!(reparsed.to_xml().contains("x:nsg=\"keep\""));
            prop_assert!(reparsed.to_xml().contains("<x:Extra>keep</x:Extra>"));
        }
    }

    /// Removing a site touches nothing else.
    #[test]
    fn inserting_then_removing_a_site_restores_the_document(site in arb_site()) {
        let before = rich();
        let mut cfg = before.clone();
        let new = VirtualNetworkSite { name: "added".into(), ..site };
        cfg.upsert_virtual_network_site(&new);
        prop_assert_eq!(cfg.virtual_network_site("added"), Some(new));
        prop_assert!(cfg.remove_virtual_network_site("added"));
        prop_assert_eq!(cfg.virtual_network_sites(), before.virtual_network_sites());
        prop_assert_eq!(without(&cfg, "vnet1"), without(&before, "vnet1"));
    }
}
