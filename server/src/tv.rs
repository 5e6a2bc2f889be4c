//! `/tv/pair/{token}`: a TV opens its pairing link once; the token is
//! traded for a long-lived display cookie and the screen is sent on to
//! `/tv`, so the token does not stay in the address bar or history.

use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Ten years: a screen on the wall should never have to be paired again.
const DISPLAY_COOKIE_SECS: u64 = 10 * 365 * 24 * 3600;

pub async fn pair(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let valid = token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit());
    let session = if valid {
        match app::screens::ssr::pair(&state.db, &token).await {
            Ok(session) => session,
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    } else {
        None
    };
    let Some(session) = session else {
        return (
            StatusCode::NOT_FOUND,
            Html(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <title>Sprida</title></head><body><h1>This pairing link does not work</h1>\
                 <p>It was used already, has expired, or the screen was revoked. \
                 Ask an administrator for a new link (Screens).</p></body></html>",
            ),
        )
            .into_response();
    };
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={session}; Path=/; HttpOnly; SameSite=Lax; Max-Age={DISPLAY_COOKIE_SECS}{secure}",
        state.config.display_cookie_name()
    );
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, "/tv")]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, value);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
