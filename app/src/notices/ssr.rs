//! Reading a person's notifications (`base::change::Changed::commit` writes
//! them).

use super::{Notice, NoticeKind};
use crate::base::db::Db;
use crate::base::error::AppResult;

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    item_id: Option<i64>,
    kudos_id: Option<i64>,
    challenge_id: Option<i64>,
    kind: String,
    at: i64,
    seen: i64,
    title: String,
    who: String,
}

pub async fn notifications(db: &Db, me: i64) -> AppResult<Vec<Notice>> {
    let rows: Vec<NoticeRow> = sqlx::query_as(
        "SELECT n.id, n.item_id, n.kudos_id, n.challenge_id, n.kind, n.at, n.seen, \
         COALESCE(i.title, r.name, k.message, c.title, '') AS title, COALESCE(p.name, g.name, '') AS who \
         FROM notifications n LEFT JOIN content_items i ON i.id = n.item_id \
         LEFT JOIN reward_requests q ON q.id = n.request_id \
         LEFT JOIN rewards r ON r.id = q.reward_id LEFT JOIN people p ON p.id = q.person_id \
         LEFT JOIN kudos k ON k.id = n.kudos_id AND k.removed_at IS NULL \
         LEFT JOIN people g ON g.id = k.giver_id \
         LEFT JOIN challenges c ON c.id = n.challenge_id \
         WHERE n.person_id = $1 ORDER BY n.at DESC, n.id DESC LIMIT 100",
    )
    .bind(me)
    .fetch_all(db)
    .await?;
    // A kind this version does not know (from a newer one) is left out.
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let kind = NoticeKind::parse(&r.kind)?;
            // A thank-you an administrator removed is no longer news.
            if kind == NoticeKind::Kudos && r.kudos_id.is_some() && r.title.is_empty() {
                return None;
            }
            Some(Notice {
                kind,
                id: r.id,
                link: kind.link(r.item_id, r.kudos_id.or(r.challenge_id)),
                // A long thank-you is cut to a line.
                title: cut(&r.title, 80),
                who: r.who,
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

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
