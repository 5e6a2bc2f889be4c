//! Reward requests: made, moved, read and exported.

use super::*;
use sqlx::FromRow;

use super::super::fields::validate_answers;
use super::super::rules::{may_move, refusal, Mover, Status};
use super::super::{Fulfilment, LogLine, Request};
use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::ledger::ssr as points;

/// A new request: the reward's row is taken first (so two people racing
/// for the last one wait for each other), its limits checked, a unit of
/// stock or a voucher code taken, and the points held, all in one
/// transaction. Without approval it is approved at once. The same key
/// again returns the request it made.
pub async fn redeem(
    db: &Db,
    me: i64,
    reward_id: i64,
    key: &str,
    answers: &[String],
    now: i64,
) -> AppResult<Changed<i64>> {
    if let Some(id) = by_key(db, key).await? {
        return Ok(Changed::quiet(id));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE rewards SET updated_at = updated_at WHERE id = $1")
        .bind(reward_id)
        .execute(&mut *tx)
        .await?;
    let reward: RewardRow = sqlx::query_as(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards WHERE id = $1"
    ))
    .bind(reward_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let groups = person_groups(&mut *tx, me).await?;
    let offer = offer_of(&mut tx, &reward, me, &groups, now).await?;
    if !offer.in_audience {
        return Err(AppError::NotFound);
    }
    if let Some(why) = refusal(&offer, now) {
        return Err(AppError::Conflict(why));
    }
    let input = reward.input(Vec::new());
    let answers = validate_answers(&input.fields, answers)?;
    let labelled: Vec<(String, String)> = input
        .fields
        .iter()
        .map(|f| f.label.clone())
        .zip(answers)
        .collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reward_requests (reward_id, person_id, request_key, points, status, answers, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'requested', $5, $6, $6) RETURNING id",
    )
    .bind(reward_id)
    .bind(me)
    .bind(key)
    .bind(input.price)
    .bind(serde_json::to_string(&labelled).map_err(|_| AppError::Internal)?)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    log(&mut tx, id, Status::Requested, me, "", now).await?;
    if !take_one(&mut tx, id, reward_id, &input).await? {
        return Err(AppError::Conflict(T::ErrRewardSoldOut));
    }
    // Refused here (not enough points) the whole request is undone.
    points::hold(&mut tx, me, key, input.price, now).await?;
    let mut changed = Changed::new(
        id,
        Fact::RewardRequested {
            request: id,
            person: me,
        },
    );
    if !input.needs_approval {
        changed =
            changed.absorb(apply(&mut tx, id, Status::Approved, "", Actor::admin(me), now).await?);
    }
    changed.commit(tx).await
}

/// Sets a code or a unit of stock aside for request `id`, with the
/// reward's row already taken by the caller; false when none is left.
pub(super) async fn take_one(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    reward_id: i64,
    input: &RewardInput,
) -> AppResult<bool> {
    let taken = if input.fulfilment == Fulfilment::Voucher {
        // The reward's row is ours: no one else is taking a code now.
        sqlx::query(
            "UPDATE reward_vouchers SET request_id = $1 WHERE id = \
             (SELECT MIN(id) FROM reward_vouchers WHERE reward_id = $2 AND request_id IS NULL) AND request_id IS NULL",
        )
        .bind(id)
        .bind(reward_id)
        .execute(&mut *conn)
        .await?
    } else if input.stock.is_some() {
        // Checked again here, not only by the offer read before.
        sqlx::query("UPDATE rewards SET stock = stock - 1 WHERE id = $1 AND stock > 0")
            .bind(reward_id)
            .execute(&mut *conn)
            .await?
    } else {
        return Ok(true);
    };
    Ok(taken.rows_affected() == 1)
}

async fn by_key(db: &Db, key: &str) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM reward_requests WHERE request_key = $1")
            .bind(key)
            .fetch_optional(db)
            .await?,
    )
}

pub(super) async fn log(
    conn: &mut sqlx::AnyConnection,
    request: i64,
    status: Status,
    by: i64,
    note: &str,
    at: i64,
) -> AppResult<()> {
    sqlx::query("INSERT INTO reward_request_log (request_id, status, by_id, note, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(request)
        .bind(status.code())
        .bind(by)
        .bind(note)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(FromRow)]
struct StateRow {
    person_id: i64,
    reward_id: i64,
    request_key: String,
    points: i64,
    status: String,
}

/// Moves a request (a board move, a bulk approval, the person cancelling).
pub async fn move_request(
    db: &Db,
    id: i64,
    to: Status,
    note: &str,
    by: Actor,
    now: i64,
) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    let changed = apply(&mut tx, id, to, note, by, now).await?;
    changed.commit(tx).await
}

