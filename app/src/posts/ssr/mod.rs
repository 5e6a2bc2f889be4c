//! SQL for employee posts: drafts and review moves with optimistic
//! versions (`write`), what the editor, *My posts* and the board read
//! (`read`), and the blocked-word list (`notices`).

mod notices;
mod read;
mod write;

use sqlx::{Any, Transaction};

use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::content::stage::Stage;
use crate::share::link::slug;

pub use notices::{blocked_words, save_blocked_words};
pub use read::{board, load, my_posts};
pub use write::{author_move, comment, publish_due, review_move, review_save, save_draft};

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

#[derive(sqlx::FromRow)]
struct HeadRow {
    created_by: i64,
    stage: Option<String>,
    version: i64,
    publish_at: Option<i64>,
}

/// A stored stage; an employee post always has one.
fn stage_of(stored: Option<&str>) -> AppResult<Stage> {
    stored.and_then(Stage::parse).ok_or_else(|| {
        tracing::error!(?stored, "a post with an unknown stage");
        AppError::Internal
    })
}

async fn head(tx: &mut Transaction<'_, Any>, id: i64) -> AppResult<Head> {
    let row: HeadRow = sqlx::query_as(
        "SELECT created_by, stage, version, publish_at FROM content_items \
         WHERE id = $1 AND origin = 'employee'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Head {
        author: row.created_by,
        stage: stage_of(row.stage.as_deref())?,
        version: row.version,
        publish_at: row.publish_at,
    })
}

/// Someone else changed the post since this copy was loaded.
fn stale() -> AppError {
    AppError::Conflict(T::ErrStale)
}
