//! Writing posts: drafts, the author's and the reviewers' moves (each
//! checked against the caller's version), comments, scheduled publishing.

use super::super::{check_complete, markdown, PostInput, Saved, Schedule, SUMMARY_CHARS};
use super::read::load_in;
use super::{head, post_slug, stale};
use crate::base::change::{Changed, Fact};
use crate::base::db::{now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::ledger::{self, Entry};
use crate::content::lifecycle::set_stage;
use crate::content::ssr::{check_refs, write_targets, write_texts_and_tags};
use crate::content::stage::{may_move, Mover, Stage};
use crate::content::{parse_tags, ValidContent};
use crate::points::ssr::load_rules;

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
                 VALUES ($1, $2, $3, $4, $5, $6, 'employee', $7, $8, $9, 1, $10, $9, $9) \
                 RETURNING id",
            )
            .bind(post_slug(&input.title))
            .bind(&input.title)
            .bind(&summary)
            .bind(&input.destination_url)
            .bind(input.image_id)
            .bind(Stage::Draft.status().code())
            .bind(&input.body)
            .bind(Stage::Draft.code())
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
    let moved = Fact::PostMoved {
        post: id,
        author: me,
        to: to.code(),
    };
    Ok(Changed::new(saved, moved))
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
    if approving {
        // What goes to the hub passes the checks of any item there, however
        // it got to this column (an author's save in Changes requested
        // checks only limits).
        let post = load_in(&mut tx, id).await?;
        check_complete(&post.input, &post.schedule)?;
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
    let saved = Saved {
        id,
        version: version + 1,
        at: now,
    };
    let mut changed = Changed::quiet(saved);
    if approving {
        let rules = load_rules(&mut *tx).await?;
        let creator = Entry::creator(head.author, id, rules.per_approved_post, now);
        let paid = ledger::ssr::pay_one(&mut tx, creator).await?;
        changed = changed
            .and(Fact::PostApproved {
                post: id,
                author: head.author,
            })
            .and_all(paid.as_ref().map(Fact::paid));
    }
    // After the approval: the author reads "published" above "approved".
    changed = changed.and(Fact::PostMoved {
        post: id,
        author: head.author,
        to: to.code(),
    });
    changed.commit(tx).await
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
    Ok(Changed::new(saved, Fact::PostEdited { post: id }))
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
    // The comment count on the board changed; others' copies are stale.
    sqlx::query("UPDATE content_items SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let fact = if own {
        Fact::AuthorCommented { post: id }
    } else {
        Fact::PostCommented {
            post: id,
            author: head.author,
        }
    };
    Changed::new((), fact).commit(tx).await
}

/// Approved posts whose publish time has come move to Published, and their
/// authors hear of it. Returns how many moved.
pub async fn publish_due(db: &Db) -> AppResult<Changed<usize>> {
    let now = now_ms();
    #[derive(sqlx::FromRow)]
    struct Due {
        id: i64,
        created_by: i64,
        version: i64,
    }
    let due: Vec<Due> = sqlx::query_as(
        "SELECT id, created_by, version FROM content_items \
         WHERE stage = $1 AND (publish_at IS NULL OR publish_at <= $2)",
    )
    .bind(Stage::Approved.code())
    .bind(now)
    .fetch_all(db)
    .await?;
    let mut all = Changed::quiet(());
    let mut moved = 0;
    for Due {
        id,
        created_by: author,
        version,
    } in due
    {
        let mut tx = db.begin().await?;
        match set_stage(&mut tx, id, version, Stage::Published, now).await {
            Ok(()) => {
                let fact = Fact::PostMoved {
                    post: id,
                    author,
                    to: Stage::Published.code(),
                };
                // Each post with its author's notification, in its own commit.
                all = all.absorb(Changed::new((), fact).commit(tx).await?);
                moved += 1;
            }
            // A reviewer moved it meanwhile; their move stands.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(all.map(|()| moved))
}
