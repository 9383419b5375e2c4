//! What resource code needs around a call to the classic API: the client of this provider
//! process, a call context bounded by the operation's timeout and cancelled by Terraform's Stop, and
//! the client's errors as diagnostics.

use std::time::Duration;

use tokio::task::JoinHandle;

use super::provider::Connection;
use crate::asm::client::{cancellation, CallContext, Client, ClientError};
use crate::framework::{Context, Diagnostic, Diagnostics, StateResult};

/// Time limit of the quick calls (reads, network configuration, links): generous for a slow service.
pub const QUICK: Duration = Duration::from_secs(30 * 60);

/// A call context tied to a resource operation: Terraform's Stop cancels it. Dropping it stops the
/// task that watches for Stop.
pub struct ServiceCall {
    pub ctx: CallContext,
    watcher: JoinHandle<()>,
}

impl ServiceCall {
    /// A call context ending after `timeout`, cancelled when `ctx` is (must run inside tokio).
    pub fn new(ctx: &Context, timeout: Duration) -> ServiceCall {
        let (handle, cancel) = cancellation();
        let stop = ctx.clone();
        let watcher = tokio::spawn(async move {
            stop.cancelled().await;
            handle.cancel();
        });
        ServiceCall {
            ctx: CallContext::new(timeout, cancel),
            watcher,
        }
    }
}

impl Drop for ServiceCall {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// The configured client, for calls that must reach the service (apply, read, import).
pub fn required_client(ctx: &Context) -> Result<Client, Diagnostic> {
    let connection = Connection::of(ctx)?;
    connection.required().cloned()
}

/// The client and a call context for one resource operation.
pub fn connect(ctx: &Context, timeout: Duration) -> Result<(Client, ServiceCall), Diagnostic> {
    Ok((required_client(ctx)?, ServiceCall::new(ctx, timeout)))
}

/// The configured client when there is one (plan-time lookups skip the service without it).
pub fn optional_client(ctx: &Context) -> Option<Client> {
    Connection::of(ctx).ok()?.client().cloned()
}

/// The subscription the registry of planned facts is keyed by (empty while not configured).
pub fn subscription(ctx: &Context) -> String {
    optional_client(ctx)
        .map(|c| c.subscription_id().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The result of a resource operation written with `?`: `Ok(Some)` is the new state, `Ok(None)` an
/// object that does not exist (read, import), `Err` a failure.
pub fn outcome<M>(result: Result<Option<M>, Diagnostics>) -> StateResult<M> {
    match result {
        Ok(Some(state)) => StateResult::ok(state),
        Ok(None) => StateResult::gone(),
        Err(diagnostics) => StateResult::failed(diagnostics),
    }
}

/// The diagnostics of a delete written with `?`.
pub fn deleted(result: Result<(), Diagnostics>) -> Diagnostics {
    result.err().unwrap_or_default()
}

/// The command that brings an object that exists already under Terraform, for "already exists"
/// errors: one wording for every resource.
pub fn import_command(type_name: &str, id: &str) -> String {
    format!("terraform import {type_name}.<NAME> {id}")
}

/// A failed call as a diagnostic: what was being done, then the client's error (which names the
/// call, the service's code and message, and never a request body, so never a secret).
pub fn api_error(action: &str, error: &ClientError) -> Diagnostic {
    Diagnostic::error(format!("Cannot {action}"), error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::context::StopSource;

    #[tokio::test]
    async fn stop_cancels_the_service_call() {
        let stop = StopSource::new();
        let call = ServiceCall::new(&Context::new(stop.token(), None), Duration::from_secs(600));
        assert!(!call.ctx.cancellation().is_cancelled());
        stop.stop();
        tokio::time::timeout(Duration::from_secs(5), call.ctx.cancellation().cancelled())
            .await
            .expect("cancelled promptly");
    }

    #[test]
    fn an_unconfigured_provider_has_no_client() {
        assert!(optional_client(&Context::detached()).is_none());
        assert!(required_client(&Context::detached()).is_err());
    }
}
