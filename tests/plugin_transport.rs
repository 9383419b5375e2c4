//! The provider binary's transport, driven over loopback as Terraform drives it: environment,
//! handshake line, AutoMTLS with a pinned P-521 client certificate, health, controller shutdown,
//! debug mode; and by the real Terraform CLI when one is installed (`real_terraform`).

#[path = "plugin_transport/client_identity.rs"]
mod client_identity;
#[path = "plugin_transport/provider_process.rs"]
mod provider_process;
#[path = "plugin_transport/real_terraform.rs"]
mod real_terraform;

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use azureclassic::proto::plugin::grpc_controller_client::GrpcControllerClient;
use azureclassic::proto::plugin::Empty;
use azureclassic::proto::tfplugin5::get_provider_schema;
use azureclassic::proto::tfplugin5::provider_client::ProviderClient;
use client_identity::ClientIdentity;
use hyper_util::rt::TokioIo;
use provider_process::{parse_handshake, ProviderProcess, BINARY, MAGIC_COOKIE};
use rustls::client::ResolvesClientCert;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tonic::transport::{Channel, Endpoint};
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

/// Bound on every RPC and connection attempt in these tests.
const RPC_TIMEOUT: Duration = Duration::from_secs(10);

/// How the test client authenticates itself.
enum ClientAuth {
    None,
    Certificate(Arc<dyn ResolvesClientCert>),
}

/// A provider started with `identity`'s certificate pinned, as Terraform starts it.
fn start_with_pinned(identity: &ClientIdentity) -> (ProviderProcess, SocketAddr, Vec<u8>) {
    let pem = identity.cert_pem();
    let process = ProviderProcess::start(&[
        ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ("PLUGIN_MIN_PORT", "10000"),
        ("PLUGIN_MAX_PORT", "25000"),
        ("PLUGIN_CLIENT_CERT", &pem),
    ]);
    let handshake = parse_handshake(&process.handshake);
    assert!(
        !handshake.server_cert.is_empty(),
        "TLS requested, certificate expected: {}",
        process.handshake
    );
    let port = handshake.addr.port();
    assert!((10000..=25000).contains(&port), "port {port} outside range");
    (process, handshake.addr, handshake.server_cert)
}

/// A gRPC channel over TLS that trusts exactly `server_cert` as `localhost`.
async fn tls_channel(
    addr: SocketAddr,
    server_cert: &[u8],
    auth: ClientAuth,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<Channel, tonic::transport::Error> {
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from(server_cert.to_vec()))
        .expect("server certificate as trust anchor");
    let builder =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(versions)
            .expect("protocol versions")
            .with_root_certificates(roots);
    let mut config = match auth {
        ClientAuth::None => builder.with_no_client_auth(),
        ClientAuth::Certificate(resolver) => builder.with_client_cert_resolver(resolver),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = TlsConnector::from(Arc::new(config));
    Endpoint::from_shared(format!("http://{addr}"))
        .expect("endpoint")
        .connect_timeout(RPC_TIMEOUT)
        .timeout(RPC_TIMEOUT)
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            async move {
                let tcp = TcpStream::connect(addr).await?;
                tcp.set_nodelay(true)?;
                let name = ServerName::try_from("localhost").expect("server name");
                let tls = connector.connect(name, tcp).await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
}

/// Health of service "plugin", or why the call failed.
async fn plugin_health(channel: Channel) -> Result<ServingStatus, tonic::Status> {
    let request = HealthCheckRequest {
        service: "plugin".to_owned(),
    };
    let response = HealthClient::new(channel).check(request).await?;
    Ok(response.into_inner().status())
}

/// Whether a client authenticating with `auth` gets an answer from the provider.
async fn is_served(
    addr: SocketAddr,
    server_cert: &[u8],
    auth: ClientAuth,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> bool {
    match tls_channel(addr, server_cert, auth, versions).await {
        Ok(channel) => plugin_health(channel).await.is_ok(),
        Err(_) => false,
    }
}

const ALL_VERSIONS: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS13, &rustls::version::TLS12];
const TLS12_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];
const TLS13_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];

