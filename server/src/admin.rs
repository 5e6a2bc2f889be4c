//! What an operator does from the command line, and what a start checks:
//! the first administrator (`sprida admin create EMAIL`), the demo
//! organisation's removal (`sprida demo remove`), and the refusal to serve
//! the demo's published password on a public address.

use app::auth::ssr::{create_invite, normalize_email};
use app::base::db::Db;
use app::base::error::{AppError, AppResult};
use app::base::session::Role;
use app::base::state::AppState;
use app::people::ssr::insert_person;
use app::people::valid_email;

use crate::config::Config;

/// Active demo accounts that can sign in with the published password.
pub async fn demo_accounts(db: &Db) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT email FROM people WHERE is_demo = 1 AND active = 1 \
         AND password_hash IS NOT NULL ORDER BY id",
    )
    .fetch_all(db)
    .await?)
}

async fn active_admins(db: &Db) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM people p JOIN person_roles r ON r.person_id = p.id \
         WHERE r.role = $1 AND p.active = 1 AND p.is_demo = 0",
    )
    .bind(Role::Admin.code())
    .fetch_one(db)
    .await?)
}

/// Run on every start, after the demo seed (when asked for). Refuses an
/// https instance that still holds the demo accounts unless the demo was
/// asked for; warns while they exist; says how to make the first
/// administrator when there is none.
pub async fn check_on_start(config: &Config, state: &AppState) -> Result<(), String> {
    let db = &state.db;
    let demo = demo_accounts(db)
        .await
        .map_err(|e| format!("reading the people: {e:?}"))?;
    let base_url = &state.config.base_url;
    if !demo.is_empty() {
        if base_url.starts_with("https://") && !config.demo_asked() {
            return Err(format!(
                "this database holds the demo organisation, whose password is published \
                 (\"{}\"), and the base URL {base_url} is public. Remove it with \
                 `sprida demo remove` (same --data-dir or DATABASE_URL), or start with \
                 --demo true if this really is a demo.",
                crate::seed::DEMO_PASSWORD
            ));
        }
        tracing::warn!(
            accounts = demo.len(),
            "the demo organisation is in this database: anyone who knows its published \
             password can sign in. Remove it with `sprida demo remove` before real use."
        );
        crate::seed::print_demo_accounts(base_url, &demo);
    }
    let admins = active_admins(db)
        .await
        .map_err(|e| format!("reading the people: {e:?}"))?;
    if admins == 0 && demo.is_empty() {
        println!(
            "\n  NO ADMINISTRATOR YET\n  Create the first one with:\n    sprida admin create you@example.com --name \"Your Name\"\n  \
             (with the same --data-dir or DATABASE_URL as this server); it prints a one-time \
             link to {base_url}/invite/… where you choose your password.\n"
        );
    }
    Ok(())
}

/// What `admin create` did.
#[derive(Debug, PartialEq, Eq)]
pub struct AdminCreated {
    pub person_id: i64,
    pub new_person: bool,
    pub invite_url: String,
}

