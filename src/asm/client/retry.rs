//! Retrying: which failures are worth another attempt, how long to wait, and how a create avoids
//! creating twice (after an ambiguous failure it first looks the object up by name).

use std::future::Future;
use std::time::Duration;

use rand::Rng;

use super::context::CallContext;
use super::error::{is_conflict_code, CallSite, ClientError, TransportFailure};
use super::stats::Counters;

/// Exponential backoff with jitter: attempt `n` waits a random time in `[d/2, d]`, where
/// `d = min(max_backoff, initial_backoff * 2^n)`. The call's deadline bounds the total.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.min(31)))
            .min(self.max_backoff);
        let floor = ceiling / 2;
        if ceiling <= floor {
            return ceiling;
        }
        rng.random_range(floor..=ceiling)
    }
}

/// What a failure says about the request that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The service did not act on it (throttled, busy, conflict, never connected): safe to resend.
    Rejected,
    /// It may have been carried out (500, dropped connection, timeout): resending a create may duplicate.
    Ambiguous,
    /// Retrying cannot help.
    Final,
}

pub(crate) fn classify(error: &ClientError) -> Verdict {
    match error {
        ClientError::Service(e) => match e.status {
            429 | 503 => Verdict::Rejected,
            500 => Verdict::Ambiguous,
            _ if e.is_conflict() => Verdict::Rejected,
            _ => match e.code.as_str() {
                "TooManyRequests" | "ServerBusy" => Verdict::Rejected,
                _ => Verdict::Final,
            },
        },
        // Another writer held the object when the operation ran: the change did not happen.
        ClientError::OperationFailed { code, .. } if is_conflict_code(code) => Verdict::Rejected,
        ClientError::Transport { failure, .. } => match failure {
            TransportFailure::Connect => Verdict::Rejected,
            TransportFailure::Tls => Verdict::Final,
            TransportFailure::Timeout | TransportFailure::Interrupted => Verdict::Ambiguous,
        },
        _ => Verdict::Final,
    }
}

fn count(counters: &Counters, error: &ClientError) {
    match error {
        ClientError::Service(e) => match e.status {
            429 => Counters::bump(&counters.throttled),
            503 => Counters::bump(&counters.unavailable),
            500 => Counters::bump(&counters.server_errors),
            _ if e.is_conflict() => Counters::bump(&counters.conflicts),
            _ => {}
        },
        ClientError::OperationFailed { .. } => Counters::bump(&counters.conflicts),
        ClientError::Transport { .. } => Counters::bump(&counters.transport_errors),
        _ => {}
    }
}

/// Outcome of a create: sent by this call, or found already existing after an ambiguous failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Created<T, X> {
    Sent(T),
    Found(X),
}

/// The waiting between attempts of one call. (Explicit loops around this, rather than async
/// closures, keep every client future `Send`.)
pub(crate) struct Backoff<'a> {
    ctx: &'a CallContext,
    call: &'a CallSite,
    policy: &'a RetryPolicy,
    counters: &'a Counters,
    failures: u32,
}

impl<'a> Backoff<'a> {
    pub(crate) fn new(
        ctx: &'a CallContext,
        call: &'a CallSite,
        policy: &'a RetryPolicy,
        counters: &'a Counters,
    ) -> Self {
        Self {
            ctx,
            call,
            policy,
            counters,
            failures: 0,
        }
    }

    /// After a failed attempt: `Ok` once it is time to try again, or the error to give up with.
    pub(crate) async fn after(&mut self, error: ClientError) -> Result<(), ClientError> {
        if classify(&error) == Verdict::Final {
            return Err(error);
        }
        count(self.counters, &error);
        tracing::debug!(%error, failures = self.failures, "retrying");
        let pause = self.policy.backoff(self.failures, &mut rand::rng());
        self.failures = self.failures.saturating_add(1);
        match self.ctx.pause(self.call, pause).await {
            Ok(()) => {
                Counters::bump(&self.counters.retries);
                Ok(())
            }
            // The last service error says more than "deadline exceeded" alone.
            Err(ClientError::DeadlineExceeded { .. }) => Err(error),
            Err(stop) => Err(stop),
        }
    }
}

/// Runs an idempotent request until it succeeds, fails for good, or the context ends.
pub(crate) async fn retry<T, F, Fut>(
    ctx: &CallContext,
    call: &CallSite,
    policy: &RetryPolicy,
    counters: &Counters,
    mut attempt: F,
) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let mut backoff = Backoff::new(ctx, call, policy, counters);
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => backoff.after(error).await?,
        }
    }
}

