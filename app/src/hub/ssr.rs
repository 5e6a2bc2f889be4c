//! SQL for the hub and for recording shares.

use std::collections::{HashMap, HashSet};

use super::{order_cards, Hub, HubCard, ShareOutcome};
use crate::base::change::{Changed, Fact};
use crate::base::db::{flag, now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::ledger::{self, Entry};
use crate::content::ssr::{click_counts, texts_in_order, texts_of, TextRow};
use crate::content::suggested_text;
use crate::points::is_personalised;
use crate::points::ssr::load_rules;
use crate::share::intent::Channel;
use crate::share::link::new_code;

/// A visit lasts this long from its first look at the hub; the next look
/// after it starts a new visit, whose "new" marks are measured from the
/// start of the one before. (Measured from the last look instead, someone
/// who checks every twenty minutes never left their first visit, and its
/// marks never cleared.)
const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

/// Items live at `$1` and targeted at person `$2` (no targets = everyone).
const VISIBLE: &str = "i.status = 'published' \
    AND (i.publish_at IS NULL OR i.publish_at <= $1) \
    AND (i.expires_at IS NULL OR i.expires_at > $1) \
    AND (NOT EXISTS (SELECT 1 FROM content_targets t WHERE t.item_id = i.id) \
         OR EXISTS (SELECT 1 FROM content_targets t JOIN group_members m ON m.group_id = t.group_id \
                    WHERE t.item_id = i.id AND m.person_id = $2))";

/// Records this visit; returns the time items must be newer than to be new.
async fn visit(db: &Db, person: i64, now: i64) -> AppResult<i64> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT last_seen, previous_seen FROM hub_visits WHERE person_id = $1")
            .bind(person)
            .fetch_optional(db)
            .await?;
    // `last_seen` holds the start of the current visit.
    let (start, previous) = visit_window(row, now);
    sqlx::query(
        "INSERT INTO hub_visits (person_id, last_seen, previous_seen) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id) DO UPDATE SET last_seen = excluded.last_seen, \
         previous_seen = excluded.previous_seen",
    )
    .bind(person)
    .bind(start)
    .bind(previous)
    .execute(db)
    .await?;
    Ok(previous)
}

/// (start of the current visit, start of the one before) at `now`, given
/// the stored pair; a first visit has nothing before it.
fn visit_window(stored: Option<(i64, i64)>, now: i64) -> (i64, i64) {
    match stored {
        None => (now, 0),
        Some((start, _)) if now - start > VISIT_GAP_MS => (now, start),
        Some((start, previous)) => (start, previous),
    }
}

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    title: String,
    summary: String,
    destination_url: String,
    image_id: Option<i64>,
    origin: String,
    body_md: String,
    author: String,
    live_since: i64,
}

pub async fn hub(db: &Db, person: i64) -> AppResult<Hub> {
    let now = now_ms();
    let since = visit(db, person, now).await?;
    let cards = cards(db, person, now, since).await?;
    let mut all_tags: Vec<String> = cards.iter().flat_map(|c| c.tags.clone()).collect();
    all_tags.sort();
    all_tags.dedup();
    Ok(Hub {
        new_count: cards.iter().filter(|c| c.is_new).count(),
        cards,
        tags: all_tags,
        rules: load_rules(db).await?,
    })
}

/// The cards in this person's hub at `now`, newest first, marked new when
/// they went live after `since`. Records no visit: the start page shows a
/// card without using up the hub's "new" marks.
pub async fn cards(db: &Db, person: i64, now: i64, since: i64) -> AppResult<Vec<HubCard>> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT i.id, i.title, i.summary, i.destination_url, i.image_id, i.origin, i.body_md, \
         COALESCE(p.name, '') AS author, \
         COALESCE(i.publish_at, i.published_at, i.created_at) AS live_since \
         FROM content_items i LEFT JOIN people p ON p.id = i.created_by WHERE {VISIBLE}"
    ))
    .bind(now)
    .bind(person)
    .fetch_all(db)
    .await?;
    let ids: HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT item_id, tag FROM content_tags ORDER BY tag")
            .fetch_all(db)
            .await?;
    for (item, tag) in tag_rows.into_iter().filter(|(i, _)| ids.contains(i)) {
        tags.entry(item).or_default().push(tag);
    }
    let mut texts: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let text_rows: Vec<TextRow> =
        sqlx::query_as("SELECT item_id, channel, body FROM content_texts ORDER BY channel")
            .fetch_all(db)
            .await?;
    for t in text_rows.into_iter().filter(|t| ids.contains(&t.item_id)) {
        texts
            .entry(t.item_id)
            .or_default()
            .push((t.channel, t.body));
    }
    #[derive(sqlx::FromRow)]
    struct SharesRow {
        item_id: i64,
        shares: i64,
        sharers: i64,
    }
    let share_rows: Vec<SharesRow> = sqlx::query_as(
        "SELECT item_id, CAST(COUNT(*) AS BIGINT) AS shares, \
         CAST(COUNT(DISTINCT person_id) AS BIGINT) AS sharers FROM shares GROUP BY item_id",
    )
    .fetch_all(db)
    .await?;
    let shares: HashMap<i64, (i64, i64)> = share_rows
        .into_iter()
        .map(|r| (r.item_id, (r.shares, r.sharers)))
        .collect();
    let clicks = click_counts(db).await?;
    let mine_rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT DISTINCT item_id, channel FROM shares WHERE person_id = $1")
            .bind(person)
            .fetch_all(db)
            .await?;
    let mut mine: HashMap<i64, Vec<Channel>> = HashMap::new();
    for (item, channel) in mine_rows {
        if let Some(c) = Channel::parse(&channel) {
            mine.entry(item).or_default().push(c);
        }
    }
    let mut cards = Vec::with_capacity(rows.len());
    for r in rows {
        let (id, live_since) = (r.id, r.live_since);
        let (n_shares, sharers) = shares.get(&id).copied().unwrap_or((0, 0));
        let mut my_channels = mine.remove(&id).unwrap_or_default();
        my_channels.sort();
        let employee = r.origin == "employee";
        let body = r.body_md;
        cards.push(HubCard {
            id,
            // Rendered here, by the same safe renderer as the editor's preview.
            body_html: if body.trim().is_empty() {
                String::new()
            } else {
                crate::posts::markdown::render(&body)
            },
            author: employee.then_some(r.author),
            title: r.title,
            summary: r.summary,
            destination_url: r.destination_url,
            image_id: r.image_id,
            tags: tags.remove(&id).unwrap_or_default(),
            texts: texts_in_order(texts.remove(&id).unwrap_or_default()),
            live_since,
            // Shared already: nothing new to it any more.
            is_new: live_since > since && my_channels.is_empty(),
            shares: n_shares,
            sharers,
            clicks: clicks.get(&id).copied().unwrap_or(0),
            my_channels,
        });
    }
    order_cards(&mut cards);
    Ok(cards)
}

