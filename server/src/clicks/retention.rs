//! Raw clicks that did not qualify are kept row by row for
//! `--click-retention-days`, then rolled up into daily counts per link and
//! verdict (`click_days`): anonymous requests cannot grow the clicks table
//! without end. Qualified clicks stay rows (the repeat check, the
//! leaderboard and *My impact* read them); the links' raw and qualified
//! counters are kept apart and never change here.

use app::base::db::Db;
use app::base::error::AppResult;

use super::rules::DAY_MS;

/// Rows rolled up per transaction, so the writer (the click applier on
/// SQLite) never waits long for the lock.
const BATCH: i64 = 5_000;

/// Rolls the unqualified clicks older than `before` into `click_days`;
/// returns how many rows it rolled up.
pub async fn roll_up(db: &Db, before: i64) -> AppResult<u64> {
    let mut rolled = 0;
    loop {
        let mut tx = db.begin().await?;
        // Clicks are appended in time order: the oldest come first by id.
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(id) FROM (SELECT id FROM clicks WHERE qualified = 0 AND at < $1 \
             ORDER BY id LIMIT $2) batch",
        )
        .bind(before)
        .bind(BATCH)
        .fetch_one(&mut *tx)
        .await?;
        let Some(last) = last else {
            return Ok(rolled);
        };
        sqlx::query(&format!(
            "INSERT INTO click_days (code, day, verdict, clicks) \
             SELECT code, at - at % {DAY_MS}, verdict, COUNT(*) FROM clicks \
             WHERE qualified = 0 AND at < $1 AND id <= $2 \
             GROUP BY code, at - at % {DAY_MS}, verdict \
             ON CONFLICT (code, day, verdict) DO UPDATE SET clicks = click_days.clicks + excluded.clicks"
        ))
        .bind(before)
        .bind(last)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM clicks WHERE qualified = 0 AND at < $1 AND id <= $2")
            .bind(before)
            .bind(last)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        rolled += done.rows_affected();
    }
}
