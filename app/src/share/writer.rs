//! The click writer: stores every click in batches, so the redirect stays
//! fast and no acknowledged click is ever lost.
//!
//! On SQLite a click is stored once it is appended to the instance's journal
//! (see `journal`), which the redirect does itself; the click applier, an OS
//! thread with its own connection, moves journalled clicks into the tables
//! every `APPLY_GAP`, hundreds per transaction under load, and at start the
//! journals of stopped instances are applied first. On PostgreSQL, where
//! instances may run on machines without lasting disks, each redirect waits
//! for its click's commit: whatever arrived while the previous batch was
//! written goes into the next transaction (group commit), by a task on the
//! writer's own pool.
//!
//! What the batch means (repeats, click points within the daily cap, the
//! per-link counters) is decided by the plain functions below, which both
//! writers share. They differ in where repeats are looked up: the single
//! SQLite applier remembers the last day's visitors in memory; on PostgreSQL,
//! where several instances may write, a query asks the database.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use tokio::sync::{mpsc, oneshot, watch};

use super::journal::{self, Entry, Journal};

use super::clicks::{Verdict, DAY_MS};
use crate::db::{flag, setting_from_stored, Db};
use crate::error::AppResult;
use crate::points::ssr::{load_rules, RULES_KEY};
use crate::points::{click_key, click_points, PointRules};

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

/// The latest stored qualified click per (code, visitor hash), as read by the
/// PostgreSQL writer.
type Seen = HashMap<(String, String), i64>;

/// (code, UTC day start) → click points already paid through that link.
type Paid = HashMap<(String, i64), i64>;

const MAX_BATCH: usize = 512;

/// Hands clicks to the writer; cheap to clone.
#[derive(Clone)]
pub struct ClickRecorder {
    to: Recorder,
}

#[derive(Clone)]
enum Recorder {
    /// SQLite: the click is stored once it is in the journal.
    Journal {
        journal: Arc<Journal>,
        applied: watch::Receiver<u64>,
    },
    /// PostgreSQL: the click is stored once its batch is committed.
    Pool(mpsc::Sender<Pending>),
}

impl ClickRecorder {
    /// Starts the writer for the database `db` is connected to. `writer_url`
    /// opens the PostgreSQL writer's own pool; on SQLite the writer opens the
    /// same file as `db` directly, and keeps its journal next to it.
    pub async fn start(
        db: &Db,
        backend: crate::db::Backend,
        writer_url: &str,
        live: crate::live::Bus,
    ) -> Result<Self, String> {
        match backend {
            crate::db::Backend::Sqlite => {
                let file: String =
                    sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                        .fetch_one(db)
                        .await
                        .map_err(|e| format!("finding the database file: {e}"))?;
                let file = PathBuf::from(file);
                let dir = file
                    .parent()
                    .map(|d| d.join("journal"))
                    .ok_or("the database file has no directory")?;
                let (tx, rx) = std::sync::mpsc::channel();
                // Done before the server starts: the clicks of a stopped
                // instance are applied first, and without the last day's
                // visitors repeats would qualify and be paid.
                let opened = file.clone();
                let (conn, recent, journal, instance) = tokio::task::spawn_blocking(move || {
                    let mut conn = open_sqlite(&opened).map_err(|e| e.to_string())?;
                    // Every applier commit is synced, so a journal file
                    // deleted once applied is not needed after a power cut.
                    conn.execute_batch("PRAGMA synchronous = FULL")
                        .map_err(|e| e.to_string())?;
                    let mut recent =
                        load_recent(&conn, crate::db::now_ms()).map_err(|e| e.to_string())?;
                    recover(&mut conn, &mut recent, &dir)?;
                    let (journal, instance) =
                        Journal::create(&dir, tx).map_err(|e| format!("click journal: {e}"))?;
                    Ok::<_, String>((conn, recent, journal, instance))
                })
                .await
                .map_err(|e| format!("starting the click writer: {e}"))?
                .map_err(|e| format!("starting the click writer: {e}"))?;
                let (done, applied) = watch::channel(0);
                let applier = Applier {
                    conn,
                    recent,
                    instance,
                    live,
                    done,
                };
                std::thread::Builder::new()
                    .name("click-applier".into())
                    .spawn(move || applier.run(rx))
                    .map_err(|e| format!("starting the click writer: {e}"))?;
                Ok(Self {
                    to: Recorder::Journal {
                        journal: Arc::new(journal),
                        applied,
                    },
                })
            }
            crate::db::Backend::Postgres => {
                let (tx, rx) = mpsc::channel::<Pending>(8 * MAX_BATCH);
                let pool = crate::db::connect_writer(writer_url)
                    .await
                    .map_err(|e| format!("database: {e}"))?;
                tokio::spawn(pool_writer(pool, rx, live));
                Ok(Self {
                    to: Recorder::Pool(tx),
                })
            }
        }
    }

