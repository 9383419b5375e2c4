//! One HTTP exchange with the service: URL and headers per API family, error decoding, retries.

use std::future::Future;
use std::time::Duration;

use reqwest::{Method, Url};

use super::config::{ClientSettings, ConfigError};
use super::context::CallContext;
use super::error::{AsmError, CallSite, ClientError, TransportFailure};
use super::retry::{retry, retry_create, Created, RetryPolicy};
use super::stats::Counters;
use crate::asm::xml::messages::{Message, ServiceError};

/// The API family decides the `x-ms-version` header and the `api-version` query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiFamily {
    /// Network configuration, VNet sites, the VNet's own gateway, the multi-gateway API.
    Network,
    /// ExpressRoute dedicated circuits and links: always `?api-version=1.0`.
    ExpressRoute,
}

const NETWORK_VERSION: &str = "2016-07-01";
const EXPRESSROUTE_VERSION: &str = "2011-10-01";
const EXPRESSROUTE_API_VERSION: &str = "1.0";

impl ApiFamily {
    fn version(self) -> &'static str {
        match self {
            Self::Network => NETWORK_VERSION,
            Self::ExpressRoute => EXPRESSROUTE_VERSION,
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Self::Network => NETWORK_VERSION,
            Self::ExpressRoute => EXPRESSROUTE_API_VERSION,
        }
    }
}

/// A request below `/{subscriptionId}/`; path segments are escaped when the URL is built.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    method: Method,
    family: ApiFamily,
    segments: Vec<String>,
    api_version_query: bool,
    body: Option<String>,
}

impl ApiRequest {
    pub(crate) fn new(method: Method, family: ApiFamily, segments: &[&str]) -> Self {
        Self {
            method,
            family,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            api_version_query: family == ApiFamily::ExpressRoute,
            body: None,
        }
    }

    /// Multi-gateway calls marked `?api-version` in the contract repeat the version in the query.
    pub(crate) fn with_api_version(mut self) -> Self {
        self.api_version_query = true;
        self
    }

    pub(crate) fn with_body(mut self, xml: String) -> Self {
        self.body = Some(xml);
        self
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct ApiResponse {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) body: String,
}

/// The HTTP side of the client: connection pool, base URL, retry policy, counters.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base: Url,
    subscription: String,
    request_timeout: Duration,
    retry: RetryPolicy,
    pub(crate) counters: Counters,
}

impl Transport {
    pub(crate) fn new(settings: &ClientSettings) -> Result<Self, ConfigError> {
        let certificate_error = |source| ConfigError::Certificate {
            what: "building the TLS client".to_string(),
            source,
        };
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(Duration::from_secs(30))
            .pool_idle_timeout(Duration::from_secs(60));
        if let Some(identity) = &settings.identity {
            builder = builder.identity(identity.to_reqwest().map_err(certificate_error)?);
        }
        for root in &settings.trusted_roots {
            builder = builder.add_root_certificate(root.to_reqwest().map_err(certificate_error)?);
        }
        let http = builder
            .build()
            .map_err(|e| ConfigError::HttpClient(error_chain(&e)))?;
        Ok(Self {
            http,
            base: settings.management_url.clone(),
            subscription: settings.subscription_id.clone(),
            request_timeout: settings.request_timeout,
            retry: settings.retry.clone(),
            counters: Counters::default(),
        })
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn subscription(&self) -> &str {
        &self.subscription
    }

    pub(crate) fn url(&self, request: &ApiRequest) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .push(&self.subscription)
                .extend(&request.segments);
        }
        url.set_query(None);
        if request.api_version_query {
            url.query_pairs_mut()
                .append_pair("api-version", request.family.api_version());
        }
        url
    }

    pub(crate) fn call_site(&self, request: &ApiRequest) -> CallSite {
        CallSite {
            method: request.method.to_string(),
            path: self.url(request).path().to_string(),
        }
    }

    /// One attempt: a non-2xx answer becomes [`ClientError::Service`].
    pub(crate) async fn send_once(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
    ) -> Result<ApiResponse, ClientError> {
        let call = self.call_site(request);
        let timeout = self.request_timeout.min(ctx.remaining());
        let mut builder = self
            .http
            .request(request.method.clone(), self.url(request))
            .header("x-ms-version", request.family.version())
            .timeout(timeout);
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/xml")
                .body(body.clone());
        }
        Counters::bump(&self.counters.requests);
        let exchange = async {
            let response = builder.send().await?;
            let status = response.status().as_u16();
            let request_id = response
                .headers()
                .get("x-ms-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = response.text().await?;
            Ok::<_, reqwest::Error>(ApiResponse {
                status,
                request_id,
                body,
            })
        };
        let response = ctx
            .run(&call, exchange)
            .await?
            .map_err(|e| transport_error(&call, &e))?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(decode_error(call, response).into())
        }
    }

    /// Sends an idempotent request (GET, PUT of a whole document, PATCH to a target state, DELETE),
    /// retrying transient failures within the context.
    pub(crate) async fn send(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
    ) -> Result<ApiResponse, ClientError> {
        let call = self.call_site(request);
        retry(ctx, &call, &self.retry, &self.counters, || {
            self.send_once(ctx, request)
        })
        .await
    }

    /// Sends a create; after an ambiguous failure, `lookup` decides whether the object already exists.
    pub(crate) async fn send_create<X, L, LFut>(
        &self,
        ctx: &CallContext,
        request: &ApiRequest,
        lookup: L,
    ) -> Result<Created<ApiResponse, X>, ClientError>
    where
        L: FnMut() -> LFut,
        LFut: Future<Output = Result<Option<X>, ClientError>>,
    {
        let call = self.call_site(request);
        retry_create(
            ctx,
            &call,
            &self.retry,
            &self.counters,
            || self.send_once(ctx, request),
            lookup,
        )
        .await
    }
}

