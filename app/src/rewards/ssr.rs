//! Rewards in the database. Every request moves through `move_request` (or
//! `redeem` for its start): the same rules whichever page or call reaches
//! it, with the points held, spent, given back or refunded by the ledger in
//! the same transaction.

use sqlx::FromRow;

use super::fields::{validate_answers, DeliveryField};
use super::rules::{may_move, refusal, sort_for, LimitPeriod, Mover, Status};
use super::{
    Catalogue, Fulfilment, LogLine, Offer, Request, RewardAdmin, RewardInput, VoucherReport,
};
use crate::base::change::{Changed, Fact};
use crate::base::db::{flag, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::home_note::HomeNote;
use crate::base::i18n::T;
use crate::base::ledger::ssr as points;
use crate::people::motivation::{decode, Motivation};

/// A request's name in the ledger and in `reward_requests.request_key`:
/// the person's id and the key their dialog made, so one person's key can
/// never name another's request.
pub fn request_key(person: i64, key: &str) -> AppResult<String> {
    let ok = (8..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(format!("reward:{person}:{key}"))
    } else {
        Err(AppError::Invalid(T::ErrRequestKey))
    }
}

/// Who moves a request.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: i64,
    pub mover: Mover,
}

impl Actor {
    pub fn requester(id: i64) -> Self {
        Actor {
            id,
            mover: Mover::Requester,
        }
    }

    pub fn admin(id: i64) -> Self {
        Actor {
            id,
            mover: Mover::Admin,
        }
    }
}

#[derive(FromRow)]
struct RewardRow {
    id: i64,
    name: String,
    description: String,
    image_id: Option<i64>,
    category: String,
    price: i64,
    stock: Option<i64>,
    per_person: Option<i64>,
    limit_period: String,
    available_from: Option<i64>,
    available_until: Option<i64>,
    needs_approval: i64,
    fulfilment: String,
    fields: String,
    active: i64,
}

const REWARD_COLUMNS: &str =
    "id, name, description, image_id, category, price, stock, per_person, \
    limit_period, available_from, available_until, needs_approval, fulfilment, fields, active";

impl RewardRow {
    fn input(&self, groups: Vec<i64>) -> RewardInput {
        RewardInput {
            name: self.name.clone(),
            description: self.description.clone(),
            image_id: self.image_id,
            category: Motivation::parse(&self.category).unwrap_or(Motivation::Things),
            price: self.price,
            stock: self.stock,
            per_person: self.per_person,
            limit_period: LimitPeriod::parse(&self.limit_period).unwrap_or(LimitPeriod::Month),
            available_from: self.available_from,
            available_until: self.available_until,
            needs_approval: self.needs_approval == 1,
            fulfilment: Fulfilment::parse(&self.fulfilment).unwrap_or(Fulfilment::Manual),
            fields: serde_json::from_str::<Vec<DeliveryField>>(&self.fields).unwrap_or_default(),
            groups,
            active: self.active == 1,
        }
    }
}

async fn groups_of_reward<'c, E>(exec: E, reward: i64) -> AppResult<Vec<i64>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "SELECT group_id FROM reward_groups WHERE reward_id = $1 ORDER BY group_id",
    )
    .bind(reward)
    .fetch_all(exec)
    .await?)
}

async fn codes_left<'c, E>(exec: E, reward: i64) -> AppResult<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_vouchers WHERE reward_id = $1 AND request_id IS NULL",
    )
    .bind(reward)
    .fetch_one(exec)
    .await?)
}

/// Requests of `person` for `reward` that count against its limit: made in
/// the period that holds `now`, and not declined or cancelled.
async fn taken<'c, E>(exec: E, reward: &RewardRow, person: i64, now: i64) -> AppResult<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let period = LimitPeriod::parse(&reward.limit_period).unwrap_or(LimitPeriod::Month);
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_requests WHERE reward_id = $1 AND person_id = $2 \
         AND created_at >= $3 AND status NOT IN ('declined', 'cancelled')",
    )
    .bind(reward.id)
    .bind(person)
    .bind(period.start(now))
    .fetch_one(exec)
    .await?)
}

/// The rule's view of one reward for one person.
async fn offer_of(
    conn: &mut sqlx::AnyConnection,
    reward: &RewardRow,
    person: i64,
    person_groups: &[i64],
    now: i64,
) -> AppResult<super::rules::Offer> {
    let audience = groups_of_reward(&mut *conn, reward.id).await?;
    let left = if reward.fulfilment == Fulfilment::Voucher.code() {
        Some(codes_left(&mut *conn, reward.id).await?)
    } else {
        reward.stock
    };
    Ok(super::rules::Offer {
        active: reward.active == 1,
        from: reward.available_from,
        until: reward.available_until,
        in_audience: audience.is_empty() || audience.iter().any(|g| person_groups.contains(g)),
        left,
        per_person: reward.per_person,
        taken_in_period: taken(&mut *conn, reward, person, now).await?,
    })
}

