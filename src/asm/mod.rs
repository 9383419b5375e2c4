//! The Azure classic (Service Management) API: XML models shared by the client and the emulator, and
//! the HTTP client used by the resources.

pub mod client;
pub mod xml;
