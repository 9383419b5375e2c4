//! ExpressRoute classic: dedicated circuits (read only: the provider links to existing ones) and
//! their VNet links. Family `2011-10-01` with `?api-version=1.0`.

use reqwest::Method;

use super::context::CallContext;
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::lifecycle::{stage_of, Stage};
use super::Client;
use crate::asm::xml::messages::{DedicatedCircuit, DedicatedCircuitLink, LinkState};

fn circuits_request(method: Method, tail: &[&str]) -> ApiRequest {
    let mut segments = vec!["services", "networking", "dedicatedcircuits"];
    segments.extend_from_slice(tail);
    ApiRequest::new(method, ApiFamily::ExpressRoute, &segments)
}

fn link_request(method: Method, service_key: &str, vnet: &str) -> ApiRequest {
    circuits_request(method, &[service_key, "vnets", vnet])
}

impl Client {
    /// The circuit with this service key (404 `ResourceNotFound` when there is none).
    pub async fn get_dedicated_circuit(
        &self,
        ctx: &CallContext,
        service_key: &str,
    ) -> Result<DedicatedCircuit, ClientError> {
        self.fetch(ctx, &circuits_request(Method::GET, &[service_key]))
            .await
    }

    pub async fn list_dedicated_circuits(
        &self,
        ctx: &CallContext,
    ) -> Result<Vec<DedicatedCircuit>, ClientError> {
        self.fetch_list(ctx, &circuits_request(Method::GET, &[]))
            .await
    }

    /// Links the VNet to the circuit and waits until the link is `Provisioned`.
    pub async fn create_circuit_link(
        &self,
        ctx: &CallContext,
        service_key: &str,
        vnet: &str,
    ) -> Result<DedicatedCircuitLink, ClientError> {
        let request = link_request(Method::POST, service_key, vnet);
        self.converge(ctx, &request, "the circuit link", || async move {
            stage_of(
                self.get_circuit_link(ctx, service_key, vnet).await,
                |link| match link.state {
                    LinkState::NotProvisioned => Stage::Absent,
                    LinkState::Provisioning => Stage::Busy,
                    LinkState::Provisioned => Stage::Ready(link),
                    other => Stage::Stuck(other.as_str().to_string()),
                },
            )
        })
        .await
    }

    pub async fn get_circuit_link(
        &self,
        ctx: &CallContext,
        service_key: &str,
        vnet: &str,
    ) -> Result<DedicatedCircuitLink, ClientError> {
        self.fetch(ctx, &link_request(Method::GET, service_key, vnet))
            .await
    }

    pub async fn list_circuit_links(
        &self,
        ctx: &CallContext,
        service_key: &str,
    ) -> Result<Vec<DedicatedCircuitLink>, ClientError> {
        self.fetch_list(ctx, &circuits_request(Method::GET, &[service_key, "vnets"]))
            .await
    }

    /// Unlinks the VNet and waits until the link is gone; a link already gone is not an error.
    pub async fn delete_circuit_link(
        &self,
        ctx: &CallContext,
        service_key: &str,
        vnet: &str,
    ) -> Result<(), ClientError> {
        let request = link_request(Method::DELETE, service_key, vnet);
        self.converge_delete(ctx, &request, || async move {
            stage_of(
                self.get_circuit_link(ctx, service_key, vnet).await,
                |link| match link.state {
                    LinkState::NotProvisioned => Stage::Absent,
                    LinkState::Deprovisioning => Stage::Busy,
                    _ => Stage::Ready(()),
                },
            )
        })
        .await
    }
}
