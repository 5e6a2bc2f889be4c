//! SQL for screens: pairing, display sessions, and what a screen shows.

use std::collections::{HashMap, HashSet};

use super::{
    parse_panels, CompanyChannels, Happened, PairingLink, Reach, ScreenInput, ScreenRow,
    TickerItem, TvData, TvState, PAIR_VALID_MS,
};
use crate::base::change::{Changed, Fact};
use crate::base::db::{now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::session::ssr::{random_token, sha256_hex};
use crate::base::state::AppState;
use crate::leaderboard::ssr::company_top;
use crate::leaderboard::{Period, Ranked};
use crate::networks::Network;
use crate::people::GroupKind;
use crate::share::intent::Channel;

const COMPANY_KEY: &str = "company_channels";
const TICKER_LEN: i64 = 15;
const KUDOS_LEN: i64 = 6;

/// 128 random bits, as the issue asks of pairing tokens.
fn pairing_token() -> String {
    random_token()[..32].to_string()
}

fn link(base_url: &str, screen_id: i64, token: &str) -> PairingLink {
    PairingLink {
        screen_id,
        url: format!("{}/tv/pair/{token}", base_url.trim_end_matches('/')),
    }
}

fn panels_code(input: &ScreenInput) -> String {
    input
        .panels
        .iter()
        .map(|p| p.code())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(sqlx::FromRow)]
struct ScreenListRow {
    id: i64,
    name: String,
    panels: String,
    rotate_seconds: i64,
    revoked_at: Option<i64>,
    pair_token_hash: Option<String>,
    pair_expires_at: Option<i64>,
    paired: i64,
    last_seen: Option<i64>,
}

pub async fn list(db: &Db) -> AppResult<Vec<ScreenRow>> {
    let now = now_ms();
    let rows: Vec<ScreenListRow> = sqlx::query_as(
        "SELECT s.id, s.name, s.panels, s.rotate_seconds, s.revoked_at, s.pair_token_hash, \
         s.pair_expires_at, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM display_sessions d WHERE d.screen_id = s.id) AS paired, \
         (SELECT MAX(d.last_seen_at) FROM display_sessions d WHERE d.screen_id = s.id) AS last_seen \
         FROM display_screens s ORDER BY s.name, s.id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ScreenRow {
            id: r.id,
            name: r.name,
            panels: parse_panels(&r.panels),
            rotate_seconds: r.rotate_seconds,
            paired: r.paired,
            last_seen: r.last_seen,
            revoked: r.revoked_at.is_some(),
            pairing_open: r.pair_token_hash.is_some()
                && r.revoked_at.is_none()
                && r.pair_expires_at.is_some_and(|e| e > now),
        })
        .collect())
}

pub async fn create(db: &Db, base_url: &str, input: &ScreenInput) -> AppResult<PairingLink> {
    let token = pairing_token();
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO display_screens (name, panels, rotate_seconds, pair_token_hash, \
         pair_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&input.name)
    .bind(panels_code(input))
    .bind(input.rotate_seconds)
    .bind(sha256_hex(&token))
    .bind(now + PAIR_VALID_MS)
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(link(base_url, id, &token))
}

pub async fn new_link(db: &Db, base_url: &str, id: i64) -> AppResult<PairingLink> {
    let token = pairing_token();
    let done = sqlx::query(
        "UPDATE display_screens SET pair_token_hash = $1, pair_expires_at = $2 \
         WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(sha256_hex(&token))
    .bind(now_ms() + PAIR_VALID_MS)
    .bind(id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(link(base_url, id, &token))
}

pub async fn revoke(db: &Db, id: i64) -> AppResult<Changed<()>> {
    let done = sqlx::query(
        "UPDATE display_screens SET revoked_at = COALESCE(revoked_at, $1), pair_token_hash = NULL \
         WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Changed::new((), Fact::ScreenChanged { screen: id }))
}

/// The name of the screen a pairing token would pair, without using it up
/// (a link preview or prefetch opening the link must pair nothing).
pub async fn pairing_screen(db: &Db, token: &str) -> AppResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM display_screens \
         WHERE pair_token_hash = $1 AND pair_expires_at > $2 AND revoked_at IS NULL",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(db)
    .await?)
}

/// Trades a pairing token for a display session: returns the cookie value,
/// or None when the link is unknown, used, expired or revoked. The token
/// works once.
pub async fn pair(db: &Db, token: &str) -> AppResult<Option<String>> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    let screen: Option<i64> = sqlx::query_scalar(
        "UPDATE display_screens SET pair_token_hash = NULL \
         WHERE pair_token_hash = $1 AND pair_expires_at > $2 AND revoked_at IS NULL RETURNING id",
    )
    .bind(sha256_hex(token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(screen) = screen else {
        return Ok(None);
    };
    let session = random_token();
    sqlx::query(
        "INSERT INTO display_sessions (token_hash, screen_id, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(sha256_hex(&session))
    .bind(screen)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(session))
}

/// The screen a display cookie belongs to: `Some((id, revoked))`.
pub async fn screen_of(db: &Db, cookie: &str) -> AppResult<Option<(i64, bool)>> {
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.id, s.revoked_at FROM display_sessions d JOIN display_screens s ON s.id = d.screen_id \
         WHERE d.token_hash = $1",
    )
    .bind(sha256_hex(cookie))
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id, revoked)| (id, revoked.is_some())))
}

