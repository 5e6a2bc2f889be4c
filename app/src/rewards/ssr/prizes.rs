//! Rewards given as prizes (a challenge's winners): a request that costs
//! no points, made inside the payer's transaction, fulfilled on the same
//! board as any other.

use super::requests::{log, take_one};
use super::{RewardRow, REWARD_COLUMNS};
use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::AppResult;
use crate::rewards::Status;

/// The active rewards an organiser may offer as a prize: (id, name).
pub async fn prize_choices(db: &Db) -> AppResult<Vec<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM rewards WHERE active = 1 ORDER BY name, id")
            .fetch_all(db)
            .await?,
    )
}

/// Gives `person` the reward as a prize, once per `key`: a request of no
/// points, waiting for an administrator like any other (a voucher code or
/// a unit of stock is set aside when one is left). None on a replay or when
/// the reward is gone.
pub async fn grant_prize(
    conn: &mut sqlx::AnyConnection,
    reward_id: i64,
    person: i64,
    key: &str,
    now: i64,
) -> AppResult<Option<Changed<i64>>> {
    let done: Option<i64> =
        sqlx::query_scalar("SELECT id FROM reward_requests WHERE request_key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    if done.is_some() {
        return Ok(None);
    }
    sqlx::query("UPDATE rewards SET updated_at = updated_at WHERE id = $1")
        .bind(reward_id)
        .execute(&mut *conn)
        .await?;
    let reward: Option<RewardRow> = sqlx::query_as(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards WHERE id = $1"
    ))
    .bind(reward_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(reward) = reward else {
        return Ok(None);
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reward_requests (reward_id, person_id, request_key, points, status, answers, created_at, updated_at) \
         VALUES ($1, $2, $3, 0, 'requested', '[]', $4, $4) RETURNING id",
    )
    .bind(reward_id)
    .bind(person)
    .bind(key)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    log(conn, id, Status::Requested, person, "", now).await?;
    // Sold out: the prize still stands; an administrator sees it waiting.
    if !take_one(conn, id, reward_id, &reward.input(Vec::new())).await? {
        tracing::warn!(target: "sprida::rewards", reward_id, request = id, "a prize found no code or stock left");
    }
    Ok(Some(Changed::new(
        id,
        Fact::RewardRequested {
            request: id,
            person,
        },
    )))
}
