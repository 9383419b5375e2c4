//! terraform-provider-azureclassic: a Terraform provider (tfplugin5) for Azure classic networking
//! with coexisting ExpressRoute and Site-to-Site VPN, and a local emulator of the classic API.
//!
//! Layers, with dependencies pointing one way (down this list):
//! `plugin` (transport) -> `framework` (values, schema, dispatch) -> `resources` -> `asm` (API client,
//! XML models) -> `rules` (pure coexistence rules). The `emulator` uses `asm` models and `rules`.

pub mod asm;
pub mod emulator;
pub mod framework;
pub mod plugin;
pub mod proto;
pub mod resources;
pub mod rules;
