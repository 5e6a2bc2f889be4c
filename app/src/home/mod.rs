//! The start page: a person's day at a glance. Points, rank and streak, one
//! item worth sharing now, and for reviewers and admins what waits for
//! them. Above the other features: it only reads what they record.

#[cfg(feature = "ssr")]
mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::hub::HubCard;
use crate::impact::WEEK_MS;
use crate::points::PointRules;

pub use ui::Home;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyDay {
    pub spendable_points: i64,
    pub week_points: i64,
    /// This week's rank among everyone, and last week's (None: no points).
    pub rank: Option<u32>,
    pub rank_last_week: Option<u32>,
    /// Weeks in a row with a share, up to this week (or last week, while
    /// this one has none yet).
    pub streak_weeks: u32,
    pub shared_this_week: bool,
    /// The newest item the person has not shared yet, else the newest.
    pub suggestion: Option<HubCard>,
    pub rules: PointRules,
    /// For reviewers and admins: posts submitted or in review.
    pub to_review: Option<i64>,
    /// For admins.
    pub attention: Option<Attention>,
    /// What the other features have to say (the extension point: see
    /// `base::home_note`), in order.
    pub notes: Vec<crate::base::home_note::HomeNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Attention {
    /// Posts that have waited on the board for more than two days.
    pub waiting_long: i64,
    /// Invitations sent and not yet used.
    pub invited: i64,
    /// Live items that expire within a week.
    pub expiring: i64,
    /// Active people who have declared no network.
    pub without_networks: i64,
    /// Demo accounts that still sign in with the published password.
    pub demo_accounts: i64,
}

impl Attention {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// How a rank moved since last week: positive is up.
pub fn rank_change(now: Option<u32>, before: Option<u32>) -> Option<i64> {
    Some(i64::from(before?) - i64::from(now?))
}

/// Weeks in a row with a share, counted back from the current week (given
/// by its start): a week without one yet does not break the streak until it
/// is over. `weeks` are the starts of weeks with a share, in any order.
pub fn streak(weeks: &[i64], current: i64) -> u32 {
    let has = |w: i64| weeks.contains(&w);
    let mut week = if has(current) {
        current
    } else {
        current - WEEK_MS
    };
    let mut n = 0;
    while has(week) {
        n += 1;
        week -= WEEK_MS;
    }
    n
}

#[server(prefix = "/api", endpoint = "my_day")]
pub async fn load_home() -> Result<MyDay, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::my_day(&state.db, &me, crate::base::db::now_ms()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: i64 = WEEK_MS;

    #[test]
    fn a_streak_counts_weeks_in_a_row_and_waits_for_the_current_one() {
        let now = 100 * W;
        assert_eq!(streak(&[], now), 0);
        assert_eq!(streak(&[now], now), 1);
        // Nothing yet this week: last week's streak still stands.
        assert_eq!(streak(&[now - W, now - 2 * W], now), 2);
        // A gap ends it.
        assert_eq!(streak(&[now, now - W, now - 3 * W], now), 2);
        assert_eq!(streak(&[now - 2 * W], now), 0);
        // Order and duplicates do not matter.
        assert_eq!(streak(&[now - W, now, now, now - 2 * W], now), 3);
    }

    #[test]
    fn a_rank_change_is_positive_upwards() {
        assert_eq!(rank_change(Some(3), Some(7)), Some(4));
        assert_eq!(rank_change(Some(7), Some(3)), Some(-4));
        assert_eq!(rank_change(Some(1), None), None);
        assert_eq!(rank_change(None, Some(1)), None);
    }
}
