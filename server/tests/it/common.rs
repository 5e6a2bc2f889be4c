//! Starts a real Sprida server (real HTTP on a loopback port) on a fresh
//! SQLite file or a fresh PostgreSQL database, seeded with the demo data.

#![allow(dead_code)]

use std::sync::Once;

use clap::Parser;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use server::config::Config;
use sqlx::{Connection, Executor};

pub const DEMO_PASSWORD: &str = server::seed::DEMO_PASSWORD;
pub const ADMIN: &str = "admin@demo.sprida.local";
pub const EMPLOYEE: &str = "employee@demo.sprida.local";
pub const MANAGER: &str = "manager@demo.sprida.local";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestServer {
    pub url: String,
    pub state: app::base::state::AppState,
    /// The started server, for its feature services.
    pub sprida: server::Sprida,
    database_url: String,
    extra: Vec<String>,
    dir: std::sync::Arc<tempfile::TempDir>,
    data_dir: std::path::PathBuf,
}

fn pg_admin_url() -> String {
    std::env::var("SPRIDA_TEST_PG_URL").expect(
        "SPRIDA_TEST_PG_URL is not set: the PostgreSQL half of the integration tests needs it \
         (scripts/test.sh starts PostgreSQL and sets it)",
    )
}

static DROP_STALE: Once = Once::new();

pub async fn fresh_pg_database() -> String {
    let admin = pg_admin_url();
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("connect to PostgreSQL");
    let stale: Vec<String> = if DROP_STALE.is_completed() {
        Vec::new()
    } else {
        DROP_STALE.call_once(|| {});
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'sprida_t_%'")
            .fetch_all(&mut conn)
            .await
            .unwrap_or_default()
    };
    for name in stale {
        let _ = conn
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
    let name = format!(
        "sprida_t_{}",
        app::base::session::ssr::random_token()[..16].to_owned()
    );
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let (base, _) = admin.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}

/// A browser-like client that shows redirects instead of following them
/// (and keeps cookies, for a signed-in sharer).
/// A person's id, by e-mail address.
pub async fn person_id(server: &TestServer, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(email)
        .fetch_one(&server.state.db)
        .await
        .unwrap()
}

pub fn no_redirects() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

pub async fn start(backend: Backend) -> TestServer {
    start_with(backend, &[]).await
}

pub async fn start_with(backend: Backend, extra: &[&str]) -> TestServer {
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display()),
        Backend::Postgres => fresh_pg_database().await,
    };
    let extra = extra.iter().map(|s| s.to_string()).collect();
    let data = dir.path().to_path_buf();
    let server = serve(dir, data, database_url, extra).await;
    server::seed::seed_demo(&server.state).await.unwrap();
    server
}

/// A client whose connections come from loopback address number `n`
/// (127.1.0.0 onwards: every 127/8 address is this machine's), so that
/// visitors differ by address as well as user agent, as real ones do: one
/// address adds only a few visitors to a link (`clicks::crowd`).
pub fn visitor_client(n: u64) -> Client {
    let ip = std::net::Ipv4Addr::new(127, 1 + (n >> 16) as u8 % 254, (n >> 8) as u8, n as u8);
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::V4(ip))
        .build()
        .unwrap()
}

/// Redirects to `url` from `clients` tasks, a new visitor (address and
/// user agent) each time, until `stop` is set or the server is gone; each
/// task returns the 302s it got.
pub fn redirect_load(
    url: &str,
    clients: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<tokio::task::JoinHandle<u64>> {
    use std::sync::atomic::{AtomicU64, Ordering};
    let next = std::sync::Arc::new(AtomicU64::new(0));
    (0..clients)
        .map(|_| {
            let (url, stop, next) = (url.to_string(), stop.clone(), next.clone());
            tokio::spawn(async move {
                let mut answered = 0;
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let client = visitor_client(n);
                    let agent = format!("Mozilla/5.0 Firefox/128.0 visitor/{n}");
                    match client.get(&url).header("user-agent", agent).send().await {
                        Ok(res) if res.status() == StatusCode::FOUND => answered += 1,
                        Ok(res) => panic!("answered {}", res.status()),
                        // The server was stopped or killed.
                        Err(_) => break,
                    }
                }
                answered
            })
        })
        .collect()
}

