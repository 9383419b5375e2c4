//! The context passed to every provider, resource and data-source call: a cancellation signal
//! (triggered by Terraform's Stop) and the data the provider's `configure` returned.

use std::any::Any;
use std::sync::Arc;

use tokio::sync::watch;

use super::diagnostics::Diagnostic;

/// Whatever the provider's `configure` returns (an API client, typically), shared by all calls.
pub type ProviderData = Arc<dyn Any + Send + Sync>;

#[derive(Clone)]
pub struct Context {
    cancel: Cancellation,
    provider_data: Option<ProviderData>,
}

impl Context {
    pub fn new(cancel: Cancellation, provider_data: Option<ProviderData>) -> Context {
        Context {
            cancel,
            provider_data,
        }
    }

    /// A context that is never cancelled and has no provider data (tests, validation).
    pub fn detached() -> Context {
        Context::new(StopSource::new().token(), None)
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Completes when Terraform asks the provider to stop; race long operations against it.
    pub async fn cancelled(&self) {
        self.cancel.cancelled().await
    }

    /// The configured provider data, as the type the provider's `configure` stored.
    pub fn provider_data<T: Any + Send + Sync>(&self) -> Result<Arc<T>, Diagnostic> {
        let data = self.provider_data.clone().ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "This operation needs the provider's configuration, which Terraform has not sent yet.",
            )
        })?;
        data.downcast::<T>().map_err(|_| {
            Diagnostic::error(
                "Provider bug",
                "The configured provider data has an unexpected type.",
            )
        })
    }
}

/// The receiving side of a stop signal.
#[derive(Clone)]
pub struct Cancellation(watch::Receiver<bool>);

impl Cancellation {
    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    pub async fn cancelled(&self) {
        let mut rx = self.0.clone();
        if rx.wait_for(|stopped| *stopped).await.is_err() {
            // The source is gone without stopping: nothing will ever cancel this call.
            std::future::pending::<()>().await;
        }
    }
}

/// The sending side: `stop` cancels every token handed out so far.
pub struct StopSource(watch::Sender<bool>);

impl StopSource {
    pub fn new() -> StopSource {
        StopSource(watch::Sender::new(false))
    }

    pub fn token(&self) -> Cancellation {
        Cancellation(self.0.subscribe())
    }

    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Default for StopSource {
    fn default() -> StopSource {
        StopSource::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn stop_cancels_tokens_already_handed_out() {
        let source = StopSource::new();
        let ctx = Context::new(source.token(), None);
        assert!(!ctx.is_cancelled());
        let waiter = tokio::spawn(async move { ctx.cancelled().await });
        source.stop();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap();
        assert!(source.token().is_cancelled());
    }

    #[test]
    fn provider_data_is_typed() {
        let ctx = Context::new(StopSource::new().token(), Some(Arc::new(42u32)));
        assert_eq!(*ctx.provider_data::<u32>().unwrap(), 42);
        assert!(ctx.provider_data::<String>().is_err());
        assert!(Context::detached().provider_data::<u32>().is_err());
    }
}