    /// Stores the click; `false` when it could not be stored.
    pub async fn record(&self, click: NewClick) -> bool {
        match &self.to {
            Recorder::Journal { journal, .. } => match journal.append(click) {
                Ok(()) => true,
                Err(e) => {
                    tracing::error!(error = %e, "appending to the click journal failed");
                    false
                }
            },
            Recorder::Pool(tx) => {
                let (ack, done) = oneshot::channel();
                tx.send((click, ack)).await.is_ok() && done.await.is_ok()
            }
        }
    }

    /// Waits until every click stored so far shows in the tables (at once on
    /// PostgreSQL, where a click is stored by its commit).
    pub async fn flushed(&self) {
        if let Recorder::Journal { journal, applied } = &self.to {
            let last = journal.last_seq();
            let mut applied = applied.clone();
            // Only fails once the applier is gone, with nothing more to wait for.
            let _ = applied.wait_for(|done| *done >= last).await;
        }
    }
}

/// Answers each waiting redirect (on failure, dropping the acks tells each
/// one that its click was not stored), and announces points if a click
/// qualified.
fn acknowledge(
    acks: Vec<oneshot::Sender<Verdict>>,
    result: Result<Vec<Verdict>, String>,
    live: &crate::live::Bus,
) {
    match result {
        Ok(verdicts) => {
            if verdicts.contains(&Verdict::Qualified) {
                live.send(crate::live::LiveEvent::Points);
            }
            for (ack, verdict) in acks.into_iter().zip(verdicts) {
                let _ = ack.send(verdict);
            }
        }
        Err(error) => {
            tracing::error!(clicks = acks.len(), %error, "storing a batch of clicks failed")
        }
    }
}

// ---------------------------------------------------------------------------
// What a batch means: plain functions shared by both writers.

fn day_of(at: i64) -> i64 {
    at - at.rem_euclid(DAY_MS)
}

/// The final verdicts: a qualified click is a repeat when the same visitor
/// (today's or yesterday's hash) had a qualified click on the same link
/// within 24 hours, stored (`stored(code, visitor)` gives the latest) or
/// earlier in this batch.
fn final_verdicts(clicks: &[NewClick], stored: impl Fn(&str, &str) -> Option<i64>) -> Vec<Verdict> {
    let mut in_batch: HashMap<(&str, &str), i64> = HashMap::new();
    let mut out = Vec::with_capacity(clicks.len());
    for click in clicks {
        if click.verdict != Verdict::Qualified {
            out.push(click.verdict);
            continue;
        }
        let repeat = click.visitors.iter().any(|v| {
            in_batch
                .get(&(click.code.as_str(), v.as_str()))
                .copied()
                .or_else(|| stored(&click.code, v))
                .is_some_and(|at| at > click.at - DAY_MS)
        });
        if repeat {
            out.push(Verdict::Repeat);
        } else {
            in_batch.insert((&click.code, &click.visitors[0]), click.at);
            out.push(Verdict::Qualified);
        }
    }
    out
}

