//! Creating and deleting objects whose change runs as a style-B operation, without duplicates and
//! without failing on a retry that finds the work already done.
//!
//! A `probe` reads the object's current stage. It is asked before re-sending after an ambiguous
//! failure (has the first attempt taken effect?), and afterwards until the object is ready or gone.

use std::future::Future;

use super::context::CallContext;
use super::error::{CallSite, ClientError};
use super::http::ApiRequest;
use super::Client;

/// Where an object stands, as far as one create or delete cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stage<T> {
    /// Not there (or, for a resize, not yet at the target).
    Absent,
    /// A change is under way (provisioning, deprovisioning, resizing).
    Busy,
    /// There, in the state the call leads to.
    Ready(T),
    /// In a state the call cannot lead out of (e.g. `ProvisioningError`).
    Stuck(String),
}

impl Client {
    /// Sends `request` (a create or an in-place change), waits for its operation, then returns the
    /// object once `probe` reports it ready.
    pub(crate) async fn converge<T, P, PFut>(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
        what: &str,
        mut probe: P,
    ) -> Result<T, ClientError>
    where
        P: FnMut() -> PFut,
        PFut: Future<Output = Result<Stage<T>, ClientError>>,
    {
        let call = self.transport().call_site(request);
        self.run_guarded_operation(ctx, request, || {
            let stage = probe();
            async move {
                Ok(match stage.await? {
                    Stage::Absent => None,
                    _ => Some(()),
                })
            }
        })
        .await?;
        match probe().await? {
            Stage::Ready(object) => Ok(object),
            Stage::Busy => {
                self.poll_until(ctx, &call, || {
                    let stage = probe();
                    let call = &call;
                    async move {
                        match stage.await? {
                            Stage::Ready(object) => Ok(Some(object)),
                            Stage::Busy => Ok(None),
                            other => Err(unexpected(call, what, &other)),
                        }
                    }
                })
                .await
            }
            other => Err(unexpected(&call, what, &other)),
        }
    }

    /// Sends a delete and waits until `probe` reports the object gone (`Absent`). An object already
    /// gone, or already being deleted by an earlier attempt, is not an error.
    pub(crate) async fn converge_delete<P, PFut>(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
        mut probe: P,
    ) -> Result<(), ClientError>
    where
        P: FnMut() -> PFut,
        PFut: Future<Output = Result<Stage<()>, ClientError>>,
    {
        let call = self.transport().call_site(request);
        // Deleting what is already gone succeeds without a request (the service would answer
        // 400 or 404, depending on the object).
        if probe().await? == Stage::Absent {
            return Ok(());
        }
        let sent = self
            .run_guarded_operation(ctx, request, || {
                let stage = probe();
                async move {
                    Ok(match stage.await? {
                        Stage::Absent | Stage::Busy => Some(()),
                        _ => None,
                    })
                }
            })
            .await;
        match sent {
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        self.poll_until(ctx, &call, || {
            let stage = probe();
            async move { Ok(matches!(stage.await?, Stage::Absent).then_some(())) }
        })
        .await
    }
}

fn unexpected<T>(call: &CallSite, what: &str, stage: &Stage<T>) -> ClientError {
    ClientError::UnexpectedState {
        call: call.clone(),
        what: what.to_string(),
        state: match stage {
            Stage::Absent => "absent".to_string(),
            Stage::Busy => "busy".to_string(),
            Stage::Ready(_) => "ready".to_string(),
            Stage::Stuck(state) => state.clone(),
        },
    }
}

/// The stage of a probe's read, where "not found" means absent.
pub(crate) fn stage_of<T, U>(
    read: Result<T, ClientError>,
    stage: impl FnOnce(T) -> Stage<U>,
) -> Result<Stage<U>, ClientError> {
    match read {
        Ok(object) => Ok(stage(object)),
        Err(e) if e.is_not_found() => Ok(Stage::Absent),
        Err(e) => Err(e),
    }
}
