//! The real binary as an operator runs it: first start on an empty data
//! directory, then SIGTERM; and killed with SIGKILL under redirect load.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::Connection;

fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

fn spawn_sprida(dir: &Path, port: u16, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sprida"))
        .env_clear()
        .envs(env.iter().copied())
        .env("SPRIDA_ADDR", format!("127.0.0.1:{port}"))
        .env("SPRIDA_DATA_DIR", dir.join("data"))
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("SPRIDA_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The binary on a free port with `args`, its data in `data` (as an
/// operator would start it; the site files are not needed for these tests).
pub fn spawn_with_args(data: &Path, args: &[&str]) -> (u16, Child) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_sprida"))
        .env_clear()
        .env("SPRIDA_DATA_DIR", data)
        .arg(format!("--addr=127.0.0.1:{port}"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (port, child)
}

pub async fn wait_until_healthy(port: u16) {
    wait_healthy(port).await
}

/// SIGTERM, then what it printed; it must have stopped cleanly.
pub async fn stop(child: Child) -> std::process::Output {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(output.status.success(), "exit status: {:?}", output.status);
    output
}

async fn wait_healthy(port: u16) {
    let url = format!("http://127.0.0.1:{port}/healthz");
    let started = Instant::now();
    loop {
        if let Ok(res) = reqwest::get(&url).await {
            assert!(res.status().is_success());
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every click whose redirect reached the visitor is in the tables after a
/// SIGKILL and a restart: on SQLite the redirect is answered once the click
/// is in the journal, and the next start applies what the killed process had
/// not yet moved into the tables.
#[tokio::test]
async fn clicks_acknowledged_before_a_sigkill_are_stored_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut first = spawn_sprida(
        dir.path(),
        port,
        &[("SPRIDA_DEMO", "true"), ("SPRIDA_DEMO_HISTORY", "false")],
    );
    wait_healthy(port).await;
    let db_url = format!("sqlite://{}", dir.path().join("data/sprida.db").display());
    let code = "crashtest001";
    let mut conn = sqlx::SqliteConnection::connect(&db_url).await.unwrap();
    sqlx::query(
        "INSERT INTO tracked_links (code, item_id, person_id, channel, created_at) \
         VALUES ($1, (SELECT MIN(id) FROM content_items), (SELECT MIN(id) FROM people), 'linkedin', 0)",
    )
    .bind(code)
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let url = format!("http://127.0.0.1:{port}/s/{code}");
    let stop = Arc::new(AtomicBool::new(false));
    let clients: i64 = 8;
    let tasks = crate::common::redirect_load(&url, clients as usize, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut received = 0;
    for task in tasks {
        received += task.await.unwrap() as i64;
    }
    assert!(received > 0, "no redirect was answered before the kill");

    let mut second = spawn_sprida(dir.path(), port, &[]);
    wait_healthy(port).await;
    let mut conn = sqlx::SqliteConnection::connect(&db_url).await.unwrap();
    let (stored, qualified): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(qualified), 0) FROM clicks WHERE code = $1")
            .bind(code)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let (counted, paid): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT qualified_clicks FROM tracked_links WHERE code = $1), \
         (SELECT COUNT(*) FROM points_ledger WHERE code = $1 AND reason = 'click')",
    )
    .bind(code)
    .fetch_one(&mut conn)
    .await
    .unwrap();
    second.kill().unwrap();
    second.wait().unwrap();
    // A click can be stored with its redirect still on the way when the
    // process died: at most one per client.
    assert!(
        (received..=received + clients).contains(&stored),
        "{received} redirects received, {stored} clicks stored"
    );
    assert_eq!(qualified, stored, "every visitor was new");
    assert_eq!(counted, qualified, "the link's counter matches its clicks");
    assert!(paid > 0 && paid <= qualified, "click points paid: {paid}");
    let journal: Vec<_> = std::fs::read_dir(dir.path().join("data/journal"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        journal.iter().filter(|name| name.ends_with(".log")).count(),
        1,
        "the killed instance's journal was applied and deleted: {journal:?}"
    );
}

#[tokio::test]
async fn first_start_creates_everything_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let child = spawn_sprida(dir.path(), port, &[]);
    wait_healthy(port).await;
    assert!(
        data.join("sprida.db").exists(),
        "SQLite database created in the data directory"
    );
    let key = data.join("secret.key");
    let key_text = std::fs::read_to_string(&key).unwrap();
    assert!(key_text.len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode, 0o600,
            "the secret key must be readable by its owner only"
        );
    }

    // SIGTERM: it must stop cleanly.
    let output = stop(child).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // No demo unless asked for: the console says how to make the first
    // administrator instead.
    assert!(
        stdout.contains("NO ADMINISTRATOR YET") && stdout.contains("sprida admin create"),
        "the console says how to make an administrator:\n{stdout}"
    );
    assert!(!stdout.contains("sprida-demo"), "{stdout}");
    // Structured logs: every log line is a JSON object; the secret never appears.
    let log_lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with('{')).collect();
    assert!(
        log_lines.iter().any(|l| l.contains("\"shutting down\"")),
        "{stdout}"
    );
    for line in &log_lines {
        serde_json::from_str::<serde_json::Value>(line).expect("each log line is JSON");
    }
    assert!(
        !stdout.contains(key_text.trim()),
        "the secret key must never be logged"
    );
}
