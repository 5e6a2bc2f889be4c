//! `/s/{code}`: the tracked-link redirect. Every visitor is redirected to the
//! stored destination; the click is stored (in the journal on SQLite, by a
//! group commit on PostgreSQL) before the redirect is sent, and counted only
//! when it qualifies.

use std::sync::Arc;

use app::base::db::{now_ms, Db};
use app::base::session::ssr::{client_address, resolve};
use app::base::state::AppConfig;
use app::share::link::is_valid_code;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::clicks::crowd::Crowd;
use crate::clicks::links::LinkCache;
use crate::clicks::rules::{is_embedded, is_prefetch, qualify, Click, Verdict, VisitorKeys};
use crate::clicks::{ClickRecorder, NewClick};

/// What the redirect runs on: its own state rather than the app's (an `Arc`
/// is one counter to bump per request).
pub struct Redirect {
    pub db: Db,
    pub config: Arc<AppConfig>,
    pub links: LinkCache,
    /// Derived from the secret key; hashes the tracked links' visitors.
    pub visitors: VisitorKeys,
    pub clicks: ClickRecorder,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Per-address limits; only this runtime's one thread takes the lock.
    pub crowd: std::sync::Mutex<Crowd>,
}

const NOT_FOUND: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link not found</title><link rel="stylesheet" href="/pkg/sprida.css"></head><body><main id="main"><section class="card narrow"><h1>This link does not exist</h1><p>Check that it was copied in full.</p><p lang="sv">Länken finns inte. Kontrollera att den kopierades hela.</p><p><a href="/">Sprida</a></p></section></main></body></html>"#;

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Html(NOT_FOUND)).into_response()
}

/// The database did not answer; the visitor can simply try the link again.
fn unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "Try again in a moment.").into_response()
}

pub async fn follow(
    State(state): State<Arc<Redirect>>,
    Path(code): Path<String>,
    req: Request<Body>,
) -> Response {
    let started = std::time::Instant::now();
    let res = answer(&state, code, req).await;
    crate::metrics::redirected(&state.metrics, started, res.status());
    res
}

async fn answer(state: &Redirect, code: String, req: Request<Body>) -> Response {
    if !is_valid_code(&code) {
        return not_found();
    }
    let link = match state.links.resolve(&state.db, &code).await {
        Ok(Some(link)) => link,
        Ok(None) => return not_found(),
        Err(_) => return unavailable(),
    };
    let Some(location) = link.location.as_deref() else {
        tracing::error!(code = %link.code, "stored destination is not an http(s) URL");
        return not_found();
    };
    let (parts, _) = req.into_parts();
    let headers = &parts.headers;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    // Only a signed-in visitor can be the sharer, so most clicks (no
    // session cookie) need no session lookup.
    let by_sharer = match resolve(&state.db, &state.config, headers).await {
        Ok(auth) => auth.me.is_some_and(|me| me.id == link.person_id),
        Err(_) => return unavailable(),
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let is_head = parts.method == Method::HEAD;
    let mut verdict = qualify(&Click {
        is_head,
        is_prefetch: is_prefetch(header),
        is_embedded: is_embedded(header),
        user_agent,
        by_sharer,
        seen_within_window: false,
    });
    let now = now_ms();
    let address = client_address(&parts, state.config.proxy_hops);
    let agent = user_agent.unwrap_or("");
    {
        let mut crowd = state.crowd.lock().unwrap_or_else(|e| e.into_inner());
        if !crowd.admit(now, &address, &link.code, agent, is_head) {
            // Over its rate, an address's HEADs and repeats are answered
            // without a row: a loop cannot fill the tables.
            return found(location);
        }
        if verdict == Verdict::Qualified && !crowd.may_qualify(now, &address, &link.code, agent) {
            verdict = Verdict::Crowd;
        }
    }
    let click = NewClick {
        code: link.code.clone(),
        person_id: link.person_id,
        at: now,
        visitors: state
            .visitors
            .hashes(now, &address, user_agent.unwrap_or("")),
        verdict,
    };
    if !state.clicks.record(click).await {
        // The visitor still gets where they were going; the loss is logged.
        tracing::error!(code = %link.code, "click not stored");
    }
    found(location)
}

fn found(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, "no-store"),
        ],
    )
        .into_response()
}
