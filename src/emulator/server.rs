//! The listener: accepts TCP (or TLS) connections on loopback and serves HTTP/1.1 on each until told
//! to stop.

use super::app::App;
use super::auth::CertRegistry;
use super::config::EmulatorConfig;
use super::faults::Faults;
use super::request_log::RequestLog;
use super::store::{Store, StoreError};
use super::tls::{ServerIdentity, TlsError};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

#[derive(Debug, Error)]
pub enum EmulatorError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot create the state directory {path}: {source}")]
    StateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("--tls needs --state-dir: management certificates are registered there")]
    TlsWithoutStateDir,
    #[error("cannot write the server certificate to {path}: {source}")]
    CertOut {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the request log {path}: {source}")]
    RequestLog {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub struct Server {
    listener: TcpListener,
    app: Arc<App>,
    tls: Option<TlsAcceptor>,
    state: String,
}

impl Server {
    /// Opens the state, prepares TLS and binds the listener.
    pub async fn bind(config: EmulatorConfig) -> Result<Server, EmulatorError> {
        if let Some(dir) = &config.state_dir {
            std::fs::create_dir_all(dir).map_err(|source| EmulatorError::StateDir {
                path: dir.clone(),
                source,
            })?;
        }
        let store = Store::open(config.state_dir.as_deref(), config.circuits.clone())?;
        let (tls, registry) = match &config.tls {
            None => (None, None),
            Some(settings) => {
                let dir = config
                    .state_dir
                    .as_deref()
                    .ok_or(EmulatorError::TlsWithoutStateDir)?;
                let identity = ServerIdentity::load_or_create(Some(dir))?;
                if let Some(path) = &settings.cert_out {
                    std::fs::write(path, &identity.ca_pem).map_err(|source| {
                        EmulatorError::CertOut {
                            path: path.clone(),
                            source,
                        }
                    })?;
                }
                let acceptor = TlsAcceptor::from(Arc::new(identity.server_config()?));
                (Some(acceptor), Some(CertRegistry::new(dir)))
            }
        };
        let log = match &config.request_log {
            Some(path) => {
                Some(
                    RequestLog::open(path).map_err(|source| EmulatorError::RequestLog {
                        path: path.clone(),
                        source,
                    })?,
                )
            }
            None => None,
        };
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| EmulatorError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let state = config
            .state_dir
            .as_ref()
            .map_or_else(|| "in memory".to_string(), |d| d.display().to_string());
        Ok(Server {
            listener,
            app: Arc::new(App {
                store,
                delays: config.op_delays,
                faults: config.faults.map(Faults::new),
                log,
                registry,
            }),
            tls,
            state,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// The one startup line: `azureclassic-emulator listening on http://127.0.0.1:7080 (state: DIR)`.
    pub fn banner(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        let addr = self
            .local_addr()
            .map_or_else(|| "?".to_string(), |a| a.to_string());
        format!(
            "azureclassic-emulator listening on {scheme}://{addr} (state: {})",
            self.state
        )
    }

    /// Serves until `shutdown` resolves. Every acknowledged change is already durable, so stopping
    /// does not wait for open connections.
    pub async fn serve_until(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(serve_connection(self.app.clone(), self.tls.clone(), stream));
                    }
                    Err(e) => tracing::warn!("accept failed: {e}"),
                },
                () = &mut shutdown => break,
            }
        }
    }
}

async fn serve_connection(app: Arc<App>, tls: Option<TlsAcceptor>, stream: TcpStream) {
    let result = match tls {
        None => serve_http(app, TokioIo::new(stream), None).await,
        Some(acceptor) => match acceptor.accept(stream).await {
            Ok(tls_stream) => {
                let certificate = tls_stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|chain| chain.first())
                    .map(|c| Arc::new(c.to_vec()));
                serve_http(app, TokioIo::new(tls_stream), certificate).await
            }
            Err(e) => {
                tracing::debug!("TLS handshake failed: {e}");
                return;
            }
        },
    };
    if let Err(e) = result {
        tracing::debug!("connection ended: {e}");
    }
}

async fn serve_http<IO>(
    app: Arc<App>,
    io: TokioIo<IO>,
    certificate: Option<Arc<Vec<u8>>>,
) -> Result<(), hyper::Error>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| app.clone().handle(req, certificate.clone()));
    http1::Builder::new().serve_connection(io, service).await
}
