//! `azureclassic_virtual_network`: a VirtualNetworkSite in the subscription's network configuration.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::pending::AwaitingClient;
use super::values::check_enum;
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Diagnostics, NestedBlock, Plan, Resource, Schema,
    Type, Value,
};
use crate::rules::{SiteConnectionType, GATEWAY_SUBNET};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualNetworkModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub location: Attr<String>,
    pub address_space: Attr<Vec<Attr<String>>>,
    pub subnet: Vec<SubnetModel>,
    pub local_network_site_ref: Vec<SiteRefModel>,
    pub vpn_client_address_pool: Attr<Vec<Attr<String>>>,
    pub vnet_id: Attr<String>,
    pub gateway_subnet_prefix: Attr<String>,
    pub expressroute: Attr<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubnetModel {
    pub name: Attr<String>,
    pub address_prefix: Attr<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteRefModel {
    pub name: Attr<String>,
    pub connection_type: Attr<String>,
}

pub struct VirtualNetwork;

impl AwaitingClient for VirtualNetwork {}

#[async_trait]
impl Resource for VirtualNetwork {
    type Model = VirtualNetworkModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_virtual_network"
    }

    fn schema(&self) -> Schema {
        let cidr_list = Type::list(Type::String);
        Schema::new(
            Block::new(
                "A classic virtual network (a `VirtualNetworkSite` of the subscription's network \
                 configuration). Other virtual networks in that configuration are left untouched.",
            )
            .attribute(
                Attribute::computed("id", Type::String)
                    .use_state_for_unknown()
                    .description("The virtual network's id: its name."),
            )
            .attribute(
                Attribute::required("name", Type::String)
                    .requires_replace()
                    .description("The virtual network's name, unique in the subscription. Changing it creates a new network."),
            )
            .attribute(
                Attribute::required("location", Type::String)
                    .requires_replace()
                    .description("The Azure region, e.g. `West Europe`. Changing it creates a new network."),
            )
            .attribute(
                Attribute::required("address_space", cidr_list.clone())
                    .description("The address prefixes of the network, in CIDR notation (`10.1.0.0/16`)."),
            )
            .attribute(Attribute::optional("vpn_client_address_pool", cidr_list).description(
                "Address prefixes handed to point-to-site VPN clients. Not allowed on a network \
                 connected to ExpressRoute.",
            ))
            .attribute(
                Attribute::computed("vnet_id", Type::String)
                    .use_state_for_unknown()
                    .description("The GUID the service gives the virtual network."),
            )
            .attribute(Attribute::computed("gateway_subnet_prefix", Type::String).description(
                "The address prefix of the subnet named `GatewaySubnet`, or null without one. Known at \
                 plan time from the configuration.",
            ))
            .attribute(Attribute::computed("expressroute", Type::Bool).description(
                "True when a `local_network_site_ref` has connection type `Dedicated` (ExpressRoute). Known \
                 at plan time from the configuration.",
            ))
            .block(
                NestedBlock::list(
                    "subnet",
                    Block::new("A subnet. Gateways need one named exactly `GatewaySubnet`: /27 or shorter for coexisting ExpressRoute and VPN gateways.")
                        .attribute(
                            Attribute::required("name", Type::String)
                                .description("The subnet's name (`GatewaySubnet` for the gateway subnet)."),
                        )
                        .attribute(
                            Attribute::required("address_prefix", Type::String)
                                .description("The subnet's prefix in CIDR notation, inside `address_space`."),
                        ),
                )
                .min_items(1),
            )
            .block(NestedBlock::list(
                "local_network_site_ref",
                Block::new("A site the virtual network's gateway connects to.")
                    .attribute(
                        Attribute::required("name", Type::String)
                            .description("The local network site's name, or the ExpressRoute circuit's site."),
                    )
                    .attribute(
                        Attribute::optional_computed("connection_type", Type::String)
                            .default(Value::string("IPsec"))
                            .description("`Dedicated` for ExpressRoute, `IPsec` (the default) for a site-to-site VPN."),
                    ),
            )),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &VirtualNetworkModel,
        diags: &mut Diagnostics,
    ) {
        for (i, site) in config.local_network_site_ref.iter().enumerate() {
            let path = AttrPath::attr("local_network_site_ref")
                .join_index(i)
                .join_attr("connection_type");
            check_enum::<SiteConnectionType>(&site.connection_type, path, diags);
        }
    }

    async fn modify_plan(&self, _ctx: &Context, plan: &mut Plan<VirtualNetworkModel>) {
        let planned = &mut plan.planned;
        planned.id = planned.name.clone();
        planned.gateway_subnet_prefix = gateway_subnet_prefix(&planned.subnet);
        planned.expressroute = has_expressroute(&planned.local_network_site_ref);
    }
}

/// The GatewaySubnet's prefix: unknown while any subnet name it could be is unknown.
fn gateway_subnet_prefix(subnets: &[SubnetModel]) -> Attr<String> {
    if let Some(s) = subnets
        .iter()
        .find(|s| s.name.known_str() == Some(GATEWAY_SUBNET))
    {
        return s.address_prefix.clone();
    }
    if subnets.iter().any(|s| s.name.is_unknown()) {
        return Attr::Unknown;
    }
    Attr::Null
}

/// Whether a `Dedicated` site reference exists: unknown while an unknown one could decide it.
fn has_expressroute(sites: &[SiteRefModel]) -> Attr<bool> {
    if sites
        .iter()
        .any(|s| s.connection_type.known_str() == Some("Dedicated"))
    {
        return Attr::Known(true);
    }
    if sites.iter().any(|s| s.connection_type.is_unknown()) {
        return Attr::Unknown;
    }
    Attr::Known(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subnet(name: Attr<String>, prefix: &str) -> SubnetModel {
        SubnetModel {
            name,
            address_prefix: Attr::Known(prefix.into()),
        }
    }

    #[test]
    fn gateway_subnet_prefix_is_planned_from_configuration() {
        let known = |s: &str| Attr::Known(s.to_string());
        let subnets = [
            subnet(known("FrontEnd"), "10.0.0.0/24"),
            subnet(known("GatewaySubnet"), "10.0.1.0/27"),
        ];
        assert_eq!(gateway_subnet_prefix(&subnets), known("10.0.1.0/27"));
        assert_eq!(gateway_subnet_prefix(&subnets[..1]), Attr::Null);
        assert_eq!(
            gateway_subnet_prefix(&[subnet(Attr::Unknown, "10.0.0.0/24")]),
            Attr::Unknown
        );
    }

    #[test]
    fn expressroute_follows_dedicated_site_refs() {
        let site = |t: Attr<String>| SiteRefModel {
            name: Attr::Known("s".into()),
            connection_type: t,
        };
        assert_eq!(
            has_expressroute(&[site(Attr::Known("IPsec".into()))]),
            Attr::Known(false)
        );
        assert_eq!(
            has_expressroute(&[site(Attr::Unknown), site(Attr::Known("Dedicated".into()))]),
            Attr::Known(true)
        );
        assert_eq!(has_expressroute(&[site(Attr::Unknown)]), Attr::Unknown);
        assert_eq!(has_expressroute(&[]), Attr::Known(false));
    }
}
