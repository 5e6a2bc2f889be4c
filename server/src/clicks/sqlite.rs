//! The SQLite back-end of the click pipeline: the applier's own connection,
//! its start-up load of the last day's visitors, and the `Store` that runs
//! a batch with prepared statements inside one IMMEDIATE transaction.

use std::path::Path;
use std::time::Duration;

use app::base::db::{flag, now_ms, setting_from_stored};
use app::points::ssr::RULES_KEY;
use app::points::PointRules;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use app::base::ledger::{self, Entry};

use super::plan::{self, Counters, Store, StoreError, Stored};
use super::recent::{RecentVisitors, RECENT_LIMIT};
use super::rules::{Verdict, DAY_MS};
use super::NewClick;

pub fn open(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // The pool's settings (see `db::open`) except its big page cache: at
    // every commit SQLite walks the cache's hash table, which took a tenth
    // of this thread's time with 16 MB. Pages are memory-mapped anyway.
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
         PRAGMA wal_autocheckpoint = 0; PRAGMA mmap_size = 268435456;",
    )?;
    Ok(conn)
}

/// How far `at` may go back while ids go forward: the clicks of one batch
/// are stamped a few milliseconds apart in any order, and a clock stepped
/// back (by NTP, say) makes later clicks look older.
const ORDER_SLACK_MS: i64 = 3_600_000;

/// The qualified clicks of the last 24 hours, for the repeat check.
pub fn load_recent(conn: &rusqlite::Connection, now: i64) -> rusqlite::Result<RecentVisitors> {
    let mut recent = RecentVisitors::new(RECENT_LIMIT);
    let since = now - DAY_MS;
    let first = first_id_after(conn, since - ORDER_SLACK_MS)?;
    let mut stmt = conn.prepare(
        "SELECT code, visitor, at FROM clicks WHERE id >= ?1 AND at > ?2 AND qualified = 1",
    )?;
    let mut rows = stmt.query([first, since])?;
    while let Some(row) = rows.next()? {
        let code: String = row.get(0)?;
        let visitor: String = row.get(1)?;
        recent.record(&code, &visitor, row.get(2)?, now);
    }
    Ok(recent)
}