async fn apply(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    to: Status,
    note: &str,
    by: Actor,
    now: i64,
) -> AppResult<Changed<()>> {
    // Taking the row first: two admins moving it at once go one by one.
    sqlx::query("UPDATE reward_requests SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row: StateRow = sqlx::query_as(
        "SELECT person_id, reward_id, request_key, points, status FROM reward_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    // A person sees only their own requests; another's does not exist for them.
    if by.mover == Mover::Requester && row.person_id != by.id {
        return Err(AppError::NotFound);
    }
    let from = Status::parse(&row.status).ok_or(AppError::Internal)?;
    if from == to {
        return Ok(Changed::quiet(()));
    }
    if !may_move(from, to, by.mover) {
        return Err(AppError::Conflict(T::ErrRewardMove));
    }
    if matches!(to, Status::Declined) && note.trim().is_empty() {
        return Err(AppError::Invalid(T::ErrDeclineReason));
    }
    let key = &row.request_key;
    // A prize (no points) has nothing held, spent or to give back.
    let paid = row.points > 0;
    match to {
        Status::Approved if paid => {
            points::debit(&mut *conn, key, now).await?;
        }
        Status::Declined | Status::Cancelled => {
            if paid && from.spent() {
                points::refund(&mut *conn, key, now).await?;
            } else if paid {
                points::release(&mut *conn, key, now).await?;
            }
            // What was taken goes back: the code to the pool, the unit to stock.
            sqlx::query("UPDATE reward_vouchers SET request_id = NULL WHERE request_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("UPDATE rewards SET stock = stock + 1 WHERE id = $1 AND stock IS NOT NULL AND fulfilment <> 'voucher'")
                .bind(row.reward_id)
                .execute(&mut *conn)
                .await?;
        }
        _ => {}
    }
    sqlx::query("UPDATE reward_requests SET status = $1, note = $2, updated_at = $3 WHERE id = $4")
        .bind(to.code())
        .bind(note.trim())
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    log(conn, id, to, by.id, note.trim(), now).await?;
    Ok(Changed::new(
        (),
        Fact::RewardMoved {
            request: id,
            person: row.person_id,
            to: to.code(),
        },
    ))
}

#[derive(FromRow)]
struct RequestRow {
    id: i64,
    reward_id: i64,
    reward: String,
    person: String,
    points: i64,
    cost: Option<i64>,
    status: String,
    answers: String,
    voucher: Option<String>,
    note: String,
    created_at: i64,
    updated_at: i64,
}

const REQUEST_SELECT: &str = "SELECT q.id, q.reward_id, r.name AS reward, p.name AS person, q.points, r.cost, q.status, \
    q.answers, v.code AS voucher, q.note, q.created_at, q.updated_at \
    FROM reward_requests q JOIN rewards r ON r.id = q.reward_id JOIN people p ON p.id = q.person_id \
    LEFT JOIN reward_vouchers v ON v.request_id = q.id";

#[derive(FromRow)]
struct LogRow {
    request_id: i64,
    status: String,
    by_name: Option<String>,
    note: String,
    at: i64,
}

async fn requests(db: &Db, filter: &str, bind: Option<i64>) -> AppResult<Vec<Request>> {
    let sql = format!("{REQUEST_SELECT} {filter} ORDER BY q.created_at DESC, q.id DESC LIMIT 1000");
    let mut query = sqlx::query_as::<_, RequestRow>(&sql);
    if let Some(b) = bind {
        query = query.bind(b);
    }
    let rows = query.fetch_all(db).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let logs: Vec<LogRow> = if ids.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(&format!(
            "SELECT l.request_id, l.status, p.name AS by_name, l.note, l.at FROM reward_request_log l \
             LEFT JOIN people p ON p.id = l.by_id WHERE l.request_id IN ({}) ORDER BY l.at, l.id",
            ids.join(",")
        ))
        .fetch_all(db)
        .await?
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let status = Status::parse(&r.status)?;
            Some(Request {
                id: r.id,
                reward_id: r.reward_id,
                reward: r.reward,
                person: r.person,
                points: r.points,
                cost: r.cost,
                status,
                answers: serde_json::from_str(&r.answers).unwrap_or_default(),
                // The code is the person's once the request is approved.
                voucher: r.voucher.filter(|_| status.spent()),
                note: r.note,
                created_at: r.created_at,
                updated_at: r.updated_at,
                log: logs
                    .iter()
                    .filter(|l| l.request_id == r.id)
                    .filter_map(|l| {
                        Some(LogLine {
                            status: Status::parse(&l.status)?,
                            by: l.by_name.clone().unwrap_or_default(),
                            at: l.at,
                            note: l.note.clone(),
                        })
                    })
                    .collect(),
            })
        })
        .collect())
}

/// One request, for its requester (`only_for`) or an admin (None).
pub async fn request(db: &Db, id: i64, only_for: Option<i64>) -> AppResult<Request> {
    let found = requests(db, "WHERE q.id = $1", Some(id)).await?;
    let request = found.into_iter().next().ok_or(AppError::NotFound)?;
    if let Some(person) = only_for {
        let owner: i64 = sqlx::query_scalar("SELECT person_id FROM reward_requests WHERE id = $1")
            .bind(id)
            .fetch_one(db)
            .await?;
        if owner != person {
            return Err(AppError::NotFound);
        }
    }
    Ok(request)
}

pub async fn requests_of(db: &Db, me: i64) -> AppResult<Vec<Request>> {
    requests(db, "WHERE q.person_id = $1", Some(me)).await
}

pub async fn board(db: &Db) -> AppResult<Vec<Request>> {
    requests(db, "WHERE q.status <> 'cancelled'", None).await
}

/// Every request as CSV for a spreadsheet. A cell that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`) is given a leading apostrophe.
pub fn csv_of(requests: &[Request]) -> AppResult<String> {
    fn cell(s: &str) -> String {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |_| AppError::Internal;
    out.write_record([
        "id",
        "reward",
        "person",
        "points",
        "status",
        "requested",
        "updated",
        "answers",
        "voucher",
        "note",
    ])
    .map_err(fail)?;
    for r in requests {
        let answers = r
            .answers
            .iter()
            .map(|(q, a)| format!("{q}: {a}"))
            .collect::<Vec<_>>()
            .join("; ");
        let date = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default()
        };
        out.write_record([
            r.id.to_string(),
            cell(&r.reward),
            cell(&r.person),
            r.points.to_string(),
            r.status.code().to_string(),
            date(r.created_at),
            date(r.updated_at),
            cell(&answers),
            cell(r.voucher.as_deref().unwrap_or("")),
            cell(&r.note),
        ])
        .map_err(fail)?;
    }
    String::from_utf8(out.into_inner().map_err(|_| AppError::Internal)?)
        .map_err(|_| AppError::Internal)
}
