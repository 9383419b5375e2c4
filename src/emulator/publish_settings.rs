//! `azureclassic-emulator publish-settings`: creates a management certificate, registers it for a
//! subscription in the state directory, and writes a schema-2.0 `.publishsettings` file (the
//! certificate as base64 PKCS#12 with an empty password) plus the certificate and key as PEM.

use super::auth::{AuthError, CertRegistry};
use crate::asm::xml::tree::Element;
use base64::Engine as _;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PublishSettingsError {
    #[error("cannot create the management certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("cannot build the PKCS#12 bundle: {0}")]
    Pkcs12(String),
    #[error(transparent)]
    Registry(#[from] AuthError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub struct PublishSettingsRequest<'a> {
    pub state_dir: &'a Path,
    pub out: &'a Path,
    /// Where the certificate and key go as PEM (cert then key in one file).
    pub pem_out: &'a Path,
    pub subscription_id: &'a str,
    pub subscription_name: &'a str,
    pub management_url: &'a str,
}

pub fn create(req: &PublishSettingsRequest<'_>) -> Result<(), PublishSettingsError> {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "azureclassic-emulator management certificate",
    );
    let key = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key)?;

    let pkcs12 = pkcs12(cert.der(), &key.serialize_der())?;
    let profile = Element::new("PublishProfile")
        .with_attr("SchemaVersion", "2.0")
        .with_attr("PublishMethod", "AzureServiceManagementAPI")
        .with_child(
            Element::new("Subscription")
                .with_attr("ServiceManagementUrl", req.management_url)
                .with_attr("Id", req.subscription_id)
                .with_attr("Name", req.subscription_name)
                .with_attr(
                    "ManagementCertificate",
                    &base64::engine::general_purpose::STANDARD.encode(pkcs12),
                ),
        );
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}\n",
        Element::new("PublishData").with_child(profile).to_xml()
    );

    // Register before handing out the files, so any file written is usable.
    CertRegistry::new(req.state_dir).register(req.subscription_id, cert.der())?;
    write_private(
        req.pem_out,
        &format!("{}{}", cert.pem(), key.serialize_pem()),
    )?;
    write_private(req.out, &document)
}

fn pkcs12(cert_der: &[u8], key_der: &[u8]) -> Result<Vec<u8>, PublishSettingsError> {
    let certificate = p12_keystore::Certificate::from_der(cert_der)
        .map_err(|e| PublishSettingsError::Pkcs12(e.to_string()))?;
    let chain = p12_keystore::PrivateKeyChain::new(key_der, b"management", [certificate]);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "management",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    store
        .writer("")
        .write()
        .map_err(|e| PublishSettingsError::Pkcs12(e.to_string()))
}

/// Writes a file only its owner can read: it holds a private key.
fn write_private(path: &Path, contents: &str) -> Result<(), PublishSettingsError> {
    let err = |source| PublishSettingsError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(err)?;
    std::io::Write::write_all(&mut file, contents.as_bytes()).map_err(err)?;
    file.sync_all().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::xml::Document;

    #[test]
    fn writes_a_matching_publish_settings_file_and_registers_the_certificate() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("emulator.publishsettings");
        let pem_out = dir.path().join("management.pem");
        create(&PublishSettingsRequest {
            state_dir: dir.path(),
            out: &out,
            pem_out: &pem_out,
            subscription_id: "0b1f6471-1bf0-4dda-aec3-111122223333",
            subscription_name: "Emulated",
            management_url: "https://127.0.0.1:7443",
        })
        .expect("created");
        let doc = Document::parse(&std::fs::read_to_string(&out).expect("read")).expect("xml");
        let sub = doc
            .root
            .child("PublishProfile")
            .and_then(|p| p.child("Subscription"))
            .expect("subscription");
        assert_eq!(sub.attr("Id"), Some("0b1f6471-1bf0-4dda-aec3-111122223333"));
        assert_eq!(
            sub.attr("ServiceManagementUrl"),
            Some("https://127.0.0.1:7443")
        );
        let p12 = base64::engine::general_purpose::STANDARD
            .decode(sub.attr("ManagementCertificate").expect("cert"))
            .expect("base64");
        let store = p12_keystore::KeyStore::from_pkcs12(&p12, "").expect("empty password opens it");
        let (_, chain) = store.private_key_chain().expect("key chain");
        let cert_der = chain.chain()[0].as_der().to_vec();
        let registry = CertRegistry::new(dir.path());
        assert!(registry.is_authorized("0b1f6471-1bf0-4dda-aec3-111122223333", &cert_der));
        let pem = std::fs::read_to_string(&pem_out).expect("pem");
        assert!(pem.contains("BEGIN CERTIFICATE") && pem.contains("PRIVATE KEY"));
    }
}
