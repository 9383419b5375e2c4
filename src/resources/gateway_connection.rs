//! `azureclassic_gateway_connection`: a Site-to-Site connection between a VPN gateway and a local
//! network gateway (`New-AzureVirtualNetworkGatewayConnection`). The shared key is a secret: it
//! travels only in request bodies and the state, never in diagnostics or logs.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::facts::{enum_of, optional_fact};
use super::findings::{diagnostics, fact};
use super::joined_id;
use super::service::{
    api_error, connect, deleted, import_command, optional_client, outcome, ServiceCall,
};
use super::transit::check_with_surroundings;
use super::values::check_enum;
use crate::asm::client::{CallContext, Client, ClientError};
use crate::asm::xml::messages::{
    CreateGatewayConnectionParameters, GatewayConnection as ServiceConnection,
    GatewayConnectionType, SharedKey, UpdateGatewayConnectionParameters,
};
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Create, Delete, Diagnostic, Diagnostics, Plan, Read,
    Resource, ResourceCrud, Schema, StateResult, Type, Update, Value,
};
use crate::rules::{
    check_connection, ConnectionContext, ConnectionFacts, ConnectionType, Severity,
};

/// Real connections take minutes; the emulator's, milliseconds.
const TIMEOUT: Duration = Duration::from_secs(30 * 60);

const TYPE_NAME: &str = "azureclassic_gateway_connection";

/// Planned private data saying the plan already showed the CX-TRANSIT advisory, so apply does not
/// repeat it.
const ADVISED: &[u8] = b"cx-transit-advised";

/// No `Debug`: it holds the shared key.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GatewayConnectionModel {
    pub id: Attr<String>,
    pub name: Attr<String>,
    pub virtual_network_gateway_id: Attr<String>,
    pub local_network_gateway_id: Attr<String>,
    pub connection_type: Attr<String>,
    pub shared_key: Attr<String>,
    pub routing_weight: Attr<i64>,
}

impl GatewayConnectionModel {
    fn facts(&self) -> ConnectionFacts {
        ConnectionFacts {
            name: fact(&self.name),
            connection_type: enum_of(&self.connection_type),
            virtual_network_gateway_id: fact(&self.virtual_network_gateway_id),
            local_network_gateway_id: fact(&self.local_network_gateway_id),
            routing_weight: optional_fact(&self.routing_weight),
        }
    }

    fn ids(&self) -> (&str, &str) {
        (
            self.virtual_network_gateway_id
                .known_str()
                .unwrap_or_default(),
            self.local_network_gateway_id
                .known_str()
                .unwrap_or_default(),
        )
    }

    /// The service's connection as state. The service may leave the key out of its answer: then
    /// the one Terraform knows stands.
    fn from_service(c: ServiceConnection, known_key: &Attr<String>) -> GatewayConnectionModel {
        GatewayConnectionModel {
            id: Attr::Known(format!(
                "{}/{}",
                c.virtual_network_gateway_id, c.connected_entity_id
            )),
            name: Attr::Known(c.gateway_connection_name),
            connection_type: Attr::Known(c.gateway_connection_type.as_str().to_string()),
            shared_key: c.shared_key.map_or_else(
                || known_key.clone(),
                |k| Attr::Known(k.expose().to_string()),
            ),
            routing_weight: c.routing_weight.map(i64::from).into(),
            virtual_network_gateway_id: Attr::Known(c.virtual_network_gateway_id),
            local_network_gateway_id: Attr::Known(c.connected_entity_id),
        }
    }

    fn routing_weight(&self) -> Option<i32> {
        self.routing_weight
            .known()
            .and_then(|w| i32::try_from(*w).ok())
    }

    fn shared_key(&self) -> Option<SharedKey> {
        self.shared_key.known_str().map(SharedKey::new)
    }
}

pub struct GatewayConnection;

