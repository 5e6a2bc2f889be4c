//! Leaderboard queries over `points_totals` (one row per person and period).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{ranks, standing_of, Leaderboard, Period, Ranked, Standing, TOP};
use crate::base::db::Db;
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::live::Bus;
use crate::base::state::AppState;
use crate::people::GroupKind;

/// The board as `me` sees it, ranked afresh from the totals.
pub async fn board(
    db: &Db,
    me: i64,
    ranked: Ranked,
    period: Period,
    group: Option<i64>,
    now: i64,
) -> AppResult<Leaderboard> {
    board_from(db, None, me, ranked, period, group, now).await
}

/// Like `board`, with the ranking everyone sees shared through `shared`:
/// when points are paid every open board reloads at once, and all but one
/// of them then find the ranking already made.
pub async fn shared_board(
    state: &AppState,
    rankings: &Rankings,
    me: i64,
    ranked: Ranked,
    period: Period,
    group: Option<i64>,
    now: i64,
) -> AppResult<Leaderboard> {
    let shared = Some((rankings, &state.live));
    board_from(&state.db, shared, me, ranked, period, group, now).await
}

async fn board_from(
    db: &Db,
    shared: Option<(&Rankings, &Bus)>,
    me: i64,
    ranked: Ranked,
    period: Period,
    group: Option<i64>,
    now: i64,
) -> AppResult<Leaderboard> {
    let start = period.start(now);
    let my_groups = crate::people::ssr::groups_of(db, me).await?;
    if let (Ranked::People, Some(g)) = (ranked, group) {
        // Narrowing to a group is for one's own groups only.
        if !my_groups.iter().any(|m| m.id == g) {
            return Err(AppError::Invalid(T::ErrGroupUnknown));
        }
    }
    let key = (ranked, period, start, group.unwrap_or(0));
    let ranking = match shared {
        Some((shared, live)) => shared.get(db, key, live).await?,
        None => Arc::new(ranking(db, key).await?),
    };
    let (top, mine) = match ranked {
        Ranked::People => {
            let top = mark(ranking.iter().take(TOP), |id| id == me);
            let mine = if top.iter().any(|s| s.mine) {
                None
            } else {
                my_standing(db, me, period, start, group.unwrap_or(0)).await?
            };
            (top, mine)
        }
        Ranked::Groups(kind) => {
            let mine_ids: Vec<i64> = my_groups
                .iter()
                .filter(|g| g.kind == kind)
                .map(|g| g.id)
                .collect();
            let is_mine = |id| mine_ids.contains(&id);
            let top = mark(ranking.iter().take(TOP), is_mine);
            let mine = if top.iter().any(|s| s.mine) {
                None
            } else {
                mark(ranking.iter().filter(|s| is_mine(s.id)).take(1), is_mine).pop()
            };
            (top, mine)
        }
    };
    Ok(Leaderboard {
        me: mine,
        top,
        my_groups,
    })
}

fn mark<'a>(rows: impl Iterator<Item = &'a Standing>, mine: impl Fn(i64) -> bool) -> Vec<Standing> {
    rows.map(|s| Standing {
        mine: mine(s.id),
        ..s.clone()
    })
    .collect()
}

/// The top of the whole company, for screens: they are nobody, so there is
/// no "me" and no group of their own to look up.
pub async fn company_top(
    db: &Db,
    shared: &Rankings,
    live: &Bus,
    ranked: Ranked,
    period: Period,
    now: i64,
) -> AppResult<Vec<Standing>> {
    let ranking = shared
        .get(db, (ranked, period, period.start(now), 0), live)
        .await?;
    Ok(ranking.iter().take(TOP).cloned().collect())
}

/// Which board: whom, which period, from when, and the group (0 = all).
type Key = (Ranked, Period, i64, i64);

/// The shared rankings, a context of their own beside the app state (the
/// server provides one for every server function).
pub fn rankings() -> AppResult<Arc<Rankings>> {
    leptos::prelude::use_context::<Arc<Rankings>>().ok_or_else(|| {
        tracing::error!("the shared rankings are missing from the context");
        AppError::Internal
    })
}

