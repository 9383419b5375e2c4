//! The subscription's NetworkConfiguration document (asm-api.md section 1) as typed views over the
//! lossless tree.
//!
//! Every change is a read-modify-write of the whole document, so the safety property is: editing one
//! `VirtualNetworkSite` leaves every other byte of meaning alone (DNS, local network sites, other VNets,
//! `DnsServersRef`, unknown elements and attributes, even inside the edited site). The typed
//! [`VirtualNetworkSite`] only names what it models; writing it back updates those parts of the existing
//! element in place and never rebuilds the element.

use super::error::XmlError;
use super::tree::{Document, Element, Node};
use super::value::{opt_text, req_attr, text_list, wire_enum};

pub const NETCFG_NS: &str =
    "http://schemas.microsoft.com/ServiceHosting/2011/07/NetworkConfiguration";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

// Child orders of the schema, used only where a missing element has to be created.
const ROOT_ORDER: &[&str] = &["VirtualNetworkConfiguration"];
const VNC_ORDER: &[&str] = &["Dns", "LocalNetworkSites", "VirtualNetworkSites"];
const SITE_ORDER: &[&str] = &["AddressSpace", "Subnets", "DnsServersRef", "Gateway"];
const GATEWAY_ORDER: &[&str] = &["VPNClientAddressPool", "ConnectionsToLocalNetwork"];

wire_enum! {
    /// `Connection/@type` of a `LocalNetworkSiteRef`: `Dedicated` is ExpressRoute.
    ConnectionType { IPsec = "IPsec", Dedicated = "Dedicated" }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteLocation {
    Location(String),
    AffinityGroup(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub name: String,
    pub address_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalNetworkSiteRef {
    pub name: String,
    pub connection_type: ConnectionType,
}

/// The modelled parts of a VNet's `Gateway` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GatewayConfig {
    pub vpn_client_address_pool: Vec<String>,
    pub connections: Vec<LocalNetworkSiteRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualNetworkSite {
    pub name: String,
    pub location: SiteLocation,
    pub address_space: Vec<String>,
    pub subnets: Vec<Subnet>,
    /// `None` when the site has no `Gateway` element. Writing `None` removes the modelled parts, and the
    /// element itself unless it holds content this view does not model.
    pub gateway: Option<GatewayConfig>,
}

/// A `LocalNetworkSite` (read only: the provider does not manage them, it only preserves them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalNetworkSite {
    pub name: String,
    pub address_space: Vec<String>,
    pub vpn_gateway_address: Option<String>,
}

/// The whole document. Construct with [`NetworkConfiguration::parse`] or [`NetworkConfiguration::empty`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfiguration {
    doc: Document,
}

impl VirtualNetworkSite {
    fn from_element(e: &Element) -> Result<Self, XmlError> {
        let name = req_attr(e, "name")?;
        let location = match (e.attr("Location"), e.attr("AffinityGroup")) {
            (Some(l), _) => SiteLocation::Location(l.to_string()),
            (None, Some(a)) => SiteLocation::AffinityGroup(a.to_string()),
            (None, None) => return Err(XmlError::Missing(format!("{name} @Location"))),
        };
        let subnets = e
            .child("Subnets")
            .map(|s| {
                s.children_named("Subnet")
                    .map(|sn| {
                        Ok(Subnet {
                            name: req_attr(sn, "name")?,
                            address_prefix: opt_text(sn, "AddressPrefix").unwrap_or_default(),
                        })
                    })
                    .collect::<Result<Vec<_>, XmlError>>()
            })
            .transpose()?
            .unwrap_or_default();
        let gateway = e.child("Gateway").map(gateway_from_element).transpose()?;
        Ok(VirtualNetworkSite {
            name,
            location,
            address_space: text_list(e, "AddressSpace", "AddressPrefix"),
            subnets,
            gateway,
        })
    }

    /// The subnet named exactly `GatewaySubnet`, if any.
    pub fn gateway_subnet(&self) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.name == "GatewaySubnet")
    }

    /// Updates the modelled parts of `e` to match `self`, leaving everything else untouched.
    fn apply_to(&self, e: &mut Element) {
        e.set_attr("name", &self.name);
        match &self.location {
            SiteLocation::Location(l) => {
                e.set_attr("Location", l);
                e.remove_attr("AffinityGroup");
            }
            SiteLocation::AffinityGroup(a) => {
                e.set_attr("AffinityGroup", a);
                e.remove_attr("Location");
            }
        }
        sync_prefixes(e, "AddressSpace", SITE_ORDER, &self.address_space, true);
        let current = VirtualNetworkSite::from_element(e).ok();
        if current.as_ref().map(|c| &c.subnets) != Some(&self.subnets) {
            sync_items(
                e,
                ListSpec {
                    container: "Subnets",
                    order: SITE_ORDER,
                    item: "Subnet",
                    keep_empty: false,
                },
                &self.subnets,
                |s| s.name.as_str(),
                |item, s| {
                    set_child_text(item, "AddressPrefix", &s.address_prefix, &["AddressPrefix"])
                },
            );
        }
        match &self.gateway {
            Some(g) => {
                if e.child("Gateway").is_none() {
                    let gw = e.new_sibling_named("Gateway");
                    e.insert_ordered(gw, SITE_ORDER);
                }
                if let Some(gw) = e.child_mut("Gateway") {
                    apply_gateway(g, gw);
                }
            }
            None => {
                if let Some(gw) = e.child_mut("Gateway") {
                    apply_gateway(&GatewayConfig::default(), gw);
                    if gw.elements().next().is_none() {
                        e.remove_children("Gateway");
                    }
                }
            }
        }
    }
}

