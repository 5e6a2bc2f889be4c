use clap::Parser;
use server::config::{AdminCommand, Command, Config, DemoCommand, LogFormat};

// Many small allocations per request: in a profile under redirect load,
// glibc's malloc and free took about 9% of the time, mimalloc's about 6%.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Before anything is written: the database, journal, key and backups
    // are the owner's alone.
    server::private_files();
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
    match command {
        Command::Backup { file } => {
            let db = sqlite_only(config)?;
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
            let db = sqlite_only(config)?;
            let s = server::backup::restore(&file, &db)?;
            Ok(format!(
                "restored {} into {} ({} journal files; their clicks are applied when the server starts)",
                file.display(),
                db.display(),
                s.journal_files
            ))
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => on_database(config, |db| async move {
            let made =
                server::admin::create_admin(&db, &config.base_url(), &email, name.as_deref())
                    .await
                    .map_err(|e| match e {
                        app::base::error::AppError::Invalid(_) => {
                            format!("{email} is not an e-mail address")
                        }
                        e => format!("{e:?}"),
                    })?;
            let what = if made.new_person {
                "created as an administrator"
            } else {
                "is now an administrator"
            };
            Ok(format!(
                "{email} {what}. Open this link (valid 14 days, once) to choose a password:\n{}",
                made.invite_url
            ))
        }),
        Command::Demo {
            command: DemoCommand::Remove,
        } => on_database(config, |db| async move {
            let removed = server::admin::remove_demo(&db)
                .await
                .map_err(|e| format!("{e:?}"))?;
            Ok(format!(
                "removed the demo organisation: {} people, {} items, {} groups, {} rewards, {} values",
                removed.people, removed.items, removed.groups, removed.rewards, removed.values
            ))
        }),
    }
}

fn sqlite_only(config: &Config) -> Result<std::path::PathBuf, String> {
    config.sqlite_file().ok_or_else(|| {
        "backup and restore are for SQLite; on PostgreSQL use pg_dump and pg_restore (README, \"Backups\")".to_string()
    })
}

/// Runs `work` on the configured database (created and migrated when new),
/// while a server may be running on it.
fn on_database<F, Fut>(config: &Config, work: F) -> Result<String, String>
where
    F: FnOnce(app::base::db::Db) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let rt = runtime(&mut tokio::runtime::Builder::new_current_thread());
    rt.block_on(async {
        if config.sqlite_file().is_some() {
            server::make_data_dir(config)?;
        }
        let (db, _) = app::base::db::connect(&config.database_url())
            .await
            .map_err(|e| format!("database: {e}"))?;
        let done = work(db.clone()).await;
        db.close().await;
        done
    })
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
    let limits = config.serve_limits();
    let demo_live = (config.demo_asked() && config.demo_live)
        .then(|| std::time::Duration::from_secs(config.demo_live_every_secs));
    // Started on the pool, so the background tasks run there.
    let background = pool.clone();
    let sprida = pool
        .spawn(async move { server::start(&config).await })
        .await
        .map_err(|e| format!("starting: {e}"))??;
    let app = server::front(&sprida, pool);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(addr = %addr, base_url = %base_url, "Sprida is listening");
    if let (Some(every), Ok(at)) = (demo_live, listener.local_addr()) {
        let _pool = background.enter();
        server::seed::live::spawn(sprida.state.clone(), at, every);
        tracing::info!(every = ?every, "demo visitors are opening the demo's links");
    }
    server::http::serve::serve(listener, app, limits, shutdown_signal()).await;
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
