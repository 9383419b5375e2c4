//! `azureclassic_virtual_network_gateway`: a virtual network's ExpressRoute gateway (`{vnet}/gateway`)
//! or one of its Site-to-Site VPN gateways (the multi-gateway `virtualnetworkgateways` API).

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::facts::{self, gateway_facts};
use super::findings::{diagnostic, diagnostics};
use super::lookup;
use super::registry::{self, PlannedNetwork};
use super::service::{self, api_error, deleted, outcome, ServiceCall, QUICK};
use super::values::check_enum;
use crate::asm::client::{CallContext, Client, ClientError};
use crate::asm::xml::messages::{
    CreateGatewayParameters, CreateVirtualNetworkGatewayParameters, Gateway, GatewaySize,
    GatewayState, GatewayType as WireGatewayType, LinkState, VirtualNetworkGateway as VpnGateway,
};
use crate::asm::xml::netcfg::SiteLocation;
use crate::framework::duration::parse_duration;
use crate::framework::validators::duration;
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Create, Delete, Diagnostic, Diagnostics,
    NestedBlock, Plan, Read, Resource, ResourceCrud, Schema, StateResult, Type, Update, Value,
};
use crate::rules::cidr::parse_strict;
use crate::rules::{
    check_gateway, gateway_resize, ExpressRouteGatewayFacts, Fact, GatewayContext, GatewayFacts,
    ResizeDecision, VnetFacts, VpnGatewayFacts, GATEWAY_SUBNET,
};
use crate::rules::{GatewayKind, GatewayType, Sku};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualNetworkGatewayModel {
    pub id: Attr<String>,
    pub virtual_network_name: Attr<String>,
    #[serde(rename = "type")]
    pub kind: Attr<String>,
    pub name: Attr<String>,
    pub gateway_sku: Attr<String>,
    pub gateway_type: Attr<String>,
    pub expressroute_circuit_link_id: Attr<String>,
    pub default_site: Attr<String>,
    pub vip_address: Attr<String>,
    pub gateway_subnet_prefix: Attr<String>,
    pub state: Attr<String>,
    pub timeouts: Option<TimeoutsModel>,
}

/// How long each operation may take before Terraform gives up waiting (gateways take long).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeoutsModel {
    pub create: Attr<String>,
    pub update: Attr<String>,
    pub delete: Attr<String>,
}

pub struct VirtualNetworkGateway;

const CREATE_TIMEOUT: Duration = Duration::from_secs(90 * 60);
const UPDATE_TIMEOUT: Duration = Duration::from_secs(60 * 60);
const DELETE_TIMEOUT: Duration = Duration::from_secs(120 * 60);

fn timeout(name: &str, default: &str) -> Attribute {
    Attribute::optional(name, Type::String).description(format!(
        "How long to wait for the gateway's {name}, as a duration like `90m` or `2h`. Default `{default}`."
    ))
}