/// The ranking part of boards, kept until the next live event (the bus's
/// generation) and for at most a few seconds, for the changes that announce
/// nothing (someone renaming themselves in their profile).
#[derive(Default)]
pub struct Rankings {
    // One lock for all boards: the first viewer after an event makes the
    // ranking while the others wait for it instead of making it again.
    made: tokio::sync::Mutex<HashMap<Key, Made>>,
}

struct Made {
    generation: u64,
    at: Instant,
    rows: Arc<Vec<Standing>>,
}

const KEEP: Duration = Duration::from_secs(5);
/// Under a steady stream of points every request would find the ranking out
/// of date and make its own; remade at most this often, whoever asks
/// meanwhile waits for the next one.
const REMAKE_GAP: Duration = Duration::from_millis(250);

impl Rankings {
    async fn get(&self, db: &Db, key: Key, live: &Bus) -> AppResult<Arc<Vec<Standing>>> {
        let asked = live.generation();
        let mut made = self.made.lock().await;
        if let Some(m) = made.get(&key) {
            if m.generation >= asked && m.at.elapsed() < KEEP {
                return Ok(m.rows.clone());
            }
            if let Some(wait) = REMAKE_GAP.checked_sub(m.at.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
        // Read before the query: an event during it leaves this ranking out
        // of date for the next request, never fresh by mistake.
        let generation = live.generation();
        // Old periods' boards are not asked for again.
        made.retain(|_, m| m.at.elapsed() < KEEP);
        let rows = Arc::new(ranking(db, key).await?);
        made.insert(
            key,
            Made {
                generation,
                at: Instant::now(),
                rows: rows.clone(),
            },
        );
        Ok(rows)
    }
}

/// A board's ranking, with nobody's rows marked as theirs: the top (and
/// one more, to see a tie) for people, every group for groups.
async fn ranking(db: &Db, (ranked, period, start, group): Key) -> AppResult<Vec<Standing>> {
    match ranked {
        Ranked::People => people_top(db, period, start, group).await,
        Ranked::Groups(kind) => groups(db, period, start, kind).await,
    }
}

/// Who is in the period, among active people, in the group when one is given.
const IN_PERIOD: &str = "t.period = $1 AND t.start = $2 AND p.active = 1 \
    AND ($3 = 0 OR EXISTS (SELECT 1 FROM group_members m WHERE m.person_id = t.person_id AND m.group_id = $3))";
/// Who is shown: those in the period who have not asked to be left off the
/// boards (they still count in their teams' totals).
const ENTRANTS: &str = "t.period = $1 AND t.start = $2 AND p.active = 1 AND p.on_boards = 1 \
    AND ($3 = 0 OR EXISTS (SELECT 1 FROM group_members m WHERE m.person_id = t.person_id AND m.group_id = $3))";

async fn people_top(db: &Db, period: Period, start: i64, group: i64) -> AppResult<Vec<Standing>> {
    // One row more than shown, to know whether the last shown one is tied.
    let list: Vec<BoardRow> = sqlx::query_as(&format!(
        "SELECT t.person_id AS id, p.name, t.points FROM points_totals t JOIN people p ON p.id = t.person_id \
         WHERE {ENTRANTS} ORDER BY t.points DESC, p.name, t.person_id LIMIT {}",
        TOP + 1
    ))
    .bind(period.code())
    .bind(start)
    .bind(group)
    .fetch_all(db)
    .await?;
    let points: Vec<i64> = list.iter().map(|r| r.points).collect();
    Ok(standings(list, &points, TOP))
}

/// Where `me` stands among everyone in the period that began at `start`
/// (None without points in it): for the start page's rank and its change.
pub async fn standing(db: &Db, me: i64, period: Period, start: i64) -> AppResult<Option<Standing>> {
    my_standing(db, me, period, start, 0).await
}

/// My own standing, for when I am not in the top.
async fn my_standing(
    db: &Db,
    me: i64,
    period: Period,
    start: i64,
    group: i64,
) -> AppResult<Option<Standing>> {
    // A person left off the boards still sees where they would stand among
    // those shown.
    let mine: Option<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT p.name, t.points, p.on_boards FROM points_totals t JOIN people p ON p.id = t.person_id \
         WHERE {IN_PERIOD} AND t.person_id = $4"
    ))
    .bind(period.code())
    .bind(start)
    .bind(group)
    .bind(me)
    .fetch_optional(db)
    .await?;
    let Some((name, points, on_boards)) = mine else {
        return Ok(None);
    };
    let (above, equal) = if group == 0 {
        // Everyone with a total, from the index alone, less those off the
        // boards (few; read through their own partial index).
        let (above, equal) = count_at_or_above(db, COUNT_ALL, period, start, points).await?;
        let (gone_above, gone_equal) =
            count_at_or_above(db, COUNT_INACTIVE, period, start, points).await?;
        (above - gone_above, equal - gone_equal)
    } else {
        sqlx::query_as(&format!(
            "SELECT {} FROM points_totals t JOIN people p ON p.id = t.person_id \
             WHERE {ENTRANTS} AND t.points >= $4",
            counts("$4")
        ))
        .bind(period.code())
        .bind(start)
        .bind(group)
        .bind(points)
        .fetch_one(db)
        .await?
    };
    // The counts leave out whoever is off the boards, so then me too.
    let equal = if on_boards == 1 { equal } else { equal + 1 };
    let (rank, tied) = standing_of(above, equal);
    Ok(Some(Standing {
        rank,
        tied,
        id: me,
        name,
        points,
        mine: true,
    }))
}

