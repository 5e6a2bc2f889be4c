//! SQL for "My impact".

use std::collections::HashMap;

use super::{weekly, Activity, ActivityKind, ChannelImpact, Event, Impact, WEEKS, WEEK_MS};
use crate::base::db::{now_ms, Db};
use crate::base::error::AppResult;
use crate::base::ledger::ssr::balances;
use crate::share::intent::Channel;

/// A ledger entry with the channel and title of what earned it.
#[derive(sqlx::FromRow)]
struct LedgerRow {
    created_at: i64,
    reason: String,
    points: i64,
    channel: Option<String>,
    title: Option<String>,
}

/// A two-column query for one person, as a map.
async fn pairs(db: &Db, person: i64, sql: &str) -> AppResult<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(sql).bind(person).fetch_all(db).await?;
    Ok(rows.into_iter().collect())
}

pub async fn impact(db: &Db, person: i64) -> AppResult<Impact> {
    let now = now_ms();
    let audiences = pairs(
        db,
        person,
        "SELECT network, audience FROM social_accounts WHERE person_id = $1",
    )
    .await?;
    let shares = pairs(db, person, "SELECT channel, CAST(COUNT(*) AS BIGINT) FROM shares WHERE person_id = $1 GROUP BY channel").await?;
    #[derive(sqlx::FromRow)]
    struct ChannelClicks {
        channel: String,
        qualified: i64,
        raw: i64,
    }
    let clicks: Vec<ChannelClicks> = sqlx::query_as(
        "SELECT channel, CAST(SUM(qualified_clicks) AS BIGINT) AS qualified, \
         CAST(SUM(raw_clicks) AS BIGINT) AS raw FROM tracked_links WHERE person_id = $1 GROUP BY channel",
    )
    .bind(person)
    .fetch_all(db)
    .await?;
    let points = pairs(
        db,
        person,
        "SELECT l.channel, CAST(SUM(p.points) AS BIGINT) FROM points_ledger p \
         JOIN tracked_links l ON l.code = p.code WHERE p.person_id = $1 GROUP BY l.channel",
    )
    .await?;

    let mut by_channel = Vec::new();
    for channel in Channel::ALL {
        let code = channel.code();
        let n_shares = shares.get(code).copied().unwrap_or(0);
        let n_clicks = clicks
            .iter()
            .find(|c| c.channel == code)
            .map_or(0, |c| c.qualified);
        let reach = match channel.network() {
            Some(network) if n_shares > 0 => audiences.get(network.code()).copied().unwrap_or(0),
            _ => 0,
        };
        let n_points = points.get(code).copied().unwrap_or(0);
        if n_shares > 0 || n_clicks > 0 || n_points > 0 {
            by_channel.push(ChannelImpact {
                channel,
                shares: n_shares,
                clicks: n_clicks,
                reach,
                points: n_points,
            });
        }
    }

    let since = now - WEEKS as i64 * WEEK_MS;
    let mut events: Vec<(i64, Event)> = Vec::new();
    let share_times: Vec<i64> =
        sqlx::query_scalar("SELECT at FROM shares WHERE person_id = $1 AND at >= $2")
            .bind(person)
            .bind(since)
            .fetch_all(db)
            .await?;
    events.extend(share_times.into_iter().map(|at| (at, Event::Share)));
    let click_times: Vec<i64> = sqlx::query_scalar(
        "SELECT c.at FROM clicks c JOIN tracked_links l ON l.code = c.code \
         WHERE l.person_id = $1 AND c.qualified = 1 AND c.at >= $2",
    )
    .bind(person)
    .bind(since)
    .fetch_all(db)
    .await?;
    events.extend(click_times.into_iter().map(|at| (at, Event::Click)));
    let point_rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT created_at, points FROM points_ledger WHERE person_id = $1 AND created_at >= $2",
    )
    .bind(person)
    .bind(since)
    .fetch_all(db)
    .await?;
    events.extend(point_rows.into_iter().map(|(at, p)| (at, Event::Points(p))));

    let latest_rows: Vec<LedgerRow> = sqlx::query_as(
        "SELECT p.created_at, p.reason, p.points, l.channel, i.title FROM points_ledger p \
         LEFT JOIN tracked_links l ON l.code = p.code \
         LEFT JOIN content_items i ON i.id = COALESCE(l.item_id, p.item_id) \
         WHERE p.person_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT 15",
    )
    .bind(person)
    .fetch_all(db)
    .await?;
    let latest = latest_rows
        .into_iter()
        .map(|r| Activity {
            at: r.created_at,
            kind: ActivityKind::from_reason(&r.reason),
            title: r.title.unwrap_or_default(),
            channel: r.channel.as_deref().and_then(Channel::parse),
            points: r.points,
        })
        .collect();

    let balances = balances(db, person).await?;
    let (lifetime_points, spendable_points) = (balances.lifetime, balances.spendable);
    Ok(Impact {
        shares: by_channel.iter().map(|c| c.shares).sum(),
        qualified_clicks: by_channel.iter().map(|c| c.clicks).sum(),
        raw_clicks: clicks.iter().map(|c| c.raw).sum(),
        potential_reach: by_channel.iter().map(|c| c.reach).sum(),
        lifetime_points,
        spendable_points,
        by_channel,
        weeks: weekly(&events, now, WEEKS),
        latest,
        next_reward: crate::rewards::ssr::next_reward_note(db, person, now).await?,
    })
}
