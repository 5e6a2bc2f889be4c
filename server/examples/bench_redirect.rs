//! Benchmarks the tracked-link redirect against a bare axum handler that only
//! answers 302, in the same run on the same machine, and runs the crash test
//! (SIGKILL under load: every 302 received must be a stored click).
//!
//! Run it through `scripts/bench.sh`, which builds the release binary and
//! writes BENCHMARKS.md. Usage:
//!   bench_redirect --sprida PATH [--seconds N] [--concurrency N]
//!   bench_redirect probe URL [--rate R]   (load one URL, for profiling)
//!   bench_redirect --help

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use sqlx::{Connection, SqliteConnection};

const ROUNDS: usize = 3;

#[derive(clap::Parser)]
#[command(about = "Benchmarks the tracked-link redirect against a bare axum 302 handler")]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
    /// The Sprida binary to measure.
    #[arg(long, default_value = "target/release/sprida")]
    sprida: PathBuf,
    /// Seconds per measurement (1 to 3600).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    seconds: u64,
    /// Concurrent clients (and, in the open loop, requests in flight at
    /// most; 1 to 10000).
    #[arg(long, default_value_t = 64,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000))]
    concurrency: usize,
}

#[derive(clap::Subcommand)]
enum Mode {
    /// Internal: serve the baseline on PORT.
    Bare { port: u16 },
    /// Load one URL only (closed loop, or open loop at --rate) and print its
    /// throughput and latency: for profiling a running server.
    Probe {
        /// An http(s) URL that answers 302, such as a tracked link.
        #[arg(value_parser = parse_url)]
        url: String,
        /// Requests per second (open loop, above 0 and at most 1,000,000);
        /// without it, a closed loop.
        #[arg(long)]
        rate: Option<f64>,
    },
}

