//! The real binary as an operator runs it: first start on an empty data
//! directory, then SIGTERM.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn first_start_creates_everything_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let child = Command::new(env!("CARGO_BIN_EXE_sprida"))
        .env_clear()
        .env("SPRIDA_ADDR", format!("127.0.0.1:{port}"))
        .env("SPRIDA_DATA_DIR", &data)
        .env("LEPTOS_SITE_ROOT", dir.path().join("site"))
        .env("SPRIDA_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let started = Instant::now();
    loop {
        if let Ok(res) = reqwest::get(&url).await {
            assert!(res.status().is_success());
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        output.status.success(),
        "exit status after SIGTERM: {:?}",
        output.status
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("admin@demo.sprida.local"),
        "the console says how to sign in:\n{stdout}"
    );
    assert!(stdout.contains("sprida-demo"));
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
