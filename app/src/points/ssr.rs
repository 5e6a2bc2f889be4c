//! The ledger and the stored rules.

use crate::base::db::Db;
use crate::base::error::AppResult;

use super::PointRules;

pub const RULES_KEY: &str = "point_rules";

/// The admin's rules, or the defaults until an admin has saved some.
pub async fn load_rules<'c, E>(exec: E) -> AppResult<PointRules>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    crate::base::db::setting(exec, RULES_KEY).await
}

pub async fn save_rules(db: &Db, rules: &PointRules) -> AppResult<()> {
    crate::base::db::save_setting(db, RULES_KEY, rules).await
}

/// One ledger entry. `source_key` is unique: paying the same source again
/// does nothing and returns false.
pub struct Entry<'a> {
    pub person_id: i64,
    pub source_key: &'a str,
    pub points: i64,
    pub reason: &'a str,
    pub code: Option<&'a str>,
    pub at: i64,
}

pub async fn pay<'c, E>(exec: E, entry: Entry<'_>) -> AppResult<bool>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    if entry.points == 0 {
        return Ok(false);
    }
    let done = sqlx::query(
        "INSERT INTO points_ledger (person_id, source_key, points, reason, code, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_key) DO NOTHING",
    )
    .bind(entry.person_id)
    .bind(entry.source_key)
    .bind(entry.points)
    .bind(entry.reason)
    .bind(entry.code)
    .bind(entry.at)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lifetime points (everything earned) and spendable points (earned minus
/// spent: spending is a negative entry).
pub async fn balances<'c, E>(exec: E, person_id: i64) -> AppResult<(i64, i64)>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (lifetime, spendable): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN points > 0 THEN points ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(points), 0) AS BIGINT) \
         FROM points_ledger WHERE person_id = $1",
    )
    .bind(person_id)
    .fetch_one(exec)
    .await?;
    Ok((lifetime, spendable))
}
