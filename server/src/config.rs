use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, ValueEnum};

/// `--trust-proxy`: how many proxies' entries in X-Forwarded-For to trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyHops(pub usize);

impl ProxyHops {
    pub fn hops(self) -> usize {
        self.0
    }
}

impl std::str::FromStr for ProxyHops {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "false" => Ok(ProxyHops(0)),
            "true" => Ok(ProxyHops(1)),
            n => n
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 16)
                .map(ProxyHops)
                .ok_or_else(|| {
                    format!("expected true, false or a number of proxies (0-16), not {s:?}")
                }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Every setting is a flag and an environment variable; flags win.
#[derive(Parser, Clone)]
#[command(
    name = "sprida",
    version,
    about = "Sprida: self-hosted employee advocacy"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "SPRIDA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Public base URL people reach Sprida at (used in invitation and tracked links).
    /// Defaults to http://ADDR.
    #[arg(long, env = "SPRIDA_BASE_URL")]
    pub base_url: Option<String>,
    /// sqlite:PATH or postgres://…  Defaults to SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Where the SQLite database and the generated secret key live.
    #[arg(long, env = "SPRIDA_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Secret key (at least 32 characters). Generated and stored in the data
    /// directory when not given.
    #[arg(long, env = "SPRIDA_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// The built site (WASM, JS, CSS, public files). A release binary carries
    /// its own; without one, and when not given, `target/site`.
    #[arg(long, env = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<String>,
    /// Seed a demo organisation (made-up people whose password is published)
    /// into an empty database. Off unless asked for; `scripts/run.sh` asks.
    /// An instance that still holds the demo accounts refuses to start with
    /// an https base URL unless this is given explicitly.
    #[arg(long, env = "SPRIDA_DEMO", action = clap::ArgAction::Set)]
    pub demo: Option<bool>,
    /// With the demo: also seed its twelve weeks of shares, clicks, points
    /// and posts (off: the people and items alone, as the end-to-end tests
    /// start from).
    #[arg(long, env = "SPRIDA_DEMO_HISTORY", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_history: bool,
    /// With the demo: simulated visitors open the demo's tracked links
    /// through the redirect every few seconds, so boards and TVs move.
    #[arg(long, env = "SPRIDA_DEMO_LIVE", default_value_t = false, action = clap::ArgAction::Set)]
    pub demo_live: bool,
    /// Seconds between the simulated visits, on average.
    #[arg(long, env = "SPRIDA_DEMO_LIVE_EVERY_SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub demo_live_every_secs: u64,
    /// Mark cookies Secure (default: on when the base URL is https).
    #[arg(long, env = "SPRIDA_SECURE_COOKIES", action = clap::ArgAction::Set)]
    pub secure_cookies: Option<bool>,
    /// Reverse proxies in front of Sprida whose X-Forwarded-For entries to
    /// trust: `false` (0, the default: the header is ignored), `true` (1) or
    /// a number of hops. The client is read from the right, past them.
    #[arg(long, env = "SPRIDA_TRUST_PROXY", default_value = "false")]
    pub trust_proxy: ProxyHops,
    /// Sign people out after this many minutes without activity.
    #[arg(long, env = "SPRIDA_SESSION_IDLE_MINUTES", default_value_t = 7 * 24 * 60)]
    pub session_idle_minutes: u64,
    /// Sign people out this many hours after sign-in, active or not.
    #[arg(long, env = "SPRIDA_SESSION_MAX_HOURS", default_value_t = 30 * 24)]
    pub session_max_hours: u64,
    /// SQLite: clicks that may wait in memory for the click applier; past
    /// that the applier reads them back from the click journal (nothing is
    /// lost, the redirect still answers at once).
    #[arg(long, env = "SPRIDA_CLICK_BACKLOG", default_value_t = crate::clicks::DEFAULT_BACKLOG,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub click_backlog: u32,
    /// Seconds a client has to send a request's headers, counted from the
    /// moment its connection is idle (so also how long an idle keep-alive
    /// connection is kept).
    #[arg(long, env = "SPRIDA_HEADER_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, env = "SPRIDA_BODY_TIMEOUT_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_secs: u64,
    /// Connections served at once; past it new ones wait in the kernel's
    /// backlog until one closes. Each open live stream is one.
    #[arg(long, env = "SPRIDA_MAX_CONNECTIONS", default_value_t = 16_384,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,
    /// Live event streams one session (or paired screen) may hold open.
    #[arg(long, env = "SPRIDA_STREAMS_PER_SESSION", default_value_t = 8,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub streams_per_session: u64,
    /// Qualified visitors one client address may give one link a day (at
    /// most 3; 0 turns the limit off, as the benchmarks do for their
    /// millions of made-up visitors).
    #[arg(long, env = "SPRIDA_CLICK_VISITORS_PER_ADDRESS", default_value_t = 3,
          value_parser = clap::value_parser!(u64).range(0..=3))]
    pub click_visitors_per_address: u64,
    /// Days that clicks which did not qualify (bots, prefetches, repeats, …)
    /// are kept row by row before they are rolled up into daily counts per
    /// link and verdict; 0 keeps them all.
    #[arg(long, env = "SPRIDA_CLICK_RETENTION_DAYS", default_value_t = 90)]
    pub click_retention_days: u32,
    /// Serve Prometheus metrics at /metrics to scrapers that send this as a
    /// bearer token (`Authorization: Bearer …`). Off when not set.
    #[arg(long, env = "SPRIDA_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Log format.
    #[arg(long, env = "SPRIDA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Without a command, Sprida serves.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(clap::Subcommand, Clone, Debug)]
