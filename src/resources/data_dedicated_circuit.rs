//! `data "azureclassic_dedicated_circuit"`: an ExpressRoute circuit, found by its service key.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::service::{api_error, connect};
use crate::asm::client::ClientError;
use crate::asm::xml::messages::DedicatedCircuit;
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, DataSource, Diagnostic, Schema, StateResult, Type,
};

/// One read; bounds retries and backoff.
const TIMEOUT: Duration = Duration::from_secs(5 * 60);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DedicatedCircuitDataModel {
    pub id: Attr<String>,
    pub service_key: Attr<String>,
    pub name: Attr<String>,
    pub location: Attr<String>,
    pub bandwidth: Attr<i64>,
    pub status: Attr<String>,
    pub service_provider_provisioning_state: Attr<String>,
    pub sku: Attr<String>,
    pub billing_type: Attr<String>,
    pub service_provider_name: Attr<String>,
}

pub struct DedicatedCircuitData;

fn computed(name: &str, ty: Type, description: &str) -> Attribute {
    Attribute::computed(name, ty).description(description)
}

#[async_trait]
impl DataSource for DedicatedCircuitData {
    type Model = DedicatedCircuitDataModel;

    fn type_name(&self) -> &'static str {
        "azureclassic_dedicated_circuit"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "An ExpressRoute circuit, found by its service key. Check \
                 `service_provider_provisioning_state` is `Provisioned` before linking it to a network.",
            )
            .attribute(computed("id", Type::String, "The circuit's service key."))
            .attribute(
                Attribute::required("service_key", Type::String).description("The circuit's service key (a GUID)."),
            )
            .attribute(computed("name", Type::String, "The circuit's name."))
            .attribute(computed("location", Type::String, "The peering location, e.g. `Amsterdam`."))
            .attribute(computed("bandwidth", Type::Number, "The circuit's bandwidth in Mbps."))
            .attribute(computed("status", Type::String, "The circuit's status on the Microsoft side, e.g. `Enabled`."))
            .attribute(computed(
                "service_provider_provisioning_state",
                Type::String,
                "The connectivity provider's state: `NotProvisioned`, `Provisioning`, `Provisioned` or `DeProvisioning`.",
            ))
            .attribute(computed("sku", Type::String, "The circuit's SKU, e.g. `Standard` or `Premium`."))
            .attribute(computed("billing_type", Type::String, "`MeteredData` or `UnlimitedData`."))
            .attribute(computed("service_provider_name", Type::String, "The connectivity provider's name.")),
        )
    }

    async fn read(
        &self,
        ctx: &Context,
        config: DedicatedCircuitDataModel,
    ) -> StateResult<DedicatedCircuitDataModel> {
        let (client, call) = match connect(ctx, TIMEOUT) {
            Ok(connected) => connected,
            Err(d) => return StateResult::failed(d),
        };
        let key = config.service_key.known_str().unwrap_or_default().trim();
        match client.get_dedicated_circuit(&call.ctx, key).await {
            Ok(circuit) => StateResult::ok(DedicatedCircuitDataModel::from_service(circuit)),
            Err(e) => StateResult::failed(read_error(key, client.subscription_id(), &e)),
        }
    }
}

impl DedicatedCircuitDataModel {
    fn from_service(c: DedicatedCircuit) -> DedicatedCircuitDataModel {
        let known = |s: String| Attr::Known(s);
        DedicatedCircuitDataModel {
            id: known(c.service_key.clone()),
            service_key: known(c.service_key),
            name: known(c.circuit_name),
            location: known(c.location),
            bandwidth: Attr::Known(i64::from(c.bandwidth)),
            status: known(c.status.as_str().to_string()),
            service_provider_provisioning_state: known(
                c.service_provider_provisioning_state.as_str().to_string(),
            ),
            sku: c.sku.into(),
            billing_type: c.billing_type.into(),
            service_provider_name: known(c.service_provider_name),
        }
    }
}

/// "Not found" in the user's terms; anything else as the service said it.
fn read_error(key: &str, subscription: &str, error: &ClientError) -> Diagnostic {
    if error.is_not_found() {
        return Diagnostic::error(
            "ExpressRoute circuit not found",
            format!(
                "Subscription {subscription} has no ExpressRoute circuit with service key {key:?}. \
                 Check the key your connectivity provider gave you (Get-AzureDedicatedCircuit lists \
                 the subscription's circuits)."
            ),
        )
        .at(AttrPath::attr("service_key"));
    }
    api_error("read the ExpressRoute circuit", error)
}
