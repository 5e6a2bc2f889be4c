use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::prelude::*;

use crate::base::db::Db;
use crate::base::error::AppError;
use crate::base::live::Bus;

/// The infrastructure every server function may use, provided to them as a
/// context: the database, the settings and the live-event bus. A feature's
/// own services (the leaderboard's shared rankings, the redirect's click
/// pipeline) are not here: each is a context or route state of its own.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<AppConfig>,
    pub live: Bus,
    /// Shared: the state is cloned several times for every request, and
    /// the options hold a dozen reference-counted strings.
    pub leptos_options: Arc<LeptosOptions>,
}

/// Runtime settings. Deliberately not `Serialize` and not `Debug`: it holds the
/// secret key, which must never reach a log line or the client.
pub struct AppConfig {
    /// Public base URL without a trailing slash, e.g. `https://sprida.example.com`.
    pub base_url: String,
    pub secret_key: Vec<u8>,
    /// `Secure` + `__Host-` cookies; off only for plain-http deployments.
    pub secure_cookies: bool,
    pub session_idle: Duration,
    pub session_max: Duration,
    /// Reverse proxies in front whose `X-Forwarded-For` entries are trusted
    /// (0: none; the header is then ignored).
    pub proxy_hops: usize,
    /// Live event streams one session (or paired screen) may hold open.
    pub streams_per_session: usize,
}

impl AppConfig {
    /// The cookie a paired TV screen holds.
    pub fn display_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-sprida_display"
        } else {
            "sprida_display"
        }
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-sprida_session"
        } else {
            "sprida_session"
        }
    }
}

impl AsRef<Bus> for AppState {
    fn as_ref(&self) -> &Bus {
        &self.live
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        LeptosOptions::clone(&state.leptos_options)
    }
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}
