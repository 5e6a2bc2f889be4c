//! The SQLite applier's memory of recent visitors, for the repeat check.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::rules::DAY_MS;

/// Qualified clicks of the last 24 hours by (link, visitor): the SQLite
/// writer's repeat check. SQLite has a single writer, so memory is the whole
/// truth, and an index on random visitor hashes would put each stored click
/// on a different page. Keys are keyed 64-bit hashes of (link, visitor), so
/// an entry takes a few dozen bytes.
///
/// In shards picked by the key's top bits, each growing on its own: a map
/// that doubles moves every entry at once (at 458,752 entries that took
/// 30 ms, with every redirect waiting on this thread), a shard only its
/// 1/256th. Room for the limit from the start avoided the stall too, but
/// random keys write to every page of the 68 MB it takes: 200 employees'
/// readers made it resident within a minute.
pub struct RecentVisitors {
    hasher: std::hash::RandomState,
    shards: Vec<HashMap<u64, i64, BuildHasherDefault<KeyIsHash>>>,
    len: usize,
    limit: usize,
}

const SHARDS: usize = 256;

/// At most this many visitors are remembered (about 40 MB when full). Only a
/// flood of distinct visitors within a day reaches it; then the oldest are
/// forgotten first, so a returning visitor could count again.
pub const RECENT_LIMIT: usize = 2_000_000;

/// The keys are keyed hashes already: hashing them again is wasted work.
/// But within a shard their top bits are all alike, and the map tells
/// entries apart by its hash's top seven bits: one multiplication by an odd
/// constant spreads every bit of the key into them again.
#[derive(Default)]
pub struct KeyIsHash(u64);

impl std::hash::Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; this is their fallback, never used.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl RecentVisitors {
    pub fn new(limit: usize) -> Self {
        Self {
            hasher: std::hash::RandomState::new(),
            shards: (0..SHARDS).map(|_| HashMap::default()).collect(),
            len: 0,
            limit,
        }
    }

    fn key(&self, code: &str, visitor: &str) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one((code, visitor))
    }

    /// The shard by the key's top bits; the map inside uses the low ones.
    fn shard(&self, key: u64) -> usize {
        (key >> 56) as usize % SHARDS
    }

    pub fn latest(&self, code: &str, visitor: &str) -> Option<i64> {
        let key = self.key(code, visitor);
        self.shards[self.shard(key)].get(&key).copied()
    }

    pub fn record(&mut self, code: &str, visitor: &str, at: i64, now: i64) {
        if self.len >= self.limit {
            self.forget_old(now);
        }
        let key = self.key(code, visitor);
        let shard = self.shard(key);
        let map = &mut self.shards[shard];
        let before = map.len();
        let entry = map.entry(key).or_insert(at);
        *entry = (*entry).max(at);
        self.len += map.len() - before;
    }

    /// Drops visits older than 24 hours, then, while a quarter is not free,
    /// the older half of what is left of the window, so a flood costs one
    /// sweep per quarter of the limit rather than one per click.
    fn forget_old(&mut self, now: i64) {
        let mut window = DAY_MS;
        loop {
            for map in &mut self.shards {
                map.retain(|_, at| *at > now - window);
            }
            self.len = self.shards.iter().map(HashMap::len).sum();
            if self.len <= self.limit * 3 / 4 || window < 1_000 {
                break;
            }
            window /= 2;
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clicks::plan::final_verdicts;
    use crate::clicks::plan::tests::click;
    use crate::clicks::rules::Verdict;

    const T: i64 = 1_800_000_000_000;

    #[test]
    fn many_visitors_spread_over_the_shards_and_are_all_found() {
        let mut recent = RecentVisitors::new(100_000);
        for i in 0..20_000 {
            recent.record("a", &format!("v{i}"), T - i, T);
        }
        assert_eq!(recent.len(), 20_000);
        assert!(recent.shards.iter().all(|m| !m.is_empty()));
        assert!((0..20_000).all(|i| recent.latest("a", &format!("v{i}")) == Some(T - i)));
        assert_eq!(recent.latest("b", "v1"), None);
    }

    #[test]
    fn recent_visitors_remember_a_day_and_forget_the_oldest_when_full() {
        let mut recent = RecentVisitors::new(4);
        recent.record("a", "v1", T - 2 * DAY_MS, T);
        recent.record("a", "v2", T - 3_600_000, T);
        recent.record("a", "v2", T - 7_200_000, T); // an older visit never wins
        assert_eq!(recent.latest("a", "v2"), Some(T - 3_600_000));
        assert_eq!(recent.latest("b", "v2"), None);
        let clicks = [
            click("a", "v2", T, Verdict::Qualified),
            click("a", "v9", T, Verdict::Qualified),
        ];
        assert_eq!(
            final_verdicts(&clicks, |c, v| recent.latest(c, v)),
            [Verdict::Repeat, Verdict::Qualified]
        );

        recent.record("a", "v3", T - 60_000, T);
        recent.record("a", "v4", T - 30_000, T);
        // Full (4): the visit older than a day goes first.
        recent.record("a", "v5", T, T);
        assert_eq!(recent.latest("a", "v1"), None);
        assert_eq!(recent.latest("a", "v5"), Some(T));
        // Still full: older visits go until a quarter of the room is free.
        recent.record("a", "v6", T, T);
        recent.record("a", "v7", T, T);
        assert_eq!(recent.latest("a", "v2"), None);
        assert_eq!(recent.latest("a", "v4"), Some(T - 30_000));
        assert!(recent.len() <= 4);
    }
}
