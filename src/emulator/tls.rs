//! HTTPS for the emulator: a local CA and a server certificate for `localhost` / `127.0.0.1` (kept in
//! the state directory so clients can keep trusting the CA across restarts), and a client-certificate
//! verifier that asks for a management certificate and proves possession of its key, leaving the
//! "is it registered?" decision to the request (403, not a failed handshake).

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

const CA_FILE: &str = "tls-ca.pem";
const CERT_FILE: &str = "tls-server.pem";
const KEY_FILE: &str = "tls-server-key.pem";

#[derive(Debug, Error)]
pub enum TlsError {
    #[error("cannot create the TLS certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("TLS file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("TLS file {path} is not valid PEM")]
    Pem { path: PathBuf },
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The server's certificate, key and the CA that issued it (PEM).
pub struct ServerIdentity {
    pub ca_pem: String,
    pub cert_pem: String,
    key_pem: String,
}

impl ServerIdentity {
    /// Loads the identity from `state_dir`, creating (and saving) it on first use; without a state
    /// directory a fresh one is made for this process.
    pub fn load_or_create(state_dir: Option<&Path>) -> Result<Self, TlsError> {
        if let Some(dir) = state_dir {
            let read = |name: &str| {
                let path = dir.join(name);
                std::fs::read_to_string(&path).map_err(|source| TlsError::Io { path, source })
            };
            if dir.join(KEY_FILE).exists() {
                return Ok(ServerIdentity {
                    ca_pem: read(CA_FILE)?,
                    cert_pem: read(CERT_FILE)?,
                    key_pem: read(KEY_FILE)?,
                });
            }
        }
        let identity = Self::create()?;
        if let Some(dir) = state_dir {
            // The key last: its presence marks a complete identity.
            for (name, pem) in [
                (CA_FILE, &identity.ca_pem),
                (CERT_FILE, &identity.cert_pem),
                (KEY_FILE, &identity.key_pem),
            ] {
                let path = dir.join(name);
                super::persist::write_durably(&path, pem.as_bytes())
                    .map_err(|source| TlsError::Io { path, source })?;
            }
        }
        Ok(identity)
    }

    fn create() -> Result<Self, TlsError> {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new())?;
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "azureclassic-emulator local CA");
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate()?)?;
        let mut params =
            rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "azureclassic-emulator");
        let key = rcgen::KeyPair::generate()?;
        let cert = params.signed_by(&key, &ca)?;
        Ok(ServerIdentity {
            ca_pem: ca.as_ref().pem(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }

    /// The rustls server configuration: this identity, HTTP/1.1, and a requested client certificate.
    pub fn server_config(&self) -> Result<rustls::ServerConfig, TlsError> {
        let pem_err = || TlsError::Pem {
            path: PathBuf::from(CERT_FILE),
        };
        let cert =
            CertificateDer::from_pem_slice(self.cert_pem.as_bytes()).map_err(|_| pem_err())?;
        let ca = CertificateDer::from_pem_slice(self.ca_pem.as_bytes()).map_err(|_| pem_err())?;
        let key =
            PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).map_err(|_| TlsError::Pem {
                path: PathBuf::from(KEY_FILE),
            })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(AnyClientCertificate {
            algorithms: provider.signature_verification_algorithms,
        });
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![cert, ca], key)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// Accepts any client certificate whose key the client proves it holds; whether the certificate is a
/// registered management certificate is decided per request.
#[derive(Debug)]
struct AnyClientCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for AnyClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        // Without a certificate the request still gets an answer: 403 AuthenticationFailed.
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
