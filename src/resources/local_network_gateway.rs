//! `azureclassic_local_network_gateway`: an on-premises VPN site (`New-AzureLocalNetworkGateway`).

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::findings::{diagnostics, fact, fact_list};
use super::planned::PlannedLocals;
use super::service::{api_error, connect, deleted, import_command, optional_client, outcome};
use crate::asm::client::{CallContext, Client, ClientError};
use crate::asm::xml::messages::{
    CreateLocalNetworkGatewayParameters, LocalNetworkGateway as ServiceLocalGateway,
    UpdateLocalNetworkGatewayParameters,
};
use crate::framework::{
    Attr, Attribute, Block, Context, Create, Delete, Diagnostic, Diagnostics, Plan, Read, Resource,
    ResourceCrud, Schema, StateResult, Type, Update,
};
use crate::rules::{check_local_network_gateway, LocalNetworkGatewayFacts};

/// Every call is synchronous on the service; this bounds retries and backoff.
const TIMEOUT: Duration = Duration::from_secs(10 * 60);

const TYPE_NAME: &str = "azureclassic_local_network_gateway";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LocalNetworkGatewayModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub ip_address: Attr<String>,
    pub address_space: Attr<Vec<Attr<String>>>,
}

impl LocalNetworkGatewayModel {
    fn facts(&self) -> LocalNetworkGatewayFacts {
        LocalNetworkGatewayFacts {
            name: fact(&self.name),
            ip_address: fact(&self.ip_address),
            address_space: fact_list(&self.address_space),
        }
    }

    fn from_service(gateway: ServiceLocalGateway) -> LocalNetworkGatewayModel {
        LocalNetworkGatewayModel {
            id: Attr::Known(gateway.id),
            name: Attr::Known(gateway.gateway_name),
            ip_address: Attr::Known(gateway.ip_address),
            address_space: Attr::Known(
                gateway.address_space.into_iter().map(Attr::Known).collect(),
            ),
        }
    }

    /// The address space for the service; apply-time values are wholly known.
    fn known_address_space(&self) -> Vec<String> {
        self.address_space
            .known()
            .into_iter()
            .flatten()
            .filter_map(|p| p.known().cloned())
            .collect()
    }
}

pub struct LocalNetworkGateway;

#[async_trait]
impl Resource for LocalNetworkGateway {
    type Model = LocalNetworkGatewayModel;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("An on-premises site reached by a Site-to-Site VPN: its VPN device's address and the networks behind it.")
                .attribute(
                    Attribute::computed("id", Type::String)
                        .use_state_for_unknown()
                        .description("The local network gateway's GatewayId, as the service reports it. Also the import id."),
                )
                .attribute(
                    Attribute::required("name", Type::String)
                        .requires_replace()
                        .description("The local network gateway's name. Changing it creates a new one."),
                )
                .attribute(
                    Attribute::required("ip_address", Type::String)
                        .requires_replace()
                        .description("The public IPv4 address of the on-premises VPN device. Changing it creates a new one."),
                )
                .attribute(Attribute::required("address_space", Type::list(Type::String)).description(
                    "The on-premises address prefixes, in CIDR notation; they must not overlap the virtual \
                     network's. Updated in place.",
                )),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &LocalNetworkGatewayModel,
        diags: &mut Diagnostics,
    ) {
        diags.extend(diagnostics(check_local_network_gateway(&config.facts())));
    }

    /// Records the planned address space of an existing gateway, so that the plan of a connection
    /// to it (planned later, in the same process) checks CX-TRANSIT against the new value.
    async fn modify_plan(&self, ctx: &Context, plan: &mut Plan<LocalNetworkGatewayModel>) {
        if let (Some(client), Some(id)) = (optional_client(ctx), plan.planned.id.known_str()) {
            PlannedLocals::record(client.subscription_id(), id, plan.planned.facts());
        }
    }
}

/// The `terraform import` advice for an object that exists already.
fn already_exists(name: &str, id: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Local network gateway {name:?} already exists"),
        format!(
            "The subscription already has a local network gateway named {name:?} (id {id}). Import it \
             instead of creating another one:\n  {}",
            import_command(TYPE_NAME, id)
        ),
    )
}

