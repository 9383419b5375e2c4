//! The provider block: how to reach and authenticate to the classic Service Management API.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::framework::erased::{DynDataSource, DynResource};
use crate::framework::{
    Attr, Attribute, Block, Context, Diagnostics, Provider, ProviderData, Schema, Type,
};

/// The provider configuration. No `Debug`: it holds the certificate password.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct ProviderModel {
    pub subscription_id: Attr<String>,
    pub management_url: Attr<String>,
    pub publish_settings_file: Attr<String>,
    pub management_certificate_file: Attr<String>,
    pub management_certificate_password: Attr<String>,
}

#[derive(Default)]
pub struct AzureClassicProvider;

#[async_trait]
impl Provider for AzureClassicProvider {
    type Model = ProviderModel;

    fn schema(&self) -> Schema {
        Schema::new(
            Block::new(
                "Manages Azure classic (Service Management) virtual networks whose ExpressRoute and \
                 Site-to-Site VPN connections coexist, and refuses at plan time what the classic \
                 coexistence procedure forbids.",
            )
            .attribute(Attribute::optional("subscription_id", Type::String).description(
                "The Azure subscription id. Defaults to the `AZURE_SUBSCRIPTION_ID` environment variable, \
                 then to the subscription of the publish settings file.",
            ))
            .attribute(Attribute::optional("management_url", Type::String).description(
                "The Service Management endpoint. Defaults to the `AZURE_MANAGEMENT_URL` environment \
                 variable, then to `https://management.core.windows.net`. Point it at \
                 `azureclassic-emulator` to work without a subscription.",
            ))
            .attribute(Attribute::optional("publish_settings_file", Type::String).description(
                "Path of a `.publishsettings` file holding the subscription id and its management \
                 certificate. Defaults to the `AZURE_PUBLISH_SETTINGS_FILE` environment variable.",
            ))
            .attribute(Attribute::optional("management_certificate_file", Type::String).description(
                "Path of the management certificate with its private key: PKCS#12 (`.pfx`, `.p12`) or \
                 PEM (certificate and key in one file). Used instead of a publish settings file.",
            ))
            .attribute(
                Attribute::optional("management_certificate_password", Type::String)
                    .sensitive()
                    .description("Password of a PKCS#12 `management_certificate_file`."),
            ),
        )
    }

    async fn configure(
        &self,
        _ctx: &Context,
        _terraform_version: &str,
        config: ProviderModel,
    ) -> Result<ProviderData, Diagnostics> {
        // The API client is built from this configuration once it exists; until then the
        // configuration itself is what resources receive.
        Ok(Arc::new(config))
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource>> {
        super::resources()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource>> {
        super::data_sources()
    }
}
