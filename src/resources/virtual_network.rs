//! `azureclassic_virtual_network`: a VirtualNetworkSite in the subscription's network configuration.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::facts::{self, vnet_facts};
use super::findings::diagnostics;
use super::registry;
use super::service::{self, api_error, deleted, outcome, ServiceCall, QUICK};
use super::values::check_enum;
use crate::asm::client::{Client, ClientError, NetcfgError};
use crate::asm::xml::netcfg::{
    ConnectionType, GatewayConfig, LocalNetworkSiteRef, NetworkConfiguration, SiteLocation, Subnet,
    VirtualNetworkSite,
};
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Create, Delete, Diagnostic, Diagnostics,
    NestedBlock, Plan, Read, Resource, ResourceCrud, Schema, StateResult, Type, Update, Value,
};
use crate::rules::{check_virtual_network, SiteConnectionType, GATEWAY_SUBNET};

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
        diags.extend(diagnostics(check_virtual_network(&vnet_facts(config))));
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut Plan<VirtualNetworkModel>) {
        let planned = &mut plan.planned;
        planned.id = planned.name.clone();
        planned.gateway_subnet_prefix = gateway_subnet_prefix(&planned.subnet);
        planned.expressroute = has_expressroute(&planned.local_network_site_ref);
        // The gateways and the circuit link of this VNet are planned after it: let them see it.
        if let Some(name) = planned.name.known_str() {
            let facts = vnet_facts(planned);
            registry::record(&service::subscription(ctx), name, |p| p.vnet = Some(facts));
        }
    }
}

/// Why an edit of the network configuration was refused.
#[derive(Debug, thiserror::Error)]
enum SiteEditError {
    #[error(
        "a virtual network named {0:?} already exists in the subscription. To manage it with \
         Terraform, import it: {command}",
        command = service::import_command("azureclassic_virtual_network", .0)
    )]
    Exists(String),
    #[error("virtual network {0:?} no longer exists in the network configuration (deleted outside Terraform?); run terraform plan again to re-create it")]
    Missing(String),
}

/// Applies `edit` to the network configuration through the client's serialised, lossless writer.
async fn edit_network(
    ctx: &Context,
    client: &Client,
    what: &str,
    edit: impl FnMut(&mut NetworkConfiguration) -> Result<(), SiteEditError> + Send + 'static,
) -> Result<(), Diagnostic> {
    let call = ServiceCall::new(ctx, QUICK);
    match client.update_network_config(&call.ctx, edit).await {
        Ok(()) => Ok(()),
        Err(NetcfgError::Edit(e)) => {
            Err(Diagnostic::error(format!("Cannot {what}"), e.to_string()))
        }
        Err(NetcfgError::Client(e)) => Err(api_error(what, &e)),
    }
}

