//! Waiting for the service's asynchronous operations.
//!
//! Style A (the netcfg PUT): `202` + `x-ms-request-id`, polled at `GET /{sub}/operations/{id}` until
//! `Succeeded` / `Failed`. Style B (gateways, connections, ExpressRoute): a `GatewayOperationAsyncResponse`
//! `ID`, polled at `GET /{sub}/services/networking/operation/{ID}` until `Successful` / `Failed`.

use std::future::Future;
use std::time::Duration;

use reqwest::Method;

use super::error::{CallSite, ClientError};
use super::http::{ApiFamily, ApiRequest, ApiResponse};
use super::stats::Counters;
use super::Client;
use crate::asm::xml::messages::{
    GatewayOperation, GatewayOperationAsyncResponse, GatewayOperationStatus, Operation,
    OperationStatus, ServiceError,
};

/// How often to poll: starts fast (the emulator answers in milliseconds) and grows by half each
/// poll up to a cap suited to the real service (gateway creation takes ~30 minutes).
#[derive(Debug, Clone, PartialEq)]
pub struct PollPolicy {
    pub initial_interval: Duration,
    pub max_interval: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(30),
        }
    }
}

impl PollPolicy {
    /// The pause before poll number `poll` (0-based).
    pub fn interval(&self, poll: u32) -> Duration {
        let grown = self
            .initial_interval
            .mul_f64(1.5f64.powi(poll.min(64) as i32));
        grown.min(self.max_interval)
    }
}

/// An accepted asynchronous operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingOperation {
    /// Style A: the `x-ms-request-id` of the accepted request.
    Subscription(String),
    /// Style B: the `GatewayOperationAsyncResponse` ID.
    Gateway(String),
}

impl PendingOperation {
    /// Style A: the request id header of a `202`.
    pub(crate) fn from_request_id(
        call: &CallSite,
        response: &ApiResponse,
    ) -> Result<Self, ClientError> {
        response
            .request_id
            .clone()
            .filter(|id| !id.is_empty())
            .map(Self::Subscription)
            .ok_or_else(|| ClientError::Decode {
                call: call.clone(),
                reason: "accepted without an x-ms-request-id to poll".to_string(),
            })
    }

    /// Style B: the `GatewayOperationAsyncResponse` body.
    pub(crate) fn from_gateway_response(
        call: &CallSite,
        response: &ApiResponse,
    ) -> Result<Self, ClientError> {
        let ack: GatewayOperationAsyncResponse = Client::decode(call, &response.body)?;
        Ok(Self::Gateway(ack.id))
    }

    fn status_request(&self) -> ApiRequest {
        match self {
            Self::Subscription(id) => {
                ApiRequest::new(Method::GET, ApiFamily::Network, &["operations", id])
            }
            Self::Gateway(id) => ApiRequest::new(
                Method::GET,
                ApiFamily::Network,
                &["services", "networking", "operation", id],
            ),
        }
    }

    fn id(&self) -> &str {
        match self {
            Self::Subscription(id) | Self::Gateway(id) => id,
        }
    }
}

/// Where an operation stands, whichever style it is.
enum Progress {
    Running,
    Succeeded,
    Failed(Option<ServiceError>),
}

impl Client {
    /// Waits until the operation completes, within the context's deadline and cancellation. A
    /// `Failed` operation becomes [`ClientError::OperationFailed`] with the service's code and message.
    pub async fn wait_for_operation(
        &self,
        ctx: &super::CallContext,
        operation: &PendingOperation,
        started_by: &CallSite,
    ) -> Result<(), ClientError> {
        let request = operation.status_request();
        let transport = self.transport();
        let call = transport.call_site(&request);
        self.poll_until(ctx, started_by, || async {
            let response = transport.send(ctx, &request).await?;
            Counters::bump(&transport.counters.polls);
            let progress = match operation {
                PendingOperation::Subscription(_) => {
                    let op: Operation = Client::decode(&call, &response.body)?;
                    match op.status {
                        OperationStatus::InProgress => Progress::Running,
                        OperationStatus::Succeeded => Progress::Succeeded,
                        OperationStatus::Failed => Progress::Failed(op.error),
                    }
                }
                PendingOperation::Gateway(_) => {
                    let op: GatewayOperation = Client::decode(&call, &response.body)?;
                    match op.status {
                        GatewayOperationStatus::InProgress => Progress::Running,
                        GatewayOperationStatus::Successful => Progress::Succeeded,
                        GatewayOperationStatus::Failed => Progress::Failed(op.error),
                    }
                }
            };
            match progress {
                Progress::Running => Ok(None),
                Progress::Succeeded => Ok(Some(())),
                Progress::Failed(error) => {
                    let error = error.unwrap_or_else(|| ServiceError {
                        code: "Failed".to_string(),
                        message: "the operation failed without an error description".to_string(),
                    });
                    Err(ClientError::OperationFailed {
                        call: started_by.clone(),
                        operation_id: operation.id().to_string(),
                        code: error.code,
                        message: error.message,
                    })
                }
            }
        })
        .await
    }

    /// Calls `check` at the poll policy's intervals until it yields a value, an error, or the
    /// context ends (deadline or cancellation, reported against `started_by`).
    pub(crate) async fn poll_until<T, F, Fut>(
        &self,
        ctx: &super::CallContext,
        started_by: &CallSite,
        mut check: F,
    ) -> Result<T, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>, ClientError>>,
    {
        let mut poll = 0u32;
        loop {
            ctx.pause(started_by, self.polling().interval(poll)).await?;
            if let Some(done) = check().await? {
                return Ok(done);
            }
            poll = poll.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_interval_starts_fast_grows_and_caps() {
        let p = PollPolicy::default();
        assert_eq!(p.interval(0), Duration::from_millis(100));
        assert!(p.interval(1) > p.interval(0));
        assert_eq!(p.interval(30), Duration::from_secs(30));
        assert_eq!(p.interval(u32::MAX), Duration::from_secs(30));
        // Reaching the cap takes a bounded number of polls (~15), so fast operations finish fast.
        let to_cap = (0..100).find(|&n| p.interval(n) == p.max_interval).unwrap();
        assert!((10..=20).contains(&to_cap), "{to_cap}");
    }
}

#[cfg(test)]
mod failed_operation_tests {
    use std::time::Duration;

    use crate::asm::client::fake_service::FakeService;
    use crate::asm::client::{CallContext, Client, ClientError, ClientSettings};
    use crate::asm::xml::messages::CreateGatewayParameters;

    #[tokio::test]
    async fn a_failed_gateway_operation_is_a_typed_error_with_the_service_code() {
        let service = FakeService::start().await;
        let client = Client::new(ClientSettings::new("s", &service.url).unwrap()).unwrap();
        let ctx = CallContext::with_timeout(Duration::from_secs(10));
        let error = client
            .create_vnet_gateway(&ctx, "v", &CreateGatewayParameters::default())
            .await
            .unwrap_err();
        match error {
            ClientError::OperationFailed {
                call,
                operation_id,
                code,
                message,
            } => {
                assert_eq!(call.to_string(), "POST /s/services/networking/v/gateway");
                assert_eq!(operation_id, "op-1");
                assert_eq!(code, "BadRequest");
                assert_eq!(message, "The gateway subnet is too small.");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