fn gateway_from_element(g: &Element) -> Result<GatewayConfig, XmlError> {
    let connections = g
        .child("ConnectionsToLocalNetwork")
        .map(|c| {
            c.children_named("LocalNetworkSiteRef")
                .map(|r| {
                    let connection_type = match r.child("Connection").and_then(|c| c.attr("type")) {
                        Some(t) => t.parse()?,
                        // The service reads a bare reference as IPsec.
                        None => ConnectionType::IPsec,
                    };
                    Ok(LocalNetworkSiteRef {
                        name: req_attr(r, "name")?,
                        connection_type,
                    })
                })
                .collect::<Result<Vec<_>, XmlError>>()
        })
        .transpose()?
        .unwrap_or_default();
    Ok(GatewayConfig {
        vpn_client_address_pool: text_list(g, "VPNClientAddressPool", "AddressPrefix"),
        connections,
    })
}

fn apply_gateway(g: &GatewayConfig, gw: &mut Element) {
    sync_prefixes(
        gw,
        "VPNClientAddressPool",
        GATEWAY_ORDER,
        &g.vpn_client_address_pool,
        false,
    );
    let current = gateway_from_element(gw).ok().map(|c| c.connections);
    if current.as_ref() != Some(&g.connections) {
        sync_items(
            gw,
            ListSpec {
                container: "ConnectionsToLocalNetwork",
                order: GATEWAY_ORDER,
                item: "LocalNetworkSiteRef",
                keep_empty: false,
            },
            &g.connections,
            |r| r.name.as_str(),
            |item, r| {
                if item.child("Connection").is_none() {
                    item.children
                        .push(Node::Element(item.new_sibling_named("Connection")));
                }
                if let Some(c) = item.child_mut("Connection") {
                    c.set_attr("type", r.connection_type.as_str());
                }
            },
        );
    }
}

/// Where a list of keyed items lives in its parent.
struct ListSpec<'a> {
    container: &'a str,
    order: &'a [&'a str],
    item: &'a str,
    /// Keep an empty container element (required by the schema) rather than removing it.
    keep_empty: bool,
}

/// Makes the `item` children of `parent/container` match `desired`, in order. An existing item element
/// with the same key (`name` attribute) is reused, so its unknown children and attributes survive;
/// `update` then writes the modelled fields. Non-item children of the container are kept.
fn sync_items<T>(
    parent: &mut Element,
    spec: ListSpec<'_>,
    desired: &[T],
    key: impl Fn(&T) -> &str,
    update: impl Fn(&mut Element, &T),
) {
    if parent.child(spec.container).is_none() {
        if desired.is_empty() {
            return;
        }
        let c = parent.new_sibling_named(spec.container);
        parent.insert_ordered(c, spec.order);
    }
    let Some(container) = parent.child_mut(spec.container) else {
        return;
    };
    let mut old: Vec<Element> = Vec::new();
    let mut kept: Vec<Node> = Vec::new();
    for node in std::mem::take(&mut container.children) {
        match node {
            Node::Element(e) if e.local_name() == spec.item => old.push(e),
            Node::Text(t) if t.trim().is_empty() => {}
            other => kept.push(other),
        }
    }
    let mut items: Vec<Node> = desired
        .iter()
        .map(|d| {
            let existing = old
                .iter()
                .position(|e| e.attr("name") == Some(key(d)))
                .map(|i| old.remove(i));
            let mut item = existing.unwrap_or_else(|| {
                container
                    .new_sibling_named(spec.item)
                    .with_attr("name", key(d))
            });
            update(&mut item, d);
            Node::Element(item)
        })
        .collect();
    items.extend(kept);
    container.children = items;
    let empty = container.elements().next().is_none();
    if empty && !spec.keep_empty {
        parent.remove_children(spec.container);
    }
}

