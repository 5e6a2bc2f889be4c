//! `/tv/pair/{token}`: the pairing link an admin opens on a TV. Opening it
//! (GET) only shows the screen's name and a *Pair this screen* button: chat
//! apps' link previews and browser prefetches open links too, and must not
//! use up the one-time token. The button posts the form back (same origin,
//! checked by the guard); only then is the token traded for a long-lived
//! display cookie and the TV sent on to `/tv`, so the token does not stay
//! in the address bar or history.

use app::base::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Ten years: a screen on the wall should never have to be paired again.
const DISPLAY_COOKIE_SECS: u64 = 10 * 365 * 24 * 3600;

fn is_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A page in both languages: nobody is signed in on a TV to say which.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/sprida.css\"></head>\
         <body><main id=\"main\"><section class=\"card narrow\">{body}</section></main></body></html>"
    );
    let mut res = (status, Html(html)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn not_working() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Sprida",
        "<h1>This pairing link does not work</h1>\
         <p>It was used already, has expired, or the screen was revoked. \
         Ask an administrator for a new link (Screens).</p>\
         <p lang=\"sv\">Länken fungerar inte: den är redan använd, har gått ut eller så \
         har skärmen kopplats bort. Be en administratör om en ny länk (Skärmar).</p>",
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Shows what the link pairs; changes nothing.
pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    if !is_token(&token) {
        return not_working();
    }
    let name = match app::screens::ssr::pairing_screen(&state.db, &token).await {
        Ok(Some(name)) => escape(&name),
        Ok(None) => return not_working(),
        Err(e) => return e.into_response(),
    };
    // The token is 32 hex digits (checked above): safe in the attribute.
    page(
        StatusCode::OK,
        "Pair this screen",
        &format!(
            "<h1>Pair this screen with “{name}”</h1>\
             <p>This TV will show the leaderboard and the latest shares of “{name}”.</p>\
             <p lang=\"sv\">Den här tv:n kommer att visa topplistan och de senaste delningarna \
             för ”{name}”.</p>\
             <form method=\"post\" action=\"/tv/pair/{token}\">\
             <button type=\"submit\" class=\"primary\" id=\"pair\">Pair this screen \
             <span lang=\"sv\">(Para ihop skärmen)</span></button></form>"
        ),
    )
}

/// Uses up the token and gives this browser the display cookie.
pub async fn pair(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let session = if is_token(&token) {
        match app::screens::ssr::pair(&state.db, &token).await {
            Ok(session) => session,
            Err(e) => return e.into_response(),
        }
    } else {
        None
    };
    let Some(session) = session else {
        return not_working();
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
