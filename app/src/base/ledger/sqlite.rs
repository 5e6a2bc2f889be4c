//! The ledger's writes on the SQLite click applier's own connection
//! (rusqlite, prepared statements, inside the applier's IMMEDIATE
//! transaction): the same statements and the same totals as `ssr`, one row
//! at a time, which in-process costs microseconds.

use rusqlite::{params, Connection};

use super::ssr::{ADD_TOTAL, INSERT_ONE, PAID_THROUGH};
use super::{totals_delta, Entry};

/// Writes the entries whose keys are new and adds them to the totals; the
/// entries written.
pub fn pay(conn: &Connection, entries: Vec<Entry>) -> rusqlite::Result<Vec<Entry>> {
    let mut insert = conn.prepare_cached(INSERT_ONE)?;
    let mut written = Vec::with_capacity(entries.len());
    for e in entries.into_iter().filter(|e| e.points != 0) {
        let added = insert.execute(params![
            e.person_id,
            e.key,
            e.points,
            e.reason.name(),
            e.code,
            e.item_id,
            e.at
        ])?;
        if added == 1 {
            written.push(e);
        }
    }
    let mut total = conn.prepare_cached(ADD_TOTAL)?;
    for ((period, start, person), points) in totals_delta(&written) {
        total.execute(params![period, start, person, points])?;
    }
    Ok(written)
}

/// Click points paid so far through `code` in [from, to).
pub fn paid_through(conn: &Connection, code: &str, from: i64, to: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(PAID_THROUGH)?
        .query_row(params![code, from, to], |r| r.get(0))
}