/// Makes the `AddressPrefix` children of `parent/container` equal `desired`, touching nothing when they
/// already are.
fn sync_prefixes(
    parent: &mut Element,
    container: &str,
    order: &[&str],
    desired: &[String],
    keep_empty: bool,
) {
    if text_list(parent, container, "AddressPrefix") == desired {
        if keep_empty && parent.child(container).is_none() {
            let c = parent.new_sibling_named(container);
            parent.insert_ordered(c, order);
        }
        return;
    }
    if parent.child(container).is_none() {
        let c = parent.new_sibling_named(container);
        parent.insert_ordered(c, order);
    }
    let Some(c) = parent.child_mut(container) else {
        return;
    };
    c.children.retain(|n| match n {
        Node::Element(e) => e.local_name() != "AddressPrefix",
        Node::Text(t) => !t.trim().is_empty(),
        _ => true,
    });
    let prefixes: Vec<Node> = desired
        .iter()
        .map(|p| Node::Element(c.new_sibling_named("AddressPrefix").with_text(p)))
        .collect();
    c.children.splice(0..0, prefixes);
    if c.elements().next().is_none() && !keep_empty {
        parent.remove_children(container);
    }
}

/// Sets the text of child `local`, creating it when absent.
fn set_child_text(parent: &mut Element, local: &str, text: &str, order: &[&str]) {
    if parent.child(local).is_none() {
        let c = parent.new_sibling_named(local);
        parent.insert_ordered(c, order);
    }
    if let Some(c) = parent.child_mut(local) {
        if c.text().trim() != text {
            c.set_text(text);
        }
    }
}

impl NetworkConfiguration {
    /// The document of a subscription with no configuration yet.
    pub fn empty() -> Self {
        let root = Element::new("NetworkConfiguration")
            .with_attr("xmlns:xsd", XSD_NS)
            .with_attr("xmlns:xsi", XSI_NS)
            .with_attr("xmlns", NETCFG_NS)
            .with_child(Element::new("VirtualNetworkConfiguration"));
        NetworkConfiguration {
            doc: Document::new(root),
        }
    }

    /// Parses and validates a document: well-formed, root `NetworkConfiguration`, and every modelled part
    /// of every site readable (so later typed reads cannot fail).
    pub fn parse(input: &str) -> Result<Self, XmlError> {
        let doc = Document::parse(input)?;
        super::value::expect_root(&doc.root, "NetworkConfiguration")?;
        let cfg = NetworkConfiguration { doc };
        for e in cfg.site_elements() {
            VirtualNetworkSite::from_element(e)?;
        }
        for e in cfg.local_site_elements() {
            req_attr(e, "name")?;
        }
        Ok(cfg)
    }

