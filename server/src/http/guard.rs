//! Runs before every route: refuses cross-site mutations, resolves the
//! session once, and refuses anonymous calls to non-public server functions.

use app::base::error::AppError;
use app::base::i18n::T;
use app::base::session::ssr::{resolve, RequestAuth};
use app::base::session::PUBLIC_ENDPOINTS;
use app::base::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A path as it may be logged: the secret in an invitation, a screen
/// pairing or a tracked link (each works as a password) is cut out.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/invite/", "/tv/pair/", "/s/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}…").into();
            }
        }
    }
    path.into()
}

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/manifest.webmanifest" | "/sw.js" | "/offline.html" | "/favicon.ico" | "/healthz"
        )
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
        let path = loggable_path(&path);
        tracing::warn!(target: "sprida::guard", %path, "cross-site request refused");
        return AppError::Forbidden.into_response();
    }
    let auth = match resolve(&state.db, &state.config, req.headers()).await {
        Ok(auth) => auth,
        Err(e) => return e.into_response(),
    };
    if path.starts_with("/api/") && auth.me.is_none() && !PUBLIC_ENDPOINTS.contains(&path.as_str())
    {
        return AppError::Unauthenticated.into_response();
    }
    req.extensions_mut().insert::<RequestAuth>(auth);
    next.run(req).await
}

/// Outside the body limit: its own answer is plain text, and a server
/// function's caller reads errors as JSON.
pub async fn too_large_as_json(req: Request<Body>, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if api && res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json(&res) {
        return AppError::TooLarge(T::ErrBodyTooLarge).into_response();
    }
    res
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// Every request gets an id: it is in the span of everything logged while
/// the request is handled (an internal error's details among them, which
/// the client never sees) and in the `x-request-id` response header, so a
/// person reporting a failure can give the id that finds it in the logs.
pub async fn request_id(req: Request<Body>, next: Next) -> Response {
    use tracing::Instrument;
    let id = format!("{:016x}", rand::random::<u64>());
    let span = tracing::info_span!("request", id = %id, method = %req.method(), path = %loggable_path(req.uri().path()));
    let mut res = next.run(req).instrument(span).await;
    if let Ok(value) = header::HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn secrets_in_paths_are_never_logged() {
        let token = "0123456789abcdef0123456789abcdef";
        for path in [
            format!("/tv/pair/{token}"),
            format!("/invite/{token}"),
            format!("/s/{token}"),
        ] {
            assert!(!loggable_path(&path).contains(token), "{path}");
        }
        assert_eq!(loggable_path("/api/sign_in"), "/api/sign_in");
        assert_eq!(loggable_path("/review/12"), "/review/12");
    }
}
