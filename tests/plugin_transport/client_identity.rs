//! A client identity made the way Terraform (go-plugin) makes its own: an ECDSA P-521 key and a
//! self-signed CA:TRUE certificate for `localhost`, signed with SHA-512.
//!
//! rcgen's ring backend has no P-521 algorithm at all (not even for a custom signing key), and
//! rustls on ring cannot sign with P-521, so the certificate is assembled here in DER and both the
//! certificate and the TLS handshake are signed with RustCrypto `p521`.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use p521::ecdsa::signature::hazmat::PrehashSigner as _;
use p521::ecdsa::signature::Signer as _;
use p521::ecdsa::{DerSignature, SigningKey};
use rand::RngCore as _;
use rustls::client::ResolvesClientCert;
use rustls::pki_types::CertificateDer;
use rustls::sign::{CertifiedKey, Signer};
use rustls::{SignatureAlgorithm, SignatureScheme};
use sha2::{Digest as _, Sha256, Sha384, Sha512};

/// An ECDSA P-521 key with its self-signed certificate.
#[derive(Debug, Clone)]
pub struct ClientIdentity {
    key: SigningKey,
    cert: CertificateDer<'static>,
}

impl ClientIdentity {
    /// A fresh key and certificate, as go-plugin generates per run.
    pub fn generate() -> Self {
        let key = random_key();
        let cert = self_signed_certificate(&key);
        Self { key, cert }
    }

    /// The certificate in PEM, the form Terraform passes in PLUGIN_CLIENT_CERT.
    pub fn cert_pem(&self) -> String {
        let body = STANDARD.encode(self.cert.as_ref());
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|chunk| std::str::from_utf8(chunk).expect("base64 is ASCII"))
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    }

    /// A rustls client-certificate resolver presenting `certificate` (normally this identity's own)
    /// and signing the handshake with this identity's key using `scheme`.
    pub fn resolver(
        &self,
        certificate: CertificateDer<'static>,
        scheme: SignatureScheme,
    ) -> Arc<dyn ResolvesClientCert> {
        let key = P521Key {
            key: self.key.clone(),
            scheme,
        };
        Arc::new(FixedClientCert(Arc::new(CertifiedKey::new(
            vec![certificate],
            Arc::new(key),
        ))))
    }

    /// This identity's certificate (DER).
    pub fn cert(&self) -> CertificateDer<'static> {
        self.cert.clone()
    }
}

fn random_key() -> SigningKey {
    // P-521 scalars are 521 bits in 66 bytes: clearing the top 7 bits makes almost every draw a
    // valid scalar; the bounded retry covers zero and values above the group order.
    for _ in 0..16 {
        let mut bytes = [0u8; 66];
        rand::rng().fill_bytes(&mut bytes);
        bytes[0] &= 0x01;
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            return key;
        }
    }
    panic!("no valid P-521 scalar in 16 random draws");
}

/// Presents one certificate whatever the server asks.
#[derive(Debug)]
struct FixedClientCert(Arc<CertifiedKey>);

impl ResolvesClientCert for FixedClientCert {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// A P-521 key signing TLS handshakes with one fixed scheme (its hash over the P-521 key).
#[derive(Debug, Clone)]
struct P521Key {
    key: SigningKey,
    scheme: SignatureScheme,
}

impl rustls::sign::SigningKey for P521Key {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered
            .contains(&self.scheme)
            .then(|| Box::new(self.clone()) as Box<dyn Signer>)
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
}

impl Signer for P521Key {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        let prehash = match self.scheme {
            SignatureScheme::ECDSA_NISTP256_SHA256 => Sha256::digest(message).to_vec(),
            SignatureScheme::ECDSA_NISTP384_SHA384 => Sha384::digest(message).to_vec(),
            _ => Sha512::digest(message).to_vec(),
        };
        let signature: DerSignature = self
            .key
            .sign_prehash(&prehash)
            .map_err(|err| rustls::Error::General(format!("p521 signing failed: {err}")))?;
        Ok(signature.as_bytes().to_vec())
    }

    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

// ---- DER assembly of the certificate ----

const OID_ECDSA_WITH_SHA512: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_SECP521R1: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_ORGANIZATION: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x0a];
const OID_COMMON_NAME: &[u8] = &[0x06, 0x03, 0x55, 0x04, 0x03];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x13];
const OID_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x0f];
const OID_EXT_KEY_USAGE: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x25];
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x06, 0x03, 0x55, 0x1d, 0x11];
const OID_SERVER_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const OID_CLIENT_AUTH: &[u8] = &[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
const TRUE: &[u8] = &[0x01, 0x01, 0xff];

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(u8::try_from(len).expect("short length"));
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|byte| *byte == 0)
            .collect();
        out.push(0x80 | u8::try_from(bytes.len()).expect("length of length"));
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn bit_string(bytes: &[u8]) -> Vec<u8> {
    tlv(0x03, &[&[0u8][..], bytes].concat())
}