/// The item's summary, if it is in this person's hub now.
async fn visible_item(db: &Db, person: i64, item: i64) -> AppResult<String> {
    let row: Option<String> = sqlx::query_scalar(&format!(
        "SELECT i.summary FROM content_items i WHERE {VISIBLE} AND i.id = $3"
    ))
    .bind(now_ms())
    .bind(person)
    .bind(item)
    .fetch_optional(db)
    .await?;
    row.ok_or(AppError::NotFound)
}

/// The code of the person's tracked link for (item, channel), made on first
/// use. Only for items in their hub.
pub async fn tracked_link(db: &Db, person: i64, item: i64, channel: Channel) -> AppResult<String> {
    visible_item(db, person, item).await?;
    link_code(db, person, item, channel, now_ms()).await
}

/// The code of the link, made if needed; the caller checked visibility.
async fn link_code(
    db: &Db,
    person: i64,
    item: i64,
    channel: Channel,
    now: i64,
) -> AppResult<String> {
    sqlx::query(
        "INSERT INTO tracked_links (code, item_id, person_id, channel, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id, person_id, channel) DO NOTHING",
    )
    .bind(new_code())
    .bind(item)
    .bind(person)
    .bind(channel.code())
    .bind(now)
    .execute(db)
    .await?;
    Ok(sqlx::query_scalar(
        "SELECT code FROM tracked_links WHERE item_id = $1 AND person_id = $2 AND channel = $3",
    )
    .bind(item)
    .bind(person)
    .bind(channel.code())
    .fetch_one(db)
    .await?)
}

/// Records a share and pays for it: once per tracked link for the share, and
/// once more if the text is the person's own.
pub async fn record_share(
    db: &Db,
    person: i64,
    item: i64,
    channel: Channel,
    text: &str,
) -> AppResult<Changed<ShareOutcome>> {
    record_share_at(db, person, item, channel, text, now_ms()).await
}

/// `record_share` at a given time: the demo's history is made this way.
pub async fn record_share_at(
    db: &Db,
    person: i64,
    item: i64,
    channel: Channel,
    text: &str,
    now: i64,
) -> AppResult<Changed<ShareOutcome>> {
    let summary = visible_item(db, person, item).await?;
    let suggested = suggested_text(&texts_of(db, item).await?, channel, &summary);
    let personalised = is_personalised(&suggested, text);
    let code = link_code(db, person, item, channel, now).await?;
    let rules = load_rules(db).await?;
    // Writing first: on SQLite a transaction that reads and then writes can
    // fail outright when another writer got in between.
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO shares (item_id, person_id, channel, code, personalised, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(item)
    .bind(person)
    .bind(channel.code())
    .bind(&code)
    .bind(flag(personalised))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut entries = vec![Entry::share(person, &code, rules.per_share, now)];
    if personalised {
        entries.push(Entry::bonus(person, &code, rules.personalised_bonus, now));
    }
    let paid = ledger::ssr::pay(&mut tx, entries).await?;
    let spendable = ledger::ssr::balances(&mut *tx, person).await?.spendable;
    tx.commit().await?;
    let outcome = ShareOutcome {
        points: paid.iter().map(|e| e.points).sum(),
        personalised,
        spendable,
    };
    // A share is news for the boards and screens even when it pays
    // nothing (the ticker shows it).
    Ok(Changed::new(outcome, Fact::Shared { person, item }).and_all(paid.iter().map(Fact::paid)))
}

#[cfg(test)]
mod tests {
    use super::{visit_window, VISIT_GAP_MS};

    #[test]
    fn new_marks_clear_once_a_visit_is_over_however_often_one_looks() {
        let t0 = 1_800_000_000_000;
        let min = 60_000;
        let (start, before) = visit_window(None, t0);
        assert_eq!((start, before), (t0, 0), "a first visit: everything is new");
        // Looking every twenty minutes: the first visit ends 30 minutes
        // after it began, and the marks are then measured from its start.
        let mut stored = (start, before);
        for look in 1..=3 {
            stored = visit_window(Some(stored), t0 + look * 20 * min);
        }
        assert_eq!(stored, (t0 + 40 * min, t0));
        assert!(t0 + 40 * min - t0 > VISIT_GAP_MS);
    }
}