/// Finds a site by name as the service does (case-insensitively).
fn find_site(sites: Vec<VirtualNetworkSite>, name: &str) -> Option<VirtualNetworkSite> {
    sites
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

fn strings(list: &Attr<Vec<Attr<String>>>) -> Vec<String> {
    list.known()
        .map(|items| items.iter().filter_map(|i| i.known().cloned()).collect())
        .unwrap_or_default()
}

fn text(attr: &Attr<String>) -> String {
    attr.known_str().unwrap_or_default().to_string()
}

/// The netcfg site a (wholly known) planned model describes.
fn site_of(m: &VirtualNetworkModel) -> VirtualNetworkSite {
    let connections: Vec<LocalNetworkSiteRef> = m
        .local_network_site_ref
        .iter()
        .map(|r| LocalNetworkSiteRef {
            name: text(&r.name),
            connection_type: match r.connection_type.known_str() {
                Some("Dedicated") => ConnectionType::Dedicated,
                _ => ConnectionType::IPsec,
            },
        })
        .collect();
    let pool = strings(&m.vpn_client_address_pool);
    VirtualNetworkSite {
        name: text(&m.name),
        location: SiteLocation::Location(text(&m.location)),
        address_space: strings(&m.address_space),
        subnets: m
            .subnet
            .iter()
            .map(|s| Subnet {
                name: text(&s.name),
                address_prefix: text(&s.address_prefix),
            })
            .collect(),
        gateway: (!connections.is_empty() || !pool.is_empty()).then_some(GatewayConfig {
            vpn_client_address_pool: pool,
            connections,
        }),
    }
}

fn known_list(items: &[String]) -> Attr<Vec<Attr<String>>> {
    Attr::Known(items.iter().cloned().map(Attr::Known).collect())
}

/// The model of a site as the service holds it. `prior` keeps what the service cannot say: how
/// the user wrote an empty client pool (null or `[]`) and the location of an affinity-group VNet.
fn model_of(
    site: &VirtualNetworkSite,
    vnet_id: String,
    prior: Option<&VirtualNetworkModel>,
) -> VirtualNetworkModel {
    let gateway = site.gateway.clone().unwrap_or_default();
    let location = match &site.location {
        SiteLocation::Location(l) => l.clone(),
        SiteLocation::AffinityGroup(group) => prior
            .and_then(|p| p.location.known().cloned())
            .unwrap_or_else(|| group.clone()),
    };
    let pool_unset = prior.is_none_or(|p| p.vpn_client_address_pool.is_null());
    let mut model = VirtualNetworkModel {
        id: Attr::Known(site.name.clone()),
        name: Attr::Known(site.name.clone()),
        location: Attr::Known(location),
        address_space: known_list(&site.address_space),
        subnet: site
            .subnets
            .iter()
            .map(|s| SubnetModel {
                name: Attr::Known(s.name.clone()),
                address_prefix: Attr::Known(s.address_prefix.clone()),
            })
            .collect(),
        local_network_site_ref: gateway
            .connections
            .iter()
            .map(|r| SiteRefModel {
                name: Attr::Known(r.name.clone()),
                connection_type: Attr::Known(r.connection_type.as_str().to_string()),
            })
            .collect(),
        vpn_client_address_pool: if gateway.vpn_client_address_pool.is_empty() && pool_unset {
            Attr::Null
        } else {
            known_list(&gateway.vpn_client_address_pool)
        },
        vnet_id: Attr::Known(vnet_id),
        gateway_subnet_prefix: Attr::Null,
        expressroute: Attr::Null,
    };
    model.gateway_subnet_prefix = gateway_subnet_prefix(&model.subnet);
    model.expressroute = has_expressroute(&model.local_network_site_ref);
    model
}

/// The VnetId the service gave `name`.
async fn vnet_id(
    ctx: &Context,
    client: &Client,
    name: &str,
) -> Result<Option<String>, ClientError> {
    let call = ServiceCall::new(ctx, QUICK);
    let site = client.find_virtual_network_site(&call.ctx, name).await?;
    Ok(site.map(|s| s.id))
}

/// The VNet as the service holds it now; `None` when it does not exist.
async fn read_network(
    ctx: &Context,
    client: &Client,
    name: &str,
    prior: Option<&VirtualNetworkModel>,
) -> Result<Option<VirtualNetworkModel>, ClientError> {
    let call = ServiceCall::new(ctx, QUICK);
    let config = client.get_network_config(&call.ctx).await?;
    let Some(site) = find_site(config.virtual_network_sites(), name) else {
        return Ok(None);
    };
    let known_id = prior.and_then(|p| p.vnet_id.known().cloned());
    let id = match known_id {
        Some(id) => id,
        None => vnet_id(ctx, client, &site.name).await?.unwrap_or_default(),
    };
    Ok(Some(model_of(&site, id, prior)))
}

/// Writes the planned site: a create refuses an existing name, an update a missing one.
async fn write_site(
    ctx: &Context,
    client: &Client,
    planned: &VirtualNetworkModel,
    creating: bool,
) -> Result<(), Diagnostic> {
    let site = site_of(planned);
    let what = format!(
        "{} virtual network {}",
        if creating { "create" } else { "update" },
        site.name
    );
    // The writer re-runs the edit after a failed write, on the service's current document; when
    // the failure was ambiguous (answer lost) that document may already hold this very site,
    // written by our previous run: that is ours, not an existing VNet to refuse.
    let mut ran_before = false;
    let edit = move |doc: &mut NetworkConfiguration| {
        let existing = find_site(doc.virtual_network_sites(), &site.name);
        match (creating, existing) {
            (true, Some(e)) if !(ran_before && e == site) => Err(SiteEditError::Exists(e.name)),
            (false, None) => Err(SiteEditError::Missing(site.name.clone())),
            _ => {
                doc.upsert_virtual_network_site(&site);
                ran_before = true;
                Ok(())
            }
        }
    };
    edit_network(ctx, client, &what, edit).await
}

/// The apply-time check: the same rules as at plan, now with everything known.
fn recheck(planned: &VirtualNetworkModel) -> Result<(), Diagnostics> {
    facts::refuse_errors(check_virtual_network(&vnet_facts(planned)))
}

async fn create_network(
    ctx: &Context,
    planned: VirtualNetworkModel,
) -> Result<Option<VirtualNetworkModel>, Diagnostics> {
    recheck(&planned)?;
    let client = service::required_client(ctx)?;
    write_site(ctx, &client, &planned, true).await?;
    let name = text(&planned.name);
    let what = format!("read the id of virtual network {name}");
    let id = vnet_id(ctx, &client, &name)
        .await
        .map_err(|e| api_error(&what, &e))?
        .ok_or_else(|| {
            Diagnostic::error(
                format!("Cannot {what}"),
                "The network configuration was written but the service does not list the virtual network.",
            )
        })?;
    Ok(Some(VirtualNetworkModel {
        vnet_id: Attr::Known(id),
        ..planned
    }))
}

async fn update_network(
    ctx: &Context,
    planned: VirtualNetworkModel,
) -> Result<Option<VirtualNetworkModel>, Diagnostics> {
    recheck(&planned)?;
    let client = service::required_client(ctx)?;
    write_site(ctx, &client, &planned, false).await?;
    Ok(Some(planned))
}

/// Reads (`prior` set) or imports (`prior` unset) the VNet called `name`.
async fn read_or_import(
    ctx: &Context,
    name: &str,
    prior: Option<&VirtualNetworkModel>,
) -> Result<Option<VirtualNetworkModel>, Diagnostics> {
    let client = service::required_client(ctx)?;
    let verb = if prior.is_some() { "read" } else { "import" };
    let what = format!("{verb} virtual network {name}");
    Ok(read_network(ctx, &client, name, prior)
        .await
        .map_err(|e| api_error(&what, &e))?)
}

async fn delete_network(ctx: &Context, prior: &VirtualNetworkModel) -> Result<(), Diagnostics> {
    let client = service::required_client(ctx)?;
    let name = text(&prior.name);
    let what = format!("delete virtual network {name}");
    let edit = move |doc: &mut NetworkConfiguration| {
        // Already gone is fine: the goal is its absence.
        if let Some(site) = find_site(doc.virtual_network_sites(), &name) {
            doc.remove_virtual_network_site(&site.name);
        }
        Ok(())
    };
    Ok(edit_network(ctx, &client, &what, edit).await?)
}

#[async_trait]
impl ResourceCrud for VirtualNetwork {
    async fn create(
        &self,
        ctx: &Context,
        req: Create<VirtualNetworkModel>,
    ) -> StateResult<VirtualNetworkModel> {
        outcome(create_network(ctx, req.planned).await)
    }

    async fn read(
        &self,
        ctx: &Context,
        req: Read<VirtualNetworkModel>,
    ) -> StateResult<VirtualNetworkModel> {
        let name = text(&req.state.name);
        outcome(read_or_import(ctx, &name, Some(&req.state)).await)
    }

    async fn update(
        &self,
        ctx: &Context,
        req: Update<VirtualNetworkModel>,
    ) -> StateResult<VirtualNetworkModel> {
        outcome(update_network(ctx, req.planned).await)
    }

    async fn delete(&self, ctx: &Context, req: Delete<VirtualNetworkModel>) -> Diagnostics {
        deleted(delete_network(ctx, &req.prior).await)
    }

    async fn import(&self, ctx: &Context, id: &str) -> StateResult<VirtualNetworkModel> {
        outcome(read_or_import(ctx, id, None).await)
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
