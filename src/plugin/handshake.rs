//! The go-plugin handshake: what Terraform tells the plugin through its environment, and the single
//! line the plugin answers on stdout. Pure functions over the environment, so every rule is tested
//! without starting a process.

use std::net::SocketAddr;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;

use super::error::PluginError;

/// Variable through which Terraform proves it launched the plugin.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The value Terraform (every version since 0.12) sets for [`MAGIC_COOKIE_KEY`].
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The only Terraform plugin protocol this provider speaks.
pub const PROTOCOL_VERSION: u32 = 5;
/// go-plugin's own wire version: the first field of the handshake line.
pub const CORE_PROTOCOL_VERSION: u32 = 1;

/// Comma-separated protocol versions the client can speak.
const PROTOCOL_VERSIONS_KEY: &str = "PLUGIN_PROTOCOL_VERSIONS";
const MIN_PORT_KEY: &str = "PLUGIN_MIN_PORT";
const MAX_PORT_KEY: &str = "PLUGIN_MAX_PORT";
/// The client's certificate (PEM) for AutoMTLS; absent when the client wants plaintext.
const CLIENT_CERT_KEY: &str = "PLUGIN_CLIENT_CERT";
/// Set (to anything) by users to turn AutoMTLS off on both sides.
const DISABLE_TLS_KEY: &str = "TF_DISABLE_PLUGIN_TLS";

/// What the launching Terraform asked for, read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeRequest {
    /// Ports the plugin may listen on.
    pub ports: PortRange,
    /// The client's certificate (PEM) when Terraform wants mutual TLS, `None` for plaintext.
    pub client_cert_pem: Option<String>,
}

impl HandshakeRequest {
    /// Reads the request from the process environment.
    pub fn from_process_env() -> Result<Self, PluginError> {
        Self::from_env(|key| std::env::var(key).ok())
    }

    /// Reads the request through `var` (a lookup of environment variables). Empty values count as
    /// unset, as they do for go-plugin.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, PluginError> {
        let var = |key: &str| var(key).filter(|value| !value.is_empty());
        if var(MAGIC_COOKIE_KEY).as_deref() != Some(MAGIC_COOKIE_VALUE) {
            return Err(PluginError::NotLaunchedByTerraform);
        }
        negotiate_protocol(var(PROTOCOL_VERSIONS_KEY).as_deref())?;
        let ports = PortRange::parse(var(MIN_PORT_KEY).as_deref(), var(MAX_PORT_KEY).as_deref())?;
        let client_cert_pem = match var(DISABLE_TLS_KEY) {
            Some(_) => None,
            None => var(CLIENT_CERT_KEY),
        };
        Ok(Self {
            ports,
            client_cert_pem,
        })
    }
}

/// Picks the protocol version to answer from the client's offer (`PLUGIN_PROTOCOL_VERSIONS`).
/// No offer means a client that predates negotiation and speaks the plugin's default, 5.
/// Entries that are not numbers are skipped, as go-plugin does.
pub fn negotiate_protocol(offered: Option<&str>) -> Result<u32, PluginError> {
    let Some(offered) = offered else {
        return Ok(PROTOCOL_VERSION);
    };
    let speaks_ours = offered
        .split(',')
        .filter_map(|version| version.trim().parse::<u32>().ok())
        .any(|version| version == PROTOCOL_VERSION);
    if speaks_ours {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(PluginError::UnsupportedProtocol {
            offered: offered.to_owned(),
        })
    }
}

/// The ports the plugin may listen on. `min == 0` means "any port the system picks", which is what
/// go-plugin does when the variables are unset (it tries port 0 first and that always succeeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    /// Lowest allowed port, 0 for a system-chosen port.
    pub min: u16,
    /// Highest allowed port.
    pub max: u16,
}

impl PortRange {
    /// Parses `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT` (each defaults to 0).
    pub fn parse(min: Option<&str>, max: Option<&str>) -> Result<Self, PluginError> {
        let port = |name: &str, value: Option<&str>| -> Result<u16, PluginError> {
            value.map_or(Ok(0), |text| {
                text.trim().parse::<u16>().map_err(|_| {
                    PluginError::InvalidPortRange(format!("{name}={text:?} is not a port number"))
                })
            })
        };
        let range = Self {
            min: port(MIN_PORT_KEY, min)?,
            max: port(MAX_PORT_KEY, max)?,
        };
        if range.min > range.max {
            return Err(PluginError::InvalidPortRange(format!(
                "{MIN_PORT_KEY}={} is greater than {MAX_PORT_KEY}={}",
                range.min, range.max
            )));
        }
        Ok(range)
    }

    /// The ports to try, each once, beginning at `start` positions into the range and wrapping
    /// around: several providers start at the same moment, and a spread start avoids them all
    /// racing for the lowest ports.
    pub fn candidates(self, start: u32) -> impl Iterator<Item = u16> {
        let (min, count) = if self.min == 0 {
            (0, 1)
        } else {
            (
                u32::from(self.min),
                u32::from(self.max) - u32::from(self.min) + 1,
            )
        };
        (0..count).filter_map(move |i| u16::try_from(min + (start % count + i) % count).ok())
    }
}

