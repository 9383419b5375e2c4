//! `GET services/networking/virtualnetwork` (asm-api.md section 2): the service's view of the VNets of the
//! network configuration, with each VNet's `Id` (the VnetId GUID that the multi-gateway API takes).

use super::{text_items, ElementBuilder, ListItem, Message};
use crate::asm::xml::netcfg::{ConnectionType, SiteLocation};
use crate::asm::xml::tree::Element;
use crate::asm::xml::value::{opt_text, req_text};
use crate::asm::xml::XmlError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnetSubnetInfo {
    pub name: String,
    pub address_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnetLocalSiteInfo {
    pub name: String,
    pub address_prefixes: Vec<String>,
    pub vpn_gateway_address: Option<String>,
    pub connections: Vec<ConnectionType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VnetGatewayInfo {
    pub profile: Option<String>,
    pub sites: Vec<VnetLocalSiteInfo>,
    pub vpn_client_address_pool: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualNetworkSiteInfo {
    pub name: String,
    /// The VnetId GUID.
    pub id: String,
    pub location: SiteLocation,
    /// `Created` once the network configuration holding the VNet has been applied.
    pub state: String,
    pub address_prefixes: Vec<String>,
    pub subnets: Vec<VnetSubnetInfo>,
    pub gateway: Option<VnetGatewayInfo>,
}

/// `<Name><AddressPrefixes><AddressPrefix>..` as used throughout this document.
fn prefixes_element(name: &str, prefixes: &[String]) -> Element {
    Element::new(name).with_child(text_items("AddressPrefixes", "AddressPrefix", prefixes))
}

fn read_prefixes(e: &Element, name: &str) -> Vec<String> {
    e.child(name)
        .map(|c| crate::asm::xml::value::text_list(c, "AddressPrefixes", "AddressPrefix"))
        .unwrap_or_default()
}

fn write_gateway(g: &VnetGatewayInfo) -> Element {
    let mut e = Element::new("Gateway");
    e.push_text_opt("Profile", g.profile.as_ref());
    let mut sites = Element::new("Sites");
    for s in &g.sites {
        let mut site = Element::new("LocalNetworkSite");
        site.push_text("Name", &s.name);
        site.push_child(prefixes_element("AddressSpace", &s.address_prefixes));
        site.push_text_opt("VpnGatewayAddress", s.vpn_gateway_address.as_ref());
        let connections = s
            .connections
            .iter()
            .fold(Element::new("Connections"), |c, t| {
                c.with_child(
                    Element::new("Connection")
                        .with_child(Element::new("Type").with_text(t.as_str())),
                )
            });
        site.push_child(connections);
        sites.push_child(site);
    }
    e.push_child(sites);
    e.push_child(prefixes_element(
        "VPNClientAddressPool",
        &g.vpn_client_address_pool,
    ));
    e
}

fn read_gateway(g: &Element) -> Result<VnetGatewayInfo, XmlError> {
    let sites = g
        .child("Sites")
        .map(|s| {
            s.children_named("LocalNetworkSite")
                .map(|site| {
                    let connections = site
                        .child("Connections")
                        .map(|c| {
                            c.children_named("Connection")
                                .filter_map(|c| opt_text(c, "Type"))
                                .map(|t| t.parse())
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .transpose()?
                        .unwrap_or_default();
                    Ok(VnetLocalSiteInfo {
                        name: req_text(site, "Name")?,
                        address_prefixes: read_prefixes(site, "AddressSpace"),
                        vpn_gateway_address: opt_text(site, "VpnGatewayAddress"),
                        connections,
                    })
                })
                .collect::<Result<Vec<_>, XmlError>>()
        })
        .transpose()?
        .unwrap_or_default();
    Ok(VnetGatewayInfo {
        profile: opt_text(g, "Profile").filter(|p| !p.is_empty()),
        sites,
        vpn_client_address_pool: read_prefixes(g, "VPNClientAddressPool"),
    })
}

impl Message for VirtualNetworkSiteInfo {
    const ROOT: &'static str = "VirtualNetworkSite";

    fn write_children(&self, e: &mut Element) {
        e.push_text("Name", &self.name);
        e.push_text("Id", &self.id);
        match &self.location {
            SiteLocation::AffinityGroup(a) => e.push_text("AffinityGroup", a),
            SiteLocation::Location(l) => e.push_text("Location", l),
        }
        e.push_text("State", &self.state);
        e.push_child(prefixes_element("AddressSpace", &self.address_prefixes));
        let subnets = self.subnets.iter().fold(Element::new("Subnets"), |s, sn| {
            let mut subnet = Element::new("Subnet");
            subnet.push_text("Name", &sn.name);
            subnet.push_text("AddressPrefix", &sn.address_prefix);
            s.with_child(subnet)
        });
        e.push_child(subnets);
        if let Some(g) = &self.gateway {
            e.push_child(write_gateway(g));
        }
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        let location = match (opt_text(e, "Location"), opt_text(e, "AffinityGroup")) {
            (Some(l), _) if !l.is_empty() => SiteLocation::Location(l),
            (_, Some(a)) => SiteLocation::AffinityGroup(a),
            _ => return Err(XmlError::Missing("Location".into())),
        };
        let subnets = e
            .child("Subnets")
            .map(|s| {
                s.children_named("Subnet")
                    .map(|sn| {
                        Ok(VnetSubnetInfo {
                            name: req_text(sn, "Name")?,
                            address_prefix: opt_text(sn, "AddressPrefix").unwrap_or_default(),
                        })
                    })
                    .collect::<Result<Vec<_>, XmlError>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(VirtualNetworkSiteInfo {
            name: req_text(e, "Name")?,
            id: req_text(e, "Id")?,
            location,
            state: opt_text(e, "State").unwrap_or_default(),
            address_prefixes: read_prefixes(e, "AddressSpace"),
            subnets,
            gateway: e
                .child("Gateway")
                .filter(|g| !g.is_nil())
                .map(read_gateway)
                .transpose()?,
        })
    }
}

impl ListItem for VirtualNetworkSiteInfo {
    const LIST: &'static str = "VirtualNetworkSites";
}

#[cfg(test)]
mod tests {
    use super::super::List;
    use super::*;

    fn site() -> VirtualNetworkSiteInfo {
        VirtualNetworkSiteInfo {
            name: "vnet1".into(),
            id: "b34f7f25-1111-2222-3333-444455556666".into(),
            location: SiteLocation::Location("West US".into()),
            state: "Created".into(),
            address_prefixes: vec!["192.168.100.0/24".into()],
            subnets: vec![VnetSubnetInfo {
                name: "GatewaySubnet".into(),
                address_prefix: "192.168.100.32/27".into(),
            }],
            gateway: Some(VnetGatewayInfo {
                profile: Some("Small".into()),
                sites: vec![VnetLocalSiteInfo {
                    name: "onprem".into(),
                    address_prefixes: vec!["10.1.0.0/16".into()],
                    vpn_gateway_address: Some("1.1.1.1".into()),
                    connections: vec![ConnectionType::Dedicated],
                }],
                vpn_client_address_pool: vec![],
            }),
        }
    }

    #[test]
    fn list_in_documented_order() {
        let list = List {
            items: vec![site()],
        };
        let xml = list.to_xml();
        assert!(xml.contains("<VirtualNetworkSite><Name>vnet1</Name><Id>b34f7f25-1111-2222-3333-444455556666</Id><Location>West US</Location><State>Created</State><AddressSpace><AddressPrefixes><AddressPrefix>192.168.100.0/24</AddressPrefix></AddressPrefixes></AddressSpace><Subnets><Subnet><Name>GatewaySubnet</Name><AddressPrefix>192.168.100.32/27</AddressPrefix></Subnet></Subnets><Gateway><Profile>Small</Profile><Sites><LocalNetworkSite><Name>onprem</Name><AddressSpace><AddressPrefixes><AddressPrefix>10.1.0.0/16</AddressPrefix></AddressPrefixes></AddressSpace><VpnGatewayAddress>1.1.1.1</VpnGatewayAddress><Connections><Connection><Type>Dedicated</Type></Connection></Connections></LocalNetworkSite></Sites>"));
        assert_eq!(List::<VirtualNetworkSiteInfo>::from_xml(&xml), Ok(list));
    }

    #[test]
    fn empty_list_and_affinity_group() {
        let empty = List::<VirtualNetworkSiteInfo> { items: vec![] };
        assert!(empty.to_xml().ends_with(" />"));
        assert_eq!(
            List::<VirtualNetworkSiteInfo>::from_xml("<VirtualNetworkSites xmlns=\"http://schemas.microsoft.com/windowsazure\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" />"),
            Ok(empty)
        );
        let mut s = site();
        s.location = SiteLocation::AffinityGroup("ag".into());
        s.gateway = None;
        let xml = s.to_xml();
        assert!(xml.contains("<AffinityGroup>ag</AffinityGroup>"));
        assert_eq!(VirtualNetworkSiteInfo::from_xml(&xml), Ok(s));
    }
}
