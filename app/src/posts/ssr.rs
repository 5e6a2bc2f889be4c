//! SQL for employee posts: drafts, review moves with optimistic versions,
//! comments, notifications, creator points and the blocked-word list.

use std::collections::HashMap;

use sqlx::{Any, Row, Transaction};

use super::stage::{may_move, Mover, Stage};
use super::{
    check_complete, flags_of, markdown, BoardCard, Comment, MyPost, Notice, NoticeKind, Post,
    PostInput, Saved, Schedule, SUMMARY_CHARS,
};
use crate::base::change::Changed;
use crate::base::db::{now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::live::LiveEvent;
use crate::content::ssr::{check_refs, write_targets, write_texts_and_tags};
use crate::content::{parse_tags, SuggestedText, ValidContent};
use crate::points::ssr::{load_rules, pay, Entry};
use crate::share::intent::Channel;
use crate::share::link::slug;

const BLOCKED_KEY: &str = "blocked_words";
/// Published and rejected cards stay on the board this long.
const BOARD_KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

pub fn creator_key(item_id: i64) -> String {
    format!("creator:{item_id}")
}

fn post_slug(title: &str) -> String {
    let s = slug(title);
    if s.is_empty() {
        "post".into()
    } else {
        s
    }
}

/// The parts of a post every check needs.
struct Head {
    author: i64,
    stage: Stage,
    version: i64,
    publish_at: Option<i64>,
}

async fn head(tx: &mut Transaction<'_, Any>, id: i64) -> AppResult<Head> {
    let row = sqlx::query(
        "SELECT created_by, stage, version, publish_at FROM content_items \
         WHERE id = $1 AND origin = 'employee'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let stage: Option<String> = row.try_get("stage")?;
    Ok(Head {
        author: row.try_get("created_by")?,
        stage: stage
            .as_deref()
            .and_then(Stage::parse)
            .ok_or(AppError::Internal)?,
        version: row.try_get("version")?,
        publish_at: row.try_get("publish_at")?,
    })
}

/// Someone else changed the post since this copy was loaded.
fn stale() -> AppError {
    AppError::Conflict(T::ErrStale)
}

async fn notify(
    tx: &mut Transaction<'_, Any>,
    person: i64,
    item: i64,
    kind: NoticeKind,
    at: i64,
) -> AppResult<()> {
    sqlx::query("INSERT INTO notifications (person_id, item_id, kind, at) VALUES ($1, $2, $3, $4)")
        .bind(person)
        .bind(item)
        .bind(kind.code())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn save_draft(
    db: &Db,
    me: i64,
    id: Option<i64>,
    version: Option<i64>,
    input: &PostInput,
) -> AppResult<Saved> {
    let tags = parse_tags(&input.tags)?;
    let summary = markdown::plain_text(&input.body, SUMMARY_CHARS);
    let now = now_ms();
    let mut tx = db.begin().await?;
    check_refs(&mut tx, input.image_id, &[]).await?;
    let (id, version) = match id {
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO content_items (slug, title, summary, destination_url, image_id, status, \
                 origin, body_md, stage, stage_at, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'draft', 'employee', $6, 'draft', $7, 1, $8, $7, $7) \
                 RETURNING id",
            )
            .bind(post_slug(&input.title))
            .bind(&input.title)
            .bind(&summary)
            .bind(&input.destination_url)
            .bind(input.image_id)
            .bind(&input.body)
            .bind(now)
            .bind(me)
            .fetch_one(&mut *tx)
            .await?;
            (id, 1)
        }
        Some(id) => {
            let head = head(&mut tx, id).await?;
            if head.author != me {
                return Err(AppError::NotFound);
            }
            if !head.stage.author_may_edit() {
                return Err(AppError::Conflict(T::ErrPostLocked));
            }
            if version.is_some_and(|v| v != head.version) {
                return Err(stale());
            }
            let done = sqlx::query(
                "UPDATE content_items SET slug = $1, title = $2, summary = $3, destination_url = $4, \
                 image_id = $5, body_md = $6, updated_at = $7, version = version + 1 \
                 WHERE id = $8 AND version = $9",
            )
            .bind(post_slug(&input.title))
            .bind(&input.title)
            .bind(&summary)
            .bind(&input.destination_url)
            .bind(input.image_id)
            .bind(&input.body)
            .bind(now)
            .bind(id)
            .bind(head.version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(stale());
            }
            (id, head.version + 1)
        }
    };
    write_texts_and_tags(&mut tx, id, &input.texts, &tags).await?;
    tx.commit().await?;
    Ok(Saved {
        id,
        version,
        at: now,
    })
}

/// Moves the stage from `expect` (the caller's version) to `to`, bumping the
/// version; refuses when someone else got there first.
async fn set_stage(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    version: i64,
    to: Stage,
    now: i64,
) -> AppResult<()> {
    let published = matches!(to, Stage::Approved | Stage::Published);
    let done = sqlx::query(
        "UPDATE content_items SET stage = $1, stage_at = $2, updated_at = $2, \
         status = $3, version = version + 1, \
         publish_at = CASE WHEN $1 = 'published' AND publish_at > $2 THEN $2 ELSE publish_at END, \
         published_at = CASE WHEN $4 = 1 THEN COALESCE(published_at, \
             CASE WHEN publish_at > $2 THEN publish_at ELSE $2 END) ELSE published_at END \
         WHERE id = $5 AND version = $6",
    )
    .bind(to.code())
    .bind(now)
    .bind(if published { "published" } else { "draft" })
    .bind(crate::base::db::flag(published))
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(stale());
    }
    Ok(())
}

