//! A person's notifications, and the blocked-word list reviewers see
//! flagged on the board.

use sqlx::Any;

use super::super::{Notice, NoticeKind};
use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::AppResult;

const BLOCKED_KEY: &str = "blocked_words";

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    item_id: Option<i64>,
    kind: String,
    at: i64,
    seen: i64,
    title: String,
}

pub async fn notifications(db: &Db, me: i64) -> AppResult<Vec<Notice>> {
    let rows: Vec<NoticeRow> = sqlx::query_as(
        "SELECT n.id, n.item_id, n.kind, n.at, n.seen, COALESCE(i.title, '') AS title \
         FROM notifications n LEFT JOIN content_items i ON i.id = n.item_id \
         WHERE n.person_id = $1 ORDER BY n.at DESC, n.id DESC LIMIT 100",
    )
    .bind(me)
    .fetch_all(db)
    .await?;
    // A kind this version does not know (from a newer one) is left out.
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Notice {
                kind: NoticeKind::parse(&r.kind)?,
                id: r.id,
                item_id: r.item_id,
                title: r.title,
                at: r.at,
                seen: r.seen != 0,
            })
        })
        .collect())
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

pub(super) async fn blocked_in<'c, E>(exec: E) -> AppResult<Vec<String>>
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
        .map(|()| Changed::new((), Fact::BlockedWordsChanged))
}
