//! Server side of tracked links: resolving a code, and recording clicks in
//! batches (group commit) so the redirect stays fast without losing any.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use super::clicks::{Verdict, DAY_MS};
use crate::db::{flag, Db};
use crate::error::AppResult;
use crate::points::ssr::load_rules;
use crate::points::{click_key, click_points};

/// What the redirect needs to know about a code.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub code: String,
    pub person_id: i64,
    pub channel: String,
    pub slug: String,
    pub destination: String,
}

pub async fn resolve_link(db: &Db, code: &str) -> AppResult<Option<LinkTarget>> {
    let row = sqlx::query(
        "SELECT l.code, l.person_id, l.channel, i.slug, i.destination_url \
         FROM tracked_links l JOIN content_items i ON i.id = l.item_id WHERE l.code = $1",
    )
    .bind(code)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(LinkTarget {
            code: r.try_get("code")?,
            person_id: r.try_get("person_id")?,
            channel: r.try_get("channel")?,
            slug: r.try_get("slug")?,
            destination: r.try_get("destination_url")?,
        })
    })
    .transpose()
}

/// One click as the redirect saw it. `verdict` is final unless it is
/// `Qualified`: whether it is a repeat is decided by the writer, which sees
/// every click in order, so two simultaneous clicks cannot both qualify.
#[derive(Debug, Clone)]
pub struct NewClick {
    pub code: String,
    /// Who shared the link, and so earns the click's points.
    pub person_id: i64,
    pub at: i64,
    /// Today's and yesterday's visitor hash (see `clicks::visitor_hashes`).
    pub visitors: [String; 2],
    pub verdict: Verdict,
}

type Pending = (NewClick, oneshot::Sender<Verdict>);

/// Hands clicks to one writer task that stores them in batches: whatever
/// arrived while the previous batch was being written goes in the next
/// transaction, and each click is acknowledged only after its commit.
#[derive(Clone)]
pub struct ClickRecorder {
    tx: mpsc::Sender<Pending>,
}

const MAX_BATCH: usize = 512;

impl ClickRecorder {
    pub fn start(db: Db) -> Self {
        let (tx, mut rx) = mpsc::channel::<Pending>(8 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
            while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
                match write_batch(&db, &batch).await {
                    Ok(verdicts) => {
                        for ((_, ack), verdict) in batch.drain(..).zip(verdicts) {
                            let _ = ack.send(verdict);
                        }
                    }
                    Err(_) => {
                        // Dropping the acks tells each waiting redirect that
                        // its click was not stored.
                        tracing::error!(clicks = batch.len(), "storing a batch of clicks failed");
                        batch.clear();
                    }
                }
            }
        });
        Self { tx }
    }

    /// Stores the click; returns its final verdict once it is committed, or
    /// `None` when it could not be stored.
    pub async fn record(&self, click: NewClick) -> Option<Verdict> {
        let (ack, done) = oneshot::channel();
        self.tx.send((click, ack)).await.ok()?;
        done.await.ok()
    }
}

/// `($1, $2, …)` groups for a multi-row statement: `rows` groups of `width`
/// placeholders, numbered from `first`.
fn placeholders(rows: usize, width: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (0..width)
                .map(|c| format!("${}", first + r * width + c))
                .collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which clicks of the batch are repeats: a qualified click by the same
/// visitor on the same link within 24 hours, stored or earlier in the batch.
/// One query for the whole batch. Read outside the write transaction: only
/// this writer stores clicks, so nothing can change in between.
async fn repeats(db: &Db, batch: &[Pending]) -> AppResult<Vec<bool>> {
    let candidates: Vec<&NewClick> = batch
        .iter()
        .map(|(c, _)| c)
        .filter(|c| c.verdict == Verdict::Qualified)
        .collect();
    let mut seen: HashMap<(String, String), i64> = HashMap::new();
    // In chunks: SQLite limits how deep an expression (this OR chain) may be.
    for chunk in candidates.chunks(200) {
        let since = chunk.iter().map(|c| c.at).min().unwrap_or(0) - DAY_MS;
        let terms: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = 2 + i * 3;
                format!("(code = ${p} AND visitor IN (${}, ${}))", p + 1, p + 2)
            })
            .collect();
        let sql = format!(
            "SELECT code, visitor, MAX(at) FROM clicks WHERE qualified = 1 AND at > $1 AND ({}) \
             GROUP BY code, visitor",
            terms.join(" OR ")
        );
        let mut query = sqlx::query_as::<_, (String, String, i64)>(&sql).bind(since);
        for c in chunk {
            query = query
                .bind(&c.code)
                .bind(&c.visitors[0])
                .bind(&c.visitors[1]);
        }
        for (code, visitor, at) in query.fetch_all(db).await? {
            seen.insert((code, visitor), at);
        }
    }
    let mut out = Vec::with_capacity(batch.len());
    for (click, _) in batch {
        if click.verdict != Verdict::Qualified {
            out.push(false);
            continue;
        }
        let recent = |v: &String| {
            seen.get(&(click.code.clone(), v.clone()))
                .is_some_and(|at| *at > click.at - DAY_MS)
        };
        let repeat = click.visitors.iter().any(recent);
        if !repeat {
            seen.insert((click.code.clone(), click.visitors[0].clone()), click.at);
        }
        out.push(repeat);
    }
    Ok(out)
}