pub async fn author_move(
    db: &Db,
    me: i64,
    id: i64,
    version: i64,
    to: Stage,
) -> AppResult<Changed<Saved>> {
    let mut tx = db.begin().await?;
    let head = head(&mut tx, id).await?;
    if head.author != me {
        return Err(AppError::NotFound);
    }
    if head.version != version {
        return Err(stale());
    }
    if !may_move(head.stage, to, Mover::Author) {
        return Err(AppError::Conflict(T::ErrIllegalMove));
    }
    if to == Stage::Submitted {
        let post = load_in(&mut tx, id).await?;
        check_complete(&post.input, &Schedule::default())?;
    }
    let now = now_ms();
    set_stage(&mut tx, id, version, to, now).await?;
    tx.commit().await?;
    let saved = Saved {
        id,
        version: version + 1,
        at: now,
    };
    Ok(Changed::new(saved, LiveEvent::Board))
}

pub async fn review_move(
    db: &Db,
    me: i64,
    id: i64,
    to: Stage,
    version: i64,
    comment: Option<&str>,
) -> AppResult<Changed<Saved>> {
    let mut tx = db.begin().await?;
    let head = head(&mut tx, id).await?;
    if head.version != version {
        return Err(stale());
    }
    if !may_move(head.stage, to, Mover::Reviewer) {
        return Err(AppError::Conflict(T::ErrIllegalMove));
    }
    if to == Stage::ChangesRequested && comment.is_none() {
        return Err(AppError::Invalid(T::ErrCommentRequired));
    }
    let now = now_ms();
    let approving = matches!(to, Stage::Approved | Stage::Published);
    if approving && head.author == me {
        // Quality assurance means a second pair of eyes.
        return Err(AppError::Conflict(T::ErrOwnPost));
    }
    // Approving a post whose time has come publishes it at once.
    let to = if to == Stage::Approved && head.publish_at.is_none_or(|p| p <= now) {
        Stage::Published
    } else {
        to
    };
    set_stage(&mut tx, id, version, to, now).await?;
    if let Some(body) = comment {
        sqlx::query(
            "INSERT INTO post_comments (item_id, person_id, body, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(me)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    if approving {
        let rules = load_rules(&mut *tx).await?;
        let key = creator_key(id);
        pay(
            &mut *tx,
            Entry {
                person_id: head.author,
                source_key: &key,
                points: rules.per_approved_post,
                reason: "creator",
                code: None,
                at: now,
            },
        )
        .await?;
        notify(&mut tx, head.author, id, NoticeKind::Approved, now).await?;
    }
    if let Some(kind) = NoticeKind::of_move(to).filter(|k| *k != NoticeKind::Approved) {
        notify(&mut tx, head.author, id, kind, now).await?;
    }
    tx.commit().await?;
    let saved = Saved {
        id,
        version: version + 1,
        at: now,
    };
    // An approval pays the author's creator points.
    let pays = matches!(to, Stage::Approved | Stage::Published);
    Ok(Changed::new(saved, LiveEvent::Links)
        .and(LiveEvent::Board)
        .and_if(pays, LiveEvent::Points))
}

pub async fn review_save(
    db: &Db,
    id: i64,
    version: i64,
    input: &PostInput,
    valid: &ValidContent,
) -> AppResult<Changed<Saved>> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    let head = head(&mut tx, id).await?;
    if head.version != version {
        return Err(stale());
    }
    if head.stage == Stage::Draft {
        return Err(AppError::NotFound);
    }
    check_refs(&mut tx, valid.image_id, &valid.target_groups).await?;
    // The slug (utm_campaign) is fixed once the post has gone out.
    let done = sqlx::query(
        "UPDATE content_items SET slug = CASE WHEN published_at IS NULL THEN $1 ELSE slug END, \
         title = $2, summary = $3, destination_url = $4, image_id = $5, body_md = $6, \
         publish_at = $7, expires_at = $8, updated_at = $9, version = version + 1 \
         WHERE id = $10 AND version = $11",
    )
    .bind(post_slug(&valid.title))
    .bind(&valid.title)
    .bind(&valid.summary)
    .bind(&valid.destination_url)
    .bind(valid.image_id)
    .bind(&input.body)
    .bind(valid.publish_at)
    .bind(valid.expires_at)
    .bind(now)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(stale());
    }
    write_texts_and_tags(&mut tx, id, &valid.texts, &valid.tags).await?;
    write_targets(&mut tx, id, &valid.target_groups).await?;
    tx.commit().await?;
    let saved = Saved {
        id,
        version: version + 1,
        at: now,
    };
    Ok(Changed::new(saved, LiveEvent::Links).and(LiveEvent::Board))
}

