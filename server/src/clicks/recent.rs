//! The SQLite applier's memory of recent visitors, for the repeat check.

use std::collections::HashMap;

use super::rules::DAY_MS;

/// Qualified clicks of the last 24 hours by (link, visitor): the SQLite
/// writer's repeat check. SQLite has a single writer, so memory is the whole
/// truth, and an index on random visitor hashes would put each stored click
/// on a different page. Keys are keyed 64-bit hashes of (link, visitor), so
/// an entry takes a few dozen bytes.
pub struct RecentVisitors {
    hasher: std::hash::RandomState,
    latest: HashMap<u64, i64>,
    limit: usize,
}

/// At most this many visitors are remembered (a map of about 68 MB once in
/// use). Only a flood of distinct visitors within a day reaches it; then the
/// oldest are forgotten first, so a returning visitor could count again.
pub const RECENT_LIMIT: usize = 2_000_000;

impl RecentVisitors {
    pub fn new(limit: usize) -> Self {
        Self {
            hasher: std::hash::RandomState::new(),
            // Room for the limit from the start: a growing map moves every
            // entry at once when it doubles, and at 458,752 entries that took
            // 30 ms, with every redirect waiting on this thread. Only the
            // control bytes (4 MB at the limit) are written now; the pages
            // for the entries are only mapped in when first written.
            latest: HashMap::with_capacity(limit),
            limit,
        }
    }

    fn key(&self, code: &str, visitor: &str) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one((code, visitor))
    }

    pub fn latest(&self, code: &str, visitor: &str) -> Option<i64> {
        self.latest.get(&self.key(code, visitor)).copied()
    }

    pub fn record(&mut self, code: &str, visitor: &str, at: i64, now: i64) {
        if self.latest.len() >= self.limit {
            self.forget_old(now);
        }
        let key = self.key(code, visitor);
        let entry = self.latest.entry(key).or_insert(at);
        *entry = (*entry).max(at);
    }

    /// Drops visits older than 24 hours, then, while a quarter is not free,
    /// the older half of what is left of the window, so a flood costs one
    /// sweep per quarter of the limit rather than one per click.
    fn forget_old(&mut self, now: i64) {
        let mut window = DAY_MS;
        loop {
            self.latest.retain(|_, at| *at > now - window);
            if self.latest.len() <= self.limit * 3 / 4 || window < 1_000 {
                break;
            }
            window /= 2;
        }
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
        assert!(recent.latest.len() <= 4);
    }
}
