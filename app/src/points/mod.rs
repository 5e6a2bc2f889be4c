//! Points: the rules an admin sets and what an event earns under them.
//! The ledger that records them (append-only, one entry per source key)
//! comes with the content hub (issue #3).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointRules {
    pub per_share: i64,
    pub per_qualified_click: i64,
    /// Extra for a share whose text the person wrote in their own words.
    pub personalised_bonus: i64,
    /// At most this many click points per share and UTC day, so that one
    /// viral post (or a big network) does not drown everyone else.
    pub daily_click_cap_per_share: i64,
}

impl Default for PointRules {
    fn default() -> Self {
        Self {
            per_share: 10,
            per_qualified_click: 2,
            personalised_bonus: 5,
            daily_click_cap_per_share: 40,
        }
    }
}

/// Points for one share.
pub fn share_points(rules: &PointRules, personalised: bool) -> i64 {
    rules.per_share
        + if personalised {
            rules.personalised_bonus
        } else {
            0
        }
}

/// Points for one more qualified click on a share that has already earned
/// `paid_today` click points today: never more than the cap leaves.
pub fn click_points(rules: &PointRules, paid_today: i64) -> i64 {
    let room = (rules.daily_click_cap_per_share - paid_today).max(0);
    rules.per_qualified_click.clamp(0, room)
}

/// The ledger's idempotency keys: one entry per source, ever.
pub fn share_key(share_id: i64) -> String {
    format!("share:{share_id}")
}

pub fn click_key(click_id: i64) -> String {
    format!("click:{click_id}")
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether the person made the suggested text their own: at least three
/// words of theirs, or a fifth of the words changed. Case, punctuation and
/// spacing edits do not count; rehearsed identical copies are what the
/// product wants to discourage.
pub fn is_personalised(suggested: &str, shared: &str) -> bool {
    let suggested = words(suggested);
    let shared = words(shared);
    if shared.is_empty() {
        return false;
    }
    let new_words = shared.iter().filter(|w| !suggested.contains(w)).count();
    let dropped = suggested.iter().filter(|w| !shared.contains(w)).count();
    let changed = new_words + dropped;
    new_words >= 3 || changed * 5 >= suggested.len().max(shared.len()).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_earn_a_bonus_for_own_words() {
        let rules = PointRules::default();
        assert_eq!(share_points(&rules, false), 10);
        assert_eq!(share_points(&rules, true), 15);
    }

    #[test]
    fn click_points_stop_at_the_daily_cap() {
        let rules = PointRules {
            per_qualified_click: 3,
            daily_click_cap_per_share: 10,
            ..Default::default()
        };
        assert_eq!(click_points(&rules, 0), 3);
        assert_eq!(click_points(&rules, 6), 3);
        assert_eq!(click_points(&rules, 9), 1);
        assert_eq!(click_points(&rules, 10), 0);
        assert_eq!(click_points(&rules, 25), 0);
        let off = PointRules {
            per_qualified_click: 0,
            ..rules
        };
        assert_eq!(click_points(&off, 0), 0);
    }

    #[test]
    fn personalisation_needs_real_words() {
        let suggested = "We are opening a new office in Göteborg this autumn. Come and see us!";
        assert!(!is_personalised(suggested, suggested));
        assert!(!is_personalised(suggested, &suggested.to_uppercase()));
        assert!(!is_personalised(
            suggested,
            "We are opening a new office in Göteborg this autumn!! Come and see us"
        ));
        assert!(!is_personalised(suggested, ""));
        assert!(is_personalised(
            suggested,
            &format!("So happy that my team moves in: {suggested}")
        ));
        assert!(is_personalised(
            suggested,
            "Our new Göteborg office opens this autumn, and I will be working there."
        ));
    }

    #[test]
    fn ledger_keys_are_distinct_per_source() {
        assert_eq!(share_key(7), "share:7");
        assert_eq!(click_key(7), "click:7");
        assert_ne!(share_key(7), click_key(7));
    }
}