// Multi-threaded: while the test thread blocks waiting for the exit, the client connection must
// still answer the server's graceful-shutdown PING, as Terraform's does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_client_is_served_and_shutdown_exits_promptly() {
    let identity = ClientIdentity::generate();
    let (mut process, addr, server_cert) = start_with_pinned(&identity);
    let auth = ClientAuth::Certificate(
        identity.resolver(identity.cert(), SignatureScheme::ECDSA_NISTP521_SHA512),
    );
    let channel = tls_channel(addr, &server_cert, auth, ALL_VERSIONS)
        .await
        .expect("TLS connection with the pinned certificate");

    let health = plugin_health(channel.clone()).await.expect("health check");
    assert_eq!(health, ServingStatus::Serving);

    // The call reaches the provider service: the stand-in answers UNIMPLEMENTED, a real provider
    // its schema. Anything else (e.g. UNAVAILABLE) is a transport failure.
    let schema = ProviderClient::new(channel.clone())
        .get_schema(get_provider_schema::Request {})
        .await;
    if let Err(status) = &schema {
        assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
    }

    let asked = Instant::now();
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("shutdown answered");
    let status = process
        .wait_exit(Duration::from_secs(1))
        .expect("exited within 1 s of Shutdown");
    println!("Shutdown call to process exit: {:?}", asked.elapsed());
    assert!(status.success(), "exit status {status}");
    assert_eq!(
        process.remaining_stdout(),
        Vec::<String>::new(),
        "stdout after the handshake line"
    );
}

#[tokio::test]
async fn tls12_client_signing_with_any_ecdsa_hash_is_served() {
    let identity = ClientIdentity::generate();
    let (_process, addr, server_cert) = start_with_pinned(&identity);
    for scheme in [
        SignatureScheme::ECDSA_NISTP521_SHA512,
        SignatureScheme::ECDSA_NISTP384_SHA384,
        SignatureScheme::ECDSA_NISTP256_SHA256,
    ] {
        let auth = ClientAuth::Certificate(identity.resolver(identity.cert(), scheme));
        assert!(
            is_served(addr, &server_cert, auth, TLS12_ONLY).await,
            "TLS 1.2 with {scheme:?} refused"
        );
    }
}

#[tokio::test]
async fn clients_without_the_pinned_certificate_and_key_are_refused() {
    let identity = ClientIdentity::generate();
    let stranger = ClientIdentity::generate();
    let (_process, addr, server_cert) = start_with_pinned(&identity);

    for versions in [TLS13_ONLY, TLS12_ONLY] {
        assert!(
            !is_served(addr, &server_cert, ClientAuth::None, versions).await,
            "client without certificate served ({versions:?})"
        );
        let other = ClientAuth::Certificate(
            stranger.resolver(stranger.cert(), SignatureScheme::ECDSA_NISTP521_SHA512),
        );
        assert!(
            !is_served(addr, &server_cert, other, versions).await,
            "client with another certificate served ({versions:?})"
        );
        // The pinned certificate presented by someone without its key.
        let impostor = ClientAuth::Certificate(
            stranger.resolver(identity.cert(), SignatureScheme::ECDSA_NISTP521_SHA512),
        );
        assert!(
            !is_served(addr, &server_cert, impostor, versions).await,
            "client with the pinned certificate but another key served ({versions:?})"
        );
    }
    // TLS 1.3 binds P-256/SHA-256 to the P-256 curve: a P-521 key may not use it there.
    let wrong_scheme = ClientAuth::Certificate(
        identity.resolver(identity.cert(), SignatureScheme::ECDSA_NISTP256_SHA256),
    );
    assert!(!is_served(addr, &server_cert, wrong_scheme, TLS13_ONLY).await);

    // The refusals did not disturb the server.
    let pinned = ClientAuth::Certificate(
        identity.resolver(identity.cert(), SignatureScheme::ECDSA_NISTP521_SHA512),
    );
    assert!(is_served(addr, &server_cert, pinned, ALL_VERSIONS).await);
}