/// Runs a create: resends freely after a rejection, but after an ambiguous failure first asks
/// `lookup` whether the object now exists, and returns it instead of creating a duplicate.
pub(crate) async fn retry_create<T, X, S, SFut, L, LFut>(
    ctx: &CallContext,
    call: &CallSite,
    policy: &RetryPolicy,
    counters: &Counters,
    mut send: S,
    mut lookup: L,
) -> Result<Created<T, X>, ClientError>
where
    S: FnMut() -> SFut,
    SFut: Future<Output = Result<T, ClientError>>,
    L: FnMut() -> LFut,
    LFut: Future<Output = Result<Option<X>, ClientError>>,
{
    let mut backoff = Backoff::new(ctx, call, policy, counters);
    let mut maybe_created = false;
    loop {
        if maybe_created {
            Counters::bump(&counters.create_lookups);
            match lookup().await {
                Ok(Some(existing)) => {
                    Counters::bump(&counters.create_lookup_hits);
                    return Ok(Created::Found(existing));
                }
                Ok(None) => {}
                Err(error) => {
                    backoff.after(error).await?;
                    continue;
                }
            }
        }
        match send().await {
            Ok(value) => return Ok(Created::Sent(value)),
            Err(error) => {
                maybe_created |= classify(&error) == Verdict::Ambiguous;
                backoff.after(error).await?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::client::error::AsmError;
    use rand::SeedableRng;

    fn call() -> CallSite {
        CallSite {
            method: "POST".into(),
            path: "/s/services/networking/localnetworkgateways".into(),
        }
    }

    fn service(status: u16, code: &str) -> ClientError {
        ClientError::from(AsmError {
            call: call(),
            status,
            code: code.into(),
            message: String::new(),
            request_id: None,
        })
    }

    fn fast() -> RetryPolicy {
        RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(4),
        }
    }

    #[test]
    fn backoff_grows_within_bounds_and_caps() {
        let policy = RetryPolicy::default();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for attempt in 0..40 {
            let d = policy.backoff(attempt, &mut rng);
            let ceiling =
                (policy.initial_backoff * 2u32.pow(attempt.min(20))).min(policy.max_backoff);
            assert!(d >= ceiling / 2 && d <= ceiling, "attempt {attempt}: {d:?}");
        }
        assert!(policy.backoff(100, &mut rng) <= Duration::from_secs(30));
        assert!(policy.backoff(100, &mut rng) >= Duration::from_secs(15));
    }

    #[test]
    fn classification_follows_what_the_service_did() {
        assert_eq!(
            classify(&service(429, "TooManyRequests")),
            Verdict::Rejected
        );
        assert_eq!(classify(&service(503, "ServerBusy")), Verdict::Rejected);
        assert_eq!(classify(&service(409, "ConflictError")), Verdict::Rejected);
        assert_eq!(
            classify(&service(400, "AnotherOperationInProgress")),
            Verdict::Rejected
        );
        assert_eq!(classify(&service(500, "InternalError")), Verdict::Ambiguous);
        assert_eq!(classify(&service(400, "BadRequest")), Verdict::Final);
        assert_eq!(classify(&service(404, "ResourceNotFound")), Verdict::Final);
        let dropped = ClientError::Transport {
            call: call(),
            failure: TransportFailure::Interrupted,
            detail: String::new(),
        };
        assert_eq!(classify(&dropped), Verdict::Ambiguous);
    }

    #[tokio::test]
    async fn retries_until_success_and_counts() {
        let counters = Counters::default();
        let mut answers = vec![service(503, "ServerBusy"), service(429, "TooManyRequests")];
        let ctx = CallContext::with_timeout(Duration::from_secs(5));
        let out = retry(&ctx, &call(), &fast(), &counters, || {
            let answer = answers.pop();
            async move {
                match answer {
                    Some(e) => Err(e),
                    None => Ok(42),
                }
            }
        })
        .await;
        assert_eq!(out.unwrap(), 42);
        let stats = counters.snapshot();
        assert_eq!(
            (stats.retries, stats.throttled, stats.unavailable),
            (2, 1, 1)
        );
    }

    #[tokio::test]
    async fn final_errors_are_not_retried() {
        let counters = Counters::default();
        let mut sends = 0;
        let ctx = CallContext::with_timeout(Duration::from_secs(5));
        let out: Result<(), _> = retry(&ctx, &call(), &fast(), &counters, || {
            sends += 1;
            async { Err(service(400, "BadRequest")) }
        })
        .await;
        assert!(out.is_err());
        assert_eq!(sends, 1);
    }

    #[tokio::test]
    async fn deadline_ends_retries_with_the_last_service_error() {
        let counters = Counters::default();
        let ctx = CallContext::with_timeout(Duration::from_millis(60));
        let out: Result<(), _> = retry(&ctx, &call(), &fast(), &counters, || async {
            Err(service(409, "ConflictError"))
        })
        .await;
        assert!(matches!(out, Err(ClientError::Service(e)) if e.status == 409));
        assert!(counters.snapshot().conflicts >= 2);
    }

    #[tokio::test]
    async fn ambiguous_create_failure_looks_up_before_resending() {
        let counters = Counters::default();
        let ctx = CallContext::with_timeout(Duration::from_secs(5));
        let mut sends = 0;
        let out = retry_create(
            &ctx,
            &call(),
            &fast(),
            &counters,
            || {
                sends += 1;
                async { Err::<(), _>(service(500, "InternalError")) }
            },
            || async { Ok(Some("existing-id")) },
        )
        .await;
        assert_eq!(out.unwrap(), Created::Found("existing-id"));
        assert_eq!(sends, 1);
        let stats = counters.snapshot();
        assert_eq!((stats.create_lookups, stats.create_lookup_hits), (1, 1));
    }

    #[tokio::test]
    async fn rejected_create_is_resent_without_lookup() {
        let counters = Counters::default();
        let ctx = CallContext::with_timeout(Duration::from_secs(5));
        let mut answers = vec![Ok("new-id"), Err(service(503, "ServerBusy"))];
        let out = retry_create(
            &ctx,
            &call(),
            &fast(),
            &counters,
            || {
                let answer = answers.pop().unwrap_or(Ok("late"));
                async move { answer }
            },
            || async { Ok::<Option<&str>, _>(Some("must not be used")) },
        )
        .await;
        assert_eq!(out.unwrap(), Created::Sent("new-id"));
        assert_eq!(counters.snapshot().create_lookups, 0);
    }
}
