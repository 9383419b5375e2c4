//! AutoMTLS as go-plugin does it: the plugin presents a fresh self-signed certificate (announced in
//! the handshake line) and accepts exactly one client, the holder of the certificate Terraform put in
//! `PLUGIN_CLIENT_CERT`.
//!
//! rustls cannot do the client side with stock parts: ring has no P-521 (Terraform's key) and webpki
//! refuses Terraform's CA:TRUE certificate as an end entity. So [`PinnedClientVerifier`] compares the
//! presented certificate byte for byte with the pinned one and checks the handshake signature itself
//! with the pinned P-521 key (RustCrypto `p521`).

use std::sync::Arc;

use p521::ecdsa::signature::hazmat::PrehashVerifier as _;
use p521::ecdsa::{DerSignature, VerifyingKey};
use p521::pkcs8::DecodePublicKey as _;
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, PeerMisbehaved, ServerConfig,
    SignatureScheme,
};
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use super::error::PluginError;

/// The only name go-plugin clients check the server certificate against.
const SERVER_NAME: &str = "localhost";
/// Backdating absorbs clock differences between the certificate's issuer and its verifier.
const BACKDATE: time::Duration = time::Duration::seconds(30);
/// The key is thrown away with the process, so a long validity costs nothing.
const VALIDITY: time::Duration = time::Duration::days(365);

/// TLS 1.3 ties each ECDSA scheme to one curve: a P-521 key signs with this scheme only.
const TLS13_SCHEMES: &[SignatureScheme] = &[SignatureScheme::ECDSA_NISTP521_SHA512];
/// TLS 1.2 ECDSA schemes name only the hash, whatever the curve. Go's client takes the first one in
/// the server's order, so the P-521 one leads.
const TLS12_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_NISTP521_SHA512,
    SignatureScheme::ECDSA_NISTP384_SHA384,
    SignatureScheme::ECDSA_NISTP256_SHA256,
];

/// The plugin's own certificate and key, generated per process.
pub struct ServerIdentity {
    cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl ServerIdentity {
    /// Generates a self-signed ECDSA P-256 certificate for `localhost` (EKU serverAuth), valid from
    /// 30 seconds ago.
    pub fn generate() -> Result<Self, PluginError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(vec![SERVER_NAME.to_owned()])?;
        params
            .distinguished_name
            .push(DnType::CommonName, SERVER_NAME);
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - BACKDATE;
        params.not_after = now + VALIDITY;
        let cert = params.self_signed(&key)?;
        Ok(Self {
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        })
    }

    /// The certificate (DER), as announced in the handshake line.
    pub fn cert_der(&self) -> &[u8] {
        self.cert.as_ref()
    }
}

/// The client certificate Terraform generated for this run, with its P-521 public key.
#[derive(Debug, Clone)]
pub struct PinnedClientCert {
    der: CertificateDer<'static>,
    key: VerifyingKey,
}

impl PinnedClientCert {
    /// Parses `PLUGIN_CLIENT_CERT`: exactly one PEM certificate with an ECDSA P-521 key.
    pub fn from_pem(pem: &str) -> Result<Self, PluginError> {
        let unusable = |why: String| PluginError::ClientCertificate(why);
        let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| unusable(format!("not a PEM certificate ({err})")))?;
        let der = match <[CertificateDer<'static>; 1]>::try_from(certs) {
            Ok([der]) => der,
            Err(certs) => {
                return Err(unusable(format!(
                    "expected one certificate, found {}",
                    certs.len()
                )))
            }
        };
        let (_, parsed) = x509_parser::parse_x509_certificate(der.as_ref())
            .map_err(|err| unusable(format!("not an X.509 certificate ({err})")))?;
        let key = VerifyingKey::from_public_key_der(parsed.public_key().raw)
            .map_err(|_| unusable("its key is not an ECDSA P-521 public key".to_owned()))?;
        Ok(Self { der, key })
    }

    fn is(&self, presented: &CertificateDer<'_>) -> bool {
        presented.as_ref() == self.der.as_ref()
    }
}

/// A rustls client-certificate verifier that accepts only the pinned certificate and its key.
#[derive(Debug)]
pub struct PinnedClientVerifier {
    pinned: PinnedClientCert,
}