/// The (link, day) pairs whose click points so far the writer must read.
fn cap_keys(clicks: &[NewClick], verdicts: &[Verdict]) -> BTreeSet<(String, i64)> {
    clicks
        .iter()
        .zip(verdicts)
        .filter(|(_, v)| **v == Verdict::Qualified)
        .map(|(c, _)| (c.code.clone(), day_of(c.at)))
        .collect()
}

/// Click points to pay, as (index in the batch, points): each qualified click
/// earns the per-click points, within what its link may still earn that day.
fn plan_points(
    clicks: &[NewClick],
    verdicts: &[Verdict],
    rules: &PointRules,
    mut paid: Paid,
) -> Vec<(usize, i64)> {
    let mut out = Vec::new();
    for (i, (click, verdict)) in clicks.iter().zip(verdicts).enumerate() {
        if *verdict != Verdict::Qualified {
            continue;
        }
        let so_far = paid
            .entry((click.code.clone(), day_of(click.at)))
            .or_default();
        let points = click_points(rules, *so_far);
        if points > 0 {
            *so_far += points;
            out.push((i, points));
        }
    }
    out
}

/// Leaderboard totals to add for click points paid in one batch, summed per
/// (period, period start, person): the ledger trigger leaves click entries
/// to the writer, which adds a whole batch with a few upserts instead of
/// four per click.
fn totals_delta(paid: &[(i64, i64, i64)]) -> BTreeMap<(&'static str, i64, i64), i64> {
    use crate::leaderboard::Period;
    let mut out = BTreeMap::new();
    for &(person, points, at) in paid.iter().filter(|(_, p, _)| *p > 0) {
        for period in Period::ALL {
            *out.entry((period.code(), period.start(at), person))
                .or_insert(0) += points;
        }
    }
    out
}

const ADD_TOTAL_SQLITE: &str = "INSERT INTO points_totals (period, start, person_id, points) \
     VALUES (?1, ?2, ?3, ?4) \
     ON CONFLICT (period, start, person_id) DO UPDATE SET points = points + excluded.points";

/// Raw and qualified clicks per link, in code order (so concurrent writers
/// would lock rows in the same order).
fn counters(clicks: &[NewClick], verdicts: &[Verdict]) -> BTreeMap<String, (i64, i64)> {
    let mut out: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (click, verdict) in clicks.iter().zip(verdicts) {
        let counts = out.entry(click.code.clone()).or_default();
        counts.0 += 1;
        counts.1 += i64::from(*verdict == Verdict::Qualified);
    }
    out
}

/// Qualified clicks of the last 24 hours by (link, visitor): the SQLite
/// writer's repeat check. SQLite has a single writer, so memory is the whole
/// truth, and an index on random visitor hashes would put each stored click
/// on a different page. Keys are keyed 64-bit hashes of (link, visitor), so
/// an entry takes a few dozen bytes.
pub(crate) struct RecentVisitors {
    hasher: std::hash::RandomState,
    latest: HashMap<u64, i64>,
    limit: usize,
}

/// At most this many visitors are remembered (a map of about 68 MB once in
/// use). Only a flood of distinct visitors within a day reaches it; then the
/// oldest are forgotten first, so a returning visitor could count again.
const RECENT_LIMIT: usize = 2_000_000;

impl RecentVisitors {
    fn new(limit: usize) -> Self {
        Self {
            hasher: std::hash::RandomState::new(),
            // Room for the limit from the start: a growing map moves every
            // entry at once when it doubles, and at 458,752 entries that took
            // 30 ms, with every redirect waiting on this thread. Only the
            // control bytes (4 MB at the limit) are written now; the pages
            // for the entries are only mapped in when first written.
            latest: HashMap::with_capacity(limit),
            limit,
        }
    }

    fn key(&self, code: &str, visitor: &str) -> u64 {
        use std::hash::BuildHasher;
        self.hasher.hash_one((code, visitor))
    }

    fn latest(&self, code: &str, visitor: &str) -> Option<i64> {
        self.latest.get(&self.key(code, visitor)).copied()
    }

