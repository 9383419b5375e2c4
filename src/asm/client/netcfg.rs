//! The subscription's network configuration: one XML document, changed only by read-modify-write.
//!
//! Writers in this process go through one queue per subscription (and management URL). Edits that
//! arrive while a cycle is in flight are batched into the next GET + PUT + poll cycle, so N VNets
//! created in parallel cost a few cycles, not N. Each edit is applied to a copy of the document and
//! kept only if it succeeds, so one rejected edit does not sink the others. Everything an edit does
//! not touch is written back exactly as read (the typed views edit the lossless tree in place).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use reqwest::{Method, Url};
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::context::{CallContext, Cancellation};
use super::error::ClientError;
use super::http::{ApiFamily, ApiRequest};
use super::operations::PendingOperation;
use super::retry::Backoff;
use super::stats::Counters;
use super::Client;
use crate::asm::xml::netcfg::NetworkConfiguration;

/// `update_network_config` failed: either the caller's edit refused, or the API call failed.
#[derive(Debug, thiserror::Error)]
pub enum NetcfgError<E> {
    #[error("{0}")]
    Edit(E),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// An edit as the queue stores it: applies the caller's closure, keeping its value for the caller.
/// `Err(())` = the closure refused; the document copy it touched is dropped.
type QueuedEdit = Box<dyn FnMut(&mut NetworkConfiguration) -> Result<(), ()> + Send>;

struct PendingEdit {
    apply: QueuedEdit,
    deadline: Instant,
    done: oneshot::Sender<Result<(), ClientError>>,
}

#[derive(Default)]
struct QueueState {
    pending: Vec<PendingEdit>,
    worker_running: bool,
}

/// The per-subscription queue of network-configuration edits.
#[derive(Default)]
pub(crate) struct NetcfgQueue {
    state: Mutex<QueueState>,
}

impl std::fmt::Debug for NetcfgQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetcfgQueue")
    }
}

type Registry = Mutex<HashMap<(String, String), Weak<NetcfgQueue>>>;

impl NetcfgQueue {
    /// The queue shared by every client of this subscription in the process (aliased providers
    /// pointing at one subscription must not overwrite each other's edits).
    pub(crate) fn for_subscription(url: &Url, subscription: &str) -> Arc<Self> {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        let registry = REGISTRY.get_or_init(Registry::default);
        let mut map = registry.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, queue| queue.strong_count() > 0);
        let key = (url.as_str().to_string(), subscription.to_ascii_lowercase());
        if let Some(queue) = map.get(&key).and_then(Weak::upgrade) {
            return queue;
        }
        let queue = Arc::new(Self::default());
        map.insert(key, Arc::downgrade(&queue));
        queue
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        // A panicking edit closure must not wedge the subscription's queue.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn media_request() -> ApiRequest {
    ApiRequest::new(
        Method::GET,
        ApiFamily::Network,
        &["services", "networking", "media"],
    )
}

impl Client {
    /// The subscription's network configuration; a subscription without one reads as empty.
    pub async fn get_network_config(
        &self,
        ctx: &CallContext,
    ) -> Result<NetworkConfiguration, ClientError> {
        let request = media_request();
        match self.transport().send(ctx, &request).await {
            Ok(response) => {
                NetworkConfiguration::parse(&response.body).map_err(|e| ClientError::Decode {
                    call: self.transport().call_site(&request),
                    reason: e.to_string(),
                })
            }
            Err(e) if e.is_not_found() => Ok(NetworkConfiguration::empty()),
            Err(e) => Err(e),
        }
    }

