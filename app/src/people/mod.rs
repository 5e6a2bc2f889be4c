//! People and groups: the admin's people list, invitations, CSV import,
//! groups, and a manager's view of their team.

#[cfg(feature = "ssr")]
pub mod csv_import;
pub mod motivation;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
use crate::base::session::Role;

pub use ui::{GroupsAdminPage, PeopleAdminPage, TeamPage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GroupKind {
    Department,
    Team,
    Office,
}

impl GroupKind {
    pub const ALL: [GroupKind; 3] = [GroupKind::Department, GroupKind::Team, GroupKind::Office];

    pub fn code(self) -> &'static str {
        match self {
            GroupKind::Department => "department",
            GroupKind::Team => "team",
            GroupKind::Office => "office",
        }
    }

    pub fn parse(code: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            GroupKind::Department => T::GroupKindDepartment,
            GroupKind::Team => T::GroupKindTeam,
            GroupKind::Office => T::GroupKindOffice,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    pub id: i64,
    pub kind: GroupKind,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: i64,
    pub kind: GroupKind,
    pub name: String,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub title: String,
    pub roles: Vec<Role>,
    pub group_ids: Vec<i64>,
    pub active: bool,
    /// Has not chosen a password yet.
    pub invited: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInput {
    pub email: String,
    pub name: String,
    pub title: String,
    pub roles: Vec<Role>,
    pub group_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line number in the file, the header being line 1.
    pub row: usize,
    pub email: String,
    pub error: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: Vec<Invitation>,
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub groups: Vec<String>,
    /// What motivates them, most first (their own choice in My profile).
    pub motivations: Vec<motivation::Motivation>,
}

pub const MAX_FIELD: usize = 120;

/// A deliberately plain check: one `@`, something before it, a dotted domain
/// after it, no spaces. Delivery is the real test; this catches typos.
pub fn valid_email(email: &str) -> bool {
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.contains(['<', '>', '"', ',', ';'])
}

/// Normalises and checks a person as an admin entered it.
pub fn validate_person(input: &PersonInput) -> Result<PersonInput, AppError> {
    let email = input.email.trim().to_lowercase();
    let name = input.name.trim().to_string();
    let title = input.title.trim().to_string();
    if !valid_email(&email) {
        return Err(AppError::Invalid(T::ErrEmailInvalid));
    }
    if name.is_empty() {
        return Err(AppError::Invalid(T::ErrNameRequired));
    }
    if name.chars().count() > MAX_FIELD || title.chars().count() > MAX_FIELD {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(AppError::Invalid(T::ErrNoRoles));
    }
    let mut group_ids = input.group_ids.clone();
    group_ids.sort_unstable();
    group_ids.dedup();
    Ok(PersonInput {
        email,
        name,
        title,
        roles,
        group_ids,
    })
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::base::session::Me, AppError> {
    crate::base::session::ssr::require_any(&[Role::Admin])
}

#[server(prefix = "/api", endpoint = "list_people")]
pub async fn list_people() -> Result<Vec<PersonRow>, AppError> {
    admin()?;
    ssr::list_people(&crate::base::state::app_state()?.db).await
}

#[server(prefix = "/api", endpoint = "list_groups")]
pub async fn list_groups() -> Result<Vec<Group>, AppError> {
    // Reviewers target content at groups.
    crate::base::session::ssr::require_any(&[Role::Admin, Role::Manager, Role::Reviewer])?;
    ssr::list_groups(&crate::base::state::app_state()?.db).await
}

#[server(prefix = "/api", endpoint = "create_person", input = server_fn::codec::Json)]
pub async fn create_person(person: PersonInput) -> Result<Invitation, AppError> {
    let me = admin()?;
    let person = validate_person(&person)?;
    let state = crate::base::state::app_state()?;
    let invitation = ssr::create_person(&state, &person).await?;
    tracing::info!(target: "sprida::people", by = me.id, person_id = invitation.person_id, "person created");
    Ok(invitation)
}

#[server(prefix = "/api", endpoint = "update_person", input = server_fn::codec::Json)]
pub async fn update_person(id: i64, person: PersonInput) -> Result<(), AppError> {
    let me = admin()?;
    let person = validate_person(&person)?;
    if id == me.id && !person.roles.contains(&Role::Admin) {
        return Err(AppError::Invalid(T::ErrSelfDemote));
    }
    let state = crate::base::state::app_state()?;
    // Names and teams show on the leaderboards.
    ssr::update_person(&state.db, id, &person)
        .await?
        .publish(&state);
    tracing::info!(target: "sprida::people", by = me.id, person_id = id, "person updated");
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_person_active")]
pub async fn set_person_active(id: i64, active: bool) -> Result<(), AppError> {
    let me = admin()?;
    if id == me.id && !active {
        return Err(AppError::Invalid(T::ErrSelfDeactivate));
    }
    let state = crate::base::state::app_state()?;
    // Only active people are on the leaderboards.
    crate::auth::ssr::set_active(&state.db, id, active)
        .await?
        .publish(&state);
    tracing::info!(target: "sprida::people", by = me.id, person_id = id, active, "person activation changed");
    Ok(())
}

#[server(prefix = "/api", endpoint = "new_invitation")]
pub async fn new_invitation(id: i64) -> Result<Invitation, AppError> {
    admin()?;
    let state = crate::base::state::app_state()?;
    ssr::new_invitation(&state, id).await
}

#[server(prefix = "/api", endpoint = "import_people")]
pub async fn import_people(csv: String) -> Result<ImportReport, AppError> {
    let me = admin()?;
    let state = crate::base::state::app_state()?;
    let report = ssr::import_people(&state, &csv).await?;
    tracing::info!(target: "sprida::people", by = me.id, created = report.created.len(), rejected = report.errors.len(), "CSV import");
    Ok(report)
}

#[server(prefix = "/api", endpoint = "create_group")]
pub async fn create_group(kind: String, name: String) -> Result<(), AppError> {
    admin()?;
    let kind = GroupKind::parse(&kind).ok_or(AppError::Invalid(T::ErrGroupUnknown))?;
    let name = valid_group_name(&name)?;
    ssr::create_group(&crate::base::state::app_state()?.db, kind, &name).await
}

#[server(prefix = "/api", endpoint = "rename_group")]
pub async fn rename_group(id: i64, name: String) -> Result<(), AppError> {
    admin()?;
    let name = valid_group_name(&name)?;
    let state = crate::base::state::app_state()?;
    ssr::rename_group(&state.db, id, &name)
        .await?
        .publish(&state);
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete_group")]
pub async fn delete_group(id: i64) -> Result<(), AppError> {
    admin()?;
    let state = crate::base::state::app_state()?;
    ssr::delete_group(&state.db, id).await?.publish(&state);
    Ok(())
}

#[server(prefix = "/api", endpoint = "my_team")]
pub async fn my_team() -> Result<Vec<TeamMember>, AppError> {
    let me = crate::base::session::ssr::require_any(&[Role::Manager, Role::Admin])?;
    ssr::team_of(&crate::base::state::app_state()?.db, me.id).await
}

pub fn valid_group_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        Err(AppError::Invalid(T::ErrNameRequired))
    } else if name.chars().count() > MAX_FIELD {
        Err(AppError::Invalid(T::ErrTooLong))
    } else {
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_check_catches_typos() {
        for ok in ["ann@example.com", "a.b+c@sub.example.se"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.se",
            "ann@localhost",
            "a b@x.se",
            "a@x..se",
            "a@b@x.se",
            "a@x.se.",
            "<a@x.se>",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn person_is_normalised() {
        let input = PersonInput {
            email: " Ann@Example.COM ".into(),
            name: " Ann ".into(),
            title: "".into(),
            roles: vec![Role::Admin, Role::Employee, Role::Admin],
            group_ids: vec![3, 1, 3],
        };
        let out = validate_person(&input).unwrap();
        assert_eq!(out.email, "ann@example.com");
        assert_eq!(out.name, "Ann");
        assert_eq!(out.roles, vec![Role::Employee, Role::Admin]);
        assert_eq!(out.group_ids, vec![1, 3]);
        let no_roles = PersonInput {
            roles: vec![],
            ..input
        };
        assert_eq!(
            validate_person(&no_roles),
            Err(AppError::Invalid(T::ErrNoRoles))
        );
    }
}
