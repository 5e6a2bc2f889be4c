//! Limits per client address at the redirect, kept in memory on the
//! redirect's own thread (no I/O, one owner).
//!
//! - A link gains at most `visitors_per_link` (3 at most) qualified
//!   visitors from one address per UTC day, however its User-Agent changes
//!   (a visitor is address + user agent, so without this one machine could
//!   be any number of visitors).
//! - An address past `per_minute` requests in the current minute is still
//!   redirected, but a HEAD or a request it already made this minute (same
//!   link, same visitor) leaves no row: a loop cannot fill the tables.
//!
//! Both are fixed-size tables indexed by a keyed hash, so memory stays the
//! same under a flood of made-up addresses (a map per address grew by
//! 100 bytes for each): about 3 MB for the links, 1 MB for the rates,
//! touched only as they are used. Two keys may share a slot; then they
//! share its allowance, which with these sizes needs tens of thousands of
//! distinct pairs a day to matter. Addresses are only hashed, never stored.
//! With several instances each counts its own requests.

use std::hash::{BuildHasher, RandomState};

use super::rules::DAY_MS;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_minute: u32,
    /// 0 turns the per-link limit off (the benchmarks' synthetic visitors).
    pub visitors_per_link: usize,
}

pub const LIMITS: Limits = Limits {
    per_minute: 60,
    visitors_per_link: 3,
};

/// The most visitors per link and address the table can hold.
const MAX_VISITORS: usize = 3;
const PAIR_SLOTS: usize = 1 << 18;
const RATE_SLOTS: usize = 1 << 14;
/// How many recent requests of an address are remembered for the
/// repeated-request check.
const RECENT: usize = 8;

/// The visitors (16-bit fingerprints, 0 = free) a (link, address) pair has
/// given today.
#[derive(Clone, Copy, Default)]
struct Pair {
    day: u32,
    visitors: [u16; MAX_VISITORS],
}

#[derive(Clone, Copy, Default)]
struct Rate {
    minute: u32,
    count: u32,
    recent: [u64; RECENT],
}

pub struct Crowd {
    hasher: RandomState,
    limits: Limits,
    pairs: Vec<Pair>,
    rates: Vec<Rate>,
}

impl Crowd {
    pub fn new(limits: Limits) -> Self {
        Self {
            hasher: RandomState::new(),
            limits: Limits {
                visitors_per_link: limits.visitors_per_link.min(MAX_VISITORS),
                ..limits
            },
            pairs: vec![Pair::default(); PAIR_SLOTS],
            rates: vec![Rate::default(); RATE_SLOTS],
        }
    }

    /// Whether to store a row for this request: false only once the address
    /// is over its rate and the request is a HEAD or one it already made
    /// this minute.
    pub fn admit(&mut self, now: i64, address: &str, code: &str, agent: &str, head: bool) -> bool {
        // Stored as +1, so a slot never used (minute 0) is never current.
        let minute = now.div_euclid(60_000) as u32 + 1;
        let request = self.hasher.hash_one((code, address, agent)) | 1;
        let slot = self.hasher.hash_one(address) as usize % RATE_SLOTS;
        let rate = &mut self.rates[slot];
        if rate.minute != minute {
            *rate = Rate {
                minute,
                ..Rate::default()
            };
        }
        let repeated = rate.recent.contains(&request);
        rate.recent[rate.count as usize % RECENT] = request;
        rate.count = rate.count.saturating_add(1);
        let over = rate.count > self.limits.per_minute;
        !(over && (head || repeated))
    }

    /// Whether a click that would qualify may: the visitor is one of the
    /// address's first `visitors_per_link` on this link today (a returning
    /// one may, and is then a repeat by the usual rule).
    pub fn may_qualify(&mut self, now: i64, address: &str, code: &str, agent: &str) -> bool {
        if self.limits.visitors_per_link == 0 {
            return true;
        }
        let day = now.div_euclid(DAY_MS) as u32 + 1;
        let slot = self.hasher.hash_one((code, address)) as usize % PAIR_SLOTS;
        let visitor = (self.hasher.hash_one(agent) as u16).max(1);
        let pair = &mut self.pairs[slot];
        if pair.day != day {
            *pair = Pair {
                day,
                ..Pair::default()
            };
        }
        let allowed = &mut pair.visitors[..self.limits.visitors_per_link];
        if allowed.contains(&visitor) {
            return true;
        }
        match allowed.iter_mut().find(|v| **v == 0) {
            Some(free) => {
                *free = visitor;
                true
            }
            None => false,
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
        })
    }

    #[test]
    fn one_address_adds_only_a_few_visitors_to_a_link_a_day() {
        let mut c = crowd();
        let agents: Vec<String> = (0..10).map(|n| format!("Firefox/{n}")).collect();
        let allowed = agents
            .iter()
            .filter(|ua| c.may_qualify(T0, "198.51.100.7", "link1", ua))
            .count();
        assert_eq!(allowed, 3);
        // A visitor already counted may come back (the repeat rule decides).
        assert!(c.may_qualify(T0 + 1_000, "198.51.100.7", "link1", &agents[0]));
        // Another address, another link: their own allowance.
        assert!(c.may_qualify(T0, "198.51.100.8", "link1", &agents[5]));
        assert!(c.may_qualify(T0, "198.51.100.7", "link2", &agents[5]));
        // The next day starts afresh.
        assert!(c.may_qualify(T0 + DAY_MS, "198.51.100.7", "link1", &agents[9]));
    }

    #[test]
    fn a_flood_of_addresses_takes_no_more_memory_and_zero_turns_the_limit_off() {
        let mut c = crowd();
        for n in 0..100_000 {
            c.may_qualify(
                T0,
                &format!("10.{}.{}.{}", n >> 16, (n >> 8) & 255, n & 255),
                "l",
                "ua",
            );
        }
        assert_eq!(c.pairs.len(), PAIR_SLOTS);
        let mut off = Crowd::new(Limits {
            per_minute: 5,
            visitors_per_link: 0,
        });
        assert!((0..10).all(|n| off.may_qualify(T0, "198.51.100.7", "l", &format!("ua{n}"))));
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