/// Stores a batch in one transaction: the clicks in one statement, the
/// sharers' click points (within the daily cap per link) in another, and the
/// per-link counters, so a stored click is always paid and counted.
async fn write_batch(db: &Db, batch: &[Pending]) -> AppResult<Vec<Verdict>> {
    let rules = load_rules(db).await?;
    let verdicts: Vec<Verdict> = repeats(db, batch)
        .await?
        .into_iter()
        .zip(batch)
        .map(|(repeat, (c, _))| if repeat { Verdict::Repeat } else { c.verdict })
        .collect();

    let mut tx = db.begin().await?;
    let sql = format!(
        "INSERT INTO clicks (code, at, visitor, verdict, qualified) VALUES {} RETURNING id",
        placeholders(batch.len(), 5, 1)
    );
    let mut insert = sqlx::query_scalar::<_, i64>(&sql);
    for ((click, _), verdict) in batch.iter().zip(&verdicts) {
        insert = insert
            .bind(&click.code)
            .bind(click.at)
            .bind(&click.visitors[0])
            .bind(verdict.code())
            .bind(flag(*verdict == Verdict::Qualified));
    }
    // Both databases number the rows of one multi-row insert in order.
    let mut ids = insert.fetch_all(&mut *tx).await?;
    ids.sort_unstable();

    // Click points: what each link has already earned on the click's day.
    let mut paid: HashMap<(&str, i64), i64> = HashMap::new();
    let mut entries: Vec<(i64, String, i64, &str, i64)> = Vec::new();
    for (((click, _), verdict), id) in batch.iter().zip(&verdicts).zip(&ids) {
        if *verdict != Verdict::Qualified {
            continue;
        }
        let day = click.at - click.at.rem_euclid(DAY_MS);
        let key = (click.code.as_str(), day);
        let so_far = match paid.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let earned: i64 = sqlx::query_scalar(
                    "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger \
                     WHERE code = $1 AND reason = 'click' AND created_at >= $2 AND created_at < $3",
                )
                .bind(&click.code)
                .bind(day)
                .bind(day + DAY_MS)
                .fetch_one(&mut *tx)
                .await?;
                e.insert(earned)
            }
        };
        let points = click_points(&rules, *so_far);
        if points > 0 {
            *so_far += points;
            entries.push((
                click.person_id,
                click_key(*id),
                points,
                &click.code,
                click.at,
            ));
        }
    }
    if !entries.is_empty() {
        let sql =
            format!(
            "INSERT INTO points_ledger (person_id, source_key, points, reason, code, created_at) \
             VALUES {} ON CONFLICT (source_key) DO NOTHING",
            (0..entries.len())
                .map(|i| {
                    let p = 1 + i * 5;
                    format!("(${p}, ${}, ${}, 'click', ${}, ${})", p + 1, p + 2, p + 3, p + 4)
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for (person, key, points, code, at) in &entries {
            insert = insert
                .bind(*person)
                .bind(key)
                .bind(*points)
                .bind(*code)
                .bind(*at);
        }
        insert.execute(&mut *tx).await?;
    }

    let mut per_code: HashMap<&str, (i64, i64)> = HashMap::new();
    for ((click, _), verdict) in batch.iter().zip(&verdicts) {
        let counts = per_code.entry(click.code.as_str()).or_default();
        counts.0 += 1;
        counts.1 += i64::from(*verdict == Verdict::Qualified);
    }
    for (code, (raw, qualified)) in per_code {
        sqlx::query(
            "UPDATE tracked_links SET raw_clicks = raw_clicks + $1, \
             qualified_clicks = qualified_clicks + $2 WHERE code = $3",
        )
        .bind(raw)
        .bind(qualified)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(verdicts)
}

/// Recently resolved links, so the hot redirect does not read the database
/// for every click. Entries live briefly and the whole cache is dropped when
/// content is saved, so an edited destination takes effect at once.
#[derive(Clone, Default)]
pub struct LinkCache {
    inner: Arc<Mutex<HashMap<String, (LinkTarget, Instant)>>>,
}

const LINK_TTL: Duration = Duration::from_secs(60);
const LINK_CACHE_MAX: usize = 50_000;

impl LinkCache {
    pub async fn resolve(&self, db: &Db, code: &str) -> AppResult<Option<LinkTarget>> {
        if let Some((link, at)) = self.lock().get(code) {
            if at.elapsed() < LINK_TTL {
                return Ok(Some(link.clone()));
            }
        }
        let link = resolve_link(db, code).await?;
        if let Some(link) = &link {
            let mut map = self.lock();
            if map.len() >= LINK_CACHE_MAX {
                map.clear();
            }
            map.insert(code.to_string(), (link.clone(), Instant::now()));
        }
        Ok(link)
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (LinkTarget, Instant)>> {
        // A panic while holding the lock leaves a usable map: keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
