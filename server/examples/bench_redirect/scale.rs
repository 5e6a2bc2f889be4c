//! Company scale on one instance, the release binary in a process of its
//! own (so its memory is its own): thousands of open live streams, and a
//! crowd of simulated employees using the app at once.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use sqlx::{AnyConnection, Connection};

use crate::load::{self, pct, Visitor};
use crate::servers::{start_sprida, start_sprida_with, Database, Server};

const DEMO_EMPLOYEE: &str = "employee@demo.sprida.local";
/// What a browser accepts: the server picks the encoding (and with it the
/// encoder's memory) as it would for a browser.
const BROWSER: &str = "gzip, deflate, br, zstd";

/// Resident memory of a process in MB: (now, the most so far).
fn rss_mb(pid: u32) -> (f64, f64) {
    let m = memory(pid);
    (m.rss, m.peak)
}

/// A process's memory in MB, from /proc: what it allocated (anonymous) is
/// told apart from the files it maps, the SQLite database among them, whose
/// pages the kernel can drop at any time.
#[derive(Clone, Copy, Default)]
struct Memory {
    rss: f64,
    peak: f64,
    anon: f64,
    file: f64,
}

fn memory(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    Memory {
        rss: field("VmRSS:"),
        peak: field("VmHWM:"),
        anon: field("RssAnon:"),
        file: field("RssFile:") + field("RssShmem:"),
    }
}

/// A client with a session of `email`, signed in through the sign-in
/// endpoint as a browser would be.
async fn signed_in(url: &str, email: &str) -> Result<reqwest::Client, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let res = client
        .post(format!("{url}/api/sign_in"))
        .form(&[("email", email), ("password", server::seed::DEMO_PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("sign-in of {email}: HTTP {}", res.status()));
    }
    Ok(client)
}

/// Opens an event stream and passes on the time each points event reaches it.
async fn listen(
    client: reqwest::Client,
    url: String,
    heard: tokio::sync::mpsc::UnboundedSender<Instant>,
) -> Result<(), String> {
    let mut res = client
        .get(format!("{url}/events/live"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("/events/live: HTTP {}", res.status()));
    }
    tokio::spawn(async move {
        while let Ok(Some(chunk)) = res.chunk().await {
            if String::from_utf8_lossy(&chunk).contains("event: points") {
                let _ = heard.send(Instant::now());
            }
        }
    });
    Ok(())
}