#[tokio::test]
async fn sigint_does_not_stop_the_provider() {
    let identity = ClientIdentity::generate();
    let (mut process, addr, server_cert) = start_with_pinned(&identity);
    process.interrupt();
    assert!(
        process.wait_exit(Duration::from_millis(300)).is_none(),
        "provider died on SIGINT"
    );
    let auth = ClientAuth::Certificate(
        identity.resolver(identity.cert(), SignatureScheme::ECDSA_NISTP521_SHA512),
    );
    assert!(is_served(addr, &server_cert, auth, ALL_VERSIONS).await);
}

#[test]
fn without_the_magic_cookie_it_explains_itself_and_exits_1() {
    let output = Command::new(BINARY)
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .expect("run provider");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "stdout: {:?}", output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("plugin for Terraform") && stderr.contains("not meant to be run directly"),
        "stderr: {stderr}"
    );
}

#[test]
fn refuses_clearly_when_protocol_5_is_not_offered() {
    let output = Command::new(BINARY)
        .env_clear()
        .env(MAGIC_COOKIE.0, MAGIC_COOKIE.1)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdin(Stdio::null())
        .output()
        .expect("run provider");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("protocol 5"), "stderr: {stderr}");
}

#[test]
fn plaintext_when_terraform_sends_no_client_certificate() {
    let process = ProviderProcess::start(&[("PLUGIN_PROTOCOL_VERSIONS", "6,5")]);
    let handshake = parse_handshake(&process.handshake);
    assert!(handshake.server_cert.is_empty(), "{}", process.handshake);
}

#[test]
fn startup_to_handshake_time() {
    let identity = ClientIdentity::generate();
    let pem = identity.cert_pem();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            ProviderProcess::start(&[
                ("PLUGIN_PROTOCOL_VERSIONS", "5"),
                ("PLUGIN_MIN_PORT", "10000"),
                ("PLUGIN_MAX_PORT", "25000"),
                ("PLUGIN_CLIENT_CERT", &pem),
            ])
            .startup
        })
        .collect();
    times.sort();
    println!(
        "start to handshake line (AutoMTLS, 5 runs): min {:?}, median {:?}, max {:?}",
        times[0], times[2], times[4]
    );
}

#[tokio::test]
async fn debug_mode_serves_plaintext_for_terraform_to_reattach_until_ctrl_c() {
    let (mut process, reattach) = ProviderProcess::start_debug();
    let setting: serde_json::Value = serde_json::from_str(&reattach).expect("JSON setting");
    let entry = &setting["registry.terraform.io/azureclassic/azureclassic"];
    assert_eq!(entry["Protocol"], "grpc", "{setting}");
    assert_eq!(entry["ProtocolVersion"], 5, "{setting}");
    assert_eq!(entry["Pid"], process.id(), "{setting}");
    assert_eq!(entry["Test"], true, "{setting}");
    assert_eq!(entry["Addr"]["Network"], "tcp", "{setting}");
    let addr: SocketAddr = entry["Addr"]["String"]
        .as_str()
        .and_then(|addr| addr.parse().ok())
        .expect("address");
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .expect("endpoint")
        .timeout(RPC_TIMEOUT)
        .connect()
        .await
        .expect("plaintext connection");
    assert_eq!(
        plugin_health(channel).await.expect("health"),
        ServingStatus::Serving
    );
    process.interrupt();
    let status = process
        .wait_exit(Duration::from_secs(1))
        .expect("stopped by Ctrl-C");
    assert!(status.success(), "exit status {status}");
}
