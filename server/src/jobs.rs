//! The background work a started server runs on its pool: scheduled posts
//! published, expired sessions purged, old unqualified clicks rolled up.

use app::base::state::AppState;

use crate::clicks;

/// Approved posts go live at their publish time; the hub shows them from
/// then on by itself, but their stage and their authors' notifications
/// follow here.
pub fn spawn_publisher(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            match app::posts::ssr::publish_due(&state.db).await {
                Ok(changed) => match changed.publish(&state) {
                    0 => {}
                    n => tracing::info!(posts = n, "scheduled posts published"),
                },
                Err(_) => tracing::warn!("publishing scheduled posts failed; will retry"),
            }
        }
    });
}

/// Every few seconds: challenges that have ended pay their winners, once
/// (`challenges::ssr::settle_due` marks each paid in its own transaction,
/// so instances side by side never both pay).
pub fn spawn_challenges(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            let now = app::base::db::now_ms();
            match app::challenges::ssr::settle_due(&state.db, now).await {
                Ok(changed) => match changed.publish(&state) {
                    0 => {}
                    n => tracing::info!(challenges = n, "challenges ended and paid"),
                },
                Err(_) => tracing::warn!("paying ended challenges failed; will retry"),
            }
        }
    });
}

/// Hourly, from an hour after the start: unqualified clicks older than
/// `days` become daily counts (`clicks::retention`).
pub fn spawn_retention(state: AppState, days: u32) {
    if days == 0 {
        return;
    }
    tokio::spawn(async move {
        let hour = std::time::Duration::from_secs(3600);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
        loop {
            every.tick().await;
            let before = app::base::db::now_ms() - i64::from(days) * clicks::rules::DAY_MS;
            match clicks::retention::roll_up(&state.db, before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    rows = n,
                    "old unqualified clicks rolled up into daily counts"
                ),
                Err(_) => tracing::warn!("rolling up old clicks failed; will retry"),
            }
        }
    });
}

/// Hourly clean-up of expired sessions and invitations.
pub fn spawn_purge(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match app::auth::ssr::purge_expired(&state.db, state.config.session_idle).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "purged expired sessions and invitations"),
                Err(_) => tracing::warn!("purging expired sessions failed; will retry"),
            }
        }
    });
}
