//! The ledger's writes through sqlx, on both databases, inside the
//! caller's transaction (a `&mut AnyConnection`: a transaction derefs to
//! one). Totals are kept here in Rust, a batch at a time, for every reason:
//! there is no trigger on the ledger (migration 0018 dropped it). The group
//! totals follow `points_totals` by their own triggers (0015), since they
//! change with memberships too.

use std::collections::HashSet;
use std::sync::OnceLock;

use sqlx::{AnyConnection, FromRow};

use super::{key, totals_delta, Balances, Entry, Period, Reason, TotalsDelta};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;

/// Columns of a ledger row, in the order every insert binds them.
pub(super) const COLUMNS: &str = "person_id, source_key, points, reason, code, item_id, created_at";
pub(super) const WIDTH: usize = 7;
/// One row, for the click applier's prepared statement.
pub(super) const INSERT_ONE: &str = "INSERT INTO points_ledger \
     (person_id, source_key, points, reason, code, item_id, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_key) DO NOTHING";
pub(super) const ADD_TOTAL: &str = "INSERT INTO points_totals (period, start, person_id, points) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (period, start, person_id) \
     DO UPDATE SET points = points_totals.points + excluded.points";
/// Click points paid so far through one link in [from, to): the daily cap.
pub(super) const PAID_THROUGH: &str = "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) \
     FROM points_ledger WHERE code = $1 AND reason = 'click' AND created_at >= $2 AND created_at < $3";

/// Rows per statement: far below both databases' limits on bound values.
const CHUNK: usize = 400;

fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the entries whose keys are new, and adds the earned ones to the
/// totals; returns the entries written (a replayed key writes nothing).
pub async fn pay(conn: &mut AnyConnection, entries: Vec<Entry>) -> AppResult<Vec<Entry>> {
    let mut written = Vec::with_capacity(entries.len());
    let mut seen = HashSet::new();
    // A key twice in one batch is one source: the first entry stands.
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter(|e| e.points != 0 && seen.insert(e.key.clone()))
        .collect();
    for chunk in entries.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO points_ledger ({COLUMNS}) VALUES {} \
             ON CONFLICT (source_key) DO NOTHING RETURNING source_key",
            placeholders(chunk.len(), WIDTH)
        );
        let mut insert = sqlx::query_scalar::<_, String>(&sql);
        for e in chunk {
            insert = insert
                .bind(e.person_id)
                .bind(&e.key)
                .bind(e.points)
                .bind(e.reason.name())
                .bind(e.code.as_deref())
                .bind(e.item_id)
                .bind(e.at);
        }
        let keys: HashSet<String> = insert.fetch_all(&mut *conn).await?.into_iter().collect();
        written.extend(chunk.iter().filter(|e| keys.contains(&e.key)).cloned());
    }
    add_totals(conn, &totals_delta(&written)).await?;
    Ok(written)
}

/// Writes one entry; whether it was new.
pub async fn pay_one(conn: &mut AnyConnection, entry: Entry) -> AppResult<Option<Entry>> {
    Ok(pay(conn, vec![entry]).await?.pop())
}

async fn add_totals(conn: &mut AnyConnection, delta: &TotalsDelta) -> AppResult<()> {
    let rows: Vec<_> = delta.iter().collect();
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO points_totals (period, start, person_id, points) VALUES {} \
             ON CONFLICT (period, start, person_id) \
             DO UPDATE SET points = points_totals.points + excluded.points",
            placeholders(chunk.len(), 4)
        );
        let mut upsert = sqlx::query(&sql);
        for ((period, start, person), points) in chunk {
            upsert = upsert
                .bind(*period)
                .bind(*start)
                .bind(*person)
                .bind(**points);
        }
        upsert.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Click points paid so far through `code` in [from, to).
pub async fn paid_through(
    conn: &mut AnyConnection,
    code: &str,
    from: i64,
    to: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(PAID_THROUGH)
        .bind(code)
        .bind(from)
        .bind(to)
        .fetch_one(conn)
        .await?)
}

fn balances_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let names = |keep: fn(Reason) -> bool| {
            Reason::ALL
                .into_iter()
                .filter(|r| keep(*r))
                .map(|r| format!("'{}'", r.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "SELECT CAST(COALESCE(SUM(CASE WHEN reason IN ({}) THEN points ELSE 0 END), 0) AS BIGINT) AS lifetime, \
                    CAST(COALESCE(SUM(points), 0) AS BIGINT) AS spendable, \
                    CAST(COALESCE(-SUM(CASE WHEN reason IN ('hold', 'release') THEN points ELSE 0 END), 0) AS BIGINT) AS held \
             FROM points_ledger WHERE person_id = $1",
            names(Reason::lifetime)
        )
    })
}

#[derive(FromRow)]
struct BalanceRow {
    lifetime: i64,
    spendable: i64,
    held: i64,
}

/// The person's balances, as `super::balances_of` defines them.
pub async fn balances<'c, E>(exec: E, person_id: i64) -> AppResult<Balances>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row: BalanceRow = sqlx::query_as(balances_sql())
        .bind(person_id)
        .fetch_one(exec)
        .await?;
    Ok(Balances {
        lifetime: row.lifetime,
        spendable: row.spendable,
        held: row.held,
    })
}

