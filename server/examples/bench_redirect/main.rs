//! Benchmarks the tracked-link redirect against a bare axum handler that only
//! answers 302, in the same run on the same machine: on SQLite with the
//! in-process client and with `wrk` (with each server's CPU per response),
//! on PostgreSQL (one instance, two sharing a database, a repeating
//! visitor), and the crash test (SIGKILL under load: every 302 received must
//! be a stored click).
//!
//! Run it through `scripts/bench.sh`, which builds the release binary and
//! writes BENCHMARKS.md. Usage:
//!   bench_redirect --sprida PATH [--seconds N] [--concurrency N] [--postgres ADMIN_URL]
//!   bench_redirect probe URL [--rate R]   (load one URL, for profiling)
//!   bench_redirect postgres ADMIN_URL      (the PostgreSQL sections only)
//!   bench_redirect scale                   (live streams and employees at work)
//!   bench_redirect employees               (only the employees at work)
//!   bench_redirect --help

mod load;
mod postgres;
mod scale;
mod servers;
mod wrk;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use load::{closed_loop, latency_table, median_and_worst, open_loop, pct, Visitor};
use servers::{start_bare, start_sprida, with_cpu, Database};

pub const ROUNDS: usize = 3;

#[derive(clap::Parser)]
#[command(about = "Benchmarks the tracked-link redirect against a bare axum 302 handler")]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
    /// The Sprida binary to measure.
    #[arg(long, default_value = "dist/sprida")]
    sprida: PathBuf,
    /// Seconds per measurement (1 to 3600).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    seconds: u64,
    /// Concurrent clients (and, in the open loop, requests in flight at
    /// most; 1 to 10000).
    #[arg(long, default_value_t = 64,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000))]
    concurrency: usize,
    /// A PostgreSQL URL whose role may create databases: also measure the
    /// redirect on PostgreSQL (in a new database, dropped afterwards).
    #[arg(long)]
    postgres: Option<String>,
}

