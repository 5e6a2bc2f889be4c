//! Server side of tracked links: resolving a code, and recording clicks in
//! batches (group commit) so the redirect stays fast without losing any.

use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use super::clicks::{Verdict, DAY_MS};
use crate::db::{flag, Db};
use crate::error::AppResult;
use crate::points::ssr::{load_rules, pay, Entry};
use crate::points::{click_key, click_points, PointRules};

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

/// Pays the sharer for a qualified click, within the daily cap per link. In
/// the same transaction as the click, so a stored click is always paid.
async fn credit_click(
    conn: &mut sqlx::AnyConnection,
    rules: &PointRules,
    click: &NewClick,
    click_id: i64,
) -> AppResult<()> {
    let day_start = click.at - click.at.rem_euclid(DAY_MS);
    let paid_today: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger \
         WHERE code = $1 AND reason = 'click' AND created_at >= $2",
    )
    .bind(&click.code)
    .bind(day_start)
    .fetch_one(&mut *conn)
    .await?;
    pay(
        &mut *conn,
        Entry {
            person_id: click.person_id,
            source_key: &click_key(click_id),
            points: click_points(rules, paid_today),
            reason: "click",
            code: Some(&click.code),
            at: click.at,
        },
    )
    .await?;
    Ok(())
}

async fn write_batch(db: &Db, batch: &[Pending]) -> AppResult<Vec<Verdict>> {
    let mut tx = db.begin().await?;
    let rules = load_rules(&mut *tx).await?;
    let mut verdicts = Vec::with_capacity(batch.len());
    let mut per_code: std::collections::HashMap<&str, (i64, i64)> = Default::default();
    for (click, _) in batch {
        let mut verdict = click.verdict;
        if verdict == Verdict::Qualified {
            let seen: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM clicks WHERE code = $1 AND visitor IN ($2, $3) AND qualified = 1 AND at > $4 LIMIT 1",
            )
            .bind(&click.code)
            .bind(&click.visitors[0])
            .bind(&click.visitors[1])
            .bind(click.at - DAY_MS)
            .fetch_optional(&mut *tx)
            .await?;
            if seen.is_some() {
                verdict = Verdict::Repeat;
            }
        }
        let click_id: i64 = sqlx::query_scalar(
            "INSERT INTO clicks (code, at, visitor, verdict, qualified) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&click.code)
        .bind(click.at)
        .bind(&click.visitors[0])
        .bind(verdict.code())
        .bind(flag(verdict == Verdict::Qualified))
        .fetch_one(&mut *tx)
        .await?;
        if verdict == Verdict::Qualified {
            credit_click(&mut tx, &rules, click, click_id).await?;
        }
        let counts = per_code.entry(click.code.as_str()).or_insert((0i64, 0i64));
        counts.0 += 1;
        counts.1 += i64::from(verdict == Verdict::Qualified);
        verdicts.push(verdict);
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
