//! The click journal (SQLite). A redirect is acknowledged once its click is
//! appended to this instance's journal file: one `write`, after which the
//! click is in the page cache and survives the process being killed. The
//! click applier (in `writer`) moves the clicks into the tables in large
//! batches. So a redirect waits neither for a commit nor for another thread,
//! and a commit's fixed costs (WAL pages, locks, fsyncs) are shared by
//! hundreds of clicks rather than a few.
//!
//! Files, in `<data dir>/journal/`: `{instance}.lock`, locked by the running
//! instance, and `{instance}-{number}.log`, one line per click:
//! `seq TAB at TAB person TAB verdict TAB code TAB visitor TAB visitor`.
//! Which lines are applied is stored with the clicks (`click_journals`), in
//! the same transaction, so a line is applied exactly once. At start, the
//! journals of instances that are gone (their lock is free) are applied and
//! deleted before the server answers.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use super::rules::Verdict;
use super::NewClick;

/// What the appender hands the applier, in journal order.
pub enum Entry {
    Click(u64, NewClick),
    /// A file that gets no more lines, and the number of its last line.
    Sealed(PathBuf, u64),
}

/// Past this size a journal file is closed and a new one started, so the
/// applied ones can be deleted.
const ROTATE_AT: u64 = 8 << 20;

pub struct Journal {
    inner: Mutex<Appender>,
}

struct Appender {
    dir: PathBuf,
    instance: String,
    number: u64,
    file: File,
    len: u64,
    next_seq: u64,
    line: String,
    tx: mpsc::SyncSender<Entry>,
    /// Set when the queue to the applier was full and an entry was left
    /// out; the applier then reads the lines back from the file.
    overflow: Arc<AtomicBool>,
    /// Locked for as long as this instance runs: no other instance applies
    /// or deletes this journal meanwhile.
    _lock: File,
}

fn lock_path(dir: &Path, instance: &str) -> PathBuf {
    dir.join(format!("{instance}.lock"))
}

fn log_path(dir: &Path, instance: &str, number: u64) -> PathBuf {
    dir.join(format!("{instance}-{number:08}.log"))
}

fn open_log(path: &Path) -> io::Result<File> {
    OpenOptions::new().create_new(true).append(true).open(path)
}

/// Opens `path` and takes its lock; `None` when another instance holds it.
fn take_lock(path: &Path) -> io::Result<Option<File>> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

impl Journal {
    /// A new journal for this instance in `dir`, and what the applier needs:
    /// the queue lines go to as they are appended (at most `backlog` waiting),
    /// the flag set when one did not fit, and the instance's name.
    pub fn create(dir: &Path, backlog: usize) -> io::Result<(Self, Handoff)> {
        fs::create_dir_all(dir)?;
        let (tx, rx) = mpsc::sync_channel(backlog.max(1));
        let overflow = Arc::new(AtomicBool::new(false));
        let instance = format!("{:016x}", rand::random::<u64>());
        let lock = take_lock(&lock_path(dir, &instance))?
            .ok_or_else(|| io::Error::other("a fresh journal lock is held"))?;
        let file = open_log(&log_path(dir, &instance, 1))?;
        let appender = Appender {
            dir: dir.to_path_buf(),
            instance: instance.clone(),
            number: 1,
            file,
            len: 0,
            next_seq: 1,
            line: String::with_capacity(256),
            tx,
            overflow: overflow.clone(),
            _lock: lock,
        };
        Ok((
            Self {
                inner: Mutex::new(appender),
            },
            Handoff {
                rx,
                overflow,
                instance,
            },
        ))
    }

    /// Appends the click; once this returns `Ok`, the click is stored.
    pub fn append(&self, click: NewClick) -> io::Result<()> {
        self.lock().append(click)
    }