#[derive(clap::Subcommand)]
enum Mode {
    /// Internal: serve the baseline on PORT.
    Bare { port: u16 },
    /// Only the company-scale sections: open live streams and employees at
    /// work, with the server's memory.
    Scale,
    /// Only the employees at work (after a change that may touch memory).
    Employees,
    /// Only the PostgreSQL sections (after a change to that path), with
    /// ADMIN_URL a role that may create databases.
    Postgres { admin: String },
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

/// µs of CPU per response.
fn micros(cpu: Duration, responses: usize) -> f64 {
    cpu.as_secs_f64() * 1e6 / responses.max(1) as f64
}

/// Redirect load until the server is killed with SIGKILL; returns the number
/// of 302s received and (raw, qualified) clicks stored.
async fn crash_run(binary: &std::path::Path, concurrency: usize) -> (u64, (i64, i64)) {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start_sprida(binary, dir.path(), None).await;
    let db = Database::sqlite(dir.path());
    let code = db.make_link().await;
    let url = format!("{}/s/{code}", server.url);
    let received = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let client = load::client();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, received, stop) =
            (client.clone(), url.clone(), received.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if load::hit(&client, &url, Visitor::New).await {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill(); // SIGKILL
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    // Stored means in the tables once the server is back: on SQLite a click
    // is acknowledged once it is in the journal, and the next start applies
    // what the killed process had not moved into the tables yet.
    let _restarted = start_sprida(binary, dir.path(), None).await;
    let stored = db.stored_clicks(&code).await;
    (received.load(Ordering::Relaxed), stored)
}

async fn run(args: Cli) -> Result<(), String> {
    let secs = args.seconds;
    let conc = args.concurrency;
    println!("Load: {conc} concurrent clients, {secs} s per measurement, every request a new visitor (so every click qualifies and is paid) unless said otherwise. The visitors are made up and all come from one address, so Sprida runs with `--click-visitors-per-address 0` (otherwise all but three a link would be `crowd`); the per-address rate limit is on, and a repeating visitor past it leaves no row.\n");

    let bare = start_bare().await;
    let dir = tempfile::tempdir().unwrap();
    let sprida = start_sprida(&args.sprida, dir.path(), None).await;
    let db = Database::sqlite(dir.path());
    let code = db.make_link().await;
    let bare_link = vec![format!("{}/s/{code}", bare.url)];
    let sprida_link = vec![format!("{}/s/{code}", sprida.url)];

    // Warm both up (connections, SQLite pages) before measuring.
    closed_loop(&bare_link, conc, 1, Visitor::New).await?;
    closed_loop(&sprida_link, conc, 1, Visitor::New).await?;
    let mut before = db.stored_clicks(&code).await.0;

    // Alternating rounds: the machine's speed drifts between runs (the bare
    // handler alone varied by a third), so each round's ratio compares
    // neighbours and the median ratio is reported.
    let mut rounds = Vec::new();
    let mut stored = 0;
    for _ in 0..ROUNDS {
        let b = with_cpu(
            &[bare.pid()],
            closed_loop(&bare_link, conc, secs, Visitor::New),
        )
        .await;
        let s = with_cpu(
            &[sprida.pid()],
            closed_loop(&sprida_link, conc, secs, Visitor::New),
        )
        .await;
        let after = db.stored_clicks(&code).await.0;
        stored += after - before;
        before = after;
        rounds.push(((b.0?, b.1), (s.0?, s.1)));
    }
    println!(
        "## Throughput (SQLite, in-process client, closed loop, {ROUNDS} alternating rounds)\n"
    );
    println!("| round | bare axum 302 (baseline) req/s | p50 ms | p99 ms | CPU µs/resp | Sprida /s/{{code}} with click recording req/s | p50 ms | p99 ms | CPU µs/resp | ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut ratios = Vec::new();
    for (i, ((b, bc), (s, sc))) in rounds.iter().enumerate() {
        let ratio = s.per_second / b.per_second;
        ratios.push(ratio);
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {:.1} | {:.0} | {:.2} | {:.2} | {:.1} | {ratio:.2} |",
            i + 1,
            b.per_second,
            pct(&b.latencies, 0.5),
            pct(&b.latencies, 0.99),
            micros(*bc, b.latencies.len()),
            s.per_second,
            pct(&s.latencies, 0.5),
            pct(&s.latencies, 0.99),
            micros(*sc, s.latencies.len()),
        );
    }
    let redirects: usize = rounds.iter().map(|(_, (s, _))| s.latencies.len()).sum();
    // Under unbroken load the WAL only starts over if checkpoints keep up.
    let wal = std::fs::metadata(dir.path().join("sprida.db-wal")).map_or(0, |m| m.len());
    println!(
        "\n**Median ratio: Sprida / bare = {:.2}** (target: at least 0.50). Clicks stored during the Sprida runs: {stored} of {redirects} redirects. SQLite's WAL file afterwards: {:.0} MB.\n",
        median_and_worst(ratios).0,
        wal as f64 / 1e6,
    );
    // The open-loop rates come from each handler's median throughput.
    let (bare_rate, _) = median_and_worst(rounds.iter().map(|r| r.0 .0.per_second).collect());
    let (sprida_rate, _) = median_and_worst(rounds.iter().map(|r| r.1 .0.per_second).collect());

    // The latency target is judged like the throughput: alternating rounds,
    // every round shown, the median taken. One 10-second sample per handler
    // let a single burst of noise from outside decide the figure.
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

    if wrk::available() {
        wrk_rounds(&bare, &sprida, &db, &code, conc, secs).await?;
    } else {
        println!(
            "## With wrk\n\nNot measured: `wrk` is not installed (scripts/bench.sh installs it).\n"
        );
    }
    drop((bare, sprida));

    if let Some(admin) = &args.postgres {
        postgres::section(&args.sprida, admin, conc, secs).await?;
    }

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

/// wrk against both servers, alternating, with the CPU each server used.
async fn wrk_rounds(
    bare: &servers::Server,
    sprida: &servers::Server,
    db: &Database,
    code: &str,
    conc: usize,
    secs: u64,
) -> Result<(), String> {
    let before = db.stored_clicks(code).await.0;
    println!("## With wrk (SQLite; {conc} connections, 2 threads, {ROUNDS} alternating rounds)\n");
    println!("| round | bare req/s | bare p50 / p99 ms | bare CPU µs/resp | Sprida req/s | Sprida p50 / p99 ms | Sprida CPU µs/resp | rate ratio | CPU ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let (mut rates, mut cpus, mut sent) = (Vec::new(), Vec::new(), 0);
    for i in 1..=ROUNDS {
        let (b, bc) = with_cpu(
            &[bare.pid()],
            wrk::round(&format!("{}/s/{code}", bare.url), conc, secs),
        )
        .await;
        let (s, sc) = with_cpu(
            &[sprida.pid()],
            wrk::round(&format!("{}/s/{code}", sprida.url), conc, secs),
        )
        .await;
        let (b, s) = (b?, s?);
        sent += s.requests;
        let (bu, su) = (
            micros(bc, b.requests as usize),
            micros(sc, s.requests as usize),
        );
        rates.push(s.per_second / b.per_second);
        cpus.push(su / bu);
        println!(
            "| {i} | {:.0} | {:.2} / {:.2} | {bu:.1} | {:.0} | {:.2} / {:.2} | {su:.1} | {:.2} | {:.2} |",
            b.per_second,
            b.p50_ms,
            b.p99_ms,
            s.per_second,
            s.p50_ms,
            s.p99_ms,
            rates[i - 1],
            cpus[i - 1]
        );
    }
    let stored = db.stored_clicks(code).await.0 - before;
    println!(
        "\n**Median with wrk: Sprida / bare rate {:.2}, CPU per redirect {:.2}×** (target: CPU at most 1.5×, rate at least 0.67). Clicks stored: {stored} of {sent} redirects.\n",
        median_and_worst(rates).0,
        median_and_worst(cpus).0
    );
    Ok(())
}

/// 10,000 open live streams (10 timed clicks) and 200 employees for 60 s.
async fn scale_sections(cli: &Cli) -> Result<(), String> {
    scale::streams_section(&cli.sprida, 10_000, 10).await?;
    scale::employees_section(&cli.sprida, 200, 60).await
}

fn main() {
    let cli = <Cli as clap::Parser>::parse();
    let rt = tokio::runtime::Runtime::new().unwrap();
    match cli.mode {
        Some(Mode::Bare { port }) => rt.block_on(servers::serve_bare(port)),
        Some(Mode::Scale) => {
            if let Err(e) = rt.block_on(scale_sections(&cli)) {
                stop(&e);
            }
        }
        Some(Mode::Employees) => {
            if let Err(e) = rt.block_on(scale::employees_section(&cli.sprida, 200, 60)) {
                stop(&e);
            }
        }
        Some(Mode::Postgres { admin }) => {
            let run = postgres::section(&cli.sprida, &admin, cli.concurrency, cli.seconds);
            if let Err(e) = rt.block_on(run) {
                stop(&e);
            }
        }
        Some(Mode::Probe {
            rate: Some(rate), ..
        }) if !(rate > 0.0 && rate <= 1e6) => {
            eprintln!("--rate must be a number of requests per second above 0 and at most 1000000");
            std::process::exit(2);
        }
        Some(Mode::Probe { url, rate }) => rt.block_on(async {
            let urls = [url];
            let measured = match rate {
                Some(rate) => open_loop(&urls, rate, cli.seconds, cli.concurrency)
                    .await
                    .map(|l| (l.len() as f64 / cli.seconds as f64, l)),
                None => closed_loop(&urls, cli.concurrency, cli.seconds, Visitor::New)
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
