//! The demo's recognition: the company's values (saved as an administrator
//! would), and, with the history, thanks between colleagues given through
//! the app's own `give` (so the allowance, the cap and the ledger apply).

use app::base::change::Changed;
use app::base::error::{AppError, AppResult};
use app::base::session::ssr::load_me;
use app::base::state::AppState;
use app::kudos::rules::GiveInput;
use app::kudos::ssr::{give, request_key, save_value};
use app::kudos::{validate_value, ValueInput};

const DAY_MS: i64 = 86_400_000;

const VALUES: &[(&str, &str, &str, &str)] = &[
    (
        "Curiosity",
        "Nyfikenhet",
        "Asking why, and trying something new.",
        "Att fråga varför och pröva något nytt.",
    ),
    (
        "Helpfulness",
        "Hjälpsamhet",
        "Making a colleague's day easier.",
        "Att göra en kollegas dag lättare.",
    ),
    (
        "Courage",
        "Mod",
        "Saying what needs to be said, and owning it.",
        "Att säga det som behöver sägas, och stå för det.",
    ),
    (
        "Customer first",
        "Kunden först",
        "Seeing it through the customer's eyes.",
        "Att se det med kundens ögon.",
    ),
];

/// The values, marked as the demo's (`demo remove` takes unused ones away).
pub async fn values(state: &AppState) -> AppResult<Vec<i64>> {
    let mut ids = Vec::new();
    for (name_en, name_sv, about_en, about_sv) in VALUES {
        let input = validate_value(&ValueInput {
            name_en: (*name_en).into(),
            name_sv: (*name_sv).into(),
            about_en: (*about_en).into(),
            about_sv: (*about_sv).into(),
            active: true,
        })?;
        let saved = save_value(&state.db, None, &input, app::base::db::now_ms()).await?;
        let id = saved.publish(state);
        sqlx::query("UPDATE kudos_values SET seeded = 1 WHERE id = $1")
            .bind(id)
            .execute(&state.db)
            .await?;
        ids.push(id);
    }
    Ok(ids)
}

const MESSAGES: &[&str] = &[
    "Thanks for stepping in on the customer call, it saved the day.",
    "Your post about the new office got our best clicks this month!",
    "Thank you for reviewing my post so quickly.",
    "Great demo at the all-hands, clear and honest.",
    "Thanks for pairing with me on the release.",
];

/// A dozen thanks over the history's weeks, between demo colleagues.
pub async fn history(state: &AppState, people: &[i64], now: i64) -> AppResult<()> {
    let values: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM kudos_values WHERE seeded = 1 ORDER BY id")
            .fetch_all(&state.db)
            .await?;
    if values.is_empty() || people.len() < 3 {
        return Ok(());
    }
    for n in 0..12usize {
        let giver = people[(n * 7 + 3) % people.len()];
        let mut to = people[(n * 5 + 1) % people.len()];
        if to == giver {
            to = people[(n * 5 + 2) % people.len()];
        }
        let me = load_me(&state.db, giver).await?.ok_or(AppError::Internal)?;
        let input = GiveInput {
            to,
            message: MESSAGES[n % MESSAGES.len()].into(),
            values: vec![values[n % values.len()]],
            points: [0, 5, 10][n % 3],
            private: n % 6 == 5,
            award: String::new(),
        };
        let input =
            app::kudos::rules::validate_give(giver, false, &input).map_err(AppError::Invalid)?;
        // Every six days back, the oldest first.
        let at = now - (12 - n as i64) * 6 * DAY_MS;
        let key = request_key(giver, &format!("demo-kudos-{n:04}"))?;
        let given: Changed<i64> = give(&state.db, &me, &input, &key, at).await?;
        given.publish(state);
    }
    Ok(())
}