    /// The number of the last line appended (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.lock().next_seq - 1
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Appender> {
        // A panic while holding the lock leaves whole lines behind (a
        // failed write is cut off before returning): keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Appender {
    fn append(&mut self, click: NewClick) -> io::Result<()> {
        let seq = self.next_seq;
        self.line.clear();
        encode(seq, &click, &mut self.line);
        if let Err(e) = self.file.write_all(self.line.as_bytes()) {
            // A part-written line would hide the lines after it from
            // recovery; the click is reported as not stored.
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += self.line.len() as u64;
        self.next_seq += 1;
        self.hand_over(Entry::Click(seq, click));
        if self.len >= ROTATE_AT {
            self.rotate();
        }
        Ok(())
    }

    /// Never waits: a full queue only means the applier reads this entry
    /// back from the file. (The applier is gone only while the process
    /// stops; the click is in the journal and the next start applies it.)
    fn hand_over(&mut self, entry: Entry) {
        if let Err(mpsc::TrySendError::Full(_)) = self.tx.try_send(entry) {
            self.overflow.store(true, Ordering::Release);
        }
    }

    fn rotate(&mut self) {
        let next = log_path(&self.dir, &self.instance, self.number + 1);
        match open_log(&next) {
            Ok(file) => {
                let old = log_path(&self.dir, &self.instance, self.number);
                self.file = file;
                self.number += 1;
                self.len = 0;
                self.hand_over(Entry::Sealed(old, self.next_seq - 1));
            }
            // Appending goes on in the current file; it is tried again at
            // the next click.
            Err(e) => tracing::warn!(error = %e, "starting a new click journal file failed"),
        }
    }
}

fn encode(seq: u64, click: &NewClick, out: &mut String) {
    let _ = writeln!(
        out,
        "{seq}\t{}\t{}\t{}\t{}\t{}\t{}",
        click.at,
        click.person_id,
        click.verdict.code(),
        click.code,
        click.visitors[0],
        click.visitors[1]
    );
}

fn decode(line: &str) -> Option<(u64, NewClick)> {
    let mut fields = line.split('\t');
    let mut next = || fields.next();
    let seq = next()?.parse().ok()?;
    let at = next()?.parse().ok()?;
    let person_id = next()?.parse().ok()?;
    let verdict = Verdict::from_code(next()?)?;
    let code = next()?.to_string();
    let visitors = [next()?.to_string(), next()?.to_string()];
    if next().is_some() || !app::share::link::is_valid_code(&code) {
        return None;
    }
    Some((
        seq,
        NewClick {
            code,
            person_id,
            at,
            visitors,
            verdict,
        },
    ))
}

/// The lines of one journal file numbered above `applied`, in order. A last
/// line cut short (the process died inside the write, so its redirect was
/// never sent) is left out, as is a damaged line, with a warning.
pub fn read_after(path: &Path, applied: u64) -> io::Result<Vec<(u64, NewClick)>> {
    let text = fs::read(path)?;
    let text = String::from_utf8_lossy(&text);
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        let Some(line) = line.strip_suffix('\n') else {
            break;
        };
        match decode(line) {
            Some((seq, click)) if seq > applied => out.push((seq, click)),
            Some(_) => {}
            None => tracing::warn!(file = %path.display(), "skipping a damaged click journal line"),
        }
    }
    Ok(out)
}

/// The applier's end of a new journal.
pub struct Handoff {
    pub rx: mpsc::Receiver<Entry>,
    pub overflow: Arc<AtomicBool>,
    pub instance: String,
}

/// What this instance's own journal holds after a line, read back from its
/// files when the queue could not hold everything.
pub struct Own {
    /// At most the limit asked for, in order.
    pub lines: Vec<(u64, NewClick)>,
    /// The files before the newest one (they get no more lines) and the
    /// number of their last line.
    pub sealed: Vec<(PathBuf, u64)>,
}

/// The lines of `instance`'s journal numbered above `after`, at most `limit`
/// of them, from its files in writing order.
pub fn read_own(dir: &Path, instance: &str, after: u64, limit: usize) -> io::Result<Own> {
    let prefix = format!("{instance}-");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".log"))
        })
        .collect();
    // Zero-padded numbers: name order is writing order.
    files.sort();
    let mut own = Own {
        lines: Vec::new(),
        sealed: Vec::new(),
    };
    let newest = files.len().saturating_sub(1);
    for (i, file) in files.iter().enumerate() {
        let lines = match read_after(file, 0) {
            Ok(lines) => lines,
            // Deleted meanwhile: it was applied.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        if i < newest {
            let up_to = lines.last().map_or(after, |(seq, _)| *seq);
            own.sealed.push((file.clone(), up_to));
        }
        let room = limit - own.lines.len();
        own.lines
            .extend(lines.into_iter().filter(|(seq, _)| *seq > after).take(room));
        if own.lines.len() >= limit {
            break;
        }
    }
    Ok(own)
}

/// The journal of an instance that no longer runs, locked by this one.
pub struct Orphan {
    pub instance: String,
    /// In the order they were written.
    pub files: Vec<PathBuf>,
    lock: PathBuf,
    _held: File,
}

impl Orphan {
    /// Deletes the journal, once everything in it is applied.
    pub fn remove(self) -> io::Result<()> {
        for file in &self.files {
            fs::remove_file(file)?;
        }
        fs::remove_file(&self.lock)
    }
}

