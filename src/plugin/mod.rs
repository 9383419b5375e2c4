//! Transport: everything between the Terraform CLI and a tfplugin5 `Provider` implementation:
//! the go-plugin handshake, AutoMTLS, the gRPC server with go-plugin's side services, hclog
//! logging and crash reports. Knows nothing of what the provider manages.

pub mod crash;
mod error;
pub mod handshake;
mod incoming;
pub mod logging;
pub mod mtls;
pub mod server;

pub use crash::install_panic_hook;
pub use error::PluginError;
pub use handshake::HandshakeRequest;
pub use server::{run, run_debug, serve, serve_debug};
