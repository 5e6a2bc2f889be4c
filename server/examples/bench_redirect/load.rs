//! The in-process load generator: closed and open loops over one or more
//! URLs (one per instance), and the statistics of their latencies.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap()
}

/// Who clicks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    /// A new visitor every request, so every click qualifies and takes the
    /// whole path: repeat check, insert, counters and the points ledger.
    New,
    /// One visitor again and again (a refreshing bot): every click after
    /// the first is a repeat.
    Same,
}

static VISITOR: AtomicU64 = AtomicU64::new(0);

fn agent(visitor: Visitor) -> String {
    match visitor {
        Visitor::New => {
            let n = VISITOR.fetch_add(1, Ordering::Relaxed);
            format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 visitor/{n}")
        }
        Visitor::Same => "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 the-same-one".into(),
    }
}

pub async fn hit(client: &reqwest::Client, url: &str, visitor: Visitor) -> bool {
    matches!(
        client.get(url).header("user-agent", agent(visitor)).send().await,
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

pub struct Closed {
    pub per_second: f64,
    pub latencies: Vec<Duration>,
}

/// Closed loop: `concurrency` clients, each sending the next request when the
/// last one is answered, for `seconds`; client i loads `urls[i % n]`.
pub async fn closed_loop(
    urls: &[String],
    concurrency: usize,
    seconds: u64,
    visitor: Visitor,
) -> Result<Closed, String> {
    let client = client();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for i in 0..concurrency {
        let (client, url) = (client.clone(), urls[i % urls.len()].clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline && FAILURES.load(Ordering::Relaxed) == 0 {
                let start = Instant::now();
                if !hit(&client, &url, visitor).await {
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
/// it was due. Request i goes to `urls[i % n]`.
pub async fn open_loop(
    urls: &[String],
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
        let url = urls[i as usize % urls.len()].clone();
        let (client, slots) = (client.clone(), slots.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.unwrap();
            if hit(&client, &url, Visitor::New).await {
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

pub fn latency_table(bare: &[Duration], sprida: &[Duration]) {
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

pub fn median_and_worst(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[values.len() - 1])
}

pub fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}
