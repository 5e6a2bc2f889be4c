//! Server side of tracked links: resolving a code (with a short-lived cache
//! for the hot redirect). Clicks are stored by `writer`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Row;

use crate::db::Db;
use crate::error::AppResult;

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

pub async fn resolve_link(db: &Db, code: &str) -> AppResult<Option<LinkTarget>> {
    let row = sqlx::query(
        "SELECT l.code, l.person_id, l.channel, i.slug, i.destination_url \
         FROM tracked_links l JOIN content_items i ON i.id = l.item_id WHERE l.code = $1",
    )
    .bind(code)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        let code: String = r.try_get("code")?;
        let destination: String = r.try_get("destination_url")?;
        let channel: String = r.try_get("channel")?;
        let slug: String = r.try_get("slug")?;
        Ok(LinkTarget {
            location: super::link::with_utm(&destination, &channel, &slug, &code),
            person_id: r.try_get("person_id")?,
            code,
        })
    })
    .transpose()
}

/// Recently resolved links, so the hot redirect does not read the database
/// for every click. Entries live briefly and the whole cache is dropped when
/// content is saved, so an edited destination takes effect at once.
#[derive(Clone, Default)]
pub struct LinkCache {
    inner: Arc<Mutex<Links>>,
}

/// Code → the link and when it was read.
type Links = HashMap<String, (Arc<LinkTarget>, Instant)>;

const LINK_TTL: Duration = Duration::from_secs(60);
const LINK_CACHE_MAX: usize = 50_000;

impl LinkCache {
    pub async fn resolve(&self, db: &Db, code: &str) -> AppResult<Option<Arc<LinkTarget>>> {
        if let Some((link, at)) = self.lock().get(code) {
            if at.elapsed() < LINK_TTL {
                return Ok(Some(link.clone()));
            }
        }
        let link = resolve_link(db, code).await?.map(Arc::new);
        if let Some(link) = &link {
            let mut map = self.lock();
            if map.len() >= LINK_CACHE_MAX {
                map.clear();
            }
            map.insert(code.to_string(), (link.clone(), Instant::now()));
        }
        Ok(link)
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Drops the cache whenever any instance says links changed (or when
    /// this one missed events and cannot tell), so an edited destination
    /// takes effect behind every instance, not only the one that saved it.
    pub fn follow(&self, bus: &crate::live::Bus) {
        use tokio::sync::broadcast::error::RecvError;
        let (cache, mut events) = (self.clone(), bus.subscribe());
        tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(crate::live::LiveEvent::Links) | Err(RecvError::Lagged(_)) => cache.clear(),
                    Ok(_) => {}
                    Err(RecvError::Closed) => return,
                }
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Links> {
        // A panic while holding the lock leaves a usable map: keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