    fn record(&mut self, code: &str, visitor: &str, at: i64, now: i64) {
        if self.latest.len() >= self.limit {
            self.forget_old(now);
        }
        let key = self.key(code, visitor);
        let entry = self.latest.entry(key).or_insert(at);
        *entry = (*entry).max(at);
    }

    /// Drops visits older than 24 hours, then, while a quarter is not free,
    /// the older half of what is left of the window, so a flood costs one
    /// sweep per quarter of the limit rather than one per click.
    fn forget_old(&mut self, now: i64) {
        let mut window = DAY_MS;
        loop {
            self.latest.retain(|_, at| *at > now - window);
            if self.latest.len() <= self.limit * 3 / 4 || window < 1_000 {
                break;
            }
            window /= 2;
        }
    }
}

// ---------------------------------------------------------------------------
// SQLite: a thread with its own connection.

fn open_sqlite(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
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
fn load_recent(conn: &rusqlite::Connection, now: i64) -> rusqlite::Result<RecentVisitors> {
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

/// The least time between two transactions of the click applier. Clicks
/// are already stored (in the journal) when they wait here, so this only
/// sets how soon they show in the tables; waiting gathers hundreds of clicks
/// per transaction under load, where a commit costs about the same for one
/// click as for fifty (every page it touches goes whole into the WAL).
const APPLY_GAP: Duration = Duration::from_millis(20);

/// The most clicks in one transaction.
const MAX_APPLY: usize = 4096;

/// How often the applier copies the WAL back into the database. It is the
/// only writer of clicks, so between two of its transactions a checkpoint
/// can copy every frame, and the next transaction starts the WAL from the
/// beginning; the fsyncs wait on this thread, not on any redirect.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// A passive checkpoint: it never waits for, nor blocks, a writer or reader.
fn checkpoint(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

/// Moves journalled clicks into the tables, on its own thread and connection.
struct Applier {
    conn: rusqlite::Connection,
    recent: RecentVisitors,
    /// This instance's journal, as named in `click_journals`.
    instance: String,
    live: crate::live::Bus,
    /// The number of the last journal line applied.
    done: watch::Sender<u64>,
}

impl Applier {
    fn run(mut self, rx: std::sync::mpsc::Receiver<Entry>) {
        use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
        let mut next = Next::default();
        let mut applied = Instant::now();
        let mut checkpointed = Instant::now();
        let mut open = true;
        while open {
            // Also wakes without clicks, for the checkpoint: the web app's
            // own writes leave frames in the WAL too.
            match rx.recv_timeout(CHECKPOINT_EVERY) {
                Ok(entry) => next.take(entry),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            let since = applied.elapsed();
            if since < APPLY_GAP {
                std::thread::sleep(APPLY_GAP - since);
            }
            while next.clicks.len() < MAX_APPLY {
                match rx.try_recv() {
                    Ok(entry) => next.take(entry),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        open = false;
                        break;
                    }
                }
            }
            self.apply(&next.clicks, next.last);
            next.clicks.clear();
            applied = Instant::now();
            let last = next.last;
            next.sealed.retain(|(file, up_to)| {
                if *up_to > last {
                    return true;
                }
                // The transaction that applied it was synced (synchronous
                // = FULL), so the file is no longer needed even after a
                // power cut.
                if let Err(e) = std::fs::remove_file(file) {
                    tracing::warn!(file = %file.display(), error = %e, "deleting an applied click journal failed");
                }
                false
            });
            if checkpointed.elapsed() >= CHECKPOINT_EVERY {
                if let Err(e) = checkpoint(&self.conn) {
                    tracing::warn!(error = %e, "WAL checkpoint failed; will retry");
                }
                checkpointed = Instant::now();
            }
        }
    }

    /// Applies the clicks up to journal line `last`, retrying until it
    /// succeeds: they are stored in the journal, and only the tables lag.
    fn apply(&mut self, clicks: &[NewClick], last: u64) {
        if clicks.is_empty() {
            return;
        }
        let mut wait = Duration::from_millis(100);
        loop {
            let stamp = (self.instance.as_str(), last);
            match sqlite_batch(&mut self.conn, &mut self.recent, clicks, stamp) {
                Ok(verdicts) => {
                    if verdicts.contains(&Verdict::Qualified) {
                        self.live.send(crate::live::LiveEvent::Points);
                    }
                    self.done.send_replace(last);
                    return;
                }
                Err(e) => {
                    tracing::error!(clicks = clicks.len(), error = %e, "applying journalled clicks failed; retrying");
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(30));
                }
            }
        }
    }
}

/// What the applier took from the journal and has not applied yet.
#[derive(Default)]
struct Next {
    clicks: Vec<NewClick>,
    /// The journal line of the last click taken.
    last: u64,
    /// Full journal files, and their last line.
    sealed: Vec<(PathBuf, u64)>,
}

impl Next {
    fn take(&mut self, entry: Entry) {
        match entry {
            Entry::Click(seq, click) => {
                self.clicks.push(click);
                self.last = seq;
            }
            Entry::Sealed(file, up_to) => self.sealed.push((file, up_to)),
        }
    }
}

/// Applies and deletes the journals of instances that stopped (crashed,
/// killed, or stopped between two of their applier's transactions).
fn recover(
    conn: &mut rusqlite::Connection,
    recent: &mut RecentVisitors,
    dir: &Path,
) -> Result<(), String> {
    let db = |e: rusqlite::Error| format!("applying a click journal: {e}");
    let io = |e: std::io::Error| format!("click journal: {e}");
    for orphan in journal::orphans(dir).map_err(io)? {
        let mut applied = conn
            .query_row(
                "SELECT applied_seq FROM click_journals WHERE instance = ?1",
                [&orphan.instance],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map_err(db)?
            .map_or(0, |seq| seq as u64);
        let mut count = 0;
        for file in &orphan.files {
            let lines = journal::read_after(file, applied).map_err(io)?;
            for chunk in lines.chunks(MAX_APPLY) {
                let last = chunk.last().map_or(applied, |(seq, _)| *seq);
                let clicks: Vec<NewClick> = chunk.iter().map(|(_, c)| c.clone()).collect();
                sqlite_batch(conn, recent, &clicks, (&orphan.instance, last)).map_err(db)?;
                applied = last;
                count += clicks.len();
            }
        }
        // Files first: with the files gone, a stale row is harmless, while
        // files without their row would be applied a second time.
        let instance = orphan.instance.clone();
        orphan.remove().map_err(io)?;
        conn.execute(
            "DELETE FROM click_journals WHERE instance = ?1",
            [&instance],
        )
        .map_err(db)?;
        if count > 0 {
            tracing::info!(
                clicks = count,
                "applied the click journal of a stopped instance"
            );
        }
    }
    Ok(())
}

/// Stores a batch of clicks, and in the same transaction how far the
/// journal they came from (instance, line) is applied.
fn sqlite_batch(
    conn: &mut rusqlite::Connection,
    recent: &mut RecentVisitors,
    clicks: &[NewClick],
    (instance, seq): (&str, u64),
) -> rusqlite::Result<Vec<Verdict>> {
    // IMMEDIATE: take the write lock first, so what is read below cannot
    // change before the commit.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let rules: PointRules = setting_from_stored(
        tx.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([RULES_KEY], |r| r.get(0))
            .optional()?,
    );
    let verdicts = final_verdicts(clicks, |code, visitor| recent.latest(code, visitor));

    let mut ids = Vec::with_capacity(clicks.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO clicks (code, at, visitor, verdict, qualified) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (click, verdict) in clicks.iter().zip(&verdicts) {
            insert.execute(params![
                click.code,
                click.at,
                click.visitors[0],
                verdict.code(),
                flag(*verdict == Verdict::Qualified)
            ])?;
            ids.push(tx.last_insert_rowid());
        }
    }

    let mut paid = Paid::new();
    {
        let mut sum = tx.prepare_cached(
            "SELECT COALESCE(SUM(points), 0) FROM points_ledger \
             WHERE code = ?1 AND reason = 'click' AND created_at >= ?2 AND created_at < ?3",
        )?;
        for (code, day) in cap_keys(clicks, &verdicts) {
            let so_far: i64 = sum.query_row(params![code, day, day + DAY_MS], |r| r.get(0))?;
            paid.insert((code, day), so_far);
        }
    }
    {
        let mut pay = tx.prepare_cached(
            "INSERT INTO points_ledger (person_id, source_key, points, reason, code, created_at) \
             VALUES (?1, ?2, ?3, 'click', ?4, ?5) ON CONFLICT (source_key) DO NOTHING",
        )?;
        let mut added = Vec::new();
        for (i, points) in plan_points(clicks, &verdicts, &rules, paid) {
            let click = &clicks[i];
            let inserted = pay.execute(params![
                click.person_id,
                click_key(ids[i]),
                points,
                click.code,
                click.at
            ])?;
            if inserted == 1 {
                added.push((click.person_id, points, click.at));
            }
        }
        let mut total = tx.prepare_cached(ADD_TOTAL_SQLITE)?;
        for ((period, start, person), points) in totals_delta(&added) {
            total.execute(params![period, start, person, points])?;
        }
    }
    {
        let mut count = tx.prepare_cached(
            "UPDATE tracked_links SET raw_clicks = raw_clicks + ?1, \
             qualified_clicks = qualified_clicks + ?2 WHERE code = ?3",
        )?;
        for (code, (raw, qualified)) in counters(clicks, &verdicts) {
            count.execute(params![raw, qualified, code])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO click_journals (instance, applied_seq) VALUES (?1, ?2) \
         ON CONFLICT (instance) DO UPDATE SET applied_seq = excluded.applied_seq",
    )?
    .execute(params![instance, seq as i64])?;
    tx.commit()?;
    // Only stored clicks count as seen.
    let now = crate::db::now_ms();
    for (click, verdict) in clicks.iter().zip(&verdicts) {
        if *verdict == Verdict::Qualified {
            recent.record(&click.code, &click.visitors[0], click.at, now);
        }
    }
    Ok(verdicts)
}

// ---------------------------------------------------------------------------
// PostgreSQL: a task on its own small pool, a few statements per batch.

async fn pool_writer(db: Db, mut rx: mpsc::Receiver<Pending>, live: crate::live::Bus) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (clicks, acks): (Vec<NewClick>, Vec<_>) = batch.drain(..).unzip();
        let result = pool_batch(&db, &clicks).await.map_err(|e| format!("{e:?}"));
        acknowledge(acks, result, &live);
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

/// The stored qualified clicks that could make this batch's clicks repeats,
/// in one query per 200 clicks (a longer OR chain is too deep for some
/// databases). Read outside the write transaction: only this writer stores
/// clicks, so nothing can change in between.
async fn stored_seen(db: &Db, clicks: &[NewClick]) -> AppResult<Seen> {
    let candidates: Vec<&NewClick> = clicks
        .iter()
        .filter(|c| c.verdict == Verdict::Qualified)
        .collect();
    let mut seen = Seen::new();
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
    Ok(seen)
}

async fn pool_batch(db: &Db, clicks: &[NewClick]) -> AppResult<Vec<Verdict>> {
    let rules = load_rules(db).await?;
    let stored = stored_seen(db, clicks).await?;
    let verdicts = final_verdicts(clicks, |code, visitor| {
        stored
            .get(&(code.to_string(), visitor.to_string()))
            .copied()
    });

    let mut tx = db.begin().await?;
    let sql = format!(
        "INSERT INTO clicks (code, at, visitor, verdict, qualified) VALUES {} RETURNING id",
        placeholders(clicks.len(), 5, 1)
    );
    let mut insert = sqlx::query_scalar::<_, i64>(&sql);
    for (click, verdict) in clicks.iter().zip(&verdicts) {
        insert = insert
            .bind(&click.code)
            .bind(click.at)
            .bind(&click.visitors[0])
            .bind(verdict.code())
            .bind(flag(*verdict == Verdict::Qualified));
    }
    // The database numbers the rows of one multi-row insert in order.
    let mut ids = insert.fetch_all(&mut *tx).await?;
    ids.sort_unstable();

    let mut paid = Paid::new();
    for (code, day) in cap_keys(clicks, &verdicts) {
        let so_far: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger \
             WHERE code = $1 AND reason = 'click' AND created_at >= $2 AND created_at < $3",
        )
        .bind(&code)
        .bind(day)
        .bind(day + DAY_MS)
        .fetch_one(&mut *tx)
        .await?;
        paid.insert((code, day), so_far);
    }
    let entries = plan_points(clicks, &verdicts, &rules, paid);
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
        let sql = format!("{sql} RETURNING person_id, points, created_at");
        let mut insert = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
        for (i, points) in entries {
            let click = &clicks[i];
            insert = insert
                .bind(click.person_id)
                .bind(click_key(ids[i]))
                .bind(points)
                .bind(&click.code)
                .bind(click.at);
        }
        let added = insert.fetch_all(&mut *tx).await?;
        for ((period, start, person), points) in totals_delta(&added) {
            sqlx::query(
                "INSERT INTO points_totals (period, start, person_id, points) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (period, start, person_id) \
                 DO UPDATE SET points = points_totals.points + excluded.points",
            )
            .bind(period)
            .bind(start)
            .bind(person)
            .bind(points)
            .execute(&mut *tx)
            .await?;
        }
    }
    for (code, (raw, qualified)) in counters(clicks, &verdicts) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_800_000_000_000; // a moment in 2027

    fn lookup(seen: &Seen) -> impl Fn(&str, &str) -> Option<i64> + '_ {
        |c, v| seen.get(&(c.to_string(), v.to_string())).copied()
    }

    fn click(code: &str, visitor: &str, at: i64, verdict: Verdict) -> NewClick {
        NewClick {
            code: code.into(),
            person_id: 7,
            at,
            visitors: [visitor.into(), format!("{visitor}-yesterday")],
            verdict,
        }
    }

    #[test]
    fn repeats_within_the_batch_and_against_stored_clicks() {
        let clicks = [
            click("a", "v1", T, Verdict::Qualified),
            click("a", "v1", T + 5, Verdict::Qualified),
            click("b", "v1", T + 6, Verdict::Qualified),
            click("a", "v2", T + 7, Verdict::Qualified),
            click("a", "v3", T + 8, Verdict::Bot),
            click("a", "v4", T + 9, Verdict::Qualified),
        ];
        let mut seen = Seen::new();
        // v2 clicked "a" an hour ago; v4 clicked it two days ago.
        seen.insert(("a".into(), "v2".into()), T - 3_600_000);
        seen.insert(("a".into(), "v4".into()), T - 2 * DAY_MS);
        assert_eq!(
            final_verdicts(&clicks, lookup(&seen)),
            [
                Verdict::Qualified,
                Verdict::Repeat,
                Verdict::Qualified, // another link
                Verdict::Repeat,
                Verdict::Bot,       // not qualified, stays as the redirect said
                Verdict::Qualified, // outside the 24 hours
            ]
        );
    }

    #[test]
    fn yesterdays_hash_still_finds_the_visitor() {
        // After midnight the visitor's hash changes; their previous click was
        // stored under what is now their "yesterday" hash.
        let clicks = [click("a", "today", T, Verdict::Qualified)];
        let mut seen = Seen::new();
        seen.insert(("a".into(), "today-yesterday".into()), T - 60_000);
        assert_eq!(final_verdicts(&clicks, lookup(&seen)), [Verdict::Repeat]);
    }

    #[test]
    fn click_points_stop_at_the_daily_cap_per_link() {
        let rules = PointRules {
            per_qualified_click: 3,
            daily_click_cap_per_share: 10,
            ..PointRules::default()
        };
        let next_day = day_of(T) + DAY_MS;
        let clicks = [
            click("a", "v1", T, Verdict::Qualified),
            click("a", "v2", T, Verdict::Qualified),
            click("a", "v3", T, Verdict::Repeat),
            click("a", "v4", T, Verdict::Qualified),
            click("b", "v5", T, Verdict::Qualified),
            click("a", "v6", next_day, Verdict::Qualified),
        ];
        let verdicts: Vec<Verdict> = clicks.iter().map(|c| c.verdict).collect();
        assert_eq!(
            cap_keys(&clicks, &verdicts).into_iter().collect::<Vec<_>>(),
            [
                ("a".to_string(), day_of(T)),
                ("a".to_string(), next_day),
                ("b".to_string(), day_of(T))
            ]
        );
        let mut paid = Paid::new();
        paid.insert(("a".into(), day_of(T)), 2);
        // "a" had 2 of its 10 today: 3 + 3 + the last 2; "b" and tomorrow start afresh.
        assert_eq!(
            plan_points(&clicks, &verdicts, &rules, paid),
            [(0, 3), (1, 3), (3, 2), (4, 3), (5, 3)]
        );
    }

    #[test]
    fn counters_count_every_click_and_the_qualified_ones() {
        let clicks = [
            click("b", "v1", T, Verdict::Qualified),
            click("a", "v1", T, Verdict::Bot),
            click("b", "v2", T, Verdict::Repeat),
        ];
        let verdicts: Vec<Verdict> = clicks.iter().map(|c| c.verdict).collect();
        let got: Vec<_> = counters(&clicks, &verdicts).into_iter().collect();
        assert_eq!(got, [("a".to_string(), (1, 0)), ("b".to_string(), (2, 1))]);
    }

    #[test]
    fn recent_visitors_remember_a_day_and_forget_the_oldest_when_full() {
        let mut recent = RecentVisitors::new(4);
        recent.record("a", "v1", T - 2 * DAY_MS, T);
        recent.record("a", "v2", T - 3_600_000, T);
        recent.record("a", "v2", T - 7_200_000, T); // an older visit never wins
        assert_eq!(recent.latest("a", "v2"), Some(T - 3_600_000));
        assert_eq!(recent.latest("b", "v2"), None);
        let clicks = [
            click("a", "v2", T, Verdict::Qualified),
            click("a", "v9", T, Verdict::Qualified),
        ];
        assert_eq!(
            final_verdicts(&clicks, |c, v| recent.latest(c, v)),
            [Verdict::Repeat, Verdict::Qualified]
        );

        recent.record("a", "v3", T - 60_000, T);
        recent.record("a", "v4", T - 30_000, T);
        // Full (4): the visit older than a day goes first.
        recent.record("a", "v5", T, T);
        assert_eq!(recent.latest("a", "v1"), None);
        assert_eq!(recent.latest("a", "v5"), Some(T));
        // Still full: older visits go until a quarter of the room is free.
        recent.record("a", "v6", T, T);
        recent.record("a", "v7", T, T);
        assert_eq!(recent.latest("a", "v2"), None);
        assert_eq!(recent.latest("a", "v4"), Some(T - 30_000));
        assert!(recent.latest.len() <= 4);
    }

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

    #[test]
    fn placeholders_number_rows_in_order() {
        assert_eq!(placeholders(2, 3, 4), "($4, $5, $6), ($7, $8, $9)");
    }

    #[test]
    fn click_totals_are_summed_per_period_and_person() {
        use crate::leaderboard::Period;
        let at = T;
        let delta = totals_delta(&[(1, 2, at), (1, 2, at + 1), (2, 3, at), (3, 0, at)]);
        for period in Period::ALL {
            assert_eq!(delta[&(period.code(), period.start(at), 1)], 4);
            assert_eq!(delta[&(period.code(), period.start(at), 2)], 3);
        }
        assert_eq!(delta.len(), 8, "nothing for a capped click worth 0");
    }
}
