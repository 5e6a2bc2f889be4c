//! The blocked-word list reviewers see flagged on the board.

use sqlx::Any;

use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::AppResult;

const BLOCKED_KEY: &str = "blocked_words";

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
