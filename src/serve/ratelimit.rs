//! Token buckets by key (a client address, a conversation): `rate` tokens
//! a second up to `burst`. A refusal says how long to wait.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<Buckets>,
}

#[derive(Default)]
struct Buckets {
    by_key: HashMap<String, (f64, Instant)>,
    swept_at: usize,
}

impl RateLimiter {
    /// `rate` 0 (or less): no limit.
    pub fn new(rate: f64, burst: f64) -> RateLimiter {
        RateLimiter {
            rate,
            burst: burst.max(1.0),
            buckets: Mutex::new(Buckets::default()),
        }
    }

    /// Takes one token; `Err(seconds to wait)` when there is none.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let mut b = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if b.by_key.len() >= (b.swept_at * 2).max(4096) {
            // Full buckets are forgotten: they would be full again anyway.
            let (rate, burst) = (self.rate, self.burst);
            b.by_key.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * rate < burst
            });
            b.swept_at = b.by_key.len();
        }
        let entry = b.by_key.entry(key.to_string()).or_insert((self.burst, now));
        let elapsed = now.saturating_duration_since(entry.1).as_secs_f64();
        entry.0 = (entry.0 + elapsed * self.rate).min(self.burst);
        entry.1 = now;
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - entry.0) / self.rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_the_rate() {
        let l = RateLimiter::new(2.0, 3.0);
        let t = Instant::now();
        assert!(l.check_at("a", t).is_ok());
        assert!(l.check_at("a", t).is_ok());
        assert!(l.check_at("a", t).is_ok());
        assert_eq!(l.check_at("a", t), Err(1));
        assert!(l.check_at("b", t).is_ok());
        assert!(l.check_at("a", t + Duration::from_millis(500)).is_ok());
        assert!(RateLimiter::new(0.0, 0.0).check("x").is_ok());
    }
}