fn parse_url(raw: &str) -> Result<String, String> {
    match reqwest::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
            Ok(raw.to_string())
        }
        Ok(_) => Err("not an http(s) URL".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The baseline: the least a redirect can do in axum.
async fn serve_bare(port: u16) {
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

async fn wait_ready(url: &str) {
    // Without following redirects: the baseline's points off this machine.
    let client = client();
    for _ in 0..600 {
        if client.get(url).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

fn start_bare() -> (Child, String) {
    let port = free_port();
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["bare", &port.to_string()])
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

fn start_sprida(binary: &Path, data: &Path) -> (Child, String) {
    let port = free_port();
    let child = Command::new(binary)
        .env("SPRIDA_ADDR", format!("127.0.0.1:{port}"))
        .env("SPRIDA_DATA_DIR", data)
        .env("SPRIDA_LOG", "error")
        .env("LEPTOS_SITE_ROOT", data)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

async fn db(data: &Path) -> SqliteConnection {
    let url = format!("sqlite://{}/sprida.db", data.display());
    SqliteConnection::connect(&url).await.unwrap()
}

/// A tracked link for the first demo person on the first demo item.
async fn make_link(data: &Path) -> String {
    let mut conn = db(data).await;
    let code = format!("bench{:07}", rand::random::<u32>() % 10_000_000);
    sqlx::query(
        "INSERT INTO tracked_links (code, item_id, person_id, channel, created_at) \
         VALUES ($1, (SELECT MIN(id) FROM content_items), (SELECT MIN(id) FROM people), 'linkedin', 0)",
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
async fn stored_clicks(data: &Path, code: &str) -> (i64, i64) {
    let mut last = count_clicks(data, code).await;
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = count_clicks(data, code).await;
        if now == last {
            return now;
        }
        last = now;
    }
}

async fn count_clicks(data: &Path, code: &str) -> (i64, i64) {
    let mut conn = db(data).await;
    sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(qualified), 0) FROM clicks WHERE code = $1")
        .bind(code)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap()
}

static VISITOR: AtomicU64 = AtomicU64::new(0);

/// Every request is a new visitor, so every click qualifies and takes the
/// whole path: repeat check, insert, counters and the points ledger.
fn visitor_agent() -> String {
    let n = VISITOR.fetch_add(1, Ordering::Relaxed);
    format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 visitor/{n}")
}

async fn hit(client: &reqwest::Client, url: &str) -> bool {
    matches!(
        client.get(url).header("user-agent", visitor_agent()).send().await,
        Ok(res) if res.status() == StatusCode::FOUND
    )
}

/// Requests that failed in the current measurement; the first one stops it.
static FAILURES: AtomicU64 = AtomicU64::new(0);

/// The measurement's result, or why it stopped: one message, where a panic
/// in each of thousands of request tasks printed thousands of traces.
fn measured<T>(result: T) -> Result<T, String> {
    match FAILURES.swap(0, Ordering::Relaxed) {
        0 => Ok(result),
        n => Err(format!(
            "measurement stopped: {n} requests failed or were not answered with a 302"
        )),
    }
}

struct Closed {
    per_second: f64,
    latencies: Vec<Duration>,
}

/// Closed loop: `concurrency` clients, each sending the next request when the
/// last one is answered, for `seconds`.
async fn closed_loop(url: &str, concurrency: usize, seconds: u64) -> Result<Closed, String> {
    let client = client();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url) = (client.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline && FAILURES.load(Ordering::Relaxed) == 0 {
                let start = Instant::now();
                if !hit(&client, &url).await {
                    FAILURES.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                lat.push(start.elapsed());
            }
            lat
        }));
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    measured(Closed {
        per_second: latencies.len() as f64 / elapsed,
        latencies,
    })
}

/// Open loop at a fixed rate: latency is measured from when each request was
/// due, so a stall counts against the server (no coordinated omission). At
/// most `connections` requests are in flight, as from a real proxy or a
/// client pool; a request waiting for a connection is still timed from when
/// it was due.
async fn open_loop(
    url: &str,
    rate: f64,
    seconds: u64,
    connections: usize,
) -> Result<Vec<Duration>, String> {
    let client = client();
    let slots = Arc::new(tokio::sync::Semaphore::new(connections));
    let interval = Duration::from_secs_f64(1.0 / rate);
    let total = (rate * seconds as f64) as u64;
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        if FAILURES.load(Ordering::Relaxed) > 0 {
            break;
        }
        let due = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        let (client, url, slots) = (client.clone(), url.to_string(), slots.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.unwrap();
            if hit(&client, &url).await {
                Some(due.elapsed())
            } else {
                FAILURES.fetch_add(1, Ordering::Relaxed);
                None
            }
        }));
    }
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.extend(t.await.unwrap());
    }
    out.sort();
    measured(out)
}

fn latency_table(bare: &[Duration], sprida: &[Duration]) {
    println!("| handler | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    for (name, l) in [
        ("bare axum 302 (baseline)", bare),
        ("Sprida /s/{code}", sprida),
    ] {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} |",
            pct(l, 0.5),
            pct(l, 0.95),
            pct(l, 0.99),
            pct(l, 1.0)
        );
    }
}

