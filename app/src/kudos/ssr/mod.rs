//! Thanks in the database. Giving and removing go through `give` and
//! `remove` alone (give.rs), with the points paid or taken back by the
//! ledger in the same transaction; what administrators see is in admin.rs.

mod admin;
mod give;

use std::collections::HashMap;

use sqlx::FromRow;

use super::rules::KudosRules;
use super::{Allowance, Colleague, Kudos, Quiet, Value, ValueInput, Wall};
use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::{AppError, AppResult};
use crate::base::ledger::Period;
use crate::base::session::{Me, Role};
pub use admin::{admin_view, home_notes};
pub use give::{give, remove};

const RULES_KEY: &str = "kudos_rules";
const WALL_LEN: i64 = 100;

/// Managers (and administrators) give from the larger allowance and make
/// awards.
pub fn is_manager(me: &Me) -> bool {
    me.has(Role::Manager) || me.has(Role::Admin)
}

pub fn request_key(person: i64, key: &str) -> AppResult<String> {
    crate::base::db::client_key("kudos", person, key)
}

pub async fn rules<'c, E>(exec: E) -> AppResult<KudosRules>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    crate::base::db::setting(exec, RULES_KEY).await
}

pub async fn save_rules(db: &Db, rules: &KudosRules) -> AppResult<()> {
    crate::base::db::save_setting(db, RULES_KEY, rules).await
}

#[derive(FromRow)]
struct ValueRow {
    id: i64,
    name_en: String,
    name_sv: String,
    about_en: String,
    about_sv: String,
    active: i64,
}

impl From<ValueRow> for Value {
    fn from(r: ValueRow) -> Value {
        Value {
            id: r.id,
            name_en: r.name_en,
            name_sv: r.name_sv,
            about_en: r.about_en,
            about_sv: r.about_sv,
            active: r.active != 0,
        }
    }
}

const VALUE_COLUMNS: &str = "v.id, v.name_en, v.name_sv, v.about_en, v.about_sv, v.active";

pub async fn values(db: &Db, active_only: bool) -> AppResult<Vec<Value>> {
    let rows: Vec<ValueRow> = sqlx::query_as(&format!(
        "SELECT {VALUE_COLUMNS} FROM kudos_values v WHERE v.active = 1 OR $1 = 0 ORDER BY v.id"
    ))
    .bind(i64::from(active_only))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Value::from).collect())
}

pub async fn save_value(
    db: &Db,
    id: Option<i64>,
    v: &ValueInput,
    now: i64,
) -> AppResult<Changed<i64>> {
    let id = match id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE kudos_values SET name_en = $1, name_sv = $2, about_en = $3, \
                 about_sv = $4, active = $5 WHERE id = $6",
            )
            .bind(&v.name_en)
            .bind(&v.name_sv)
            .bind(&v.about_en)
            .bind(&v.about_sv)
            .bind(i64::from(v.active))
            .bind(id)
            .execute(db)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(AppError::NotFound);
            }
            id
        }
        None => sqlx::query_scalar(
            "INSERT INTO kudos_values (name_en, name_sv, about_en, about_sv, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&v.name_en)
        .bind(&v.name_sv)
        .bind(&v.about_en)
        .bind(&v.about_sv)
        .bind(i64::from(v.active))
        .bind(now)
        .fetch_one(db)
        .await?,
    };
    Ok(Changed::new(id, Fact::KudosChanged))
}

#[derive(FromRow)]
struct KudosRow {
    id: i64,
    giver_id: i64,
    giver: String,
    recipient_id: i64,
    recipient: String,
    message: String,
    points: i64,
    private: i64,
    award: Option<String>,
    created_at: i64,
}

const KUDOS_SELECT: &str = "SELECT k.id, k.giver_id, g.name AS giver, k.recipient_id, \
     r.name AS recipient, k.message, k.points, k.private, k.award, k.created_at \
     FROM kudos k JOIN people g ON g.id = k.giver_id JOIN people r ON r.id = k.recipient_id";

/// The rows, each with its values.
async fn with_values(db: &Db, rows: Vec<KudosRow>) -> AppResult<Vec<Kudos>> {
    let mut of: HashMap<i64, Vec<Value>> = HashMap::new();
    if !rows.is_empty() {
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        #[derive(FromRow)]
        struct Link {
            kudos_id: i64,
            #[sqlx(flatten)]
            value: ValueRow,
        }
        let links: Vec<Link> = sqlx::query_as(&format!(
            "SELECT kv.kudos_id, {VALUE_COLUMNS} FROM kudos_value_of kv \
             JOIN kudos_values v ON v.id = kv.value_id WHERE kv.kudos_id IN ({}) ORDER BY v.id",
            ids.join(", ")
        ))
        .fetch_all(db)
        .await?;
        for l in links {
            of.entry(l.kudos_id).or_default().push(l.value.into());
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| Kudos {
            values: of.remove(&r.id).unwrap_or_default(),
            id: r.id,
            giver_id: r.giver_id,
            giver: r.giver,
            recipient_id: r.recipient_id,
            recipient: r.recipient,
            message: r.message,
            points: r.points,
            private: r.private != 0,
            award: r.award,
            at: r.created_at,
        })
        .collect())
}

