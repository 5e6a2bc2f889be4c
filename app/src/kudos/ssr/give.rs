//! Giving a thank-you and removing one: the allowance, the cap and the
//! ledger, in one transaction each.

use super::{given_since, is_manager, rules};
use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::ledger::{key, ssr as points, Entry, Period, Reason};
use crate::base::session::Me;
use crate::kudos::rules::{check_points, GiveInput};

/// Gives a thank-you: checked against the values, the giver's month and
/// the recipient's cap with both people's rows taken first, so two at once
/// wait for each other. The same key twice gives once.
pub async fn give(
    db: &Db,
    me: &Me,
    input: &GiveInput,
    request_key: &str,
    now: i64,
) -> AppResult<Changed<i64>> {
    let rules = rules(db).await?;
    let mut tx = db.begin().await?;
    let mut both = [me.id, input.to];
    both.sort_unstable();
    for id in both {
        sqlx::query("UPDATE people SET id = id WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let done: Option<i64> = sqlx::query_scalar("SELECT id FROM kudos WHERE request_key = $1")
        .bind(request_key)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(id) = done {
        return Ok(Changed::quiet(id));
    }
    let active: Option<i64> = sqlx::query_scalar("SELECT active FROM people WHERE id = $1")
        .bind(input.to)
        .fetch_optional(&mut *tx)
        .await?;
    if active != Some(1) {
        return Err(AppError::Invalid(T::ErrKudosRecipient));
    }
    let ids: Vec<String> = input.values.iter().map(i64::to_string).collect();
    let known: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM kudos_values WHERE active = 1 AND id IN ({})",
        ids.join(", ")
    ))
    .fetch_one(&mut *tx)
    .await?;
    if known != input.values.len() as i64 {
        return Err(AppError::Invalid(T::ErrKudosValue));
    }
    let month = Period::Month.start(now);
    let left = rules.allowance_for(is_manager(me)) - given_since(&mut *tx, me.id, month).await?;
    let received: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM kudos \
         WHERE recipient_id = $1 AND created_at >= $2 AND removed_at IS NULL",
    )
    .bind(input.to)
    .bind(month)
    .fetch_one(&mut *tx)
    .await?;
    check_points(input.points, left, received, rules.cap).map_err(AppError::Invalid)?;
    let award = (!input.award.is_empty()).then_some(input.award.as_str());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO kudos (request_key, giver_id, recipient_id, message, points, private, award, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(request_key)
    .bind(me.id)
    .bind(input.to)
    .bind(&input.message)
    .bind(input.points)
    .bind(i64::from(input.private))
    .bind(award)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for value in &input.values {
        sqlx::query("INSERT INTO kudos_value_of (kudos_id, value_id) VALUES ($1, $2)")
            .bind(id)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    let paid = if input.points > 0 {
        points::pay_one(&mut tx, Entry::kudos(input.to, id, input.points, now)).await?
    } else {
        None
    };
    tracing::info!(target: "sprida::kudos", by = me.id, to = input.to, id, points = input.points, "thanked");
    Changed::new(
        id,
        Fact::KudosGiven {
            kudos: id,
            recipient: input.to,
            public: !input.private,
        },
    )
    .and_all(paid.iter().map(Fact::paid))
    .commit(tx)
    .await
}

/// Removes a thank-you and takes its points back; who, when and why stay.
pub async fn remove(db: &Db, id: i64, by: i64, reason: &str, now: i64) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT recipient_id, points, removed_at FROM kudos WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let (recipient, given, removed) = row.ok_or(AppError::NotFound)?;
    if removed.is_some() {
        return Err(AppError::Conflict(T::ErrKudosRemoved));
    }
    sqlx::query(
        "UPDATE kudos SET removed_at = $1, removed_by = $2, removed_reason = $3 \
         WHERE id = $4 AND removed_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let mut facts = vec![Fact::KudosChanged];
    if given > 0 && points::reverse(&mut tx, &key::kudos(id), now).await? {
        facts.push(Fact::PointsPaid {
            person: recipient,
            points: -given,
            reason: Reason::Reversal,
            source: key::reversal(&key::kudos(id)),
        });
    }
    tracing::info!(target: "sprida::kudos", by, id, "thank-you removed");
    Changed::quiet(()).and_all(facts).commit(tx).await
}