    pub fn to_xml(&self) -> String {
        self.doc.to_xml()
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    fn section(&self, local: &str) -> Option<&Element> {
        self.doc
            .root
            .child("VirtualNetworkConfiguration")
            .and_then(|v| v.child(local))
    }

    fn site_elements(&self) -> impl Iterator<Item = &Element> {
        self.section("VirtualNetworkSites")
            .into_iter()
            .flat_map(|s| s.children_named("VirtualNetworkSite"))
    }

    fn local_site_elements(&self) -> impl Iterator<Item = &Element> {
        self.section("LocalNetworkSites")
            .into_iter()
            .flat_map(|s| s.children_named("LocalNetworkSite"))
    }

    /// All virtual network sites, in document order.
    pub fn virtual_network_sites(&self) -> Vec<VirtualNetworkSite> {
        // `parse` and `upsert` only admit readable sites, so nothing is skipped here.
        self.site_elements()
            .filter_map(|e| VirtualNetworkSite::from_element(e).ok())
            .collect()
    }

    pub fn virtual_network_site(&self, name: &str) -> Option<VirtualNetworkSite> {
        self.site_elements()
            .find(|e| e.attr("name") == Some(name))
            .and_then(|e| VirtualNetworkSite::from_element(e).ok())
    }

    pub fn local_network_sites(&self) -> Vec<LocalNetworkSite> {
        self.local_site_elements()
            .filter_map(|e| {
                Some(LocalNetworkSite {
                    name: e.attr("name")?.to_string(),
                    address_space: text_list(e, "AddressSpace", "AddressPrefix"),
                    vpn_gateway_address: opt_text(e, "VPNGatewayAddress"),
                })
            })
            .collect()
    }

    /// Inserts a site, or updates the modelled parts of the existing site with the same name in place.
    pub fn upsert_virtual_network_site(&mut self, site: &VirtualNetworkSite) {
        let root = &mut self.doc.root;
        if root.child("VirtualNetworkConfiguration").is_none() {
            let v = root.new_sibling_named("VirtualNetworkConfiguration");
            root.insert_ordered(v, ROOT_ORDER);
        }
        let Some(vnc) = root.child_mut("VirtualNetworkConfiguration") else {
            return;
        };
        if vnc.child("VirtualNetworkSites").is_none() {
            let s = vnc.new_sibling_named("VirtualNetworkSites");
            vnc.insert_ordered(s, VNC_ORDER);
        }
        let Some(sites) = vnc.child_mut("VirtualNetworkSites") else {
            return;
        };
        let existing = sites
            .elements_mut()
            .find(|e| e.local_name() == "VirtualNetworkSite" && e.attr("name") == Some(&site.name));
        match existing {
            Some(e) => site.apply_to(e),
            None => {
                let mut e = sites.new_sibling_named("VirtualNetworkSite");
                site.apply_to(&mut e);
                sites.insert_ordered(e, &[]);
            }
        }
    }

    /// Removes the site with this name; true when it existed.
    pub fn remove_virtual_network_site(&mut self, name: &str) -> bool {
        self.doc
            .root
            .child_mut("VirtualNetworkConfiguration")
            .and_then(|v| v.child_mut("VirtualNetworkSites"))
            .is_some_and(|sites| {
                sites.remove_elements(|e| {
                    e.local_name() == "VirtualNetworkSite" && e.attr("name") == Some(name)
                }) > 0
            })
    }

    /// The form the service returns on read-back: no prolog, comments stripped, a bare
    /// `LocalNetworkSiteRef` given `<Connection type="IPsec" />`, and `xmlns:xsd` / `xmlns:xsi` on the root.
    pub fn normalized(&self) -> NetworkConfiguration {
        let mut doc = Document::new(self.doc.root.clone());
        doc.root.strip_comments();
        // Inserted in reverse at the front so the root reads `xmlns:xsd xmlns:xsi xmlns` as the service writes.
        for (attr, ns) in [("xmlns:xsi", XSI_NS), ("xmlns:xsd", XSD_NS)] {
            if doc.root.attr(attr).is_none() {
                doc.root.attributes.insert(
                    0,
                    super::tree::Attribute {
                        name: attr.to_string(),
                        value: ns.to_string(),
                    },
                );
            }
        }
        let sites = doc
            .root
            .child_mut("VirtualNetworkConfiguration")
            .and_then(|v| v.child_mut("VirtualNetworkSites"));
        for site in sites.into_iter().flat_map(|s| s.elements_mut()) {
            let refs = site
                .child_mut("Gateway")
                .and_then(|g| g.child_mut("ConnectionsToLocalNetwork"));
            for r in refs.into_iter().flat_map(|c| c.elements_mut()) {
                if r.local_name() == "LocalNetworkSiteRef" && r.child("Connection").is_none() {
                    let c = r.new_sibling_named("Connection").with_attr("type", "IPsec");
                    r.children
                        .retain(|n| !matches!(n, Node::Text(t) if t.trim().is_empty()));
                    r.children.push(Node::Element(c));
                }
            }
        }
        NetworkConfiguration { doc }
    }
}

#[cfg(test)]
#[path = "netcfg_tests.rs"]
mod tests;
