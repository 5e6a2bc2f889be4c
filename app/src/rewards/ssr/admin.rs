//! The catalogue as administrators keep it: rewards, voucher pools, pictures.

use super::super::{Fulfilment, RewardAdmin, RewardInput, VoucherReport};
use super::*;
use crate::base::change::{Changed, Fact};
use crate::base::db::{flag, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;

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

/// A reward's columns and the time, `$1` to `$16`, in the order the INSERT
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
        .bind(input.cost)
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
                 needs_approval = $11, fulfilment = $12, fields = $13, active = $14, updated_at = $15, cost = $16 \
                 WHERE id = $17",
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
                 available_from, available_until, needs_approval, fulfilment, fields, active, updated_at, cost, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, $17) RETURNING id",
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

const BUDGET_KEY: &str = "reward_budget";

pub async fn save_budget(db: &Db, budget: &super::super::budget::BudgetSettings) -> AppResult<()> {
    crate::base::db::save_setting(db, BUDGET_KEY, budget).await
}

/// The month so far: what approved requests cost (those approved this
/// month and not declined since), and what the waiting ones would add.
pub async fn budget_view(db: &Db, now: i64) -> AppResult<super::super::budget::BudgetView> {
    let month = crate::base::ledger::Period::Month.start(now);
    let spent: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(r.cost), 0) AS BIGINT) FROM reward_requests q \
         JOIN rewards r ON r.id = q.reward_id \
         WHERE q.status IN ('approved', 'ordered', 'delivered') AND EXISTS \
         (SELECT 1 FROM reward_request_log l WHERE l.request_id = q.id AND l.status = 'approved' AND l.at >= $1)",
    )
    .bind(month)
    .fetch_one(db)
    .await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(r.cost), 0) AS BIGINT) FROM reward_requests q \
         JOIN rewards r ON r.id = q.reward_id WHERE q.status = 'requested'",
    )
    .fetch_one(db)
    .await?;
    Ok(super::super::budget::BudgetView {
        budget: crate::base::db::setting(db, BUDGET_KEY).await?,
        spent,
        waiting,
    })
}
