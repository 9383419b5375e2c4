//! Waiting for the service's asynchronous operations.
//!
//! Style A (the netcfg PUT): `202` + `x-ms-request-id`, polled at `GET /{sub}/operations/{id}` until
//! `Succeeded` / `Failed`. Style B (gateways, connections, ExpressRoute): a `GatewayOperationAsyncResponse`
//! `ID`, polled at `GET /{sub}/services/networking/operation/{ID}` until `Successful` / `Failed`.

use std::time::Duration;

/// How often to poll: starts fast (the emulator answers in milliseconds) and grows by half each
/// poll up to a cap suited to the real service (gateway creation takes ~30 minutes).
#[derive(Debug, Clone, PartialEq)]
pub struct PollPolicy {
    pub initial_interval: Duration,
    pub max_interval: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(30),
        }
    }
}

impl PollPolicy {
    /// The pause before poll number `poll` (0-based).
    pub fn interval(&self, poll: u32) -> Duration {
        let grown = self
            .initial_interval
            .mul_f64(1.5f64.powi(poll.min(64) as i32));
        grown.min(self.max_interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_interval_starts_fast_grows_and_caps() {
        let p = PollPolicy::default();
        assert_eq!(p.interval(0), Duration::from_millis(100));
        assert!(p.interval(1) > p.interval(0));
        assert_eq!(p.interval(30), Duration::from_secs(30));
        assert_eq!(p.interval(u32::MAX), Duration::from_secs(30));
        // Reaching the cap takes a bounded number of polls (~15), so fast operations finish fast.
        let to_cap = (0..100).find(|&n| p.interval(n) == p.max_interval).unwrap();
        assert!((10..=20).contains(&to_cap), "{to_cap}");
    }
}
