//! The one writer of where an item is in its life: a curated item's status
//! (`set_status`) and an employee post's stage (`set_stage`, which sets the
//! status that follows from it). Both run inside the caller's transaction,
//! so the app, the scheduler and the demo seed move items the same way.

use sqlx::AnyConnection;

use super::stage::Stage;
use super::ContentStatus;
use crate::base::db::flag;
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;

/// A curated item's status at `now`; the first publication stamps
/// `published_at`. Employees' posts are not moved here (404): they move
/// only by `set_stage`, under the board's rules.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: ContentStatus,
    now: i64,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE content_items SET status = $1, updated_at = $2, version = version + 1, \
         published_at = CASE WHEN $3 = 1 THEN COALESCE(published_at, $2) ELSE published_at END \
         WHERE id = $4 AND origin = 'curated'",
    )
    .bind(status.code())
    .bind(now)
    .bind(flag(status == ContentStatus::Published))
    .bind(id)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Moves a post to `to` from the caller's `version`, bumping it; refuses
/// when someone else got there first. Its status follows the stage
/// (`Stage::status`); publishing now pulls a later publish time forward.
pub async fn set_stage(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    to: Stage,
    now: i64,
) -> AppResult<()> {
    let status = to.status();
    let out = status == ContentStatus::Published;
    let done = sqlx::query(
        "UPDATE content_items SET stage = $1, stage_at = $2, updated_at = $2, \
         status = $3, version = version + 1, \
         publish_at = CASE WHEN $4 = 1 AND publish_at > $2 THEN $2 ELSE publish_at END, \
         published_at = CASE WHEN $5 = 1 THEN COALESCE(published_at, \
             CASE WHEN publish_at > $2 THEN publish_at ELSE $2 END) ELSE published_at END \
         WHERE id = $6 AND version = $7 AND origin = 'employee'",
    )
    .bind(to.code())
    .bind(now)
    .bind(status.code())
    .bind(flag(to == Stage::Published))
    .bind(flag(out))
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(T::ErrStale));
    }
    Ok(())
}
