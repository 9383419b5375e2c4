//! The coexistence rules of design.md section 3 as pure functions over a typed model: no I/O, no
//! protocol types. The provider calls the per-resource entry points at plan time, where values may
//! be unknown; the emulator calls [`check_topology`] server-side, where everything is known.
//!
//! Every finding carries a rule id ([`RuleId`]), a severity, the attribute path of the offending
//! value relative to the resource checked, and a message with the value, the procedure's reason
//! and the fix. Unknown values never produce findings.
//!
//! ```
//! use azureclassic::rules::{
//!     check_gateway, enum_fact, AttrPath, Fact, GatewayContext, GatewayFacts, SiteConnectionType,
//!     SiteRefFacts, Sku, SubnetFacts, VnetFacts, VpnGatewayFacts,
//! };
//!
//! // The VNet as planned: a /28 GatewaySubnet and an ExpressRoute (Dedicated) site reference.
//! let vnet = VnetFacts {
//!     name: Fact::Known("MyAzureVNET".into()),
//!     address_space: Fact::Known(vec![Fact::Known("10.17.159.192/26".into())]),
//!     subnets: Fact::Known(vec![SubnetFacts {
//!         name: Fact::Known("GatewaySubnet".into()),
//!         address_prefix: Fact::Known("10.17.159.240/28".into()),
//!     }]),
//!     local_network_site_refs: Fact::Known(vec![SiteRefFacts {
//!         name: Fact::Known("MyLocalNetwork".into()),
//!         connection_type: Fact::Known(SiteConnectionType::Dedicated),
//!     }]),
//!     ..VnetFacts::default()
//! };
//! // A VPN gateway whose SKU comes from configuration and whose link id is not known yet.
//! let sku = enum_fact::<Sku>(Fact::Known("Standard"), AttrPath::of("gateway_sku"))?;
//! let vpn = GatewayFacts::Vpn(VpnGatewayFacts {
//!     name: Fact::Known("S2SVPN".into()),
//!     sku,
//!     default_site: Fact::Known(None),
//!     ..VpnGatewayFacts::default()
//! });
//! let context = GatewayContext { vnet: Fact::Known(&vnet), ..GatewayContext::default() };
//! let findings = check_gateway(&vpn, &context);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].rule.as_str(), "CX-GWSUBNET");
//! assert_eq!(findings[0].path.to_string(), "virtual_network_name");
//! # Ok::<(), azureclassic::rules::Finding>(())
//! ```

mod checks;
pub mod cidr;
mod circuit;
mod dedicated;
mod derived;
mod enums;
mod finding;
mod forced_tunnel;
mod gateway_subnet;
mod model;
mod names;
mod network;
mod order;
mod p2s;
mod resize;
mod routing;
mod sku;
#[cfg(test)]
mod testkit;
mod topology;
mod transit;
#[cfg(test)]
mod unknown_props;

pub use checks::{
    check_circuit_link, check_connection, check_gateway, check_local_network_gateway,
    check_virtual_network,
};
pub use derived::{GatewaySubnet, GATEWAY_SUBNET};
pub use enums::{
    parse_exact, CircuitStatus, ConnectionType, GatewayKind, GatewayType, ParseEnumError,
    ProvisioningState, SiteConnectionType, Sku, StringEnum,
};
pub use finding::{has_errors, AttrPath, Explanation, Finding, PathStep, RuleId, Severity};
pub use gateway_subnet::{COEXISTENCE_MAX_PREFIX, GATEWAY_MAX_PREFIX};
pub use model::{
    CircuitFacts, CircuitLinkContext, CircuitLinkFacts, ConnectionContext, ConnectionFacts,
    ExpressRouteGatewayFacts, Fact, FactList, GatewayContext, GatewayFacts,
    LocalNetworkGatewayFacts, SiteRefFacts, SubnetFacts, VnetFacts, VpnGatewayFacts,
};
pub use names::enum_fact;
pub use resize::{gateway_resize, ResizeDecision};
pub use topology::{
    check_topology, LocatedFinding, Subject, Topology, TopologyGateway, TopologyLocalNetworkGateway,
};
