//! The click pipeline behind the tracked-link redirect: which clicks count
//! (`rules`), the link cache (`links`), and the click recorder, which stores
//! every click in batches so the redirect stays fast and no acknowledged
//! click is ever lost.
//!
//! What a batch means (repeats, click points within the daily cap, the
//! per-link counters) is decided once, in `plan`, over a `Store` that each
//! database implements:
//! - SQLite (`journal`, `applier`, `sqlite`): a click is stored once it is
//!   appended to the instance's journal, which the redirect does itself; the
//!   applier thread moves journalled clicks into the tables. The single
//!   applier remembers the last day's visitors in memory (`recent`).
//! - PostgreSQL (`postgres`): each redirect waits for its click's commit by
//!   a group-committing task; repeats are looked up in the database, since
//!   several instances may write.

mod applier;
pub mod crawlers;
pub mod crowd;
pub mod journal;
pub mod links;
pub mod plan;
pub mod postgres;
mod recent;
pub mod retention;
pub mod rules;
mod sqlite;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use app::base::change::Changed;
use app::base::db::{now_ms, Backend, Db};
use app::base::live::Bus;
use tokio::sync::{mpsc, oneshot, watch};

use journal::{Handoff, Journal};
use rules::Verdict;

/// One click as the redirect saw it. `verdict` is final unless it is
/// `Qualified`: whether it is a repeat is decided by the writer, which sees
/// every click in order, so two simultaneous clicks cannot both qualify.
#[derive(Debug, Clone)]
pub struct NewClick {
    pub code: String,
    /// Who shared the link, and so earns the click's points.
    pub person_id: i64,
    pub at: i64,
    /// Today's and yesterday's visitor hash (see `rules::VisitorKeys`).
    pub visitors: [String; 2],
    pub verdict: Verdict,
}

type Pending = (NewClick, oneshot::Sender<Verdict>);

/// Clicks that may wait in memory for the SQLite applier by default (each a
/// few hundred bytes); past it they are read back from the journal file.
pub const DEFAULT_BACKLOG: u32 = 65_536;

/// What the click pipeline has done, for `/metrics`; shared with the
/// writer threads.
#[derive(Default)]
pub struct ClickStats {
    pub journalled: AtomicU64,
    pub applied: AtomicU64,
    /// From the click to its row in the tables, in milliseconds, for the
    /// last batch applied.
    pub lag_ms: AtomicU64,
}

impl ClickStats {
    pub fn journalled(&self, n: u64) {
        self.journalled.fetch_add(n, Ordering::Relaxed);
    }

    /// `n` clicks reached the tables; the oldest of them was made at `oldest_at` (ms).
    pub fn applied(&self, n: u64, oldest_at: i64) {
        self.applied.fetch_add(n, Ordering::Relaxed);
        let lag = (app::base::db::now_ms() - oldest_at).max(0) as u64;
        self.lag_ms.store(lag, Ordering::Relaxed);
    }
}

/// Hands clicks to the writer; cheap to clone.
#[derive(Clone)]
pub struct ClickRecorder {
    to: Recorder,
    pub stats: Arc<ClickStats>,
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
    /// Starts the writer for the database at `url` (which `db` is connected
    /// to). On PostgreSQL the writer opens its own pool; on SQLite it opens
    /// the same file directly, and keeps its journal next to it, with at most
    /// `backlog` clicks waiting in memory for the applier.
    pub async fn start(db: &Db, url: &str, live: Bus, backlog: u32) -> Result<Self, String> {
        match Backend::from_url(url) {
            Some(Backend::Sqlite) => Self::start_sqlite(db, live, backlog as usize).await,
            Some(Backend::Postgres) => {
                let (tx, rx) = mpsc::channel::<Pending>(8 * postgres::MAX_BATCH);
                let pool = app::base::db::connect_writer(url)
                    .await
                    .map_err(|e| format!("database: {e}"))?;
                let stats = Arc::<ClickStats>::default();
                tokio::spawn(postgres::writer(pool, rx, live, stats.clone()));
                Ok(Self {
                    to: Recorder::Pool(tx),
                    stats,
                })
            }
            None => Err("DATABASE_URL must start with sqlite: or postgres:".into()),
        }
    }

    async fn start_sqlite(db: &Db, live: Bus, backlog: usize) -> Result<Self, String> {
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
        // Done before the server starts: the clicks of a stopped instance
        // are applied first, and without the last day's visitors repeats
        // would qualify and be paid.
        let (conn, recent, journal, handoff, dir) = tokio::task::spawn_blocking(move || {
            let mut conn = sqlite::open(&file).map_err(|e| e.to_string())?;
            // Every applier commit is synced, so a journal file deleted once
            // applied is not needed after a power cut.
            conn.execute_batch("PRAGMA synchronous = FULL")
                .map_err(|e| e.to_string())?;
            let mut recent = sqlite::load_recent(&conn, now_ms()).map_err(|e| e.to_string())?;
            applier::recover(&mut conn, &mut recent, &dir)?;
            let (journal, handoff) =
                Journal::create(&dir, backlog).map_err(|e| format!("click journal: {e}"))?;
            Ok::<_, String>((conn, recent, journal, handoff, dir))
        })
        .await
        .map_err(|e| format!("starting the click writer: {e}"))?
        .map_err(|e| format!("starting the click writer: {e}"))?;
        let Handoff {
            rx,
            overflow,
            instance,
        } = handoff;
        let (done, applied) = watch::channel(0);
        let stats = Arc::<ClickStats>::default();
        let applier = applier::Applier {
            stats: stats.clone(),
            conn,
            recent,
            dir,
            instance,
            overflow,
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
            stats,
        })
    }

    /// Stores the click; `false` when it could not be stored.
    pub async fn record(&self, click: NewClick) -> bool {
        match &self.to {
            Recorder::Journal { journal, .. } => match journal.append(click) {
                Ok(()) => {
                    self.stats.journalled(1);
                    true
                }
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
/// one that its click was not stored), and publishes what the batch paid.
fn acknowledge(
    acks: Vec<oneshot::Sender<Verdict>>,
    result: Result<plan::Stored, String>,
    live: &Bus,
) {
    match result {
        Ok(stored) => {
            Changed::quiet(()).and_all(stored.facts()).publish(live);
            for (ack, verdict) in acks.into_iter().zip(stored.verdicts) {
                let _ = ack.send(verdict);
            }
        }
        Err(error) => {
            tracing::error!(clicks = acks.len(), %error, "storing a batch of clicks failed")
        }
    }
}
