//! Rewards in the database. Every request moves through `move_request` (or
//! `redeem` for its start): the same rules whichever page or call reaches
//! it, with the points held, spent, given back or refunded by the ledger in
//! the same transaction.

use sqlx::FromRow;

use super::fields::DeliveryField;
use super::rules::{refusal, sort_for, LimitPeriod, Mover};
use super::{Catalogue, Fulfilment, Offer, RewardInput};
use crate::base::db::Db;
use crate::base::error::AppResult;
use crate::base::home_note::HomeNote;
use crate::base::i18n::T;
use crate::base::ledger::ssr as points;
use crate::people::motivation::{decode, Motivation};

/// A request's name in the ledger and in `reward_requests.request_key`:
/// the person's id and the key their dialog made, so one person's key can
/// never name another's request.
pub fn request_key(person: i64, key: &str) -> AppResult<String> {
    crate::base::db::client_key("reward", person, key)
}

/// Who moves a request.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: i64,
    pub mover: Mover,
}

impl Actor {
    pub fn requester(id: i64) -> Self {
        Actor {
            id,
            mover: Mover::Requester,
        }
    }

    pub fn admin(id: i64) -> Self {
        Actor {
            id,
            mover: Mover::Admin,
        }
    }
}

#[derive(FromRow)]
struct RewardRow {
    id: i64,
    name: String,
    description: String,
    image_id: Option<i64>,
    category: String,
    price: i64,
    stock: Option<i64>,
    per_person: Option<i64>,
    limit_period: String,
    available_from: Option<i64>,
    available_until: Option<i64>,
    needs_approval: i64,
    fulfilment: String,
    fields: String,
    active: i64,
    cost: Option<i64>,
}

const REWARD_COLUMNS: &str =
    "id, name, description, image_id, category, price, stock, per_person, \
    limit_period, available_from, available_until, needs_approval, fulfilment, fields, active, cost";

impl RewardRow {
    fn input(&self, groups: Vec<i64>) -> RewardInput {
        RewardInput {
            name: self.name.clone(),
            description: self.description.clone(),
            image_id: self.image_id,
            category: Motivation::parse(&self.category).unwrap_or(Motivation::Things),
            price: self.price,
            stock: self.stock,
            per_person: self.per_person,
            limit_period: LimitPeriod::parse(&self.limit_period).unwrap_or(LimitPeriod::Month),
            available_from: self.available_from,
            available_until: self.available_until,
            needs_approval: self.needs_approval == 1,
            fulfilment: Fulfilment::parse(&self.fulfilment).unwrap_or(Fulfilment::Manual),
            fields: serde_json::from_str::<Vec<DeliveryField>>(&self.fields).unwrap_or_default(),
            groups,
            active: self.active == 1,
            cost: self.cost,
        }
    }
}

async fn groups_of_reward<'c, E>(exec: E, reward: i64) -> AppResult<Vec<i64>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "SELECT group_id FROM reward_groups WHERE reward_id = $1 ORDER BY group_id",
    )
    .bind(reward)
    .fetch_all(exec)
    .await?)
}

async fn codes_left<'c, E>(exec: E, reward: i64) -> AppResult<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_vouchers WHERE reward_id = $1 AND request_id IS NULL",
    )
    .bind(reward)
    .fetch_one(exec)
    .await?)
}

/// Requests of `person` for `reward` that count against its limit: made in
/// the period that holds `now`, and not declined or cancelled.
async fn taken<'c, E>(exec: E, reward: &RewardRow, person: i64, now: i64) -> AppResult<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let period = LimitPeriod::parse(&reward.limit_period).unwrap_or(LimitPeriod::Month);
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_requests WHERE reward_id = $1 AND person_id = $2 \
         AND created_at >= $3 AND status NOT IN ('declined', 'cancelled')",
    )
    .bind(reward.id)
    .bind(person)
    .bind(period.start(now))
    .fetch_one(exec)
    .await?)
}

/// The rule's view of one reward for one person.
async fn offer_of(
    conn: &mut sqlx::AnyConnection,
    reward: &RewardRow,
    person: i64,
    person_groups: &[i64],
    now: i64,
) -> AppResult<super::rules::Offer> {
    let audience = groups_of_reward(&mut *conn, reward.id).await?;
    let left = if reward.fulfilment == Fulfilment::Voucher.code() {
        Some(codes_left(&mut *conn, reward.id).await?)
    } else {
        reward.stock
    };
    Ok(super::rules::Offer {
        active: reward.active == 1,
        from: reward.available_from,
        until: reward.available_until,
        in_audience: audience.is_empty() || audience.iter().any(|g| person_groups.contains(g)),
        left,
        per_person: reward.per_person,
        taken_in_period: taken(&mut *conn, reward, person, now).await?,
    })
}

