//! Accepting connections for the gRPC server: TLS handshakes run one task per connection, so a
//! client that stalls or fails its handshake never holds up Terraform's own connection.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream};
use tokio_stream::{Stream, StreamExt as _};

/// Longest a TLS handshake may take on loopback before the connection is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(50);
/// Established connections waiting for the server to pick them up.
const BACKLOG: usize = 16;

/// The stream of plaintext connections arriving on `listener`.
pub fn plain_connections(listener: TcpListener) -> impl Stream<Item = io::Result<TcpStream>> {
    TcpListenerStream::new(listener).map(|accepted| accepted.inspect(no_delay))
}

/// The stream of authenticated TLS connections arriving on `listener`. Connections whose handshake
/// fails (no certificate, another certificate, a bad signature) or times out are logged and
/// dropped. The accept loop ends once the returned stream is dropped.
pub fn tls_connections(
    listener: TcpListener,
    config: Arc<ServerConfig>,
) -> ReceiverStream<io::Result<TlsStream<TcpStream>>> {
    let (sender, receiver) = mpsc::channel(BACKLOG);
    let acceptor = TlsAcceptor::from(config);
    tokio::spawn(async move {
        while !sender.is_closed() {
            let (tcp, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(error = %err, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                    continue;
                }
            };
            no_delay(&tcp);
            let acceptor = acceptor.clone();
            let sender = sender.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                    Ok(Ok(tls)) => {
                        tracing::debug!(%peer, "TLS connection established");
                        // A closed receiver means the server is shutting down: drop the connection.
                        let _ = sender.send(Ok(tls)).await;
                    }
                    Ok(Err(err)) => {
                        tracing::warn!(%peer, error = %err, "refused a TLS connection");
                    }
                    Err(_) => tracing::warn!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    ReceiverStream::new(receiver)
}

/// gRPC writes small frames (headers, data, trailers) in separate writes: with Nagle's algorithm on,
/// each call can stall for the peer's delayed ACK (~40 ms).
fn no_delay(tcp: &TcpStream) {
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::debug!(error = %err, "cannot disable Nagle's algorithm");
    }
}
