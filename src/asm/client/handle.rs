//! The `Client` that resources hold after provider Configure: cheap to clone, one per subscription.

use std::future::Future;
use std::sync::Arc;

use super::config::{ClientSettings, ConfigError};
use super::context::CallContext;
use super::error::{CallSite, ClientError};
use super::http::{ApiRequest, Transport};
use super::netcfg::NetcfgQueue;
use super::operations::{PendingOperation, PollPolicy};
use super::retry::Created;
use super::stats::ClientStats;
use crate::asm::xml::messages::{List, ListItem, Message};

/// The classic networking API of one subscription. Clones share connections, counters and the
/// subscription's network-configuration queue.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Transport,
    polling: PollPolicy,
    netcfg: Arc<NetcfgQueue>,
}

impl Client {
    pub fn new(settings: ClientSettings) -> Result<Self, ConfigError> {
        let transport = Transport::new(&settings)?;
        let netcfg =
            NetcfgQueue::for_subscription(&settings.management_url, &settings.subscription_id);
        Ok(Self {
            inner: Arc::new(Inner {
                transport,
                polling: settings.polling,
                netcfg,
            }),
        })
    }

    pub fn subscription_id(&self) -> &str {
        self.inner.transport.subscription()
    }

    /// What the client has done so far: requests, retries by cause, duplicate creates avoided, polls.
    pub fn stats(&self) -> ClientStats {
        self.inner.transport.counters.snapshot()
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    pub(crate) fn polling(&self) -> &PollPolicy {
        &self.inner.polling
    }

    pub(crate) fn netcfg_queue(&self) -> &Arc<NetcfgQueue> {
        &self.inner.netcfg
    }

    pub(crate) fn decode<M: Message>(call: &CallSite, body: &str) -> Result<M, ClientError> {
        M::from_xml(body).map_err(|e| ClientError::Decode {
            call: call.clone(),
            reason: e.to_string(),
        })
    }

    /// An idempotent request whose answer is the message `M`.
    pub(crate) async fn fetch<M: Message>(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
    ) -> Result<M, ClientError> {
        let response = self.transport().send(ctx, request).await?;
        Self::decode(&self.transport().call_site(request), &response.body)
    }

    /// An idempotent request whose answer is a list of `M`.
    pub(crate) async fn fetch_list<M: ListItem>(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
    ) -> Result<Vec<M>, ClientError> {
        Ok(self.fetch::<List<M>>(ctx, request).await?.items)
    }

    /// An idempotent request answered with a style-B operation, waited for.
    pub(crate) async fn run_operation(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
    ) -> Result<(), ClientError> {
        let call = self.transport().call_site(request);
        let response = self.transport().send(ctx, request).await?;
        let operation = PendingOperation::from_gateway_response(&call, &response)?;
        self.wait_for_operation(ctx, &operation, &call).await
    }

    /// A non-idempotent request answered with a style-B operation: after an ambiguous failure,
    /// `lookup` says whether it already took effect; otherwise the operation is waited for.
    pub(crate) async fn run_guarded_operation<X, L, LFut>(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
        lookup: L,
    ) -> Result<Created<(), X>, ClientError>
    where
        L: FnMut() -> LFut,
        LFut: Future<Output = Result<Option<X>, ClientError>>,
    {
        let call = self.transport().call_site(request);
        match self.transport().send_create(ctx, request, lookup).await? {
            Created::Sent(response) => {
                let operation = PendingOperation::from_gateway_response(&call, &response)?;
                self.wait_for_operation(ctx, &operation, &call).await?;
                Ok(Created::Sent(()))
            }
            Created::Found(existing) => Ok(Created::Found(existing)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::asm::xml::messages::{
        CreateGatewayConnectionParameters, CreateLocalNetworkGatewayParameters, GatewayConnection,
        GatewayConnectionType, GatewaySize,
    };

    fn assert_send<T: Send>(_: T) {}

    /// Resources call the client from tonic's spawned tasks: every future must be `Send`.
    #[tokio::test]
    async fn every_operation_future_is_send() {
        let client = Client::new(ClientSettings::new("s", "http://127.0.0.1:9").unwrap()).unwrap();
        let ctx = CallContext::with_timeout(Duration::from_secs(1));
        let c = &client;
        let connection = CreateGatewayConnectionParameters {
            connection: GatewayConnection {
                connected_entity_id: "e".into(),
                gateway_connection_name: "n".into(),
                gateway_connection_type: GatewayConnectionType::IPsec,
                virtual_network_gateway_id: "g".into(),
                routing_weight: None,
                shared_key: None,
                enable_bgp: None,
            },
        };
        let local = CreateLocalNetworkGatewayParameters {
            address_space: vec![],
            gateway_name: "l".into(),
            ip_address: "1.1.1.1".into(),
            bgp_settings: None,
        };
        assert_send(c.get_network_config(&ctx));
        assert_send(c.update_network_config(&ctx, |_| Ok::<(), ()>(())));
        assert_send(c.list_virtual_network_sites(&ctx));
        assert_send(c.create_vnet_gateway(&ctx, "v", &Default::default()));
        assert_send(c.resize_vnet_gateway(&ctx, "v", GatewaySize::Standard));
        assert_send(c.delete_vnet_gateway(&ctx, "v"));
        assert_send(c.create_vpn_gateway(&ctx, "v", &Default::default()));
        assert_send(c.delete_vpn_gateway(&ctx, "g"));
        assert_send(c.create_local_network_gateway(&ctx, &local));
        assert_send(c.create_gateway_connection(&ctx, &connection));
        assert_send(c.delete_gateway_connection(&ctx, "g", "e"));
        assert_send(c.create_circuit_link(&ctx, "k", "v"));
        assert_send(c.delete_circuit_link(&ctx, "k", "v"));
    }
}