#[async_trait]
impl Resource for GatewayConnection {
    type Model = GatewayConnectionModel;

    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("A Site-to-Site VPN connection from a virtual network's VPN gateway to a local network gateway.")
                .attribute(Attribute::computed("id", Type::String).description(
                    "`{virtual_network_gateway_id}/{local_network_gateway_id}`, also the import id.",
                ))
                .attribute(
                    Attribute::required("name", Type::String)
                        .requires_replace()
                        .description("The connection's name. Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::required("virtual_network_gateway_id", Type::String)
                        .requires_replace()
                        .description("The id of the `Vpn` `azureclassic_virtual_network_gateway`. Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::required("local_network_gateway_id", Type::String)
                        .requires_replace()
                        .description("The id of the `azureclassic_local_network_gateway`. Its address space must not overlap the virtual network's (CX-TRANSIT). Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::optional_computed("connection_type", Type::String)
                        .default(Value::string("IPsec"))
                        .requires_replace()
                        .description("`IPsec` (the default), `Dedicated`, `Vnet2Vnet` or `VPNClient`. Changing it creates a new connection."),
                )
                .attribute(
                    Attribute::required("shared_key", Type::String)
                        .sensitive()
                        .description("The IPsec pre-shared key, also configured on the on-premises device. Updated in place; a key changed outside Terraform shows as an update."),
                )
                .attribute(
                    Attribute::optional("routing_weight", Type::Number)
                        .description("The connection's routing weight, when several connections reach the same networks. Updated in place; removing it creates a new connection (the service cannot unset it)."),
                ),
        )
    }

    async fn validate(
        &self,
        _ctx: &Context,
        config: &GatewayConnectionModel,
        diags: &mut Diagnostics,
    ) {
        check_enum::<ConnectionType>(
            &config.connection_type,
            AttrPath::attr("connection_type"),
            diags,
        );
        let facts = config.facts();
        diags.extend(diagnostics(check_connection(
            &facts,
            &ConnectionContext::default(),
        )));
    }

    /// CX-TRANSIT where both gateways are known: errors on every plan (an overlap may come from
    /// the local network gateway's own planned change), the advisory only when the connection is
    /// created or changed.
    async fn modify_plan(&self, ctx: &Context, plan: &mut Plan<GatewayConnectionModel>) {
        let planned = &mut plan.planned;
        planned.id = joined_id(&[
            &planned.virtual_network_gateway_id,
            &planned.local_network_gateway_id,
        ]);
        if let Some(prior) = &plan.prior {
            if prior.routing_weight.known().is_some() && planned.routing_weight.is_null() {
                plan.requires_replace.push(AttrPath::attr("routing_weight"));
            }
        }
        let Some(client) = optional_client(ctx) else {
            return;
        };
        let changed = plan.prior.as_ref() != Some(&plan.planned);
        let call = ServiceCall::new(ctx, TIMEOUT);
        // Not checkable now (an object missing, or the service unreachable): apply checks again
        // before the create, and the service enforces the rule too.
        if let Ok(Some(findings)) =
            check_with_surroundings(ctx, &client, &call, &plan.planned.facts()).await
        {
            let advised = findings.iter().any(|f| f.severity == Severity::Warning);
            let shown = findings
                .into_iter()
                .filter(|f| f.severity == Severity::Error || changed);
            plan.diagnostics.extend(diagnostics(shown));
            if advised && changed {
                plan.planned_private = ADVISED.to_vec();
            }
        }
    }
}

/// The connection between these gateways; `None` when the service has none.
async fn find(
    client: &Client,
    ctx: &CallContext,
    gateway_id: &str,
    local_id: &str,
) -> Result<Option<ServiceConnection>, ClientError> {
    match client
        .get_gateway_connection(ctx, gateway_id, local_id)
        .await
    {
        Ok(c) => Ok(Some(c)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

fn already_exists(id: &str) -> Diagnostic {
    Diagnostic::error(
        "Gateway connection already exists",
        format!(
            "The VPN gateway already has a connection to this local network gateway. Import it \
             instead of creating another one:\n  {}",
            import_command(TYPE_NAME, id)
        ),
    )
}

/// The import id's two gateway ids.
fn parse_import_id(id: &str) -> Result<(&str, &str), Diagnostic> {
    match id.trim().split('/').collect::<Vec<_>>()[..] {
        [gateway, local] if !gateway.is_empty() && !local.is_empty() => Ok((gateway, local)),
        _ => Err(Diagnostic::error(
            "Invalid import id",
            format!("{id:?} is not {{virtual_network_gateway_id}}/{{local_network_gateway_id}}."),
        )),
    }
}

/// Apply-time CX-TRANSIT, before anything is sent: errors refuse the create; the advisory is
/// shown here unless the plan already showed it.
async fn check_before_create(
    ctx: &Context,
    client: &Client,
    call: &ServiceCall,
    planned: &GatewayConnectionModel,
    advised: bool,
) -> Diagnostics {
    match check_with_surroundings(ctx, client, call, &planned.facts()).await {
        Ok(findings) => diagnostics(
            findings
                .into_iter()
                .flatten()
                .filter(|f| f.severity == Severity::Error || !advised),
        ),
        Err(e) => api_error("check the connection's address spaces (CX-TRANSIT)", &e).into(),
    }
}

async fn read_connection(
    ctx: &Context,
    gateway_id: &str,
    local_id: &str,
    known_key: &Attr<String>,
    action: &str,
) -> Result<Option<GatewayConnectionModel>, Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    let found = find(&client, &call.ctx, gateway_id, local_id)
        .await
        .map_err(|e| api_error(action, &e))?;
    Ok(found.map(|c| GatewayConnectionModel::from_service(c, known_key)))
}

/// CX-TRANSIT, then a refusal of a connection that exists already, then the create; the
/// advisory (unless the plan showed it) comes back with the state.
async fn create(
    ctx: &Context,
    planned: GatewayConnectionModel,
    advised: bool,
) -> Result<(GatewayConnectionModel, Diagnostics), Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    let checks = check_before_create(ctx, &client, &call, &planned, advised).await;
    if checks.has_errors() {
        return Err(checks);
    }
    let (gateway_id, local_id) = planned.ids();
    let existing = find(&client, &call.ctx, gateway_id, local_id)
        .await
        .map_err(|e| api_error("look for an existing connection", &e))?;
    if existing.is_some() {
        return Err(already_exists(planned.id.known_str().unwrap_or_default()).into());
    }
    let parameters = CreateGatewayConnectionParameters {
        connection: ServiceConnection {
            connected_entity_id: local_id.to_string(),
            gateway_connection_name: planned.name.known_str().unwrap_or_default().to_string(),
            gateway_connection_type: planned
                .connection_type
                .known_str()
                .and_then(|t| t.parse().ok())
                .unwrap_or(GatewayConnectionType::IPsec),
            virtual_network_gateway_id: gateway_id.to_string(),
            routing_weight: planned.routing_weight(),
            shared_key: planned.shared_key(),
            enable_bgp: None,
        },
    };
    client
        .create_gateway_connection(&call.ctx, &parameters)
        .await
        .map_err(|e| api_error("create the gateway connection", &e))?;
    Ok((planned, checks))
}

/// The shared key (only when it changed) and routing weight, in place. An update that changes
/// neither (Terraform re-marking a value sensitive, say) sends nothing.
async fn update(
    ctx: &Context,
    prior: &GatewayConnectionModel,
    planned: GatewayConnectionModel,
) -> Result<GatewayConnectionModel, Diagnostics> {
    if planned.shared_key == prior.shared_key && planned.routing_weight == prior.routing_weight {
        return Ok(planned);
    }
    let (client, call) = connect(ctx, TIMEOUT)?;
    let (gateway_id, local_id) = prior.ids();
    let parameters = UpdateGatewayConnectionParameters {
        routing_weight: planned.routing_weight(),
        shared_key: (planned.shared_key != prior.shared_key)
            .then(|| planned.shared_key())
            .flatten(),
        enable_bgp: None,
    };
    client
        .update_gateway_connection(&call.ctx, gateway_id, local_id, &parameters)
        .await
        .map_err(|e| api_error("update the gateway connection", &e))?;
    Ok(planned)
}

async fn delete(ctx: &Context, prior: &GatewayConnectionModel) -> Result<(), Diagnostics> {
    let (client, call) = connect(ctx, TIMEOUT)?;
    let (gateway_id, local_id) = prior.ids();
    client
        .delete_gateway_connection(&call.ctx, gateway_id, local_id)
        .await
        .map_err(|e| api_error("delete the gateway connection", &e).into())
}

#[async_trait]
impl ResourceCrud for GatewayConnection {
    async fn create(
        &self,
        ctx: &Context,
        req: Create<GatewayConnectionModel>,
    ) -> StateResult<GatewayConnectionModel> {
        match create(ctx, req.planned, req.private == ADVISED).await {
            Ok((state, warnings)) => StateResult::ok(state).with_diagnostics(warnings),
            Err(errors) => StateResult::failed(errors),
        }
    }

    async fn read(
        &self,
        ctx: &Context,
        req: Read<GatewayConnectionModel>,
    ) -> StateResult<GatewayConnectionModel> {
        let (gateway_id, local_id) = req.state.ids();
        let action = "read the gateway connection";
        outcome(read_connection(ctx, gateway_id, local_id, &req.state.shared_key, action).await)
    }

    async fn update(
        &self,
        ctx: &Context,
        req: Update<GatewayConnectionModel>,
    ) -> StateResult<GatewayConnectionModel> {
        outcome(update(ctx, &req.prior, req.planned).await.map(Some))
    }

    async fn delete(&self, ctx: &Context, req: Delete<GatewayConnectionModel>) -> Diagnostics {
        deleted(delete(ctx, &req.prior).await)
    }

    async fn import(&self, ctx: &Context, id: &str) -> StateResult<GatewayConnectionModel> {
        let (gateway_id, local_id) = match parse_import_id(id) {
            Ok(ids) => ids,
            Err(d) => return StateResult::failed(d),
        };
        let action = "import the gateway connection";
        outcome(read_connection(ctx, gateway_id, local_id, &Attr::Null, action).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service_connection(key: Option<&str>) -> ServiceConnection {
        ServiceConnection {
            connected_entity_id: "local-1".into(),
            gateway_connection_name: "Azure2Local".into(),
            gateway_connection_type: GatewayConnectionType::IPsec,
            virtual_network_gateway_id: "gw-1".into(),
            routing_weight: Some(3),
            shared_key: key.map(SharedKey::new),
            enable_bgp: None,
        }
    }

    #[test]
    fn the_service_key_wins_so_drift_shows() {
        let stored = Attr::Known("old".to_string());
        let read =
            GatewayConnectionModel::from_service(service_connection(Some("changed")), &stored);
        assert_eq!(read.shared_key, Attr::Known("changed".into()));
        assert_eq!(read.id, Attr::Known("gw-1/local-1".into()));
        assert_eq!(read.routing_weight, Attr::Known(3));
        let without = GatewayConnectionModel::from_service(service_connection(None), &stored);
        assert_eq!(without.shared_key, stored);
    }

    fn model(key: &str, weight: Attr<i64>) -> GatewayConnectionModel {
        GatewayConnectionModel {
            shared_key: Attr::Known(key.into()),
            routing_weight: weight,
            ..Default::default()
        }
    }

    /// Without a configured provider any call would fail: success means no call was made.
    #[tokio::test]
    async fn an_update_changing_nothing_the_service_holds_sends_nothing() {
        let prior = model("k", Attr::Known(3));
        let same = update(&Context::detached(), &prior, prior.clone()).await;
        assert!(same.is_ok());
        let rotated = update(&Context::detached(), &prior, model("new", Attr::Known(3))).await;
        assert!(rotated.is_err(), "a new key goes to the service");
    }

    #[tokio::test]
    async fn removing_the_routing_weight_replaces_the_connection() {
        let mut plan = Plan {
            config: model("k", Attr::Null),
            prior: Some(model("k", Attr::Known(3))),
            planned: model("k", Attr::Null),
            prior_private: Vec::new(),
            planned_private: Vec::new(),
            requires_replace: Vec::new(),
            diagnostics: Diagnostics::new(),
        };
        GatewayConnection
            .modify_plan(&Context::detached(), &mut plan)
            .await;
        assert_eq!(plan.requires_replace, [AttrPath::attr("routing_weight")]);
        assert!(plan.diagnostics.is_empty());
    }

    #[test]
    fn import_ids_are_two_gateway_ids() {
        assert_eq!(parse_import_id("gw/local").ok(), Some(("gw", "local")));
        for bad in ["gw", "gw/", "/local", "a/b/c", ""] {
            let d = parse_import_id(bad).expect_err(bad);
            assert!(d
                .detail
                .contains("{virtual_network_gateway_id}/{local_network_gateway_id}"));
        }
    }

    #[test]
    fn the_existing_object_error_gives_the_import_command() {
        assert!(already_exists("gw/local")
            .detail
            .contains("terraform import azureclassic_gateway_connection.<NAME> gw/local"));
    }
}