#[async_trait]
impl Resource for VirtualNetworkGateway {
    type Model = VirtualNetworkGatewayModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_virtual_network_gateway"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "A virtual network gateway: the ExpressRoute gateway of a virtual network, or a \
                 Site-to-Site VPN gateway beside it. For coexistence, create the ExpressRoute gateway and \
                 its circuit link first, then the VPN gateway.",
            )
            .attribute(
                Attribute::computed("id", Type::String)
                    .use_state_for_unknown()
                    .description("The gateway's GatewayId, as the service reports it."),
            )
            .attribute(
                Attribute::required("virtual_network_name", Type::String)
                    .requires_replace()
                    .description("The name of the virtual network the gateway belongs to. Changing it creates a new gateway."),
            )
            .attribute(
                Attribute::required("type", Type::String)
                    .requires_replace()
                    .description("`ExpressRoute` or `Vpn`. Changing it creates a new gateway."),
            )
            .attribute(
                Attribute::optional("name", Type::String)
                    .requires_replace()
                    .description("The VPN gateway's name (GatewayName): required for `Vpn`, not allowed for `ExpressRoute`."),
            )
            .attribute(Attribute::required("gateway_sku", Type::String).description(
                "`Default` (Basic), `Standard`, `HighPerformance` or `UltraPerformance` (ExpressRoute only). \
                 Resized in place between `Default`, `Standard` and `HighPerformance`; a change to or \
                 from `UltraPerformance` recreates the gateway.",
            ))
            .attribute(
                Attribute::optional_computed("gateway_type", Type::String)
                    .default(Value::string("DynamicRouting"))
                    .requires_replace()
                    .description(
                        "`DynamicRouting` (route-based, the default and the only type allowed for a coexisting \
                         VPN gateway) or `StaticRouting` (policy-based). Changing it creates a new gateway.",
                    ),
            )
            .attribute(Attribute::optional("expressroute_circuit_link_id", Type::String).description(
                "`Vpn` only: the id of the `azureclassic_dedicated_circuit_link` this VPN gateway must come \
                 after, so that Terraform creates the ExpressRoute side first.",
            ))
            .attribute(Attribute::optional("default_site", Type::String).description(
                "`Vpn` only: the local network site that receives all Internet-bound traffic (forced \
                 tunnelling), as the service reports it. Not allowed on the VPN gateway of a coexisting virtual \
                 network (CX-FORCED-TUNNEL); elsewhere it cannot be set or changed by this provider yet, since \
                 the classic multi-gateway API has no call for it, so the plan refuses a new value.",
            ))
            .attribute(
                Attribute::computed("vip_address", Type::String)
                    .use_state_for_unknown()
                    .description("The gateway's public IP address."),
            )
            .attribute(Attribute::computed("gateway_subnet_prefix", Type::String).description(
                "The GatewaySubnet prefix the gateway was built on. When the virtual network's planned \
                 GatewaySubnet differs (a /28 resized to /27 for coexistence), the gateway must be \
                 deleted and recreated: the plan shows it replaced, after its dependants are destroyed \
                 and before the network is updated in place (CX-RESIZE).",
            ))
            .attribute(Attribute::computed("state", Type::String).description(
                "The gateway's provisioning state as the service reports it, e.g. `Provisioned`.",
            ))
            .block(NestedBlock::single(
                "timeouts",
                Block::new("Time limits for the gateway's long-running operations.")
                    .attribute(timeout("create", "90m"))
                    .attribute(timeout("update", "60m"))
                    .attribute(timeout("delete", "120m")),
            )),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &VirtualNetworkGatewayModel,
        diags: &mut Diagnostics,
    ) {
        check_enum::<GatewayKind>(&config.kind, AttrPath::attr("type"), diags);
        check_enum::<Sku>(&config.gateway_sku, AttrPath::attr("gateway_sku"), diags);
        check_enum::<GatewayType>(&config.gateway_type, AttrPath::attr("gateway_type"), diags);
        if let Some(t) = &config.timeouts {
            let at = AttrPath::attr("timeouts");
            duration(&t.create, at.join_attr("create"), diags);
            duration(&t.update, at.join_attr("update"), diags);
            duration(&t.delete, at.join_attr("delete"), diags);
        }
        match (config.kind.known_str(), &config.name) {
            (Some("Vpn"), Attr::Null) => diags.error_at(
                AttrPath::attr("type"),
                "Missing VPN gateway name",
                "A `Vpn` gateway needs a `name` (its GatewayName).",
            ),
            (Some("ExpressRoute"), Attr::Known(_)) => diags.error_at(
                AttrPath::attr("name"),
                "Name not allowed for an ExpressRoute gateway",
                "A virtual network has one ExpressRoute gateway, addressed through the network: remove `name`.",
            ),
            _ => {}
        }
        if let Some(gateway) = gateway_facts(config) {
            let findings = check_gateway(&gateway, &GatewayContext::default());
            diags.extend(diagnostics(findings));
        }
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut Plan<VirtualNetworkGatewayModel>) {
        let Some(vnet) = plan.planned.virtual_network_name.known().cloned() else {
            return;
        };
        let subscription = service::subscription(ctx);
        let network = registry::planned(&subscription, &vnet);
        let creating = plan.prior.is_none();
        // The service is asked only about objects the configuration does not hold, and only when
        // something is being created (a no-op plan costs no lookups).
        let lookup = if creating {
            service::optional_client(ctx)
        } else {
            None
        };
        let surroundings = Surroundings::gather(ctx, lookup.as_ref(), &vnet, &network).await;
        plan_gateway_subnet(plan, surroundings.vnet.as_ref());
        plan_sku_change(plan);
        let Some(gateway) = gateway_facts(&plan.planned) else {
            return;
        };
        let context_free = check_gateway(&gateway, &GatewayContext::default());
        let findings = check_gateway(&gateway, &surroundings.context(&gateway, &network));
        plan.diagnostics
            .extend(facts::new_findings(findings, &context_free));
        plan_default_site(plan);
        registry::record(&subscription, &vnet, |p| match gateway {
            GatewayFacts::ExpressRoute(er) => p.expressroute_gateway = Some(er),
            GatewayFacts::Vpn(vpn) => {
                let name = vpn.name.known().cloned().unwrap_or_default();
                p.vpn_gateways.insert(name, vpn);
            }
        });
    }
}

