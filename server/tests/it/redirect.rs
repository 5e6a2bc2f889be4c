//! The tracked-link redirect over real HTTP, on SQLite and PostgreSQL.

use crate::common;
use crate::common::{no_redirects, Backend, TestServer, DEMO_PASSWORD, EMPLOYEE};
use reqwest::StatusCode;

on_both_databases!(
    a_tracked_link_redirects_with_utm_and_counts_only_qualified_clicks,
    simultaneous_clicks_are_all_stored_and_a_visitor_counts_once,
);

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/// An item and a link put in place directly, so these tests exercise the
/// redirect alone (tests/hub.rs makes links the way the share dialog does).
pub(crate) async fn link_for_employee(server: &TestServer) -> String {
    let db = &server.state.db;
    let person: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(EMPLOYEE)
        .fetch_one(db)
        .await
        .unwrap();
    let now = app::base::db::now_ms();
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
pub(crate) async fn verdicts(server: &TestServer, code: &str) -> Vec<(String, i64)> {
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        server.sprida.clicks().flushed(),
    )
    .await
    .expect("every stored click reaches the tables within 30 s");
    sqlx::query_as("SELECT verdict, qualified FROM clicks WHERE code = $1 ORDER BY id")
        .bind(code)
        .fetch_all(&server.state.db)
        .await
        .unwrap()
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
    let (status, _) = server.calls(&sharer).sign_in(EMPLOYEE, DEMO_PASSWORD).await;
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
    let mut tasks = Vec::new();
    for i in 0..60 {
        // 40 distinct visitors, then 20 clicks from one more visitor.
        let (ua, client) = if i < 40 {
            (format!("{BROWSER} visitor/{i}"), common::visitor_client(i))
        } else {
            (
                format!("{BROWSER} same-visitor"),
                common::visitor_client(1000),
            )
        };
        let url = url.clone();
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
    for (ua, n) in [
        ("same-visitor", 1000),
        ("visitor/3", 3),
        ("visitor/after-restart", 2000),
    ] {
        let res = common::visitor_client(n)
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

/// With room for one click in the hand-off to the applier, a burst of
/// clicks overflows it at once: every redirect is still answered, and the
/// applier reads the clicks it was not handed back from the journal file,
/// so every one is stored, in order (a visitor's second click is a repeat).
#[tokio::test]
async fn clicks_beyond_the_backlog_are_read_back_from_the_journal() {
    let server = common::start_with(Backend::Sqlite, &["--click-backlog=1"]).await;
    let code = link_for_employee(&server).await;
    let url = format!("{}/s/{code}", server.url);
    let mut tasks = Vec::new();
    for i in 0..300 {
        // 150 visitors, each clicking twice.
        let ua = format!("{BROWSER} visitor/{}", i % 150);
        let (client, url) = (common::visitor_client(i % 150), url.clone());
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
    assert_eq!(stored.len(), 300, "every redirected click is stored");
    let qualified = stored.iter().filter(|(_, q)| *q == 1).count();
    assert_eq!(qualified, 150, "each visitor counted once");
}