/// Open live streams as the server counts them (its /metrics).
async fn streams_open(server: &Server, token: &str) -> i64 {
    let body = load::client()
        .get(format!("{}/metrics", server.url))
        .bearer_auth(token)
        .send()
        .await
        .ok();
    let text = match body {
        Some(res) => res.text().await.unwrap_or_default(),
        None => String::new(),
    };
    text.lines()
        .find_map(|l| l.strip_prefix("sprida_live_streams "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1)
}

const TOKEN: &str = "bench-metrics-token";

pub async fn streams_section(binary: &Path, streams: usize, rounds: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let server =
        start_sprida_with(binary, dir.path(), None, &[("SPRIDA_METRICS_TOKEN", TOKEN)]).await;
    let db = Database::sqlite(dir.path());
    let code = db.make_link().await;
    let (idle, _) = rss_mb(server.pid());
    // One session, as one person's many tabs and screens would be; each
    // stream its own connection (HTTP/1.1, as browsers keep them).
    let client = signed_in(&server.url, DEMO_EMPLOYEE).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let opening = Arc::new(tokio::sync::Semaphore::new(200));
    let mut opened = Vec::new();
    for _ in 0..streams {
        let (client, url, tx, opening) = (
            client.clone(),
            server.url.clone(),
            tx.clone(),
            opening.clone(),
        );
        opened.push(tokio::spawn(async move {
            let _slot = opening.acquire_owned().await.unwrap();
            listen(client, url, tx).await
        }));
    }
    for o in opened {
        o.await.unwrap()?;
    }
    // Subscribed once the server says so, not after a guessed pause.
    let deadline = Instant::now() + Duration::from_secs(30);
    while streams_open(&server, TOKEN).await < streams as i64 {
        if Instant::now() > deadline {
            return Err(format!(
                "only {} of {streams} streams subscribed",
                streams_open(&server, TOKEN).await
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (open_rss, _) = rss_mb(server.pid());

    let visitor = load::client();
    let (mut delivery, mut redirect) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t0 = Instant::now();
        if !load::hit(&visitor, &format!("{}/s/{code}", server.url), Visitor::New).await {
            return Err("a click was not answered with a 302".into());
        }
        redirect.push(t0.elapsed());
        for _ in 0..streams {
            let at = tokio::time::timeout(Duration::from_secs(30), rx.recv())
                .await
                .map_err(|_| "a stream did not hear the click within 30 s".to_string())?
                .unwrap();
            delivery.push(at.duration_since(t0));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (now_rss, peak) = rss_mb(server.pid());
    delivery.sort();
    redirect.sort();
    println!("## {streams} open live streams (one instance)\n");
    println!("{streams} `/events/live` streams open on the release binary (SQLite), each its own connection, on one signed-in session; {rounds} rounds, each one qualified click on a tracked link by a new visitor; {} deliveries timed from sending the click. The client runs on the same two cores and reads every stream.\n", delivery.len());
    println!("| measure | p50 ms | p95 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    println!(
        "| the click's own redirect (baseline) | {:.2} | {:.2} | |",
        pct(&redirect, 0.5),
        pct(&redirect, 0.95)
    );
    println!(
        "| event reaches a stream | {:.2} | {:.2} | {:.2} |\n",
        pct(&delivery, 0.5),
        pct(&delivery, 0.95),
        pct(&delivery, 0.99)
    );
    println!("Server memory (RSS): **{open_rss:.1} MB with the {streams} streams open**, {now_rss:.1} MB after the rounds (peak {peak:.1} MB), against {idle:.1} MB idle before them: {:.1} KB per stream.\n", (open_rss - idle) * 1024.0 / streams as f64);
    Ok(())
}

/// `people` employees who can sign in with the demo password, in the demo
/// organisation's database at `db`.
async fn add_employees(db: &Database, people: usize) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&db.0).await.unwrap();
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM people WHERE email = $1")
        .bind(DEMO_EMPLOYEE)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let mut emails = Vec::new();
    for i in 0..people {
        let email = format!("crowd{i}@demo.sprida.local");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (email, name, password_hash, active, created_at, updated_at) \
             VALUES ($1, $2, $3, 1, 0, 0) RETURNING id",
        )
        .bind(&email)
        .bind(format!("Crowd Person {i}"))
        .bind(&hash)
        .fetch_one(&mut conn)
        .await
        .unwrap();
        sqlx::query("INSERT INTO person_roles (person_id, role) VALUES ($1, 'employee')")
            .bind(id)
            .execute(&mut conn)
            .await
            .unwrap();
        emails.push(email);
    }
    emails
}

async fn published_items(db: &Database) -> Vec<i64> {
    let mut conn = AnyConnection::connect(&db.0).await.unwrap();
    sqlx::query_scalar("SELECT id FROM content_items WHERE status = 'published'")
        .fetch_all(&mut conn)
        .await
        .unwrap()
}

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    errors: AtomicU64,
    events: AtomicU64,
}

impl Tally {
    /// Reads a response to its end, as a browser does, and counts it: an
    /// error unless it has the expected status. Returns its body.
    async fn count(&self, res: reqwest::Result<reqwest::Response>, expected: u16) -> Option<Bytes> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let body = match res {
            Ok(r) if r.status().as_u16() == expected => r.bytes().await.ok(),
            _ => None,
        };
        if body.is_none() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        body
    }
}

/// Shares an item: the tracked link (as the share dialog asks for it), then
/// the share itself; returns the link's code.
async fn share(
    client: &reqwest::Client,
    url: &str,
    item: i64,
    channel: &str,
    tally: &Tally,
) -> Option<String> {
    let item = item.to_string();
    let form = [("item_id", item.as_str()), ("channel", channel)];
    let res = client
        .post(format!("{url}/api/share_link"))
        .form(&form)
        .send()
        .await;
    let link: serde_json::Value = serde_json::from_slice(&tally.count(res, 200).await?).ok()?;
    let code = link["url"].as_str()?.rsplit_once("/s/")?.1.to_string();
    let res = client
        .post(format!("{url}/api/record_share"))
        .form(&[form[0], form[1], ("text", "Worth reading.")])
        .send()
        .await;
    tally.count(res, 200).await?;
    Some(code)
}

/// One employee's session: the hub, now and then a share whose link a few
/// visitors click, the leaderboard open with its live stream (reloaded when
/// points move, as the page does), a pause to read between steps.
async fn employee(
    client: reqwest::Client,
    url: String,
    items: Arc<Vec<i64>>,
    until: Instant,
    tally: Arc<Tally>,
    seed: u64,
) {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let (tx, mut heard) = tokio::sync::mpsc::unbounded_channel();
    if listen(client.clone(), url.clone(), tx).await.is_err() {
        tally.errors.fetch_add(1, Ordering::Relaxed);
    }
    let visitor = load::client();
    let channels = ["LinkedIn", "X", "Facebook", "Email"];
    let board = serde_json::json!({"ranked": "People", "period": "Week", "group": null});
    let leaderboard = || {
        client
            .post(format!("{url}/api/leaderboard"))
            .json(&board)
            .send()
    };
    while Instant::now() < until {
        let hub = client
            .get(format!("{url}/hub"))
            .header("accept-encoding", BROWSER);
        tally.count(hub.send().await, 200).await;
        if rng.gen_bool(0.3) {
            let item = items[rng.gen_range(0..items.len())];
            let channel = channels[rng.gen_range(0..channels.len())];
            if let Some(code) = share(&client, &url, item, channel, &tally).await {
                // People in the employee's network open the shared link.
                for _ in 0..rng.gen_range(1..4) {
                    let agent = format!("Mozilla/5.0 Firefox/128.0 reader/{}", rng.gen::<u32>());
                    let res = visitor
                        .get(format!("{url}/s/{code}"))
                        .header("user-agent", agent)
                        .send()
                        .await;
                    tally.count(res, 302).await;
                }
            }
        }
        tally.count(leaderboard().await, 200).await;
        // Reads for a while; a points event makes the open board reload.
        let pause = Duration::from_millis(rng.gen_range(500..2500));
        if let Ok(Some(_)) = tokio::time::timeout(pause, heard.recv()).await {
            tally.events.fetch_add(1, Ordering::Relaxed);
            while heard.try_recv().is_ok() {}
            tally.count(leaderboard().await, 200).await;
        }
    }
}

pub async fn employees_section(binary: &Path, people: usize, secs: u64) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let server = start_sprida(binary, dir.path(), None).await;
    let db = Database::sqlite(dir.path());
    let emails = add_employees(&db, people).await;
    let items = Arc::new(published_items(&db).await);
    if items.is_empty() {
        return Err("the demo has no published items".into());
    }
    let idle_memory = memory(server.pid());
    let idle = idle_memory.rss;
    let mut clients = Vec::new();
    for email in &emails {
        clients.push(signed_in(&server.url, email).await?);
    }
    let tally = Arc::new(Tally::default());
    let until = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let (url, items, tally) = (server.url.clone(), items.clone(), tally.clone());
        tasks.push(tokio::spawn(employee(
            client, url, items, until, tally, i as u64,
        )));
    }
    // Sampled while they work: the figure is the worst moment, not the end.
    let mut samples = Vec::new();
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(500)).await;
        samples.push(memory(server.pid()));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (_, peak) = rss_mb(server.pid());
    let most = |f: fn(&Memory) -> f64| samples.iter().map(f).fold(f64::NAN, f64::max);
    let (peak_anon, peak_file) = (most(|m| m.anon), most(|m| m.file));
    let mut rss: Vec<f64> = samples.iter().map(|m| m.rss).collect();
    rss.sort_by(f64::total_cmp);
    let median = rss.get(rss.len() / 2).copied().unwrap_or(f64::NAN);
    let requests = tally.requests.load(Ordering::Relaxed);
    let errors = tally.errors.load(Ordering::Relaxed);
    println!(
        "## Memory with {people} employees at work (one instance)
"
    );
    println!("{people} signed-in employees on the release binary (SQLite, the demo organisation) for {secs} s, each with its own session and connections: the hub page (asked for as a browser does, compressed, and read to its end), in three visits of ten a share (the share dialog's link, then the share) whose link one to three readers open, the weekly leaderboard with its live stream open (reloaded on every points event, as the page does), and 0.5 to 2.5 s of reading between steps.
");
    println!("| measure | value |");
    println!("|---|---:|");
    println!(
        "| requests answered | {requests} ({:.0}/s) |",
        requests as f64 / secs as f64
    );
    println!("| errors | {errors} |");
    println!(
        "| live events heard by the employees | {} |",
        tally.events.load(Ordering::Relaxed)
    );
    println!("| server RSS idle, before they sign in (baseline) | {idle:.1} MB |");
    println!(
        "| server RSS while they work, median of {} samples | {median:.1} MB |",
        samples.len()
    );
    println!("| server RSS peak | {peak:.1} MB |");
    println!(
        "| of which allocated (RssAnon), idle → most | {:.1} → {peak_anon:.1} MB |",
        idle_memory.anon
    );
    println!(
        "| of which mapped files (RssFile: the binary, the database), idle → most | {:.1} → {peak_file:.1} MB |
",
        idle_memory.file
    );
    println!("**Peak memory: {peak:.1} MB** ({:.2}× idle; target: at most 60 MB), **{errors} errors** (target: 0).
", peak / idle);
    Ok(())
}