/// The gateway with this id; `None` when the service no longer has it.
pub async fn find_by_id(
    client: &Client,
    ctx: &CallContext,
    id: &str,
) -> Result<Option<ServiceLocalGateway>, ClientError> {
    match client.get_local_network_gateway(ctx, id).await {
        Ok(gateway) => Ok(Some(gateway)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

async fn read_by_id(
    ctx: &Context,
    id: &str,
    action: &str,
) -> Result<Option<LocalNetworkGatewayModel>, Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    let found = find_by_id(&client, &call.ctx, id)
        .await
        .map_err(|e| api_error(action, &e))?;
    Ok(found.map(LocalNetworkGatewayModel::from_service))
}

/// Refuses a name the subscription already has, then creates the gateway.
async fn create(
    ctx: &Context,
    planned: LocalNetworkGatewayModel,
) -> Result<LocalNetworkGatewayModel, Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    let name = planned.name.known_str().unwrap_or_default().to_string();
    let existing = client
        .find_local_network_gateway(&call.ctx, &name)
        .await
        .map_err(|e| api_error("look for an existing local network gateway", &e))?;
    if let Some(existing) = existing {
        return Err(already_exists(&name, &existing.id).into());
    }
    let parameters = CreateLocalNetworkGatewayParameters {
        address_space: planned.known_address_space(),
        gateway_name: name,
        ip_address: planned
            .ip_address
            .known_str()
            .unwrap_or_default()
            .to_string(),
        bgp_settings: None,
    };
    let id = client
        .create_local_network_gateway(&call.ctx, &parameters)
        .await
        .map_err(|e| api_error("create the local network gateway", &e))?;
    Ok(LocalNetworkGatewayModel {
        id: Attr::Known(id),
        ..planned
    })
}

/// Only the address space changes in place (name and address replace). BGP settings set outside
/// Terraform are sent back unchanged: the update replaces both.
async fn update(
    ctx: &Context,
    id: &str,
    planned: LocalNetworkGatewayModel,
) -> Result<LocalNetworkGatewayModel, Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    let current = find_by_id(&client, &call.ctx, id)
        .await
        .map_err(|e| api_error("read the local network gateway", &e))?
        .ok_or_else(|| {
            Diagnostic::error(
                "Local network gateway not found",
                format!("The local network gateway {id} no longer exists; run terraform apply again to re-create it."),
            )
        })?;
    let parameters = UpdateLocalNetworkGatewayParameters {
        address_space: planned.known_address_space(),
        bgp_settings: current.bgp_settings,
    };
    client
        .update_local_network_gateway(&call.ctx, id, &parameters)
        .await
        .map_err(|e| api_error("update the local network gateway's address space", &e))?;
    Ok(planned)
}

async fn delete(ctx: &Context, id: &str) -> Result<(), Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    client
        .delete_local_network_gateway(&call.ctx, id)
        .await
        .map_err(|e| api_error("delete the local network gateway", &e).into())
}

#[async_trait]
impl ResourceCrud for LocalNetworkGateway {
    async fn create(
        &self,
        ctx: &Context,
        req: Create<LocalNetworkGatewayModel>,
    ) -> StateResult<LocalNetworkGatewayModel> {
        outcome(create(ctx, req.planned).await.map(Some))
    }

    async fn read(
        &self,
        ctx: &Context,
        req: Read<LocalNetworkGatewayModel>,
    ) -> StateResult<LocalNetworkGatewayModel> {
        let id = req.state.id.known_str().unwrap_or_default();
        outcome(read_by_id(ctx, id, "read the local network gateway").await)
    }

    async fn update(
        &self,
        ctx: &Context,
        req: Update<LocalNetworkGatewayModel>,
    ) -> StateResult<LocalNetworkGatewayModel> {
        let id = req.prior.id.known_str().unwrap_or_default();
        outcome(update(ctx, id, req.planned).await.map(Some))
    }

    async fn delete(&self, ctx: &Context, req: Delete<LocalNetworkGatewayModel>) -> Diagnostics {
        let id = req.prior.id.known_str().unwrap_or_default();
        deleted(delete(ctx, id).await)
    }

    async fn import(&self, ctx: &Context, id: &str) -> StateResult<LocalNetworkGatewayModel> {
        outcome(read_by_id(ctx, id.trim(), "import the local network gateway").await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_existing_object_error_gives_the_import_command() {
        let d = already_exists("Branch", "6f335915-0000-0000-0000-000000000001");
        assert!(d.detail.contains(
            "terraform import azureclassic_local_network_gateway.<NAME> 6f335915-0000-0000-0000-000000000001"
        ));
    }

    #[test]
    fn service_objects_become_known_state() {
        let model = LocalNetworkGatewayModel::from_service(ServiceLocalGateway {
            address_space: vec!["10.1.2.0/24".into()],
            gateway_name: "Branch".into(),
            id: "id-1".into(),
            ip_address: "23.39.1.2".into(),
            bgp_settings: None,
        });
        assert_eq!(model.id, Attr::Known("id-1".into()));
        assert_eq!(model.known_address_space(), ["10.1.2.0/24"]);
    }
}
