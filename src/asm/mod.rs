//! The Azure classic (Service Management) API: XML models shared by the client and the emulator.

pub mod xml;