async fn person_groups(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    person: i64,
) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT group_id FROM group_members WHERE person_id = $1")
            .bind(person)
            .fetch_all(db)
            .await?,
    )
}

pub async fn catalogue(db: &Db, me: i64, now: i64) -> AppResult<Catalogue> {
    let mut conn = db.acquire().await?;
    let balances = points::balances(&mut *conn, me).await?;
    let motivations: String = sqlx::query_scalar("SELECT motivations FROM people WHERE id = $1")
        .bind(me)
        .fetch_one(&mut *conn)
        .await?;
    let motivations = decode(&motivations);
    let groups = person_groups(&mut *conn, me).await?;
    let rows: Vec<RewardRow> = sqlx::query_as(&format!(
        "SELECT {REWARD_COLUMNS} FROM rewards WHERE active = 1 ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut offers = Vec::new();
    for row in &rows {
        let offer = offer_of(&mut conn, row, me, &groups, now).await?;
        // Not shown to people outside its audience, nor before or after its dates.
        if !offer.in_audience || refusal(&offer, now) == Some(T::ErrRewardEnded) {
            continue;
        }
        let input = row.input(Vec::new());
        offers.push(Offer {
            id: row.id,
            name: input.name,
            description: input.description,
            image_id: input.image_id,
            category: input.category,
            price: input.price,
            left: offer.left,
            needs_approval: input.needs_approval,
            fulfilment: input.fulfilment,
            fields: input.fields,
            refusal: refusal(&offer, now),
            points_to_go: super::rules::points_to_go(balances.spendable, input.price),
            matches: motivations.contains(&input.category),
        });
    }
    let mut order: Vec<(Motivation, i64, i64)> =
        offers.iter().map(|o| (o.category, o.price, o.id)).collect();
    sort_for(&motivations, &mut order);
    offers.sort_by_key(|o| order.iter().position(|(_, _, id)| *id == o.id));
    Ok(Catalogue {
        spendable: balances.spendable,
        lifetime: balances.lifetime,
        held: balances.held,
        offers,
    })
}

mod admin;
mod prizes;
mod requests;
pub use admin::{add_vouchers, budget_view, list, load_image, save, save_budget};
pub use prizes::{grant_prize, prize_choices};
pub use requests::{board, csv_of, move_request, redeem, request, requests_of};

/// The reward to mention to a person: one that moves them and that they
/// can have now, else the next one worth saving for (the catalogue's order).
pub async fn next_reward_note(db: &Db, person: i64, now: i64) -> AppResult<Option<HomeNote>> {
    let catalogue = catalogue(db, person, now).await?;
    let open = || catalogue.offers.iter().filter(|o| o.refusal.is_none());
    Ok(
        if let Some(ready) = open().find(|o| o.matches && o.points_to_go == 0) {
            Some(
                HomeNote::new("reward-ready", T::HomeRewardReady, "/rewards")
                    .word("name", &ready.name),
            )
        } else {
            open().find(|o| o.points_to_go > 0).map(|next| {
                HomeNote::new("next-reward", T::RewardsToGo, "/rewards")
                    .number("points", next.points_to_go)
                    .word("name", &next.name)
            })
        },
    )
}

/// The start page's notes from rewards: the reward to mention, and for
/// administrators the requests that wait for them.
pub async fn home_notes(
    db: &Db,
    me: &crate::base::session::Me,
    now: i64,
) -> AppResult<Vec<HomeNote>> {
    let mut notes: Vec<HomeNote> = next_reward_note(db, me.id, now)
        .await?
        .into_iter()
        .collect();
    if me.has(crate::base::session::Role::Admin) {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM reward_requests WHERE status = 'requested'",
        )
        .fetch_one(db)
        .await?;
        if waiting > 0 {
            notes.push(
                HomeNote::new(
                    "reward-requests",
                    T::HomeRewardRequests,
                    "/admin/fulfilment",
                )
                .number("n", waiting)
                .for_work(),
            );
        }
    }
    Ok(notes)
}
