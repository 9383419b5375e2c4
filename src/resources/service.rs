//! How resource code calls the classic API: under the operation's time limit and Terraform's Stop,
//! with failures turned into diagnostics that say what was being done.

use std::future::Future;
use std::time::Duration;

use super::provider::Connection;
use crate::asm::client::{CallContext, Client, ClientError};
use crate::framework::{Context, Diagnostic};

/// Time limit of the quick calls (reads, network configuration, links): generous for a slow service.
pub const QUICK: Duration = Duration::from_secs(30 * 60);

/// Why a call to the service did not produce its value.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("Terraform asked the provider to stop")]
    Stopped,
}

impl CallError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, CallError::Client(e) if e.is_not_found())
    }

    /// A diagnostic for the failed step, e.g. `what` = "create the ExpressRoute gateway of MyVNet".
    pub fn diagnostic(&self, what: &str) -> Diagnostic {
        Diagnostic::error(format!("Cannot {what}"), self.to_string())
    }
}

/// A call's deadline, from now.
pub fn deadline(timeout: Duration) -> CallContext {
    CallContext::with_timeout(timeout)
}

/// Runs `work` until it finishes or Terraform stops the provider (dropping it mid-way is safe: the
/// client re-reads before it re-sends, and withdraws unwritten network-configuration edits).
pub async fn run<T>(
    ctx: &Context,
    work: impl Future<Output = Result<T, ClientError>>,
) -> Result<T, CallError> {
    tokio::select! {
        out = work => out.map_err(CallError::from),
        () = ctx.cancelled() => Err(CallError::Stopped),
    }
}

/// The client for a call that must reach the service.
pub fn client(ctx: &Context) -> Result<Client, Diagnostic> {
    Connection::of(ctx)?.required().cloned()
}

/// The client for a plan-time lookup: `None` when the provider is not configured yet (unknown
/// provider settings), in which case the lookup is skipped and its facts stay unknown.
pub fn plan_client(ctx: &Context) -> Option<Client> {
    Connection::of(ctx).ok()?.client().cloned()
}

/// The subscription the registry of planned facts is keyed by (empty when not configured yet).
pub fn subscription(ctx: &Context) -> String {
    plan_client(ctx)
        .map(|c| c.subscription_id().to_ascii_lowercase())
        .unwrap_or_default()
}
