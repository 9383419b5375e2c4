//! `azureclassic-emulator`: the Azure classic networking API (asm-api.md) on loopback, with
//! asynchronous operations, durable state, the coexistence rules enforced server-side, fault injection,
//! a request log, and optional HTTPS with management-certificate authentication.

mod app;
mod auth;
mod coexistence;
pub mod config;
mod error;
mod faults;
mod handlers;
mod operations;
mod persist;
pub mod publish_settings;
mod request_log;
mod routes;
mod server;
mod state;
mod store;
mod tls;

pub use config::EmulatorConfig;
pub use error::ApiError;
pub use server::{EmulatorError, Server};
