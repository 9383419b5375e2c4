//! The emulator's state behind one lock, made durable before any change is acknowledged.

use super::config::CircuitSpec;
use super::error::ApiError;
use super::operations::{now_ms, settle};
use super::persist::write_durably;
use super::state::{CircuitRecord, State, Subscription};
use crate::asm::xml::messages::CircuitStatus;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use thiserror::Error;

const STATE_FILE: &str = "state.json";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot read state {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("state file {path} is corrupt: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write state {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a handler reports back to the store besides its answer.
pub struct Handled<R> {
    pub reply: R,
    /// The subscription changed and must be made durable before the reply is sent.
    pub changed: bool,
}

pub struct Store {
    state: Mutex<State>,
    file: Option<PathBuf>,
    circuits: Vec<CircuitSpec>,
}

impl Store {
    /// Opens the store, loading the state directory's state when there is one.
    pub fn open(state_dir: Option<&Path>, circuits: Vec<CircuitSpec>) -> Result<Store, StoreError> {
        let file = state_dir.map(|d| d.join(STATE_FILE));
        let state = match &file {
            Some(path) if path.exists() => {
                let bytes = std::fs::read(path).map_err(|source| StoreError::Read {
                    path: path.clone(),
                    source,
                })?;
                serde_json::from_slice(&bytes).map_err(|source| StoreError::Corrupt {
                    path: path.clone(),
                    source,
                })?
            }
            _ => State::default(),
        };
        let store = Store {
            state: Mutex::new(state),
            file,
            circuits,
        };
        // Operations that were in flight when the previous process died complete now (if due).
        {
            let mut state = store.lock();
            let now = now_ms();
            let mut changed = false;
            for sub in state.subscriptions.values_mut() {
                changed |= settle(sub, now);
            }
            if changed {
                store.persist(&state)?;
            }
        }
        Ok(store)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A handler that panicked left the state as it was before its change (changes are applied in
        // one step), so the state behind a poisoned lock is still consistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn persist(&self, state: &State) -> Result<(), StoreError> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let bytes = serde_json::to_vec(state).map_err(|source| StoreError::Corrupt {
            path: path.clone(),
            source,
        })?;
        write_durably(path, &bytes).map_err(|source| StoreError::Write {
            path: path.clone(),
            source,
        })
    }

    /// Runs `f` on subscription `id` (created on first use, with the pre-provisioned circuits) after
    /// completing its due operations. When `f` reports a change, the whole state is made durable before
    /// this returns; if that fails the change is rolled back and the caller gets `InternalError`.
    /// `mutating` says whether `f` may change the subscription (only then is a rollback copy taken).
    pub fn with_subscription<R>(
        &self,
        id: &str,
        mutating: bool,
        f: impl FnOnce(&mut Subscription, i64) -> Result<Handled<R>, ApiError>,
    ) -> Result<R, ApiError> {
        let mut state = self.lock();
        let now = now_ms();
        let sub = state.subscriptions.entry(id.to_string()).or_default();
        self.ensure_circuits(sub);
        // Settling is deterministic, so it needs no rollback: a failed write just repeats it later.
        let settled = settle(sub, now);
        let snapshot = mutating.then(|| sub.clone());
        let result = f(sub, now);
        let changed = settled || matches!(&result, Ok(h) if h.changed);
        if changed {
            if let Err(e) = self.persist(&state) {
                tracing::error!("{e}");
                if let Some(before) = snapshot {
                    state.subscriptions.insert(id.to_string(), before);
                }
                return Err(ApiError::internal());
            }
        }
        result.map(|h| h.reply)
    }

    fn ensure_circuits(&self, sub: &mut Subscription) {
        for spec in &self.circuits {
            if sub.circuits.contains_key(&spec.service_key) {
                continue;
            }
            sub.circuits
                .entry(spec.service_key.clone())
                .or_insert_with(|| CircuitRecord {
                    service_key: spec.service_key.clone(),
                    name: format!("circuit-{}", &spec.service_key[..8]),
                    location: "Silicon Valley".to_string(),
                    bandwidth: 1000,
                    provider_name: "Equinix".to_string(),
                    provider_state: spec.provider_state,
                    status: CircuitStatus::Enabled,
                });
        }
    }
}
