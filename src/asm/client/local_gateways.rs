//! Local network gateways (the on-premises side), `services/networking/localnetworkgateways`:
//! synchronous calls, all with `?api-version`.

use reqwest::Method;

use super::context::CallContext;
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::retry::Created;
use super::Client;
use crate::asm::xml::messages::{
    CreateLocalNetworkGatewayParameters, LocalNetworkGateway, Message, SerializedString,
    UpdateLocalNetworkGatewayParameters,
};

fn local_gateways_request(method: Method, id: Option<&str>) -> ApiRequest {
    let mut segments = vec!["services", "networking", "localnetworkgateways"];
    segments.extend(id);
    ApiRequest::new(method, ApiFamily::Network, &segments).with_api_version()
}

impl Client {
    /// Creates the local network gateway and returns its id. After an ambiguous failure it looks
    /// for a gateway of the same name before sending again, so no duplicate is created.
    pub async fn create_local_network_gateway(
        &self,
        ctx: &CallContext,
        parameters: &CreateLocalNetworkGatewayParameters,
    ) -> Result<String, ClientError> {
        let request = local_gateways_request(Method::POST, None).with_body(parameters.to_xml());
        let created = self
            .transport()
            .send_create(ctx, &request, || async move {
                Ok(self
                    .find_local_network_gateway(ctx, &parameters.gateway_name)
                    .await?
                    .map(|g| g.id))
            })
            .await?;
        match created {
            Created::Sent(response) => SerializedString::from_xml(&response.body)
                .map(|s| s.value)
                .map_err(|e| ClientError::Decode {
                    call: self.transport().call_site(&request),
                    reason: e.to_string(),
                }),
            Created::Found(id) => Ok(id),
        }
    }

    pub async fn list_local_network_gateways(
        &self,
        ctx: &CallContext,
    ) -> Result<Vec<LocalNetworkGateway>, ClientError> {
        self.fetch_list(ctx, &local_gateways_request(Method::GET, None))
            .await
    }

    pub async fn find_local_network_gateway(
        &self,
        ctx: &CallContext,
        name: &str,
    ) -> Result<Option<LocalNetworkGateway>, ClientError> {
        Ok(self
            .list_local_network_gateways(ctx)
            .await?
            .into_iter()
            .find(|g| g.gateway_name.eq_ignore_ascii_case(name)))
    }

    pub async fn get_local_network_gateway(
        &self,
        ctx: &CallContext,
        id: &str,
    ) -> Result<LocalNetworkGateway, ClientError> {
        self.fetch(ctx, &local_gateways_request(Method::GET, Some(id)))
            .await
    }

    /// Replaces the address space (and BGP settings) in place.
    pub async fn update_local_network_gateway(
        &self,
        ctx: &CallContext,
        id: &str,
        parameters: &UpdateLocalNetworkGatewayParameters,
    ) -> Result<(), ClientError> {
        let request =
            local_gateways_request(Method::PATCH, Some(id)).with_body(parameters.to_xml());
        self.transport().send(ctx, &request).await.map(drop)
    }

    /// Deletes the local network gateway; one already gone is not an error.
    pub async fn delete_local_network_gateway(
        &self,
        ctx: &CallContext,
        id: &str,
    ) -> Result<(), ClientError> {
        match self
            .transport()
            .send(ctx, &local_gateways_request(Method::DELETE, Some(id)))
            .await
        {
            Err(e) if !e.is_not_found() => Err(e),
            _ => Ok(()),
        }
    }
}