/// What a gateway's plan knows about its VNet and sibling gateways beyond its own configuration:
/// the registry's planned facts, else (for objects outside the configuration) the service's.
struct Surroundings {
    vnet: Option<VnetFacts>,
    /// From the service: the VNet's ExpressRoute gateway when the configuration has none.
    existing_expressroute: Fact<Option<ExpressRouteGatewayFacts>>,
}

impl Surroundings {
    async fn gather(
        ctx: &Context,
        client: Option<&Client>,
        vnet: &str,
        network: &PlannedNetwork,
    ) -> Surroundings {
        let mut found = Surroundings {
            vnet: network.vnet.clone(),
            existing_expressroute: Fact::Unknown,
        };
        let Some(client) = client else {
            return found;
        };
        if found.vnet.is_none() {
            found.vnet = lookup::existing_vnet(ctx, client, vnet).await;
        }
        if network.expressroute_gateway.is_none() {
            found.existing_expressroute =
                lookup::existing_expressroute_gateway(ctx, client, vnet).await;
        }
        found
    }

    fn context<'a>(
        &'a self,
        gateway: &GatewayFacts,
        network: &'a PlannedNetwork,
    ) -> GatewayContext<'a> {
        let own_name = match gateway {
            GatewayFacts::Vpn(v) => v.name.known().cloned(),
            GatewayFacts::ExpressRoute(_) => None,
        };
        let siblings: Vec<&VpnGatewayFacts> = network
            .vpn_gateways
            .iter()
            .filter(|(name, _)| Some(*name) != own_name.as_ref())
            .map(|(_, g)| g)
            .collect();
        GatewayContext {
            vnet: self.vnet.as_ref().map_or(Fact::Unknown, Fact::Known),
            expressroute_gateway: match &network.expressroute_gateway {
                Some(er) => Fact::Known(Some(er)),
                None => self.existing_expressroute.as_ref().map(Option::as_ref),
            },
            // Gateways planned later are not known yet: only siblings already planned count.
            vpn_gateways: if siblings.is_empty() {
                Fact::Unknown
            } else {
                Fact::Known(siblings)
            },
            circuit_link: network
                .circuit_link
                .as_ref()
                .map_or(Fact::Unknown, |l| Fact::Known(Some(l))),
        }
    }
}

/// The GatewaySubnet prefix a VNet plans, as written (`Known(None)` when it plans none).
fn planned_prefix(vnet: &VnetFacts) -> Fact<Option<String>> {
    vnet.gateway_subnet().and_then(|gs| match gs {
        None => Fact::Known(None),
        Some(gs) => vnet
            .subnets
            .known()
            .and_then(|subnets| subnets.get(gs.index))
            .map_or(Fact::Unknown, |s| s.address_prefix.clone().map(Some)),
    })
}

fn attr_of(fact: Fact<Option<String>>) -> Attr<String> {
    match fact {
        Fact::Known(v) => v.into(),
        Fact::Unknown => Attr::Unknown,
    }
}

/// CX-RESIZE: a new gateway records the GatewaySubnet it will be built on; an existing one is
/// replaced when its VNet plans a different GatewaySubnet, so that Terraform destroys it (and its
/// dependants) before updating the VNet and recreates it after, in one apply.
fn plan_gateway_subnet(plan: &mut Plan<VirtualNetworkGatewayModel>, vnet: Option<&VnetFacts>) {
    let planned_vnet = vnet.map_or(Fact::Unknown, planned_prefix);
    let Some(prior) = &plan.prior else {
        plan.planned.gateway_subnet_prefix = attr_of(planned_vnet);
        return;
    };
    plan.planned.gateway_subnet_prefix = prior.gateway_subnet_prefix.clone();
    let Some(built_on) = prior
        .gateway_subnet_prefix
        .known_str()
        .and_then(|p| parse_strict(p).ok())
    else {
        return;
    };
    let planned_net = planned_vnet
        .clone()
        .map(|p| p.and_then(|text| parse_strict(&text).ok()));
    if let ResizeDecision::Replace(finding) = gateway_resize(built_on, planned_net) {
        plan.planned.gateway_subnet_prefix = attr_of(planned_vnet);
        plan.requires_replace
            .push(AttrPath::attr("gateway_subnet_prefix"));
        plan.diagnostics.push(diagnostic(finding));
    }
}