/// The one line the plugin writes to stdout (without its newline):
/// `CORE|PROTOCOL|tcp|ADDRESS|grpc|CERT`, CERT being the server's certificate DER in standard
/// base64 without padding, empty when serving plaintext.
pub fn handshake_line(addr: SocketAddr, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der.map(|der| STANDARD_NO_PAD.encode(der));
    format!(
        "{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|tcp|{addr}|grpc|{}",
        cert.unwrap_or_default()
    )
}

/// The value of `TF_REATTACH_PROVIDERS` that makes Terraform use the already running plugin
/// process `pid` listening (plaintext) on `addr` for the provider `provider_address`, instead of
/// launching one. `Test: true` tells Terraform not to stop the process when it is done.
pub fn reattach_providers(provider_address: &str, pid: u32, addr: SocketAddr) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "tcp", "String": addr.to_string() },
        }
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn request(vars: &[(&str, &str)]) -> Result<HandshakeRequest, PluginError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        HandshakeRequest::from_env(|key| vars.get(key).cloned())
    }

    const COOKIE: (&str, &str) = (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE);

    #[test]
    fn missing_or_wrong_cookie_is_refused() {
        assert!(matches!(
            request(&[]),
            Err(PluginError::NotLaunchedByTerraform)
        ));
        assert!(matches!(
            request(&[(MAGIC_COOKIE_KEY, "nope")]),
            Err(PluginError::NotLaunchedByTerraform)
        ));
        let message = PluginError::NotLaunchedByTerraform.to_string();
        assert!(message.contains("Terraform"), "{message}");
    }

    #[test]
    fn terraform_environment_is_accepted() {
        let got = request(&[
            COOKIE,
            (PROTOCOL_VERSIONS_KEY, "6,5"),
            (MIN_PORT_KEY, "10000"),
            (MAX_PORT_KEY, "25000"),
            (CLIENT_CERT_KEY, "PEM"),
        ])
        .expect("accepted");
        assert_eq!(
            got,
            HandshakeRequest {
                ports: PortRange {
                    min: 10000,
                    max: 25000
                },
                client_cert_pem: Some("PEM".to_owned()),
            }
        );
    }

    #[test]
    fn tls_is_off_without_client_cert_or_when_disabled() {
        assert_eq!(request(&[COOKIE]).expect("ok").client_cert_pem, None);
        let disabled = request(&[COOKIE, (CLIENT_CERT_KEY, "PEM"), (DISABLE_TLS_KEY, "1")]);
        assert_eq!(disabled.expect("ok").client_cert_pem, None);
    }

    #[test]
    fn protocol_negotiation() {
        assert_eq!(negotiate_protocol(None).expect("default"), 5);
        assert_eq!(negotiate_protocol(Some("5")).expect("5"), 5);
        assert_eq!(negotiate_protocol(Some("6,5")).expect("6,5"), 5);
        assert_eq!(negotiate_protocol(Some("x, 5 ,4")).expect("skips junk"), 5);
        let refused = negotiate_protocol(Some("6")).expect_err("6 only");
        assert!(refused.to_string().contains("protocol 5"), "{refused}");
        assert!(negotiate_protocol(Some("4,55")).is_err());
        assert!(matches!(
            request(&[COOKIE, (PROTOCOL_VERSIONS_KEY, "6")]),
            Err(PluginError::UnsupportedProtocol { .. })
        ));
    }

    #[test]
    fn port_range_parsing() {
        assert_eq!(
            PortRange::parse(None, None).expect("defaults"),
            PortRange { min: 0, max: 0 }
        );
        assert!(PortRange::parse(Some("x"), Some("2")).is_err());
        assert!(PortRange::parse(Some("70000"), None).is_err());
        assert!(PortRange::parse(Some("20"), Some("10")).is_err());
        assert!(PortRange::parse(Some("20"), None).is_err());
    }

    #[test]
    fn port_candidates_cover_the_range_once_from_the_start_offset() {
        let range = PortRange { min: 100, max: 103 };
        assert_eq!(
            range.candidates(6).collect::<Vec<_>>(),
            vec![102, 103, 100, 101]
        );
        let full = PortRange { min: 1, max: 65535 };
        assert_eq!(full.candidates(u32::MAX).count(), 65535);
        assert_eq!(
            PortRange { min: 0, max: 500 }
                .candidates(7)
                .collect::<Vec<_>>(),
            vec![0]
        );
    }

    #[test]
    fn reattach_setting() {
        let addr: SocketAddr = "127.0.0.1:4000".parse().expect("addr");
        let value: serde_json::Value =
            serde_json::from_str(&reattach_providers("registry.terraform.io/a/b", 42, addr))
                .expect("json");
        assert_eq!(
            value,
            serde_json::json!({"registry.terraform.io/a/b": {
                "Protocol": "grpc", "ProtocolVersion": 5, "Pid": 42, "Test": true,
                "Addr": {"Network": "tcp", "String": "127.0.0.1:4000"}}})
        );
    }

    #[test]
    fn handshake_line_format() {
        let addr: SocketAddr = "127.0.0.1:10123".parse().expect("addr");
        assert_eq!(handshake_line(addr, None), "1|5|tcp|127.0.0.1:10123|grpc|");
        // Two bytes encode to three characters plus one '=' of padding, which must be absent.
        assert_eq!(
            handshake_line(addr, Some(&[0xfb, 0xff])),
            "1|5|tcp|127.0.0.1:10123|grpc|+/8"
        );
    }
}