fn extension(oid: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let critical: &[u8] = if critical { TRUE } else { &[] };
    sequence(&[oid, critical, &tlv(0x04, value)])
}

fn utc_time(at: chrono::DateTime<chrono::Utc>) -> Vec<u8> {
    tlv(0x17, at.format("%y%m%d%H%M%SZ").to_string().as_bytes())
}

fn self_signed_certificate(key: &SigningKey) -> CertificateDer<'static> {
    let algorithm = sequence(&[OID_ECDSA_WITH_SHA512]);
    let name = sequence(&[
        &tlv(
            0x31,
            &sequence(&[OID_ORGANIZATION, &tlv(0x0c, b"HashiCorp")]),
        ),
        &tlv(
            0x31,
            &sequence(&[OID_COMMON_NAME, &tlv(0x0c, b"localhost")]),
        ),
    ]);
    let now = chrono::Utc::now();
    let validity = sequence(&[
        &utc_time(now - chrono::Duration::seconds(30)),
        &utc_time(now + chrono::Duration::days(1)),
    ]);
    let point = key.verifying_key().to_sec1_point(false);
    let public_key = sequence(&[
        &sequence(&[OID_EC_PUBLIC_KEY, OID_SECP521R1]),
        &bit_string(point.as_bytes()),
    ]);
    let mut serial = [0u8; 16];
    rand::rng().fill_bytes(&mut serial);
    serial[0] &= 0x7f; // positive INTEGER
                       // digitalSignature (bit 0) and keyCertSign (bit 5); the low 2 bits of the byte are unused.
    let key_usage = tlv(0x03, &[0x02, 0x84]);
    let extensions = sequence(&[
        &extension(OID_BASIC_CONSTRAINTS, true, &sequence(&[TRUE])),
        &extension(OID_KEY_USAGE, true, &key_usage),
        &extension(
            OID_EXT_KEY_USAGE,
            false,
            &sequence(&[OID_CLIENT_AUTH, OID_SERVER_AUTH]),
        ),
        &extension(
            OID_SUBJECT_ALT_NAME,
            false,
            &sequence(&[&tlv(0x82, b"localhost")]),
        ),
    ]);
    let tbs = sequence(&[
        &tlv(0xa0, &tlv(0x02, &[2])), // v3
        &tlv(0x02, &serial),
        &algorithm,
        &name,
        &validity,
        &name,
        &public_key,
        &tlv(0xa3, &extensions),
    ]);
    let signature: DerSignature = key.sign(&tbs);
    CertificateDer::from(sequence(&[
        &tbs,
        &algorithm,
        &bit_string(signature.as_bytes()),
    ]))
}

#[test]
fn generated_certificate_is_a_p521_ca_for_localhost() {
    use x509_parser::extensions::GeneralName;

    let identity = ClientIdentity::generate();
    let (rest, cert) = x509_parser::parse_x509_certificate(identity.cert.as_ref()).expect("x509");
    assert!(rest.is_empty());
    assert!(cert.is_ca());
    assert_eq!(cert.subject(), cert.issuer());
    assert_eq!(
        cert.signature_algorithm.algorithm.to_id_string(),
        "1.2.840.10045.4.3.4"
    );
    let san = cert.subject_alternative_name().ok().flatten();
    let names = san.map(|ext| ext.value.general_names.clone());
    assert_eq!(names, Some(vec![GeneralName::DNSName("localhost")]));
    let pem = identity.cert_pem();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert!(pem.lines().all(|line| line.len() <= 64));
}
