//! The Sprida server: configuration, database, the click pipeline, the
//! request guard, and the routes that are not pages. `start` is the one
//! start-up path of `main`, the integration tests and the benchmarks.

pub mod admin;
pub mod backup;
pub mod clicks;
pub mod config;
pub mod files;
pub mod http;
mod jobs;
pub mod metrics;
pub mod seed;
pub mod site;

use std::sync::Arc;

use app::base::state::{AppConfig, AppState};
use app::leaderboard::ssr::Rankings;
use app::{shell, App};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;

use crate::clicks::links::LinkCache;
use crate::clicks::rules::VisitorKeys;
use crate::clicks::ClickRecorder;
use crate::config::Config;
pub use crate::files::{make_data_dir, private_files};
use crate::http::{guard, live, media, redirect, rewards, tv};

/// A started server: the infrastructure every request may use, and the
/// feature services beside it. Cheap to clone.
#[derive(Clone)]
pub struct Sprida {
    pub state: AppState,
    /// Shared by every leaderboard and TV looking at the same board; given
    /// to the server functions as a context of its own.
    pub rankings: Arc<Rankings>,
    /// What the tracked-link redirect runs on.
    pub redirect: Arc<redirect::Redirect>,
    /// The WASM, JS, CSS and public files.
    pub site: Arc<site::Site>,
    pub metrics: Arc<metrics::Metrics>,
    /// How long a request's body may take to arrive.
    pub body_timeout: std::time::Duration,
}

impl Sprida {
    /// The click recorder, for waiting until clicks show in the tables.
    pub fn clicks(&self) -> &ClickRecorder {
        &self.redirect.clicks
    }
}

/// Request bodies above this are refused with 413 (a CSV of 5 000 people fits).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Opens the database (creating and migrating it), seeds the demo
/// organisation when asked, and starts the background work on the current
/// runtime; returns the ready state.
pub async fn start(config: &Config) -> Result<Sprida, String> {
    let sprida = build(config).await?;
    let state = &sprida.state;
    if config.demo_asked() {
        let seeded = seed::seed_demo(state)
            .await
            .map_err(|e| format!("demo seed failed: {e:?}"))?;
        if seeded && config.demo_history {
            seed::history::seed(state)
                .await
                .map_err(|e| format!("demo history failed: {e:?}"))?;
        }
    }
    admin::check_on_start(config, state).await?;
    jobs::spawn_purge(state.clone());
    jobs::spawn_retention(state.clone(), config.click_retention_days);
    jobs::spawn_publisher(state.clone());
    jobs::spawn_challenges(state.clone());
    Ok(sprida)
}

/// Opens (creating and migrating) the database and starts the live bus and
/// the click pipeline; no demo data and no background jobs (see `start`).
pub async fn build(config: &Config) -> Result<Sprida, String> {
    private_files();
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        make_data_dir(config)?;
    } else {
        make_data_dir(config).ok();
    }
    let secret_key = config
        .load_secret_key()
        .map_err(|e| format!("secret key: {e}"))?;
    let (db, backend) = app::base::db::connect(&url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let live = app::base::live::Bus::start(&db, backend, &url).await?;
    let clicks = ClickRecorder::start(&db, &url, live.clone(), config.click_backlog).await?;
    tracing::info!(?backend, "database ready");
    let site = site::Site::load(config.site_root.as_deref());
    // Pages link to the app's files in their hashed folder.
    let leptos_options = LeptosOptions::builder()
        .output_name("sprida")
        .site_root(config.site_root.as_deref().unwrap_or("target/site"))
        .site_pkg_dir(site.pkg_dir())
        .site_addr(config.addr)
        .build();
    let state = AppState {
        db: db.clone(),
        config: Arc::new(AppConfig {
            base_url: config.base_url(),
            secret_key: secret_key.clone(),
            secure_cookies: config.secure_cookies(),
            session_idle: config.session_idle(),
            session_max: config.session_max(),
            proxy_hops: config.trust_proxy.hops(),
            streams_per_session: config.streams_per_session as usize,
        }),
        live: live.clone(),
        leptos_options: Arc::new(leptos_options),
    };
    let metrics = Arc::new(metrics::Metrics::new(
        config.metrics_token.clone(),
        clicks.stats.clone(),
    ));
    let redirect = redirect::Redirect {
        metrics: metrics.clone(),
        db,
        config: state.config.clone(),
        links: LinkCache::new(live),
        visitors: VisitorKeys::new(secret_key),
        clicks,
        crowd: std::sync::Mutex::new(crate::clicks::crowd::Crowd::new(
            crate::clicks::crowd::Limits {
                visitors_per_link: config.click_visitors_per_address as usize,
                ..crate::clicks::crowd::LIMITS
            },
        )),
    };
    Ok(Sprida {
        state,
        rankings: Arc::default(),
        redirect: Arc::new(redirect),
        site: Arc::new(site),
        metrics,
        body_timeout: std::time::Duration::from_secs(config.body_timeout_secs),
    })
}

