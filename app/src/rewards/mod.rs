//! Rewards (issue 19): a catalogue admins keep, redeemed with points held
//! at once through the ledger, fulfilled on a board. Voucher codes and
//! delivery details are the requester's (and admins') alone.

pub mod budget;
pub mod fields;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
use crate::base::session::Role;
use crate::people::motivation::Motivation;
pub use fields::{DeliveryField, FieldKind};
pub use rules::{LimitPeriod, Status};
pub use ui::{FulfilmentPage, RewardsAdminPage, RewardsPage};

pub const MAX_NAME: usize = 120;
pub const MAX_DESCRIPTION: usize = 2_000;
pub const MAX_PRICE: i64 = 1_000_000;
pub const MAX_NOTE: usize = 500;

/// How a reward reaches the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fulfilment {
    /// An admin arranges it.
    Manual,
    /// A code from the reward's pool, shown to the person on approval.
    Voucher,
    /// The person fills in the reward's delivery form.
    Delivery,
}

impl Fulfilment {
    pub const ALL: [Fulfilment; 3] = [
        Fulfilment::Manual,
        Fulfilment::Voucher,
        Fulfilment::Delivery,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Fulfilment::Manual => "manual",
            Fulfilment::Voucher => "voucher",
            Fulfilment::Delivery => "delivery",
        }
    }

    pub fn parse(code: &str) -> Option<Fulfilment> {
        Fulfilment::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Fulfilment::Manual => T::RewardByHand,
            Fulfilment::Voucher => T::RewardByVoucher,
            Fulfilment::Delivery => T::RewardByDelivery,
        }
    }
}

/// What an admin writes for a reward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardInput {
    pub name: String,
    pub description: String,
    pub image_id: Option<i64>,
    pub category: Motivation,
    pub price: i64,
    /// How many there are; None for no limit. Voucher rewards count codes.
    pub stock: Option<i64>,
    pub per_person: Option<i64>,
    pub limit_period: LimitPeriod,
    pub available_from: Option<i64>,
    pub available_until: Option<i64>,
    pub needs_approval: bool,
    pub fulfilment: Fulfilment,
    pub fields: Vec<DeliveryField>,
    /// Who may see and redeem it; empty for everyone.
    pub groups: Vec<i64>,
    pub active: bool,
    /// What one costs the company, in the budget's currency (whole units),
    /// for the monthly budget; None when not counted.
    #[serde(default)]
    pub cost: Option<i64>,
}

impl RewardInput {
    /// A reward offered to everyone, approved by hand, without limits.
    pub fn new(name: &str, description: &str, category: Motivation, price: i64) -> Self {
        RewardInput {
            name: name.into(),
            description: description.into(),
            image_id: None,
            category,
            price,
            stock: None,
            per_person: None,
            limit_period: LimitPeriod::Month,
            available_from: None,
            available_until: None,
            needs_approval: true,
            fulfilment: Fulfilment::Manual,
            fields: Vec::new(),
            groups: Vec::new(),
            active: true,
            cost: None,
        }
    }
}

/// The categories a reward can have: what motivates people, less the two
/// kinds of recognition (those are given, not redeemed).
pub const CATEGORIES: [Motivation; 7] = [
    Motivation::Training,
    Motivation::TimeOff,
    Motivation::Experiences,
    Motivation::Things,
    Motivation::Charity,
    Motivation::Certificate,
    Motivation::SignatureBadge,
];

/// Trims and checks a reward; shared by the server and the form.
pub fn validate(input: &RewardInput) -> Result<RewardInput, AppError> {
    let name = input.name.trim().to_string();
    let description = input.description.trim().to_string();
    if name.is_empty() {
        return Err(AppError::Invalid(T::ErrNameRequired));
    }
    if name.chars().count() > MAX_NAME || description.chars().count() > MAX_DESCRIPTION {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    if !CATEGORIES.contains(&input.category) {
        return Err(AppError::Invalid(T::ErrRewardCategory));
    }
    if !(1..=MAX_PRICE).contains(&input.price) {
        return Err(AppError::Invalid(T::ErrRewardPrice));
    }
    if input
        .cost
        .is_some_and(|c| !(0..=budget::MAX_AMOUNT).contains(&c))
    {
        return Err(AppError::Invalid(T::ErrRewardCost));
    }
    let counts = [input.stock, input.per_person];
    if counts
        .iter()
        .flatten()
        .any(|n| !(0..=MAX_PRICE).contains(n))
    {
        return Err(AppError::Invalid(T::ErrRewardCount));
    }
    if let (Some(from), Some(until)) = (input.available_from, input.available_until) {
        if until <= from {
            return Err(AppError::Invalid(T::ErrRewardDates));
        }
    }
    let fields = if input.fulfilment == Fulfilment::Delivery {
        fields::validate_fields(&input.fields)?
    } else {
        Vec::new()
    };
    let mut groups = input.groups.clone();
    groups.sort_unstable();
    groups.dedup();
    Ok(RewardInput {
        name,
        description,
        fields,
        groups,
        // A pool's codes are its stock.
        stock: if input.fulfilment == Fulfilment::Voucher {
            None
        } else {
            input.stock
        },
        ..input.clone()
    })
}

/// A reward as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardAdmin {
    pub id: i64,
    pub input: RewardInput,
    /// Voucher codes not yet handed out (voucher rewards).
    pub codes_left: i64,
    /// Requests not declined or cancelled.
    pub requested: i64,
}

