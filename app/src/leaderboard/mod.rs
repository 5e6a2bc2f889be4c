//! The leaderboard (issue #5): people and groups ranked by the points they
//! earned in a period, read from the totals the database keeps per period
//! (kept by `base::ledger`), and updated live as points are paid.

#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::people::{GroupKind, GroupRef};

pub use ui::LeaderboardPage;

/// Rows shown above "you".
pub const TOP: usize = 10;

/// The periods are the ledger's: it keeps the totals the boards read.
pub use crate::base::ledger::Period;

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
}
