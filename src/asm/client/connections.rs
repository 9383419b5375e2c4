//! Gateway connections between a VPN gateway and a local network gateway,
//! `services/networking/gatewayconnections` (all with `?api-version`). The shared key travels only
//! in request bodies, which are never logged.

use reqwest::Method;

use super::context::CallContext;
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::lifecycle::{stage_of, Stage};
use super::Client;
use crate::asm::xml::messages::{
    CreateGatewayConnectionParameters, GatewayConnection, Message,
    UpdateGatewayConnectionParameters,
};

fn connections_request(method: Method) -> ApiRequest {
    ApiRequest::new(
        method,
        ApiFamily::Network,
        &["services", "networking", "gatewayconnections"],
    )
    .with_api_version()
}

fn connection_request(method: Method, gateway_id: &str, entity_id: &str) -> ApiRequest {
    ApiRequest::new(
        method,
        ApiFamily::Network,
        &[
            "services",
            "networking",
            "gatewayconnections",
            "virtualnetworkgateway",
            gateway_id,
            "connectedentity",
            entity_id,
        ],
    )
    .with_api_version()
}

impl Client {
    /// Creates the connection and waits for it; a connection between the same two gateways created
    /// by an earlier, ambiguous attempt is returned instead of being created again.
    pub async fn create_gateway_connection(
        &self,
        ctx: &CallContext,
        parameters: &CreateGatewayConnectionParameters,
    ) -> Result<GatewayConnection, ClientError> {
        let request = connections_request(Method::POST).with_body(parameters.to_xml());
        let gateway_id = &parameters.connection.virtual_network_gateway_id;
        let entity_id = &parameters.connection.connected_entity_id;
        self.converge(ctx, &request, "the connection", || async move {
            stage_of(
                self.get_gateway_connection(ctx, gateway_id, entity_id)
                    .await,
                Stage::Ready,
            )
        })
        .await
    }

    pub async fn list_gateway_connections(
        &self,
        ctx: &CallContext,
    ) -> Result<Vec<GatewayConnection>, ClientError> {
        self.fetch_list(ctx, &connections_request(Method::GET))
            .await
    }

    pub async fn get_gateway_connection(
        &self,
        ctx: &CallContext,
        gateway_id: &str,
        entity_id: &str,
    ) -> Result<GatewayConnection, ClientError> {
        self.fetch(ctx, &connection_request(Method::GET, gateway_id, entity_id))
            .await
    }

    /// Changes the shared key, routing weight or BGP flag in place and waits for the operation.
    pub async fn update_gateway_connection(
        &self,
        ctx: &CallContext,
        gateway_id: &str,
        entity_id: &str,
        parameters: &UpdateGatewayConnectionParameters,
    ) -> Result<(), ClientError> {
        let request =
            connection_request(Method::PATCH, gateway_id, entity_id).with_body(parameters.to_xml());
        self.run_operation(ctx, &request).await
    }

    /// Deletes the connection and waits until it is gone; one already gone is not an error.
    pub async fn delete_gateway_connection(
        &self,
        ctx: &CallContext,
        gateway_id: &str,
        entity_id: &str,
    ) -> Result<(), ClientError> {
        let request = connection_request(Method::DELETE, gateway_id, entity_id);
        self.converge_delete(ctx, &request, || async move {
            stage_of(
                self.get_gateway_connection(ctx, gateway_id, entity_id)
                    .await,
                |_| Stage::Ready(()),
            )
        })
        .await
    }
}