/// Sets `points` aside for the request named `request` (a reward's
/// idempotency key): refused when the person cannot spend that many. A
/// replay of the same request holds nothing more; `false` then.
pub async fn hold(
    conn: &mut AnyConnection,
    person_id: i64,
    request: &str,
    points: i64,
    at: i64,
) -> AppResult<bool> {
    if points <= 0 {
        return Err(AppError::Invalid(T::ErrPointsNeeded));
    }
    // Taking the person's row first makes two requests at once wait for
    // each other (a row lock on PostgreSQL, the write lock on SQLite), so
    // both cannot spend the same points.
    sqlx::query("UPDATE people SET id = id WHERE id = $1")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    if entry(conn, &key::hold(request)).await?.is_some() {
        return Ok(false);
    }
    if balances(&mut *conn, person_id).await?.spendable < points {
        return Err(AppError::Conflict(T::ErrNotEnoughPoints));
    }
    let held = Entry {
        person_id,
        reason: Reason::Hold,
        key: key::hold(request),
        points: -points,
        code: None,
        item_id: None,
        at,
    };
    Ok(pay_one(conn, held).await?.is_some())
}

/// Gives a hold back (declined, cancelled): false if it was already ended.
pub async fn release(conn: &mut AnyConnection, request: &str, at: i64) -> AppResult<bool> {
    let held = held(conn, request).await?;
    give_back(conn, &held, request, at).await
}

/// Turns a hold into a debit (the reward approved): the hold is released
/// and the same points spent, in one step. False on a replay; refused when
/// the hold was given back instead.
pub async fn debit(conn: &mut AnyConnection, request: &str, at: i64) -> AppResult<bool> {
    if entry(conn, &key::debit(request)).await?.is_some() {
        return Ok(false);
    }
    let held = held(conn, request).await?;
    if !give_back(conn, &held, request, at).await? {
        return Err(AppError::Conflict(T::ErrHoldEnded));
    }
    let spent = Entry {
        person_id: held.person_id,
        reason: Reason::Debit,
        key: key::debit(request),
        points: held.points,
        code: None,
        item_id: None,
        at,
    };
    Ok(pay_one(conn, spent).await?.is_some())
}

/// Gives a debit back (a reward declined after it was approved): the
/// points can be spent again. False on a replay; not found without a debit.
pub async fn refund(conn: &mut AnyConnection, request: &str, at: i64) -> AppResult<bool> {
    let spent = entry(conn, &key::debit(request))
        .await?
        .ok_or(AppError::NotFound)?;
    let back = Entry {
        person_id: spent.person_id,
        reason: Reason::Refund,
        key: key::refund(request),
        points: -spent.points,
        code: None,
        item_id: None,
        at,
    };
    Ok(pay_one(conn, back).await?.is_some())
}

async fn held(conn: &mut AnyConnection, request: &str) -> AppResult<Entry> {
    entry(conn, &key::hold(request))
        .await?
        .ok_or(AppError::NotFound)
}

/// The release entry that ends `held`; false if the hold had already ended.
async fn give_back(
    conn: &mut AnyConnection,
    held: &Entry,
    request: &str,
    at: i64,
) -> AppResult<bool> {
    let back = Entry {
        person_id: held.person_id,
        reason: Reason::Release,
        key: key::release(request),
        points: -held.points,
        code: None,
        item_id: None,
        at,
    };
    Ok(pay_one(conn, back).await?.is_some())
}

/// Takes an earning back: a negative entry, lowering lifetime points and the
/// totals of the periods the earning counted in. False on a replay.
pub async fn reverse(conn: &mut AnyConnection, original: &str, at: i64) -> AppResult<bool> {
    let Some(earned) = entry(conn, original).await? else {
        return Err(AppError::NotFound);
    };
    if !earned.reason.earns() {
        return Err(AppError::Conflict(T::ErrNotAnEarning));
    }
    let back = Entry {
        person_id: earned.person_id,
        reason: Reason::Reversal,
        key: key::reversal(original),
        points: -earned.points,
        code: earned.code.clone(),
        item_id: earned.item_id,
        at,
    };
    if pay_one(conn, back).await?.is_none() {
        return Ok(false);
    }
    let mut delta = TotalsDelta::new();
    for period in Period::ALL {
        delta.insert(
            (period.code(), period.start(earned.at), earned.person_id),
            -earned.points,
        );
    }
    add_totals(conn, &delta).await?;
    Ok(true)
}

#[derive(FromRow)]
struct EntryRow {
    person_id: i64,
    source_key: String,
    points: i64,
    reason: String,
    code: Option<String>,
    item_id: Option<i64>,
    created_at: i64,
}

/// The entry written under `key`, if any.
pub async fn entry(conn: &mut AnyConnection, key: &str) -> AppResult<Option<Entry>> {
    let row: Option<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM points_ledger WHERE source_key = $1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Entry {
            person_id: r.person_id,
            reason: Reason::parse(&r.reason).ok_or(AppError::Internal)?,
            key: r.source_key,
            points: r.points,
            code: r.code,
            item_id: r.item_id,
            at: r.created_at,
        })
    })
    .transpose()
}

/// Removes everything the given people earned or spent, and their totals
/// (the operator removing the demo): `people` is a subquery of ids.
pub async fn forget_people(conn: &mut AnyConnection, people: &str) -> AppResult<()> {
    for table in ["points_ledger", "points_totals"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE person_id IN ({people})"
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
