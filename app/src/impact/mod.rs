//! "My impact": what a person's sharing has done, in figures.

#[cfg(feature = "ssr")]
mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::share::intent::Channel;

pub use ui::ImpactPage;

pub const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// How many weeks the "over time" table shows.
pub const WEEKS: usize = 12;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelImpact {
    pub channel: Channel,
    pub shares: i64,
    pub clicks: i64,
    /// The declared audience of the network, once it has been shared to.
    pub reach: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WeekImpact {
    /// Monday 00:00 UTC, in ms.
    pub week_start: i64,
    pub shares: i64,
    pub clicks: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityKind {
    Share,
    Bonus,
    Click,
    /// An own post approved for the hub.
    Creator,
    Other,
}

impl ActivityKind {
    /// From `points_ledger.reason`, as `base::ledger::Reason` names it.
    pub fn from_reason(reason: &str) -> Self {
        use crate::base::ledger::Reason;
        match Reason::parse(reason) {
            Some(Reason::Share) => ActivityKind::Share,
            Some(Reason::Bonus) => ActivityKind::Bonus,
            Some(Reason::Click) => ActivityKind::Click,
            Some(Reason::Creator) => ActivityKind::Creator,
            _ => ActivityKind::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub at: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub channel: Option<Channel>,
    pub points: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    pub shares: i64,
    pub qualified_clicks: i64,
    pub raw_clicks: i64,
    pub potential_reach: i64,
    pub lifetime_points: i64,
    pub spendable_points: i64,
    pub by_channel: Vec<ChannelImpact>,
    /// Oldest first, the current week last.
    pub weeks: Vec<WeekImpact>,
    pub latest: Vec<Activity>,
    /// The next reward worth saving for, or one to have now.
    pub next_reward: Option<crate::base::home_note::HomeNote>,
}

/// The Monday 00:00 UTC on or before `at` (1970-01-01 was a Thursday).
pub fn week_start(at: i64) -> i64 {
    const MONDAY_OFFSET: i64 = 4 * 24 * 60 * 60 * 1000;
    at - (at - MONDAY_OFFSET).rem_euclid(WEEK_MS)
}

/// What happened in a week: one share, one qualified click, or points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Share,
    Click,
    Points(i64),
}

/// Buckets events into the last `weeks` weeks up to `now`; older events are
/// left out.
pub fn weekly(events: &[(i64, Event)], now: i64, weeks: usize) -> Vec<WeekImpact> {
    let current = week_start(now);
    let mut out: Vec<WeekImpact> = (0..weeks as i64)
        .rev()
        .map(|back| WeekImpact {
            week_start: current - back * WEEK_MS,
            ..Default::default()
        })
        .collect();
    for &(at, event) in events {
        let start = week_start(at);
        if let Some(week) = out.iter_mut().find(|w| w.week_start == start) {
            match event {
                Event::Share => week.shares += 1,
                Event::Click => week.clicks += 1,
                Event::Points(p) => week.points += p,
            }
        }
    }
    out
}

#[server(prefix = "/api", endpoint = "my_impact")]
pub async fn my_impact() -> Result<Impact, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::impact(&state.db, me.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-27 (a Friday) 12:00 UTC, and the Monday of that week.
    const FRIDAY: i64 = 1_795_780_800_000;
    const MONDAY: i64 = 1_795_392_000_000;

    #[test]
    fn weeks_start_on_monday_utc() {
        assert_eq!(week_start(FRIDAY), MONDAY);
        assert_eq!(week_start(MONDAY), MONDAY);
        assert_eq!(week_start(MONDAY - 1), MONDAY - WEEK_MS);
    }

    #[test]
    fn events_fall_into_their_week() {
        let events = [
            (FRIDAY, Event::Share),
            (FRIDAY, Event::Points(10)),
            (MONDAY - 1, Event::Click),
            (MONDAY - 1, Event::Points(2)),
            (MONDAY - 3 * WEEK_MS, Event::Share),
        ];
        let weeks = weekly(&events, FRIDAY, 2);
        assert_eq!(
            weeks,
            vec![
                WeekImpact {
                    week_start: MONDAY - WEEK_MS,
                    shares: 0,
                    clicks: 1,
                    points: 2
                },
                WeekImpact {
                    week_start: MONDAY,
                    shares: 1,
                    clicks: 0,
                    points: 10
                },
            ]
        );
    }
}
