//! The emulator's settings and the parsing of their command-line forms (`KIND=DURATION`,
//! `SERVICE_KEY[=PROVIDER_STATE]`).

use crate::asm::xml::messages::ProviderProvisioningState;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    #[error("invalid duration {0:?}: expected a number with ms, s, m or h, like 500ms, 2s or 27m")]
    Duration(String),
    #[error("unknown operation kind {0:?}: expected one of {kinds}", kinds = OpKind::NAMES.join(", "))]
    OpKind(String),
    #[error("expected KIND=DURATION, got {0:?}")]
    OpDelay(String),
    #[error("invalid circuit {0:?}: expected SERVICE_KEY[=PROVIDER_STATE] with a GUID service key and a state of NotProvisioned, Provisioning, Provisioned or Deprovisioning")]
    Circuit(String),
    #[error("fault rate must be between 0 and 1, got {0}")]
    FaultRate(f64),
}

/// The kinds of asynchronous operation whose duration is configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum OpKind {
    Netcfg,
    GatewayCreate,
    GatewayDelete,
    GatewayResize,
    Link,
    Connection,
}

impl OpKind {
    pub const NAMES: [&'static str; 6] = [
        "netcfg",
        "gateway-create",
        "gateway-delete",
        "gateway-resize",
        "link",
        "connection",
    ];
    const ALL: [OpKind; 6] = [
        OpKind::Netcfg,
        OpKind::GatewayCreate,
        OpKind::GatewayDelete,
        OpKind::GatewayResize,
        OpKind::Link,
        OpKind::Connection,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for OpKind {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OpKind::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| OpKind::ALL[i])
            .ok_or_else(|| ConfigError::OpKind(s.to_string()))
    }
}

/// How long each kind of operation stays `InProgress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpDelays([Duration; 6]);

impl OpDelays {
    pub const DEFAULT: Duration = Duration::from_millis(200);

    pub fn get(&self, kind: OpKind) -> Duration {
        self.0[kind.index()]
    }

    pub fn set(&mut self, kind: OpKind, delay: Duration) {
        self.0[kind.index()] = delay;
    }
}

impl Default for OpDelays {
    fn default() -> Self {
        OpDelays([Self::DEFAULT; 6])
    }
}

/// One `--op-delay KIND=DURATION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpDelay {
    pub kind: OpKind,
    pub delay: Duration,
}

impl std::str::FromStr for OpDelay {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, delay) = s
            .split_once('=')
            .ok_or_else(|| ConfigError::OpDelay(s.to_string()))?;
        Ok(OpDelay {
            kind: kind.trim().parse()?,
            delay: parse_duration(delay.trim())?,
        })
    }
}

/// `500ms`, `2s`, `27m`, `1h`.
pub fn parse_duration(s: &str) -> Result<Duration, ConfigError> {
    let err = || ConfigError::Duration(s.to_string());
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(err)?;
    let (number, unit) = s.split_at(split);
    let n: u64 = number.parse().map_err(|_| err())?;
    let ms_per_unit = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(err()),
    };
    n.checked_mul(ms_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(err)
}

/// One `--circuit SERVICE_KEY[=PROVIDER_STATE]`: a pre-provisioned, enabled circuit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitSpec {
    pub service_key: String,
    pub provider_state: ProviderProvisioningState,
}

impl std::str::FromStr for CircuitSpec {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ConfigError::Circuit(s.to_string());
        let (key, state) = match s.split_once('=') {
            Some((k, st)) => (k, st.parse().map_err(|_| err())?),
            None => (s, ProviderProvisioningState::Provisioned),
        };
        let key = uuid::Uuid::parse_str(key.trim()).map_err(|_| err())?;
        Ok(CircuitSpec {
            service_key: key.hyphenated().to_string(),
            provider_state: state,
        })
    }
}

/// Fault injection: that fraction of requests fail, reproducibly for a seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultConfig {
    pub rate: f64,
    pub seed: u64,
}

impl FaultConfig {
    pub fn new(rate: f64, seed: u64) -> Result<Self, ConfigError> {
        if (0.0..=1.0).contains(&rate) {
            Ok(FaultConfig { rate, seed })
        } else {
            Err(ConfigError::FaultRate(rate))
        }
    }
}

#[derive(Debug, Clone)]
pub struct TlsSettings {
    /// Where to write the server's certificate (PEM) so clients can trust it.
    pub cert_out: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub listen: SocketAddr,
    /// Durable state; `None` keeps everything in memory.
    pub state_dir: Option<PathBuf>,
    pub op_delays: OpDelays,
    pub circuits: Vec<CircuitSpec>,
    pub faults: Option<FaultConfig>,
    pub request_log: Option<PathBuf>,
    /// HTTPS with management-certificate client authentication.
    pub tls: Option<TlsSettings>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("27m"), Ok(Duration::from_secs(27 * 60)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["", "ms", "5", "5d", "-1s", "1.5s", "99999999999999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_op_delays_and_circuits() {
        let d: OpDelay = "gateway-create=27m".parse().expect("valid");
        assert_eq!(d.kind, OpKind::GatewayCreate);
        assert_eq!(d.delay, Duration::from_secs(1620));
        assert!("gateway=1s".parse::<OpDelay>().is_err());
        assert!("netcfg".parse::<OpDelay>().is_err());
        let mut delays = OpDelays::default();
        delays.set(d.kind, d.delay);
        assert_eq!(delays.get(OpKind::GatewayCreate), Duration::from_secs(1620));
        assert_eq!(delays.get(OpKind::Link), OpDelays::DEFAULT);

        let c: CircuitSpec = "AEC3CA48-6940-41bb-95f0-929627ea42f6=Provisioning"
            .parse()
            .expect("valid");
        assert_eq!(c.service_key, "aec3ca48-6940-41bb-95f0-929627ea42f6");
        assert_eq!(c.provider_state, ProviderProvisioningState::Provisioning);
        let plain: CircuitSpec = "aec3ca48-6940-41bb-95f0-929627ea42f6"
            .parse()
            .expect("valid");
        assert_eq!(plain.provider_state, ProviderProvisioningState::Provisioned);
        assert!("not-a-guid".parse::<CircuitSpec>().is_err());
        assert!("aec3ca48-6940-41bb-95f0-929627ea42f6=Up"
            .parse::<CircuitSpec>()
            .is_err());
        assert!(FaultConfig::new(1.5, 1).is_err());
    }
}
