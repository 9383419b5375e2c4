//! Management-certificate authentication: which client certificates may act on which subscription.
//! Registrations live in the state directory so `publish-settings` (a separate process) can add one
//! while the emulator runs.

use super::persist::write_durably;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;
use thiserror::Error;

const REGISTRY_FILE: &str = "management-certificates.json";

#[derive(Debug, Error)]
pub enum AuthError {
    #[error("management certificate registry {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("management certificate registry {path} is corrupt: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// Identifies one version of the registry file. Every write replaces the file by rename, so the inode
/// changes even when two writes fall within one modification-time tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

impl FileStamp {
    fn of(m: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(m);
        #[cfg(not(unix))]
        let inode = 0;
        FileStamp {
            modified: m.modified().ok(),
            len: m.len(),
            inode,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Registration {
    subscription: String,
    /// The certificate, DER in base64.
    certificate: String,
}

/// The registered management certificates of a state directory.
pub struct CertRegistry {
    path: PathBuf,
    /// Registrations as of the file's stamp, reloaded when it changes.
    cache: Mutex<(Option<FileStamp>, Vec<Registration>)>,
}

impl CertRegistry {
    pub fn new(state_dir: &Path) -> Self {
        CertRegistry {
            path: state_dir.join(REGISTRY_FILE),
            cache: Mutex::new((None, Vec::new())),
        }
    }

    fn load(&self) -> Result<Vec<Registration>, AuthError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| AuthError::Corrupt {
                path: self.path.clone(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(source) => Err(AuthError::Io {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Registers `certificate_der` for `subscription` (durably).
    pub fn register(&self, subscription: &str, certificate_der: &[u8]) -> Result<(), AuthError> {
        let mut all = self.load()?;
        let entry = Registration {
            subscription: subscription.to_string(),
            certificate: base64::engine::general_purpose::STANDARD.encode(certificate_der),
        };
        if !all.contains(&entry) {
            all.push(entry);
        }
        let bytes = serde_json::to_vec_pretty(&all).map_err(|source| AuthError::Corrupt {
            path: self.path.clone(),
            source,
        })?;
        write_durably(&self.path, &bytes).map_err(|source| AuthError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// True when `certificate_der` is registered for `subscription`.
    pub fn is_authorized(&self, subscription: &str, certificate_der: &[u8]) -> bool {
        let modified = std::fs::metadata(&self.path)
            .ok()
            .map(|m| FileStamp::of(&m));
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.0 != modified || modified.is_none() {
            match self.load() {
                Ok(all) => *cache = (modified, all),
                Err(e) => {
                    tracing::error!("{e}");
                    return false;
                }
            }
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(certificate_der);
        cache
            .1
            .iter()
            .any(|r| r.subscription.eq_ignore_ascii_case(subscription) && r.certificate == encoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorizes_only_the_registered_certificate_for_its_subscription() {
        let dir = tempfile::tempdir().expect("tempdir");
        let registry = CertRegistry::new(dir.path());
        assert!(!registry.is_authorized("sub1", b"cert"));
        registry.register("sub1", b"cert").expect("register");
        assert!(registry.is_authorized("sub1", b"cert"));
        assert!(registry.is_authorized("SUB1", b"cert"));
        assert!(!registry.is_authorized("sub2", b"cert"));
        assert!(!registry.is_authorized("sub1", b"other"));
        // A registration made by another process is seen without a restart.
        CertRegistry::new(dir.path())
            .register("sub2", b"cert2")
            .expect("register");
        assert!(registry.is_authorized("sub2", b"cert2"));
    }
}
