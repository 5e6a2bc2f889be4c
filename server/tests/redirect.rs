//! The tracked-link redirect over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::{no_redirects, Backend, TestServer, DEMO_PASSWORD, EMPLOYEE};
use reqwest::StatusCode;

on_both_databases!(
    a_tracked_link_redirects_with_utm_and_counts_only_qualified_clicks,
    simultaneous_clicks_are_all_stored_and_a_visitor_counts_once,
);

#[cfg(target_os = "linux")]
mod busy_cores {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    /// The scheduling policy (field 41 of `stat`) of each of this process's
    /// threads called `name`.
    fn policies(name: &str) -> Vec<u32> {
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|task| {
                let task = task.ok()?.path();
                let comm = std::fs::read_to_string(task.join("comm")).ok()?;
                if comm.trim_end() != name {
                    return None;
                }
                let stat = std::fs::read_to_string(task.join("stat")).ok()?;
                // Fields from the third (state) on follow the name's ')'.
                let rest = &stat[stat.rfind(')')? + 1..];
                rest.split_whitespace().nth(41 - 3)?.parse().ok()
            })
            .collect()
    }

    const SCHED_OTHER: u32 = 0;
    const SCHED_IDLE: u32 = 5;

    /// Threads that keep every core busy at normal priority until dropped.
    struct Spinners(Arc<AtomicBool>, Vec<std::thread::JoinHandle<()>>);

    impl Spinners {
        fn start() -> Self {
            let busy = Arc::new(AtomicBool::new(true));
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            let threads = (0..2 * cores)
                .map(|_| {
                    let busy = busy.clone();
                    std::thread::spawn(move || {
                        while busy.load(Ordering::Relaxed) {
                            std::hint::spin_loop();
                        }
                    })
                })
                .collect();
            Self(busy, threads)
        }
    }

    impl Drop for Spinners {
        fn drop(&mut self) {
            self.0.store(false, Ordering::Relaxed);
            for thread in self.1.drain(..) {
                let _ = thread.join();
            }
        }
    }

    /// The applier's usual thread only gets a core nobody else wants, so it
    /// never holds up a redirect; while every core stays busy, the catch-up
    /// thread applies the clicks instead, so they still reach the tables.
    #[tokio::test]
    async fn clicks_reach_the_tables_while_every_core_is_busy() {
        let server = common::start(Backend::Sqlite).await;
        // Every server in this process has both threads; a just-started
        // applier may not have lowered itself yet.
        let mut tries = 0;
        loop {
            let (applier, catch_up) = (policies("click-applier"), policies("click-catch-up"));
            assert!(!applier.is_empty() && !catch_up.is_empty());
            assert!(catch_up.iter().all(|p| *p == SCHED_OTHER), "{catch_up:?}");
            if applier.iter().all(|p| *p == SCHED_IDLE) {
                break;
            }
            tries += 1;
            assert!(
                tries < 100,
                "the click applier is not SCHED_IDLE: {applier:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }

        let code = link_for_employee(&server).await;
        let url = format!("{}/s/{code}", server.url);
        let client = no_redirects();
        let spinners = Spinners::start();
        let started = Instant::now();
        let mut sent = 0;
        while server.state.clicks.caught_up() == 0 {
            // Not a speed limit: only so a broken catch-up fails the test
            // instead of hanging it.
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the catch-up thread never applied a click ({sent} sent)"
            );
            let res = client
                .get(&url)
                .header("user-agent", format!("{BROWSER} visitor/{sent}"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::FOUND);
            sent += 1;
        }
        drop(spinners);
        let stored = verdicts(&server, &code).await;
        assert_eq!(stored.len(), sent, "every redirected click is stored");
        assert!(stored.iter().all(|(verdict, _)| verdict == "qualified"));
    }
}

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/// An item and a link put in place directly, so these tests exercise the
/// redirect alone (tests/hub.rs makes links the way the share dialog does).
async fn link_for_employee(server: &TestServer) -> String {
    let db = &server.state.db;
    let person: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(EMPLOYEE)
        .fetch_one(db)
        .await
        .unwrap();
    let now = app::db::now_ms();
    let item: i64 = sqlx::query_scalar(
        "INSERT INTO content_items (slug, title, destination_url, status, created_at, updated_at) \
         VALUES ('new-office', 'New office', 'https://example.com/news?id=7#top', 'published', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(db)
    .await
    .unwrap();
    let code = app::share::link::new_code();
    sqlx::query("INSERT INTO tracked_links (code, item_id, person_id, channel, created_at) VALUES ($1, $2, $3, 'linkedin', $4)")
        .bind(&code)
        .bind(item)
        .bind(person)
        .bind(now)
        .execute(db)
        .await
        .unwrap();
    code
}

/// The stored clicks, once every click the server acknowledged shows in the
/// tables (on SQLite they are applied from the journal within moments).
async fn verdicts(server: &TestServer, code: &str) -> Vec<(String, i64)> {
    use sqlx::Row;
    server.state.clicks.flushed().await;
    sqlx::query("SELECT verdict, qualified FROM clicks WHERE code = $1 ORDER BY id")
        .bind(code)
        .fetch_all(&server.state.db)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<String, _>("verdict"), r.get::<i64, _>("qualified")))
        .collect()
}