/// The SKUs the service resizes between in place; to or from `UltraPerformance` is a new gateway.
fn resizable_in_place(from: &str, to: &str) -> bool {
    from != "UltraPerformance" && to != "UltraPerformance"
}

fn plan_sku_change(plan: &mut Plan<VirtualNetworkGatewayModel>) {
    let Some(prior) = &plan.prior else {
        return;
    };
    if let (Some(from), Some(to)) = (
        prior.gateway_sku.known_str(),
        plan.planned.gateway_sku.known_str(),
    ) {
        if from != to && !resizable_in_place(from, to) {
            plan.requires_replace.push(AttrPath::attr("gateway_sku"));
        }
    }
}

fn text(attr: &Attr<String>) -> String {
    attr.known_str().unwrap_or_default().to_string()
}

/// An enum attribute as the service's value (validation has already refused misspellings).
fn wire_value<T: std::str::FromStr>(attr: &Attr<String>, name: &str) -> Result<T, Diagnostic> {
    text(attr).parse().map_err(|_| {
        Diagnostic::error(
            format!("Invalid {name}"),
            format!("{name} is not a value the service knows."),
        )
        .at(AttrPath::attr(name))
    })
}

fn timeout_of(
    ctx: &Context,
    m: &VirtualNetworkGatewayModel,
    pick: fn(&TimeoutsModel) -> &Attr<String>,
    default: Duration,
) -> ServiceCall {
    // Validation has refused a malformed duration; unset means the default.
    let configured = m.timeouts.as_ref().map(pick).and_then(Attr::known_str);
    let timeout = configured
        .and_then(|t| parse_duration(t).ok())
        .unwrap_or(default);
    ServiceCall::new(ctx, timeout)
}

/// The multi-gateway API offers no call that sets forced tunnelling, so a `default_site` being set or
/// changed is refused at plan, before anything is written, rather than midway through an apply
/// (create and update refuse it again). Where the VNet is coexisting, CX-FORCED-TUNNEL has said so.
fn plan_default_site(plan: &mut Plan<VirtualNetworkGatewayModel>) {
    let planned = &plan.planned.default_site;
    let changed = match &plan.prior {
        Some(prior) => prior.default_site != *planned,
        None => !planned.is_null(),
    };
    if is_vpn(&plan.planned)
        && planned.known().is_some()
        && changed
        && !plan.diagnostics.has_errors()
    {
        plan.diagnostics.push(
            Diagnostic::error(
                "default_site: forced tunnelling cannot be set by this provider",
                "The classic multi-gateway API has no call that sets a VPN gateway's default site. \
                 Remove default_site, or set forced tunnelling with the classic tools after apply.",
            )
            .at(AttrPath::attr("default_site")),
        );
    }
}

fn is_vpn(m: &VirtualNetworkGatewayModel) -> bool {
    m.kind.known_str() == Some("Vpn")
}

/// A gateway's service view, whichever API it comes from.
struct Observed {
    id: Option<String>,
    name: Option<String>,
    sku: Option<GatewaySize>,
    routing: WireGatewayType,
    vip: Option<String>,
    state: GatewayState,
    default_site: Option<String>,
}

impl From<Gateway> for Observed {
    fn from(g: Gateway) -> Observed {
        Observed {
            id: g.gateway_id,
            name: None,
            sku: g.gateway_size,
            routing: g.gateway_type,
            vip: g.vip_address,
            state: g.state,
            default_site: g.default_sites.into_iter().next(),
        }
    }
}

impl From<VpnGateway> for Observed {
    fn from(g: VpnGateway) -> Observed {
        Observed {
            id: Some(g.gateway_id),
            name: Some(g.gateway_name),
            sku: g.gateway_size,
            routing: g.gateway_type.unwrap_or(WireGatewayType::DynamicRouting),
            vip: g.vip_address,
            state: g.state,
            default_site: g.default_sites.into_iter().next(),
        }
    }
}

impl Observed {
    /// `base` with what the service reports; the provider's own attributes (ordering reference,
    /// timeouts, the GatewaySubnet it was built on) stay as they are.
    fn into_model(self, base: VirtualNetworkGatewayModel) -> VirtualNetworkGatewayModel {
        VirtualNetworkGatewayModel {
            id: self.id.map_or(base.id, Attr::Known),
            name: self.name.map_or(Attr::Null, Attr::Known),
            gateway_sku: self
                .sku
                .map_or(base.gateway_sku, |s| Attr::Known(s.as_str().to_string())),
            gateway_type: Attr::Known(self.routing.as_str().to_string()),
            default_site: self.default_site.into(),
            vip_address: Attr::Known(self.vip.unwrap_or_default()),
            state: Attr::Known(self.state.as_str().to_string()),
            ..base
        }
    }
}