    /// Applies `edit` to the subscription's network configuration and writes it back, batched with
    /// other callers' edits. `edit` may run more than once (on a fresh document after a conflict), so
    /// it should state the desired result (insert-or-update, remove) rather than toggle. Returns the
    /// edit's value once the write has succeeded.
    pub async fn update_network_config<T, E>(
        &self,
        ctx: &CallContext,
        mut edit: impl FnMut(&mut NetworkConfiguration) -> Result<T, E> + Send + 'static,
    ) -> Result<T, NetcfgError<E>>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let outcome: Arc<Mutex<Option<Result<T, E>>>> = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&outcome);
        let apply: QueuedEdit = Box::new(move |doc| {
            let result = edit(doc);
            let accepted = result.is_ok();
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
            if accepted {
                Ok(())
            } else {
                Err(())
            }
        });
        let (done, written) = oneshot::channel();
        self.enqueue(PendingEdit {
            apply,
            deadline: ctx.deadline(),
            done,
        });
        let call = self.transport().call_site(&media_request());
        let written = ctx
            .run(&call, written)
            .await?
            .map_err(|_| ClientError::Cancelled { call: call.clone() })?;
        written?;
        let result = outcome.lock().unwrap_or_else(|p| p.into_inner()).take();
        match result {
            Some(Ok(value)) => Ok(value),
            Some(Err(refused)) => Err(NetcfgError::Edit(refused)),
            // The edit never finished (it panicked): nothing of it was written.
            None => Err(ClientError::Cancelled { call }.into()),
        }
    }

    fn enqueue(&self, edit: PendingEdit) {
        let start_worker = {
            let mut state = self.netcfg_queue().lock();
            state.pending.push(edit);
            !std::mem::replace(&mut state.worker_running, true)
        };
        if start_worker {
            let client = self.clone();
            tokio::spawn(async move { client.drain_netcfg_queue().await });
        }
    }

    /// The single writer: takes everything queued, writes it in one cycle, repeats until empty.
    async fn drain_netcfg_queue(self) {
        loop {
            let batch = {
                let mut state = self.netcfg_queue().lock();
                if state.pending.is_empty() {
                    state.worker_running = false;
                    return;
                }
                std::mem::take(&mut state.pending)
            };
            self.write_batch(batch).await;
        }
    }

    async fn write_batch(&self, mut batch: Vec<PendingEdit>) {
        // Callers that gave up (cancelled, timed out) withdraw their edits if not yet written.
        batch.retain(|edit| !edit.done.is_closed());
        let Some(deadline) = batch.iter().map(|e| e.deadline).max() else {
            return;
        };
        let ctx = CallContext::until(deadline, Cancellation::never());
        let result = self.write_cycle(&ctx, &mut batch).await;
        match result {
            // The service refused the combined document: find whose edit it was by writing each alone.
            Err(e) if batch.len() > 1 && is_refusal(&e) => {
                for edit in batch {
                    let mut single = vec![edit];
                    let result = self.write_cycle(&ctx, &mut single).await;
                    answer(single, result);
                }
            }
            result => answer(batch, result),
        }
    }

    /// GET, apply the edits, PUT, wait; the whole cycle is repeated on conflicts and transient
    /// failures (a fresh read each time, so another writer's change is never overwritten).
    async fn write_cycle(
        &self,
        ctx: &CallContext,
        batch: &mut [PendingEdit],
    ) -> Result<(), ClientError> {
        let transport = self.transport();
        let put = ApiRequest::new(
            Method::PUT,
            ApiFamily::Network,
            &["services", "networking", "media"],
        );
        let put_call = transport.call_site(&put);
        let mut backoff = Backoff::new(
            ctx,
            &put_call,
            transport.retry_policy(),
            &transport.counters,
        );
        loop {
            match self.write_once(ctx, &put, batch).await {
                Ok(()) => return Ok(()),
                Err(error) => backoff.after(error).await?,
            }
        }
    }

    async fn write_once(
        &self,
        ctx: &CallContext,
        put: &ApiRequest,
        batch: &mut [PendingEdit],
    ) -> Result<(), ClientError> {
        let transport = self.transport();
        let current = self.get_network_config(ctx).await?;
        let mut document = current.clone();
        let mut applied = 0u64;
        for edit in batch.iter_mut() {
            let mut candidate = document.clone();
            // A panicking edit counts as refused: it must not take the subscription's writer down.
            let applied_ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                (edit.apply)(&mut candidate)
            }))
            .is_ok_and(|r| r.is_ok());
            if applied_ok {
                document = candidate;
                applied += 1;
            }
        }
        if document == current {
            return Ok(());
        }
        let put_call = transport.call_site(put);
        let request = put.clone().with_body(document.to_xml());
        Counters::bump(&transport.counters.netcfg_cycles);
        let response = transport.send_once(ctx, &request).await?;
        let operation = PendingOperation::from_request_id(&put_call, &response)?;
        self.wait_for_operation(ctx, &operation, &put_call).await?;
        transport
            .counters
            .netcfg_edits
            .fetch_add(applied, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// The service judged the document itself (not a conflict, not an outage).
fn is_refusal(error: &ClientError) -> bool {
    match error {
        ClientError::Service(e) => e.status == 400,
        ClientError::OperationFailed { .. } => true,
        _ => false,
    }
}

fn answer(batch: Vec<PendingEdit>, result: Result<(), ClientError>) {
    for edit in batch {
        // A caller that stopped waiting has nobody to tell.
        let _ = edit.done.send(result.clone());
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::time::Duration;

    use super::*;
    use crate::asm::client::fake_service::FakeService;
    use crate::asm::client::{ClientSettings, PollPolicy, RetryPolicy};
    use crate::asm::xml::netcfg::{SiteLocation, Subnet, VirtualNetworkSite};

    fn client(service: &FakeService) -> Client {
        // Each test uses its own subscription so the process-wide queues stay apart.
        let subscription = uuid::Uuid::new_v4().to_string();
        let mut settings = ClientSettings::new(&subscription, &service.url).unwrap();
        settings.retry = RetryPolicy {
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        };
        settings.polling = PollPolicy {
            initial_interval: Duration::from_millis(20),
            max_interval: Duration::from_millis(40),
        };
        Client::new(settings).unwrap()
    }

    fn ctx() -> CallContext {
        CallContext::with_timeout(Duration::from_secs(20))
    }

    fn vnet(name: &str) -> VirtualNetworkSite {
        VirtualNetworkSite {
            name: name.to_string(),
            location: SiteLocation::Location("West US".to_string()),
            address_space: vec!["10.0.0.0/16".to_string()],
            subnets: vec![Subnet {
                name: "GatewaySubnet".to_string(),
                address_prefix: "10.0.1.0/27".to_string(),
            }],
            gateway: None,
        }
    }

    async fn insert(client: &Client, name: &str) -> Result<(), NetcfgError<Infallible>> {
        let site = vnet(name);
        client
            .update_network_config(&ctx(), move |doc| {
                doc.upsert_virtual_network_site(&site);
                Ok(())
            })
            .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn missing_configuration_reads_as_empty_and_first_write_creates_it() {
        let service = FakeService::start().await;
        let client = client(&service);
        let empty = client.get_network_config(&ctx()).await.unwrap();
        assert_eq!(empty, NetworkConfiguration::empty());
        insert(&client, "first").await.unwrap();
        assert_eq!(service.script().puts, 1);
        assert!(service
            .script()
            .netcfg
            .as_ref()
            .unwrap()
            .contains(r#"name="first""#));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_edits_share_cycles_and_each_caller_gets_its_own_result() {
        let service = FakeService::start().await;
        let client = client(&service);
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move { insert(&client, &format!("v{i}")).await })
            })
            .collect();
        let refused = client
            .update_network_config(&ctx(), |_| Err::<(), _>("refused"))
            .await;
        assert!(matches!(refused, Err(NetcfgError::Edit("refused"))));
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let config = client.get_network_config(&ctx()).await.unwrap();
        assert_eq!(config.virtual_network_sites().len(), 20);
        let puts = service.script().puts;
        assert!((1..=4).contains(&puts), "{puts} PUTs for 20 edits");
        assert_eq!(client.stats().netcfg_edits, 20);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_document_the_service_refuses_fails_only_the_edit_that_caused_it() {
        let service = FakeService::start().await;
        service.script().refuse_marker = Some("poison".to_string());
        let client = client(&service);
        // Hold the queue's first cycle busy so the next edits are batched together.
        insert(&client, "warmup").await.unwrap();
        let names = ["a", "poison", "b"];
        let tasks: Vec<_> = names
            .iter()
            .map(|name| {
                let client = client.clone();
                let name = name.to_string();
                tokio::spawn(async move { insert(&client, &name).await })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        assert!(results[0].is_ok() && results[2].is_ok());
        assert!(matches!(
            &results[1],
            Err(NetcfgError::Client(ClientError::Service(e))) if e.status == 400
        ));
        let config = client.get_network_config(&ctx()).await.unwrap();
        let mut names: Vec<_> = config
            .virtual_network_sites()
            .into_iter()
            .map(|s| s.name)
            .collect();
        names.sort();
        assert_eq!(names, ["a", "b", "warmup"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn transient_failures_and_conflicts_are_retried_with_counts() {
        let service = FakeService::start().await;
        service.script().failures.extend([503, 429, 409, 500]);
        let client = client(&service);
        insert(&client, "v").await.unwrap();
        let stats = client.stats();
        assert_eq!(
            (
                stats.unavailable,
                stats.throttled,
                stats.conflicts,
                stats.server_errors
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(stats.retries, 4);
        assert_eq!(service.script().puts, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancelling_a_caller_stops_its_wait_promptly() {
        let service = FakeService::start().await;
        service.script().operations_hang = true;
        let client = client(&service);
        let (stop, cancel) = crate::asm::client::cancellation();
        let ctx = CallContext::new(Duration::from_secs(600), cancel);
        let site = vnet("v");
        let waiting = tokio::spawn(async move {
            client
                .update_network_config(&ctx, move |doc| {
                    doc.upsert_virtual_network_site(&site);
                    Ok::<_, Infallible>(())
                })
                .await
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        let stopped = std::time::Instant::now();
        stop.cancel();
        let outcome = tokio::time::timeout(Duration::from_secs(2), waiting)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            outcome,
            Err(NetcfgError::Client(ClientError::Cancelled { .. }))
        ));
        assert!(stopped.elapsed() < Duration::from_millis(500));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_edit_fails_alone_and_the_writer_keeps_working() {
        let service = FakeService::start().await;
        let client = client(&service);
        let panicked = client
            .update_network_config(&ctx(), |_| -> Result<(), Infallible> {
                panic!("bug in an edit")
            })
            .await;
        assert!(matches!(
            panicked,
            Err(NetcfgError::Client(ClientError::Cancelled { .. }))
        ));
        insert(&client, "after").await.unwrap();
        assert_eq!(service.script().puts, 1);
    }
}
