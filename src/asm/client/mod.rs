//! The provider's client for the Azure classic networking API (wire contract: `reference/asm-api.md`).
//!
//! Build a [`Client`] from [`ClientSettings`] (usually [`ClientSettings::from_provider_config`]); every
//! call takes a [`CallContext`] carrying the resource operation's deadline and the provider's
//! cancellation. Transient failures are retried with backoff; creates are never blindly repeated;
//! asynchronous operations are polled to completion; network-configuration edits are serialised,
//! batched and lossless.

pub mod auth;
pub mod config;
mod connections;
pub mod context;
pub mod error;
mod expressroute;
#[cfg(test)]
mod fake_service;
mod handle;
mod http;
mod lifecycle;
mod local_gateways;
pub mod netcfg;
pub mod operations;
pub mod publish_settings;
pub mod retry;
pub mod secret;
pub mod stats;
mod vnet_gateway;
mod vnet_sites;
mod vpn_gateways;

pub use config::{ClientSettings, ConfigError, ProviderConfig};
pub use context::{cancellation, CallContext, CancelHandle, Cancellation};
pub use error::{AsmError, CallSite, ClientError, TransportFailure};
pub use handle::Client;
pub use netcfg::NetcfgError;
pub use operations::{PendingOperation, PollPolicy};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use stats::ClientStats;
