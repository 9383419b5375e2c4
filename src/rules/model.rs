//! The typed topology the rules read. Every attribute is a [`Fact`]: known, or unknown (a value
//! Terraform will only learn at apply). Optional attributes are `Fact<Option<T>>` (known absent is
//! `Known(None)`); lists are `Fact<Vec<..>>` whose elements may themselves be unknown. Addresses,
//! prefixes, names and ids stay as the user wrote them so that NET-CIDR / NET-NAMES can point at the
//! exact value; enum attributes are parsed up front (see [`crate::rules::enum_fact`]).

use crate::rules::enums::{
    CircuitStatus, ConnectionType, GatewayType, ProvisioningState, SiteConnectionType, Sku,
};

/// A value that is known, or not yet known (Terraform's "known after apply").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Fact<T> {
    Known(T),
    #[default]
    Unknown,
}

impl<T> From<T> for Fact<T> {
    fn from(value: T) -> Self {
        Fact::Known(value)
    }
}

impl<T> Fact<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(v) => Some(v),
            Fact::Unknown => None,
        }
    }

    pub fn as_ref(&self) -> Fact<&T> {
        match self {
            Fact::Known(v) => Fact::Known(v),
            Fact::Unknown => Fact::Unknown,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fact<U> {
        match self {
            Fact::Known(v) => Fact::Known(f(v)),
            Fact::Unknown => Fact::Unknown,
        }
    }

    pub fn and_then<U>(self, f: impl FnOnce(T) -> Fact<U>) -> Fact<U> {
        match self {
            Fact::Known(v) => f(v),
            Fact::Unknown => Fact::Unknown,
        }
    }

    /// True only when the value is known and satisfies `f`: what a rule needs before it reports.
    pub fn is_known_and(&self, f: impl FnOnce(&T) -> bool) -> bool {
        self.known().is_some_and(f)
    }
}

impl Fact<bool> {
    pub fn is_true(self) -> bool {
        self == Fact::Known(true)
    }

    /// Known true if either is; known false only if both are.
    pub fn or(self, other: Fact<bool>) -> Fact<bool> {
        match (self, other) {
            (Fact::Known(true), _) | (_, Fact::Known(true)) => Fact::Known(true),
            (Fact::Known(false), Fact::Known(false)) => Fact::Known(false),
            _ => Fact::Unknown,
        }
    }
}

/// A list of strings whose elements may be unknown (address spaces, client pools).
pub type FactList = Fact<Vec<Fact<String>>>;

/// `azureclassic_virtual_network`: a VirtualNetworkSite of the network configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VnetFacts {
    pub name: Fact<String>,
    pub location: Fact<String>,
    pub address_space: FactList,
    pub subnets: Fact<Vec<SubnetFacts>>,
    pub local_network_site_refs: Fact<Vec<SiteRefFacts>>,
    /// Point-to-site client pool; an empty list when not configured.
    pub vpn_client_address_pool: FactList,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubnetFacts {
    pub name: Fact<String>,
    pub address_prefix: Fact<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteRefFacts {
    pub name: Fact<String>,
    pub connection_type: Fact<SiteConnectionType>,
}

/// The VNet's own gateway, `{vnet}/gateway`: the ExpressRoute gateway of the procedure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpressRouteGatewayFacts {
    pub sku: Fact<Sku>,
    pub gateway_type: Fact<GatewayType>,
    /// Unknown for a gateway that is only planned.
    pub state: Fact<ProvisioningState>,
}

/// A gateway of the multi-gateway API: the Site-to-Site VPN gateway of the procedure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VpnGatewayFacts {
    pub name: Fact<String>,
    pub sku: Fact<Sku>,
    pub gateway_type: Fact<GatewayType>,
    /// Forced tunnelling when set.
    pub default_site: Fact<Option<String>>,
    /// The provider's ordering reference; the service knows no such thing (use `Unknown` there).
    pub expressroute_circuit_link_id: Fact<Option<String>>,
    pub state: Fact<ProvisioningState>,
}

/// `azureclassic_virtual_network_gateway`, by its `type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayFacts {
    ExpressRoute(ExpressRouteGatewayFacts),
    Vpn(VpnGatewayFacts),
}

/// An ExpressRoute circuit (pre-provisioned; read by service key).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CircuitFacts {
    pub service_key: Fact<String>,
    pub status: Fact<CircuitStatus>,
    pub service_provider_provisioning_state: Fact<ProvisioningState>,
}

/// `azureclassic_dedicated_circuit_link`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CircuitLinkFacts {
    pub service_key: Fact<String>,
    pub virtual_network_name: Fact<String>,
    /// The provider's ordering reference; `Unknown` where the service is asked.
    pub expressroute_gateway_id: Fact<String>,
    pub state: Fact<ProvisioningState>,
}

/// `azureclassic_local_network_gateway`: an on-premises site reached over Site-to-Site VPN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalNetworkGatewayFacts {
    pub name: Fact<String>,
    pub ip_address: Fact<String>,
    pub address_space: FactList,
}

/// `azureclassic_gateway_connection`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionFacts {
    pub name: Fact<String>,
    pub connection_type: Fact<ConnectionType>,
    pub virtual_network_gateway_id: Fact<String>,
    pub local_network_gateway_id: Fact<String>,
    pub routing_weight: Fact<Option<i64>>,
}

/// What a gateway's rules may know about its surroundings. `Unknown` (the default) means "not
/// available": the rule that needs it stays silent. `Known(None)` means known not to exist.
#[derive(Clone, Debug, Default)]
pub struct GatewayContext<'a> {
    pub vnet: Fact<&'a VnetFacts>,
    pub expressroute_gateway: Fact<Option<&'a ExpressRouteGatewayFacts>>,
    /// The VNet's VPN gateways other than the one being checked.
    pub vpn_gateways: Fact<Vec<&'a VpnGatewayFacts>>,
    /// The VNet's circuit link.
    pub circuit_link: Fact<Option<&'a CircuitLinkFacts>>,
}

#[derive(Clone, Debug, Default)]
pub struct CircuitLinkContext<'a> {
    pub vnet: Fact<&'a VnetFacts>,
    pub expressroute_gateway: Fact<Option<&'a ExpressRouteGatewayFacts>>,
    pub circuit: Fact<Option<&'a CircuitFacts>>,
}

#[derive(Clone, Debug, Default)]
pub struct ConnectionContext<'a> {
    /// The VNet of the connection's virtual network gateway.
    pub vnet: Fact<&'a VnetFacts>,
    pub local_network_gateway: Fact<Option<&'a LocalNetworkGatewayFacts>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn or_is_known_false_only_when_both_are() {
        use Fact::{Known, Unknown};
        let cases = [
            (Known(true), Unknown, Known(true)),
            (Unknown, Known(true), Known(true)),
            (Known(false), Known(false), Known(false)),
            (Known(false), Unknown, Unknown),
            (Unknown, Unknown, Unknown),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.or(b), want, "{a:?} or {b:?}");
        }
    }

    #[test]
    fn unknown_satisfies_nothing() {
        let f: Fact<u8> = Fact::Unknown;
        assert!(!f.is_known_and(|_| true));
        assert!(Fact::Known(3).is_known_and(|v| *v == 3));
        assert_eq!(Fact::Known(2).map(|v| v * 2), Fact::Known(4));
        assert_eq!(f.and_then(|v| Fact::Known(v + 1)), Fact::Unknown);
    }
}
