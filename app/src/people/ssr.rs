use std::collections::HashMap;

use sqlx::AnyConnection;

use super::csv_import::{self, CsvPerson};
use super::{
    Group, GroupKind, GroupRef, ImportReport, Invitation, PersonInput, PersonRow, RowError,
    TeamMember,
};
use crate::auth::ssr::create_invite;
use crate::base::change::{Changed, Fact};
use crate::base::db::{now_ms, replace_rows, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::session::Role;
use crate::base::state::AppState;

/// A group as read from `org_groups` (for every feature that lists some).
#[derive(sqlx::FromRow)]
pub(crate) struct GroupRow {
    id: i64,
    kind: String,
    name: String,
    /// Only where the query counts them.
    #[sqlx(default)]
    members: i64,
}

impl GroupRow {
    pub(crate) fn group_ref(self) -> GroupRef {
        GroupRef {
            id: self.id,
            kind: GroupKind::parse(&self.kind).unwrap_or(GroupKind::Team),
            name: self.name,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PersonListRow {
    id: i64,
    email: String,
    name: String,
    title: String,
    active: i64,
    invited: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    name: String,
    title: String,
    motivations: String,
    group_name: String,
}

pub async fn groups_of(db: &Db, person_id: i64) -> AppResult<Vec<GroupRef>> {
    let rows: Vec<GroupRow> = sqlx::query_as(
        "SELECT g.id, g.kind, g.name FROM org_groups g JOIN group_members m ON m.group_id = g.id \
         WHERE m.person_id = $1 ORDER BY g.kind, g.name",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(GroupRow::group_ref).collect())
}

pub async fn list_groups(db: &Db) -> AppResult<Vec<Group>> {
    let rows: Vec<GroupRow> = sqlx::query_as(
        "SELECT g.id, g.kind, g.name, \
           (SELECT COUNT(*) FROM group_members m JOIN people p ON p.id = m.person_id \
             WHERE m.group_id = g.id AND p.active = 1) AS members \
         FROM org_groups g ORDER BY g.kind, g.name",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let members = row.members;
            let r = row.group_ref();
            Group {
                id: r.id,
                kind: r.kind,
                name: r.name,
                members,
            }
        })
        .collect())
}

pub async fn list_people(db: &Db) -> AppResult<Vec<PersonRow>> {
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    let role_rows: Vec<(i64, String)> = sqlx::query_as("SELECT person_id, role FROM person_roles")
        .fetch_all(db)
        .await?;
    for (person, role) in role_rows {
        if let Some(role) = Role::parse(&role) {
            roles.entry(person).or_default().push(role);
        }
    }
    let mut groups: HashMap<i64, Vec<i64>> = HashMap::new();
    let member_rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT person_id, group_id FROM group_members")
            .fetch_all(db)
            .await?;
    for (person, group) in member_rows {
        groups.entry(person).or_default().push(group);
    }
    let people: Vec<PersonListRow> = sqlx::query_as(
        "SELECT id, email, name, title, active, CASE WHEN password_hash IS NULL THEN 1 ELSE 0 END AS invited \
         FROM people ORDER BY name, id",
    )
    .fetch_all(db)
    .await?;
    Ok(people
        .into_iter()
        .map(|row| {
            let mut person_roles = roles.remove(&row.id).unwrap_or_default();
            person_roles.sort();
            let mut group_ids = groups.remove(&row.id).unwrap_or_default();
            group_ids.sort_unstable();
            PersonRow {
                id: row.id,
                email: row.email,
                name: row.name,
                title: row.title,
                roles: person_roles,
                group_ids,
                active: row.active == 1,
                invited: row.invited == 1,
            }
        })
        .collect())
}

async fn email_taken(
    conn: &mut AnyConnection,
    email: &str,
    except: Option<i64>,
) -> AppResult<bool> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(id.is_some_and(|id| Some(id) != except))
}

async fn check_groups(conn: &mut AnyConnection, group_ids: &[i64]) -> AppResult<()> {
    for id in group_ids {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM org_groups WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(AppError::Invalid(T::ErrGroupUnknown));
        }
    }
    Ok(())
}

async fn set_roles_and_groups(
    conn: &mut AnyConnection,
    person_id: i64,
    roles: &[Role],
    group_ids: &[i64],
) -> AppResult<()> {
    let codes: Vec<String> = roles.iter().map(|r| r.code().to_string()).collect();
    replace_rows(
        conn,
        ("person_roles", "person_id", "role"),
        person_id,
        codes,
    )
    .await?;
    replace_rows(
        conn,
        ("group_members", "person_id", "group_id"),
        person_id,
        group_ids,
    )
    .await?;
    Ok(())
}

/// Inserts a person without a password; they choose one through an invitation.
pub async fn insert_person(
    conn: &mut AnyConnection,
    email: &str,
    name: &str,
    title: &str,
    roles: &[Role],
    group_ids: &[i64],
) -> AppResult<i64> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (email, name, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(title)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    set_roles_and_groups(conn, id, roles, group_ids).await?;
    Ok(id)
}

pub async fn create_person(state: &AppState, person: &PersonInput) -> AppResult<Invitation> {
    let mut tx = state.db.begin().await?;
    if email_taken(&mut tx, &person.email, None).await? {
        return Err(AppError::Conflict(T::ErrEmailTaken));
    }
    check_groups(&mut tx, &person.group_ids).await?;
    let id = insert_person(
        &mut tx,
        &person.email,
        &person.name,
        &person.title,
        &person.roles,
        &person.group_ids,
    )
    .await?;
    let url = create_invite(&mut tx, &state.config.base_url, id).await?;
    tx.commit().await?;
    Ok(Invitation {
        person_id: id,
        name: person.name.clone(),
        email: person.email.clone(),
        url,
    })
}

