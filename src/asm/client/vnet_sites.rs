//! `GET services/networking/virtualnetwork`: the VNets as the service sees them, with their `Id`
//! (the VnetId that the multi-gateway API needs).

use reqwest::Method;

use super::context::CallContext;
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::Client;
use crate::asm::xml::messages::VirtualNetworkSiteInfo;

impl Client {
    pub async fn list_virtual_network_sites(
        &self,
        ctx: &CallContext,
    ) -> Result<Vec<VirtualNetworkSiteInfo>, ClientError> {
        let request = ApiRequest::new(
            Method::GET,
            ApiFamily::Network,
            &["services", "networking", "virtualnetwork"],
        );
        self.fetch_list(ctx, &request).await
    }

    /// The VNet with this name (the service compares names case-insensitively).
    pub async fn find_virtual_network_site(
        &self,
        ctx: &CallContext,
        name: &str,
    ) -> Result<Option<VirtualNetworkSiteInfo>, ClientError> {
        Ok(self
            .list_virtual_network_sites(ctx)
            .await?
            .into_iter()
            .find(|site| site.name.eq_ignore_ascii_case(name)))
    }

    /// The VNet whose `Id` (VnetId, as the multi-gateway API reports it) is `id`.
    pub async fn find_virtual_network_site_by_id(
        &self,
        ctx: &CallContext,
        id: &str,
    ) -> Result<Option<VirtualNetworkSiteInfo>, ClientError> {
        Ok(self
            .list_virtual_network_sites(ctx)
            .await?
            .into_iter()
            .find(|site| site.id.eq_ignore_ascii_case(id)))
    }
}
