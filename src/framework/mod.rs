//! The provider framework: cty values with unknowns and their wire encodings, schemas, diagnostics
//! with attribute paths, typed models, the provider / resource / data-source traits and their
//! dispatch. It knows nothing of Azure; only `grpc` (and the proto conversions of diagnostics and
//! schemas) knows the protocol.

pub mod attr;
pub mod context;
pub mod diagnostics;
pub mod docs;
pub mod erased;
pub mod grpc;
pub mod model;
pub mod path;
pub mod plan;
pub mod resource;
pub mod schema;
pub mod types;
pub mod validators;
pub mod value;

pub use attr::Attr;
pub use context::{Context, ProviderData};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use path::AttrPath;
pub use resource::{
    data_source, resource, Create, DataSource, Delete, Plan, Provider, Read, Resource,
    ResourceCrud, StateResult, Update,
};
pub use schema::{Attribute, Block, NestedBlock, Schema};
pub use types::Type;
pub use value::Value;
