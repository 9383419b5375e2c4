//! Everything that can stop the plugin transport from starting or serving.

use thiserror::Error;

/// A failure of the go-plugin transport. Messages are meant for a human reading Terraform's output
/// or logs; none of them contains key material.
#[derive(Debug, Error)]
pub enum PluginError {
    /// Started by hand or by something other than Terraform (magic cookie absent or wrong).
    #[error(
        "This binary is a plugin for Terraform (terraform-provider-azureclassic). It is not meant \
         to be run directly: declare the provider in a configuration's required_providers and run \
         terraform, which launches it. (To debug it, run it with --debug.)"
    )]
    NotLaunchedByTerraform,

    /// Terraform offered only plugin protocol versions this provider does not speak.
    #[error(
        "Terraform offered plugin protocol versions [{offered}], but this provider speaks only \
         protocol 5 (Terraform 0.12 or later)"
    )]
    UnsupportedProtocol {
        /// The raw value of PLUGIN_PROTOCOL_VERSIONS.
        offered: String,
    },

    /// PLUGIN_MIN_PORT / PLUGIN_MAX_PORT are not numbers or not a valid range.
    #[error("invalid plugin port range: {0}")]
    InvalidPortRange(String),

    /// No port of the allowed range could be bound on 127.0.0.1.
    #[error("no free TCP port on 127.0.0.1 between {min} and {max}")]
    NoFreePort {
        /// Lowest allowed port.
        min: u16,
        /// Highest allowed port.
        max: u16,
    },

    /// PLUGIN_CLIENT_CERT is not the kind of certificate Terraform generates.
    #[error("PLUGIN_CLIENT_CERT is unusable: {0}")]
    ClientCertificate(String),

    /// The server's own certificate could not be generated.
    #[error("cannot generate the plugin's TLS certificate: {0}")]
    ServerCertificate(#[from] rcgen::Error),

    /// The TLS configuration was refused by rustls.
    #[error("invalid TLS configuration: {0}")]
    Tls(#[from] rustls::Error),

    /// A socket, stdout or runtime operation failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),

    /// The gRPC server failed.
    #[error("gRPC server error: {0}")]
    Transport(#[from] tonic::transport::Error),
}
