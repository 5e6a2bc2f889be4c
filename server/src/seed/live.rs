//! `--demo-live`: simulated visitors open the demo's tracked links every few
//! seconds through the real redirect, so an open leaderboard or a paired TV
//! moves during a demonstration. Each visit is a plain HTTP request to this
//! server from its own loopback address (127.x.y.z, as a new visitor would
//! come from their own), with a browser's headers: the click rules, the
//! ledger and the live events treat it like any other click.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use app::base::state::AppState;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BROWSERS: [&str; 4] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
];

/// Starts the visitors; `server` is the address the server listens on.
pub fn spawn(state: AppState, server: SocketAddr, every: Duration) {
    let target = match server.ip() {
        ip if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), server.port())
        }
        _ => server,
    };
    tokio::spawn(async move {
        let mut rng = StdRng::from_entropy();
        loop {
            let pause = every.as_millis() as u64;
            tokio::time::sleep(Duration::from_millis(
                rng.gen_range(pause / 2..=pause * 3 / 2),
            ))
            .await;
            let codes: Vec<String> = match sqlx::query_scalar(
                "SELECT l.code FROM tracked_links l JOIN people p ON p.id = l.person_id \
                 WHERE p.is_demo = 1 AND p.active = 1",
            )
            .fetch_all(&state.db)
            .await
            {
                Ok(codes) => codes,
                Err(e) => {
                    tracing::warn!(error = %e, "demo visitors: reading the links failed");
                    continue;
                }
            };
            if codes.is_empty() {
                continue;
            }
            let code = &codes[rng.gen_range(0..codes.len())];
            if let Err(e) = visit(&mut rng, target, code).await {
                tracing::debug!(error = %e, "demo visitor could not reach the redirect");
            }
        }
    });
}

/// One visit; the status the redirect answered.
async fn visit(rng: &mut StdRng, target: SocketAddr, code: &str) -> std::io::Result<u16> {
    let socket = if target.is_ipv4() {
        let socket = tokio::net::TcpSocket::new_v4()?;
        if target.ip().is_loopback() {
            let from = Ipv4Addr::new(127, rng.gen_range(1..255), rng.gen(), rng.gen_range(1..255));
            socket.bind(SocketAddr::new(IpAddr::V4(from), 0))?;
        }
        socket
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    let mut stream = tokio::time::timeout(Duration::from_secs(5), socket.connect(target)).await??;
    let browser = BROWSERS[rng.gen_range(0..BROWSERS.len())];
    let request = format!(
        "GET /s/{code} HTTP/1.1\r\nHost: {target}\r\nUser-Agent: {browser}\r\n\
         Accept: text/html\r\nSec-Fetch-Dest: document\r\nSec-Fetch-Mode: navigate\r\n\
         Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut head = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut head)).await??;
    // "HTTP/1.1 302"
    Ok(std::str::from_utf8(&head[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0))
}
