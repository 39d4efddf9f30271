//! Rate limits kept in memory, a token bucket per key: per client IP for `POST /login` (it
//! counts requests, not failures; the per-login counter in `throttle` handles failures), and
//! per account for the downloads of lists (`web::route::Route::export`).
//! Memory stays bounded: idle buckets are dropped by `prune`, which the app runs periodically.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket per key (an IP address unless said otherwise).
#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    burst: f64,
    period: Duration,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// `burst` requests at once, then one more every `period`.
    pub fn new(burst: u32, period: Duration) -> Self {
        Self {
            burst: f64::from(burst),
            period,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Err(seconds)` says how long to wait when none is left.
    pub fn check(&self, key: K) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() / self.period.as_secs_f64();
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) * self.period.as_secs_f64();
            Err(wait.ceil().max(1.0) as u64)
        }
    }

    /// Forgets buckets that have refilled completely.
    pub fn prune(&self) {
        let now = Instant::now();
        let full_after = self.period.mul_f64(self.burst);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        buckets.retain(|_, b| now.duration_since(b.updated) < full_after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_burst_then_refuses_with_a_wait_time() {
        let limiter = RateLimiter::new(3, Duration::from_secs(10));
        let ip: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..3 {
            assert!(limiter.check(ip).is_ok());
        }
        let wait = limiter.check(ip).expect_err("fourth request must wait");
        assert!((1..=10).contains(&wait));
        // Another client is unaffected.
        assert!(limiter.check([10, 0, 0, 2].into()).is_ok());
    }
}
