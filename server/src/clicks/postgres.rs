//! The PostgreSQL back-end of the click pipeline: a task on the writer's
//! own small pool commits whatever arrived while the previous batch was
//! written (group commit), a few multi-row statements per batch. Each
//! redirect waits for its click's commit: instances may run on machines
//! without lasting disks, so there is no journal here.

use std::collections::HashMap;
use std::sync::Arc;

use app::base::db::{flag, Db};
use app::base::live::Bus;
use app::points::ssr::load_rules;
use app::points::PointRules;
use sqlx::{Any, Transaction};
use tokio::sync::mpsc;

use app::base::ledger::{self, Entry};

use super::plan::{self, Counters, Store, StoreError, Stored};
use super::rules::{Verdict, DAY_MS};
use super::{acknowledge, ClickStats, NewClick, Pending};

/// The most clicks in one transaction.
pub const MAX_BATCH: usize = 512;

/// The latest stored qualified click per (code, visitor hash).
type Seen = HashMap<(String, String), i64>;

pub async fn writer(db: Db, mut rx: mpsc::Receiver<Pending>, live: Bus, stats: Arc<ClickStats>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (clicks, acks): (Vec<NewClick>, Vec<_>) = batch.drain(..).unzip();
        let result = store_batch(&db, &clicks).await.map_err(|e| e.to_string());
        if result.is_ok() {
            // Stored and applied are one commit here.
            let oldest = clicks.iter().map(|c| c.at).min().unwrap_or(0);
            stats.journalled(clicks.len() as u64);
            stats.applied(clicks.len() as u64, oldest);
        }
        acknowledge(acks, result, &live);
    }
}

async fn store_batch(db: &Db, clicks: &[NewClick]) -> Result<Stored, StoreError> {
    let rules = load_rules(db).await.map_err(|e| format!("{e:?}"))?;
    let seen = stored_seen(db, clicks).await?;
    let mut tx = Tx {
        tx: db.begin().await?,
        rules,
    };
    let stored = plan::store(&mut tx, clicks, |code, visitor| {
        seen.get(&(code.to_string(), visitor.to_string())).copied()
    })
    .await?;
    tx.tx.commit().await?;
    Ok(stored)
}

/// Stores clicks from the past (the demo's history) on either database:
/// the statements of `Tx` are plain SQL both answer, and the repeat check
/// is left to the batch itself (the history's visitors are all new).
pub async fn store_past(db: &Db, clicks: &[NewClick]) -> Result<Stored, StoreError> {
    let rules = load_rules(db).await.map_err(|e| format!("{e:?}"))?;
    let mut tx = Tx {
        tx: db.begin().await?,
        rules,
    };
    let stored = plan::store(&mut tx, clicks, |_, _| None).await?;
    tx.tx.commit().await?;
    Ok(stored)
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

/// The stored qualified clicks that could make this batch's clicks repeats,
/// in one query. Read outside the write transaction: only this writer stores
/// clicks, so nothing can change in between.
///
/// The (code, visitor) pairs go in as two comma-separated lists (codes are
/// letters and digits, visitors hex), and each pair is looked up on its own
/// by a subquery, so the only way to `clicks` is the index by code and
/// visitor. Joined to the pairs instead, the planner was free to read the
/// clicks by time alone and match them to the pairs afterwards, and did
/// whenever its statistics said the table was small: a new database, until
/// autovacuum's first ANALYZE. The generic plan of the prepared statement,
/// made while `clicks` was empty, kept doing it (2.9 s a batch at 200,000
/// clicks in `psql`; the benchmark's first rounds fell from 541 to 232/s),
/// and a plan made afresh at 20,000 unanalysed clicks took 16.8 ms. This
/// form takes 0.4 ms at 20,000 either way. (Earlier still, an `OR` chain
/// of `code = $n AND visitor IN (…)` terms read every qualified click of
/// the link: 12 to 41 ms per batch at 20,000 clicks.)
pub const REPEAT_CHECK: &str = "SELECT k.code, k.visitor, \
     (SELECT MAX(c.at) FROM clicks c WHERE c.code = k.code AND c.visitor = k.visitor \
      AND c.qualified = 1 AND c.at > $1) AS at \
     FROM unnest(string_to_array($2, ','), string_to_array($3, ',')) AS k(code, visitor)";

async fn stored_seen(db: &Db, clicks: &[NewClick]) -> Result<Seen, StoreError> {
    let candidates: Vec<&NewClick> = clicks
        .iter()
        .filter(|c| c.verdict == Verdict::Qualified)
        .collect();
    let mut seen = Seen::new();
    if candidates.is_empty() {
        return Ok(seen);
    }
    let since = candidates.iter().map(|c| c.at).min().unwrap_or(0) - DAY_MS;
    let (mut codes, mut visitors) = (Vec::new(), Vec::new());
    for c in &candidates {
        for visitor in &c.visitors {
            codes.push(c.code.as_str());
            visitors.push(visitor.as_str());
        }
    }
    #[derive(sqlx::FromRow)]
    struct Latest {
        code: String,
        visitor: String,
        at: Option<i64>,
    }
    let rows: Vec<Latest> = sqlx::query_as(REPEAT_CHECK)
        .bind(since)
        .bind(codes.join(","))
        .bind(visitors.join(","))
        .fetch_all(db)
        .await?;
    for r in rows {
        if let Some(at) = r.at {
            seen.insert((r.code, r.visitor), at);
        }
    }
    Ok(seen)
}

struct Tx {
    tx: Transaction<'static, Any>,
    /// Read before the transaction, with the pool.
    rules: PointRules,
}

impl Store for Tx {
    async fn rules(&mut self) -> Result<PointRules, StoreError> {
        Ok(self.rules)
    }

    async fn insert_clicks(
        &mut self,
        clicks: &[NewClick],
        verdicts: &[Verdict],
    ) -> Result<Vec<i64>, StoreError> {
        let sql = format!(
            "INSERT INTO clicks (code, at, visitor, verdict, qualified) VALUES {} RETURNING id",
            placeholders(clicks.len(), 5, 1)
        );
        let mut insert = sqlx::query_scalar::<_, i64>(&sql);
        for (click, verdict) in clicks.iter().zip(verdicts) {
            insert = insert
                .bind(&click.code)
                .bind(click.at)
                .bind(&click.visitors[0])
                .bind(verdict.code())
                .bind(flag(*verdict == Verdict::Qualified));
        }
        // The database numbers the rows of one multi-row insert in order.
        let mut ids = insert.fetch_all(&mut *self.tx).await?;
        ids.sort_unstable();
        Ok(ids)
    }

    async fn paid_on(&mut self, code: &str, day: i64) -> Result<i64, StoreError> {
        ledger::ssr::paid_through(&mut self.tx, code, day, day + DAY_MS)
            .await
            .map_err(|e| format!("{e:?}").into())
    }

    async fn pay(&mut self, entries: Vec<Entry>) -> Result<Vec<Entry>, StoreError> {
        ledger::ssr::pay(&mut self.tx, entries)
            .await
            .map_err(|e| format!("{e:?}").into())
    }

    async fn add_counters(&mut self, counters: &Counters) -> Result<(), StoreError> {
        for (code, (raw, qualified)) in counters {
            sqlx::query(
                "UPDATE tracked_links SET raw_clicks = raw_clicks + $1, \
                 qualified_clicks = qualified_clicks + $2 WHERE code = $3",
            )
            .bind(*raw)
            .bind(*qualified)
            .bind(code)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_in_order() {
        assert_eq!(placeholders(2, 3, 4), "($4, $5, $6), ($7, $8, $9)");
    }
}