/// The gateway described by `m` as the service holds it; `None` when it is gone.
async fn observe(
    ctx: &Context,
    client: &Client,
    m: &VirtualNetworkGatewayModel,
) -> Result<Option<Observed>, ClientError> {
    let call = ServiceCall::new(ctx, QUICK);
    if is_vpn(m) {
        return match client.get_vpn_gateway(&call.ctx, &text(&m.id)).await {
            Ok(g) => Ok(Some(g.into())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        };
    }
    let vnet = text(&m.virtual_network_name);
    let gateway = match client.get_vnet_gateway(&call.ctx, &vnet).await {
        Ok(g) => g,
        // An unknown VNet is a 400, not a 404: the gateway is gone with its network.
        Err(e) if e.is_not_found() || vnet_missing(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    let replaced_outside = matches!((&gateway.gateway_id, m.id.known_str()),
        (Some(now), Some(was)) if !now.eq_ignore_ascii_case(was));
    if gateway.state == GatewayState::NotProvisioned || replaced_outside {
        return Ok(None);
    }
    Ok(Some(gateway.into()))
}

fn vnet_missing(e: &ClientError) -> bool {
    e.service()
        .is_some_and(|s| s.status == 400 && s.message.contains("could not be found"))
}

/// The VNet's service-side id, location and current GatewaySubnet prefix.
struct NetworkSite {
    vnet_id: String,
    location: Option<String>,
    gateway_subnet_prefix: Option<String>,
}

async fn network_site(
    ctx: &Context,
    client: &Client,
    vnet: &str,
) -> Result<NetworkSite, Diagnostic> {
    let what = format!("find virtual network {vnet}");
    let call = ServiceCall::new(ctx, QUICK);
    let site = client
        .find_virtual_network_site(&call.ctx, vnet)
        .await
        .map_err(|e| api_error(&what, &e))?
        .ok_or_else(|| {
            Diagnostic::error(
                format!("Cannot {what}"),
                format!("The subscription has no virtual network named {vnet:?}: create it first."),
            )
            .at(AttrPath::attr("virtual_network_name"))
        })?;
    Ok(NetworkSite {
        gateway_subnet_prefix: site
            .subnets
            .iter()
            .find(|s| s.name == GATEWAY_SUBNET)
            .map(|s| s.address_prefix.clone()),
        location: match site.location {
            SiteLocation::Location(l) => Some(l),
            SiteLocation::AffinityGroup(_) => None,
        },
        vnet_id: site.id,
    })
}

/// The gateway `planned` describes as the service holds it now, if it exists: before a create (an
/// existing one is refused), and after a failed one (to record what it left behind).
async fn existing_gateway(
    ctx: &Context,
    client: &Client,
    planned: &VirtualNetworkGatewayModel,
    site: &NetworkSite,
) -> Result<Option<Observed>, ClientError> {
    let call = ServiceCall::new(ctx, QUICK);
    if is_vpn(planned) {
        let found = client
            .find_vpn_gateway(&call.ctx, &site.vnet_id, &text(&planned.name))
            .await?;
        return Ok(found.map(Observed::from));
    }
    let gateway = client
        .get_vnet_gateway(&call.ctx, &text(&planned.virtual_network_name))
        .await?;
    Ok((gateway.state != GatewayState::NotProvisioned).then(|| gateway.into()))
}

/// Refuses what cannot be created: a gateway that already exists, a forced-tunnelling default site.
async fn ensure_creatable(
    ctx: &Context,
    client: &Client,
    planned: &VirtualNetworkGatewayModel,
    site: &NetworkSite,
) -> Result<(), Diagnostic> {
    let what = format!("create {}", gateway_label(planned));
    if is_vpn(planned) && !planned.default_site.is_null() {
        return Err(Diagnostic::error(
            format!("Cannot {what}"),
            "Setting default_site (forced tunnelling) is not supported by this provider's \
             multi-gateway calls yet; remove it.",
        )
        .at(AttrPath::attr("default_site")));
    }
    let existing = existing_gateway(ctx, client, planned, site)
        .await
        .map_err(|e| api_error(&what, &e))?;
    match existing {
        Some(g) => {
            let id = g.id.unwrap_or_default();
            Err(Diagnostic::error(
                format!("Cannot {what}: it already exists"),
                format!(
                    "The service already has this gateway (GatewayId {id}). To manage it with \
                     Terraform, import it: {}",
                    service::import_command("azureclassic_virtual_network_gateway", &id)
                ),
            ))
        }
        None => Ok(()),
    }
}

/// Sends the create and waits, within the create timeout, until the gateway is provisioned.
async fn send_create(
    ctx: &Context,
    client: &Client,
    planned: &VirtualNetworkGatewayModel,
    site: &NetworkSite,
) -> Result<Observed, Diagnostic> {
    let vnet = text(&planned.virtual_network_name);
    let size = wire_value(&planned.gateway_sku, "gateway_sku")?;
    let routing = wire_value(&planned.gateway_type, "gateway_type")?;
    let call = timeout_of(ctx, planned, |t| &t.create, CREATE_TIMEOUT);
    let created = if is_vpn(planned) {
        let parameters = CreateVirtualNetworkGatewayParameters {
            gateway_name: Some(text(&planned.name)),
            gateway_size: Some(size),
            gateway_type: Some(routing),
            location: site.location.clone(),
            vnet_id: Some(site.vnet_id.clone()),
            bgp_settings: None,
        };
        client
            .create_vpn_gateway(&call.ctx, &vnet, &parameters)
            .await
            .map(Observed::from)
    } else {
        let parameters = CreateGatewayParameters {
            gateway_size: Some(size),
            gateway_type: Some(routing),
        };
        client
            .create_vnet_gateway(&call.ctx, &vnet, &parameters)
            .await
            .map(Observed::from)
    };
    created.map_err(|e| api_error(&format!("create {}", gateway_label(planned)), &e))
}

/// Finds the gateway with this GatewayId: a VPN gateway, or the ExpressRoute gateway of a VNet.
async fn import_gateway(
    ctx: &Context,
    client: &Client,
    id: &str,
) -> Result<Option<VirtualNetworkGatewayModel>, ClientError> {
    let call = ServiceCall::new(ctx, QUICK);
    let sites = client.list_virtual_network_sites(&call.ctx).await?;
    let base = |vnet_name: &str, kind: &str| VirtualNetworkGatewayModel {
        virtual_network_name: Attr::Known(vnet_name.to_string()),
        kind: Attr::Known(kind.to_string()),
        gateway_subnet_prefix: sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(vnet_name))
            .and_then(|s| s.subnets.iter().find(|n| n.name == GATEWAY_SUBNET))
            .map(|n| n.address_prefix.clone())
            .into(),
        ..Default::default()
    };
    let vpn = client.list_vpn_gateways(&call.ctx).await?;
    if let Some(g) = vpn
        .into_iter()
        .find(|g| g.gateway_id.eq_ignore_ascii_case(id))
    {
        let Some(site) = sites.iter().find(|s| s.id.eq_ignore_ascii_case(&g.vnet_id)) else {
            return Ok(None);
        };
        let link = circuit_link_of(client, &call.ctx, &site.name).await?;
        let imported = Observed::from(g).into_model(base(&site.name, "Vpn"));
        return Ok(Some(VirtualNetworkGatewayModel {
            expressroute_circuit_link_id: link.into(),
            ..imported
        }));
    }
    for site in &sites {
        let g = client.get_vnet_gateway(&call.ctx, &site.name).await?;
        if g.gateway_id
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(id))
        {
            return Ok(Some(
                Observed::from(g).into_model(base(&site.name, "ExpressRoute")),
            ));
        }
    }
    Ok(None)
}

/// The id of the circuit link of `vnet`, if it has one: the ordering reference an imported VPN
/// gateway of a coexisting VNet carries.
async fn circuit_link_of(
    client: &Client,
    ctx: &CallContext,
    vnet: &str,
) -> Result<Option<String>, ClientError> {
    for circuit in client.list_dedicated_circuits(ctx).await? {
        let links = client.list_circuit_links(ctx, &circuit.service_key).await?;
        if links
            .iter()
            .any(|l| l.vnet_name.eq_ignore_ascii_case(vnet) && l.state != LinkState::NotProvisioned)
        {
            return Ok(Some(format!("{}/{vnet}", circuit.service_key)));
        }
    }
    Ok(None)
}

fn gateway_label(m: &VirtualNetworkGatewayModel) -> String {
    let vnet = text(&m.virtual_network_name);
    if is_vpn(m) {
        format!("VPN gateway {} of {vnet}", text(&m.name))
    } else {
        format!("the ExpressRoute gateway of {vnet}")
    }
}

async fn create(
    ctx: &Context,
    planned: VirtualNetworkGatewayModel,
) -> StateResult<VirtualNetworkGatewayModel> {
    let prepared = async {
        let client = service::required_client(ctx)?;
        let site = network_site(ctx, &client, &text(&planned.virtual_network_name)).await?;
        ensure_creatable(ctx, &client, &planned, &site).await?;
        Ok::<_, Diagnostic>((client, site))
    };
    let (client, site) = match prepared.await {
        Ok(ready) => ready,
        Err(d) => return StateResult::failed(d),
    };
    let base = VirtualNetworkGatewayModel {
        gateway_subnet_prefix: site.gateway_subnet_prefix.clone().into(),
        ..planned
    };
    match send_create(ctx, &client, &base, &site).await {
        Ok(observed) => StateResult::ok(observed.into_model(base)),
        Err(d) => {
            // The create may have taken effect (a timeout, a failed operation): record what it
            // left, so that Terraform marks it tainted and the next apply replaces it, rather
            // than failing on "already exists".
            let left = existing_gateway(ctx, &client, &base, &site)
                .await
                .ok()
                .flatten();
            let mut failed = StateResult::failed(d);
            failed.state = left.filter(|g| g.id.is_some()).map(|g| g.into_model(base));
            failed
        }
    }
}

async fn read(
    ctx: &Context,
    state: VirtualNetworkGatewayModel,
) -> Result<Option<VirtualNetworkGatewayModel>, Diagnostics> {
    let client = service::required_client(ctx)?;
    let what = format!("read {}", gateway_label(&state));
    let observed = observe(ctx, &client, &state)
        .await
        .map_err(|e| api_error(&what, &e))?;
    Ok(observed.map(|o| o.into_model(state)))
}

/// Resizes in place when the SKU changes; anything else changing is the provider's own.
async fn update(
    ctx: &Context,
    prior: VirtualNetworkGatewayModel,
    planned: VirtualNetworkGatewayModel,
) -> Result<Option<VirtualNetworkGatewayModel>, Diagnostics> {
    let client = service::required_client(ctx)?;
    let what = format!("update {}", gateway_label(&planned));
    if planned.default_site != prior.default_site {
        return Err(Diagnostic::error(
            format!("Cannot {what}"),
            "default_site (forced tunnelling) is not changed by this provider: set or clear it \
             with the classic tools, or recreate the gateway.",
        )
        .at(AttrPath::attr("default_site"))
        .into());
    }
    let observed = if planned.gateway_sku == prior.gateway_sku {
        observe(ctx, &client, &prior).await
    } else {
        let size = wire_value(&planned.gateway_sku, "gateway_sku")?;
        let call = timeout_of(ctx, &planned, |t| &t.update, UPDATE_TIMEOUT);
        if is_vpn(&planned) {
            let id = text(&prior.id);
            client
                .resize_vpn_gateway(&call.ctx, &id, size)
                .await
                .map(|g| Some(g.into()))
        } else {
            let vnet = text(&planned.virtual_network_name);
            client
                .resize_vnet_gateway(&call.ctx, &vnet, size)
                .await
                .map(|g| Some(g.into()))
        }
    };
    let observed = observed.map_err(|e| api_error(&what, &e))?.ok_or_else(|| {
        Diagnostic::error(
            format!("Cannot {what}"),
            "The gateway no longer exists (deleted outside Terraform?); run terraform plan again \
             to re-create it.",
        )
    })?;
    Ok(Some(observed.into_model(planned)))
}

async fn delete(ctx: &Context, prior: &VirtualNetworkGatewayModel) -> Result<(), Diagnostics> {
    let client = service::required_client(ctx)?;
    let call = timeout_of(ctx, prior, |t| &t.delete, DELETE_TIMEOUT);
    let deleted = if is_vpn(prior) {
        client.delete_vpn_gateway(&call.ctx, &text(&prior.id)).await
    } else {
        let vnet = text(&prior.virtual_network_name);
        match client.delete_vnet_gateway(&call.ctx, &vnet).await {
            Err(e) if vnet_missing(&e) => Ok(()),
            other => other,
        }
    };
    let what = format!("delete {}", gateway_label(prior));
    Ok(deleted.map_err(|e| api_error(&what, &e))?)
}

async fn import(
    ctx: &Context,
    id: &str,
) -> Result<Option<VirtualNetworkGatewayModel>, Diagnostics> {
    let client = service::required_client(ctx)?;
    let what = format!("import gateway {id}");
    Ok(import_gateway(ctx, &client, id)
        .await
        .map_err(|e| api_error(&what, &e))?)
}

#[async_trait]
impl ResourceCrud for VirtualNetworkGateway {
    async fn create(
        &self,
        ctx: &Context,
        req: Create<VirtualNetworkGatewayModel>,
    ) -> StateResult<VirtualNetworkGatewayModel> {
        create(ctx, req.planned).await
    }

    async fn read(
        &self,
        ctx: &Context,
        req: Read<VirtualNetworkGatewayModel>,
    ) -> StateResult<VirtualNetworkGatewayModel> {
        outcome(read(ctx, req.state).await)
    }

    async fn update(
        &self,
        ctx: &Context,
        req: Update<VirtualNetworkGatewayModel>,
    ) -> StateResult<VirtualNetworkGatewayModel> {
        outcome(update(ctx, req.prior, req.planned).await)
    }

    async fn delete(&self, ctx: &Context, req: Delete<VirtualNetworkGatewayModel>) -> Diagnostics {
        deleted(delete(ctx, &req.prior).await)
    }

    async fn import(&self, ctx: &Context, id: &str) -> StateResult<VirtualNetworkGatewayModel> {
        outcome(import(ctx, id).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn existing(prefix: &str) -> Plan<VirtualNetworkGatewayModel> {
        let model = VirtualNetworkGatewayModel {
            gateway_subnet_prefix: Attr::Known(prefix.into()),
            gateway_sku: Attr::Known("Standard".into()),
            ..Default::default()
        };
        Plan {
            config: VirtualNetworkGatewayModel::default(),
            prior: Some(model.clone()),
            planned: model,
            prior_private: vec![],
            planned_private: vec![],
            requires_replace: vec![],
            diagnostics: Diagnostics::new(),
        }
    }

    fn vnet_with_gateway_subnet(prefix: &str) -> VnetFacts {
        VnetFacts {
            subnets: Fact::Known(vec![crate::rules::SubnetFacts {
                name: Fact::Known(GATEWAY_SUBNET.into()),
                address_prefix: Fact::Known(prefix.into()),
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn a_resized_gateway_subnet_replaces_the_gateway_with_the_new_prefix_planned() {
        let mut plan = existing("10.0.0.240/28");
        plan_gateway_subnet(&mut plan, Some(&vnet_with_gateway_subnet("10.0.0.224/27")));
        assert_eq!(
            plan.requires_replace,
            vec![AttrPath::attr("gateway_subnet_prefix")]
        );
        assert_eq!(
            plan.planned.gateway_subnet_prefix,
            Attr::Known("10.0.0.224/27".into())
        );
        let warning = plan
            .diagnostics
            .iter()
            .next()
            .expect("the CX-RESIZE warning");
        assert!(!warning.is_error() && warning.summary.starts_with("CX-RESIZE"));
    }

    #[test]
    fn the_same_gateway_subnet_or_a_vnet_not_known_keeps_the_gateway() {
        for vnet in [Some(vnet_with_gateway_subnet("10.0.0.240/28")), None] {
            let mut plan = existing("10.0.0.240/28");
            plan_gateway_subnet(&mut plan, vnet.as_ref());
            assert!(plan.requires_replace.is_empty());
            assert_eq!(
                plan.planned.gateway_subnet_prefix,
                Attr::Known("10.0.0.240/28".into())
            );
        }
    }

    #[test]
    fn a_new_gateway_plans_the_prefix_it_will_be_built_on() {
        let mut plan = existing("unused");
        plan.prior = None;
        plan_gateway_subnet(&mut plan, Some(&vnet_with_gateway_subnet("10.0.0.224/27")));
        assert_eq!(
            plan.planned.gateway_subnet_prefix,
            Attr::Known("10.0.0.224/27".into())
        );
        plan_gateway_subnet(&mut plan, None);
        assert_eq!(plan.planned.gateway_subnet_prefix, Attr::Unknown);
    }

    #[test]
    fn only_ultra_performance_changes_need_a_new_gateway() {
        assert!(resizable_in_place("Standard", "HighPerformance"));
        assert!(resizable_in_place("Default", "Standard"));
        assert!(!resizable_in_place("HighPerformance", "UltraPerformance"));
        assert!(!resizable_in_place("UltraPerformance", "Standard"));
    }
}
