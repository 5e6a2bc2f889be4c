use std::net::SocketAddr;

use clap::Parser;
use server::config::{Command, Config, LogFormat};

// Many small allocations per request: in a profile under redirect load,
// glibc's malloc and free took about 9% of the time, mimalloc's about 6%.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let config = Config::parse();
    init_logging(config.log_format);
    if let Some(command) = config.command.clone() {
        std::process::exit(match run_command(&config, command) {
            Ok(done) => {
                println!("{done}");
                0
            }
            Err(err) => {
                eprintln!("sprida: {err}");
                1
            }
        });
    }
    // Pages, server functions, live streams and the background work.
    let pool = runtime(&mut tokio::runtime::Builder::new_multi_thread());
    // The connections, and the tracked-link redirect answered in place (see
    // `server::front`).
    let front = runtime(&mut tokio::runtime::Builder::new_current_thread());
    if let Err(err) = front.block_on(run(config, pool.handle().clone())) {
        tracing::error!("{err}");
        std::process::exit(1);
    }
}

fn run_command(config: &Config, command: Command) -> Result<String, String> {
    let db = config.sqlite_file().ok_or(
        "backup and restore are for SQLite; on PostgreSQL use pg_dump and pg_restore (README, \"Backups\")",
    )?;
    match command {
        Command::Backup { file } => {
            let s = server::backup::backup(&db, &file)?;
            Ok(format!(
                "backed up {} to {} ({} bytes, {} journal files)",
                db.display(),
                file.display(),
                s.bytes,
                s.journal_files
            ))
        }
        Command::Restore { file } => {
            let s = server::backup::restore(&file, &db)?;
            Ok(format!(
                "restored {} into {} ({} journal files; their clicks are applied when the server starts)",
                file.display(),
                db.display(),
                s.journal_files
            ))
        }
    }
}

fn runtime(builder: &mut tokio::runtime::Builder) -> tokio::runtime::Runtime {
    builder.enable_all().build().unwrap_or_else(|e| {
        tracing::error!("cannot start the async runtime: {e}");
        std::process::exit(1);
    })
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SPRIDA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn run(config: Config, pool: tokio::runtime::Handle) -> Result<(), String> {
    let addr = config.addr;
    let base_url = config.base_url();
    // Started on the pool, so the background tasks run there.
    let sprida = pool
        .spawn(async move { server::start(&config).await })
        .await
        .map_err(|e| format!("starting: {e}"))??;
    let app = server::front(&sprida, pool);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(addr = %addr, base_url = %base_url, "Sprida is listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Finishes the requests in flight on SIGTERM or Ctrl-C, then exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
    server::http::live::begin_shutdown();
}