/// The lowest id from which on every click is later than `since`, found by
/// a binary search over the row ids: clicks are appended in time order (up to
/// `ORDER_SLACK_MS`), and an index on `at` would cost every click a page.
fn first_id_after(conn: &rusqlite::Connection, since: i64) -> rusqlite::Result<i64> {
    let mut next = conn.prepare("SELECT id, at FROM clicks WHERE id >= ?1 ORDER BY id LIMIT 1")?;
    let last: Option<i64> = conn.query_row("SELECT MAX(id) FROM clicks", [], |r| r.get(0))?;
    // Clicks below `low` are not later than `since`; the answer is at most `high`.
    let (mut low, mut high) = (0, last.map_or(0, |id| id + 1));
    while low < high {
        let mid = low + (high - low) / 2;
        let found: Option<(i64, i64)> = next
            .query_row([mid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match found {
            Some((id, at)) if at <= since => low = id + 1,
            _ => high = mid,
        }
    }
    Ok(low)
}

/// A passive checkpoint: it never waits for, nor blocks, a writer or reader.
pub fn checkpoint(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

/// Stores a batch of clicks, and in the same transaction how far the
/// journal they came from (instance, line) is applied.
pub fn store_batch(
    conn: &mut rusqlite::Connection,
    recent: &mut RecentVisitors,
    clicks: &[NewClick],
    (instance, seq): (&str, u64),
) -> Result<Stored, StoreError> {
    // IMMEDIATE: take the write lock first, so what is read below cannot
    // change before the commit.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut store = Tx(&tx);
    // Every statement is synchronous: the future completes in one poll.
    let stored = futures::executor::block_on(plan::store(&mut store, clicks, |code, visitor| {
        recent.latest(code, visitor)
    }))?;
    tx.prepare_cached(
        "INSERT INTO click_journals (instance, applied_seq) VALUES (?1, ?2) \
         ON CONFLICT (instance) DO UPDATE SET applied_seq = excluded.applied_seq",
    )?
    .execute(params![instance, seq as i64])?;
    tx.commit()?;
    // Only stored clicks count as seen.
    let now = now_ms();
    for (click, verdict) in clicks.iter().zip(&stored.verdicts) {
        if *verdict == Verdict::Qualified {
            recent.record(&click.code, &click.visitors[0], click.at, now);
        }
    }
    Ok(stored)
}

struct Tx<'a>(&'a rusqlite::Transaction<'a>);

impl Store for Tx<'_> {
    async fn rules(&mut self) -> Result<PointRules, StoreError> {
        Ok(setting_from_stored(
            self.0
                .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
                .query_row([RULES_KEY], |r| r.get(0))
                .optional()?,
        ))
    }

    async fn insert_clicks(
        &mut self,
        clicks: &[NewClick],
        verdicts: &[Verdict],
    ) -> Result<Vec<i64>, StoreError> {
        let mut insert = self.0.prepare_cached(
            "INSERT INTO clicks (code, at, visitor, verdict, qualified) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut ids = Vec::with_capacity(clicks.len());
        for (click, verdict) in clicks.iter().zip(verdicts) {
            insert.execute(params![
                click.code,
                click.at,
                click.visitors[0],
                verdict.code(),
                flag(*verdict == Verdict::Qualified)
            ])?;
            ids.push(self.0.last_insert_rowid());
        }
        Ok(ids)
    }

    async fn paid_on(&mut self, code: &str, day: i64) -> Result<i64, StoreError> {
        Ok(ledger::sqlite::paid_through(
            self.0,
            code,
            day,
            day + DAY_MS,
        )?)
    }

    async fn pay(&mut self, entries: Vec<Entry>) -> Result<Vec<Entry>, StoreError> {
        Ok(ledger::sqlite::pay(self.0, entries)?)
    }

    async fn add_counters(&mut self, counters: &Counters) -> Result<(), StoreError> {
        let mut count = self.0.prepare_cached(
            "UPDATE tracked_links SET raw_clicks = raw_clicks + ?1, \
             qualified_clicks = qualified_clicks + ?2 WHERE code = ?3",
        )?;
        for (code, (raw, qualified)) in counters {
            count.execute(params![raw, qualified, code])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_800_000_000_000;

    #[test]
    fn the_start_up_load_finds_the_last_day_by_row_id() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE clicks (id INTEGER PRIMARY KEY, code TEXT, at INTEGER, \
             visitor TEXT, verdict TEXT, qualified INTEGER)",
        )
        .unwrap();
        assert_eq!(first_id_after(&conn, T).unwrap(), 0, "no clicks");
        let mut add = conn
            .prepare("INSERT INTO clicks VALUES (?1, 'a', ?2, ?3, 'qualified', ?4)")
            .unwrap();
        // Ids with gaps; times grow with them, give or take a few ms.
        let rows: [(i64, i64, &str, i64); 7] = [
            (3, T - 3 * DAY_MS, "v1", 1),
            (4, T - 2 * DAY_MS, "v2", 1),
            (10, T - DAY_MS - 5, "v3", 1),
            (11, T - DAY_MS + 1_000, "v4", 1),
            (12, T - DAY_MS + 990, "v5", 1), // stamped before its neighbour
            (40, T - 60_000, "v6", 0),       // not qualified: not a visit to remember
            (41, T - 1_000, "v7", 1),
        ];
        for (id, at, visitor, qualified) in rows {
            add.execute(params![id, at, visitor, qualified]).unwrap();
        }
        assert_eq!(first_id_after(&conn, T - DAY_MS).unwrap(), 11);
        assert_eq!(first_id_after(&conn, T - 10 * DAY_MS).unwrap(), 0);
        assert_eq!(first_id_after(&conn, T).unwrap(), 42);
        let recent = load_recent(&conn, T).unwrap();
        let known: Vec<&str> = ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]
            .into_iter()
            .filter(|v| recent.latest("a", v).is_some())
            .collect();
        assert_eq!(known, ["v4", "v5", "v7"]);
    }
}
