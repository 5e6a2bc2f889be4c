//! `sprida backup FILE` and `sprida restore FILE` for SQLite.
//!
//! A backup is one SQLite file: a consistent copy of the database
//! (`VACUUM INTO`, one read transaction, so the running server goes on
//! writing) plus, in a table of its own, the click journal files and the
//! secret key. Clicks are acknowledged once they are in the journal, before
//! they reach the tables, so a copy of the database alone would miss the
//! latest of them.
//!
//! The order matters: the journal files are read first, the database copied
//! after. A click acknowledged before the backup began is then in the copied
//! journal, or (if its file was already applied and deleted) in the tables
//! the later copy holds. Lines in both are applied once: the copy's
//! `click_journals` says which lines its tables hold, and the restored
//! server applies only the rest when it starts (see `clicks::journal`).
//!
//! On PostgreSQL a click is committed before its redirect is sent, so
//! `pg_dump` is the backup (README, "Backups").

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};

/// The table in a backup file that holds the files beside the database.
const FILES: &str = "sprida_backup_files";

/// What a backup held.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub journal_files: usize,
    pub bytes: u64,
}

/// Writes a backup of the SQLite database at `db` (and its data directory's
/// journal and key) to `out`, which must not exist yet.
pub fn backup(db: &Path, out: &Path) -> Result<Summary, String> {
    if out.exists() {
        return Err(format!("{} exists already; give a new file", out.display()));
    }
    if !db.exists() {
        return Err(format!("no database at {}", db.display()));
    }
    let dir = db.parent().unwrap_or(Path::new("."));
    // First the journal (see the module comment for why first).
    let mut files = Vec::new();
    let journal = dir.join("journal");
    if let Ok(entries) = std::fs::read_dir(&journal) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "log") {
                // A file applied and deleted since the listing is in the
                // tables the copy below holds.
                if let Ok(bytes) = std::fs::read(&path) {
                    files.push((
                        format!("journal/{}", entry.file_name().to_string_lossy()),
                        bytes,
                    ));
                }
            }
        }
    }
    let journal_files = files.len();
    if let Ok(key) = std::fs::read(dir.join("secret.key")) {
        files.push(("secret.key".into(), key));
    }
    let conn = Connection::open(db).map_err(|e| format!("opening {}: {e}", db.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(|e| e.to_string())?;
    let target = out.to_string_lossy().to_string();
    conn.execute("VACUUM INTO ?1", params![target])
        .map_err(|e| format!("copying the database: {e}"))?;
    drop(conn);
    let copy = Connection::open(out).map_err(|e| e.to_string())?;
    let store = || -> rusqlite::Result<()> {
        copy.execute_batch(&format!(
            "CREATE TABLE {FILES} (path TEXT PRIMARY KEY, content BLOB NOT NULL)"
        ))?;
        let mut insert = copy.prepare(&format!(
            "INSERT INTO {FILES} (path, content) VALUES (?1, ?2)"
        ))?;
        for (path, bytes) in &files {
            insert.execute(params![path, bytes])?;
        }
        Ok(())
    };
    if let Err(e) = store() {
        drop(copy);
        let _ = std::fs::remove_file(out);
        return Err(format!("writing the backup: {e}"));
    }
    drop(copy);
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(Summary {
        journal_files,
        bytes,
    })
}

/// Restores the backup `from` as the database at `db`, with its journal and
/// key beside it. Refuses to overwrite a database: restore into a new data
/// directory (or move the old one away first).
pub fn restore(from: &Path, db: &Path) -> Result<Summary, String> {
    if db.exists() {
        return Err(format!(
            "{} exists already; restore into an empty data directory",
            db.display()
        ));
    }
    let dir = db.parent().unwrap_or(Path::new(".")).to_path_buf();
    let src = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("opening {}: {e}", from.display()))?;
    let files =
        read_files(&src).map_err(|e| format!("{} is not a Sprida backup ({e})", from.display()))?;
    std::fs::create_dir_all(dir.join("journal")).map_err(|e| e.to_string())?;
    if dir.join("secret.key").exists() && files.iter().any(|(p, _)| p == "secret.key") {
        return Err(format!(
            "{} has a secret key already; restore into an empty data directory",
            dir.display()
        ));
    }
    let partial = PathBuf::from(format!("{}.restoring", db.display()));
    let _ = std::fs::remove_file(&partial);
    // Into a file of its own first, renamed when complete: a restore that
    // stops half way leaves no database that looks whole.
    std::fs::copy(from, &partial).map_err(|e| format!("copying the database: {e}"))?;
    let copy = Connection::open(&partial).map_err(|e| e.to_string())?;
    copy.execute_batch(&format!("DROP TABLE {FILES}"))
        .map_err(|e| e.to_string())?;
    drop(copy);
    let mut journal_files = 0;
    for (path, bytes) in &files {
        // Only the two kinds a backup writes; never a path out of the folder.
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string());
        let target = match (path.starts_with("journal/"), name) {
            (true, Some(name)) if name.ends_with(".log") => {
                journal_files += 1;
                dir.join("journal").join(name)
            }
            (false, Some(name)) if name == "secret.key" => dir.join(name),
            _ => continue,
        };
        write_private(&target, bytes).map_err(|e| format!("writing {}: {e}", target.display()))?;
    }
    std::fs::rename(&partial, db).map_err(|e| e.to_string())?;
    let bytes = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    Ok(Summary {
        journal_files,
        bytes,
    })
}

fn read_files(conn: &Connection) -> rusqlite::Result<Vec<(String, Vec<u8>)>> {
    let mut stmt = conn.prepare(&format!("SELECT path, content FROM {FILES} ORDER BY path"))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_restores_the_tables_the_journal_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("journal")).unwrap();
        let db = data.join("sprida.db");
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);")
            .unwrap();
        std::fs::write(data.join("journal/a-1.log"), "1\tline\n").unwrap();
        std::fs::write(data.join("journal/a.lock"), "").unwrap();
        std::fs::write(data.join("secret.key"), "k".repeat(40)).unwrap();
        let file = dir.path().join("backup.sqlite");
        let made = backup(&db, &file).unwrap();
        assert_eq!(made.journal_files, 1);
        assert!(backup(&db, &file).unwrap_err().contains("exists already"));

        let fresh = dir.path().join("fresh/sprida.db");
        std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
        assert_eq!(restore(&file, &fresh).unwrap().journal_files, 1);
        let back = Connection::open(&fresh).unwrap();
        let x: i64 = back.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 7);
        let leftover: i64 = back
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                [FILES],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(leftover, 0);
        let journal = fresh.parent().unwrap().join("journal");
        assert_eq!(
            std::fs::read_to_string(journal.join("a-1.log")).unwrap(),
            "1\tline\n"
        );
        // The lock is the running instance's, not data.
        assert!(!journal.join("a.lock").exists());
        assert_eq!(
            std::fs::read_to_string(fresh.with_file_name("secret.key"))
                .unwrap()
                .len(),
            40
        );
        assert!(restore(&file, &fresh)
            .unwrap_err()
            .contains("exists already"));
    }

    #[test]
    fn a_file_that_is_not_a_backup_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = restore(&other, &dir.path().join("new/sprida.db")).unwrap_err();
        assert!(err.contains("not a Sprida backup"), "{err}");
    }
}
