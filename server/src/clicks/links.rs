//! Server side of tracked links: resolving a code (with a short-lived cache
//! for the hot redirect).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::base::db::Db;
use app::base::error::AppResult;
use app::base::live::Bus;

/// What the redirect needs to know about a code.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub code: String,
    pub person_id: i64,
    /// Where the redirect sends the visitor: the stored destination with the
    /// UTM parameters, made once per cached link rather than on every click;
    /// `None` when the stored destination is not an http(s) URL.
    pub location: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    code: String,
    person_id: i64,
    channel: String,
    slug: String,
    destination_url: String,
}

pub async fn resolve_link(db: &Db, code: &str) -> AppResult<Option<LinkTarget>> {
    let row: Option<LinkRow> = sqlx::query_as(
        "SELECT l.code, l.person_id, l.channel, i.slug, i.destination_url \
         FROM tracked_links l JOIN content_items i ON i.id = l.item_id WHERE l.code = $1",
    )
    .bind(code)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| LinkTarget {
        location: app::share::link::with_utm(&r.destination_url, &r.channel, &r.slug, &r.code),
        person_id: r.person_id,
        code: r.code,
    }))
}

/// Recently resolved links, so the hot redirect does not read the database
/// for every click. Entries live briefly, and the whole cache is dropped
/// when any instance says links changed (content saved, a post approved),
/// so an edited destination takes effect at once behind every instance.
#[derive(Clone)]
pub struct LinkCache {
    inner: Arc<Mutex<(u64, Links)>>,
    bus: Bus,
}

/// Code → the link and when it was read.
type Links = HashMap<String, (Arc<LinkTarget>, Instant)>;

const LINK_TTL: Duration = Duration::from_secs(60);
const LINK_CACHE_MAX: usize = 50_000;

impl LinkCache {
    pub fn new(bus: Bus) -> Self {
        let version = bus.links_version();
        Self {
            inner: Arc::new(Mutex::new((version, Links::new()))),
            bus,
        }
    }

    pub async fn resolve(&self, db: &Db, code: &str) -> AppResult<Option<Arc<LinkTarget>>> {
        if let Some((link, at)) = self.current().1.get(code) {
            if at.elapsed() < LINK_TTL {
                return Ok(Some(link.clone()));
            }
        }
        let link = resolve_link(db, code).await?.map(Arc::new);
        if let Some(link) = &link {
            let mut cache = self.current();
            if cache.1.len() >= LINK_CACHE_MAX {
                cache.1.clear();
            }
            cache
                .1
                .insert(code.to_string(), (link.clone(), Instant::now()));
        }
        Ok(link)
    }

    /// The cache, emptied first if links changed since it was filled. The
    /// bus counts those changes as they are sent, so the instance that made
    /// one never serves the old destination, not even for a moment.
    fn current(&self) -> std::sync::MutexGuard<'_, (u64, Links)> {
        // A panic while holding the lock leaves a usable map: keep going.
        let mut cache = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let version = self.bus.links_version();
        if cache.0 != version {
            *cache = (version, Links::new());
        }
        cache
    }
}
