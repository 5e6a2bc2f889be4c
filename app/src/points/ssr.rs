//! The ledger and the stored rules.

use crate::db::Db;
use crate::error::AppResult;

use super::PointRules;

pub(crate) const RULES_KEY: &str = "point_rules";

/// The admin's rules, or the defaults until an admin has saved some.
pub async fn load_rules<'c, E>(exec: E) -> AppResult<PointRules>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(RULES_KEY)
        .fetch_optional(exec)
        .await?;
    Ok(rules_from_stored(value))
}

/// The rules as stored in settings; the defaults until an admin saves some.
pub(crate) fn rules_from_stored(value: Option<String>) -> PointRules {
    value
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default()
}

pub async fn save_rules(db: &Db, rules: &PointRules) -> AppResult<()> {
    let value = serde_json::to_string(rules).map_err(|_| crate::error::AppError::Internal)?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(RULES_KEY)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
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