/// Authors comment on their own posts, reviewers on any submitted one.
pub async fn comment(
    db: &Db,
    me: i64,
    curator: bool,
    id: i64,
    body: &str,
) -> AppResult<Changed<()>> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    let head = head(&mut tx, id).await?;
    let own = head.author == me;
    let reviewing = curator && head.stage != Stage::Draft;
    if !(own || reviewing) {
        return Err(AppError::NotFound);
    }
    sqlx::query("INSERT INTO post_comments (item_id, person_id, body, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(me)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if !own {
        notify(&mut tx, head.author, id, NoticeKind::Commented, now).await?;
    }
    // The comment count on the board changed; others' copies are stale.
    sqlx::query("UPDATE content_items SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Changed::new((), LiveEvent::Board))
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
    let rows = sqlx::query(&format!(
        "SELECT c.item_id, c.body, c.at, c.person_id, p.name, i.created_by \
         FROM post_comments c JOIN people p ON p.id = c.person_id \
         JOIN content_items i ON i.id = c.item_id \
         WHERE c.item_id IN ({list}) ORDER BY c.at, c.id"
    ))
    .fetch_all(exec)
    .await?;
    for r in rows {
        let person: i64 = r.try_get("person_id")?;
        let author: i64 = r.try_get("created_by")?;
        out.entry(r.try_get("item_id")?).or_default().push(Comment {
            author: r.try_get("name")?,
            by_author: person == author,
            body: r.try_get("body")?,
            at: r.try_get("at")?,
        });
    }
    Ok(out)
}

