//! The leaderboard (issue #5): people and groups ranked by the points they
//! earned in a period, read from the totals the database keeps per period
//! (see migration 0008), and updated live as points are paid.

#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use chrono::{Datelike, TimeZone};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
use crate::people::{GroupKind, GroupRef};

pub use ui::LeaderboardPage;

const DAY_MS: i64 = 86_400_000;
/// Rows shown above "you".
pub const TOP: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Week,
    Month,
    Quarter,
    AllTime,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Week,
        Period::Month,
        Period::Quarter,
        Period::AllTime,
    ];

    /// As stored in `points_totals.period`.
    pub fn code(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::AllTime => "all",
        }
    }

    pub fn parse(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Period::Week => T::PeriodWeek,
            Period::Month => T::PeriodMonth,
            Period::Quarter => T::PeriodQuarter,
            Period::AllTime => T::PeriodAll,
        }
    }

    /// When the period holding `ms` began (UTC ms; weeks start on Monday).
    /// Must agree with the trigger in migration 0008.
    pub fn start(self, ms: i64) -> i64 {
        let month_start = |quarter: bool| {
            let Some(d) = chrono::Utc.timestamp_millis_opt(ms).single() else {
                return 0;
            };
            let m0 = d.month0() - if quarter { d.month0() % 3 } else { 0 };
            chrono::Utc
                .with_ymd_and_hms(d.year(), m0 + 1, 1, 0, 0, 0)
                .single()
                .map_or(0, |s| s.timestamp_millis())
        };
        match self {
            Period::AllTime => 0,
            Period::Week => {
                let day = ms.div_euclid(DAY_MS);
                // Day 0 (1 January 1970) was a Thursday.
                (day - (day + 3).rem_euclid(7)) * DAY_MS
            }
            Period::Month => month_start(false),
            Period::Quarter => month_start(true),
        }
    }
}

/// Whom the board ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ranked {
    People,
    Groups(GroupKind),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub rank: u32,
    /// Someone else has exactly as many points.
    pub tied: bool,
    pub id: i64,
    pub name: String,
    pub points: i64,
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub top: Vec<Standing>,
    /// The caller (or their group) when not in `top`; None when they have
    /// no points in the period.
    pub me: Option<Standing>,
    /// The groups the caller can narrow the people board to.
    pub my_groups: Vec<GroupRef>,
}

/// Competition ranking of points sorted from high to low: equal points
/// share a rank and the next rank skips ("1, 2, 2, 4"). Returns each row's
/// rank and whether it is tied.
pub fn ranks(points: &[i64]) -> Vec<(u32, bool)> {
    let mut out = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let first = points[..i]
            .iter()
            .rposition(|q| q != p)
            .map_or(0, |j| j + 1);
        let tied = (i > 0 && points[i - 1] == *p) || points.get(i + 1) == Some(p);
        out.push((first as u32 + 1, tied));
    }
    out
}

/// Where someone with `mine` points stands, given how many have more and
/// how many (including them) have exactly as many.
pub fn standing_of(above: i64, equal: i64) -> (u32, bool) {
    (above as u32 + 1, equal > 1)
}

#[server(prefix = "/api", endpoint = "leaderboard", input = server_fn::codec::Json)]
pub async fn load_leaderboard(
    ranked: Ranked,
    period: Period,
    group: Option<i64>,
) -> Result<Leaderboard, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::shared_board(
        &state,
        &*ssr::rankings()?,
        me.id,
        ranked,
        period,
        group,
        crate::base::db::now_ms(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        assert_eq!(
            ranks(&[50, 40, 40, 30, 10, 10]),
            [
                (1, false),
                (2, true),
                (2, true),
                (4, false),
                (5, true),
                (5, true)
            ]
        );
        assert_eq!(ranks(&[]), []);
        assert_eq!(ranks(&[7, 7, 7]), [(1, true), (1, true), (1, true)]);
        assert_eq!(standing_of(0, 1), (1, false));
        assert_eq!(standing_of(11, 3), (12, true));
    }

    #[test]
    fn periods_start_where_the_database_starts_them() {
        // Wednesday 2026-11-25 15:30 UTC.
        let ms = chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 15, 30, 0)
            .unwrap()
            .timestamp_millis();
        let at = |y, m, d| {
            chrono::Utc
                .with_ymd_and_hms(y, m, d, 0, 0, 0)
                .unwrap()
                .timestamp_millis()
        };
        assert_eq!(Period::Week.start(ms), at(2026, 11, 23));
        assert_eq!(Period::Month.start(ms), at(2026, 11, 1));
        assert_eq!(Period::Quarter.start(ms), at(2026, 10, 1));
        assert_eq!(Period::AllTime.start(ms), 0);
        // A Monday starts its own week; a Sunday belongs to the one before.
        assert_eq!(Period::Week.start(at(2026, 11, 23)), at(2026, 11, 23));
        assert_eq!(Period::Week.start(at(2026, 11, 22) + 1), at(2026, 11, 16));
        assert_eq!(Period::Quarter.start(at(2026, 3, 31)), at(2026, 1, 1));
        for p in Period::ALL {
            assert_eq!(Period::parse(p.code()), Some(p));
        }
    }
}
