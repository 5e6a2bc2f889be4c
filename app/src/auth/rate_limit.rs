//! Failed sign-ins are limited per account and per client address over a
//! sliding window. Nobody is locked out for good: old failures age out.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginLimiter {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 5, 30)
    }
}

impl LoginLimiter {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        Self {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when either key has used up its attempts.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let a = self.wait(&mut map, &account_key(account), self.per_account, now);
        let b = self.wait(&mut map, &address_key(address), self.per_address, now);
        match a.max(b) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, account: &str, address: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Bound memory under a flood of distinct keys: drop what has aged out.
        if map.len() > 50_000 {
            let window = self.window;
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        for key in [account_key(account), address_key(address)] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in forgives the account's failures (not the address's).
    pub fn clear_account(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&account_key(account));
    }

    fn wait(
        &self,
        map: &mut HashMap<String, VecDeque<Instant>>,
        key: &str,
        limit: usize,
        now: Instant,
    ) -> Option<Duration> {
        let queue = map.get_mut(key)?;
        while queue
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            queue.pop_front();
        }
        if queue.len() < limit {
            return None;
        }
        // Allowed again when the oldest failure that counts leaves the window.
        let oldest = queue[queue.len() - limit];
        Some(self.window.saturating_sub(now.duration_since(oldest)))
    }
}

fn account_key(account: &str) -> String {
    format!("a:{}", account.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("i:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_account_limit_and_recovers_after_the_window() {
        let limiter = LoginLimiter::new(Duration::from_secs(60), 3, 100);
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(
                limiter.check("Ann@x.se", "1.2.3.4", t0).is_ok(),
                "attempt {i}"
            );
            limiter.record_failure("ann@x.se", "1.2.3.4", t0 + Duration::from_secs(i));
        }
        let wait = limiter
            .check("ann@x.se", "5.6.7.8", t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // Another account from the same address is not affected.
        assert!(limiter.check("bo@x.se", "1.2.3.4", t0).is_ok());
        // After the window the account may try again.
        assert!(limiter
            .check("ann@x.se", "1.2.3.4", t0 + Duration::from_secs(61))
            .is_ok());
    }

    #[test]
    fn limits_one_address_trying_many_accounts() {
        let limiter = LoginLimiter::new(Duration::from_secs(60), 100, 4);
        let t0 = Instant::now();
        for i in 0..4 {
            limiter.record_failure(&format!("user{i}@x.se"), "9.9.9.9", t0);
        }
        assert!(limiter.check("new@x.se", "9.9.9.9", t0).is_err());
        assert!(limiter.check("new@x.se", "8.8.8.8", t0).is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let limiter = LoginLimiter::new(Duration::from_secs(60), 2, 100);
        let t0 = Instant::now();
        limiter.record_failure("ann@x.se", "1.1.1.1", t0);
        limiter.record_failure("ann@x.se", "1.1.1.1", t0);
        assert!(limiter.check("ann@x.se", "1.1.1.1", t0).is_err());
        limiter.clear_account("ann@x.se");
        assert!(limiter.check("ann@x.se", "1.1.1.1", t0).is_ok());
    }
}
