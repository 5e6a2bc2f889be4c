//! SQL for content items.

use std::collections::HashMap;

use sqlx::{Any, Transaction};

use super::{
    image::ImageInfo, is_live, ContentItem, ContentRow, ContentStatus, SuggestedText, ValidContent,
};
use crate::base::change::{Changed, Fact};
use crate::base::db::{now_ms, replace_rows, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::session::Me;
use crate::people::ssr::GroupRow;
use crate::share::intent::Channel;

/// One item's suggested text for one channel, as stored (the hub and the
/// review board read many at once).
#[derive(sqlx::FromRow)]
pub(crate) struct TextRow {
    pub item_id: i64,
    pub channel: String,
    pub body: String,
}
use crate::share::link::slug;

fn status_of(code: &str) -> ContentStatus {
    ContentStatus::parse(code).unwrap_or(ContentStatus::Draft)
}

/// Shares per item.
pub async fn share_counts(db: &Db) -> AppResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT item_id, CAST(COUNT(*) AS BIGINT) FROM shares GROUP BY item_id")
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Qualified clicks per item, from the counters the click writer keeps.
pub async fn click_counts(db: &Db) -> AppResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT item_id, CAST(SUM(qualified_clicks) AS BIGINT) FROM tracked_links GROUP BY item_id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    title: String,
    status: String,
    origin: String,
    publish_at: Option<i64>,
    expires_at: Option<i64>,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    slug: String,
    status: String,
    title: String,
    summary: String,
    destination_url: String,
    image_id: Option<i64>,
    publish_at: Option<i64>,
    expires_at: Option<i64>,
}

pub async fn list(db: &Db) -> AppResult<Vec<ContentRow>> {
    let now = now_ms();
    let shares = share_counts(db).await?;
    let clicks = click_counts(db).await?;
    let rows: Vec<ListRow> = sqlx::query_as(
        "SELECT id, title, status, origin, publish_at, expires_at, updated_at FROM content_items \
         WHERE origin = 'curated' OR stage IN ('approved', 'published') \
         ORDER BY CASE status WHEN 'archived' THEN 1 ELSE 0 END, updated_at DESC, id DESC",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = status_of(&r.status);
            ContentRow {
                id: r.id,
                title: r.title,
                status,
                live: is_live(status, r.publish_at, r.expires_at, now),
                publish_at: r.publish_at,
                expires_at: r.expires_at,
                updated_at: r.updated_at,
                shares: shares.get(&r.id).copied().unwrap_or(0),
                clicks: clicks.get(&r.id).copied().unwrap_or(0),
                post: r.origin != "curated",
            }
        })
        .collect())
}

pub async fn texts_of(db: &Db, item_id: i64) -> AppResult<Vec<SuggestedText>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT channel, body FROM content_texts WHERE item_id = $1 ORDER BY channel",
    )
    .bind(item_id)
    .fetch_all(db)
    .await?;
    Ok(texts_in_order(rows))
}

/// Stored (channel, text) rows as suggested texts in channel order; a
/// channel this version does not know (from a newer one) is left out.
pub fn texts_in_order(rows: Vec<(String, String)>) -> Vec<SuggestedText> {
    let mut texts: Vec<SuggestedText> = rows
        .into_iter()
        .filter_map(|(c, text)| Channel::parse(&c).map(|channel| SuggestedText { channel, text }))
        .collect();
    texts.sort_by_key(|t| t.channel);
    texts
}

pub async fn tags_of(db: &Db, item_id: i64) -> AppResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT tag FROM content_tags WHERE item_id = $1 ORDER BY tag")
            .bind(item_id)
            .fetch_all(db)
            .await?,
    )
}