fn transport_error(call: &CallSite, error: &reqwest::Error) -> ClientError {
    let failure = if is_tls_failure(error) {
        TransportFailure::Tls
    } else if error.is_connect() {
        TransportFailure::Connect
    } else if error.is_timeout() {
        TransportFailure::Timeout
    } else {
        TransportFailure::Interrupted
    };
    ClientError::Transport {
        call: call.clone(),
        failure,
        detail: error_chain(error),
    }
}

/// A TLS handshake or certificate failure somewhere in the error's causes: retrying cannot fix it.
fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(cause) = source {
        if cause.is::<rustls::Error>() || io_wraps_tls(cause) {
            return true;
        }
        source = cause.source();
    }
    false
}

/// `io::Error::source` skips the error it wraps, and connectors wrap rustls errors in nested
/// `io::Error`s: look inside them.
fn io_wraps_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = error;
    for _ in 0..8 {
        let Some(inner) = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        else {
            return false;
        };
        if inner.is::<rustls::Error>() {
            return true;
        }
        current = inner;
    }
    false
}

/// The error and its causes on one line (reqwest's own message hides the cause).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The service's `<Error><Code/><Message/></Error>`; an unreadable body still yields the status.
fn decode_error(call: CallSite, response: ApiResponse) -> AsmError {
    let (code, message) = match <ServiceError as Message>::from_xml(&response.body) {
        Ok(e) => (e.code, e.message),
        Err(_) => (
            reqwest::StatusCode::from_u16(response.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Unknown")
                .replace(' ', ""),
            "the service's error body could not be read".to_string(),
        ),
    };
    AsmError {
        call,
        status: response.status,
        code,
        message,
        request_id: response.request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(base: &str) -> Transport {
        let settings = ClientSettings::new("sub-1", base).unwrap();
        Transport::new(&settings).unwrap()
    }

    #[test]
    fn urls_escape_segments_and_carry_the_family_query() {
        let t = transport("http://127.0.0.1:7080/");
        let gw = ApiRequest::new(
            Method::GET,
            ApiFamily::Network,
            &["services", "networking", "My VNet", "gateway"],
        );
        assert_eq!(
            t.url(&gw).as_str(),
            "http://127.0.0.1:7080/sub-1/services/networking/My%20VNet/gateway"
        );
        let list = ApiRequest::new(
            Method::GET,
            ApiFamily::Network,
            &["services", "networking", "localnetworkgateways"],
        )
        .with_api_version();
        assert_eq!(
            t.url(&list).as_str(),
            "http://127.0.0.1:7080/sub-1/services/networking/localnetworkgateways?api-version=2016-07-01"
        );
        let link = ApiRequest::new(
            Method::POST,
            ApiFamily::ExpressRoute,
            &[
                "services",
                "networking",
                "dedicatedcircuits",
                "k/ey",
                "vnets",
                "v1",
            ],
        );
        assert_eq!(
            t.url(&link).as_str(),
            "http://127.0.0.1:7080/sub-1/services/networking/dedicatedcircuits/k%2Fey/vnets/v1?api-version=1.0"
        );
        assert_eq!(
            t.call_site(&link).to_string(),
            "POST /sub-1/services/networking/dedicatedcircuits/k%2Fey/vnets/v1"
        );
    }

    #[test]
    fn base_url_path_is_kept() {
        let t = transport("http://localhost:1/prefix");
        let r = ApiRequest::new(Method::GET, ApiFamily::Network, &["operations", "x"]);
        assert_eq!(
            t.url(&r).as_str(),
            "http://localhost:1/prefix/sub-1/operations/x"
        );
    }

    fn call() -> CallSite {
        CallSite {
            method: "GET".into(),
            path: "/s/services/networking/media".into(),
        }
    }

    #[test]
    fn error_bodies_decode_into_code_message_and_request_id() {
        let body = r#"<Error xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Code>ResourceNotFound</Code><Message>Network configuration does not exist.</Message></Error>"#;
        let e = decode_error(
            call(),
            ApiResponse {
                status: 404,
                request_id: Some("ab".repeat(16)),
                body: body.into(),
            },
        );
        assert_eq!(e.code, "ResourceNotFound");
        assert_eq!(e.message, "Network configuration does not exist.");
        assert_eq!(
            e.request_id.as_deref(),
            Some("abababababababababababababababab")
        );
        assert!(e.is_not_found());
    }

    #[test]
    fn unreadable_error_bodies_keep_the_status() {
        let e = decode_error(
            call(),
            ApiResponse {
                status: 503,
                request_id: None,
                body: "<html>busy".into(),
            },
        );
        assert_eq!((e.status, e.code.as_str()), (503, "ServiceUnavailable"));
    }
}
