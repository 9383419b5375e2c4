//! Fault injection: a seeded fraction of requests fail the way a throttled or broken service does.
//! The same seed gives the same sequence of faults for the same sequence of requests.

use super::config::FaultConfig;
use super::error::ApiError;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this error instead of handling the request.
    Answer(ApiError),
    /// Close the connection without answering.
    Drop,
}

pub struct Faults {
    rate: f64,
    rng: Mutex<ChaCha8Rng>,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        Faults {
            rate: config.rate,
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(config.seed)),
        }
    }

    /// Draws the fate of the next request: `None` to handle it normally.
    pub fn draw(&self) -> Option<Fault> {
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        // Always draw both numbers so the sequence depends only on the number of requests.
        let hit = rng.random::<f64>() < self.rate;
        let kind = rng.random_range(0..4u8);
        hit.then(|| match kind {
            0 => Fault::Answer(ApiError::too_many_requests()),
            1 => Fault::Answer(ApiError::server_busy()),
            2 => Fault::Answer(ApiError::internal()),
            _ => Fault::Drop,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence(rate: f64, seed: u64) -> Vec<Option<Fault>> {
        let f = Faults::new(FaultConfig { rate, seed });
        (0..400).map(|_| f.draw()).collect()
    }

    #[test]
    fn same_seed_same_faults_and_rate_roughly_held() {
        assert_eq!(sequence(0.3, 7), sequence(0.3, 7));
        assert_ne!(sequence(0.3, 7), sequence(0.3, 8));
        let hits = sequence(0.3, 7).iter().filter(|f| f.is_some()).count();
        assert!((80..160).contains(&hits), "{hits} of 400");
        assert!(sequence(0.0, 1).iter().all(Option::is_none));
        assert!(sequence(1.0, 1).iter().all(Option::is_some));
        let kinds = sequence(1.0, 3);
        assert!(kinds.contains(&Some(Fault::Drop)));
        assert!(kinds.contains(&Some(Fault::Answer(ApiError::server_busy()))));
    }
}
