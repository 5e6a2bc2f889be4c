//! What the editor, *My posts* and the review board read.

use std::collections::HashMap;

use sqlx::{Any, Transaction};

use super::super::{flags_of, BoardCard, Comment, MyPost, Post, PostInput, Schedule};
use super::notices::{blocked_in, blocked_words};
use super::stage_of;
use crate::base::db::{now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::content::ssr::texts_in_order;
use crate::content::stage::Stage;
use crate::share::intent::Channel;

/// Published and rejected cards stay on the board this long.
const BOARD_KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

#[derive(sqlx::FromRow)]
struct CommentRow {
    item_id: i64,
    body: String,
    at: i64,
    person_id: i64,
    name: String,
    created_by: i64,
}

#[derive(sqlx::FromRow)]
struct PostRow {
    version: i64,
    stage: Option<String>,
    title: String,
    body_md: String,
    destination_url: String,
    image_id: Option<i64>,
    publish_at: Option<i64>,
    expires_at: Option<i64>,
    created_by: i64,
    name: String,
    created_at: i64,
    updated_at: i64,
    stage_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct MyPostRow {
    id: i64,
    version: i64,
    title: String,
    stage: Option<String>,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    version: i64,
    title: String,
    stage: Option<String>,
    created_at: i64,
    stage_at: Option<i64>,
    publish_at: Option<i64>,
    body_md: String,
    name: String,
    comments: i64,
}

async fn comments_of<'c, E>(exec: E, ids: &[i64]) -> AppResult<HashMap<i64, Vec<Comment>>>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let mut out: HashMap<i64, Vec<Comment>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    // The ids are integers from the database, so the list is safe to inline.
    let rows: Vec<CommentRow> = sqlx::query_as(&format!(
        "SELECT c.item_id, c.body, c.at, c.person_id, p.name, i.created_by \
         FROM post_comments c JOIN people p ON p.id = c.person_id \
         JOIN content_items i ON i.id = c.item_id \
         WHERE c.item_id IN ({list}) ORDER BY c.at, c.id"
    ))
    .fetch_all(exec)
    .await?;
    for r in rows {
        out.entry(r.item_id).or_default().push(Comment {
            author: r.name,
            by_author: r.person_id == r.created_by,
            body: r.body,
            at: r.at,
        });
    }
    Ok(out)
}

pub(super) async fn load_in(tx: &mut Transaction<'_, Any>, id: i64) -> AppResult<Post> {
    let r: PostRow = sqlx::query_as(
        "SELECT i.version, i.stage, i.title, i.body_md, i.destination_url, i.image_id, \
         i.publish_at, i.expires_at, i.created_by, p.name, i.created_at, i.updated_at, i.stage_at \
         FROM content_items i JOIN people p ON p.id = i.created_by \
         WHERE i.id = $1 AND i.origin = 'employee'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let texts: Vec<(String, String)> =
        sqlx::query_as("SELECT channel, body FROM content_texts WHERE item_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let tags: Vec<String> =
        sqlx::query_scalar("SELECT tag FROM content_tags WHERE item_id = $1 ORDER BY tag")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let input = PostInput {
        title: r.title,
        body: r.body_md,
        destination_url: r.destination_url,
        image_id: r.image_id,
        texts: texts_in_order(texts),
        tags: tags.join(", "),
    };
    let groups: Vec<i64> = sqlx::query_scalar(
        "SELECT group_id FROM content_targets WHERE item_id = $1 ORDER BY group_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let comments = comments_of(&mut **tx, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let blocked = blocked_in(&mut **tx).await?;
    Ok(Post {
        id,
        version: r.version,
        stage: stage_of(r.stage.as_deref())?,
        flags: flags_of(&input, &blocked),
        input,
        schedule: Schedule {
            target_groups: groups,
            publish_at: r.publish_at,
            expires_at: r.expires_at,
        },
        author_id: r.created_by,
        author: r.name,
        created_at: r.created_at,
        updated_at: r.updated_at,
        stage_at: r.stage_at.unwrap_or(0),
        comments,
    })
}

pub async fn load(db: &Db, id: i64) -> AppResult<Post> {
    let mut tx = db.begin().await?;
    let post = load_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(post)
}

pub async fn my_posts(db: &Db, me: i64) -> AppResult<Vec<MyPost>> {
    let rows: Vec<MyPostRow> = sqlx::query_as(
        "SELECT id, version, title, stage, updated_at FROM content_items \
         WHERE created_by = $1 AND origin = 'employee' ORDER BY updated_at DESC, id DESC",
    )
    .bind(me)
    .fetch_all(db)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut comments = comments_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| MyPost {
            id: r.id,
            version: r.version,
            title: r.title,
            stage: r
                .stage
                .as_deref()
                .and_then(Stage::parse)
                .unwrap_or(Stage::Draft),
            updated_at: r.updated_at,
            comments: comments.remove(&r.id).unwrap_or_default(),
        })
        .collect())
}

pub async fn board(db: &Db) -> AppResult<Vec<BoardCard>> {
    let since = now_ms() - BOARD_KEEP_MS;
    let rows: Vec<CardRow> = sqlx::query_as(
        "SELECT i.id, i.version, i.title, i.stage, i.created_at, i.stage_at, i.publish_at, \
         i.body_md, p.name, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM post_comments c WHERE c.item_id = i.id) AS comments \
         FROM content_items i JOIN people p ON p.id = i.created_by \
         WHERE i.origin = 'employee' AND i.stage <> 'draft' \
         AND (i.stage NOT IN ('published', 'rejected') OR i.stage_at > $1) \
         ORDER BY i.stage_at, i.id",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let text_rows: Vec<crate::content::ssr::TextRow> = sqlx::query_as(
        "SELECT t.item_id, t.channel, t.body FROM content_texts t \
         JOIN content_items i ON i.id = t.item_id \
         WHERE i.origin = 'employee' AND i.stage <> 'draft' \
         AND (i.stage NOT IN ('published', 'rejected') OR i.stage_at > $1)",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let mut texts: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for t in text_rows {
        texts
            .entry(t.item_id)
            .or_default()
            .push((t.channel, t.body));
    }
    let blocked = blocked_words(db).await?;
    rows.into_iter()
        .map(|r| {
            let input = PostInput {
                title: r.title,
                body: r.body_md,
                texts: texts_in_order(texts.remove(&r.id).unwrap_or_default()),
                ..Default::default()
            };
            let mut channels: Vec<Channel> = input.texts.iter().map(|t| t.channel).collect();
            channels.sort();
            Ok(BoardCard {
                id: r.id,
                version: r.version,
                flags: flags_of(&input, &blocked),
                title: input.title,
                author: r.name,
                stage: stage_of(r.stage.as_deref())?,
                created_at: r.created_at,
                stage_at: r.stage_at.unwrap_or(0),
                publish_at: r.publish_at,
                channels,
                comments: r.comments,
            })
        })
        .collect()
}
