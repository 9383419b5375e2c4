//! The gRPC server Terraform talks to: the provider service plus go-plugin's controller, stdio and
//! health services, served over AutoMTLS (or plaintext when Terraform asks for it) until Terraform
//! calls `GRPCController/Shutdown`.

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_stream::Stream;
use tonic::transport::server::{Connected, Router};
use tonic::transport::Server;
use tonic::{Request, Response, Status};
use tonic_health::ServingStatus;

use super::error::PluginError;
use super::handshake::{handshake_line, reattach_providers, HandshakeRequest, PortRange};
use super::incoming::{plain_connections, tls_connections};
use super::mtls::{server_config, PinnedClientCert, ServerIdentity};
use crate::proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::proto::plugin::grpc_stdio_server::{GrpcStdio, GrpcStdioServer};
use crate::proto::plugin::Empty;
use crate::proto::tfplugin5::provider_server::{Provider, ProviderServer};

/// terraform-plugin-go's limit; schemas and states of large configurations exceed tonic's 4 MiB.
const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;
/// Service name go-plugin's health check asks about.
const HEALTH_SERVICE: &str = "plugin";
/// How long calls still running at Shutdown may take to finish. Terraform kills the process two
/// seconds after asking it to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);
/// How long [`run`] waits for leftover background work once the server has stopped.
const RUNTIME_SHUTDOWN: Duration = Duration::from_millis(100);

/// Serves `provider` to the Terraform that launched this process, on its own Tokio runtime, until
/// Terraform shuts the plugin down.
pub fn run<P: Provider>(provider: P, request: HandshakeRequest) -> Result<(), PluginError> {
    on_own_runtime(serve(provider, request))
}

/// Serves `provider` in debug mode, on its own Tokio runtime, until Ctrl-C: see [`serve_debug`].
pub fn run_debug<P: Provider>(provider: P, provider_address: &str) -> Result<(), PluginError> {
    on_own_runtime(serve_debug(provider, provider_address))
}

fn on_own_runtime(
    server: impl std::future::Future<Output = Result<(), PluginError>>,
) -> Result<(), PluginError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(server);
    // Do not let a stuck background task delay the exit Terraform is waiting for.
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
    outcome
}

/// Listens on 127.0.0.1 within the requested port range, announces the address (and the server
/// certificate) on stdout, and serves until `GRPCController/Shutdown`.
pub async fn serve<P: Provider>(provider: P, request: HandshakeRequest) -> Result<(), PluginError> {
    ignore_interrupts()?;
    let listener = bind(request.ports).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let router = routes(provider, stop).await;
    match request.client_cert_pem {
        Some(pem) => {
            let client = PinnedClientCert::from_pem(&pem)?;
            let identity = ServerIdentity::generate()?;
            let config = server_config(&identity, client)?;
            announce(addr, Some(identity.cert_der()))?;
            serve_until_stopped(router, tls_connections(listener, config), stopped).await
        }
        None => {
            tracing::warn!("serving without TLS: Terraform did not ask for AutoMTLS");
            announce(addr, None)?;
            serve_until_stopped(router, plain_connections(listener), stopped).await
        }
    }
}

/// Debug mode, for running the provider under a debugger: started by hand (no magic cookie), it
/// serves plaintext on a free loopback port, prints the `TF_REATTACH_PROVIDERS` setting under which
/// Terraform uses this process instead of launching its own (`provider_address` is the provider's
/// full source address, e.g. `registry.terraform.io/azureclassic/azureclassic`), and serves
/// every such Terraform run until Ctrl-C.
pub async fn serve_debug<P: Provider>(
    provider: P,
    provider_address: &str,
) -> Result<(), PluginError> {
    let listener = bind(PortRange { min: 0, max: 0 }).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let router = routes(provider, stop.clone()).await;
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::debug!("Ctrl-C: stopping the debug server");
            stop.send_replace(true);
        }
    });
    let reattach = reattach_providers(provider_address, std::process::id(), addr);
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "Provider started in debug mode. For Terraform to use this process, set in its \
         environment:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n\nStop with Ctrl-C."
    )?;
    stdout.flush()?;
    drop(stdout);
    serve_until_stopped(router, plain_connections(listener), stopped).await
}