async fn load_in(tx: &mut Transaction<'_, Any>, id: i64) -> AppResult<Post> {
    let r = sqlx::query(
        "SELECT i.id, i.version, i.stage, i.title, i.body_md, i.destination_url, i.image_id, \
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
    let mut texts: Vec<SuggestedText> = texts
        .into_iter()
        .filter_map(|(c, text)| Channel::parse(&c).map(|channel| SuggestedText { channel, text }))
        .collect();
    texts.sort_by_key(|t| t.channel);
    let input = PostInput {
        title: r.try_get("title")?,
        body: r.try_get("body_md")?,
        destination_url: r.try_get("destination_url")?,
        image_id: r.try_get("image_id")?,
        texts,
        tags: tags.join(", "),
    };
    let groups: Vec<i64> = sqlx::query_scalar(
        "SELECT group_id FROM content_targets WHERE item_id = $1 ORDER BY group_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let stage: Option<String> = r.try_get("stage")?;
    let comments = comments_of(&mut **tx, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let blocked = blocked_in(&mut **tx).await?;
    Ok(Post {
        id,
        version: r.try_get("version")?,
        stage: stage
            .as_deref()
            .and_then(Stage::parse)
            .ok_or(AppError::Internal)?,
        flags: flags_of(&input, &blocked),
        input,
        schedule: Schedule {
            target_groups: groups,
            publish_at: r.try_get("publish_at")?,
            expires_at: r.try_get("expires_at")?,
        },
        author_id: r.try_get("created_by")?,
        author: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        stage_at: r.try_get::<Option<i64>, _>("stage_at")?.unwrap_or(0),
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
    let rows = sqlx::query(
        "SELECT id, version, title, stage, updated_at FROM content_items \
         WHERE created_by = $1 AND origin = 'employee' ORDER BY updated_at DESC, id DESC",
    )
    .bind(me)
    .fetch_all(db)
    .await?;
    let ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.try_get::<i64, _>("id").ok())
        .collect();
    let mut comments = comments_of(db, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let stage: Option<String> = r.try_get("stage")?;
            Ok(MyPost {
                id,
                version: r.try_get("version")?,
                title: r.try_get("title")?,
                stage: stage
                    .as_deref()
                    .and_then(Stage::parse)
                    .unwrap_or(Stage::Draft),
                updated_at: r.try_get("updated_at")?,
                comments: comments.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

pub async fn board(db: &Db) -> AppResult<Vec<BoardCard>> {
    let since = now_ms() - BOARD_KEEP_MS;
    let rows = sqlx::query(
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
    let text_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT t.item_id, t.channel, t.body FROM content_texts t \
         JOIN content_items i ON i.id = t.item_id \
         WHERE i.origin = 'employee' AND i.stage <> 'draft' \
         AND (i.stage NOT IN ('published', 'rejected') OR i.stage_at > $1)",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let mut texts: HashMap<i64, Vec<SuggestedText>> = HashMap::new();
    for (item, channel, text) in text_rows {
        if let Some(channel) = Channel::parse(&channel) {
            texts
                .entry(item)
                .or_default()
                .push(SuggestedText { channel, text });
        }
    }
    let blocked = blocked_words(db).await?;
    rows.into_iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let stage: Option<String> = r.try_get("stage")?;
            let input = PostInput {
                title: r.try_get("title")?,
                body: r.try_get("body_md")?,
                texts: texts.remove(&id).unwrap_or_default(),
                ..Default::default()
            };
            let mut channels: Vec<Channel> = input.texts.iter().map(|t| t.channel).collect();
            channels.sort();
            Ok(BoardCard {
                id,
                version: r.try_get("version")?,
                flags: flags_of(&input, &blocked),
                title: input.title,
                author: r.try_get("name")?,
                stage: stage
                    .as_deref()
                    .and_then(Stage::parse)
                    .ok_or(AppError::Internal)?,
                created_at: r.try_get("created_at")?,
                stage_at: r.try_get::<Option<i64>, _>("stage_at")?.unwrap_or(0),
                publish_at: r.try_get("publish_at")?,
                channels,
                comments: r.try_get("comments")?,
            })
        })
        .collect()
}

/// Approved posts whose publish time has come move to Published, and their
/// authors hear of it. Returns how many moved.
pub async fn publish_due(db: &Db) -> AppResult<Changed<usize>> {
    let now = now_ms();
    let due: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, created_by, version FROM content_items \
         WHERE stage = 'approved' AND (publish_at IS NULL OR publish_at <= $1)",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    let mut moved = 0;
    for (id, author, version) in due {
        let mut tx = db.begin().await?;
        match set_stage(&mut tx, id, version, Stage::Published, now).await {
            Ok(()) => {
                notify(&mut tx, author, id, NoticeKind::Published, now).await?;
                tx.commit().await?;
                moved += 1;
            }
            // A reviewer moved it meanwhile; their move stands.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Changed::quiet(moved).and_if(moved > 0, LiveEvent::Board))
}

pub async fn notifications(db: &Db, me: i64) -> AppResult<Vec<Notice>> {
    let rows = sqlx::query(
        "SELECT n.id, n.item_id, n.kind, n.at, n.seen, COALESCE(i.title, '') AS title \
         FROM notifications n LEFT JOIN content_items i ON i.id = n.item_id \
         WHERE n.person_id = $1 ORDER BY n.at DESC, n.id DESC LIMIT 100",
    )
    .bind(me)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(kind) = NoticeKind::parse(&r.try_get::<String, _>("kind")?) else {
            continue;
        };
        out.push(Notice {
            id: r.try_get("id")?,
            item_id: r.try_get("item_id")?,
            title: r.try_get("title")?,
            kind,
            at: r.try_get("at")?,
            seen: r.try_get::<i64, _>("seen")? != 0,
        });
    }
    Ok(out)
}

pub async fn unseen(db: &Db, me: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE person_id = $1 AND seen = 0",
    )
    .bind(me)
    .fetch_one(db)
    .await?)
}

pub async fn mark_seen(db: &Db, me: i64) -> AppResult<()> {
    sqlx::query("UPDATE notifications SET seen = 1 WHERE person_id = $1 AND seen = 0")
        .bind(me)
        .execute(db)
        .await?;
    Ok(())
}

async fn blocked_in<'c, E>(exec: E) -> AppResult<Vec<String>>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    crate::base::db::setting(exec, BLOCKED_KEY).await
}

pub async fn blocked_words(db: &Db) -> AppResult<Vec<String>> {
    blocked_in(db).await
}

pub async fn save_blocked_words(db: &Db, words: &[String]) -> AppResult<Changed<()>> {
    crate::base::db::save_setting(db, BLOCKED_KEY, &words)
        .await
        .map(|()| Changed::new((), LiveEvent::Board))
}