/// Points given by `person` since `since` (removed thanks included: the
/// allowance was used).
pub(super) async fn given_since<'c, E>(exec: E, person: i64, since: i64) -> AppResult<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM kudos \
         WHERE giver_id = $1 AND created_at >= $2",
    )
    .bind(person)
    .bind(since)
    .fetch_one(exec)
    .await?)
}

pub async fn allowance(db: &Db, me: &Me, now: i64) -> AppResult<Allowance> {
    let total = rules(db).await?.allowance_for(is_manager(me));
    let given = given_since(db, me.id, Period::Month.start(now)).await?;
    Ok(Allowance {
        total,
        given,
        left: (total - given).max(0),
    })
}

/// The wall as `me` may see it: public thanks, and private ones they gave,
/// got, or that reached someone they manage.
pub async fn wall(db: &Db, me: &Me, now: i64) -> AppResult<Wall> {
    let rows: Vec<KudosRow> = sqlx::query_as(&format!(
        "{KUDOS_SELECT} WHERE k.removed_at IS NULL AND (k.private = 0 OR k.giver_id = $1 \
         OR k.recipient_id = $1 OR ($2 = 1 AND EXISTS (SELECT 1 FROM group_members a \
         JOIN group_members b ON b.group_id = a.group_id \
         WHERE a.person_id = $1 AND b.person_id = k.recipient_id))) \
         ORDER BY k.created_at DESC, k.id DESC LIMIT {WALL_LEN}"
    ))
    .bind(me.id)
    .bind(i64::from(me.has(Role::Manager)))
    .fetch_all(db)
    .await?;
    let team = if me.has(Role::Manager) {
        quiet_team(db, me.id).await?
    } else {
        Vec::new()
    };
    Ok(Wall {
        kudos: with_values(db, rows).await?,
        values: values(db, true).await?,
        allowance: allowance(db, me, now).await?,
        may_award: is_manager(me),
        may_remove: me.has(Role::Admin),
        team,
    })
}

/// The manager's team, those thanked longest ago (or never) first.
async fn quiet_team(db: &Db, manager: i64) -> AppResult<Vec<Quiet>> {
    let team = crate::people::ssr::team_of(db, manager).await?;
    let last: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT k.recipient_id, MAX(k.created_at) FROM kudos k \
         JOIN group_members a ON a.person_id = $1 \
         JOIN group_members b ON b.group_id = a.group_id AND b.person_id = k.recipient_id \
         WHERE k.removed_at IS NULL GROUP BY k.recipient_id",
    )
    .bind(manager)
    .fetch_all(db)
    .await?
    .into_iter()
    .collect();
    let mut out: Vec<Quiet> = team
        .into_iter()
        .map(|m| Quiet {
            last: last.get(&m.id).copied(),
            id: m.id,
            name: m.name,
            title: m.title,
            motivations: m.motivations,
        })
        .collect();
    out.sort_by_key(|q| (q.last.unwrap_or(i64::MIN), q.name.clone()));
    Ok(out)
}

pub async fn colleagues(db: &Db, me: i64, query: &str) -> AppResult<Vec<Colleague>> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let escaped: String = query
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, name, title FROM people WHERE active = 1 AND id <> $1 \
         AND LOWER(name) LIKE $2 ESCAPE '\\' ORDER BY name, id LIMIT {}",
        super::FOUND
    ))
    .bind(me)
    .bind(format!("%{escaped}%"))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, title)| Colleague { id, name, title })
        .collect())
}

/// The latest public thanks between people on the boards (for the TV).
pub async fn recent_public(db: &Db, limit: i64) -> AppResult<Vec<Kudos>> {
    let rows: Vec<KudosRow> = sqlx::query_as(&format!(
        "{KUDOS_SELECT} WHERE k.removed_at IS NULL AND k.private = 0 \
         AND g.active = 1 AND g.on_boards = 1 AND r.active = 1 AND r.on_boards = 1 \
         ORDER BY k.created_at DESC, k.id DESC LIMIT {limit}"
    ))
    .fetch_all(db)
    .await?;
    with_values(db, rows).await
}