async fn person_groups(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    person: i64,
) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT group_id FROM group_members WHERE person_id = $1")
            .bind(person)
            .fetch_all(db)
            .await?,
    )
}

pub async fn catalogue(db: &Db, me: i64, now: i64) -> AppResult<Catalogue> {
    let mut conn = db.acquire().await?;
    let balances = points::balances(&mut *conn, me).await?;
    let motivations: String = sqlx::query_scalar("SELECT motivations FROM people WHERE id = $1")
        .bind(me)
        .fetch_one(&mut *conn)
        .await?;
    let motivations = decode(&motivations);
    let groups = person_groups(&mut *conn, me).await?;
    let rows: Vec<RewardRow> = sqlx::query_as(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards WHERE active = 1 ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut offers = Vec::new();
    for row in &rows {
        let offer = offer_of(&mut conn, row, me, &groups, now).await?;
        // Not shown to people outside its audience, nor before or after its dates.
        if !offer.in_audience || refusal(&offer, now) == Some(T::ErrRewardEnded) {
            continue;
        }
        let input = row.input(Vec::new());
        offers.push(Offer {
            id: row.id,
            name: input.name,
            description: input.description,
            image_id: input.image_id,
            category: input.category,
            price: input.price,
            left: offer.left,
            needs_approval: input.needs_approval,
            fulfilment: input.fulfilment,
            fields: input.fields,
            refusal: refusal(&offer, now),
            points_to_go: super::rules::points_to_go(balances.spendable, input.price),
            matches: motivations.contains(&input.category),
        });
    }
    let mut order: Vec<(Motivation, i64, i64)> =
        offers.iter().map(|o| (o.category, o.price, o.id)).collect();
    sort_for(&motivations, &mut order);
    offers.sort_by_key(|o| order.iter().position(|(_, _, id)| *id == o.id));
    Ok(Catalogue {
        spendable: balances.spendable,
        lifetime: balances.lifetime,
        held: balances.held,
        offers,
    })
}

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
    if input.fulfilment == Fulfilment::Voucher {
        // The reward's row is ours: no one else is taking a code now.
        let taken = sqlx::query(
            "UPDATE reward_vouchers SET request_id = $1 WHERE id = \
             (SELECT MIN(id) FROM reward_vouchers WHERE reward_id = $2 AND request_id IS NULL) AND request_id IS NULL",
        )
        .bind(id)
        .bind(reward_id)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::Conflict(T::ErrRewardSoldOut));
        }
    } else if input.stock.is_some() {
        // Checked again here, not only by the offer read above.
        let taken = sqlx::query("UPDATE rewards SET stock = stock - 1 WHERE id = $1 AND stock > 0")
            .bind(reward_id)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() != 1 {
            return Err(AppError::Conflict(T::ErrRewardSoldOut));
        }
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

async fn by_key(db: &Db, key: &str) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM reward_requests WHERE request_key = $1")
            .bind(key)
            .fetch_optional(db)
            .await?,
    )
}

async fn log(
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
        "SELECT person_id, reward_id, request_key, status FROM reward_requests WHERE id = $1",
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
    match to {
        Status::Approved => {
            points::debit(&mut *conn, key, now).await?;
        }
        Status::Declined | Status::Cancelled => {
            if from.spent() {
                points::refund(&mut *conn, key, now).await?;
            } else {
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
    status: String,
    answers: String,
    voucher: Option<String>,
    note: String,
    created_at: i64,
    updated_at: i64,
}

const REQUEST_SELECT: &str = "SELECT q.id, q.reward_id, r.name AS reward, p.name AS person, q.points, q.status, \
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

pub async fn list(db: &Db) -> AppResult<Vec<RewardAdmin>> {
    let rows: Vec<RewardRow> =
        sqlx::query_as(&format!("SELECT {REWARD_COLUMNS} FROM rewards ORDER BY id"))
            .fetch_all(db)
            .await?;
    let mut out = Vec::new();
    for row in rows {
        let requested: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_requests WHERE reward_id = $1 \
             AND status NOT IN ('declined', 'cancelled')",
        )
        .bind(row.id)
        .fetch_one(db)
        .await?;
        out.push(RewardAdmin {
            id: row.id,
            input: row.input(groups_of_reward(db, row.id).await?),
            codes_left: codes_left(db, row.id).await?,
            requested,
        });
    }
    Ok(out)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// A reward's columns and the time, `$1` to `$15`, in the order the INSERT
/// and the UPDATE name them.
fn bind_reward<'q>(q: AnyQuery<'q>, input: &RewardInput, fields: &str, now: i64) -> AnyQuery<'q> {
    q.bind(input.name.clone())
        .bind(input.description.clone())
        .bind(input.image_id)
        .bind(input.category.code())
        .bind(input.price)
        .bind(input.stock)
        .bind(input.per_person)
        .bind(input.limit_period.code())
        .bind(input.available_from)
        .bind(input.available_until)
        .bind(flag(input.needs_approval))
        .bind(input.fulfilment.code())
        .bind(fields.to_string())
        .bind(flag(input.active))
        .bind(now)
}

pub async fn save(
    db: &Db,
    id: Option<i64>,
    input: &RewardInput,
    by: i64,
    now: i64,
) -> AppResult<Changed<i64>> {
    let mut tx = db.begin().await?;
    if let Some(image) = input.image_id {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM images WHERE id = $1")
            .bind(image)
            .fetch_optional(&mut *tx)
            .await?;
        exists.ok_or(AppError::Invalid(T::ErrImageType))?;
    }
    let fields = serde_json::to_string(&input.fields).map_err(|_| AppError::Internal)?;
    let id = match id {
        Some(id) => {
            let done = bind_reward(sqlx::query(
                "UPDATE rewards SET name = $1, description = $2, image_id = $3, category = $4, price = $5, \
                 stock = $6, per_person = $7, limit_period = $8, available_from = $9, available_until = $10, \
                 needs_approval = $11, fulfilment = $12, fields = $13, active = $14, updated_at = $15 WHERE id = $16",
            ), input, &fields, now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound);
            }
            id
        }
        None => {
            let row = bind_reward(sqlx::query(
                "INSERT INTO rewards (name, description, image_id, category, price, stock, per_person, limit_period, \
                 available_from, available_until, needs_approval, fulfilment, fields, active, updated_at, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id",
            ), input, &fields, now)
            .bind(by)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::Row::try_get::<i64, _>(&row, 0)?
        }
    };
    sqlx::query("DELETE FROM reward_groups WHERE reward_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for group in &input.groups {
        let done = sqlx::query(
            "INSERT INTO reward_groups (reward_id, group_id) SELECT $1, id FROM org_groups WHERE id = $2",
        )
        .bind(id)
        .bind(group)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Invalid(T::ErrGroupUnknown));
        }
    }
    Changed::new(id, Fact::RewardsChanged).commit(tx).await
}

