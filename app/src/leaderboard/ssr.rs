//! Leaderboard queries over `points_totals` (one row per person and period).

use sqlx::Row;

use super::{ranks, standing_of, Leaderboard, Period, Ranked, Standing, TOP};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::people::{GroupKind, GroupRef};

async fn my_groups(db: &Db, me: i64) -> AppResult<Vec<GroupRef>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT g.id, g.kind, g.name FROM group_members m JOIN org_groups g ON g.id = m.group_id \
         WHERE m.person_id = $1 ORDER BY g.kind, g.name",
    )
    .bind(me)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, name)| {
            GroupKind::parse(&kind).map(|kind| GroupRef { id, kind, name })
        })
        .collect())
}

pub async fn board(
    db: &Db,
    me: i64,
    ranked: Ranked,
    period: Period,
    group: Option<i64>,
    now: i64,
) -> AppResult<Leaderboard> {
    let start = period.start(now);
    let my_groups = my_groups(db, me).await?;
    let (top, mine) = match ranked {
        Ranked::People => {
            // Narrowing to a group is for one's own groups only.
            if group.is_some_and(|g| !my_groups.iter().any(|m| m.id == g)) {
                return Err(AppError::Invalid(T::ErrGroupUnknown));
            }
            people(db, me, period, start, group).await?
        }
        Ranked::Groups(kind) => groups(db, &my_groups, period, start, kind).await?,
    };
    Ok(Leaderboard {
        me: mine.filter(|m| !top.iter().any(|t| t.id == m.id)),
        top,
        my_groups,
    })
}

/// Who counts: active people, in the group when one is given.
const ENTRANTS: &str = "t.period = $1 AND t.start = $2 AND p.active = 1 \
    AND ($3 = 0 OR EXISTS (SELECT 1 FROM group_members m WHERE m.person_id = t.person_id AND m.group_id = $3))";

async fn people(
    db: &Db,
    me: i64,
    period: Period,
    start: i64,
    group: Option<i64>,
) -> AppResult<(Vec<Standing>, Option<Standing>)> {
    let group = group.unwrap_or(0);
    // One row more than shown, to know whether the last shown one is tied.
    let rows = sqlx::query(&format!(
        "SELECT t.person_id, p.name, t.points FROM points_totals t JOIN people p ON p.id = t.person_id \
         WHERE {ENTRANTS} ORDER BY t.points DESC, p.name, t.person_id LIMIT {}",
        TOP + 1
    ))
    .bind(period.code())
    .bind(start)
    .bind(group)
    .fetch_all(db)
    .await?;
    let mut list: Vec<(i64, String, i64)> = Vec::with_capacity(rows.len());
    for r in rows {
        list.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    let points: Vec<i64> = list.iter().map(|r| r.2).collect();
    let ranked = ranks(&points);
    let top = list
        .into_iter()
        .zip(ranked)
        .take(TOP)
        .map(|((id, name, points), (rank, tied))| Standing {
            rank,
            tied,
            id,
            name,
            points,
            mine: id == me,
        })
        .collect();
    let mine: Option<(String, i64)> = sqlx::query_as(&format!(
        "SELECT p.name, t.points FROM points_totals t JOIN people p ON p.id = t.person_id \
         WHERE {ENTRANTS} AND t.person_id = $4"
    ))
    .bind(period.code())
    .bind(start)
    .bind(group)
    .bind(me)
    .fetch_optional(db)
    .await?;
    let Some((name, points)) = mine else {
        return Ok((top, None));
    };
    let (above, equal): (i64, i64) = sqlx::query_as(&format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN t.points > $4 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN t.points = $4 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM points_totals t JOIN people p ON p.id = t.person_id WHERE {ENTRANTS} AND t.points >= $4"
    ))
    .bind(period.code())
    .bind(start)
    .bind(group)
    .bind(points)
    .fetch_one(db)
    .await?;
    let (rank, tied) = standing_of(above, equal);
    Ok((
        top,
        Some(Standing {
            rank,
            tied,
            id: me,
            name,
            points,
            mine: true,
        }),
    ))
}

async fn groups(
    db: &Db,
    my_groups: &[GroupRef],
    period: Period,
    start: i64,
    kind: GroupKind,
) -> AppResult<(Vec<Standing>, Option<Standing>)> {
    // Groups are few (hundreds at most), so all are summed and ranked here.
    let rows = sqlx::query(
        "SELECT g.id, g.name, CAST(SUM(t.points) AS BIGINT) AS points FROM points_totals t \
         JOIN people p ON p.id = t.person_id \
         JOIN group_members m ON m.person_id = t.person_id \
         JOIN org_groups g ON g.id = m.group_id \
         WHERE t.period = $1 AND t.start = $2 AND p.active = 1 AND g.kind = $3 \
         GROUP BY g.id, g.name ORDER BY points DESC, g.name, g.id",
    )
    .bind(period.code())
    .bind(start)
    .bind(kind.code())
    .fetch_all(db)
    .await?;
    let mut list: Vec<(i64, String, i64)> = Vec::with_capacity(rows.len());
    for r in rows {
        list.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    let points: Vec<i64> = list.iter().map(|r| r.2).collect();
    let mine_ids: Vec<i64> = my_groups
        .iter()
        .filter(|g| g.kind == kind)
        .map(|g| g.id)
        .collect();
    let all: Vec<Standing> = list
        .into_iter()
        .zip(ranks(&points))
        .map(|((id, name, points), (rank, tied))| Standing {
            rank,
            tied,
            id,
            name,
            points,
            mine: mine_ids.contains(&id),
        })
        .collect();
    let mine = all.iter().find(|s| s.mine).cloned();
    Ok((all.into_iter().take(TOP).collect(), mine))
}
