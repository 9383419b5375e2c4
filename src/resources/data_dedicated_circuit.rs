//! `data "azureclassic_dedicated_circuit"`: an ExpressRoute circuit, found by its service key.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::pending::not_available;
use crate::framework::{Attr, Attribute, Block, Context, DataSource, Schema, StateResult, Type};

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
        _ctx: &Context,
        _config: DedicatedCircuitDataModel,
    ) -> StateResult<DedicatedCircuitDataModel> {
        StateResult::failed(not_available(self.type_name(), "read"))
    }
}
