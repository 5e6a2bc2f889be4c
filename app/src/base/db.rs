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
                        // the click applier runs them instead (see share::writer).
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

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// Replaces the rows of a link table that belong to `owner`: deletes those
/// with `owner_col = owner`, then inserts one row per value. The names are
/// the caller's constants, never user input.
pub async fn replace_rows<V>(
    conn: &mut sqlx::AnyConnection,
    (table, owner_col, value_col): (&'static str, &'static str, &'static str),
    owner: i64,
    values: impl IntoIterator<Item = V>,
) -> crate::base::error::AppResult<()>
where
    V: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
{
    sqlx::query(&format!("DELETE FROM {table} WHERE {owner_col} = $1"))
        .bind(owner)
        .execute(&mut *conn)
        .await?;
    let insert = format!("INSERT INTO {table} ({owner_col}, {value_col}) VALUES ($1, $2)");
    for value in values {
        sqlx::query(&insert)
            .bind(owner)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A JSON value an admin keeps in `settings` (point rules, blocked words,
/// company channels), read from its stored text.
pub fn setting_from_stored<T: serde::de::DeserializeOwned + Default>(value: Option<String>) -> T {
    // A value that no longer parses (an older shape) falls back to the
    // defaults rather than locking the admin out of the page that fixes it.
    value
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default()
}

/// The setting under `key`, or its defaults until an admin saves one.
pub async fn setting<'c, T, E>(exec: E, key: &str) -> crate::base::error::AppResult<T>
where
    T: serde::de::DeserializeOwned + Default,
    E: Executor<'c, Database = sqlx::Any>,
{
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(exec)
        .await?;
    Ok(setting_from_stored(value))
}

pub async fn save_setting<T: serde::Serialize>(
    db: &Db,
    key: &str,
    value: &T,
) -> crate::base::error::AppResult<()> {
    let value = serde_json::to_string(value).map_err(|_| crate::base::error::AppError::Internal)?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
}

/// A request's idempotency key, from the key its form made (8 to 64 letters,
/// digits, `-` or `_`) and who sent it: `"{kind}:{person}:{key}"`, so one
/// person's key never names another's request.
pub fn client_key(kind: &str, person: i64, key: &str) -> crate::base::error::AppResult<String> {
    let ok = (8..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(format!("{kind}:{person}:{key}"))
    } else {
        Err(crate::base::error::AppError::Invalid(
            crate::base::i18n::T::ErrRequestKey,
        ))
    }
}
