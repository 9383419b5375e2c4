//! The one place that answers for calls to the classic API not written yet: resources marked
//! [`AwaitingClient`] validate and plan normally, and every create / read / update / delete /
//! import answers a clear error. Wiring a resource to the client means replacing its marker with
//! its own `ResourceCrud` implementation.

use async_trait::async_trait;

use crate::framework::{
    Context, Create, Delete, Diagnostic, Diagnostics, Read, Resource, ResourceCrud, StateResult,
    Update,
};

/// Marks a resource whose service calls are not implemented yet.
pub trait AwaitingClient: Resource {}

/// The error every not-yet-implemented service call answers.
pub fn not_available(type_name: &str, operation: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Cannot {operation} {type_name} yet"),
        format!(
            "This build of the azureclassic provider validates and plans {type_name} but cannot {operation} it: \
             its calls to the Azure classic API are not available yet."
        ),
    )
}

#[async_trait]
impl<R: AwaitingClient> ResourceCrud for R {
    async fn create(&self, _: &Context, _: Create<R::Model>) -> StateResult<R::Model> {
        StateResult::failed(not_available(self.type_name(), "create"))
    }

    async fn read(&self, _: &Context, _: Read<R::Model>) -> StateResult<R::Model> {
        StateResult::failed(not_available(self.type_name(), "read"))
    }

    async fn update(&self, _: &Context, _: Update<R::Model>) -> StateResult<R::Model> {
        StateResult::failed(not_available(self.type_name(), "update"))
    }

    async fn delete(&self, _: &Context, _: Delete<R::Model>) -> Diagnostics {
        not_available(self.type_name(), "delete").into()
    }

    async fn import(&self, _: &Context, _: &str) -> StateResult<R::Model> {
        StateResult::failed(not_available(self.type_name(), "import"))
    }
}
