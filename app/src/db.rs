//! One binary, two databases: the pool is `sqlx::Any`, so every query here is
//! written once in the SQL both SQLite and PostgreSQL understand (`$N`
//! placeholders, `RETURNING`, integers for booleans, UTC milliseconds for time).

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub type Db = AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Opens the pool and brings the schema up to date.
pub async fn connect(url: &str) -> Result<(Db, Backend), sqlx::Error> {
    let (pool, backend) = open(url, None).await?;
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.run(&pool).await?;
    Ok((pool, backend))
}

/// A pool of one connection for a single writer (the click recorder on
/// PostgreSQL), so clicks never wait behind page loads for a connection.
pub async fn connect_writer(url: &str) -> Result<Db, sqlx::Error> {
    Ok(open(url, Some(1)).await?.0)
}

async fn open(url: &str, size: Option<u32>) -> Result<(Db, Backend), sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::from_url(url).ok_or_else(|| {
        sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres:".into())
    })?;
    let options: AnyConnectOptions = url
        .parse::<AnyConnectOptions>()?
        .disable_statement_logging();
    let pool = match backend {
        Backend::Sqlite => {
            AnyPoolOptions::new()
                // SQLite has one writer; a few connections serve concurrent reads.
                .max_connections(size.unwrap_or(4))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Pages are read through memory mapping, not a
                        // read() call each, and more of them stay cached.
                        conn.execute("PRAGMA mmap_size = 268435456").await?;
                        conn.execute("PRAGMA cache_size = -16000").await?;
                        // Checkpoints (copying the WAL into the database, with
                        // an fsync) would stall whichever commit triggers them:
                        // `checkpoint` runs them in the background instead.
                        conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(size.unwrap_or(16))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?
        }
    };
    Ok((pool, backend))
}

/// Copies the SQLite WAL into the database without blocking writers (a
/// passive checkpoint); called every second by the server on SQLite.
pub async fn checkpoint(db: &Db) -> Result<(), sqlx::Error> {
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .execute(db)
        .await?;
    Ok(())
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn flag(value: bool) -> i64 {
    i64::from(value)
}