/// One reward in a person's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub image_id: Option<i64>,
    pub category: Motivation,
    pub price: i64,
    /// What is left, when there is a limit.
    pub left: Option<i64>,
    pub needs_approval: bool,
    pub fulfilment: Fulfilment,
    pub fields: Vec<DeliveryField>,
    /// Why it cannot be redeemed now (sold out, limit reached, …), if so.
    pub refusal: Option<T>,
    pub points_to_go: i64,
    /// In a category the person said motivates them.
    pub matches: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub spendable: i64,
    pub lifetime: i64,
    pub held: i64,
    /// What motivates them first, then the cheaper first.
    pub offers: Vec<Offer>,
}

/// One request, as its requester or an admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: i64,
    pub reward_id: i64,
    pub reward: String,
    pub person: String,
    pub points: i64,
    /// What the reward costs the company (the budget), if counted.
    pub cost: Option<i64>,
    pub status: Status,
    /// The delivery form's answers, label by label.
    pub answers: Vec<(String, String)>,
    /// Shown once approved, to the requester and admins only.
    pub voucher: Option<String>,
    /// Why it was declined or cancelled.
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub log: Vec<LogLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub status: Status,
    pub by: String,
    pub at: i64,
    pub note: String,
}

/// Who manages the catalogue and fulfils requests.
pub const FULFILLERS: &[Role] = &[Role::Admin];

#[server(prefix = "/api", endpoint = "rewards_catalogue")]
pub async fn rewards_catalogue() -> Result<Catalogue, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::catalogue(&state.db, me.id, crate::base::db::now_ms()).await
}

/// Redeems a reward. `key` names this request (the dialog makes one when it
/// opens): a double click, a retry or a second tab with the same key gets
/// the same request back and holds nothing more.
#[server(prefix = "/api", endpoint = "redeem_reward", input = server_fn::codec::Json)]
pub async fn redeem_reward(
    reward_id: i64,
    key: String,
    answers: Vec<String>,
) -> Result<Request, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let key = ssr::request_key(me.id, &key)?;
    let state = crate::base::state::app_state()?;
    let now = crate::base::db::now_ms();
    let id = ssr::redeem(&state.db, me.id, reward_id, &key, &answers, now)
        .await?
        .publish(&state);
    ssr::request(&state.db, id, Some(me.id)).await
}

#[server(prefix = "/api", endpoint = "my_reward_requests")]
pub async fn my_reward_requests() -> Result<Vec<Request>, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::requests_of(&state.db, me.id).await
}

/// The requester cancels a request that still waits: the points come back.
#[server(prefix = "/api", endpoint = "cancel_reward_request")]
pub async fn cancel_reward_request(id: i64) -> Result<(), AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    let mover = ssr::Actor::requester(me.id);
    ssr::move_request(
        &state.db,
        id,
        Status::Cancelled,
        "",
        mover,
        crate::base::db::now_ms(),
    )
    .await?
    .publish(&state);
    Ok(())
}

#[server(prefix = "/api", endpoint = "list_rewards")]
pub async fn list_rewards() -> Result<Vec<RewardAdmin>, AppError> {
    crate::base::session::ssr::require_any(FULFILLERS)?;
    let state = crate::base::state::app_state()?;
    ssr::list(&state.db).await
}

#[server(prefix = "/api", endpoint = "save_reward", input = server_fn::codec::Json)]
pub async fn save_reward(id: Option<i64>, input: RewardInput) -> Result<i64, AppError> {
    let me = crate::base::session::ssr::require_any(FULFILLERS)?;
    let input = validate(&input)?;
    let state = crate::base::state::app_state()?;
    ssr::save(&state.db, id, &input, me.id, crate::base::db::now_ms())
        .await
        .map(|c| c.publish(&state))
}

/// Adds voucher codes from CSV text (one per line; the first column).
#[server(prefix = "/api", endpoint = "add_vouchers", input = server_fn::codec::Json)]
pub async fn add_vouchers(reward_id: i64, csv: String) -> Result<VoucherReport, AppError> {
    crate::base::session::ssr::require_any(FULFILLERS)?;
    let codes = fields::voucher_codes(&csv)?;
    let state = crate::base::state::app_state()?;
    ssr::add_vouchers(&state.db, reward_id, &codes, crate::base::db::now_ms())
        .await
        .map(|c| c.publish(&state))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoucherReport {
    pub added: i64,
    /// Codes the pool already had (each code once).
    pub duplicates: i64,
    pub left: i64,
}

/// Every request, for the fulfilment board.
#[server(prefix = "/api", endpoint = "fulfilment_board")]
pub async fn fulfilment_board() -> Result<Vec<Request>, AppError> {
    crate::base::session::ssr::require_any(FULFILLERS)?;
    let state = crate::base::state::app_state()?;
    ssr::board(&state.db).await
}

/// Moves requests on the board (one, or many: bulk approval). Each goes
/// through the same rules; the first refusal stops the rest.
#[server(prefix = "/api", endpoint = "move_reward_requests", input = server_fn::codec::Json)]
pub async fn move_reward_requests(ids: Vec<i64>, to: Status, note: String) -> Result<(), AppError> {
    let me = crate::base::session::ssr::require_any(FULFILLERS)?;
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    if ids.is_empty() || ids.len() > 500 {
        return Err(AppError::Invalid(T::ErrNothingChosen));
    }
    let state = crate::base::state::app_state()?;
    let now = crate::base::db::now_ms();
    for id in ids {
        ssr::move_request(
            &state.db,
            id,
            to,
            note.trim(),
            ssr::Actor::admin(me.id),
            now,
        )
        .await?
        .publish(&state);
    }
    Ok(())
}