/// The services go-plugin and Terraform call.
async fn routes<P: Provider>(provider: P, stop: watch::Sender<bool>) -> Router {
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status(HEALTH_SERVICE, ServingStatus::Serving)
        .await;
    let provider = ProviderServer::new(provider)
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    Server::builder()
        .add_service(health_service)
        .add_service(GrpcControllerServer::new(Controller { stop }))
        .add_service(GrpcStdioServer::new(NoStdio))
        .add_service(provider)
}

/// Serves connections from `incoming` until a stop is requested, then lets in-flight calls finish
/// for at most [`SHUTDOWN_GRACE`].
async fn serve_until_stopped<I, IO, IE>(
    router: Router,
    incoming: I,
    stopped: watch::Receiver<bool>,
) -> Result<(), PluginError>
where
    I: Stream<Item = Result<IO, IE>>,
    IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
    IE: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let server = router.serve_with_incoming_shutdown(incoming, stop_requested(stopped.clone()));
    let deadline = async {
        stop_requested(stopped).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = server => result?,
        () = deadline => tracing::warn!("calls still running at shutdown were abandoned"),
    }
    tracing::debug!("plugin server stopped");
    Ok(())
}

/// Resolves once a stop is requested.
async fn stop_requested(mut stopped: watch::Receiver<bool>) {
    // The sender lives in the controller, inside the server: if it is gone, so is the server, and
    // resolving at once is right.
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Binds 127.0.0.1 on the first free port of `ports`, starting at a random place in the range.
async fn bind(ports: PortRange) -> Result<TcpListener, PluginError> {
    for port in ports.candidates(rand::random()) {
        if let Ok(listener) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            return Ok(listener);
        }
    }
    Err(PluginError::NoFreePort {
        min: ports.min,
        max: ports.max,
    })
}

/// Writes the handshake line: the only thing this process ever writes to stdout.
fn announce(addr: SocketAddr, server_cert_der: Option<&[u8]>) -> Result<(), PluginError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", handshake_line(addr, server_cert_der))?;
    stdout.flush()?;
    tracing::debug!(%addr, "plugin address announced");
    Ok(())
}

/// Terraform forwards the user's Ctrl-C to its plugins, then stops them through the protocol
/// (`Stop`, `Shutdown`): dying on SIGINT would cut an apply short, so the signal is swallowed.
fn ignore_interrupts() -> Result<(), PluginError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupts = signal(SignalKind::interrupt())?;
        tokio::spawn(async move {
            while interrupts.recv().await.is_some() {
                tracing::debug!(
                    "ignoring SIGINT; Terraform stops the provider through the protocol"
                );
            }
        });
    }
    #[cfg(not(unix))]
    {
        tokio::spawn(async {
            while tokio::signal::ctrl_c().await.is_ok() {
                tracing::debug!(
                    "ignoring Ctrl-C; Terraform stops the provider through the protocol"
                );
            }
        });
    }
    Ok(())
}

/// go-plugin's controller: Terraform calls `Shutdown` when it is done with the plugin.
struct Controller {
    stop: watch::Sender<bool>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::debug!("Terraform asked the plugin to shut down");
        // Graceful: this answer still goes out before the server closes.
        self.stop.send_replace(true);
        Ok(Response::new(Empty {}))
    }
}

/// go-plugin's stdio forwarding is optional: the provider never writes to stdout, and its stderr
/// reaches Terraform directly. Every call answers UNIMPLEMENTED, which go-plugin accepts.
struct NoStdio;

impl GrpcStdio for NoStdio {}
