//! `azureclassic_dedicated_circuit_link`: links an ExpressRoute circuit to a virtual network
//! (`New-AzureDedicatedCircuitLink`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::facts::{self, circuit_facts, link_facts};
use super::findings::diagnostics;
use super::joined_id;
use super::lookup;
use super::registry::{self, PlannedNetwork};
use super::service::{self, api_error, deleted, outcome, ServiceCall, QUICK};
use crate::asm::client::{Client, ClientError};
use crate::asm::xml::messages::DedicatedCircuitLink as Link;
use crate::framework::{
    Attr, Attribute, Block, Context, Create, Delete, Diagnostic, Diagnostics, Plan, Read, Resource,
    ResourceCrud, Schema, StateResult, Type, Update,
};
use crate::rules::{
    check_circuit_link, CircuitFacts, CircuitLinkContext, ExpressRouteGatewayFacts, Fact, Finding,
    VnetFacts,
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DedicatedCircuitLinkModel {
    pub id: Attr<String>,
    pub service_key: Attr<String>,
    pub virtual_network_name: Attr<String>,
    pub expressroute_gateway_id: Attr<String>,
    pub state: Attr<String>,
}

pub struct DedicatedCircuitLink;

#[async_trait]
impl Resource for DedicatedCircuitLink {
    type Model = DedicatedCircuitLinkModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_dedicated_circuit_link"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "Links an ExpressRoute circuit to a virtual network. The link comes after the network's \
                 ExpressRoute gateway, and before a coexisting VPN gateway.",
            )
            .attribute(
                Attribute::computed("id", Type::String)
                    .description("`{service_key}/{virtual_network_name}`, also the import id."),
            )
            .attribute(
                Attribute::required("service_key", Type::String)
                    .requires_replace()
                    .description("The ExpressRoute circuit's service key (a GUID). Changing it creates a new link."),
            )
            .attribute(
                Attribute::required("virtual_network_name", Type::String)
                    .requires_replace()
                    .description("The name of the virtual network to link. Changing it creates a new link."),
            )
            .attribute(
                Attribute::required("expressroute_gateway_id", Type::String)
                    .requires_replace()
                    .description(
                        "The id of the network's ExpressRoute `azureclassic_virtual_network_gateway`: the link \
                         is created after it. Changing it creates a new link.",
                    ),
            )
            .attribute(Attribute::computed("state", Type::String).description(
                "The link's state as the service reports it, e.g. `Provisioned`.",
            )),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &DedicatedCircuitLinkModel,
        diags: &mut Diagnostics,
    ) {
        let findings = check_circuit_link(&link_facts(config), &CircuitLinkContext::default());
        diags.extend(diagnostics(findings));
    }

    async fn modify_plan(&self, ctx: &Context, plan: &mut Plan<DedicatedCircuitLinkModel>) {
        let planned = &mut plan.planned;
        planned.id = joined_id(&[&planned.service_key, &planned.virtual_network_name]);
        let Some(vnet) = planned.virtual_network_name.known().cloned() else {
            return;
        };
        let subscription = service::subscription(ctx);
        let network = registry::planned(&subscription, &vnet);
        let link = link_facts(planned);
        // The circuit (and objects outside the configuration) are looked up only for a new link.
        let lookup = match plan.prior {
            None => service::optional_client(ctx),
            Some(_) => None,
        };
        let found = Lookups::gather(
            ctx,
            lookup.as_ref(),
            &vnet,
            link.service_key.known(),
            &network,
        )
        .await;
        let context = CircuitLinkContext {
            vnet: network
                .vnet
                .as_ref()
                .or(found.vnet.as_ref())
                .map_or(Fact::Unknown, Fact::Known),
            expressroute_gateway: match &network.expressroute_gateway {
                Some(er) => Fact::Known(Some(er)),
                None => found.expressroute_gateway.as_ref().map(Option::as_ref),
            },
            circuit: found.circuit.as_ref().map(Option::as_ref),
        };
        let context_free = check_circuit_link(&link, &CircuitLinkContext::default());
        let findings: Vec<Finding> = check_circuit_link(&link, &context);
        plan.diagnostics
            .extend(facts::new_findings(findings, &context_free));
        registry::record(&subscription, &vnet, |p| p.circuit_link = Some(link));
    }
}

/// What a link's plan learns from the service (GET only): the circuit, and the VNet and its
/// ExpressRoute gateway when the configuration does not hold them.
#[derive(Default)]
struct Lookups {
    vnet: Option<VnetFacts>,
    expressroute_gateway: Fact<Option<ExpressRouteGatewayFacts>>,
    circuit: Fact<Option<CircuitFacts>>,
}

impl Lookups {
    async fn gather(
        ctx: &Context,
        client: Option<&Client>,
        vnet: &str,
        service_key: Option<&String>,
        network: &PlannedNetwork,
    ) -> Lookups {
        let mut found = Lookups::default();
        let Some(client) = client else {
            return found;
        };
        if let Some(key) = service_key {
            let call = ServiceCall::new(ctx, QUICK);
            let circuit = client.get_dedicated_circuit(&call.ctx, key).await;
            found.circuit = match circuit {
                Ok(c) => Fact::Known(Some(circuit_facts(&c))),
                Err(e) if e.is_not_found() => Fact::Known(None),
                Err(_) => Fact::Unknown,
            };
        }
        if network.vnet.is_none() {
            found.vnet = lookup::existing_vnet(ctx, client, vnet).await;
        }
        if network.expressroute_gateway.is_none() {
            found.expressroute_gateway =
                lookup::existing_expressroute_gateway(ctx, client, vnet).await;
        }
        found
    }
}

