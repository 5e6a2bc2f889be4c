//! The accept loop, in place of `axum::serve`, which gives hyper no timer
//! and so no timeouts: a client sending one header byte every ten seconds,
//! or nothing at all, kept its connection (and its memory) for ever.
//!
//! - `header_timeout`: a request's headers must arrive within it, counted
//!   from the moment the connection is idle (hyper starts the timer after
//!   each response), so it is the keep-alive idle timeout too;
//! - `max_connections`: past it, no more are accepted until one closes (the
//!   kernel's backlog holds the rest);
//! - the request body's own timeout is a layer of the router (`router`).
//!
//! Connections run on the runtime this is called on (in `main`, the front
//! thread; see `front`). SIGTERM stops accepting, lets the open connections
//! finish their requests, then returns.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // HTTP/1 only: browsers speak HTTP/2 only over TLS, which a proxy in
    // front ends; and hyper-util's automatic version detection reads the
    // first bytes itself, with no timeout, before hyper's timer starts.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let mut stopping = stop_rx.clone();
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("never closed"),
            _ = stopped(&mut stopping) => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, typically: wait, do not spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped(&mut stopping) => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |req: Request<Incoming>| {
            let mut req = req.map(Body::new);
            req.extensions_mut().insert(ConnectInfo(peer));
            req
        });
        let (builder, mut stop) = (builder.clone(), stop_rx.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let service = TowerToHyperService::new(service);
            let conn = builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = stopped(&mut stop) => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
    }
    // Every open connection holds a slot until it is done.
    let _ = slots
        .acquire_many(limits.max_connections.max(1) as u32)
        .await;
}

/// Until the shutdown signal (the guard `wait_for` returns is not `Send`,
/// so it is dropped in here).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// For tests and benchmarks: serve until the runtime ends.
pub fn spawn(listener: TcpListener, app: Router, limits: Limits) {
    tokio::spawn(serve(listener, app, limits, std::future::pending::<()>()));
}
