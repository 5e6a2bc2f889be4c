//! Live updates: whatever changes a page others have open (a card moving on
//! the review board, points paid) is announced here, and the event streams
//! pass it on to the browsers. With PostgreSQL every instance announces
//! through `NOTIFY` and hears through `LISTEN`, so instances behind one
//! address behave as one; with SQLite (one instance) it stays in-process.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;

use crate::base::db::{Backend, Db};

const CHANNEL: &str = "sprida_live";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// A post changed stage, text or comments: review boards reload.
    Board,
    /// Points were paid (a share, a qualified click, a post approved),
    /// clicks counted or a share made: leaderboards and screens reload
    /// their figures.
    Points,
    /// Who is on the boards changed (deactivated, renamed, another team,
    /// a group renamed), or the company's own channels: boards and screens
    /// reload, though nobody was paid.
    People,
    /// A screen was revoked or changed: screens ask what they should show.
    Screens,
    /// An item's destination may have changed: every instance drops the
    /// links its redirect has cached (no page listens to this one).
    Links,
    /// The rewards catalogue or a reward request changed: the catalogue,
    /// the person's requests and the fulfilment board reload.
    Rewards,
    /// Someone was thanked, or a thank-you removed: the recognition wall,
    /// the TV's ticker and its recognition panel reload.
    Kudos,
    /// A challenge was created, changed or ended: its page and the TV
    /// reload (standings move with `Points` too).
    Challenges,
}

impl LiveEvent {
    pub const ALL: [LiveEvent; 8] = [
        LiveEvent::Board,
        LiveEvent::Points,
        LiveEvent::People,
        LiveEvent::Screens,
        LiveEvent::Links,
        LiveEvent::Rewards,
        LiveEvent::Kudos,
        LiveEvent::Challenges,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LiveEvent::Board => "board",
            LiveEvent::Points => "points",
            LiveEvent::People => "people",
            LiveEvent::Screens => "screens",
            LiveEvent::Links => "links",
            LiveEvent::Rewards => "rewards",
            LiveEvent::Kudos => "kudos",
            LiveEvent::Challenges => "challenges",
        }
    }

    pub fn parse(name: &str) -> Option<LiveEvent> {
        LiveEvent::ALL.into_iter().find(|e| e.name() == name)
    }
}

#[derive(Clone)]
pub struct Bus {
    local: broadcast::Sender<LiveEvent>,
    /// Counts the events passed on, so what was made from the data before
    /// one (a shared leaderboard ranking) can tell it is out of date.
    generation: Arc<AtomicU64>,
    /// Counts `Links` events alone, for the redirect's link cache.
    links: Arc<AtomicU64>,
    /// Set with PostgreSQL: events go out through `pg_notify` and come back
    /// through the listener, to this instance as to every other.
    notify: Option<(Db, tokio::runtime::Handle)>,
}

impl Default for Bus {
    fn default() -> Self {
        // Receivers that fall this far behind are told they lagged and
        // simply reload, so the buffer only has to absorb bursts.
        Bus {
            local: broadcast::channel(256).0,
            generation: Arc::default(),
            links: Arc::default(),
            notify: None,
        }
    }
}

impl AsRef<Bus> for Bus {
    fn as_ref(&self) -> &Bus {
        self
    }
}

impl Bus {
    /// The bus for this database; with PostgreSQL it starts listening
    /// before it returns, so no event sent after start-up is missed.
    pub async fn start(db: &Db, backend: Backend, url: &str) -> Result<Bus, String> {
        let mut bus = Bus::default();
        if backend != Backend::Postgres {
            return Ok(bus);
        }
        let mut listener = sqlx::postgres::PgListener::connect(url)
            .await
            .map_err(|e| format!("live updates: {e}"))?;
        listener
            .listen(CHANNEL)
            .await
            .map_err(|e| format!("live updates: {e}"))?;
        let relay = bus.clone();
        tokio::spawn(async move {
            loop {
                match listener.recv().await {
                    Ok(note) => {
                        if let Some(event) = LiveEvent::parse(note.payload()) {
                            relay.pass_on(event);
                        }
                    }
                    Err(e) => {
                        // The listener reconnects on the next call; what was
                        // sent meanwhile is lost, so every page reloads.
                        tracing::warn!(error = %e, "live updates: listener lost its connection");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        for event in LiveEvent::ALL {
                            relay.pass_on(event);
                        }
                    }
                }
            }
        });
        bus.notify = Some((db.clone(), tokio::runtime::Handle::current()));
        Ok(bus)
    }

    /// Nobody listening is normal (no page open), not an error.
    pub fn send(&self, event: LiveEvent) {
        match &self.notify {
            None => self.pass_on(event),
            Some((db, handle)) => {
                // What this instance made before the change is out of date
                // now, not only once the notification has come back.
                self.count(event);
                let db = db.clone();
                handle.spawn(async move {
                    // pg_notify returns `void`, which the Any driver cannot
                    // decode, so the row carries a plain number instead.
                    let sent = sqlx::query("SELECT 1 AS sent FROM pg_notify($1, $2)")
                        .bind(CHANNEL)
                        .bind(event.name())
                        .execute(&db)
                        .await;
                    if let Err(e) = sent {
                        tracing::warn!(error = %e, "live updates: NOTIFY failed");
                    }
                });
            }
        }
    }

    /// To this instance's streams, after the generation moved on (so a page
    /// reloading because of the event never gets what was made before it).
    fn pass_on(&self, event: LiveEvent) {
        self.count(event);
        let _ = self.local.send(event);
    }

    fn count(&self, event: LiveEvent) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if event == LiveEvent::Links {
            self.links.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Moves on with every `Links` event, sent here or heard from another
    /// instance.
    pub fn links_version(&self) -> u64 {
        self.links.load(Ordering::SeqCst)
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.local.subscribe()
    }

    /// How many subscriptions are open (event streams and the server's own
    /// followers): how tests see that a closed stream was let go.
    pub fn listeners(&self) -> usize {
        self.local.receiver_count()
    }
}