pub async fn update_person(db: &Db, id: i64, person: &PersonInput) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    if email_taken(&mut tx, &person.email, Some(id)).await? {
        return Err(AppError::Conflict(T::ErrEmailTaken));
    }
    check_groups(&mut tx, &person.group_ids).await?;
    let changed = sqlx::query(
        "UPDATE people SET email = $1, name = $2, title = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&person.email)
    .bind(&person.name)
    .bind(&person.title)
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    set_roles_and_groups(&mut tx, id, &person.roles, &person.group_ids).await?;
    tx.commit().await?;
    Ok(Changed::new((), Fact::PersonChanged { person: id }))
}

pub async fn new_invitation(state: &AppState, id: i64) -> AppResult<Invitation> {
    let (name, email): (String, String) =
        sqlx::query_as("SELECT name, email FROM people WHERE id = $1 AND active = 1")
            .bind(id)
            .fetch_optional(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let url = create_invite(&mut tx, &state.config.base_url, id).await?;
    tx.commit().await?;
    Ok(Invitation {
        person_id: id,
        name,
        email,
        url,
    })
}

/// The id of the group of `kind` named `name`, created if missing.
pub async fn ensure_group(
    conn: &mut AnyConnection,
    cache: &mut HashMap<(GroupKind, String), i64>,
    kind: GroupKind,
    name: &str,
) -> AppResult<i64> {
    let key = (kind, name.to_string());
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM org_groups WHERE kind = $1 AND name = $2")
            .bind(kind.code())
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
    let id =
        match existing {
            Some(id) => id,
            None => sqlx::query_scalar(
                "INSERT INTO org_groups (kind, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(kind.code())
            .bind(name)
            .bind(now_ms())
            .fetch_one(&mut *conn)
            .await?,
        };
    cache.insert(key, id);
    Ok(id)
}

/// Imports every good row in one transaction: either all of them land with
/// their roles, groups and invitations, or (on a database failure) none do.
pub async fn import_people(state: &AppState, text: &str) -> AppResult<ImportReport> {
    let (people, parse_errors) = csv_import::parse(text).map_err(|t| match t {
        T::ErrCsvTooLarge => AppError::TooLarge(t),
        t => AppError::Invalid(t),
    })?;
    let mut errors: Vec<RowError> = parse_errors
        .into_iter()
        .map(|e| RowError {
            row: e.row,
            email: e.email,
            error: e.error,
        })
        .collect();
    let mut tx = state.db.begin().await?;
    let mut cache = HashMap::new();
    let mut created = Vec::new();
    for CsvPerson {
        row,
        email,
        name,
        title,
        department,
        team,
        office,
        roles,
    } in people
    {
        if email_taken(&mut tx, &email, None).await? {
            errors.push(RowError {
                row,
                email,
                error: T::ErrEmailTaken,
            });
            continue;
        }
        let mut group_ids = Vec::new();
        for (kind, group) in [
            (GroupKind::Department, &department),
            (GroupKind::Team, &team),
            (GroupKind::Office, &office),
        ] {
            if !group.is_empty() {
                group_ids.push(ensure_group(&mut tx, &mut cache, kind, group).await?);
            }
        }
        let id = insert_person(&mut tx, &email, &name, &title, &roles, &group_ids).await?;
        let url = create_invite(&mut tx, &state.config.base_url, id).await?;
        created.push(Invitation {
            person_id: id,
            name,
            email,
            url,
        });
    }
    tx.commit().await?;
    errors.sort_by_key(|e| e.row);
    Ok(ImportReport { created, errors })
}

fn unique_violation(err: sqlx::Error) -> AppError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::Conflict(T::ErrGroupExists)
        }
        _ => AppError::from(err),
    }
}

pub async fn create_group(db: &Db, kind: GroupKind, name: &str) -> AppResult<()> {
    sqlx::query("INSERT INTO org_groups (kind, name, created_at) VALUES ($1, $2, $3)")
        .bind(kind.code())
        .bind(name)
        .bind(now_ms())
        .execute(db)
        .await
        .map_err(unique_violation)?;
    Ok(())
}

pub async fn rename_group(db: &Db, id: i64, name: &str) -> AppResult<Changed<()>> {
    let changed = sqlx::query("UPDATE org_groups SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(db)
        .await
        .map_err(unique_violation)?
        .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Changed::new((), Fact::GroupsChanged))
}

pub async fn delete_group(db: &Db, id: i64) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM group_members WHERE group_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let changed = sqlx::query("DELETE FROM org_groups WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(Changed::new((), Fact::GroupsChanged))
}

/// Everyone active who shares a group with the manager, the manager excluded.
pub async fn team_of(db: &Db, manager_id: i64) -> AppResult<Vec<TeamMember>> {
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT p.id, p.name, p.title, p.motivations, g.name AS group_name \
         FROM group_members mine \
         JOIN group_members theirs ON theirs.group_id = mine.group_id \
         JOIN people p ON p.id = theirs.person_id \
         JOIN org_groups g ON g.id = mine.group_id \
         WHERE mine.person_id = $1 AND p.id <> $1 AND p.active = 1 \
         ORDER BY p.name, p.id, g.name",
    )
    .bind(manager_id)
    .fetch_all(db)
    .await?;
    let mut team: Vec<TeamMember> = Vec::new();
    for row in rows {
        match team.last_mut() {
            Some(last) if last.id == row.id => last.groups.push(row.group_name),
            _ => team.push(TeamMember {
                id: row.id,
                name: row.name,
                title: row.title,
                // Seen by the people who manage them, so recognition fits.
                motivations: super::motivation::decode(&row.motivations),
                groups: vec![row.group_name],
            }),
        }
    }
    Ok(team)
}
