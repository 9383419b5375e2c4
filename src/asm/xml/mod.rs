//! XML for the classic API: a lossless element tree, the NetworkConfiguration document as typed views over
//! it, and the typed request/response messages of every operation.

mod error;
pub mod messages;
pub mod netcfg;
pub mod tree;
mod value;

pub use error::XmlError;
pub use tree::{Document, Element, Node};
