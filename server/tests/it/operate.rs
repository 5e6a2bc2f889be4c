//! Operating Sprida: the site files' encodings and cache headers, the
//! metrics endpoint, and the backup drills (SQLite with `sprida backup` and
//! `sprida restore`, PostgreSQL with pg_dump and pg_restore), each taken
//! while redirects keep coming.

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{self, no_redirects, Backend, TestServer};
use reqwest::StatusCode;

on_both_databases!(metrics_need_their_token_and_count_requests_and_clicks);

/// A built site in miniature: the three app files (the WASM with a
/// brotli copy beside it, as `--precompress` leaves one) and a public file.
fn site_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("sprida.js"), "export default 1;\n".repeat(200)).unwrap();
    std::fs::write(pkg.join("sprida.wasm"), b"\0asm-not-really").unwrap();
    std::fs::write(pkg.join("sprida.wasm.br"), b"precompressed").unwrap();
    std::fs::write(pkg.join("sprida.css"), "body { margin: 0 }\n".repeat(200)).unwrap();
    std::fs::write(dir.path().join("sw.js"), "self.x = 1;").unwrap();
    dir
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_link_hashed_files_that_are_sent_compressed_and_cached_for_good() {
    let site = site_dir();
    let arg = format!("--site-root={}", site.path().display());
    let server = common::start_with(Backend::Sqlite, &[&arg]).await;
    let client = server.client();
    let page = client
        .get(format!("{}/sign-in", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&page, "cache-control"),
        "private, no-store",
        "pages are personal: kept by no cache, shared or not"
    );
    let html = page.text().await.unwrap();
    let name = html
        .split("/pkg/")
        .nth(1)
        .and_then(|rest| rest.get(..16))
        .expect("the page links the app's files in a hashed folder")
        .to_string();
    assert!(name.chars().all(|c| c.is_ascii_hexdigit()), "{name}");
    for ext in ["js", "wasm", "css"] {
        assert!(
            html.contains(&format!("/pkg/{name}/sprida.{ext}")),
            "{ext} linked"
        );
    }
    let get = |path: String, accept: &'static str| {
        let client = client.clone();
        let url = format!("{}{path}", server.url);
        async move {
            client
                .get(url)
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap()
        }
    };
    // The brotli copy made at build time is the one sent.
    let wasm = get(format!("/pkg/{name}/sprida.wasm"), "gzip, deflate, br").await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(header(&wasm, "content-encoding"), "br");
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
    assert_eq!(
        header(&wasm, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&wasm, "vary"), "accept-encoding");
    assert_eq!(&wasm.bytes().await.unwrap()[..], b"precompressed");
    let plain = get(format!("/pkg/{name}/sprida.wasm"), "identity").await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(&plain.bytes().await.unwrap()[..], b"\0asm-not-really");

    // The others have no copies: the router compresses them as they go out.
    let mut tries = 0;
    let js = loop {
        let res = get(format!("/pkg/{name}/sprida.js"), "gzip").await;
        if header(&res, "content-encoding") == "gzip" || tries == 100 {
            break res;
        }
        tries += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(header(&js, "content-encoding"), "gzip");
    let zipped = js.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "export default 1;\n".repeat(200));
    assert!(zipped.len() < text.len() / 10);

    // Unhashed files are revalidated, and an unchanged one costs a 304.
    let sw = get("/sw.js".into(), "identity").await;
    assert_eq!(header(&sw, "cache-control"), "no-cache");
    let etag = header(&sw, "etag");
    // Weak: the file as it is may be compressed on its way out.
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = client
        .get(format!("{}/sw.js", server.url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // A path that is no file is still the app's 404 page.
    let missing = get("/pkg/nothing.js".into(), "br").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// The value of the metric line that starts with `name` (labels included).
fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn metrics_need_their_token_and_count_requests_and_clicks(backend: Backend) {
    let server = common::start_with(backend, &["--metrics-token=scrape-me-0123456789"]).await;
    let client = server.client();
    let url = format!("{}/metrics", server.url);
    let anonymous = client.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = client
        .get(&url)
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let code = crate::redirect::link_for_employee(&server).await;
    let visitor = no_redirects();
    for agent in ["Mozilla/5.0 Firefox/128.0 a", "Mozilla/5.0 Firefox/128.0 b"] {
        let res = visitor
            .get(format!("{}/s/{code}", server.url))
            .header("user-agent", agent)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
    }
    server.sprida.clicks().flushed().await;
    client
        .get(format!("{}/hub", server.url))
        .send()
        .await
        .unwrap();

    let res = client
        .get(&url)
        .bearer_auth("scrape-me-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, "content-type").starts_with("application/openmetrics-text"));
    let text = res.text().await.unwrap();
    assert_eq!(
        metric(&text, "sprida_clicks_journalled_total"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        metric(&text, "sprida_clicks_applied_total"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(metric(&text, "sprida_clicks_waiting"), Some(0.0), "{text}");
    assert_eq!(
        metric(&text, "sprida_redirect_duration_seconds_count"),
        Some(2.0)
    );
    let redirects = r#"sprida_http_requests_total{route="/s/{code}",status="302"}"#;
    assert_eq!(metric(&text, redirects), Some(2.0), "{text}");
    // The refused scrapes and the page, by their declared routes.
    let refused = r#"sprida_http_requests_total{route="/metrics",status="401"}"#;
    assert_eq!(metric(&text, refused), Some(2.0), "{text}");
    let hub = r#"sprida_http_requests_total{route="/hub",status="200"}"#;
    assert_eq!(metric(&text, hub), Some(1.0), "{text}");
    assert!(metric(&text, "sprida_db_pool_connections").unwrap() >= 1.0);
    assert!(metric(&text, "sprida_live_streams").is_some());
    assert!(text.trim_end().ends_with("# EOF"));

    // Without a token there is no endpoint at all.
    let closed = common::start(backend).await;
    let res = closed
        .client()
        .get(format!("{}/metrics", closed.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

type Rows = (
    BTreeSet<(String, i64, String, String)>,
    BTreeSet<(String, i64, i64)>,
);

/// Every click and every ledger entry of a database.
async fn rows(url: &str) -> Rows {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let clicks: Vec<(String, i64, String, String)> =
        sqlx::query_as("SELECT code, at, visitor, verdict FROM clicks")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let ledger: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT source_key, points, created_at FROM points_ledger")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();
    (clicks.into_iter().collect(), ledger.into_iter().collect())
}

/// The restored rows are the original's, and hold every click and ledger
/// entry made before `before` (the backup began after it).
fn assert_restored(original: &Rows, restored: &Rows, before: i64) {
    let early: BTreeSet<_> = original
        .0
        .iter()
        .filter(|c| c.1 < before)
        .cloned()
        .collect();
    assert!(
        early.len() > 10,
        "the load made clicks before the backup: {}",
        early.len()
    );
    assert!(
        restored.0.is_subset(&original.0),
        "the restore has clicks that never were"
    );
    let missing = early.difference(&restored.0).count();
    assert_eq!(
        missing,
        0,
        "clicks from before the backup missing after the restore ({} early, {} restored, {} in all)",
        early.len(),
        restored.0.len(),
        original.0.len()
    );
    let paid: BTreeSet<_> = original
        .1
        .iter()
        .filter(|l| l.2 < before)
        .cloned()
        .collect();
    assert!(!paid.is_empty(), "clicks were paid before the backup");
    assert!(restored.1.is_subset(&original.1));
    assert_eq!(
        paid.difference(&restored.1).count(),
        0,
        "ledger entries missing"
    );
}

fn run(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Redirects keep coming while `backup` runs; returns a time before which
/// every click had been answered when the backup began. With `stall`
/// (SQLite), the click applier is held up meanwhile by a write lock, as when
/// it lags under load: the latest clicks are then only in the journal.
async fn load_then_backup(
    server: &TestServer,
    stall: Option<String>,
    backup: impl FnOnce() + Send + 'static,
) -> i64 {
    use sqlx::{Connection, Executor};
    let code = crate::redirect::link_for_employee(server).await;
    let stop = Arc::new(AtomicBool::new(false));
    let load = common::redirect_load(&format!("{}/s/{code}", server.url), 6, stop.clone());
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mut lock = match stall {
        Some(url) => {
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            conn.execute("BEGIN IMMEDIATE").await.unwrap();
            Some(conn)
        }
        None => None,
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = app::base::db::now_ms();
    // Every click made before `before` has been answered by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    tokio::task::spawn_blocking(backup).await.unwrap();
    if let Some(conn) = lock.as_mut() {
        conn.execute("COMMIT").await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut answered = 0;
    for task in load {
        answered += task.await.unwrap();
    }
    assert!(answered > 50, "{answered} redirects under the backup");
    server.sprida.clicks().flushed().await;
    before
}

#[tokio::test]
async fn a_sqlite_backup_under_redirect_load_restores_every_acknowledged_click() {
    let server = common::start(Backend::Sqlite).await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("sprida-backup.sqlite");
    let data = server.data_dir();
    let db = format!("sqlite://{}", data.join("t.db").display());
    let before = {
        let (file, data) = (file.clone(), data.clone());
        load_then_backup(&server, Some(db.clone()), move || {
            let said = run(std::process::Command::new(env!("CARGO_BIN_EXE_sprida"))
                .arg("backup")
                .arg(&file)
                .arg(format!(
                    "--database-url=sqlite://{}",
                    data.join("t.db").display()
                )));
            assert!(said.contains("backed up"), "{said}");
        })
        .await
    };
    let original = rows(&db).await;
    // The copy's own tables lack the clicks the stalled applier had not
    // stored: only the journal that came with it has them.
    let copied = rows(&format!("sqlite://{}", file.display())).await;
    assert!(copied.0.len() < original.0.len());

    // Restored into a new data directory, then started: the server applies
    // the journal that came with the backup before it answers.
    let fresh = work.path().join("fresh");
    let said = run(std::process::Command::new(env!("CARGO_BIN_EXE_sprida"))
        .arg("restore")
        .arg(&file)
        .arg(format!("--data-dir={}", fresh.display())));
    assert!(said.contains("restored"), "{said}");
    let url = format!("sqlite://{}?mode=rwc", fresh.join("sprida.db").display());
    let restarted = common::serve_existing(fresh.clone(), &url).await;
    restarted.sprida.clicks().flushed().await;
    let restored = rows(&url).await;
    assert_restored(&original, &restored, before);
    // The key came along: the restored server hashes visitors the same way.
    assert_eq!(
        std::fs::read(fresh.join("secret.key")).unwrap(),
        std::fs::read(data.join("secret.key")).unwrap()
    );
}

#[tokio::test]
async fn a_postgres_dump_under_redirect_load_restores_every_acknowledged_click() {
    let server = common::start(Backend::Postgres).await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("sprida.dump");
    let url = server.database_url().to_string();
    let before = {
        let (file, url) = (file.clone(), url.clone());
        load_then_backup(&server, None, move || {
            run(std::process::Command::new(pg_tool("pg_dump"))
                .args(["--format=custom", "--file"])
                .arg(&file)
                .arg(format!("--dbname={url}")));
        })
        .await
    };
    let original = rows(&url).await;
    let target = common::fresh_pg_database().await;
    run(std::process::Command::new(pg_tool("pg_restore"))
        .args(["--no-owner", "--exit-on-error"])
        .arg(format!("--dbname={target}"))
        .arg(&file));
    assert_restored(&original, &rows(&target).await, before);
}

/// The distribution's PostgreSQL client programs (not on PATH on Debian).
fn pg_tool(name: &str) -> std::path::PathBuf {
    let mut found: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed")
        .flatten()
        .map(|v| v.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| name.into())
}
