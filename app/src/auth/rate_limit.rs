//! Sign-in attempts are limited per (account, address), per address and per
//! account over a sliding window (ASVS 6.1.1, 6.3.1). Nobody is locked out
//! for good: old failures age out. And the account's owner still gets in
//! while others guess: a browser that signed in to the account before holds
//! a signed *device cookie* (OWASP's "Slow down online guessing attacks with
//! device cookies"), and its attempts count only against that device.
//!
//! An attempt is counted before the password is checked, in its own
//! committed write, and only then compared with the limit: of N parallel
//! guesses the k-th to commit sees at least k rows, so no more than the
//! limit ever reach the password check. A right password takes its attempt
//! back. The rows are in the database, so every instance behind one
//! address counts the same attempts; the rule itself is the plain function
//! `wait`.

use std::time::Duration;

use crate::base::db::Db;
use crate::base::error::AppResult;

/// The window, and how many attempts in it each kind of key may have.
pub struct Limits {
    pub window: Duration,
    /// One account from one address: the guessing a single attacker does.
    pub per_pair: usize,
    /// One address, any accounts: spraying one password over many.
    pub per_address: usize,
    /// One account from anywhere: guessing spread over many addresses.
    pub per_account: usize,
    /// One account from a browser that signed in to it before.
    pub per_device: usize,
}

pub const LIMITS: Limits = Limits {
    window: Duration::from_secs(15 * 60),
    per_pair: 5,
    per_address: 30,
    per_account: 20,
    per_device: 5,
};

/// How long until another attempt is allowed, given the times (ms, oldest
/// first) of the attempts within the window, the current one included;
/// `None` while they are at most `limit`.
pub fn wait(attempts: &[i64], limit: usize, window: Duration, now: i64) -> Option<Duration> {
    let window_ms = window.as_millis() as i64;
    let recent: Vec<i64> = attempts
        .iter()
        .copied()
        .filter(|at| now - at < window_ms)
        .collect();
    if recent.len() <= limit {
        return None;
    }
    // Allowed again when enough have left the window for one more to fit.
    let oldest = recent[recent.len() - limit - 1];
    Some(Duration::from_millis(
        (oldest + window_ms - now).max(0) as u64
    ))
}

fn account(account: &str) -> String {
    account.trim().to_lowercase()
}

/// The keys an attempt counts against, each with its limit. With a device
/// that signed in to this account before, only the device's own key.
pub fn keys(
    limits: &Limits,
    email: &str,
    address: &str,
    device: Option<&str>,
) -> Vec<(String, usize)> {
    let a = account(email);
    match device {
        Some(device) => vec![(format!("d:{a}|{device}"), limits.per_device)],
        None => vec![
            (format!("p:{a}|{address}"), limits.per_pair),
            (format!("i:{address}"), limits.per_address),
            (format!("a:{a}"), limits.per_account),
        ],
    }
}

/// One counted attempt, to take back if the password was right.
pub struct Attempt {
    id: String,
    keys: Vec<(String, usize)>,
}

/// Counts an attempt against `keys` and returns it with how long to wait
/// when any of them is over its limit (then the password is not checked).
pub async fn attempt(
    db: &Db,
    window: Duration,
    keys: Vec<(String, usize)>,
    now: i64,
) -> AppResult<(Attempt, Option<Duration>)> {
    let id = crate::base::session::ssr::random_token();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
        .bind(now - window.as_millis() as i64)
        .execute(&mut *tx)
        .await?;
    for (key, _) in &keys {
        sqlx::query("INSERT INTO sign_in_failures (key, at, attempt) VALUES ($1, $2, $3)")
            .bind(key)
            .bind(now)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let since = now - window.as_millis() as i64;
    let mut longest = None;
    for (key, limit) in &keys {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT at FROM sign_in_failures WHERE key = $1 AND at > $2 ORDER BY at",
        )
        .bind(key)
        .bind(since)
        .fetch_all(db)
        .await?;
        longest = longest.max(wait(&times, *limit, window, now));
    }
    Ok((Attempt { id, keys }, longest))
}

/// The password was right: the attempt was no failure, and the failures of
/// this account from this address (or device) are forgiven. Those counted
/// against the address or the account from elsewhere stay: someone else
/// made them.
pub async fn succeeded(db: &Db, attempt: &Attempt) -> AppResult<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE attempt = $1")
        .bind(&attempt.id)
        .execute(&mut *tx)
        .await?;
    for (key, _) in attempt
        .keys
        .iter()
        .filter(|(k, _)| k.starts_with("p:") || k.starts_with("d:"))
    {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn blocks_past_the_limit_and_recovers_as_attempts_age_out() {
        let t0 = 1_800_000_000_000;
        let attempts = [t0, t0 + 1_000, t0 + 2_000, t0 + 3_000];
        // Three allowed: the third attempt (itself included) passes.
        assert_eq!(wait(&attempts[..3], 3, MIN, t0 + 10_000), None);
        // The fourth waits until the first leaves the minute.
        assert_eq!(
            wait(&attempts, 3, MIN, t0 + 10_000),
            Some(Duration::from_secs(50))
        );
        assert_eq!(wait(&attempts, 3, MIN, t0 + 60_000), None);
    }

    #[test]
    fn the_oldest_attempt_that_counts_sets_the_wait() {
        let t0 = 1_800_000_000_000;
        // Five attempts, limit 2: the third-newest (at +20 s) decides.
        let attempts = [t0, t0 + 10_000, t0 + 20_000, t0 + 30_000, t0 + 40_000];
        assert_eq!(
            wait(&attempts, 2, MIN, t0 + 40_000),
            Some(Duration::from_secs(40))
        );
    }

    #[test]
    fn a_known_device_counts_only_against_itself() {
        let with = keys(&LIMITS, " Ann@X.se", "203.0.113.9", Some("dev1"));
        assert_eq!(with, [("d:ann@x.se|dev1".to_string(), LIMITS.per_device)]);
        let without: Vec<String> = keys(&LIMITS, "ann@x.se", "203.0.113.9", None)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            without,
            ["p:ann@x.se|203.0.113.9", "i:203.0.113.9", "a:ann@x.se"]
        );
    }
}
