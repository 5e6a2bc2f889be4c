//! `/admin/rewards/requests.csv`: every reward request, for administrators,
//! as a file for a spreadsheet. A GET that changes nothing.

use app::base::session::ssr::RequestAuth;
use app::base::session::Role;
use app::base::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn requests_csv(State(state): State<AppState>, req: Request<Body>) -> Response {
    let Some(me) = req
        .extensions()
        .get::<RequestAuth>()
        .and_then(|a| a.me.clone())
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if !me.has(Role::Admin) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let csv = match app::rewards::ssr::board(&state.db)
        .await
        .and_then(|list| app::rewards::ssr::csv_of(&list))
    {
        Ok(csv) => csv,
        Err(e) => return e.into_response(),
    };
    let mut res = csv.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"reward-requests.csv\""),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
