//! Client settings, resolved from the provider configuration: subscription, endpoint, credentials.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use super::auth::{AuthError, ClientIdentity, TrustedRoot};
use super::operations::PollPolicy;
use super::publish_settings::{PublishSettings, PublishSettingsError};
use super::retry::RetryPolicy;
use super::secret::Secret;

pub const DEFAULT_MANAGEMENT_URL: &str = "https://management.core.windows.net";

/// The provider block as the user wrote it; `None` = not set.
#[derive(Debug, Clone, Default)]
pub struct ProviderConfig {
    pub subscription_id: Option<String>,
    pub management_url: Option<String>,
    pub publish_settings_file: Option<PathBuf>,
    pub management_certificate_file: Option<PathBuf>,
    pub management_certificate_password: Option<Secret>,
    /// An extra trusted root certificate file (PEM or DER), e.g. the emulator's self-signed TLS certificate.
    pub trusted_root_certificate_file: Option<PathBuf>,
}

impl ProviderConfig {
    /// Fills unset attributes from the environment (`AZURE_SUBSCRIPTION_ID`, `AZURE_MANAGEMENT_URL`,
    /// `AZURE_PUBLISH_SETTINGS_FILE`, `AZURE_MANAGEMENT_CERTIFICATE_FILE`,
    /// `AZURE_MANAGEMENT_CERTIFICATE_PASSWORD`, `AZURE_TRUSTED_ROOT_CERTIFICATE_FILE`).
    pub fn with_env_defaults(mut self, env: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| env(name).filter(|v| !v.is_empty());
        self.subscription_id = self
            .subscription_id
            .or_else(|| get("AZURE_SUBSCRIPTION_ID"));
        self.management_url = self.management_url.or_else(|| get("AZURE_MANAGEMENT_URL"));
        self.publish_settings_file = self
            .publish_settings_file
            .or_else(|| get("AZURE_PUBLISH_SETTINGS_FILE").map(PathBuf::from));
        self.management_certificate_file = self
            .management_certificate_file
            .or_else(|| get("AZURE_MANAGEMENT_CERTIFICATE_FILE").map(PathBuf::from));
        self.management_certificate_password = self
            .management_certificate_password
            .or_else(|| get("AZURE_MANAGEMENT_CERTIFICATE_PASSWORD").map(Secret::new));
        self.trusted_root_certificate_file = self
            .trusted_root_certificate_file
            .or_else(|| get("AZURE_TRUSTED_ROOT_CERTIFICATE_FILE").map(PathBuf::from));
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("subscription_id is required (or a publish_settings_file that lists a subscription)")]
    MissingSubscription,
    #[error("cannot read the {what} file {path}: {source}")]
    ReadFile {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("publish settings file {path}: {source}")]
    PublishSettings {
        path: PathBuf,
        source: PublishSettingsError,
    },
    #[error("{what}: {source}")]
    Certificate { what: String, source: AuthError },
    #[error("management_url {0:?} is not a valid http or https URL")]
    InvalidUrl(String),
    #[error("management_url {0} uses plain HTTP to a host that is not loopback; use https")]
    PlainHttpNotLoopback(String),
    #[error("building the HTTP client failed: {0}")]
    HttpClient(String),
}

/// Everything the client needs; build with [`ClientSettings::new`] or
/// [`ClientSettings::from_provider_config`], then adjust the policies if needed.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    pub subscription_id: String,
    pub management_url: Url,
    /// The management certificate; `None` only for plain HTTP to a loopback emulator.
    pub identity: Option<ClientIdentity>,
    pub trusted_roots: Vec<TrustedRoot>,
    pub retry: RetryPolicy,
    pub polling: PollPolicy,
    /// Upper bound for one HTTP exchange (the call's deadline may cut it shorter).
    pub request_timeout: Duration,
}

impl ClientSettings {
    /// Settings without a certificate (add one with `identity`), default policies.
    pub fn new(subscription_id: &str, management_url: &str) -> Result<Self, ConfigError> {
        if subscription_id.trim().is_empty() {
            return Err(ConfigError::MissingSubscription);
        }
        Ok(Self {
            subscription_id: subscription_id.trim().to_string(),
            management_url: parse_management_url(management_url)?,
            identity: None,
            trusted_roots: Vec::new(),
            retry: RetryPolicy::default(),
            polling: PollPolicy::default(),
            request_timeout: Duration::from_secs(120),
        })
    }