async fn a_tracked_link_redirects_with_utm_and_counts_only_qualified_clicks(backend: Backend) {
    let server = common::start(backend).await;
    let code = link_for_employee(&server).await;
    let url = format!("{}/s/{code}", server.url);
    let visitor = no_redirects();

    let res = visitor
        .get(&url)
        .header("user-agent", BROWSER)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers()["location"],
        format!("https://example.com/news?id=7&utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign=new-office&utm_content={code}#top")
            .as_str()
    );
    // Like every response, with the security headers.
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["cache-control"], "no-store");
    // The same visitor again, a crawler, a HEAD request and a prefetch.
    visitor
        .get(&url)
        .header("user-agent", BROWSER)
        .send()
        .await
        .unwrap();
    let crawler = visitor
        .get(&url)
        .header("user-agent", "LinkedInBot/1.0 (compatible; Mozilla/5.0)")
        .send()
        .await
        .unwrap();
    assert_eq!(
        crawler.status(),
        StatusCode::FOUND,
        "bots are redirected too"
    );
    let head = visitor
        .head(&url)
        .header("user-agent", "Mozilla/5.0 Firefox/128.0")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::FOUND);
    visitor
        .get(&url)
        .header("user-agent", "Mozilla/5.0 Safari/17")
        .header("sec-purpose", "prefetch")
        .send()
        .await
        .unwrap();
    // The sharer, signed in, opening their own link.
    let sharer = no_redirects();
    let (status, _) = server
        .call(
            &sharer,
            "sign_in",
            &[("email", EMPLOYEE), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert!(status.is_success());
    let own = sharer
        .get(&url)
        .header("user-agent", "Mozilla/5.0 Edge/126")
        .send()
        .await
        .unwrap();
    assert_eq!(
        own.status(),
        StatusCode::FOUND,
        "the sharer is redirected as well"
    );

    assert_eq!(
        verdicts(&server, &code).await,
        vec![
            ("qualified".to_string(), 1),
            ("repeat".to_string(), 0),
            ("bot".to_string(), 0),
            ("head".to_string(), 0),
            ("prefetch".to_string(), 0),
            ("sharer".to_string(), 0),
        ]
    );

    let res = visitor
        .get(format!("{}/s/AAAAAAAAAAAA", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("This link does not exist"));
    let res = visitor
        .get(format!("{}/s/..%2F..%2Fetc", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

async fn simultaneous_clicks_are_all_stored_and_a_visitor_counts_once(backend: Backend) {
    let server = common::start(backend).await;
    let code = link_for_employee(&server).await;
    let url = format!("{}/s/{code}", server.url);
    let client = no_redirects();
    let mut tasks = Vec::new();
    for i in 0..60 {
        // 40 distinct visitors, then 20 clicks from one more visitor.
        let ua = if i < 40 {
            format!("{BROWSER} visitor/{i}")
        } else {
            format!("{BROWSER} same-visitor")
        };
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            client
                .get(&url)
                .header("user-agent", ua)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::FOUND);
    }
    let stored = verdicts(&server, &code).await;
    assert_eq!(stored.len(), 60, "every redirected click is stored");
    let qualified = stored.iter().filter(|(_, q)| *q == 1).count();
    assert_eq!(
        qualified, 41,
        "40 distinct visitors plus one repeated visitor counted once"
    );

    // After a restart the server still knows who clicked today.
    let restarted = server.another_instance().await;
    let url = format!("{}/s/{code}", restarted.url);
    for ua in ["same-visitor", "visitor/3", "visitor/after-restart"] {
        let res = client
            .get(&url)
            .header("user-agent", format!("{BROWSER} {ua}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
    }
    let stored = verdicts(&restarted, &code).await;
    let after: Vec<&str> = stored[60..].iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(after, ["repeat", "repeat", "qualified"]);
}
