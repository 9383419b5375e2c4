//! Deadlines and cancellation for one resource operation: every request, backoff sleep and poll of the
//! operation runs under its `CallContext`, so a Terraform timeout or the provider's Stop ends it promptly.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::error::{CallSite, ClientError};

/// Triggers cancellation of every [`Cancellation`] cloned from its pair (the provider's Stop holds it).
#[derive(Debug)]
pub struct CancelHandle(watch::Sender<bool>);

impl CancelHandle {
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }
}

/// Observes a [`CancelHandle`]; cheap to clone.
#[derive(Debug, Clone)]
pub struct Cancellation(watch::Receiver<bool>);

/// A new cancellation pair.
pub fn cancellation() -> (CancelHandle, Cancellation) {
    let (tx, rx) = watch::channel(false);
    (CancelHandle(tx), Cancellation(rx))
}

impl Cancellation {
    /// A cancellation that never fires.
    pub fn never() -> Self {
        cancellation().1
    }

    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once cancelled; never completes if the handle is dropped uncancelled.
    pub async fn cancelled(&self) {
        let mut rx = self.0.clone();
        if rx.wait_for(|cancelled| *cancelled).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The deadline and cancellation of one resource operation (create, read, update, delete).
#[derive(Debug, Clone)]
pub struct CallContext {
    started: Instant,
    deadline: Instant,
    cancel: Cancellation,
}

impl CallContext {
    pub fn new(timeout: Duration, cancel: Cancellation) -> Self {
        let started = Instant::now();
        Self {
            started,
            deadline: started + timeout,
            cancel,
        }
    }

    /// A context ending at `deadline`.
    pub fn until(deadline: Instant, cancel: Cancellation) -> Self {
        Self {
            started: Instant::now(),
            deadline,
            cancel,
        }
    }

    /// A context without cancellation (tests, one-off reads).
    pub fn with_timeout(timeout: Duration) -> Self {
        Self::new(timeout, Cancellation::never())
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    pub fn cancellation(&self) -> &Cancellation {
        &self.cancel
    }

    fn deadline_error(&self, call: &CallSite) -> ClientError {
        ClientError::DeadlineExceeded {
            call: call.clone(),
            waited: self.started.elapsed(),
        }
    }

    /// Checks before starting more work.
    pub(crate) fn check(&self, call: &CallSite) -> Result<(), ClientError> {
        if self.cancel.is_cancelled() {
            return Err(ClientError::Cancelled { call: call.clone() });
        }
        if Instant::now() >= self.deadline {
            return Err(self.deadline_error(call));
        }
        Ok(())
    }

    /// Runs `work` unless cancellation or the deadline comes first.
    pub(crate) async fn run<F: Future>(
        &self,
        call: &CallSite,
        work: F,
    ) -> Result<F::Output, ClientError> {
        self.check(call)?;
        tokio::select! {
            out = work => Ok(out),
            () = self.cancel.cancelled() => Err(ClientError::Cancelled { call: call.clone() }),
            () = tokio::time::sleep_until(self.deadline) => Err(self.deadline_error(call)),
        }
    }

    /// Sleeps `pause`; fails at once when the deadline falls before the pause ends, since the next
    /// attempt could not start in time anyway.
    pub(crate) async fn pause(&self, call: &CallSite, pause: Duration) -> Result<(), ClientError> {
        if Instant::now() + pause >= self.deadline {
            self.check(call)?;
            return Err(self.deadline_error(call));
        }
        self.run(call, tokio::time::sleep(pause)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> CallSite {
        CallSite {
            method: "GET".into(),
            path: "/s/operations/x".into(),
        }
    }

    #[tokio::test]
    async fn cancel_interrupts_a_long_sleep_promptly() {
        let (handle, cancel) = cancellation();
        let ctx = CallContext::new(Duration::from_secs(600), cancel);
        let started = std::time::Instant::now();
        let sleeper =
            tokio::spawn(async move { ctx.pause(&call(), Duration::from_secs(300)).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        handle.cancel();
        let out = tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(out, Err(ClientError::Cancelled { .. })));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn pause_past_the_deadline_fails_without_sleeping() {
        let ctx = CallContext::with_timeout(Duration::from_millis(50));
        let started = std::time::Instant::now();
        let out = ctx.pause(&call(), Duration::from_secs(60)).await;
        assert!(matches!(out, Err(ClientError::DeadlineExceeded { .. })));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test]
    async fn dropped_handle_never_cancels() {
        let cancel = Cancellation::never();
        let out = tokio::time::timeout(Duration::from_millis(30), cancel.cancelled()).await;
        assert!(out.is_err());
        assert!(!cancel.is_cancelled());
    }
}
