//! The Azure classic (Service Management) API: the HTTP client used by the resources.

pub mod client;
