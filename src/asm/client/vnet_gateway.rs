//! The VNet's own gateway, `services/networking/{vnet}/gateway`: the ExpressRoute gateway of the
//! coexistence procedure.

use std::future::Future;

use reqwest::Method;

use super::context::CallContext;
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::lifecycle::Stage;
use super::Client;
use crate::asm::xml::messages::{
    CreateGatewayParameters, Gateway, GatewaySize, GatewayState, Message, UpdateGatewayOperation,
    UpdateGatewayParameters,
};

fn gateway_request(method: Method, vnet: &str) -> ApiRequest {
    ApiRequest::new(
        method,
        ApiFamily::Network,
        &["services", "networking", vnet, "gateway"],
    )
}

impl Client {
    /// The VNet's gateway; a VNet without one answers with state `NotProvisioned`.
    pub async fn get_vnet_gateway(
        &self,
        ctx: &CallContext,
        vnet: &str,
    ) -> Result<Gateway, ClientError> {
        self.fetch(ctx, &gateway_request(Method::GET, vnet)).await
    }

    /// Creates the VNet's gateway and waits until it is `Provisioned` (about 30 minutes on Azure).
    pub async fn create_vnet_gateway(
        &self,
        ctx: &CallContext,
        vnet: &str,
        parameters: &CreateGatewayParameters,
    ) -> Result<Gateway, ClientError> {
        let request = gateway_request(Method::POST, vnet).with_body(parameters.to_xml());
        self.converge(ctx, &request, "the gateway", || async move {
            let gateway = self.get_vnet_gateway(ctx, vnet).await?;
            Ok(match gateway.state {
                GatewayState::NotProvisioned => Stage::Absent,
                GatewayState::Provisioning => Stage::Busy,
                GatewayState::Provisioned => Stage::Ready(gateway),
                GatewayState::Deprovisioning => Stage::Stuck("Deprovisioning".to_string()),
            })
        })
        .await
    }

    /// Resizes the gateway (its SKU) and waits until it is `Provisioned` at the new size.
    pub async fn resize_vnet_gateway(
        &self,
        ctx: &CallContext,
        vnet: &str,
        size: GatewaySize,
    ) -> Result<Gateway, ClientError> {
        let request = gateway_request(Method::PATCH, vnet);
        self.resize_gateway(ctx, request, size, || async move {
            let gateway = self.get_vnet_gateway(ctx, vnet).await?;
            Ok((gateway.state, gateway.gateway_size, gateway))
        })
        .await
    }

    /// Sends `Resize` to `size` with `patch` (either gateway API), then waits until `fetch` shows
    /// the gateway provisioned at that size.
    pub(crate) async fn resize_gateway<T, F, Fut>(
        &self,
        ctx: &CallContext,
        patch: ApiRequest,
        size: GatewaySize,
        fetch: F,
    ) -> Result<T, ClientError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(GatewayState, Option<GatewaySize>, T), ClientError>>,
    {
        let body = UpdateGatewayParameters {
            gateway_size: Some(size),
            operation: UpdateGatewayOperation::Resize,
        };
        let request = patch.with_body(body.to_xml());
        self.converge(ctx, &request, "the gateway", || {
            let read = fetch();
            async move {
                let (state, current, gateway) = read.await?;
                Ok(resize_stage(state, current, size, gateway))
            }
        })
        .await
    }

    /// Deletes the gateway and waits until the VNet reports `NotProvisioned`.
    pub async fn delete_vnet_gateway(
        &self,
        ctx: &CallContext,
        vnet: &str,
    ) -> Result<(), ClientError> {
        self.converge_delete(ctx, &gateway_request(Method::DELETE, vnet), || async move {
            Ok(match self.get_vnet_gateway(ctx, vnet).await?.state {
                GatewayState::NotProvisioned => Stage::Absent,
                GatewayState::Deprovisioning => Stage::Busy,
                GatewayState::Provisioning | GatewayState::Provisioned => Stage::Ready(()),
            })
        })
        .await
    }
}

/// A resize is done when the gateway is provisioned at the target size; provisioned at another
/// size means it has not happened (yet).
fn resize_stage<T>(
    state: GatewayState,
    current: Option<GatewaySize>,
    target: GatewaySize,
    gateway: T,
) -> Stage<T> {
    match state {
        GatewayState::Provisioned if current == Some(target) => Stage::Ready(gateway),
        GatewayState::Provisioned => Stage::Absent,
        GatewayState::Provisioning => Stage::Busy,
        other => Stage::Stuck(other.as_str().to_string()),
    }
}