/// Makes `email` an administrator (and an employee), creating the person
/// when new, and returns a one-time invitation link (replacing any earlier
/// one) through which they set a password.
pub async fn create_admin(
    db: &Db,
    base_url: &str,
    email: &str,
    name: Option<&str>,
) -> AppResult<AdminCreated> {
    let email = normalize_email(email);
    if !valid_email(&email) {
        return Err(AppError::Invalid(app::base::i18n::T::ErrEmailInvalid));
    }
    let mut tx = db.begin().await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    let (person_id, new_person) = match existing {
        Some(id) => {
            for role in [Role::Employee, Role::Admin] {
                sqlx::query(
                    "INSERT INTO person_roles (person_id, role) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(role.code())
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE people SET active = 1, is_demo = 0 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (id, false)
        }
        None => {
            let name = name
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
            let roles = [Role::Employee, Role::Admin];
            (
                insert_person(&mut tx, &email, &name, "", &roles, &[]).await?,
                true,
            )
        }
    };
    let invite_url = create_invite(&mut tx, base_url, person_id).await?;
    tx.commit().await?;
    Ok(AdminCreated {
        person_id,
        new_person,
        invite_url,
    })
}

/// What `demo remove` removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoRemoved {
    pub people: u64,
    pub items: u64,
    pub groups: u64,
    pub rewards: u64,
    pub values: u64,
}

/// Deletes the demo people with everything they did (shares, links and
/// their clicks, points, comments), the items they or the seed made that
/// nobody else has a link to (the others stay, without an author), and the
/// demo's groups that are left empty. One transaction: all or nothing.
pub async fn remove_demo(db: &Db) -> AppResult<DemoRemoved> {
    const DEMO: &str = "SELECT id FROM people WHERE is_demo = 1";
    let mut tx = db.begin().await?;
    let groups: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT group_id FROM group_members WHERE person_id IN ({DEMO})"
    ))
    .fetch_all(&mut *tx)
    .await?;
    // Seeded items have no author; items made in the app always have one.
    let items: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM content_items WHERE created_by IS NULL OR created_by IN ({DEMO})"
    ))
    .fetch_all(&mut *tx)
    .await?;
    // The demo's rewards go once nobody else has asked for them.
    let rewards: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM rewards WHERE created_by IN ({DEMO})"
    ))
    .fetch_all(&mut *tx)
    .await?;
    // Group members first, while the people are active, so the groups'
    // totals lose their points (the totals triggers).
    sqlx::query(&format!(
        "DELETE FROM group_members WHERE person_id IN ({DEMO})"
    ))
    .execute(&mut *tx)
    .await?;
    app::base::ledger::ssr::forget_people(&mut tx, DEMO).await?;
    for statement in [
        format!(
            "DELETE FROM clicks WHERE code IN (SELECT code FROM tracked_links WHERE person_id IN ({DEMO}))"
        ),
        format!(
            "DELETE FROM click_days WHERE code IN (SELECT code FROM tracked_links WHERE person_id IN ({DEMO}))"
        ),
        format!("DELETE FROM shares WHERE person_id IN ({DEMO})"),
        format!("DELETE FROM tracked_links WHERE person_id IN ({DEMO})"),
        format!("DELETE FROM post_comments WHERE person_id IN ({DEMO})"),
        format!("UPDATE images SET created_by = NULL WHERE created_by IN ({DEMO})"),
        format!("UPDATE content_items SET created_by = NULL WHERE created_by IN ({DEMO})"),
        format!("UPDATE rewards SET created_by = NULL WHERE created_by IN ({DEMO})"),
        // The demo's challenge goes with it (a prize request went with its winner).
        format!("DELETE FROM challenges WHERE created_by IN ({DEMO})"),
    ] {
        sqlx::query(&statement).execute(&mut *tx).await?;
    }
    let mut removed = DemoRemoved::default();
    for item in items {
        let used: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM tracked_links WHERE item_id = $1",
        )
        .bind(item)
        .fetch_one(&mut *tx)
        .await?;
        if used == 0 {
            removed.items += sqlx::query("DELETE FROM content_items WHERE id = $1")
                .bind(item)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
    }
    removed.people = sqlx::query("DELETE FROM people WHERE is_demo = 1")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    // The demo people's requests went with them; a reward someone else
    // asked for stays.
    for reward in rewards {
        removed.rewards += sqlx::query(
            "DELETE FROM rewards WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM reward_requests WHERE reward_id = $1)",
        )
        .bind(reward)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    // The demo's values, unless thanks that stay were given for them.
    removed.values = sqlx::query(
        "DELETE FROM kudos_values WHERE seeded = 1 AND NOT EXISTS \
         (SELECT 1 FROM kudos_value_of v WHERE v.value_id = kudos_values.id)",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // The demo's pictures, once no item or reward shows them.
    sqlx::query(
        "DELETE FROM images WHERE created_by IS NULL AND NOT EXISTS \
         (SELECT 1 FROM content_items i WHERE i.image_id = images.id) AND NOT EXISTS \
         (SELECT 1 FROM rewards r WHERE r.image_id = images.id)",
    )
    .execute(&mut *tx)
    .await?;
    for group in groups {
        removed.groups += sqlx::query(
            "DELETE FROM org_groups WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM content_targets WHERE group_id = $1)",
        )
        .bind(group)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(removed)
}
