//! Counters of what the client did: requests, retries by cause, lookups that prevented duplicate
//! creates, polls, netcfg cycles. Tests and benchmarks read them through `Client::stats`.

use std::sync::atomic::{AtomicU64, Ordering};

macro_rules! counters {
    ($($field:ident: $doc:literal),+ $(,)?) => {
        #[derive(Debug, Default)]
        pub(crate) struct Counters { $(pub(crate) $field: AtomicU64),+ }

        /// A snapshot of the client's counters.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct ClientStats { $(#[doc = $doc] pub $field: u64),+ }

        impl Counters {
            pub(crate) fn snapshot(&self) -> ClientStats {
                ClientStats { $($field: self.$field.load(Ordering::Relaxed)),+ }
            }
        }
    };
}

counters! {
    requests: "HTTP requests sent (every attempt, polls included).",
    retries: "Attempts repeated after a retryable failure.",
    throttled: "429 answers.",
    unavailable: "503 answers.",
    server_errors: "500 answers.",
    conflicts: "409 / conflict answers.",
    transport_errors: "Connections refused, dropped or timed out.",
    create_lookups: "Lookups made before re-sending a create after an ambiguous failure.",
    create_lookup_hits: "Lookups that found the object already created (a duplicate avoided).",
    polls: "Operation status polls.",
    netcfg_cycles: "Network configuration GET+PUT+poll cycles that reached the PUT.",
    netcfg_edits: "Network configuration edits applied (coalesced into the cycles above).",
}

impl Counters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
