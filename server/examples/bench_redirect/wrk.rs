//! Rounds with `wrk`, a standard load generator in C: it takes a smaller
//! share of the two cores than the in-process client, so the servers' own
//! cost shows more plainly.

use std::process::Command;

/// Every request a new visitor, as in the in-process closed loop.
const SCRIPT: &str = r#"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format("GET", nil, {["User-Agent"] = "Mozilla/5.0 Firefox/128.0 wrk/" .. id .. "/" .. n})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.0f %.0f %.0f\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration))
end
"#;

pub struct Round {
    pub per_second: f64,
    pub requests: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

pub fn available() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

/// One round of `seconds` against `url` with `connections` connections on
/// two threads.
pub async fn round(url: &str, connections: usize, seconds: u64) -> Result<Round, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let script = dir.path().join("visitors.lua");
    std::fs::write(&script, SCRIPT).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "-s",
    ])
    .arg(&script)
    .arg(url);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("running wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .ok_or_else(|| format!("wrk said: {text}{}", String::from_utf8_lossy(&out.stderr)))?;
    let v: Vec<f64> = line.split(' ').filter_map(|x| x.parse().ok()).collect();
    let [requests, errors, p50, p99, micros] = v[..] else {
        return Err(format!("unexpected wrk result: {line}"));
    };
    if errors > 0.0 {
        return Err(format!(
            "wrk: {errors} of {requests} requests failed or were not 3xx"
        ));
    }
    Ok(Round {
        per_second: requests / (micros / 1e6),
        requests: requests as u64,
        p50_ms: p50 / 1000.0,
        p99_ms: p99 / 1000.0,
    })
}
