//! What administrators see: pairs that keep thanking each other, the
//! thanks removed; and the start page's notes.

use sqlx::FromRow;

use super::{allowance, rules, values};
use crate::base::db::Db;
use crate::base::error::AppResult;
use crate::base::home_note::HomeNote;
use crate::base::i18n::T;
use crate::base::session::{Me, Role};
use crate::kudos::rules::{flagged_pairs, FLAG_MIN, FLAG_WINDOW_MS};
use crate::kudos::{Flagged, KudosOverview, Removed};

/// Pairs that keep thanking each other lately, by name.
async fn flagged(db: &Db, now: i64) -> AppResult<Vec<Flagged>> {
    let counts: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT giver_id, recipient_id, CAST(COUNT(*) AS BIGINT) FROM kudos \
         WHERE removed_at IS NULL AND created_at >= $1 GROUP BY giver_id, recipient_id",
    )
    .bind(now - FLAG_WINDOW_MS)
    .fetch_all(db)
    .await?;
    let pairs = flagged_pairs(&counts, FLAG_MIN);
    let mut out = Vec::with_capacity(pairs.len());
    for (a, b, a_to_b, b_to_a) in pairs {
        let names: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM people WHERE id IN ($1, $2) ORDER BY id")
                .bind(a)
                .bind(b)
                .fetch_all(db)
                .await?;
        let name = |id| names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone());
        out.push(Flagged {
            a: name(a).unwrap_or_default(),
            b: name(b).unwrap_or_default(),
            a_to_b,
            b_to_a,
        });
    }
    Ok(out)
}

pub async fn admin_view(db: &Db, now: i64) -> AppResult<KudosOverview> {
    #[derive(FromRow)]
    struct RemovedRow {
        id: i64,
        giver: String,
        recipient: String,
        message: String,
        points: i64,
        by_name: Option<String>,
        removed_at: i64,
        removed_reason: Option<String>,
    }
    let removed: Vec<RemovedRow> = sqlx::query_as(
        "SELECT k.id, g.name AS giver, r.name AS recipient, k.message, k.points, \
         b.name AS by_name, k.removed_at, k.removed_reason \
         FROM kudos k JOIN people g ON g.id = k.giver_id JOIN people r ON r.id = k.recipient_id \
         LEFT JOIN people b ON b.id = k.removed_by \
         WHERE k.removed_at IS NOT NULL ORDER BY k.removed_at DESC, k.id DESC LIMIT 50",
    )
    .fetch_all(db)
    .await?;
    Ok(KudosOverview {
        values: values(db, false).await?,
        rules: rules(db).await?,
        flagged: flagged(db, now).await?,
        removed: removed
            .into_iter()
            .map(|r| Removed {
                id: r.id,
                giver: r.giver,
                recipient: r.recipient,
                message: r.message,
                points: r.points,
                by: r.by_name.unwrap_or_default(),
                at: r.removed_at,
                reason: r.removed_reason.unwrap_or_default(),
            })
            .collect(),
    })
}

/// The start page: what is left to give this month; for administrators,
/// pairs to look at.
pub async fn home_notes(db: &Db, me: &Me, now: i64) -> AppResult<Vec<HomeNote>> {
    let mut notes = Vec::new();
    // Once a month, until something is given: a nudge, not a nag.
    let mine = allowance(db, me, now).await?;
    let left = mine.left;
    if mine.given == 0 && left > 0 && !values(db, true).await?.is_empty() {
        notes.push(
            HomeNote::new("kudos-left", T::HomeKudosLeft, "/recognition").number("points", left),
        );
    }
    if me.has(Role::Admin) {
        let pairs = flagged(db, now).await?.len() as i64;
        if pairs > 0 {
            notes.push(
                HomeNote::new("kudos-flagged", T::HomeKudosFlagged, "/admin/recognition")
                    .number("n", pairs)
                    .for_work(),
            );
        }
    }
    Ok(notes)
}