/// The journals in `dir` whose instance is gone.
pub fn orphans(dir: &Path) -> io::Result<Vec<Orphan>> {
    let mut by_instance: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(instance) = name.strip_suffix(".lock") {
            by_instance.entry(instance.to_string()).or_default();
        } else if let Some((instance, _)) =
            name.strip_suffix(".log").and_then(|n| n.rsplit_once('-'))
        {
            by_instance
                .entry(instance.to_string())
                .or_default()
                .push(path.clone());
        }
    }
    let mut out = Vec::new();
    for (instance, mut files) in by_instance {
        let lock = lock_path(dir, &instance);
        if let Some(held) = take_lock(&lock)? {
            // Zero-padded numbers: name order is writing order.
            files.sort();
            out.push(Orphan {
                instance,
                files,
                lock,
                _held: held,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn click(code: &str, n: i64) -> NewClick {
        NewClick {
            code: code.into(),
            person_id: 7,
            at: 1_700_000_000_000 + n,
            visitors: [format!("{n:032x}"), format!("{:032x}", n + 1)],
            verdict: if n % 2 == 0 {
                Verdict::Qualified
            } else {
                Verdict::Bot
            },
        }
    }

    #[test]
    fn lines_read_back_as_written_and_a_cut_off_line_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let (journal, Handoff { rx, instance, .. }) = Journal::create(dir.path(), 16).unwrap();
        for n in 0..3 {
            journal.append(click("abcdEFGH2345", n)).unwrap();
        }
        assert_eq!(journal.last_seq(), 3);
        let sent: Vec<u64> = rx
            .try_iter()
            .map(|e| match e {
                Entry::Click(seq, _) => seq,
                Entry::Sealed(..) => panic!("no file was sealed"),
            })
            .collect();
        assert_eq!(sent, [1, 2, 3]);

        let path = log_path(dir.path(), &instance, 1);
        // A process killed inside the write of a fourth line.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"4\t1700000000004\t7\tqualif").unwrap();
        let read = read_after(&path, 1).unwrap();
        let seqs: Vec<u64> = read.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            seqs,
            [2, 3],
            "lines up to 1 are applied, the cut-off line is not a click"
        );
        let (_, second) = &read[0];
        let expected = click("abcdEFGH2345", 1);
        assert_eq!(second.code, expected.code);
        assert_eq!(second.at, expected.at);
        assert_eq!(second.person_id, 7);
        assert_eq!(second.visitors, expected.visitors);
        assert_eq!(second.verdict, Verdict::Bot);
    }

    #[test]
    fn damaged_lines_are_skipped() {
        assert!(decode("1\t2\t3\tqualified\tabcdEFGH2345\ta\tb").is_some());
        for bad in [
            "1\t2\t3\tqualified\tabcdEFGH2345\ta",
            "1\t2\t3\tqualified\tabcdEFGH2345\ta\tb\tc",
            "1\t2\t3\tmaybe\tabcdEFGH2345\ta\tb",
            "x\t2\t3\tqualified\tabcdEFGH2345\ta\tb",
            "1\t2\t3\tqualified\tno/such code\ta\tb",
        ] {
            assert!(decode(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn only_the_journals_of_stopped_instances_are_orphans() {
        let dir = tempfile::tempdir().unwrap();
        let (running, _running) = Journal::create(dir.path(), 16).unwrap();
        running.append(click("abcdEFGH2345", 0)).unwrap();
        let (stopped, Handoff { instance: gone, .. }) = Journal::create(dir.path(), 16).unwrap();
        stopped.append(click("abcdEFGH2345", 2)).unwrap();
        drop(stopped);

        let found = orphans(dir.path()).unwrap();
        assert_eq!(found.len(), 1, "the running instance's journal is locked");
        assert_eq!(found[0].instance, gone);
        assert_eq!(found[0].files, [log_path(dir.path(), &gone, 1)]);
        assert!(
            orphans(dir.path()).unwrap().is_empty(),
            "an orphan being applied is locked too"
        );
        found.into_iter().next().unwrap().remove().unwrap();
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "the running instance's lock and log remain");
    }

    #[test]
    fn a_full_file_is_sealed_and_the_next_one_started() {
        let dir = tempfile::tempdir().unwrap();
        let (journal, Handoff { rx, instance, .. }) = Journal::create(dir.path(), 1 << 20).unwrap();
        let mut n = 0;
        let sealed = loop {
            journal.append(click("abcdEFGH2345", n)).unwrap();
            n += 1;
            if let Some(Entry::Sealed(path, last)) =
                rx.try_iter().find(|e| matches!(e, Entry::Sealed(..)))
            {
                break (path, last);
            }
        };
        assert_eq!(sealed.0, log_path(dir.path(), &instance, 1));
        assert_eq!(sealed.1, n as u64);
        journal.append(click("abcdEFGH2345", n)).unwrap();
        let next = read_after(&log_path(dir.path(), &instance, 2), 0).unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].0, n as u64 + 1);
        assert_eq!(read_after(&sealed.0, 0).unwrap().len(), n as usize);
    }

    #[test]
    fn a_full_queue_never_blocks_and_the_file_has_every_line() {
        let dir = tempfile::tempdir().unwrap();
        let (journal, handoff) = Journal::create(dir.path(), 2).unwrap();
        for n in 0..5 {
            journal.append(click("abcdEFGH2345", n)).unwrap();
        }
        let queued: Vec<u64> = handoff
            .rx
            .try_iter()
            .map(|e| match e {
                Entry::Click(seq, _) => seq,
                Entry::Sealed(..) => panic!("no file was sealed"),
            })
            .collect();
        assert_eq!(queued, [1, 2], "the queue holds two");
        assert!(
            handoff.overflow.load(Ordering::Acquire),
            "the rest is flagged"
        );
        let own = read_own(dir.path(), &handoff.instance, 2, 100).unwrap();
        let seqs: Vec<u64> = own.lines.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, [3, 4, 5], "read back from the file, in order");
        assert!(own.sealed.is_empty(), "the only file is still written to");
        let limited = read_own(dir.path(), &handoff.instance, 0, 2).unwrap();
        assert_eq!(limited.lines.len(), 2);
    }
}
