//! Recognition (issue 19): anyone thanks a colleague with a message and at
//! least one of the company's values, optionally with points from a monthly
//! allowance that can only be given; managers give more and make awards. A
//! wall shows the thanks (a private one only to the two and the recipient's
//! managers), the TV shows the public ones, and a manager sees who on the
//! team has not been thanked for a long time.

pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::{Lang, T};
use crate::people::motivation::Motivation;
pub use rules::{GiveInput, KudosRules};
pub use ui::{KudosAdminPage, RecognitionPage};

/// One of the company's values, named in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Value {
    pub id: i64,
    pub name_en: String,
    pub name_sv: String,
    pub about_en: String,
    pub about_sv: String,
    pub active: bool,
}

impl Value {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Sv => &self.name_sv,
        }
    }

    pub fn about(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.about_en,
            Lang::Sv => &self.about_sv,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueInput {
    pub name_en: String,
    pub name_sv: String,
    pub about_en: String,
    pub about_sv: String,
    pub active: bool,
}

/// Both names are needed (the wall is read in either language).
pub fn validate_value(input: &ValueInput) -> Result<ValueInput, AppError> {
    let name_en = input.name_en.trim().to_string();
    let name_sv = input.name_sv.trim().to_string();
    let about_en = input.about_en.trim().to_string();
    let about_sv = input.about_sv.trim().to_string();
    if name_en.is_empty() || name_sv.is_empty() {
        return Err(AppError::Invalid(T::ErrValueNames));
    }
    let long = |s: &str, max| s.chars().count() > max;
    if long(&name_en, rules::MAX_VALUE_NAME)
        || long(&name_sv, rules::MAX_VALUE_NAME)
        || long(&about_en, rules::MAX_VALUE_ABOUT)
        || long(&about_sv, rules::MAX_VALUE_ABOUT)
    {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    Ok(ValueInput {
        name_en,
        name_sv,
        about_en,
        about_sv,
        active: input.active,
    })
}

/// A thank-you as the wall shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kudos {
    pub id: i64,
    pub giver_id: i64,
    pub giver: String,
    pub recipient_id: i64,
    pub recipient: String,
    pub message: String,
    pub values: Vec<Value>,
    pub points: i64,
    pub private: bool,
    pub award: Option<String>,
    pub at: i64,
}

/// What the giver may still give this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Allowance {
    pub total: i64,
    pub given: i64,
    pub left: i64,
}

/// A team member and when they were last thanked (None: never).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiet {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub last: Option<i64>,
    pub motivations: Vec<Motivation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wall {
    pub kudos: Vec<Kudos>,
    /// The values one can thank for (active ones).
    pub values: Vec<Value>,
    pub allowance: Allowance,
    pub may_award: bool,
    /// The caller removes thanks (an administrator).
    pub may_remove: bool,
    /// For a manager: the team, least recently thanked first.
    pub team: Vec<Quiet>,
}

/// A colleague to thank, as the search finds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flagged {
    pub a: String,
    pub b: String,
    pub a_to_b: i64,
    pub b_to_a: i64,
}

/// A removed thank-you: the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub id: i64,
    pub giver: String,
    pub recipient: String,
    pub message: String,
    pub points: i64,
    pub by: String,
    pub at: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KudosOverview {
    pub values: Vec<Value>,
    pub rules: KudosRules,
    pub flagged: Vec<Flagged>,
    pub removed: Vec<Removed>,
}

pub const MAX_REASON: usize = 500;
/// Longest search text, and most colleagues a search returns.
pub const MAX_QUERY: usize = 80;
pub const FOUND: i64 = 8;

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::base::session::Me, AppError> {
    crate::base::session::ssr::require_any(&[crate::base::session::Role::Admin])
}

#[server(prefix = "/api", endpoint = "recognition_wall")]
pub async fn recognition_wall() -> Result<Wall, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::wall(&state.db, &me, crate::base::db::now_ms()).await
}

/// Active colleagues whose name matches, the caller left out.
#[server(prefix = "/api", endpoint = "find_colleagues")]
pub async fn find_colleagues(query: String) -> Result<Vec<Colleague>, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let query = query.trim();
    if query.chars().count() > MAX_QUERY {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    ssr::colleagues(&crate::base::state::app_state()?.db, me.id, query).await
}

/// Thanks a colleague. `key` names this thank-you (the form makes one):
/// a double click or a retry gives once.
#[server(prefix = "/api", endpoint = "give_kudos", input = server_fn::codec::Json)]
pub async fn give_kudos(input: GiveInput, key: String) -> Result<i64, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let input =
        rules::validate_give(me.id, ssr::is_manager(&me), &input).map_err(AppError::Invalid)?;
    let key = ssr::request_key(me.id, &key)?;
    let state = crate::base::state::app_state()?;
    let now = crate::base::db::now_ms();
    Ok(ssr::give(&state.db, &me, &input, &key, now)
        .await?
        .publish(&state))
}

#[server(prefix = "/api", endpoint = "kudos_admin")]
pub async fn kudos_admin() -> Result<KudosOverview, AppError> {
    admin()?;
    let state = crate::base::state::app_state()?;
    ssr::admin_view(&state.db, crate::base::db::now_ms()).await
}

#[server(prefix = "/api", endpoint = "save_kudos_value", input = server_fn::codec::Json)]
pub async fn save_kudos_value(id: Option<i64>, input: ValueInput) -> Result<i64, AppError> {
    admin()?;
    let input = validate_value(&input)?;
    let state = crate::base::state::app_state()?;
    Ok(
        ssr::save_value(&state.db, id, &input, crate::base::db::now_ms())
            .await?
            .publish(&state),
    )
}

#[server(prefix = "/api", endpoint = "save_kudos_rules", input = server_fn::codec::Json)]
pub async fn save_kudos_rules(rules: KudosRules) -> Result<(), AppError> {
    let me = admin()?;
    let rules = rules.validate().map_err(AppError::Invalid)?;
    let state = crate::base::state::app_state()?;
    ssr::save_rules(&state.db, &rules).await?;
    tracing::info!(target: "sprida::kudos", by = me.id, ?rules, "kudos rules saved");
    Ok(())
}

/// Removes a thank-you (its points are taken back); the reason is kept.
#[server(prefix = "/api", endpoint = "remove_kudos")]
pub async fn remove_kudos(id: i64, reason: String) -> Result<(), AppError> {
    let me = admin()?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::Invalid(T::ErrReasonRequired));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    let state = crate::base::state::app_state()?;
    ssr::remove(&state.db, id, me.id, &reason, crate::base::db::now_ms())
        .await?
        .publish(&state);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_needs_both_names() {
        let input = ValueInput {
            name_en: " Courage ".into(),
            name_sv: "Mod".into(),
            about_en: String::new(),
            about_sv: String::new(),
            active: true,
        };
        assert_eq!(validate_value(&input).unwrap().name_en, "Courage");
        let half = ValueInput {
            name_sv: " ".into(),
            ..input
        };
        assert_eq!(
            validate_value(&half),
            Err(AppError::Invalid(T::ErrValueNames))
        );
    }
}