pub enum Command {
    /// Writes a consistent backup of the SQLite database, its unapplied
    /// clicks and its key to FILE, while the server runs. (PostgreSQL:
    /// use pg_dump, see the README.)
    Backup { file: PathBuf },
    /// Restores a backup FILE into the data directory, which must not have
    /// a database yet; start the server on it afterwards.
    Restore { file: PathBuf },
    /// Administrators: `admin create EMAIL` makes EMAIL an administrator
    /// (creating the person when new) and prints a one-time link to set a
    /// password. The way to the first administrator of a new instance, and
    /// back in for one who lost theirs.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The demo organisation: `demo remove` deletes its people and
    /// everything they did, and its items nobody else shared.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
}

#[derive(clap::Subcommand, Clone, Debug)]
pub enum AdminCommand {
    /// Makes EMAIL an administrator and prints an invitation link for them.
    Create {
        email: String,
        /// Their name, for a new person (defaults to the part before the @).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(clap::Subcommand, Clone, Debug)]
pub enum DemoCommand {
    /// Removes the demo organisation from the database.
    Remove,
}

impl Config {
    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_string()
    }

    /// The SQLite database file, or None on PostgreSQL.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        let url = self.database_url();
        let rest = url.strip_prefix("sqlite:")?;
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or(path);
        Some(PathBuf::from(path))
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("sprida.db").display()
            )
        })
    }

    /// Whether the demo was asked for: explicitly, or not at all (None).
    pub fn demo_asked(&self) -> bool {
        self.demo == Some(true)
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
            .unwrap_or_else(|| self.base_url().starts_with("https://"))
    }

    /// The accept loop's limits (`http::serve`).
    pub fn serve_limits(&self) -> crate::http::serve::Limits {
        crate::http::serve::Limits {
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            max_connections: self.max_connections as usize,
        }
    }

    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(self.session_idle_minutes.max(1) * 60)
    }

    pub fn session_max(&self) -> Duration {
        Duration::from_secs(self.session_max_hours.max(1) * 3600)
    }

    /// The given key, or the one stored in the data directory, or a new one
    /// written there (readable by the owner only).
    pub fn load_secret_key(&self) -> std::io::Result<Vec<u8>> {
        if let Some(key) = &self.secret_key {
            if key.len() < 32 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "SPRIDA_SECRET_KEY must be at least 32 characters",
                ));
            }
            return Ok(key.as_bytes().to_vec());
        }
        let path = self.data_dir.join("secret.key");
        // Only a missing key is made anew: replacing one that exists but
        // cannot be read would sign everyone out and change every visitor
        // hash, so that stops the start instead.
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing.trim().len() >= 32 => Ok(existing.trim().as_bytes().to_vec()),
            Ok(_) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} is shorter than 32 characters; restore it from a backup, or delete it \
                     to make a new one (which signs everyone out)",
                    path.display()
                ),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = app::base::session::ssr::random_token();
                write_private(&path, &key)?;
                tracing::info!(path = %path.display(), "generated a new secret key");
                Ok(key.into_bytes())
            }
            Err(e) => Err(std::io::Error::new(
                e.kind(),
                format!("cannot read {}: {e}", path.display()),
            )),
        }
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
