//! Server-sent event streams: the review board listens here for changes
//! made by other reviewers.

use std::convert::Infallible;
use std::sync::LazyLock;

use app::auth::ssr::RequestAuth;
use app::content::CURATORS;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{broadcast::error::RecvError, watch};

/// Streams never end by themselves, and a graceful shutdown waits for every
/// response to finish, so shutting down ends them first.
static SHUTDOWN: LazyLock<watch::Sender<bool>> = LazyLock::new(|| watch::channel(false).0);

pub fn begin_shutdown() {
    SHUTDOWN.send_replace(true);
}

fn refuse(status: StatusCode, error: AppError) -> Response {
    (status, axum::Json(error)).into_response()
}

pub async fn board_events(State(state): State<AppState>, req: Request) -> Response {
    let me = req
        .extensions()
        .get::<RequestAuth>()
        .and_then(|auth| auth.me.clone());
    let Some(me) = me else {
        return refuse(StatusCode::UNAUTHORIZED, AppError::Unauthenticated);
    };
    if !CURATORS.iter().any(|r| me.roles.contains(r)) {
        return refuse(StatusCode::FORBIDDEN, AppError::Forbidden);
    }
    let events = state.live.subscribe();
    let stop = SHUTDOWN.subscribe();
    let stream = futures::stream::unfold((events, stop), |(mut events, mut stop)| async move {
        let name = tokio::select! {
            _ = stop.wait_for(|stopping| *stopping) => return None,
            event = events.recv() => match event {
                Ok(event) => event.name(),
                // Missed some: the page reloads everything anyway.
                Err(RecvError::Lagged(_)) => "board",
                Err(RecvError::Closed) => return None,
            },
        };
        let event = Event::default().event(name).data("changed");
        Some((Ok::<_, Infallible>(event), (events, stop)))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