pub async fn load(db: &Db, id: i64) -> AppResult<ContentItem> {
    let r: ItemRow = sqlx::query_as(
        "SELECT slug, status, title, summary, destination_url, image_id, publish_at, expires_at \
         FROM content_items WHERE id = $1 AND origin = 'curated'",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = status_of(&r.status);
    let (publish_at, expires_at) = (r.publish_at, r.expires_at);
    let groups: Vec<GroupRow> = sqlx::query_as(
        "SELECT g.id, g.kind, g.name FROM content_targets t JOIN org_groups g ON g.id = t.group_id \
         WHERE t.item_id = $1 ORDER BY g.name",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let shares: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM shares WHERE item_id = $1")
            .bind(id)
            .fetch_one(db)
            .await?;
    Ok(ContentItem {
        id,
        slug: r.slug,
        status,
        live: is_live(status, publish_at, expires_at, now_ms()),
        title: r.title,
        summary: r.summary,
        destination_url: r.destination_url,
        image_id: r.image_id,
        texts: texts_of(db, id).await?,
        tags: tags_of(db, id).await?,
        target_groups: groups.into_iter().map(GroupRow::group_ref).collect(),
        publish_at,
        expires_at,
        shares,
    })
}

/// The image and groups an item refers to exist (ids come from the client).
pub(crate) async fn check_refs(
    tx: &mut Transaction<'_, Any>,
    image: Option<i64>,
    groups: &[i64],
) -> AppResult<()> {
    if let Some(image) = image {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM images WHERE id = $1")
            .bind(image)
            .fetch_optional(&mut **tx)
            .await?;
        found.ok_or(AppError::Invalid(T::ErrImageType))?;
    }
    for group in groups {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM org_groups WHERE id = $1")
            .bind(group)
            .fetch_optional(&mut **tx)
            .await?;
        found.ok_or(AppError::Invalid(T::ErrGroupUnknown))?;
    }
    Ok(())
}

/// Replaces an item's suggested texts and tags.
pub(crate) async fn write_texts_and_tags(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    texts: &[SuggestedText],
    tags: &[String],
) -> AppResult<()> {
    sqlx::query("DELETE FROM content_texts WHERE item_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for t in texts.iter().filter(|t| !t.text.trim().is_empty()) {
        sqlx::query("INSERT INTO content_texts (item_id, channel, body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(t.channel.code())
            .bind(t.text.trim())
            .execute(&mut **tx)
            .await?;
    }
    replace_rows(tx, ("content_tags", "item_id", "tag"), id, tags).await?;
    Ok(())
}

/// Replaces an item's target groups.
pub(crate) async fn write_targets(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    groups: &[i64],
) -> AppResult<()> {
    replace_rows(tx, ("content_targets", "item_id", "group_id"), id, groups).await?;
    Ok(())
}

pub async fn save(
    db: &Db,
    author: i64,
    id: Option<i64>,
    item: &ValidContent,
) -> AppResult<Changed<i64>> {
    let mut tx = db.begin().await?;
    let id = save_in(&mut tx, author, id, item, now_ms()).await?;
    Changed::new(id, Fact::ItemChanged { item: id })
        .commit(tx)
        .await
}

/// Creates (a draft) or updates a curated item inside the caller's
/// transaction: the content list and the demo seed both save this way.
pub async fn save_in(
    tx: &mut Transaction<'_, Any>,
    author: i64,
    id: Option<i64>,
    item: &ValidContent,
    now: i64,
) -> AppResult<i64> {
    if item.destination_url.parse::<url::Url>().is_err() {
        return Err(AppError::Invalid(T::ErrDestination));
    }
    check_refs(tx, item.image_id, &item.target_groups).await?;
    let id = match id {
        Some(id) => {
            let done = sqlx::query(
                "UPDATE content_items SET title = $1, summary = $2, destination_url = $3, \
                 image_id = $4, publish_at = $5, expires_at = $6, updated_at = $7, \
                 version = version + 1 WHERE id = $8 AND origin = 'curated'",
            )
            .bind(&item.title)
            .bind(&item.summary)
            .bind(&item.destination_url)
            .bind(item.image_id)
            .bind(item.publish_at)
            .bind(item.expires_at)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound);
            }
            id
        }
        None => {
            // The slug becomes utm_campaign, so it is fixed at creation and
            // campaigns stay comparable when a title is polished later.
            sqlx::query_scalar(
                "INSERT INTO content_items (slug, title, summary, destination_url, image_id, \
                 status, publish_at, expires_at, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(slug(&item.title))
            .bind(&item.title)
            .bind(&item.summary)
            .bind(&item.destination_url)
            .bind(item.image_id)
            .bind(ContentStatus::Draft.code())
            .bind(item.publish_at)
            .bind(item.expires_at)
            .bind(author)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    write_texts_and_tags(tx, id, &item.texts, &item.tags).await?;
    write_targets(tx, id, &item.target_groups).await?;
    Ok(id)
}

/// A curated item's status, from the content list. Once out of draft an
/// item has been seen; it goes back with Unpublish, not to Draft.
pub async fn set_status(db: &Db, id: i64, status: ContentStatus) -> AppResult<Changed<()>> {
    if status == ContentStatus::Draft {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    super::lifecycle::set_status(&mut tx, id, status, now_ms()).await?;
    Changed::new((), Fact::ItemChanged { item: id })
        .commit(tx)
        .await
}

pub async fn delete(db: &Db, id: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    // Every share has a tracked link; a link handed out may also have been
    // posted without the share being recorded, and its clicks need their item.
    let used: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM tracked_links WHERE item_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if used > 0 {
        return Err(AppError::Conflict(T::ErrHasShares));
    }
    let done = sqlx::query("DELETE FROM content_items WHERE id = $1 AND origin = 'curated'")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Stores a checked image (`image::check`) uploaded by `author` at `at`.
pub async fn store_image<'c, E>(
    exec: E,
    author: i64,
    info: ImageInfo,
    bytes: Vec<u8>,
    at: i64,
) -> AppResult<i64>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    Ok(sqlx::query_scalar(
        "INSERT INTO images (mime, width, height, bytes, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(info.mime)
    .bind(i64::from(info.width))
    .bind(i64::from(info.height))
    .bind(bytes)
    .bind(author)
    .bind(at)
    .fetch_one(exec)
    .await?)
}

/// The stored image and its type, for `/media/{id}`, when `me` may see it:
/// an image follows the visibility of the content it belongs to. Its
/// uploader sees it; everyone signed in when an item in the hub uses it;
/// curators when a curated item or a post out of draft uses it. Ids are
/// sequential, so a private draft's image must not be one guess away.
pub async fn load_image(db: &Db, id: i64, me: &Me) -> AppResult<Option<(String, Vec<u8>)>> {
    let curator = crate::content::CURATORS.iter().any(|r| me.has(*r));
    Ok(sqlx::query_as(
        "SELECT m.mime, m.bytes FROM images m WHERE m.id = $1 AND (m.created_by = $2 \
         OR EXISTS (SELECT 1 FROM content_items i WHERE i.image_id = m.id AND (i.status = 'published' \
             OR ($3 = 1 AND (i.origin = 'curated' OR i.stage <> 'draft')))))",
    )
    .bind(id)
    .bind(me.id)
    .bind(crate::base::db::flag(curator))
    .fetch_optional(db)
    .await?)
}