const SEEN_EVERY_MS: i64 = 60_000;

pub async fn tv(state: &AppState, cookie: &str, now: i64) -> AppResult<TvState> {
    let db = &state.db;
    let Some((id, revoked)) = screen_of(db, cookie).await? else {
        return Ok(TvState::Unpaired);
    };
    if revoked {
        return Ok(TvState::Revoked);
    }
    // A screen refreshes on every burst of points; a write each time would
    // turn a read path into a write path for "seen" to the minute.
    sqlx::query(
        "UPDATE display_sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $3",
    )
    .bind(now)
    .bind(sha256_hex(cookie))
    .bind(now - SEEN_EVERY_MS)
    .execute(db)
    .await?;
    #[derive(sqlx::FromRow)]
    struct ScreenRow {
        name: String,
        panels: String,
        rotate_seconds: i64,
    }
    let screen: ScreenRow =
        sqlx::query_as("SELECT name, panels, rotate_seconds FROM display_screens WHERE id = $1")
            .bind(id)
            .fetch_one(db)
            .await?;
    let period = Period::Month;
    let rankings = crate::leaderboard::ssr::rankings()?;
    let (shared, live) = (&*rankings, &state.live);
    let people = company_top(db, shared, live, Ranked::People, period, now).await?;
    let teams = company_top(
        db,
        shared,
        live,
        Ranked::Groups(GroupKind::Team),
        period,
        now,
    )
    .await?;
    Ok(TvState::Live(Box::new(TvData {
        name: screen.name,
        panels: parse_panels(&screen.panels),
        rotate_seconds: screen.rotate_seconds,
        people,
        teams,
        ticker: ticker(db).await?,
        reach: reach(db, period.start(now)).await?,
        kudos: crate::kudos::ssr::recent_public(db, KUDOS_LEN).await?,
        challenge: crate::challenges::ssr::on_tv(db, now).await?,
    })))
}

async fn ticker(db: &Db) -> AppResult<Vec<TickerItem>> {
    #[derive(sqlx::FromRow)]
    struct ShareRow {
        name: String,
        title: String,
        channel: String,
        at: i64,
    }
    let rows: Vec<ShareRow> = sqlx::query_as(&format!(
        "SELECT p.name, i.title, s.channel, s.at FROM shares s \
         JOIN people p ON p.id = s.person_id JOIN content_items i ON i.id = s.item_id \
         WHERE p.active = 1 AND p.on_boards = 1 ORDER BY s.at DESC, s.id DESC LIMIT {TICKER_LEN}"
    ))
    .fetch_all(db)
    .await?;
    let shares = rows.into_iter().filter_map(|r| {
        Channel::parse(&r.channel).map(|channel| TickerItem {
            name: r.name,
            what: Happened::Shared {
                title: r.title,
                channel,
            },
            at: r.at,
        })
    });
    // Public thanks run in the same line, newest first.
    let thanks = crate::kudos::ssr::recent_public(db, TICKER_LEN)
        .await?
        .into_iter()
        .map(|k| TickerItem {
            name: k.giver,
            what: Happened::Thanked {
                recipient: k.recipient,
            },
            at: k.at,
        });
    let mut all: Vec<TickerItem> = shares.chain(thanks).collect();
    all.sort_by_key(|t| std::cmp::Reverse(t.at));
    all.truncate(TICKER_LEN as usize);
    Ok(all)
}

async fn reach(db: &Db, since: i64) -> AppResult<Reach> {
    let shared: Vec<(i64, String)> =
        sqlx::query_as("SELECT DISTINCT person_id, channel FROM shares WHERE at >= $1")
            .bind(since)
            .fetch_all(db)
            .await?;
    let sharers: HashSet<i64> = shared.iter().map(|(p, _)| *p).collect();
    #[derive(sqlx::FromRow)]
    struct AudienceRow {
        person_id: i64,
        network: String,
        audience: i64,
    }
    let audiences: Vec<AudienceRow> =
        sqlx::query_as("SELECT person_id, network, audience FROM social_accounts")
            .fetch_all(db)
            .await?;
    let audience: HashMap<(i64, &str), i64> = audiences
        .iter()
        .map(|a| ((a.person_id, a.network.as_str()), a.audience))
        .collect();
    let mut counted: HashSet<(i64, Network)> = HashSet::new();
    let mut employees = 0;
    for (person, channel) in &shared {
        let Some(network) = Channel::parse(channel).and_then(|c| c.network()) else {
            continue;
        };
        if counted.insert((*person, network)) {
            employees += audience
                .get(&(*person, network.code()))
                .copied()
                .unwrap_or(0);
        }
    }
    let company = company_channels(db)
        .await?
        .audiences
        .iter()
        .map(|(_, a)| a)
        .sum();
    Ok(Reach {
        company,
        employees,
        sharers: sharers.len() as i64,
    })
}

pub async fn company_channels(db: &Db) -> AppResult<CompanyChannels> {
    crate::base::db::setting(db, COMPANY_KEY).await
}

pub async fn save_company_channels(db: &Db, channels: &CompanyChannels) -> AppResult<Changed<()>> {
    crate::base::db::save_setting(db, COMPANY_KEY, channels)
        .await
        .map(|()| Changed::new((), Fact::CompanyChannelsChanged))
}
