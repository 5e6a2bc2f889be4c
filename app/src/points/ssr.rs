//! The stored rules (the ledger itself is `base::ledger`).

use crate::base::db::Db;
use crate::base::error::AppResult;

use super::PointRules;

pub const RULES_KEY: &str = "point_rules";

/// The admin's rules, or the defaults until an admin has saved some.
pub async fn load_rules<'c, E>(exec: E) -> AppResult<PointRules>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    crate::base::db::setting(exec, RULES_KEY).await
}

pub async fn save_rules(db: &Db, rules: &PointRules) -> AppResult<()> {
    crate::base::db::save_setting(db, RULES_KEY, rules).await
}
