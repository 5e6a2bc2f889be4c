//! The SQLite click applier: an OS thread with its own connection that
//! moves journalled clicks into the tables, hundreds per transaction, and
//! checkpoints the WAL between its transactions. At start it first applies
//! the journals of instances that stopped.
//!
//! The journal hands it clicks through a bounded queue. When the queue is
//! full (the database is slower than the clicks coming in), the redirect
//! still answers at once: its click is in the journal file, and the applier
//! reads the clicks it missed back from the file, in order, once it gets to
//! them. So memory stays bounded and nothing acknowledged is lost; only the
//! tables lag further behind.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::base::change::Changed;
use app::base::live::Bus;
use rusqlite::OptionalExtension;
use tokio::sync::watch;

use super::journal::{self, Entry};
use super::recent::RecentVisitors;
use super::sqlite::{checkpoint, store_batch};
use super::NewClick;

/// The least time between two transactions of the click applier. Clicks
/// are already stored (in the journal) when they wait here, so this only
/// sets how soon they show in the tables; waiting gathers hundreds of clicks
/// per transaction under load, where a commit costs about the same for one
/// click as for fifty (every page it touches goes whole into the WAL).
const APPLY_GAP: Duration = Duration::from_millis(20);

/// The most clicks in one transaction.
pub const MAX_APPLY: usize = 4096;

/// The most clicks read back from the journal files at once while catching
/// up (each a few hundred bytes in memory).
const CATCH_UP_LINES: usize = 16 * MAX_APPLY;

/// How often the applier copies the WAL back into the database. It is the
/// only writer of clicks, so between two of its transactions a checkpoint
/// can copy every frame, and the next transaction starts the WAL from the
/// beginning; the fsyncs wait on this thread, not on any redirect.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Moves journalled clicks into the tables, on its own thread and connection.
pub struct Applier {
    pub conn: rusqlite::Connection,
    pub recent: RecentVisitors,
    /// The journal's folder and this instance's name in it.
    pub dir: PathBuf,
    pub instance: String,
    /// Set by the journal when its queue was full and a click was left out.
    pub overflow: Arc<AtomicBool>,
    pub live: Bus,
    /// The number of the last journal line applied.
    pub done: watch::Sender<u64>,
    pub stats: Arc<super::ClickStats>,
}

impl Applier {
    pub fn run(mut self, rx: Receiver<Entry>) {
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
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
            let since = applied.elapsed();
            if open && since < APPLY_GAP {
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
            if self.overflow.swap(false, Ordering::AcqRel) {
                next.behind = true;
            }
            self.apply(&next.clicks, next.last);
            next.clicks.clear();
            if next.behind {
                self.catch_up(&mut next);
            }
            applied = Instant::now();
            next.delete_applied();
            if checkpointed.elapsed() >= CHECKPOINT_EVERY {
                if let Err(e) = checkpoint(&self.conn) {
                    tracing::warn!(error = %e, "WAL checkpoint failed; will retry");
                }
                checkpointed = Instant::now();
            }
        }
    }

    /// Reads the clicks the queue could not hold back from the journal
    /// files and applies them, a bounded number at a time; catching up ends
    /// when the read reaches the end of the file.
    fn catch_up(&mut self, next: &mut Next) {
        match journal::read_own(&self.dir, &self.instance, next.last, CATCH_UP_LINES) {
            Ok(own) => {
                let reached_end = own.lines.len() < CATCH_UP_LINES;
                for chunk in own.lines.chunks(MAX_APPLY) {
                    let last = chunk.last().map_or(next.last, |(seq, _)| *seq);
                    let clicks: Vec<NewClick> = chunk.iter().map(|(_, c)| c.clone()).collect();
                    self.apply(&clicks, last);
                    next.last = last;
                }
                next.sealed.extend(own.sealed);
                next.behind = !reached_end;
            }
            Err(e) => {
                tracing::error!(error = %e, "reading the click journal back failed; will retry")
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
            match store_batch(&mut self.conn, &mut self.recent, clicks, stamp) {
                Ok(stored) => {
                    Changed::quiet(())
                        .and_all(stored.facts())
                        .publish(&self.live);
                    self.done.send_replace(last);
                    let oldest = clicks.iter().map(|c| c.at).min().unwrap_or(0);
                    self.stats.applied(clicks.len() as u64, oldest);
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
    /// Lines after `last` are in the journal files but not in the queue.
    behind: bool,
}

impl Next {
    fn take(&mut self, entry: Entry) {
        match entry {
            // Taken already, read back from the file.
            Entry::Click(seq, _) if seq <= self.last => {}
            // The queue was full for the lines in between (or still is):
            // they, and this one, are read back from the file in order.
            Entry::Click(seq, _) if self.behind || seq != self.last + 1 => self.behind = true,
            Entry::Click(seq, click) => {
                self.clicks.push(click);
                self.last = seq;
            }
            Entry::Sealed(file, up_to) => self.sealed.push((file, up_to)),
        }
    }

    /// Deletes the full journal files whose every line is applied.
    fn delete_applied(&mut self) {
        let last = self.last;
        self.sealed.retain(|(file, up_to)| {
            if *up_to > last {
                return true;
            }
            // The transaction that applied it was synced (synchronous =
            // FULL), so the file is no longer needed even after a power cut.
            // Read back while catching up, it may have been listed twice.
            match std::fs::remove_file(file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(file = %file.display(), error = %e, "deleting an applied click journal failed")
                }
            }
            false
        });
    }
}

/// Applies and deletes the journals of instances that stopped (crashed,
/// killed, or stopped between two of their applier's transactions).
pub fn recover(
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
                store_batch(conn, recent, &clicks, (&orphan.instance, last))
                    .map_err(|e| format!("applying a click journal: {e}"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clicks::rules::Verdict;

    fn click(n: u64) -> NewClick {
        NewClick {
            code: "abcdefghij".into(),
            person_id: 1,
            at: n as i64,
            visitors: [format!("{n:032x}"), format!("{n:032x}")],
            verdict: Verdict::Qualified,
        }
    }

    #[test]
    fn a_gap_in_the_queue_switches_to_reading_the_file() {
        let mut next = Next::default();
        next.take(Entry::Click(1, click(1)));
        next.take(Entry::Click(2, click(2)));
        assert_eq!((next.last, next.behind), (2, false));
        // Lines 3 and 4 did not fit in the queue.
        next.take(Entry::Click(5, click(5)));
        assert_eq!((next.last, next.behind, next.clicks.len()), (2, true, 2));
        // Read back from the file meanwhile: later queue entries are
        // duplicates, or still behind.
        next.last = 5;
        next.take(Entry::Click(4, click(4)));
        next.take(Entry::Click(6, click(6)));
        assert_eq!((next.last, next.clicks.len()), (5, 2));
        next.behind = false;
        next.take(Entry::Click(6, click(6)));
        assert_eq!((next.last, next.clicks.len()), (6, 3));
    }
}
