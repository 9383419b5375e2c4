//! Fault injection: a seeded fraction of requests fail the way a throttled or broken service does, and
//! a seeded fraction of the successful changes lose their answer after being made. The same seed gives
//! the same sequence of faults for the same sequence of requests.

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
    after_rate: f64,
    rng: Mutex<ChaCha8Rng>,
    /// A separate stream, so adding lost answers leaves the sequence of `draw` unchanged for a seed.
    after_rng: Mutex<ChaCha8Rng>,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        let mut after_rng = ChaCha8Rng::seed_from_u64(config.seed);
        after_rng.set_stream(1);
        Faults {
            rate: config.rate,
            after_rate: config.after_rate,
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(config.seed)),
            after_rng: Mutex::new(after_rng),
        }
    }

    /// Decides whether a change that was just made loses its answer (the connection is dropped).
    pub fn draw_after(&self) -> bool {
        if self.after_rate == 0.0 {
            return false;
        }
        let mut rng = self.after_rng.lock().unwrap_or_else(|p| p.into_inner());
        rng.random::<f64>() < self.after_rate
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

    fn faults(rate: f64, after_rate: f64, seed: u64) -> Faults {
        Faults::new(FaultConfig::new(rate, after_rate, seed).expect("valid rates"))
    }

    fn sequence(rate: f64, seed: u64) -> Vec<Option<Fault>> {
        let f = faults(rate, 0.0, seed);
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

    #[test]
    fn lost_answers_follow_their_rate_and_leave_the_other_faults_unchanged() {
        let with_after = faults(0.3, 0.5, 7);
        let lost = (0..400).filter(|_| with_after.draw_after()).count();
        assert!((150..250).contains(&lost), "{lost} of 400");
        let before: Vec<_> = (0..400).map(|_| with_after.draw()).collect();
        assert_eq!(before, sequence(0.3, 7));
        let none = faults(0.3, 0.0, 7);
        assert!((0..100).all(|_| !none.draw_after()));
    }
}
