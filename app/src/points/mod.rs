//! Points: the rules an admin sets and what an event earns under them. The
//! ledger that records what was paid is `base::ledger`.

#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;

pub use ui::PointRulesPage;

/// Upper bound for any one rule, so a typo cannot hand out millions.
pub const MAX_RULE: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointRules {
    pub per_share: i64,
    pub per_qualified_click: i64,
    /// Extra for a share whose text the person wrote in their own words.
    pub personalised_bonus: i64,
    /// At most this many click points per share and UTC day, so that one
    /// viral post (or a big network) does not drown everyone else.
    pub daily_click_cap_per_share: i64,
    /// For the author of an employee-written post, once, when it is approved.
    #[serde(default = "default_per_approved_post")]
    pub per_approved_post: i64,
}

fn default_per_approved_post() -> i64 {
    50
}

impl Default for PointRules {
    fn default() -> Self {
        Self {
            per_share: 10,
            per_qualified_click: 2,
            personalised_bonus: 5,
            daily_click_cap_per_share: 40,
            per_approved_post: default_per_approved_post(),
        }
    }
}

/// Points for one more qualified click on a share that has already earned
/// `paid_today` click points today: never more than the cap leaves.
pub fn click_points(rules: &PointRules, paid_today: i64) -> i64 {
    let room = (rules.daily_click_cap_per_share - paid_today).max(0);
    rules.per_qualified_click.clamp(0, room)
}

impl PointRules {
    pub fn validate(self) -> Result<Self, AppError> {
        let all = [
            self.per_share,
            self.per_qualified_click,
            self.personalised_bonus,
            self.daily_click_cap_per_share,
            self.per_approved_post,
        ];
        if all.iter().all(|v| (0..=MAX_RULE).contains(v)) {
            Ok(self)
        } else {
            Err(AppError::Invalid(T::ErrPointRule))
        }
    }
}

/// The words of a text, lower-cased, without punctuation.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether the person made the suggested text their own: at least three
/// words of theirs, or a fifth of their text in their own words. Case,
/// punctuation and spacing edits do not count, and neither does cutting the
/// suggestion short: rehearsed identical copies are what the product wants
/// to discourage, and a shortened copy is still one.
pub fn is_personalised(suggested: &str, shared: &str) -> bool {
    let suggested = words(suggested);
    let shared = words(shared);
    let new_words = shared.iter().filter(|w| !suggested.contains(w)).count();
    new_words >= 3 || (new_words > 0 && new_words * 5 >= shared.len())
}

#[server(prefix = "/api", endpoint = "get_point_rules")]
pub async fn get_point_rules() -> Result<PointRules, AppError> {
    crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::load_rules(&state.db).await
}

#[server(prefix = "/api", endpoint = "save_point_rules", input = server_fn::codec::Json)]
pub async fn save_point_rules(rules: PointRules) -> Result<PointRules, AppError> {
    crate::base::session::ssr::require_any(&[crate::base::session::Role::Admin])?;
    let rules = rules.validate()?;
    let state = crate::base::state::app_state()?;
    ssr::save_rules(&state.db, &rules).await?;
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults the README promises (a share is paid, and its bonus,
    /// as two ledger entries with their own keys: see hub::ssr).
    #[test]
    fn the_default_rules_are_the_documented_ones() {
        let rules = PointRules::default();
        assert_eq!(
            (
                rules.per_share,
                rules.personalised_bonus,
                rules.per_qualified_click
            ),
            (10, 5, 2)
        );
        assert_eq!(
            (rules.daily_click_cap_per_share, rules.per_approved_post),
            (40, 50)
        );
    }

    #[test]
    fn click_points_stop_at_the_daily_cap() {
        let rules = PointRules {
            per_qualified_click: 3,
            daily_click_cap_per_share: 10,
            ..Default::default()
        };
        assert_eq!(click_points(&rules, 0), 3);
        assert_eq!(click_points(&rules, 6), 3);
        assert_eq!(click_points(&rules, 9), 1);
        assert_eq!(click_points(&rules, 10), 0);
        assert_eq!(click_points(&rules, 25), 0);
        let off = PointRules {
            per_qualified_click: 0,
            ..rules
        };
        assert_eq!(click_points(&off, 0), 0);
    }

    #[test]
    fn personalisation_needs_real_words() {
        let suggested = "We are opening a new office in Göteborg this autumn. Come and see us!";
        assert!(!is_personalised(suggested, suggested));
        assert!(!is_personalised(suggested, &suggested.to_uppercase()));
        assert!(!is_personalised(
            suggested,
            "We are opening a new office in Göteborg this autumn!! Come and see us"
        ));
        assert!(!is_personalised(suggested, ""));
        assert!(!is_personalised(suggested, "New office in Göteborg!"));
        assert!(is_personalised("Big news!", "Big news, friends!"));
        assert!(is_personalised(
            suggested,
            &format!("So happy that my team moves in: {suggested}")
        ));
        assert!(is_personalised(
            suggested,
            "Our new Göteborg office opens this autumn, and I will be working there."
        ));
    }

    #[test]
    fn rules_must_be_within_bounds() {
        assert!(PointRules::default().validate().is_ok());
        let negative = PointRules {
            per_share: -1,
            ..Default::default()
        };
        assert_eq!(negative.validate(), Err(AppError::Invalid(T::ErrPointRule)));
        let huge = PointRules {
            daily_click_cap_per_share: MAX_RULE + 1,
            ..Default::default()
        };
        assert!(huge.validate().is_err());
    }
}