impl PinnedClientVerifier {
    /// Accepts clients presenting `pinned` and proving they hold its key.
    pub fn new(pinned: PinnedClientCert) -> Self {
        Self { pinned }
    }

    fn verify_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
        allowed: &[SignatureScheme],
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        if !self.pinned.is(cert) {
            return Err(CertificateError::ApplicationVerificationFailure.into());
        }
        // rustls does not check that the client used a scheme we advertised.
        if !allowed.contains(&dss.scheme) {
            return Err(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into());
        }
        let prehash = match dss.scheme {
            SignatureScheme::ECDSA_NISTP521_SHA512 => Sha512::digest(message).to_vec(),
            SignatureScheme::ECDSA_NISTP384_SHA384 => Sha384::digest(message).to_vec(),
            SignatureScheme::ECDSA_NISTP256_SHA256 => Sha256::digest(message).to_vec(),
            _ => return Err(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into()),
        };
        let signature = DerSignature::from_bytes(dss.signature())
            .map_err(|_| rustls::Error::from(CertificateError::BadSignature))?;
        self.pinned
            .key
            .verify_prehash(&prehash, &signature)
            .map_err(|_| CertificateError::BadSignature)?;
        Ok(HandshakeSignatureValid::assertion())
    }
}

impl ClientCertVerifier for PinnedClientVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    /// No hints: an empty list tells the client that any certificate will do, so Go sends its
    /// own without matching issuers.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        // Pinning replaces chain, CA-flag and date checks: only this exact certificate is trusted.
        if self.pinned.is(end_entity) {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(CertificateError::ApplicationVerificationFailure.into())
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verify_signature(message, cert, dss, TLS12_SCHEMES)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verify_signature(message, cert, dss, TLS13_SCHEMES)
    }

    /// Must include ECDSA_NISTP521_SHA512, or Go under TLS 1.3 silently sends no certificate.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        TLS12_SCHEMES.to_vec()
    }
}

/// The rustls server configuration: TLS 1.2 and 1.3 on the ring provider, ALPN h2, the plugin's
/// certificate, and client authentication by the pinned certificate only.
pub fn server_config(
    identity: &ServerIdentity,
    client: PinnedClientCert,
) -> Result<Arc<ServerConfig>, PluginError> {
    // Explicit provider: the process-wide default is ambiguous when several are compiled in.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_client_cert_verifier(Arc::new(PinnedClientVerifier::new(client)))
        .with_single_cert(
            vec![identity.cert.clone()],
            PrivateKeyDer::Pkcs8(identity.key.clone_key()),
        )?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_identity_is_a_localhost_server_certificate_valid_now() {
        let identity = ServerIdentity::generate().expect("generated");
        let (_, cert) = x509_parser::parse_x509_certificate(identity.cert_der()).expect("x509");
        let san = cert
            .subject_alternative_name()
            .expect("san ext")
            .expect("san present");
        assert_eq!(
            format!("{:?}", san.value.general_names),
            r#"[DNSName("localhost")]"#
        );
        let eku = cert
            .extended_key_usage()
            .expect("eku")
            .expect("eku present");
        assert!(eku.value.server_auth);
        let now = x509_parser::time::ASN1Time::now();
        assert!(cert.validity().not_before < now && now < cert.validity().not_after);
        let backdated = now.timestamp() - cert.validity().not_before.timestamp();
        assert!((29..=40).contains(&backdated), "backdated {backdated}s");
    }

    #[test]
    fn client_cert_must_be_one_p521_certificate() {
        let err = PinnedClientCert::from_pem("garbage").expect_err("no cert");
        assert!(err.to_string().contains("found 0"), "{err}");

        // A P-256 certificate (what ring can make) is refused: Terraform's key is P-521.
        let key = KeyPair::generate().expect("key");
        let cert = CertificateParams::new(vec!["localhost".to_owned()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        let err = PinnedClientCert::from_pem(&cert.pem()).expect_err("p256");
        assert!(err.to_string().contains("P-521"), "{err}");
        let two = format!("{}{}", cert.pem(), cert.pem());
        let err = PinnedClientCert::from_pem(&two).expect_err("two certs");
        assert!(err.to_string().contains("found 2"), "{err}");
    }
}
