//! The traits resource, data-source and provider code implement. They work on typed models (see
//! [`super::model`]); the framework does the value plumbing, the generic plan and the checks.

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::context::{Context, ProviderData};
use super::diagnostics::{Diagnostic, Diagnostics};
use super::erased::{DynDataSource, DynResource, Erased};
use super::path::AttrPath;
use super::schema::Schema;

/// What a model type needs: plain serde, thread-safe.
pub trait Model: Serialize + DeserializeOwned + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> Model for T {}

/// A resource's schema and plan-time behaviour.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// One field per attribute and nested block; `Attr<T>` wherever the value may be unknown.
    type Model: Model;

    /// `azureclassic_...`
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Checks a configuration. Variables and references are unknown during validation: check only
    /// what is known. Not called when the configuration holds an unknown where the model can't.
    async fn validate(&self, _ctx: &Context, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// Refines the generic plan: set computed values known at plan time, add replacement paths,
    /// report problems. Called only when the object is created or updated, not destroyed.
    async fn modify_plan(&self, _ctx: &Context, _plan: &mut Plan<Self::Model>) {}

    /// Converts a state stored by an older schema version (its raw JSON) to the current model.
    async fn upgrade_state(
        &self,
        _ctx: &Context,
        version: i64,
        _raw: serde_json::Value,
    ) -> Result<Self::Model, Diagnostics> {
        Err(Diagnostic::error(
            "Unsupported state version",
            format!(
                "{} has no upgrade from state version {version}.",
                self.type_name()
            ),
        )
        .into())
    }
}

/// A resource's calls to the service.
#[async_trait]
pub trait ResourceCrud: Resource {
    async fn create(&self, ctx: &Context, req: Create<Self::Model>) -> StateResult<Self::Model>;

    /// `state: None` in the result means the object is gone.
    async fn read(&self, ctx: &Context, req: Read<Self::Model>) -> StateResult<Self::Model>;

    async fn update(&self, ctx: &Context, req: Update<Self::Model>) -> StateResult<Self::Model>;

    async fn delete(&self, ctx: &Context, req: Delete<Self::Model>) -> Diagnostics;

    /// The state of an existing object from its import id, every attribute set; Terraform then reads it.
    async fn import(&self, ctx: &Context, id: &str) -> StateResult<Self::Model>;
}

#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    type Model: Model;

    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    async fn validate(&self, _ctx: &Context, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// The configuration with its computed attributes filled in.
    async fn read(&self, ctx: &Context, config: Self::Model) -> StateResult<Self::Model>;
}

#[async_trait]
pub trait Provider: Send + Sync + 'static {
    type Model: Model;

    fn schema(&self) -> Schema;

    async fn validate(&self, _ctx: &Context, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// Builds the data every later call receives through [`Context::provider_data`]. The configuration
    /// may hold unknowns (a provider configured from another resource's attributes).
    async fn configure(
        &self,
        ctx: &Context,
        terraform_version: &str,
        config: Self::Model,
    ) -> Result<ProviderData, Diagnostics>;

    fn resources(&self) -> Vec<Arc<dyn DynResource>>;

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource>>;
}

/// Registers a resource with the dispatcher.
pub fn resource<R: ResourceCrud>(r: R) -> Arc<dyn DynResource> {
    Arc::new(Erased::new(r))
}

/// Registers a data source with the dispatcher.
pub fn data_source<D: DataSource>(d: D) -> Arc<dyn DynDataSource> {
    Arc::new(Erased::new_data_source(d))
}

/// The plan of one resource instance, for [`Resource::modify_plan`].
pub struct Plan<M> {
    pub config: M,
    /// `None` when the object is being created.
    pub prior: Option<M>,
    /// The generic plan; set computed values known at plan time here.
    pub planned: M,
    pub prior_private: Vec<u8>,
    pub planned_private: Vec<u8>,
    /// Extra attributes whose change needs a replacement (beyond those the schema declares).
    pub requires_replace: Vec<AttrPath>,
    pub diagnostics: Diagnostics,
}

pub struct Create<M> {
    pub config: M,
    pub planned: M,
    pub private: Vec<u8>,
}

pub struct Read<M> {
    pub state: M,
    pub private: Vec<u8>,
}

pub struct Update<M> {
    pub config: M,
    pub prior: M,
    pub planned: M,
    pub private: Vec<u8>,
}

pub struct Delete<M> {
    pub prior: M,
    pub private: Vec<u8>,
}

/// The outcome of a call that yields a state. With errors, keep `state` set if the object exists
/// (partially created): Terraform records it so the next run can repair or destroy it.
pub struct StateResult<M> {
    pub state: Option<M>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl<M> StateResult<M> {
    pub fn ok(state: M) -> StateResult<M> {
        StateResult {
            state: Some(state),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// The object does not exist (read) or was not found (import).
    pub fn gone() -> StateResult<M> {
        StateResult {
            state: None,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    pub fn failed(diagnostics: impl Into<Diagnostics>) -> StateResult<M> {
        StateResult {
            state: None,
            private: Vec::new(),
            diagnostics: diagnostics.into(),
        }
    }

    pub fn with_private(mut self, private: Vec<u8>) -> StateResult<M> {
        self.private = private;
        self
    }

    pub fn with_diagnostics(mut self, diagnostics: Diagnostics) -> StateResult<M> {
        self.diagnostics.extend(diagnostics);
        self
    }
}