/// How many totals are above the points in `param`, and how many equal them.
fn counts(param: &str) -> String {
    format!(
        "CAST(COALESCE(SUM(CASE WHEN t.points > {param} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN t.points = {param} THEN 1 ELSE 0 END), 0) AS BIGINT)"
    )
}
const COUNT_ALL: &str =
    "FROM points_totals t WHERE t.period = $1 AND t.start = $2 AND t.points >= $3";
// CROSS JOIN makes SQLite start from the (few) people off the boards
// (deactivated or opted out; their partial index, 0019); left to itself it
// walks every total above and looks each person up.
const COUNT_INACTIVE: &str =
    "FROM people p CROSS JOIN points_totals t WHERE (p.active = 0 OR p.on_boards = 0) \
    AND t.period = $1 AND t.start = $2 AND t.person_id = p.id AND t.points >= $3";

async fn count_at_or_above(
    db: &Db,
    from: &str,
    period: Period,
    start: i64,
    points: i64,
) -> AppResult<(i64, i64)> {
    let found = sqlx::query_as(&format!("SELECT {} {from}", counts("$3")))
        .bind(period.code())
        .bind(start)
        .bind(points)
        .fetch_one(db)
        .await?;
    Ok(found)
}

async fn groups(db: &Db, period: Period, start: i64, kind: GroupKind) -> AppResult<Vec<Standing>> {
    // Groups are few (hundreds at most), so all are ranked here, from the
    // totals the triggers keep per group (migration 0015): summing every
    // member's total took 16 ms (p95) at 10,000 people and 100 teams.
    let list: Vec<BoardRow> = sqlx::query_as(
        "SELECT g.id, g.name, gt.points FROM group_totals gt JOIN org_groups g ON g.id = gt.group_id \
         WHERE gt.period = $1 AND gt.start = $2 AND gt.entries > 0 AND g.kind = $3 \
         ORDER BY gt.points DESC, g.name, g.id",
    )
    .bind(period.code())
    .bind(start)
    .bind(kind.code())
    .fetch_all(db)
    .await?;
    let points: Vec<i64> = list.iter().map(|r| r.points).collect();
    Ok(standings(list, &points, usize::MAX))
}

/// Ranked rows as standings, at most `take` of them (ties share a rank).
fn standings(list: Vec<BoardRow>, points: &[i64], take: usize) -> Vec<Standing> {
    list.into_iter()
        .zip(ranks(points))
        .take(take)
        .map(|(r, (rank, tied))| Standing {
            rank,
            tied,
            id: r.id,
            name: r.name,
            points: r.points,
            mine: false,
        })
        .collect()
}

/// A person or group with their points, in board order.
#[derive(sqlx::FromRow)]
struct BoardRow {
    id: i64,
    name: String,
    points: i64,
}
