//! The provider framework: cty values with unknowns and their wire encodings, schemas, diagnostics
//! with attribute paths, typed models, the provider / resource / data-source traits and their
//! dispatch. It knows nothing of Azure; only `grpc` (and the proto conversions of diagnostics and
//! schemas) knows the protocol.
//!
//! A resource is a model struct (one field per attribute, `Attr<T>` where a value may be unknown,
//! `Vec<Struct>` / `Option<Struct>` per nested block) and two trait impls:
//!
//! ```text
//! impl Resource for Thing {            // schema and plan-time behaviour
//!     type Model = ThingModel;
//!     fn type_name(&self) -> &'static str { "azureclassic_thing" }
//!     fn schema(&self) -> Schema { Schema::new(Block::new("docs").attribute(
//!         Attribute::required("name", Type::String).requires_replace().description("docs"))) }
//!     async fn validate(..)     // optional: check known values only
//!     async fn modify_plan(..)  // optional: set computed values known at plan time
//! }
//! impl ResourceCrud for Thing {        // the service calls: create / read / update / delete / import
//!     async fn create(&self, ctx: &Context, req: Create<ThingModel>) -> StateResult<ThingModel> { .. }
//! }
//! ```
//!
//! The framework plans generically (defaults, unknown computed values on change, use-state-for-unknown,
//! requires-replace paths) and checks every plan and result the way Terraform will, reporting a
//! provider bug as a diagnostic with its attribute path.

pub mod attr;
pub mod context;
pub mod diagnostics;
pub mod docs;
pub mod duration;
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
