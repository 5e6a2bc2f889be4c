//! Server-sent event streams: review boards and leaderboards listen here
//! for changes made anywhere (on any instance, with PostgreSQL).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{LazyLock, Mutex};

use app::base::error::AppError;
use app::base::live::LiveEvent;
use app::base::session::ssr::RequestAuth;
use app::base::session::Me;
use app::base::state::AppState;
use app::content::CURATORS;
use axum::extract::{Request, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{broadcast::error::RecvError, watch};

/// Streams never end by themselves, and a graceful shutdown waits for every
/// response to finish, so shutting down ends them first.
static SHUTDOWN: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::channel(false).0);

pub fn begin_shutdown() {
    SHUTDOWN.send_replace(true);
}

/// Open streams per session (or paired screen), against the limit in the
/// configuration: a page needs one or two, a few tabs a few more; 500 from
/// one session were 500 held connections.
static OPEN: LazyLock<Mutex<HashMap<String, usize>>> = LazyLock::new(Mutex::default);

/// One open stream of a session; dropped with the stream.
pub struct Slot(String);

impl Slot {
    fn take(key: String, limit: usize) -> Result<Slot, Box<Response>> {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(key.clone()).or_insert(0);
        if *n >= limit {
            return Err(Box::new(AppError::RateLimited(5).into_response()));
        }
        *n += 1;
        Ok(Slot(key))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.0) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.0);
            }
        }
    }
}

/// Board changes, for reviewers.
pub async fn board_events(State(state): State<AppState>, req: Request) -> Response {
    match signed_in(&state, &req) {
        Err(refused) => *refused,
        Ok((me, _)) if !CURATORS.iter().any(|r| me.roles.contains(r)) => {
            AppError::Forbidden.into_response()
        }
        Ok((_, slot)) => stream(&state, &[LiveEvent::Board], slot),
    }
}

/// Points paid anywhere and changes to who is on the boards, for
/// everyone's leaderboard.
pub async fn live_events(State(state): State<AppState>, req: Request) -> Response {
    match signed_in(&state, &req) {
        Err(refused) => *refused,
        Ok((_, slot)) => stream(
            &state,
            &[
                LiveEvent::Points,
                LiveEvent::People,
                LiveEvent::Rewards,
                LiveEvent::Kudos,
                LiveEvent::Challenges,
            ],
            slot,
        ),
    }
}

fn signed_in(state: &AppState, req: &Request) -> Result<(Me, Slot), Box<Response>> {
    let auth = req.extensions().get::<RequestAuth>();
    let me = auth
        .and_then(|auth| auth.me.clone())
        .ok_or_else(|| Box::new(AppError::Unauthenticated.into_response()))?;
    let session = auth
        .and_then(|a| a.session_hash.clone())
        .unwrap_or_default();
    let limit = state.config.streams_per_session;
    Ok((me, Slot::take(format!("s:{session}"), limit)?))
}

/// What a paired screen needs to hear; a revoked or unknown screen is
/// refused (it then asks `tv_board`, which says which).
pub async fn tv_events(State(state): State<AppState>, req: Request) -> Response {
    let cookie =
        app::base::session::ssr::cookie_value(req.headers(), state.config.display_cookie_name())
            .map(str::to_owned);
    let Some(cookie) = cookie else {
        return AppError::Unauthenticated.into_response();
    };
    match app::screens::ssr::screen_of(&state.db, &cookie).await {
        Ok(Some((screen, false))) => {
            match Slot::take(format!("tv:{screen}"), state.config.streams_per_session) {
                Ok(slot) => stream(
                    &state,
                    &[
                        LiveEvent::Points,
                        LiveEvent::People,
                        LiveEvent::Screens,
                        LiveEvent::Kudos,
                        LiveEvent::Challenges,
                    ],
                    slot,
                ),
                Err(refused) => *refused,
            }
        }
        Ok(Some((_, true))) => AppError::Forbidden.into_response(),
        Ok(None) => AppError::Unauthenticated.into_response(),
        Err(e) => e.into_response(),
    }
}

/// An event stream of the given kinds. A burst (a flood of clicks) is
/// passed on as one event per kind: pages reload what changed, not once per
/// click.
pub fn stream(state: &AppState, kinds: &'static [LiveEvent], slot: Slot) -> Response {
    let events = state.live.subscribe();
    let stop = SHUTDOWN.subscribe();
    let stream = futures::stream::unfold(
        (events, stop, slot),
        move |(mut events, mut stop, slot)| async move {
            loop {
                let event = tokio::select! {
                    _ = stop.wait_for(|stopping| *stopping) => None,
                    event = events.recv() => match event {
                        Ok(event) if kinds.contains(&event) => Some(event),
                        Ok(_) => continue,
                        // Missed some: the page reloads everything anyway.
                        Err(RecvError::Lagged(_)) => Some(kinds[0]),
                        Err(RecvError::Closed) => return None,
                    },
                };
                let kind = event?;
                // Drains what queued up behind it: the same reload covers it.
                while let Ok(_) | Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) =
                    events.try_recv()
                {}
                let event = Event::default().event(kind.name()).data("changed");
                return Some((Ok::<_, Infallible>(event), (events, stop, slot)));
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
