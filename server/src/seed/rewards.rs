//! The demo's rewards: a catalogue made through the app's own functions
//! (validated and saved as an administrator would), and, with the history,
//! a few requests in each state, redeemed and moved as people would.

use app::base::db::now_ms;
use app::base::error::{AppError, AppResult};
use app::base::state::AppState;
use app::people::motivation::Motivation;
use app::rewards::ssr::{add_vouchers, move_request, redeem, request_key, save, Actor};
use app::rewards::{
    validate, DeliveryField, FieldKind, Fulfilment, LimitPeriod, RewardInput, Status,
};

const DAY_MS: i64 = 86_400_000;

fn reward(name: &str, description: &str, category: Motivation, price: i64) -> RewardInput {
    RewardInput::new(name, description, category, price)
}

/// The catalogue, by the demo administrator.
pub async fn catalogue(state: &AppState, admin: i64) -> AppResult<()> {
    let now = now_ms();
    let cinema = RewardInput {
        fulfilment: Fulfilment::Voucher,
        per_person: Some(2),
        ..reward(
            "Cinema tickets for two",
            "Two tickets for any film, any day, at a cinema near you.",
            Motivation::Experiences,
            150,
        )
    };
    let course = reward(
        "An online course of your choice",
        "Up to 2 000 kr: a course that helps you in your work or your career.",
        Motivation::Training,
        600,
    );
    let afternoon = RewardInput {
        per_person: Some(1),
        limit_period: LimitPeriod::Quarter,
        ..reward(
            "An afternoon off",
            "Leave at noon one day, agreed with your manager.",
            Motivation::TimeOff,
            400,
        )
    };
    let hoodie = RewardInput {
        fulfilment: Fulfilment::Delivery,
        stock: Some(12),
        fields: vec![
            DeliveryField {
                label: "Size".into(),
                kind: FieldKind::Choice,
                required: true,
                choices: ["S", "M", "L", "XL"].map(String::from).to_vec(),
            },
            DeliveryField {
                label: "Deliver to (office or home address)".into(),
                kind: FieldKind::Address,
                required: true,
                choices: Vec::new(),
            },
        ],
        ..reward(
            "Company hoodie",
            "Organic cotton, with the logo small on the chest.",
            Motivation::Things,
            250,
        )
    };
    let charity = RewardInput {
        needs_approval: false,
        ..reward(
            "A gift to charity",
            "100 kr to a charity you choose, in your name.",
            Motivation::Charity,
            100,
        )
    };
    for input in [cinema, course, afternoon, hoodie, charity] {
        let input = validate(&input)?;
        let id = save(&state.db, None, &input, admin, now)
            .await?
            .publish(state);
        if input.fulfilment == Fulfilment::Voucher {
            let codes: Vec<String> = (1..=12).map(|n| format!("DEMO-CINEMA-{n:04}")).collect();
            add_vouchers(&state.db, id, &codes, now)
                .await?
                .publish(state);
        }
    }
    Ok(())
}

/// A few requests, as the history's people made them: one approved with its
/// code, one waiting long enough to be marked, one given to charity.
pub async fn requests(state: &AppState, people: &[i64], admin: i64) -> AppResult<()> {
    let now = now_ms();
    let rewards: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM rewards ORDER BY id")
        .fetch_all(&state.db)
        .await?;
    let by_name = |name: &str| rewards.iter().find(|(_, n)| n == name).map(|(id, _)| *id);
    let plan = [
        (
            3,
            "Cinema tickets for two",
            20,
            vec![],
            Some(Status::Approved),
        ),
        (
            5,
            "Company hoodie",
            9,
            vec!["M".to_string(), "Kungsgatan 12, Stockholm".to_string()],
            None,
        ),
        (7, "A gift to charity", 4, vec![], None),
        (1, "Cinema tickets for two", 2, vec![], None),
    ];
    for (who, name, days_ago, answers, then) in plan {
        let (Some(&person), Some(reward)) = (people.get(who), by_name(name)) else {
            continue;
        };
        let at = now - days_ago * DAY_MS;
        let key = request_key(person, &format!("demo-request-{who}"))?;
        let made = match redeem(&state.db, person, reward, &key, &answers, at).await {
            Ok(made) => made.publish(state),
            // A demo person without enough points simply has no request.
            Err(AppError::Conflict(_)) => continue,
            Err(e) => return Err(e),
        };
        if let Some(to) = then {
            move_request(&state.db, made, to, "", Actor::admin(admin), at + DAY_MS)
                .await?
                .publish(state);
        }
    }
    Ok(())
}
