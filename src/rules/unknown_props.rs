//! Property: making any fact unknown never adds a finding. Whatever a rule reports on a partly
//! unknown configuration, it also reports once everything is known; so plan time (unknowns) can
//! only be quieter than apply time and the emulator, never noisier or contradictory.

use std::collections::HashSet;

use proptest::prelude::*;

use crate::rules::checks::{check_connection, check_gateway, check_virtual_network};
use crate::rules::enums::{
    ConnectionType, GatewayType, ProvisioningState, SiteConnectionType, Sku, StringEnum,
};
use crate::rules::finding::{Finding, Severity};
use crate::rules::model::{
    CircuitLinkFacts, ConnectionContext, ConnectionFacts, ExpressRouteGatewayFacts, Fact, FactList,
    GatewayContext, GatewayFacts, LocalNetworkGatewayFacts, SiteRefFacts, SubnetFacts, VnetFacts,
    VpnGatewayFacts,
};

const PREFIXES: &[&str] = &[
    "10.17.159.192/26",
    "10.17.159.192/27",
    "10.17.159.224/27",
    "10.17.159.240/28",
    "10.17.159.248/29",
    "10.17.159.252/30",
    "10.17.0.0/16",
    "10.17.159.200/26",
    "10.1.2.0/24",
    "junk",
];
const NAMES: &[&str] = &[
    "GatewaySubnet",
    "gatewaysubnet",
    "Subnet-1",
    "MyLocalNetwork",
    "bad/",
];

/// Replaces facts with `Unknown` where the mask says so.
struct Forget {
    mask: Vec<bool>,
    pos: usize,
}

impl Forget {
    fn fact<T>(&mut self, fact: Fact<T>) -> Fact<T> {
        let forget = !self.mask.is_empty() && self.mask[self.pos % self.mask.len()];
        self.pos += 1;
        if forget {
            Fact::Unknown
        } else {
            fact
        }
    }

    fn list(&mut self, list: FactList) -> FactList {
        let list = list.map(|items| items.into_iter().map(|i| self.fact(i)).collect());
        self.fact(list)
    }

    fn vnet(&mut self, v: VnetFacts) -> VnetFacts {
        let subnets = v.subnets.map(|s| {
            s.into_iter()
                .map(|s| SubnetFacts {
                    name: self.fact(s.name),
                    address_prefix: self.fact(s.address_prefix),
                })
                .collect()
        });
        let refs = v.local_network_site_refs.map(|r| {
            r.into_iter()
                .map(|r| SiteRefFacts {
                    name: self.fact(r.name),
                    connection_type: self.fact(r.connection_type),
                })
                .collect()
        });
        VnetFacts {
            name: self.fact(v.name),
            location: self.fact(v.location),
            address_space: self.list(v.address_space),
            subnets: self.fact(subnets),
            local_network_site_refs: self.fact(refs),
            vpn_client_address_pool: self.list(v.vpn_client_address_pool),
        }
    }

    fn vpn(&mut self, g: VpnGatewayFacts) -> VpnGatewayFacts {
        VpnGatewayFacts {
            name: self.fact(g.name),
            sku: self.fact(g.sku),
            gateway_type: self.fact(g.gateway_type),
            default_site: self.fact(g.default_site),
            expressroute_circuit_link_id: self.fact(g.expressroute_circuit_link_id),
            state: self.fact(g.state),
        }
    }

    fn expressroute(&mut self, g: ExpressRouteGatewayFacts) -> ExpressRouteGatewayFacts {
        ExpressRouteGatewayFacts {
            sku: self.fact(g.sku),
            gateway_type: self.fact(g.gateway_type),
            state: self.fact(g.state),
        }
    }
}

fn text(pool: &'static [&'static str]) -> impl Strategy<Value = Fact<String>> {
    prop::sample::select(pool).prop_map(|s| Fact::Known(s.to_owned()))
}

fn prefixes(max: usize) -> impl Strategy<Value = FactList> {
    prop::collection::vec(text(PREFIXES), 0..=max).prop_map(Fact::Known)
}

fn one_of<T: Copy + std::fmt::Debug + 'static>(
    values: &'static [T],
) -> impl Strategy<Value = Fact<T>> {
    prop::sample::select(values).prop_map(Fact::Known)
}

fn vnet() -> impl Strategy<Value = VnetFacts> {
    let subnet = (text(NAMES), text(PREFIXES)).prop_map(|(name, address_prefix)| SubnetFacts {
        name,
        address_prefix,
    });
    let site_ref =
        (text(NAMES), one_of(SiteConnectionType::VALUES)).prop_map(|(name, connection_type)| {
            SiteRefFacts {
                name,
                connection_type,
            }
        });
    (
        prefixes(2),
        prop::collection::vec(subnet, 0..4),
        prop::collection::vec(site_ref, 0..3),
        prefixes(1),
    )
        .prop_map(|(address_space, subnets, refs, pool)| VnetFacts {
            name: Fact::Known("MyAzureVNET".into()),
            location: Fact::Known("Central US".into()),
            address_space,
            subnets: Fact::Known(subnets),
            local_network_site_refs: Fact::Known(refs),
            vpn_client_address_pool: pool,
        })
}

fn optional(pool: &'static [&'static str]) -> impl Strategy<Value = Fact<Option<String>>> {
    prop::option::of(prop::sample::select(pool)).prop_map(|s| Fact::Known(s.map(str::to_owned)))
}

