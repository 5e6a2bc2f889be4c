//! Runs before every route: refuses cross-site mutations, resolves the
//! session once, and refuses anonymous calls to non-public server functions.

use app::auth::ssr::{resolve, RequestAuth};
use app::auth::PUBLIC_ENDPOINTS;
use app::error::AppError;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/manifest.webmanifest" | "/sw.js" | "/offline.html" | "/favicon.ico" | "/healthz"
        )
}

fn error_response(status: StatusCode, error: AppError) -> Response {
    // Same JSON shape as a server function's own errors, so the client
    // decodes it into the same message.
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A browser always says where a mutation comes from: `Sec-Fetch-Site` in
/// current browsers, `Origin` on every cross-origin POST. A request that says
/// neither is not from a browser page, so it cannot be a forged one.
pub fn same_origin(req: &Request<Body>, base_url: &str) -> bool {
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    if origin == base_url {
        return true;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    match (origin.split_once("://"), host) {
        (Some((_, origin_host)), Some(host)) => origin_host == host,
        _ => false,
    }
}

pub async fn guard(State(state): State<AppState>, mut req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if is_static(&path) {
        return next.run(req).await;
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !same_origin(&req, &state.config.base_url) {
        tracing::warn!(target: "sprida::guard", %path, "cross-site request refused");
        return error_response(StatusCode::FORBIDDEN, AppError::Forbidden);
    }
    let auth = match resolve(&state, req.headers()).await {
        Ok(auth) => auth,
        Err(_) => return error_response(StatusCode::SERVICE_UNAVAILABLE, AppError::Internal),
    };
    if path.starts_with("/api/") && auth.me.is_none() && !PUBLIC_ENDPOINTS.contains(&path.as_str())
    {
        return error_response(StatusCode::UNAUTHORIZED, AppError::Unauthenticated);
    }
    req.extensions_mut().insert::<RequestAuth>(auth);
    next.run(req).await
}