fn median_and_worst(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[values.len() - 1])
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Redirect load until the server is killed with SIGKILL; returns the number
/// of 302s received and (raw, qualified) clicks stored.
async fn crash_run(binary: &Path, concurrency: usize) -> (u64, (i64, i64)) {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = start_sprida(binary, dir.path());
    wait_ready(&format!("{base}/healthz")).await;
    let code = make_link(dir.path()).await;
    let url = format!("{base}/s/{code}");
    let received = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let client = client();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, received, stop) =
            (client.clone(), url.clone(), received.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if hit(&client, &url).await {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    // Stored means in the tables once the server is back: on SQLite a click
    // is acknowledged once it is in the journal, and the next start applies
    // what the killed process had not moved into the tables yet.
    let (child, base) = start_sprida(binary, dir.path());
    let _restarted = Server(child);
    wait_ready(&format!("{base}/healthz")).await;
    let stored = stored_clicks(dir.path(), &code).await;
    (received.load(Ordering::Relaxed), stored)
}

/// A server the benchmark started, killed however the benchmark ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn run(args: Cli) -> Result<(), String> {
    let secs = args.seconds;
    let conc = args.concurrency;
    println!("Load: {conc} concurrent clients, {secs} s per measurement, every request a new visitor (so every click qualifies and is paid).\n");

    let (bare, bare_url) = start_bare();
    let bare = Server(bare);
    wait_ready(&format!("{bare_url}/s/x")).await;
    let dir = tempfile::tempdir().unwrap();
    let (sprida, sprida_url) = start_sprida(&args.sprida, dir.path());
    let sprida = Server(sprida);
    wait_ready(&format!("{sprida_url}/healthz")).await;
    let code = make_link(dir.path()).await;
    let bare_link = format!("{bare_url}/s/{code}");
    let sprida_link = format!("{sprida_url}/s/{code}");

    // Warm both up (connections, SQLite pages) before measuring.
    closed_loop(&bare_link, conc, 1).await?;
    closed_loop(&sprida_link, conc, 1).await?;
    let mut before = stored_clicks(dir.path(), &code).await.0;

    // Alternating rounds: the machine's speed drifts between runs (the bare
    // handler alone varied by a third), so each round's ratio compares
    // neighbours and the median ratio is reported.
    let mut rounds = Vec::new();
    let mut stored = 0;
    for _ in 0..ROUNDS {
        let b = closed_loop(&bare_link, conc, secs).await?;
        let s = closed_loop(&sprida_link, conc, secs).await?;
        let after = stored_clicks(dir.path(), &code).await.0;
        stored += after - before;
        before = after;
        rounds.push((b, s));
    }
    println!("## Throughput (closed loop, {ROUNDS} alternating rounds)\n");
    println!("| round | bare axum 302 (baseline) req/s | p50 ms | p99 ms | Sprida /s/{{code}} with click recording req/s | p50 ms | p99 ms | ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut ratios = Vec::new();
    for (i, (b, s)) in rounds.iter().enumerate() {
        let ratio = s.per_second / b.per_second;
        ratios.push(ratio);
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {ratio:.2} |",
            i + 1,
            b.per_second,
            pct(&b.latencies, 0.5),
            pct(&b.latencies, 0.99),
            s.per_second,
            pct(&s.latencies, 0.5),
            pct(&s.latencies, 0.99),
        );
    }
    let redirects: usize = rounds.iter().map(|(_, s)| s.latencies.len()).sum();
    // Under unbroken load the WAL only starts over if checkpoints keep up.
    let wal = std::fs::metadata(dir.path().join("sprida.db-wal")).map_or(0, |m| m.len());
    println!(
        "\n**Median ratio: Sprida / bare = {:.2}** (target: at least 0.50). Clicks stored during the Sprida runs: {stored} of {redirects} redirects. SQLite's WAL file afterwards: {:.0} MB.\n",
        median_and_worst(ratios).0,
        wal as f64 / 1e6,
    );
    // The open-loop rates come from each handler's median throughput.
    let (bare_rate, _) = median_and_worst(rounds.iter().map(|r| r.0.per_second).collect());
    let (sprida_rate, _) = median_and_worst(rounds.iter().map(|r| r.1.per_second).collect());

    // The latency target is judged like the throughput: alternating rounds,
    // every round shown, the median taken. One 10-second sample per handler
    // let a single burst of noise from outside decide the figure (the bare
    // handler's own p99 at this rate ranged from 3.3 to 10.6 ms in three runs
    // on one day).
    let rate = (bare_rate / 2.0).floor();
    let mut lat_rounds = Vec::new();
    for _ in 0..ROUNDS {
        let bo = open_loop(&bare_link, rate, secs, conc).await?;
        let so = open_loop(&sprida_link, rate, secs, conc).await?;
        lat_rounds.push((bo, so));
    }
    println!(
        "## Latency at half the bare handler's throughput ({rate:.0} requests/s, open loop, at most {conc} in flight, {ROUNDS} alternating rounds)\n"
    );
    println!("| round | bare p50 ms | bare p99 ms | bare max ms | Sprida p50 ms | Sprida p99 ms | Sprida max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (i, (b, s)) in lat_rounds.iter().enumerate() {
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            i + 1,
            pct(b, 0.5),
            pct(b, 0.99),
            pct(b, 1.0),
            pct(s, 0.5),
            pct(s, 0.99),
            pct(s, 1.0)
        );
    }
    let (bare_p99, _) = median_and_worst(lat_rounds.iter().map(|r| pct(&r.0, 0.99)).collect());
    let (sprida_p99, sprida_worst) =
        median_and_worst(lat_rounds.iter().map(|r| pct(&r.1, 0.99)).collect());
    println!(
        "\n**Median p99: Sprida {sprida_p99:.2} ms** (target: under 10 ms; worst round {sprida_worst:.2} ms), bare {bare_p99:.2} ms; ratio {:.1}.\n",
        sprida_p99 / bare_p99.max(0.001)
    );
    // For context: how Sprida's latency looks when it is not overloaded.
    let own = (sprida_rate / 2.0).floor();
    let bo = open_loop(&bare_link, own, secs, conc).await?;
    let so = open_loop(&sprida_link, own, secs, conc).await?;
    println!("## Latency at half Sprida's own throughput ({own:.0} requests/s, open loop)\n");
    latency_table(&bo, &so);
    println!();
    drop((bare, sprida));

    println!("## Crash test (SIGKILL under load)\n");
    println!("| run | 302 responses received | clicks stored | of which qualified | lost |");
    println!("|---|---:|---:|---:|---:|");
    for run in 1..=3 {
        let (received, (stored, qualified)) = crash_run(&args.sprida, conc).await;
        let lost = (received as i64 - stored).max(0);
        println!("| {run} | {received} | {stored} | {qualified} | {lost} |");
    }
    println!("\n\"Lost\" counts redirects the client received whose click is not in the database; it must be 0. A click stored but whose 302 did not reach the client before the kill would show as stored > received.");
    Ok(())
}