fn vpn_gateway() -> impl Strategy<Value = VpnGatewayFacts> {
    (
        one_of(Sku::VALUES),
        one_of(GatewayType::VALUES),
        optional(NAMES),
        optional(&["key/MyAzureVNET"]),
        one_of(ProvisioningState::VALUES),
    )
        .prop_map(
            |(sku, gateway_type, default_site, link, state)| VpnGatewayFacts {
                name: Fact::Known("S2SVPN".into()),
                sku,
                gateway_type,
                default_site,
                expressroute_circuit_link_id: link,
                state,
            },
        )
}

fn expressroute_gateway() -> impl Strategy<Value = ExpressRouteGatewayFacts> {
    (
        one_of(Sku::VALUES),
        one_of(GatewayType::VALUES),
        one_of(ProvisioningState::VALUES),
    )
        .prop_map(|(sku, gateway_type, state)| ExpressRouteGatewayFacts {
            sku,
            gateway_type,
            state,
        })
}

/// The fact, or `Unknown` when `forget`.
fn pick<T>(forget: bool, fact: Fact<T>) -> Fact<T> {
    if forget {
        Fact::Unknown
    } else {
        fact
    }
}

type Seen = HashSet<(&'static str, Severity, String)>;

fn seen(findings: &[Finding]) -> Seen {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity, f.path.to_string()))
        .collect()
}

fn assert_quieter(partial: &[Finding], full: &[Finding]) -> Result<(), TestCaseError> {
    let extra: Vec<_> = seen(partial).difference(&seen(full)).cloned().collect();
    prop_assert!(extra.is_empty(), "unknowns added {extra:?}");
    Ok(())
}

proptest! {
    #[test]
    fn forgetting_vnet_facts_never_adds_findings(v in vnet(), mask in prop::collection::vec(any::<bool>(), 1..40)) {
        let full = check_virtual_network(&v);
        let partial = check_virtual_network(&Forget { mask, pos: 0 }.vnet(v));
        assert_quieter(&partial, &full)?;
    }

    #[test]
    fn forgetting_gateway_facts_never_adds_findings(
        v in vnet(),
        vpn in vpn_gateway(),
        er in prop::option::of(expressroute_gateway()),
        link_state in prop::option::of(one_of(ProvisioningState::VALUES)),
        mask in prop::collection::vec(any::<bool>(), 1..60),
        forget_context in any::<[bool; 4]>(),
    ) {
        let link = link_state.map(|state| CircuitLinkFacts { state, ..Default::default() });
        let full_context = GatewayContext {
            vnet: Fact::Known(&v),
            expressroute_gateway: Fact::Known(er.as_ref()),
            vpn_gateways: Fact::Known(vec![&vpn]),
            circuit_link: Fact::Known(link.as_ref()),
        };
        let mut forget = Forget { mask, pos: 0 };
        let v2 = forget.vnet(v.clone());
        let vpn2 = forget.vpn(vpn.clone());
        let er2 = er.clone().map(|g| forget.expressroute(g));
        let partial_context = GatewayContext {
            vnet: pick(forget_context[0], Fact::Known(&v2)),
            expressroute_gateway: pick(forget_context[1], Fact::Known(er2.as_ref())),
            vpn_gateways: pick(forget_context[2], Fact::Known(vec![&vpn2])),
            circuit_link: pick(forget_context[3], Fact::Known(link.as_ref())),
        };
        for (gateway, partial_gateway) in [
            (GatewayFacts::Vpn(vpn.clone()), GatewayFacts::Vpn(vpn2.clone())),
            (
                GatewayFacts::ExpressRoute(er.clone().unwrap_or_default()),
                GatewayFacts::ExpressRoute(er2.clone().unwrap_or_default()),
            ),
        ] {
            let full = check_gateway(&gateway, &full_context);
            let partial = check_gateway(&partial_gateway, &partial_context);
            assert_quieter(&partial, &full)?;
        }
    }

    #[test]
    fn forgetting_connection_facts_never_adds_findings(
        v in vnet(),
        space in prefixes(2),
        site in text(NAMES),
        mask in prop::collection::vec(any::<bool>(), 1..40),
    ) {
        let local = LocalNetworkGatewayFacts {
            name: site,
            ip_address: Fact::Known("23.39.1.2".into()),
            address_space: space,
        };
        let connection = ConnectionFacts {
            name: Fact::Known("Azure2Local".into()),
            connection_type: Fact::Known(ConnectionType::IPsec),
            ..Default::default()
        };
        let full = check_connection(&connection, &ConnectionContext {
            vnet: Fact::Known(&v),
            local_network_gateway: Fact::Known(Some(&local)),
        });
        let mut forget = Forget { mask, pos: 0 };
        let v2 = forget.vnet(v.clone());
        let local2 = LocalNetworkGatewayFacts {
            name: forget.fact(local.name.clone()),
            ip_address: forget.fact(local.ip_address.clone()),
            address_space: forget.list(local.address_space.clone()),
        };
        let partial = check_connection(&connection, &ConnectionContext {
            vnet: Fact::Known(&v2),
            local_network_gateway: Fact::Known(Some(&local2)),
        });
        assert_quieter(&partial, &full)?;
    }
}