pub async fn add_vouchers(
    db: &Db,
    reward: i64,
    codes: &[String],
    now: i64,
) -> AppResult<Changed<VoucherReport>> {
    let mut tx = db.begin().await?;
    let kind: Option<String> = sqlx::query_scalar("SELECT fulfilment FROM rewards WHERE id = $1")
        .bind(reward)
        .fetch_optional(&mut *tx)
        .await?;
    if kind.ok_or(AppError::NotFound)? != Fulfilment::Voucher.code() {
        return Err(AppError::Invalid(T::ErrNotVoucherReward));
    }
    let mut added = 0;
    for code in codes {
        let done = sqlx::query(
            "INSERT INTO reward_vouchers (reward_id, code, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (reward_id, code) DO NOTHING",
        )
        .bind(reward)
        .bind(code)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        added += done.rows_affected() as i64;
    }
    let left = codes_left(&mut *tx, reward).await?;
    let report = VoucherReport {
        added,
        duplicates: codes.len() as i64 - added,
        left,
    };
    // What is left shows in the catalogue.
    Changed::new(report, Fact::RewardsChanged).commit(tx).await
}

/// An uploaded image a signed-in person may see because an active reward
/// shows it.
pub async fn load_image(db: &Db, id: i64) -> AppResult<Option<(String, Vec<u8>)>> {
    Ok(sqlx::query_as(
        "SELECT m.mime, m.bytes FROM images m WHERE m.id = $1 \
         AND EXISTS (SELECT 1 FROM rewards r WHERE r.image_id = m.id AND r.active = 1)",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
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

/// The reward to mention to a person: one that moves them and that they
/// can have now, else the next one worth saving for (the catalogue's order).
pub async fn next_reward_note(db: &Db, person: i64, now: i64) -> AppResult<Option<HomeNote>> {
    let catalogue = catalogue(db, person, now).await?;
    let open = || catalogue.offers.iter().filter(|o| o.refusal.is_none());
    Ok(
        if let Some(ready) = open().find(|o| o.matches && o.points_to_go == 0) {
            Some(
                HomeNote::new("reward-ready", T::HomeRewardReady, "/rewards")
                    .word("name", &ready.name),
            )
        } else {
            open().find(|o| o.points_to_go > 0).map(|next| {
                HomeNote::new("next-reward", T::RewardsToGo, "/rewards")
                    .number("points", next.points_to_go)
                    .word("name", &next.name)
            })
        },
    )
}

/// The start page's notes from rewards: the reward to mention, and for
/// administrators the requests that wait for them.
pub async fn home_notes(
    db: &Db,
    me: &crate::base::session::Me,
    now: i64,
) -> AppResult<Vec<HomeNote>> {
    let mut notes: Vec<HomeNote> = next_reward_note(db, me.id, now)
        .await?
        .into_iter()
        .collect();
    if me.has(crate::base::session::Role::Admin) {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_requests WHERE status = 'requested'",
        )
        .fetch_one(db)
        .await?;
        if waiting > 0 {
            notes.push(
                HomeNote::new(
                    "reward-requests",
                    T::HomeRewardRequests,
                    "/admin/fulfilment",
                )
                .number("n", waiting)
                .for_work(),
            );
        }
    }
    Ok(notes)
}
