//! Management certificates: loaded from PKCS#12 (with a password, possibly empty) or PEM (certificate +
//! key), turned into the TLS client identity that the service authenticates every request with.

use std::fmt;

use base64::Engine as _;

use super::secret::Secret;

/// Loading a management certificate failed. Never carries the password or key bytes.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(
        "the management certificate is not a readable PKCS#12 archive, or the password is wrong"
    )]
    Pkcs12,
    #[error("the management certificate archive holds no private key with a certificate")]
    NoKeyInArchive,
    #[error("the PEM management certificate needs both a CERTIFICATE and a PRIVATE KEY block")]
    IncompletePem,
    #[error("the TLS stack rejected the management certificate or key")]
    Rejected,
    #[error("the trusted root certificate is not valid PEM or DER")]
    TrustedRoot,
}

/// A client certificate chain and its private key, as one PEM bundle. `Debug` hides it.
#[derive(Clone)]
pub struct ClientIdentity {
    pem: Secret,
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientIdentity(<redacted>)")
    }
}

impl ClientIdentity {
    /// From a PKCS#12 archive (publish settings files use an empty password).
    pub fn from_pkcs12(der: &[u8], password: &Secret) -> Result<Self, AuthError> {
        let store = p12_keystore::KeyStore::from_pkcs12(der, password.expose())
            .map_err(|_| AuthError::Pkcs12)?;
        let (_, chain) = store.private_key_chain().ok_or(AuthError::NoKeyInArchive)?;
        if chain.chain().is_empty() {
            return Err(AuthError::NoKeyInArchive);
        }
        let mut pem = String::new();
        for cert in chain.chain() {
            pem.push_str(&pem_block("CERTIFICATE", cert.as_der()));
        }
        // PKCS#12 shrouded key bags hold PKCS#8 PrivateKeyInfo.
        pem.push_str(&pem_block("PRIVATE KEY", chain.key()));
        Self::checked(pem)
    }

    /// From PEM text holding the certificate (chain) and its private key.
    pub fn from_pem(pem: &[u8]) -> Result<Self, AuthError> {
        let text = std::str::from_utf8(pem).map_err(|_| AuthError::IncompletePem)?;
        let has_cert = text.contains("-----BEGIN CERTIFICATE-----");
        let has_key = text
            .lines()
            .any(|l| l.starts_with("-----BEGIN ") && l.ends_with("PRIVATE KEY-----"));
        if !(has_cert && has_key) {
            return Err(AuthError::IncompletePem);
        }
        Self::checked(text.to_string())
    }

    /// From a certificate file's bytes: PEM when it looks like PEM, PKCS#12 otherwise.
    pub fn from_file_bytes(bytes: &[u8], password: &Secret) -> Result<Self, AuthError> {
        if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            Self::from_pem(bytes)
        } else {
            Self::from_pkcs12(bytes, password)
        }
    }

    /// Validates once, at configuration time, so a bad key is reported before the first request.
    fn checked(pem: String) -> Result<Self, AuthError> {
        let identity = Self {
            pem: Secret::new(pem),
        };
        identity.to_reqwest()?;
        Ok(identity)
    }

    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Identity, AuthError> {
        reqwest::Identity::from_pem(self.pem.expose().as_bytes()).map_err(|_| AuthError::Rejected)
    }
}

/// An extra trust anchor (the emulator's self-signed TLS certificate), from PEM or DER.
#[derive(Debug, Clone)]
pub struct TrustedRoot(Vec<u8>);

impl TrustedRoot {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AuthError> {
        let der = if bytes.starts_with(b"-----BEGIN") {
            let (_, pem) =
                x509_parser::pem::parse_x509_pem(bytes).map_err(|_| AuthError::TrustedRoot)?;
            pem.contents
        } else {
            bytes.to_vec()
        };
        // reqwest defers parsing to client construction; check now for an early, precise error.
        x509_parser::parse_x509_certificate(&der).map_err(|_| AuthError::TrustedRoot)?;
        Ok(Self(der))
    }

    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Certificate, AuthError> {
        reqwest::Certificate::from_der(&self.0).map_err(|_| AuthError::TrustedRoot)
    }
}

fn pem_block(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    // `as_bytes().chunks` is safe to turn back into str: base64 output is ASCII.
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fresh self-signed certificate and key, as (cert DER, PKCS#8 key DER).
    pub(crate) fn generated_cert() -> (Vec<u8>, Vec<u8>) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["client".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        (cert.der().to_vec(), key.serialize_der())
    }

    /// A PKCS#12 archive of a fresh certificate, sealed with `password`.
    pub(crate) fn generated_pkcs12(password: &str) -> Vec<u8> {
        let (cert, key) = generated_cert();
        let cert = p12_keystore::Certificate::from_der(&cert).unwrap();
        let chain = p12_keystore::PrivateKeyChain::new(key, [1u8; 4], vec![cert]);
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            "client",
            p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
        );
        store.writer(password).write().unwrap()
    }

    #[test]
    fn pkcs12_with_password_loads_and_wrong_password_is_a_typed_error() {
        let p12 = generated_pkcs12("s3cret-pw");
        assert!(ClientIdentity::from_pkcs12(&p12, &Secret::new("s3cret-pw")).is_ok());
        let err = ClientIdentity::from_pkcs12(&p12, &Secret::new("Xyzzy-guess")).unwrap_err();
        assert!(matches!(err, AuthError::Pkcs12));
        assert!(!err.to_string().contains("Xyzzy"));
    }

    #[test]
    fn pem_needs_certificate_and_key() {
        let (cert, key) = generated_cert();
        let both = format!(
            "{}{}",
            pem_block("CERTIFICATE", &cert),
            pem_block("PRIVATE KEY", &key)
        );
        let identity =
            ClientIdentity::from_file_bytes(both.as_bytes(), &Secret::default()).unwrap();
        assert!(!format!("{identity:?}").contains("PRIVATE"));
        let cert_only = pem_block("CERTIFICATE", &cert);
        assert!(matches!(
            ClientIdentity::from_pem(cert_only.as_bytes()),
            Err(AuthError::IncompletePem)
        ));
    }

    #[test]
    fn trusted_root_accepts_pem_and_der() {
        let (cert, _) = generated_cert();
        assert!(TrustedRoot::from_bytes(&cert).is_ok());
        assert!(TrustedRoot::from_bytes(pem_block("CERTIFICATE", &cert).as_bytes()).is_ok());
        assert!(matches!(
            TrustedRoot::from_bytes(b"not a certificate"),
            Err(AuthError::TrustedRoot)
        ));
    }
}