fn text(attr: &Attr<String>) -> String {
    attr.known_str().unwrap_or_default().to_string()
}

fn label(key: &str, vnet: &str) -> String {
    format!("the link of circuit {key} to virtual network {vnet}")
}

/// The link as the service holds it; `None` when there is none.
async fn read_link(
    ctx: &Context,
    client: &Client,
    key: &str,
    vnet: &str,
) -> Result<Option<Link>, ClientError> {
    let call = ServiceCall::new(ctx, QUICK);
    match client.get_circuit_link(&call.ctx, key, vnet).await {
        Ok(link) if link.state.as_str() == "NotProvisioned" => Ok(None),
        Ok(link) => Ok(Some(link)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

fn with_link(base: DedicatedCircuitLinkModel, link: &Link) -> DedicatedCircuitLinkModel {
    DedicatedCircuitLinkModel {
        state: Attr::Known(link.state.as_str().to_string()),
        ..base
    }
}

async fn create(
    ctx: &Context,
    planned: DedicatedCircuitLinkModel,
) -> Result<Option<DedicatedCircuitLinkModel>, Diagnostics> {
    let client = service::required_client(ctx)?;
    let (key, vnet) = (
        text(&planned.service_key),
        text(&planned.virtual_network_name),
    );
    let what = format!("create {}", label(&key, &vnet));
    let existing = read_link(ctx, &client, &key, &vnet)
        .await
        .map_err(|e| api_error(&what, &e))?;
    if existing.is_some() {
        return Err(Diagnostic::error(
            format!("Cannot {what}: it already exists"),
            format!(
                "To manage the existing link with Terraform, import it: {}",
                service::import_command(
                    "azureclassic_dedicated_circuit_link",
                    &format!("{key}/{vnet}")
                )
            ),
        )
        .into());
    }
    let call = ServiceCall::new(ctx, QUICK);
    let link = client
        .create_circuit_link(&call.ctx, &key, &vnet)
        .await
        .map_err(|e| api_error(&what, &e))?;
    Ok(Some(with_link(planned, &link)))
}

async fn read(
    ctx: &Context,
    state: DedicatedCircuitLinkModel,
) -> Result<Option<DedicatedCircuitLinkModel>, Diagnostics> {
    let client = service::required_client(ctx)?;
    let (key, vnet) = (text(&state.service_key), text(&state.virtual_network_name));
    let what = format!("read {}", label(&key, &vnet));
    let link = read_link(ctx, &client, &key, &vnet)
        .await
        .map_err(|e| api_error(&what, &e))?;
    Ok(link.map(|l| with_link(state, &l)))
}

async fn delete(ctx: &Context, prior: &DedicatedCircuitLinkModel) -> Result<(), Diagnostics> {
    let client = service::required_client(ctx)?;
    let (key, vnet) = (text(&prior.service_key), text(&prior.virtual_network_name));
    let what = format!("delete {}", label(&key, &vnet));
    let call = ServiceCall::new(ctx, QUICK);
    client
        .delete_circuit_link(&call.ctx, &key, &vnet)
        .await
        .map_err(|e| api_error(&what, &e).into())
}

async fn import(ctx: &Context, id: &str) -> Result<Option<DedicatedCircuitLinkModel>, Diagnostics> {
    let (key, vnet) = id.split_once('/').ok_or_else(|| {
        Diagnostic::error(
            "Invalid import id",
            format!("{id:?} is not {{service_key}}/{{virtual_network_name}}."),
        )
    })?;
    let client = service::required_client(ctx)?;
    let what = format!("import {}", label(key, vnet));
    let Some(link) = read_link(ctx, &client, key, vnet)
        .await
        .map_err(|e| api_error(&what, &e))?
    else {
        return Ok(None);
    };
    // The ordering reference is the VNet's ExpressRoute gateway: the one the link goes through.
    let call = ServiceCall::new(ctx, QUICK);
    let gateway = client
        .get_vnet_gateway(&call.ctx, vnet)
        .await
        .map_err(|e| api_error(&what, &e))?;
    let base = DedicatedCircuitLinkModel {
        id: Attr::Known(id.to_string()),
        service_key: Attr::Known(key.to_string()),
        virtual_network_name: Attr::Known(vnet.to_string()),
        expressroute_gateway_id: gateway.gateway_id.into(),
        state: Attr::Null,
    };
    Ok(Some(with_link(base, &link)))
}

#[async_trait]
impl ResourceCrud for DedicatedCircuitLink {
    async fn create(
        &self,
        ctx: &Context,
        req: Create<DedicatedCircuitLinkModel>,
    ) -> StateResult<DedicatedCircuitLinkModel> {
        outcome(create(ctx, req.planned).await)
    }

    async fn read(
        &self,
        ctx: &Context,
        req: Read<DedicatedCircuitLinkModel>,
    ) -> StateResult<DedicatedCircuitLinkModel> {
        outcome(read(ctx, req.state).await)
    }

    /// Every attribute but `state` forces a new link, so an update changes nothing remote.
    async fn update(
        &self,
        _ctx: &Context,
        req: Update<DedicatedCircuitLinkModel>,
    ) -> StateResult<DedicatedCircuitLinkModel> {
        StateResult::ok(DedicatedCircuitLinkModel {
            state: req.prior.state,
            ..req.planned
        })
    }

    async fn delete(&self, ctx: &Context, req: Delete<DedicatedCircuitLinkModel>) -> Diagnostics {
        deleted(delete(ctx, &req.prior).await)
    }

    async fn import(&self, ctx: &Context, id: &str) -> StateResult<DedicatedCircuitLinkModel> {
        outcome(import(ctx, id).await)
    }
}
