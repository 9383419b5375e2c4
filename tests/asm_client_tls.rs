//! The real authentication path over TLS: a publish settings file's PKCS#12 management certificate
//! presented as the client certificate to a loopback server that requires it, with the server's
//! certificate trusted through the extra-root setting. (The emulator's TLS mode is exercised by the
//! acceptance tests; this pins the client side down on its own.)

use std::sync::Arc;
use std::time::Duration;

use azureclassic::asm::client::{
    CallContext, Client, ClientError, ClientSettings, ProviderConfig, TransportFailure,
};
use base64::Engine as _;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const SUBSCRIPTION: &str = "0b1f0d52-8f0c-4a55-9b9b-2a6c1f2e3d4c";

struct Pki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
    ca_der: CertificateDer<'static>,
    client_pkcs12: Vec<u8>,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();

    let client_key = KeyPair::generate().unwrap();
    let client = CertificateParams::new(vec!["management".to_string()])
        .unwrap()
        .signed_by(&client_key, &ca)
        .unwrap();
    let chain = p12_keystore::PrivateKeyChain::new(
        client_key.serialize_der(),
        [7u8; 4],
        vec![p12_keystore::Certificate::from_der(client.der()).unwrap()],
    );
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "management",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );

    Pki {
        ca_pem: ca.pem(),
        server_chain: vec![server.der().clone()],
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        ca_der: ca.der().clone(),
        client_pkcs12: store.writer("").write().unwrap(),
    }
}

/// An HTTPS server on 127.0.0.1:0 that requires a client certificate issued by the test CA and
/// answers every request with an empty VNet list. Stops when the returned handle is aborted.
async fn start_server(pki: &Pki) -> (String, tokio::task::JoinHandle<()>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = service_fn(|_request| async {
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(
                        r#"<VirtualNetworkSites xmlns="http://schemas.microsoft.com/windowsazure" />"#
                            .to_string(),
                    ))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (url, server)
}

#[tokio::test]
async fn publish_settings_certificate_authenticates_over_tls() {
    let pki = pki();
    let (url, server) = start_server(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let publish_settings = dir.path().join("emulator.publishsettings");
    let certificate = base64::engine::general_purpose::STANDARD.encode(&pki.client_pkcs12);
    std::fs::write(
        &publish_settings,
        format!(
            r#"<PublishData><PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">
  <Subscription ServiceManagementUrl="{url}" Id="{SUBSCRIPTION}" Name="Emulator" ManagementCertificate="{certificate}" />
</PublishProfile></PublishData>"#
        ),
    )
    .unwrap();
    let root = dir.path().join("root.pem");
    std::fs::write(&root, &pki.ca_pem).unwrap();

    let settings = ClientSettings::from_provider_config(&ProviderConfig {
        publish_settings_file: Some(publish_settings),
        trusted_root_certificate_file: Some(root.clone()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(settings.subscription_id, SUBSCRIPTION);
    let ctx = CallContext::with_timeout(Duration::from_secs(20));
    let sites = Client::new(settings)
        .unwrap()
        .list_virtual_network_sites(&ctx)
        .await
        .unwrap();
    assert!(sites.is_empty());

    // Without the management certificate the server refuses the handshake: a TLS error at once,
    // not a retry loop until the deadline.
    let mut anonymous = ClientSettings::new(SUBSCRIPTION, &url).unwrap();
    anonymous.trusted_roots =
        vec![
            azureclassic::asm::client::auth::TrustedRoot::from_bytes(pki.ca_pem.as_bytes())
                .unwrap(),
        ];
    let started = std::time::Instant::now();
    assert_tls_refusal(anonymous, &ctx).await;
    assert!(started.elapsed() < Duration::from_secs(5));

    // Without the extra trusted root the server's certificate is not trusted: verification stays on.
    let untrusted = ClientSettings::from_provider_config(&ProviderConfig {
        publish_settings_file: Some(dir.path().join("emulator.publishsettings")),
        ..Default::default()
    })
    .unwrap();
    assert_tls_refusal(untrusted, &ctx).await;
    server.abort();
}

async fn assert_tls_refusal(settings: ClientSettings, ctx: &CallContext) {
    let refused = Client::new(settings)
        .unwrap()
        .list_virtual_network_sites(ctx)
        .await;
    assert!(
        matches!(
            refused,
            Err(ClientError::Transport {
                failure: TransportFailure::Tls,
                ..
            })
        ),
        "{refused:?}"
    );
}
