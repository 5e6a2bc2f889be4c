//! Failed sign-ins are limited per account and per client address over a
//! sliding window. Nobody is locked out for good: old failures age out.
//!
//! The failures are rows in the database, so every instance behind one
//! address counts the same attempts (N instances must not give N times the
//! guesses); the rule itself is the plain function `wait`.

use std::time::Duration;

use crate::base::db::Db;
use crate::base::error::AppResult;

/// The window, and how many failures in it each key may have.
pub struct Limits {
    pub window: Duration,
    pub per_account: usize,
    pub per_address: usize,
}

pub const LIMITS: Limits = Limits {
    window: Duration::from_secs(15 * 60),
    per_account: 5,
    per_address: 30,
};

/// How long until another attempt is allowed, given the times (ms, oldest
/// first) of the failures within the window; `None` while under `limit`.
pub fn wait(failures: &[i64], limit: usize, window: Duration, now: i64) -> Option<Duration> {
    let window_ms = window.as_millis() as i64;
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|at| now - at < window_ms)
        .collect();
    if recent.len() < limit {
        return None;
    }
    // Allowed again when the oldest failure that counts leaves the window.
    let oldest = recent[recent.len() - limit];
    Some(Duration::from_millis(
        (oldest + window_ms - now).max(0) as u64
    ))
}

fn account_key(account: &str) -> String {
    format!("a:{}", account.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("i:{address}")
}

async fn failures(db: &Db, key: &str, since: i64) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT at FROM sign_in_failures WHERE key = $1 AND at > $2 ORDER BY at",
        )
        .bind(key)
        .bind(since)
        .fetch_all(db)
        .await?,
    )
}

/// How long to wait when the account or the address has used up its
/// attempts; `None` when another attempt is allowed.
pub async fn check(
    db: &Db,
    limits: &Limits,
    account: &str,
    address: &str,
    now: i64,
) -> AppResult<Option<Duration>> {
    let since = now - limits.window.as_millis() as i64;
    let by_account = failures(db, &account_key(account), since).await?;
    let by_address = failures(db, &address_key(address), since).await?;
    Ok(
        wait(&by_account, limits.per_account, limits.window, now).max(wait(
            &by_address,
            limits.per_address,
            limits.window,
            now,
        )),
    )
}

/// Counts a failure against both keys, and forgets failures that have aged
/// out (of every key, so the table stays the size of one window).
pub async fn record_failure(
    db: &Db,
    limits: &Limits,
    account: &str,
    address: &str,
    now: i64,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(now - limits.window.as_millis() as i64)
        .execute(&mut *tx)
        .await?;
    for key in [account_key(account), address_key(address)] {
        sqlx::query("INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A successful sign-in forgives the account's failures (not the address's).
pub async fn clear_account(db: &Db, account: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(account_key(account))
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn blocks_at_the_limit_and_recovers_as_failures_age_out() {
        let t0 = 1_800_000_000_000;
        let failures = [t0, t0 + 1_000, t0 + 2_000];
        assert_eq!(wait(&failures[..2], 3, MIN, t0 + 10_000), None);
        // Three within the minute: wait until the first leaves it.
        assert_eq!(
            wait(&failures, 3, MIN, t0 + 10_000),
            Some(Duration::from_secs(50))
        );
        // Once it has, two remain: allowed.
        assert_eq!(wait(&failures, 3, MIN, t0 + 60_000), None);
    }

    #[test]
    fn the_oldest_failure_that_counts_sets_the_wait() {
        let t0 = 1_800_000_000_000;
        // Four failures, limit 2: the second-newest (at +20 s) decides,
        // not the oldest; it leaves the window 50 s from now.
        let failures = [t0, t0 + 10_000, t0 + 20_000, t0 + 30_000];
        assert_eq!(
            wait(&failures, 2, MIN, t0 + 30_000),
            Some(Duration::from_secs(50))
        );
    }

    #[test]
    fn keys_ignore_the_case_of_the_address() {
        assert_eq!(account_key(" Ann@X.se"), account_key("ann@x.se"));
        assert_ne!(account_key("ann@x.se"), address_key("ann@x.se"));
    }
}
