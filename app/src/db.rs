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
                .max_connections(4)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?
        }
        Backend::Postgres => {
            AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?
        }
    };
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.run(&pool).await?;
    Ok((pool, backend))
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn flag(value: bool) -> i64 {
    i64::from(value)
}
