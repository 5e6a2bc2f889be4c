//! What the start page reads: a handful of small queries, each on an index
//! (the ledger by person, the weekly totals, shares by person).

use super::{streak, Attention, MyDay};
use crate::base::db::Db;
use crate::base::error::AppResult;
use crate::base::ledger::ssr::balances;
use crate::base::session::{Me, Role};
use crate::content::CURATORS;
use crate::impact::{week_start, WEEK_MS};
use crate::leaderboard::ssr::standing;
use crate::leaderboard::Period;
use crate::points::ssr::load_rules;

/// How far back the streak looks: a year of weeks.
const STREAK_WEEKS: i64 = 52;
/// A post waiting longer than this needs an admin's eye.
const WAITING_LONG_MS: i64 = 2 * 24 * 3600 * 1000;

pub async fn my_day(db: &Db, me: &Me, now: i64) -> AppResult<MyDay> {
    let week = week_start(now);
    let spendable_points = balances(db, me.id).await?.spendable;
    let this_week = standing(db, me.id, Period::Week, week).await?;
    let last_week = standing(db, me.id, Period::Week, week - WEEK_MS).await?;
    let share_times: Vec<i64> =
        sqlx::query_scalar("SELECT at FROM shares WHERE person_id = $1 AND at >= $2")
            .bind(me.id)
            .bind(week - STREAK_WEEKS * WEEK_MS)
            .fetch_all(db)
            .await?;
    let weeks: Vec<i64> = share_times.iter().map(|at| week_start(*at)).collect();
    let cards = crate::hub::ssr::cards(db, me.id, now, i64::MAX).await?;
    let suggestion = cards
        .iter()
        .find(|c| c.my_channels.is_empty())
        .or(cards.first())
        .cloned();
    let curator = CURATORS.iter().any(|r| me.has(*r));
    let to_review = if curator {
        Some(
            count(
                db,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM content_items \
                 WHERE origin = 'employee' AND stage IN ('submitted', 'in_review')",
            )
            .await?,
        )
    } else {
        None
    };
    let attention = if me.has(Role::Admin) {
        Some(attention(db, now).await?)
    } else {
        None
    };
    Ok(MyDay {
        spendable_points,
        week_points: this_week.as_ref().map_or(0, |s| s.points),
        rank: this_week.map(|s| s.rank),
        rank_last_week: last_week.map(|s| s.rank),
        streak_weeks: streak(&weeks, week),
        shared_this_week: weeks.contains(&week),
        suggestion,
        rules: load_rules(db).await?,
        to_review,
        attention,
        notes: notes(db, me, now).await?,
    })
}

/// Every feature's notes for the start page, in order: a new feature adds
/// its line here and the page shows what it says.
async fn notes(db: &Db, me: &Me, now: i64) -> AppResult<Vec<crate::base::home_note::HomeNote>> {
    let mut all = Vec::new();
    all.extend(crate::rewards::ssr::home_notes(db, me, now).await?);
    all.extend(crate::kudos::ssr::home_notes(db, me, now).await?);
    all.extend(crate::challenges::ssr::home_notes(db, me, now).await?);
    Ok(all)
}

async fn count(db: &Db, sql: &str) -> AppResult<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(db).await?)
}

/// A count of what is due by a time, `$1`.
async fn count_at(db: &Db, sql: &str, at: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(sql).bind(at).fetch_one(db).await?)
}

async fn attention(db: &Db, now: i64) -> AppResult<Attention> {
    Ok(Attention {
        waiting_long: count_at(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM content_items WHERE origin = 'employee' \
             AND stage IN ('submitted', 'in_review') AND stage_at < $1",
            now - WAITING_LONG_MS,
        )
        .await?,
        invited: count_at(
            db,
            "SELECT CAST(COUNT(DISTINCT i.person_id) AS BIGINT) FROM invites i \
             JOIN people p ON p.id = i.person_id \
             WHERE i.used_at IS NULL AND i.expires_at > $1 AND p.active = 1 \
             AND p.password_hash IS NULL",
            now,
        )
        .await?,
        expiring: count_at(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM content_items WHERE status = 'published' \
                 AND expires_at > $1 AND expires_at <= $1 + {WEEK_MS}"
            ),
            now,
        )
        .await?,
        without_networks: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM people p WHERE p.active = 1 \
             AND NOT EXISTS (SELECT 1 FROM social_accounts s WHERE s.person_id = p.id)",
        )
        .await?,
        demo_accounts: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM people WHERE is_demo = 1 AND active = 1 \
             AND password_hash IS NOT NULL",
        )
        .await?,
    })
}