/// Everything but the redirect (which `front` answers first).
pub fn router(sprida: &Sprida) -> Router {
    let state = sprida.state.clone();
    let hsts = state.config.base_url.starts_with("https://");
    let body_timeout = sprida.body_timeout;
    let routes = generate_route_list(App);
    let pieces = sprida.site.pieces().cloned();
    let context = {
        let (state, rankings) = (state.clone(), sprida.rankings.clone());
        move || {
            provide_context(state.clone());
            provide_context(rankings.clone());
            // Which WASM pieces each page needs, for its preload header.
            if let Some(pieces) = &pieces {
                provide_context(pieces.clone());
            }
        }
    };
    let page = {
        let options = LeptosOptions::clone(&state.leptos_options);
        move || shell(options.clone())
    };
    // A site file, or else the app's page for the path (its 404 included).
    let fallback = {
        let site = sprida.site.clone();
        let render = leptos_axum::render_app_to_stream_with_context(context.clone(), page.clone());
        move |req: axum::extract::Request| {
            let found = site.respond(req.method(), req.uri().path(), req.headers());
            let render = render.clone();
            async move {
                match found {
                    Some(res) => res,
                    None => render(req).await,
                }
            }
        }
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/media/{id}", get(media::image))
        .route("/admin/rewards/requests.csv", get(rewards::requests_csv))
        .route("/events/board", get(live::board_events))
        .route("/events/live", get(live::live_events))
        .route("/events/tv", get(live::tv_events))
        .route("/tv/pair/{token}", get(tv::confirm).post(tv::pair))
        .route(
            "/metrics",
            get(metrics::scrape).with_state((sprida.metrics.clone(), state.clone())),
        )
        .leptos_routes_with_context(&state, routes, context, page)
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // A body trickling in (a slow-loris upload) is cut off.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            body_timeout,
        ))
        .layer(middleware::from_fn(guard::too_large_as_json))
        .layer(middleware::from_fn(guard::request_id))
        .layer(middleware::map_response(move |res: Response| {
            security_headers(hsts, res)
        }))
        // Pages and answers, compressed as they are sent; site files come
        // compressed already and are left alone (they say their encoding),
        // as are event streams. Quality 4: a page is compressed per request,
        // and higher qualities cost milliseconds for a few per cent.
        // gzip only: a brotli encoder holds its 4 MB window and tables for
        // as long as its page is being sent (800 pages asked for with
        // `br`, 16 at a time, took the server from 124 to 303 MB), where
        // gzip's takes a few hundred KB, and at quality 4 the page is no
        // larger (/hub: 2,838 bytes gzipped, 2,841 with brotli).
        .layer(
            tower_http::compression::CompressionLayer::new()
                .no_br()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        // Outermost, so that refusals by the guard are counted too.
        .layer(middleware::from_fn_with_state(
            sprida.metrics.clone(),
            metrics::count,
        ))
        .with_state(state)
}

/// What the listener serves: the tracked-link redirect is answered on the
/// runtime that runs the connections (in `main`, one thread), everything
/// else is handed to `pool`, with its response body, so that page rendering
/// and live streams never hold up a redirect.
///
/// Why a thread of its own: on a multi-threaded runtime the workers wake
/// and switch far more (31,000 context switches in 10 s at 8,000 redirects/s
/// with two workers, about 13,000 with one), and on small virtual machines a
/// switch costs microseconds. In alternating 10 s probes at 27,000/s (two
/// cores, load generator on the same machine) the server used 16.0 to 17.5
/// µs of CPU per redirect this way against 18.4 to 19.9 µs with the redirect
/// on the two-worker runtime, and its p99 was lower in four of the five and
/// the same in the fifth (README, "Benchmarks").
///
/// The redirect skips the guard: it is public, takes no body, and resolves
/// the session itself only when it needs to know whether the sharer is
/// clicking. It is the hot path; every layer costs each click.
pub fn front(sprida: &Sprida, pool: tokio::runtime::Handle) -> Router {
    let rest = router(sprida);
    let hsts = sprida.state.config.base_url.starts_with("https://");
    Router::new()
        .route("/s/{code}", get(redirect::follow))
        .with_state(sprida.redirect.clone())
        .layer(middleware::map_response(move |res: Response| {
            security_headers(hsts, res)
        }))
        .fallback_service(OnPool { router: rest, pool })
}

/// Runs a request through `router` on `pool`. The body is pulled there too
/// (a streamed page renders as it is pulled) and handed over in chunks.
#[derive(Clone)]
struct OnPool {
    router: Router,
    pool: tokio::runtime::Handle,
}

impl tower::Service<axum::extract::Request> for OnPool {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures::future::BoxFuture<'static, Result<Response, Self::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: axum::extract::Request) -> Self::Future {
        use tower::ServiceExt;
        let router = self.router.clone();
        let done = self.pool.spawn(async move {
            let Ok(res) = router.oneshot(req).await;
            on_this_runtime(res).await
        });
        Box::pin(async move {
            Ok(done.await.unwrap_or_else(|e| {
                tracing::error!(error = %e, "request handler panicked");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }))
        })
    }
}

/// `res` with a body that is produced on the current runtime: a body of
/// known size is read here at once; a streamed one (pages, live events) is
/// pulled by a task here, which stops as soon as the client is gone.
async fn on_this_runtime(res: Response) -> Response {
    use axum::body::{Body, HttpBody};
    use futures::StreamExt;
    let (parts, body) = res.into_parts();
    if body.size_hint().exact().is_some() {
        return match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
            Err(e) => {
                tracing::error!(error = %e, "reading a response body failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        };
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        let mut chunks = body.into_data_stream();
        loop {
            tokio::select! {
                chunk = chunks.next() => match chunk {
                    Some(chunk) => if tx.send(chunk).await.is_err() { return },
                    None => return,
                },
                _ = tx.closed() => return,
            }
        }
    });
    let stream = futures::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// On every response. One middleware rather than a layer per header: each
/// layer is another service and future around every request. `hsts` when
/// the base URL is https: browsers then never try plain http again.
async fn security_headers(hsts: bool, mut res: Response) -> Response {
    let headers = res.headers_mut();
    // Pages and answers are personal: no cache may keep them, shared or the
    // browser's own (a signed-out page must not come back from history).
    // Site files and images say otherwise themselves.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("private, no-store"));
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
        ));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    res
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db)
        .await
    {
        Ok(_) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
        }
    }
}
