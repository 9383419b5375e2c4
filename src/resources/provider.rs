//! The provider block: how to reach and authenticate to the classic Service Management API.
//!
//! Configure resolves the block (with environment fallbacks) into an API [`Client`] that every
//! resource call receives as [`Connection`]. A block holding unknown values (a provider configured
//! from another resource's attributes) is deferred, not refused: plans then skip service lookups,
//! and apply, where the configuration is wholly known, configures for real.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::asm::client::secret::Secret;
use crate::asm::client::{Client, ClientSettings, ConfigError, ProviderConfig};
use crate::framework::erased::{DynDataSource, DynResource};
use crate::framework::{
    Attr, AttrPath, Attribute, Block, Context, Diagnostic, Diagnostics, Provider, ProviderData,
    Schema, Type,
};

/// The provider configuration. No `Debug`: it holds the certificate password.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct ProviderModel {
    pub subscription_id: Attr<String>,
    pub management_url: Attr<String>,
    pub publish_settings_file: Attr<String>,
    pub management_certificate_file: Attr<String>,
    pub management_certificate_password: Attr<String>,
    pub trusted_root_certificate_file: Attr<String>,
}

/// What Configure hands every resource call.
#[derive(Debug, Clone)]
pub enum Connection {
    Ready(Client),
    /// The provider block held unknown values: nothing can be asked of the service yet.
    Deferred,
}

impl Connection {
    /// The configured connection of this call.
    pub fn of(ctx: &Context) -> Result<Arc<Connection>, Diagnostic> {
        ctx.provider_data::<Connection>()
    }

    /// The client, if the provider is configured (plan-time lookups skip when it is not).
    pub fn client(&self) -> Option<&Client> {
        match self {
            Connection::Ready(client) => Some(client),
            Connection::Deferred => None,
        }
    }

    /// The client for a call that must reach the service (apply, read, import).
    pub fn required(&self) -> Result<&Client, Diagnostic> {
        self.client().ok_or_else(|| {
            Diagnostic::error(
                "Provider configuration not known yet",
                "The azureclassic provider block depends on values known only after apply, so the \
                 service cannot be reached in this step. Apply the resources it depends on first \
                 (terraform apply -target=...), then run this again.",
            )
        })
    }
}

#[derive(Default)]
pub struct AzureClassicProvider;

