//! The optional monthly reward budget, in a currency: what the month's
//! approved rewards cost, what the waiting ones would add, and a warning
//! before an approval takes the month over (it warns; it does not refuse,
//! the administrator decides).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;

pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// What an administrator sets (kept in `settings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetSettings {
    /// None: no budget.
    pub monthly: Option<i64>,
    /// An ISO 4217 code, e.g. "SEK".
    pub currency: String,
}

impl Default for BudgetSettings {
    fn default() -> Self {
        BudgetSettings {
            monthly: None,
            currency: "SEK".into(),
        }
    }
}

impl BudgetSettings {
    pub fn validate(&self) -> Result<BudgetSettings, T> {
        let currency = self.currency.trim().to_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(T::ErrCurrency);
        }
        if self.monthly.is_some_and(|m| !(0..=MAX_AMOUNT).contains(&m)) {
            return Err(T::ErrRewardCost);
        }
        Ok(BudgetSettings {
            monthly: self.monthly,
            currency,
        })
    }
}

/// The month so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BudgetView {
    pub budget: BudgetSettings,
    /// The cost of requests approved this month (and not declined since).
    pub spent: i64,
    /// The cost of requests waiting for approval.
    pub waiting: i64,
}

impl BudgetView {
    /// By how much approving something costing `cost` would exceed the
    /// month's budget (None: it fits, or there is no budget).
    pub fn over_by(&self, cost: i64) -> Option<i64> {
        let monthly = self.budget.monthly?;
        let after = self.spent + cost;
        (after > monthly).then_some(after - monthly)
    }
}

#[server(prefix = "/api", endpoint = "reward_budget")]
pub async fn reward_budget() -> Result<BudgetView, AppError> {
    crate::base::session::ssr::require_any(super::FULFILLERS)?;
    let state = crate::base::state::app_state()?;
    super::ssr::budget_view(&state.db, crate::base::db::now_ms()).await
}

#[server(prefix = "/api", endpoint = "save_reward_budget", input = server_fn::codec::Json)]
pub async fn save_reward_budget(budget: BudgetSettings) -> Result<(), AppError> {
    let me = crate::base::session::ssr::require_any(super::FULFILLERS)?;
    let budget = budget.validate().map_err(AppError::Invalid)?;
    let state = crate::base::state::app_state()?;
    super::ssr::save_budget(&state.db, &budget).await?;
    tracing::info!(target: "sprida::rewards", by = me.id, ?budget, "reward budget saved");
    crate::base::change::Changed::new((), crate::base::change::Fact::RewardsChanged)
        .publish(&state);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_warns_before_the_month_is_exceeded() {
        let view = BudgetView {
            budget: BudgetSettings {
                monthly: Some(1_000),
                currency: "SEK".into(),
            },
            spent: 800,
            waiting: 500,
        };
        assert_eq!(view.over_by(200), None);
        assert_eq!(view.over_by(300), Some(100));
        assert_eq!(BudgetView::default().over_by(1_000_000), None);
        let bad = BudgetSettings {
            monthly: Some(5),
            currency: "kronor".into(),
        };
        assert_eq!(bad.validate(), Err(T::ErrCurrency));
        let ok = BudgetSettings {
            monthly: Some(5),
            currency: " eur ".into(),
        };
        assert_eq!(ok.validate().unwrap().currency, "EUR");
    }
}