fn main() {
    let cli = <Cli as clap::Parser>::parse();
    let rt = tokio::runtime::Runtime::new().unwrap();
    match cli.mode {
        Some(Mode::Bare { port }) => rt.block_on(serve_bare(port)),
        Some(Mode::Probe {
            rate: Some(rate), ..
        }) if !(rate > 0.0 && rate <= 1e6) => {
            eprintln!("--rate must be a number of requests per second above 0 and at most 1000000");
            std::process::exit(2);
        }
        Some(Mode::Probe { url, rate }) => rt.block_on(async {
            let measured = match rate {
                Some(rate) => open_loop(&url, rate, cli.seconds, cli.concurrency)
                    .await
                    .map(|l| (l.len() as f64 / cli.seconds as f64, l)),
                None => closed_loop(&url, cli.concurrency, cli.seconds)
                    .await
                    .map(|c| (c.per_second, c.latencies)),
            };
            let (per_second, latencies) = measured.unwrap_or_else(|e| stop(&e));
            if latencies.is_empty() {
                stop("no request was due in that time; raise --rate or --seconds");
            }
            println!(
                "{per_second:.0} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                pct(&latencies, 0.5),
                pct(&latencies, 0.95),
                pct(&latencies, 0.99),
                pct(&latencies, 1.0)
            );
        }),
        None => {
            if let Err(e) = rt.block_on(run(cli)) {
                stop(&e);
            }
        }
    }
}

fn stop(message: &str) -> ! {
    eprintln!("bench_redirect: {message}");
    std::process::exit(1);
}