/// The provider attributes, their environment variables and what they are, for schema and messages.
const SUBSCRIPTION_ID: &str = "subscription_id";
const MANAGEMENT_URL: &str = "management_url";
const PUBLISH_SETTINGS_FILE: &str = "publish_settings_file";
const CERTIFICATE_FILE: &str = "management_certificate_file";
const CERTIFICATE_PASSWORD: &str = "management_certificate_password";
const TRUSTED_ROOT_FILE: &str = "trusted_root_certificate_file";

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
            .attribute(Attribute::optional(SUBSCRIPTION_ID, Type::String).description(
                "The Azure subscription id. Defaults to the `AZURE_SUBSCRIPTION_ID` environment variable, \
                 then to the subscription of the publish settings file.",
            ))
            .attribute(Attribute::optional(MANAGEMENT_URL, Type::String).description(
                "The Service Management endpoint. Defaults to the `AZURE_MANAGEMENT_URL` environment \
                 variable, then to `https://management.core.windows.net`. Point it at \
                 `azureclassic-emulator` to work without a subscription (plain `http://` is accepted \
                 for loopback addresses only).",
            ))
            .attribute(Attribute::optional(PUBLISH_SETTINGS_FILE, Type::String).description(
                "Path of a `.publishsettings` file holding the subscription id and its management \
                 certificate. Defaults to the `AZURE_PUBLISH_SETTINGS_FILE` environment variable.",
            ))
            .attribute(Attribute::optional(CERTIFICATE_FILE, Type::String).description(
                "Path of the management certificate with its private key: PKCS#12 (`.pfx`, `.p12`) or \
                 PEM (certificate and key in one file). Used instead of a publish settings file. \
                 Defaults to the `AZURE_MANAGEMENT_CERTIFICATE_FILE` environment variable.",
            ))
            .attribute(
                Attribute::optional(CERTIFICATE_PASSWORD, Type::String)
                    .sensitive()
                    .description(
                        "Password of a PKCS#12 `management_certificate_file`. Defaults to the \
                         `AZURE_MANAGEMENT_CERTIFICATE_PASSWORD` environment variable.",
                    ),
            )
            .attribute(Attribute::optional(TRUSTED_ROOT_FILE, Type::String).description(
                "Path of an extra trusted root certificate (PEM or DER) for the endpoint's TLS, e.g. \
                 the emulator's self-signed certificate. Defaults to the \
                 `AZURE_TRUSTED_ROOT_CERTIFICATE_FILE` environment variable.",
            )),
        )
    }

    async fn configure(
        &self,
        _ctx: &Context,
        _terraform_version: &str,
        config: ProviderModel,
    ) -> Result<ProviderData, Diagnostics> {
        let connection = configure(&config, |name| std::env::var(name).ok())?;
        Ok(Arc::new(connection))
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource>> {
        super::resources()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource>> {
        super::data_sources()
    }
}

/// Resolves the provider block into a connection, reading the environment through `env`.
fn configure(
    config: &ProviderModel,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Connection, Diagnostics> {
    let Some(resolved) = provider_config(config) else {
        return Ok(Connection::Deferred);
    };
    let resolved = resolved.with_env_defaults(env);
    let settings =
        ClientSettings::from_provider_config(&resolved).map_err(|e| config_diagnostic(&e))?;
    Client::new(settings)
        .map(Connection::Ready)
        .map_err(|e| config_diagnostic(&e).into())
}

/// The block as the client's config; `None` while any attribute is unknown.
fn provider_config(config: &ProviderModel) -> Option<ProviderConfig> {
    let text = |a: &Attr<String>| match a {
        Attr::Unknown => None,
        Attr::Null => Some(None),
        Attr::Known(v) => Some(Some(v.clone())),
    };
    let path = |a: &Attr<String>| text(a).map(|v| v.map(PathBuf::from));
    Some(ProviderConfig {
        subscription_id: text(&config.subscription_id)?,
        management_url: text(&config.management_url)?,
        publish_settings_file: path(&config.publish_settings_file)?,
        management_certificate_file: path(&config.management_certificate_file)?,
        management_certificate_password: text(&config.management_certificate_password)?
            .map(Secret::new),
        trusted_root_certificate_file: path(&config.trusted_root_certificate_file)?,
    })
}

/// A configuration error as a diagnostic on the attribute it concerns. The client's errors never
/// carry the password, so neither does this.
fn config_diagnostic(error: &ConfigError) -> Diagnostic {
    let (attribute, env) = match error {
        ConfigError::MissingSubscription => (SUBSCRIPTION_ID, "AZURE_SUBSCRIPTION_ID"),
        ConfigError::InvalidUrl(_) | ConfigError::PlainHttpNotLoopback(_) => {
            (MANAGEMENT_URL, "AZURE_MANAGEMENT_URL")
        }
        ConfigError::PublishSettings { .. } => {
            (PUBLISH_SETTINGS_FILE, "AZURE_PUBLISH_SETTINGS_FILE")
        }
        ConfigError::ReadFile { what, .. } => file_attribute(what),
        ConfigError::Certificate { what, .. } if what.starts_with("trusted root") => {
            file_attribute("trusted root certificate")
        }
        ConfigError::Certificate { what, .. }
            if what.starts_with("management certificate file") =>
        {
            (CERTIFICATE_FILE, "AZURE_MANAGEMENT_CERTIFICATE_FILE")
        }
        ConfigError::Certificate { .. } => (PUBLISH_SETTINGS_FILE, "AZURE_PUBLISH_SETTINGS_FILE"),
        ConfigError::HttpClient(_) => {
            return Diagnostic::error(
                "Cannot configure the azureclassic provider",
                error.to_string(),
            )
        }
    };
    Diagnostic::error(
        format!("Invalid azureclassic provider setting {attribute}"),
        format!(
            "{error}. Set `{attribute}` in the provider block or the {env} environment variable."
        ),
    )
    .at(AttrPath::attr(attribute))
}

fn file_attribute(what: &str) -> (&'static str, &'static str) {
    match what {
        "publish settings" => (PUBLISH_SETTINGS_FILE, "AZURE_PUBLISH_SETTINGS_FILE"),
        "trusted root certificate" => (TRUSTED_ROOT_FILE, "AZURE_TRUSTED_ROOT_CERTIFICATE_FILE"),
        _ => (CERTIFICATE_FILE, "AZURE_MANAGEMENT_CERTIFICATE_FILE"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(v: &str) -> Attr<String> {
        Attr::Known(v.to_string())
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn error_of(result: Result<Connection, Diagnostics>) -> Diagnostic {
        result
            .err()
            .and_then(|d| d.into_iter().next())
            .expect("a diagnostic")
    }

    #[tokio::test]
    async fn configures_a_client_from_the_block() {
        let config = ProviderModel {
            subscription_id: known("sub-1"),
            management_url: known("http://127.0.0.1:7080"),
            ..Default::default()
        };
        let connection = configure(&config, no_env).expect("configured");
        assert_eq!(
            connection.client().expect("ready").subscription_id(),
            "sub-1"
        );
    }

    #[tokio::test]
    async fn environment_fills_what_the_block_leaves_out() {
        let env = |name: &str| match name {
            "AZURE_SUBSCRIPTION_ID" => Some("from-env".to_string()),
            "AZURE_MANAGEMENT_URL" => Some("http://localhost:1".to_string()),
            _ => None,
        };
        let connection = configure(&ProviderModel::default(), env).expect("configured");
        assert_eq!(connection.required().unwrap().subscription_id(), "from-env");
    }

    #[test]
    fn unknown_values_defer_configuration() {
        let config = ProviderModel {
            subscription_id: Attr::Unknown,
            ..Default::default()
        };
        let connection = configure(&config, no_env).expect("deferred, not refused");
        assert!(connection.client().is_none());
        assert!(connection.required().is_err());
    }

    #[test]
    fn bad_input_names_the_attribute() {
        let missing = error_of(configure(&ProviderModel::default(), no_env));
        assert_eq!(missing.path, Some(AttrPath::attr(SUBSCRIPTION_ID)));
        assert!(missing.detail.contains("AZURE_SUBSCRIPTION_ID"));
        let cases = [
            (MANAGEMENT_URL, "http://management.example.com"),
            (PUBLISH_SETTINGS_FILE, "/nonexistent/x.publishsettings"),
            (CERTIFICATE_FILE, "/nonexistent/cert.pfx"),
            (TRUSTED_ROOT_FILE, "/nonexistent/root.pem"),
        ];
        for (attribute, value) in cases {
            let mut config = ProviderModel {
                subscription_id: known("s"),
                ..Default::default()
            };
            let slot = match attribute {
                MANAGEMENT_URL => &mut config.management_url,
                PUBLISH_SETTINGS_FILE => &mut config.publish_settings_file,
                CERTIFICATE_FILE => &mut config.management_certificate_file,
                _ => &mut config.trusted_root_certificate_file,
            };
            *slot = known(value);
            let d = error_of(configure(&config, no_env));
            assert_eq!(d.path, Some(AttrPath::attr(attribute)), "{}", d.detail);
        }
    }

    #[test]
    fn a_bad_certificate_names_the_file_never_the_password() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cert.pfx");
        std::fs::write(&path, b"not a certificate").unwrap();
        let config = ProviderModel {
            subscription_id: known("s"),
            management_certificate_file: known(&path.display().to_string()),
            management_certificate_password: known("TopSecretPw"),
            ..Default::default()
        };
        let d = error_of(configure(&config, no_env));
        assert_eq!(d.path, Some(AttrPath::attr(CERTIFICATE_FILE)));
        assert!(!format!("{} {}", d.summary, d.detail).contains("TopSecretPw"));
    }
}
