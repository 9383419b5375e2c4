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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::asm::client::fake_service::FakeService;
    use crate::asm::client::{ClientSettings, RetryPolicy};

    #[tokio::test]
    async fn a_create_whose_answer_was_lost_is_found_not_repeated() {
        let service = FakeService::start().await;
        service.script().lost_create_answers = 1;
        let mut settings = ClientSettings::new("s", &service.url).unwrap();
        settings.retry = RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        };
        let client = Client::new(settings).unwrap();
        let ctx = CallContext::with_timeout(Duration::from_secs(10));
        let id = client
            .create_local_network_gateway(
                &ctx,
                &CreateLocalNetworkGatewayParameters {
                    address_space: vec!["10.1.0.0/16".into()],
                    gateway_name: "onprem".into(),
                    ip_address: "23.39.1.2".into(),
                    bgp_settings: None,
                },
            )
            .await
            .unwrap();
        let stored = service.script().local_gateways.clone();
        assert_eq!(stored.len(), 1, "no duplicate was created");
        assert_eq!(stored[0].id, id);
        let stats = client.stats();
        assert_eq!(
            (
                stats.create_lookups,
                stats.create_lookup_hits,
                stats.server_errors
            ),
            (1, 1, 1)
        );
    }
}