/// The next chunk of an event stream, as text; within 10 s.
pub async fn next_event(stream: &mut reqwest::Response) -> String {
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
        .await
        .expect("an event within 10 s")
        .unwrap()
        .expect("the stream is still open");
    String::from_utf8_lossy(&chunk).into_owned()
}

/// The runtime the tests' servers hand everything but the redirect to.
fn pool() -> tokio::runtime::Handle {
    static POOL: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
    .handle()
    .clone()
}

/// A server on a data directory that exists already (a restored backup),
/// without the demo seed.
pub async fn serve_existing(data_dir: std::path::PathBuf, database_url: &str) -> TestServer {
    let keep = std::sync::Arc::new(tempfile::tempdir().unwrap());
    serve(keep, data_dir, database_url.to_string(), Vec::new()).await
}

async fn serve(
    dir: std::sync::Arc<tempfile::TempDir>,
    data_dir: std::path::PathBuf,
    database_url: String,
    extra: Vec<String>,
) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let url = format!("http://{addr}");
    let mut args = vec![
        "sprida".to_string(),
        format!("--addr={addr}"),
        format!("--base-url={url}"),
        format!("--data-dir={}", data_dir.display()),
        format!("--database-url={database_url}"),
    ];
    if !extra.iter().any(|a| a.starts_with("--site-root")) {
        args.push("--site-root=target/site".to_string());
    }
    args.extend(extra.iter().cloned());
    let config = Config::try_parse_from(args).unwrap();
    let sprida = server::build(&config).await.unwrap();
    let state = sprida.state.clone();
    // As in `main`: the redirect on this runtime, the rest on another.
    let router = server::front(&sprida, pool());
    server::http::serve::spawn(listener, router, config.serve_limits());
    TestServer {
        url,
        state,
        sprida,
        database_url,
        extra,
        dir,
        data_dir,
    }
}

impl TestServer {
    /// Another server process, as after a restart or behind the same load
    /// balancer: same database, same data directory (so the same secret key).
    pub async fn another_instance(&self) -> TestServer {
        serve(
            self.dir.clone(),
            self.data_dir.clone(),
            self.database_url.clone(),
            self.extra.clone(),
        )
        .await
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self.data_dir.clone()
    }

    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// A browser-like client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

    /// Calls a URL-encoded server function; returns the status and JSON body.
    pub async fn call(
        &self,
        client: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let res = client
            .post(format!("{}/api/{endpoint}", self.url))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    /// Calls a JSON-encoded server function.
    pub async fn call_json(
        &self,
        client: &Client,
        endpoint: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let res = client
            .post(format!("{}/api/{endpoint}", self.url))
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .unwrap();
        decode(res).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Client {
        let client = self.client();
        let (status, body) = self
            .call(
                &client,
                "sign_in",
                &[("email", email), ("password", password)],
            )
            .await;
        assert!(
            status.is_success(),
            "sign-in of {email} failed: {status} {body}"
        );
        client
    }
}

/// The status and the JSON body (or the raw text when it is not JSON).
///
/// Every error any test meets is also checked to come with the status its
/// kind maps to (`AppError::status_code`), so no test can pass on an error
/// answered as the wrong kind of failure.
async fn decode(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if !status.is_success() {
        if let Ok(error) = serde_json::from_value::<app::base::error::AppError>(body.clone()) {
            assert_eq!(
                status.as_u16(),
                error.status_code(),
                "{error:?} answered with the wrong status"
            );
        }
    }
    (status, body)
}

/// Runs one scenario once per database backend, as two separate tests.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name($crate::common::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// Pays `points` to `person` through the ledger, as a share would, under
/// the test's own key (negative points: spent, as a reward's debit);
/// whether it was new.
pub async fn ledger_pay(server: &TestServer, person: i64, key: &str, points: i64, at: i64) -> bool {
    use app::base::ledger::{Entry, Reason};
    let reason = if points < 0 {
        Reason::Debit
    } else {
        Reason::Share
    };
    let entry = Entry {
        key: key.to_string(),
        reason,
        ..Entry::share(person, "test", points, at)
    };
    let mut conn = server.state.db.acquire().await.unwrap();
    let paid = app::base::ledger::ssr::pay_one(&mut conn, entry)
        .await
        .unwrap();
    paid.is_some()
}
