//! Challenges (issue 19): administrators and managers set a period, people
//! or teams, a metric (qualified clicks, shares, approved posts, thanks
//! received), an optional content tag, a minimum and prizes (points and/or
//! a reward from the catalogue). Standings are live on `/challenges` and
//! the TV; when a challenge ends its winners are paid once, ties as ties.

pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::session::Role;
pub use rules::{ChallengeInput, Metric, Phase, Placing};
pub use ui::ChallengesPage;

/// Who creates and changes challenges.
pub const ORGANISERS: &[Role] = &[Role::Admin, Role::Manager];

/// A challenge as its page and the TV show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub id: i64,
    pub input: ChallengeInput,
    pub phase: Phase,
    /// The reward a winner gets, by name.
    pub prize_reward: Option<String>,
    pub standings: Vec<Placing>,
    /// Set once the winners were paid.
    pub paid: bool,
    /// The caller may change or remove it (an organiser, before payout).
    pub editable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenges {
    pub list: Vec<Challenge>,
    pub may_organise: bool,
    /// Rewards an organiser can offer as a prize: (id, name).
    pub rewards: Vec<(i64, String)>,
}

#[server(prefix = "/api", endpoint = "list_challenges")]
pub async fn list_challenges() -> Result<Challenges, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::list(&state.db, &me, crate::base::db::now_ms()).await
}

#[server(prefix = "/api", endpoint = "save_challenge", input = server_fn::codec::Json)]
pub async fn save_challenge(id: Option<i64>, input: ChallengeInput) -> Result<i64, AppError> {
    let me = crate::base::session::ssr::require_any(ORGANISERS)?;
    let now = crate::base::db::now_ms();
    let input = rules::validate(&input, now).map_err(AppError::Invalid)?;
    let state = crate::base::state::app_state()?;
    Ok(ssr::save(&state.db, id, &input, me.id, now)
        .await?
        .publish(&state))
}

/// Removes a challenge that has not paid out.
#[server(prefix = "/api", endpoint = "delete_challenge")]
pub async fn delete_challenge(id: i64) -> Result<(), AppError> {
    crate::base::session::ssr::require_any(ORGANISERS)?;
    let state = crate::base::state::app_state()?;
    ssr::delete(&state.db, id).await?.publish(&state);
    Ok(())
}
