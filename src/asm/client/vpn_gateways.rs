//! The multi-gateway API's virtual network gateways, `services/networking/virtualnetworkgateways`:
//! the S2S VPN gateway of the coexistence procedure.

use reqwest::Method;

use super::context::CallContext;
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::lifecycle::{stage_of, Stage};
use super::Client;
use crate::asm::xml::messages::{
    CreateVirtualNetworkGatewayParameters, GatewaySize, GatewayState, Message,
    VirtualNetworkGateway,
};

fn gateways_request(method: Method, tail: &[&str]) -> ApiRequest {
    let mut segments = vec!["services", "networking"];
    segments.extend_from_slice(tail);
    ApiRequest::new(method, ApiFamily::Network, &segments)
}

fn gateway_request(method: Method, gateway_id: &str) -> ApiRequest {
    gateways_request(method, &["virtualnetworkgateways", gateway_id])
}

fn provisioning_stage(gateway: VirtualNetworkGateway) -> Stage<VirtualNetworkGateway> {
    match gateway.state {
        GatewayState::Provisioned => Stage::Ready(gateway),
        GatewayState::Provisioning => Stage::Busy,
        other => Stage::Stuck(other.as_str().to_string()),
    }
}

impl Client {
    pub async fn list_vpn_gateways(
        &self,
        ctx: &CallContext,
    ) -> Result<Vec<VirtualNetworkGateway>, ClientError> {
        let request = gateways_request(Method::GET, &["virtualnetworkgateways"]).with_api_version();
        self.fetch_list(ctx, &request).await
    }

    pub async fn get_vpn_gateway(
        &self,
        ctx: &CallContext,
        gateway_id: &str,
    ) -> Result<VirtualNetworkGateway, ClientError> {
        self.fetch(ctx, &gateway_request(Method::GET, gateway_id))
            .await
    }

    /// The gateway named `name` on the VNet with `vnet_id` (any VNet when `vnet_id` is empty).
    pub async fn find_vpn_gateway(
        &self,
        ctx: &CallContext,
        vnet_id: &str,
        name: &str,
    ) -> Result<Option<VirtualNetworkGateway>, ClientError> {
        Ok(self.list_vpn_gateways(ctx).await?.into_iter().find(|g| {
            g.gateway_name.eq_ignore_ascii_case(name)
                && (vnet_id.is_empty() || g.vnet_id.eq_ignore_ascii_case(vnet_id))
        }))
    }

    /// Creates a gateway on `vnet_name` and waits until it is `Provisioned`. The operation's result
    /// carries no id, so the new gateway is found by its `GatewayName` (and `VnetId` when given).
    pub async fn create_vpn_gateway(
        &self,
        ctx: &CallContext,
        vnet_name: &str,
        parameters: &CreateVirtualNetworkGatewayParameters,
    ) -> Result<VirtualNetworkGateway, ClientError> {
        let request = gateways_request(Method::POST, &[vnet_name, "virtualnetworkgateways"])
            .with_body(parameters.to_xml());
        let name = parameters.gateway_name.as_deref().unwrap_or_default();
        let vnet_id = parameters.vnet_id.as_deref().unwrap_or_default();
        self.converge(ctx, &request, "the VPN gateway", || async move {
            Ok(match self.find_vpn_gateway(ctx, vnet_id, name).await? {
                None => Stage::Absent,
                Some(gateway) => provisioning_stage(gateway),
            })
        })
        .await
    }

    pub async fn resize_vpn_gateway(
        &self,
        ctx: &CallContext,
        gateway_id: &str,
        size: GatewaySize,
    ) -> Result<VirtualNetworkGateway, ClientError> {
        let request = gateway_request(Method::PATCH, gateway_id);
        self.resize_gateway(ctx, request, size, || async move {
            let gateway = self.get_vpn_gateway(ctx, gateway_id).await?;
            Ok((gateway.state, gateway.gateway_size, gateway))
        })
        .await
    }

    /// Deletes the gateway and waits until it is gone; a gateway already gone is not an error.
    pub async fn delete_vpn_gateway(
        &self,
        ctx: &CallContext,
        gateway_id: &str,
    ) -> Result<(), ClientError> {
        self.converge_delete(
            ctx,
            &gateway_request(Method::DELETE, gateway_id),
            || async move {
                stage_of(self.get_vpn_gateway(ctx, gateway_id).await, |g| {
                    match g.state {
                        GatewayState::Deprovisioning => Stage::Busy,
                        _ => Stage::Ready(()),
                    }
                })
            },
        )
        .await
    }
}
