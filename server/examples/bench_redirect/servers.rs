//! The servers a benchmark starts (the bare baseline, Sprida on SQLite or
//! PostgreSQL) and what it reads from their databases.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use sqlx::{AnyConnection, Connection, Executor};

/// The baseline: the least a redirect can do in axum.
pub async fn serve_bare(port: u16) {
    async fn bare() -> impl IntoResponse {
        (
            StatusCode::FOUND,
            [(header::LOCATION, "https://example.com/news?utm_source=x")],
        )
    }
    let app = axum::Router::new().route("/s/{code}", get(bare));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    axum::serve(listener, app).await.unwrap();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn wait_ready(url: &str) {
    // Without following redirects: the baseline's points off this machine.
    let client = crate::load::client();
    for _ in 0..600 {
        if client.get(url).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

/// A server the benchmark started, killed however the benchmark ends.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, at once.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub async fn start_bare() -> Server {
    let port = free_port();
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["bare", &port.to_string()])
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{url}/s/x")).await;
    Server { child, url }
}

/// Sprida with its data directory at `data`, on SQLite there or on the
/// PostgreSQL database `database`.
pub async fn start_sprida(binary: &Path, data: &Path, database: Option<&str>) -> Server {
    start_sprida_with(binary, data, database, &[]).await
}

/// As `start_sprida`, with more settings in its environment.
pub async fn start_sprida_with(
    binary: &Path,
    data: &Path,
    database: Option<&str>,
    env: &[(&str, &str)],
) -> Server {
    let port = free_port();
    let mut cmd = Command::new(binary);
    // The demo's people and items are the benchmark's (callers may override).
    cmd.env("SPRIDA_DEMO", "true");
    // Without its history: the benchmark makes its own links and clicks.
    cmd.env("SPRIDA_DEMO_HISTORY", "false");
    // The stream sections open thousands of streams on one session.
    cmd.env("SPRIDA_STREAMS_PER_SESSION", "1000000");
    cmd.env("SPRIDA_MAX_CONNECTIONS", "1000000");
    // Every request is a new visitor from the one loopback address: with
    // the per-address limit (3 visitors a link a day) nearly all would be
    // "crowd", unpaid, and the benchmark would no longer measure the full
    // path of a qualified click.
    cmd.env("SPRIDA_CLICK_VISITORS_PER_ADDRESS", "0");
    cmd.envs(env.iter().copied());
    cmd.env("SPRIDA_ADDR", format!("127.0.0.1:{port}"))
        .env("SPRIDA_DATA_DIR", data)
        .env("SPRIDA_LOG", "error")
        .stdout(Stdio::null());
    if let Some(url) = database {
        cmd.env("DATABASE_URL", url);
    }
    let child = cmd.spawn().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{url}/healthz")).await;
    Server { child, url }
}

/// Where a Sprida under test keeps its data.
#[derive(Clone)]
pub struct Database(pub String);

impl Database {
    pub fn sqlite(data: &Path) -> Database {
        Database(format!("sqlite://{}/sprida.db", data.display()))
    }

    /// A new, empty database on the PostgreSQL server at `admin`.
    pub async fn new_postgres(admin: &str) -> Database {
        let mut conn = connect(admin).await;
        let name = format!("sprida_bench_{}", rand::random::<u32>());
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let (base, _) = admin.rsplit_once('/').expect("database URL has a path");
        Database(format!("{base}/{name}"))
    }

    /// A tracked link on the first demo item, each for another demo person
    /// (one link per item, person and channel).
    pub async fn make_link(&self) -> String {
        let mut conn = connect(&self.0).await;
        let code = format!("bench{:07}", rand::random::<u32>() % 10_000_000);
        sqlx::query(
            "INSERT INTO tracked_links (code, item_id, person_id, channel, created_at) \
             VALUES ($1, (SELECT MIN(id) FROM content_items), (SELECT id FROM people ORDER BY id \
             LIMIT 1 OFFSET (SELECT COUNT(*) FROM tracked_links)), 'linkedin', 0)",
        )
        .bind(&code)
        .execute(&mut conn)
        .await
        .unwrap();
        code
    }

    /// (raw, qualified) clicks in the tables, once they stopped changing: on
    /// SQLite the last clicks of a run are stored in the journal and reach the
    /// tables within a few tens of milliseconds.
    pub async fn stored_clicks(&self, code: &str) -> (i64, i64) {
        let mut last = self.count_clicks(code).await;
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let now = self.count_clicks(code).await;
            if now == last {
                return now;
            }
            last = now;
        }
    }

    async fn count_clicks(&self, code: &str) -> (i64, i64) {
        let mut conn = connect(&self.0).await;
        sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(qualified), 0) AS BIGINT) FROM clicks WHERE code = $1",
        )
        .bind(code)
        .fetch_one(&mut conn)
        .await
        .unwrap()
    }
}

async fn connect(url: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(url).await.unwrap()
}

/// CPU time (user + system) the process has used so far.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat(5): 11 and 12 here.
    let total = ticks(11) + ticks(12);
    Duration::from_secs_f64(total as f64 / clock_ticks())
}

/// Clock ticks per second: 100 on every Linux this runs on; read from
/// `getconf` rather than assumed.
fn clock_ticks() -> f64 {
    static HZ: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *HZ.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Runs `body` and returns its result with the CPU the processes `pids`
/// used meanwhile.
pub async fn with_cpu<T>(
    pids: &[u32],
    body: impl std::future::Future<Output = T>,
) -> (T, Duration) {
    let before: Duration = pids.iter().map(|p| cpu_time(*p)).sum();
    let out = body.await;
    let after: Duration = pids.iter().map(|p| cpu_time(*p)).sum();
    (out, after.saturating_sub(before))
}
