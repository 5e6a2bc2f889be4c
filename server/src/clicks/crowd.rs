//! Limits per client address at the redirect, kept in memory on the
//! redirect's own thread (no I/O, no lock contention: one owner).
//!
//! - A link gains at most `visitors_per_link` qualified visitors from one
//!   address per UTC day, however its User-Agent changes (a visitor is
//!   address + user agent, so without this one machine could be any number
//!   of visitors).
//! - An address past `per_minute` requests in the current minute is still
//!   redirected, but a HEAD or a request it already made this minute (same
//!   link, same visitor) leaves no row: a loop cannot fill the tables.
//!
//! Addresses are only hashed here (keyed, per process), never stored.
//! With several instances each counts its own requests: the limits are per
//! instance.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use super::rules::DAY_MS;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_minute: u32,
    pub visitors_per_link: usize,
    /// At most this many (link, address) pairs are followed in a day (about
    /// 64 bytes each); past it no further pair qualifies until the next day.
    pub max_pairs: usize,
}

pub const LIMITS: Limits = Limits {
    per_minute: 60,
    visitors_per_link: 3,
    max_pairs: 1_000_000,
};

/// How many recent requests of an address are remembered for the
/// repeated-request check.
const RECENT: usize = 8;

#[derive(Default)]
struct Rate {
    count: u32,
    recent: [u64; RECENT],
    next: usize,
}

pub struct Crowd {
    hasher: RandomState,
    limits: Limits,
    day: i64,
    minute: i64,
    /// (link, address) → the visitors (hashed) that qualified through it today.
    pairs: HashMap<u64, Vec<u64>>,
    /// address → this minute's requests.
    rates: HashMap<u64, Rate>,
}

impl Crowd {
    pub fn new(limits: Limits) -> Self {
        Self {
            hasher: RandomState::new(),
            limits,
            day: i64::MIN,
            minute: i64::MIN,
            pairs: HashMap::new(),
            rates: HashMap::new(),
        }
    }

    fn roll(&mut self, now: i64) {
        let minute = now.div_euclid(60_000);
        if minute != self.minute {
            self.minute = minute;
            self.rates.clear();
        }
        let day = now.div_euclid(DAY_MS);
        if day != self.day {
            self.day = day;
            self.pairs.clear();
        }
    }

    /// Whether to store a row for this request: false only once the address
    /// is over its rate and the request is a HEAD or one it already made
    /// this minute.
    pub fn admit(
        &mut self,
        now: i64,
        address: &str,
        code: &str,
        user_agent: &str,
        head: bool,
    ) -> bool {
        self.roll(now);
        let request = self.hasher.hash_one((code, address, user_agent));
        let rate = self.rates.entry(self.hasher.hash_one(address)).or_default();
        rate.count = rate.count.saturating_add(1);
        let over = rate.count > self.limits.per_minute;
        let repeated = rate.recent.contains(&request);
        rate.recent[rate.next] = request;
        rate.next = (rate.next + 1) % RECENT;
        !(over && (head || repeated))
    }

    /// Whether a click that would qualify may: the visitor is one of the
    /// address's first `visitors_per_link` on this link today (a returning
    /// one may, and is then a repeat by the usual rule).
    pub fn may_qualify(&mut self, now: i64, address: &str, code: &str, user_agent: &str) -> bool {
        self.roll(now);
        let pair = self.hasher.hash_one((code, address));
        let visitor = self.hasher.hash_one(user_agent);
        let full = self.pairs.len() >= self.limits.max_pairs;
        match self.pairs.get_mut(&pair) {
            Some(visitors) if visitors.contains(&visitor) => true,
            Some(visitors) if visitors.len() < self.limits.visitors_per_link => {
                visitors.push(visitor);
                true
            }
            Some(_) => false,
            None if full => false,
            None => {
                self.pairs.insert(pair, vec![visitor]);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 20_000 * DAY_MS + 3_600_000;

    fn crowd() -> Crowd {
        Crowd::new(Limits {
            per_minute: 5,
            visitors_per_link: 3,
            max_pairs: 4,
        })
    }

    #[test]
    fn one_address_adds_only_a_few_visitors_to_a_link_a_day() {
        let mut c = crowd();
        let agents: Vec<String> = (0..10).map(|n| format!("Firefox/{n}")).collect();
        let allowed: Vec<bool> = agents
            .iter()
            .map(|ua| c.may_qualify(T0, "198.51.100.7", "link1", ua))
            .collect();
        assert_eq!(allowed.iter().filter(|a| **a).count(), 3);
        // A visitor already counted may come back (the repeat rule decides).
        assert!(c.may_qualify(T0 + 1_000, "198.51.100.7", "link1", &agents[0]));
        // Another address, another link: their own allowance.
        assert!(c.may_qualify(T0, "198.51.100.8", "link1", &agents[5]));
        assert!(c.may_qualify(T0, "198.51.100.7", "link2", &agents[5]));
        // The next day starts afresh.
        assert!(c.may_qualify(T0 + DAY_MS, "198.51.100.7", "link1", &agents[9]));
    }

    #[test]
    fn a_full_table_lets_no_new_pair_qualify_until_the_next_day() {
        let mut c = crowd();
        for n in 0..4 {
            assert!(c.may_qualify(T0, &format!("203.0.113.{n}"), "l", "ua"));
        }
        assert!(!c.may_qualify(T0, "203.0.113.99", "l", "ua"));
        assert!(
            c.may_qualify(T0, "203.0.113.1", "l", "ua"),
            "known pairs go on"
        );
        assert!(c.may_qualify(T0 + DAY_MS, "203.0.113.99", "l", "ua"));
    }

    #[test]
    fn over_its_rate_an_address_leaves_no_row_for_heads_and_repeats() {
        let mut c = crowd();
        for n in 0..5 {
            assert!(
                c.admit(T0, "192.0.2.1", "l", "ua", n % 2 == 0),
                "under the rate"
            );
        }
        assert!(
            !c.admit(T0, "192.0.2.1", "l", "ua", true),
            "a HEAD over the rate"
        );
        assert!(
            !c.admit(T0, "192.0.2.1", "l", "ua", false),
            "a repeat over the rate"
        );
        assert!(
            c.admit(T0, "192.0.2.1", "l", "another ua", false),
            "a new visitor still counts raw"
        );
        assert!(
            c.admit(T0, "192.0.2.1", "l2", "ua", false),
            "another link too"
        );
        assert!(
            c.admit(T0, "192.0.2.2", "l", "ua", true),
            "another address is not held back"
        );
        // The next minute starts afresh.
        assert!(c.admit(T0 + 60_000, "192.0.2.1", "l", "ua", true));
    }
}
