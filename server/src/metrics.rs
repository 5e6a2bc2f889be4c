//! `GET /metrics` for Prometheus: requests by route and status, the
//! redirect's latency, the click pipeline (journalled, applied, waiting and
//! how late), open live streams and the database pool.
//!
//! Off unless `--metrics-token` is set; then a scrape must send it as a
//! bearer token (README, "Operating"). The counters are kept in
//! prometheus-client's types, which also write the OpenMetrics text format:
//! its escaping and `# EOF` rules are the library's business, not ours.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use app::base::state::AppState;

use crate::clicks::ClickStats;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route as declared ("/review/{id}"), never the raw path: one
    /// series a route, whatever ids people open.
    pub route: String,
    pub status: u16,
}

const REDIRECT_ROUTE: &str = "/s/{code}";

pub struct Metrics {
    registry: Registry,
    token: Option<String>,
    pub requests: Family<RequestLabels, Counter>,
    pub redirect_seconds: Histogram,
    /// The redirect's usual answer, looked up once: the hot path then only
    /// bumps it (no label to build and hash per click).
    redirect_found: Counter,
    /// One scrape at a time: `render` brings counters up to the pipeline's
    /// totals by their difference, which two at once would count twice.
    rendering: std::sync::Mutex<()>,
    pub clicks: Arc<ClickStats>,
    journalled: Counter,
    applied: Counter,
    waiting: Gauge,
    lag: Gauge<f64, AtomicU64>,
    streams: Gauge,
    pool_size: Gauge,
    pool_idle: Gauge,
}

impl Metrics {
    pub fn new(token: Option<String>, clicks: Arc<ClickStats>) -> Metrics {
        let mut registry = Registry::with_prefix("sprida");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        // 50 µs to about 1.6 s.
        let redirect_seconds = Histogram::new(exponential_buckets(0.000_05, 2.0, 16));
        registry.register(
            "redirect_duration_seconds",
            "Time to answer a tracked-link redirect, click stored",
            redirect_seconds.clone(),
        );
        let redirect_found = requests
            .get_or_create(&RequestLabels {
                route: REDIRECT_ROUTE.into(),
                status: 302,
            })
            .clone();
        let m = Metrics {
            redirect_found,
            rendering: std::sync::Mutex::new(()),
            registry,
            token: token.filter(|t| !t.is_empty()),
            requests,
            redirect_seconds,
            clicks,
            journalled: Counter::default(),
            applied: Counter::default(),
            waiting: Gauge::default(),
            lag: Gauge::default(),
            streams: Gauge::default(),
            pool_size: Gauge::default(),
            pool_idle: Gauge::default(),
        };
        let mut m = m;
        let r = &mut m.registry;
        r.register(
            "clicks_journalled",
            "Clicks stored (journal or commit)",
            m.journalled.clone(),
        );
        r.register("clicks_applied", "Clicks in the tables", m.applied.clone());
        r.register(
            "click_apply_lag_seconds",
            "From a click to its row, for the last batch applied",
            m.lag.clone(),
        );
        for (name, help, gauge) in [
            (
                "clicks_waiting",
                "Clicks stored but not yet in the tables",
                &m.waiting,
            ),
            ("live_streams", "Open live event streams", &m.streams),
            (
                "db_pool_connections",
                "Database connections open",
                &m.pool_size,
            ),
            (
                "db_pool_idle_connections",
                "Database connections idle",
                &m.pool_idle,
            ),
        ] {
            r.register(name, help, gauge.clone());
        }
        m
    }

    /// The text a scrape gets; the gauges are read now.
    pub fn render(&self, state: &AppState) -> String {
        let _one = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        let journalled = self.clicks.journalled.load(Ordering::Relaxed);
        let applied = self.clicks.applied.load(Ordering::Relaxed);
        // Counters only go up: bring them to the pipeline's totals.
        self.journalled
            .inc_by(journalled.saturating_sub(self.journalled.get()));
        self.applied
            .inc_by(applied.saturating_sub(self.applied.get()));
        self.waiting.set(journalled.saturating_sub(applied) as i64);
        self.lag
            .set(self.clicks.lag_ms.load(Ordering::Relaxed) as f64 / 1000.0);
        self.streams.set(state.live.listeners() as i64);
        self.pool_size.set(state.db.size() as i64);
        self.pool_idle.set(state.db.num_idle() as i64);
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    fn allowed(&self, req: &Request) -> Result<(), StatusCode> {
        let Some(token) = &self.token else {
            return Err(StatusCode::NOT_FOUND);
        };
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if constant_time_eq(given.as_bytes(), token.as_bytes()) {
            Ok(())
        } else {
            Err(StatusCode::UNAUTHORIZED)
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The scrape endpoint.
pub async fn scrape(
    State((metrics, state)): State<(Arc<Metrics>, AppState)>,
    req: Request,
) -> Response {
    if let Err(status) = metrics.allowed(&req) {
        return status.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.render(&state),
    )
        .into_response()
}

/// Counts every request that `router` answers, by its declared route.
pub async fn count(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let res = next.run(req).await;
    let route = route.unwrap_or_else(|| {
        // The fallback: a site file (it has an ETag) or a page of the app.
        if res.headers().contains_key(header::ETAG) {
            "(site file)".into()
        } else {
            "(other)".into()
        }
    });
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            status: res.status().as_u16(),
        })
        .inc();
    res
}

/// Times a redirect from its start.
pub fn redirected(metrics: &Metrics, started: Instant, status: StatusCode) {
    metrics
        .redirect_seconds
        .observe(started.elapsed().as_secs_f64());
    if status == StatusCode::FOUND {
        metrics.redirect_found.inc();
        return;
    }
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route: REDIRECT_ROUTE.into(),
            status: status.as_u16(),
        })
        .inc();
}
