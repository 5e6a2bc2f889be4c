use super::{NetworkAudience, Profile, ProfileUpdate};
use crate::auth::ssr::{hash_password, verify_password};
use crate::base::change::{Changed, Fact};
use crate::base::db::{now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::{Lang, T};
use crate::base::session::ssr::load_roles;
use crate::base::state::AppState;
use crate::networks::Network;
use crate::people::ssr::groups_of;

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: i64,
    email: String,
    name: String,
    title: String,
    language: String,
}

pub async fn load_profile(db: &Db, person_id: i64) -> AppResult<Profile> {
    let row: ProfileRow =
        sqlx::query_as("SELECT id, email, name, title, language FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(db)
            .await?
            .ok_or(AppError::NotFound)?;
    let accounts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT network, audience FROM social_accounts WHERE person_id = $1 ORDER BY network",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?;
    // A network this version does not know (from a newer one) is left out.
    let networks = accounts
        .into_iter()
        .filter_map(|(network, audience)| {
            Some(NetworkAudience {
                network: Network::parse(&network)?,
                audience,
            })
        })
        .collect();
    Ok(Profile {
        id: row.id,
        email: row.email,
        name: row.name,
        title: row.title,
        language: Lang::parse(&row.language),
        roles: load_roles(db, person_id).await?,
        groups: groups_of(db, person_id).await?,
        networks,
    })
}

pub async fn save_profile(
    db: &Db,
    person_id: i64,
    update: &ProfileUpdate,
) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE people SET name = $1, title = $2, language = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&update.name)
    .bind(&update.title)
    .bind(&update.language)
    .bind(now_ms())
    .bind(person_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM social_accounts WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    for n in &update.networks {
        sqlx::query(
            "INSERT INTO social_accounts (person_id, network, audience) VALUES ($1, $2, $3)",
        )
        .bind(person_id)
        .bind(n.network.code())
        .bind(n.audience)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Changed::new((), Fact::PersonChanged { person: person_id }))
}

/// Changes the password and ends every other session of the person: whoever
/// knew the old password is out.
pub async fn change_password(
    state: &AppState,
    person_id: i64,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> AppResult<()> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM people WHERE id = $1")
        .bind(person_id)
        .fetch_optional(&state.db)
        .await?
        .flatten();
    // A session left open on a shared computer must not become a way to
    // guess the password: attempts are limited as sign-ins are.
    use crate::auth::rate_limit::{attempt, succeeded, LIMITS};
    let keys = vec![(format!("c:{person_id}"), LIMITS.per_pair)];
    let (tried, wait) = attempt(&state.db, LIMITS.window, keys, now_ms()).await?;
    if let Some(wait) = wait {
        return Err(AppError::RateLimited(wait.as_secs().max(1)));
    }
    if !verify_password(current, hash).await {
        return Err(AppError::Invalid(T::ErrWrongPassword));
    }
    succeeded(&state.db, &tried).await?;
    let new_hash = hash_password(new).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE people SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&new_hash)
        .bind(now_ms())
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    crate::base::session::ssr::end_sessions(&mut *tx, person_id, keep_session).await?;
    tx.commit().await?;
    Ok(())
}
