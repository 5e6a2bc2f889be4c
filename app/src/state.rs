use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::prelude::*;

use crate::auth::rate_limit::LoginLimiter;
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::share::ssr::LinkCache;
use crate::share::writer::ClickRecorder;

/// Everything the server functions need, provided to them as a context.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub backend: Backend,
    pub config: Arc<AppConfig>,
    pub limiter: Arc<LoginLimiter>,
    pub clicks: ClickRecorder,
    pub links: LinkCache,
    /// Derived from the secret key; hashes the tracked links' visitors.
    pub visitors: Arc<crate::share::clicks::VisitorKeys>,
    pub live: crate::live::Bus,
    pub rankings: Arc<crate::leaderboard::ssr::Rankings>,
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
    /// Take the client address from `X-Forwarded-For` (only behind a proxy).
    pub trust_proxy: bool,
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

impl AppState {
    /// After a destination may have changed: this instance's redirect
    /// forgets its cached links at once, the other instances when they hear.
    pub fn links_changed(&self) {
        self.links.clear();
        self.live.send(crate::live::LiveEvent::Links);
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