    /// Resolves the provider block: explicit attributes win over the publish settings file, whose
    /// selected subscription gives the subscription id, URL and certificate when they are not set.
    pub fn from_provider_config(config: &ProviderConfig) -> Result<Self, ConfigError> {
        let wanted_id = config.subscription_id.clone().unwrap_or_default();
        let published = match &config.publish_settings_file {
            Some(path) => {
                let text = read_file("publish settings", path)?;
                let text = String::from_utf8_lossy(&text);
                let parse_error = |source| ConfigError::PublishSettings {
                    path: path.clone(),
                    source,
                };
                let all = PublishSettings::parse(&text).map_err(parse_error)?;
                Some(all.select(&wanted_id).map_err(parse_error)?.clone())
            }
            None => None,
        };
        let subscription_id = match (&config.subscription_id, &published) {
            (Some(id), _) if !id.trim().is_empty() => id.clone(),
            (_, Some(p)) => p.id.clone(),
            _ => return Err(ConfigError::MissingSubscription),
        };
        let url = config
            .management_url
            .clone()
            .or_else(|| published.as_ref().and_then(|p| p.management_url.clone()))
            .unwrap_or_else(|| DEFAULT_MANAGEMENT_URL.to_string());
        let mut settings = Self::new(&subscription_id, &url)?;

        settings.identity = match (&config.management_certificate_file, &published) {
            (Some(path), _) => {
                let bytes = read_file("management certificate", path)?;
                let password = config
                    .management_certificate_password
                    .clone()
                    .unwrap_or_default();
                Some(
                    ClientIdentity::from_file_bytes(&bytes, &password).map_err(|source| {
                        ConfigError::Certificate {
                            what: format!("management certificate file {}", path.display()),
                            source,
                        }
                    })?,
                )
            }
            (None, Some(p)) => {
                let der =
                    p.certificate_pkcs12()
                        .map_err(|source| ConfigError::PublishSettings {
                            path: config.publish_settings_file.clone().unwrap_or_default(),
                            source,
                        })?;
                Some(
                    ClientIdentity::from_pkcs12(&der, &Secret::default()).map_err(|source| {
                        ConfigError::Certificate {
                            what: format!("management certificate of subscription {}", p.id),
                            source,
                        }
                    })?,
                )
            }
            (None, None) => None,
        };

        if let Some(path) = &config.trusted_root_certificate_file {
            let bytes = read_file("trusted root certificate", path)?;
            let root =
                TrustedRoot::from_bytes(&bytes).map_err(|source| ConfigError::Certificate {
                    what: format!("trusted root certificate file {}", path.display()),
                    source,
                })?;
            settings.trusted_roots.push(root);
        }
        Ok(settings)
    }
}

fn read_file(what: &'static str, path: &Path) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|source| ConfigError::ReadFile {
        what,
        path: path.to_path_buf(),
        source,
    })
}

/// An http(s) URL; plain HTTP only to loopback, where the emulator runs without TLS.
fn parse_management_url(raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw.trim()).map_err(|_| ConfigError::InvalidUrl(raw.to_string()))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(ConfigError::InvalidUrl(raw.to_string()));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ConfigError::PlainHttpNotLoopback(raw.to_string())),
        _ => Err(ConfigError::InvalidUrl(raw.to_string())),
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(ClientSettings::new("s", "http://127.0.0.1:7080").is_ok());
        assert!(ClientSettings::new("s", "http://localhost:7080/").is_ok());
        assert!(ClientSettings::new("s", "http://[::1]:7080").is_ok());
        assert!(matches!(
            ClientSettings::new("s", "http://management.core.windows.net"),
            Err(ConfigError::PlainHttpNotLoopback(_))
        ));
        assert!(matches!(
            ClientSettings::new("s", "ftp://127.0.0.1"),
            Err(ConfigError::InvalidUrl(_))
        ));
        assert!(matches!(
            ClientSettings::new(" ", DEFAULT_MANAGEMENT_URL),
            Err(ConfigError::MissingSubscription)
        ));
    }

    #[test]
    fn env_fills_only_unset_attributes() {
        let cfg = ProviderConfig {
            subscription_id: Some("explicit".into()),
            ..Default::default()
        }
        .with_env_defaults(|name| match name {
            "AZURE_SUBSCRIPTION_ID" => Some("from-env".into()),
            "AZURE_MANAGEMENT_URL" => Some("http://127.0.0.1:1".into()),
            _ => None,
        });
        assert_eq!(cfg.subscription_id.as_deref(), Some("explicit"));
        assert_eq!(cfg.management_url.as_deref(), Some("http://127.0.0.1:1"));
        assert!(cfg.publish_settings_file.is_none());
    }

    #[test]
    fn publish_settings_supply_subscription_url_and_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let p12 = super::super::auth::tests::generated_pkcs12("");
        let b64 = base64::engine::general_purpose::STANDARD.encode(p12);
        let path = dir.path().join("sub.publishsettings");
        std::fs::write(
            &path,
            format!(
                r#"<PublishData><PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">
  <Subscription ServiceManagementUrl="https://127.0.0.1:9443" Id="sub-1" Name="One" ManagementCertificate="{b64}" />
</PublishProfile></PublishData>"#
            ),
        )
        .unwrap();
        let settings = ClientSettings::from_provider_config(&ProviderConfig {
            publish_settings_file: Some(path.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(settings.subscription_id, "sub-1");
        assert_eq!(settings.management_url.as_str(), "https://127.0.0.1:9443/");
        assert!(settings.identity.is_some());

        let missing = ClientSettings::from_provider_config(&ProviderConfig {
            subscription_id: Some("other".into()),
            publish_settings_file: Some(path),
            ..Default::default()
        });
        assert!(matches!(
            missing,
            Err(ConfigError::PublishSettings {
                source: PublishSettingsError::UnknownSubscription(_),
                ..
            })
        ));
    }

    #[test]
    fn certificate_errors_never_show_the_password() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cert.pfx");
        std::fs::write(&path, super::super::auth::tests::generated_pkcs12("right")).unwrap();
        let err = ClientSettings::from_provider_config(&ProviderConfig {
            subscription_id: Some("s".into()),
            management_certificate_file: Some(path),
            management_certificate_password: Some(Secret::new("TopSecretPw")),
            ..Default::default()
        })
        .unwrap_err();
        assert!(matches!(err, ConfigError::Certificate { .. }));
        assert!(!err.to_string().contains("TopSecretPw"));
    }
}
