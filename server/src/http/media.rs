//! `/media/{id}`: uploaded images, to signed-in people who may see the
//! content they belong to (`load_image`).

use app::base::session::ssr::RequestAuth;
use app::base::state::AppState;
use app::content::ssr::load_image;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn image(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request<Body>,
) -> Response {
    let Some(me) = req
        .extensions()
        .get::<RequestAuth>()
        .and_then(|a| a.me.clone())
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Not found, not forbidden: whether an id exists is not told either.
    // An image of a content item, or of a reward in the catalogue.
    let found = match load_image(&state.db, id, &me).await {
        Ok(None) => app::rewards::ssr::load_image(&state.db, id).await,
        other => other,
    };
    match found {
        Ok(Some((mime, bytes))) => {
            let mut res = bytes.into_response();
            let headers = res.headers_mut();
            // The type was decided from the bytes at upload, so it is safe to
            // state; the sandbox keeps a crafted file from acting as a page.
            if let Ok(mime) = HeaderValue::from_str(&mime) {
                headers.insert(header::CONTENT_TYPE, mime);
            }
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            // An id always names the same bytes.
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            );
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
