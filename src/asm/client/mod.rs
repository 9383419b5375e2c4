//! The provider's client for the Azure classic networking API (wire contract: `reference/asm-api.md`).

pub mod auth;
pub mod config;
pub mod context;
pub mod error;
pub mod operations;
pub mod publish_settings;
pub mod retry;
pub mod secret;
pub mod stats;
