//! Challenges in the database: the scores of a period, the standings, and
//! the payout, once, in a transaction that first marks the challenge paid
//! (so a second instance, a restart or a retry pays nothing more).

use std::collections::{BTreeMap, HashMap};

use sqlx::{AnyConnection, FromRow};

use super::rules::{rank, winners, ChallengeInput, Metric, Phase, Placing};
use super::{Challenge, Challenges, ORGANISERS};
use crate::base::change::{Changed, Fact};
use crate::base::db::Db;
use crate::base::error::{AppError, AppResult};
use crate::base::ledger::{ssr as points, Entry};
use crate::base::session::Me;

#[derive(FromRow)]
struct Row {
    id: i64,
    title: String,
    description: String,
    team: i64,
    metric: String,
    tag: String,
    starts_at: i64,
    ends_at: i64,
    minimum: i64,
    winners: i64,
    prize_points: i64,
    prize_reward_id: Option<i64>,
    reward_name: Option<String>,
    paid_at: Option<i64>,
}

const SELECT: &str = "SELECT c.id, c.title, c.description, c.team, c.metric, c.tag, c.starts_at, \
     c.ends_at, c.minimum, c.winners, c.prize_points, c.prize_reward_id, r.name AS reward_name, c.paid_at \
     FROM challenges c LEFT JOIN rewards r ON r.id = c.prize_reward_id";

impl Row {
    fn input(&self) -> ChallengeInput {
        ChallengeInput {
            title: self.title.clone(),
            description: self.description.clone(),
            team: self.team != 0,
            metric: Metric::parse(&self.metric).unwrap_or(Metric::Shares),
            tag: self.tag.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            minimum: self.minimum,
            winners: self.winners,
            prize_points: self.prize_points,
            prize_reward: self.prize_reward_id,
        }
    }
}

/// Each person's score in [from, to), people active or not.
async fn person_scores(
    conn: &mut AnyConnection,
    metric: Metric,
    tag: &str,
    from: i64,
    to: i64,
) -> AppResult<HashMap<i64, i64>> {
    let tagged = |item: &str| {
        format!("AND ($3 = '' OR {item} IN (SELECT item_id FROM content_tags WHERE tag = $3))")
    };
    let sql = match metric {
        Metric::Shares => format!(
            "SELECT s.person_id, CAST(COUNT(*) AS BIGINT) FROM shares s \
             WHERE s.at >= $1 AND s.at < $2 {} GROUP BY s.person_id",
            tagged("s.item_id")
        ),
        Metric::Clicks => format!(
            "SELECT l.person_id, CAST(COUNT(*) AS BIGINT) FROM clicks c \
             JOIN tracked_links l ON l.code = c.code \
             WHERE c.qualified = 1 AND c.at >= $1 AND c.at < $2 {} GROUP BY l.person_id",
            tagged("l.item_id")
        ),
        Metric::Posts => format!(
            "SELECT i.created_by, CAST(COUNT(*) AS BIGINT) FROM content_items i \
             WHERE i.origin = 'post' AND i.status = 'published' AND i.created_by IS NOT NULL \
             AND i.published_at >= $1 AND i.published_at < $2 {} GROUP BY i.created_by",
            tagged("i.id")
        ),
        // Thanks are not about content (the tag is refused on save).
        Metric::Kudos => "SELECT recipient_id, CAST(COUNT(*) AS BIGINT) FROM kudos \
             WHERE removed_at IS NULL AND created_at >= $1 AND created_at < $2 AND $3 = $3 \
             GROUP BY recipient_id"
            .to_string(),
    };
    let rows: Vec<(i64, i64)> = sqlx::query_as(&sql)
        .bind(from)
        .bind(to)
        .bind(tag)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().collect())
}

#[derive(FromRow)]
struct Person {
    id: i64,
    name: String,
    on_boards: i64,
}

/// The standings at `now` (or at the end): people, or teams by the sum of
/// their active members. Someone off the public boards is counted and can
/// win, but only they see their own line.
async fn standings(
    conn: &mut AnyConnection,
    c: &ChallengeInput,
    now: i64,
    me: Option<i64>,
) -> AppResult<(Vec<Placing>, HashMap<i64, Vec<i64>>)> {
    let scores = person_scores(conn, c.metric, &c.tag, c.starts_at, now.min(c.ends_at)).await?;
    let people: Vec<Person> =
        sqlx::query_as("SELECT id, name, on_boards FROM people WHERE active = 1")
            .fetch_all(&mut *conn)
            .await?;
    if !c.team {
        let entrants = people
            .iter()
            .filter_map(|p| scores.get(&p.id).map(|s| (p.id, p.name.clone(), *s)))
            .collect();
        let shown: HashMap<i64, bool> = people.iter().map(|p| (p.id, p.on_boards != 0)).collect();
        let placed = rank(entrants, c.minimum, me)
            .into_iter()
            .map(|mut p| {
                if !shown.get(&p.id).copied().unwrap_or(false) && !p.mine {
                    p.name = String::new();
                }
                p
            })
            .collect();
        return Ok((placed, HashMap::new()));
    }
    let members: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT g.id, m.person_id, g.name FROM org_groups g \
         JOIN group_members m ON m.group_id = g.id JOIN people p ON p.id = m.person_id \
         WHERE g.kind = 'team' AND p.active = 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut teams: BTreeMap<i64, (String, i64)> = BTreeMap::new();
    let mut of_team: HashMap<i64, Vec<i64>> = HashMap::new();
    for (team, person, name) in members {
        let entry = teams.entry(team).or_insert((name, 0));
        entry.1 += scores.get(&person).copied().unwrap_or(0);
        of_team.entry(team).or_default().push(person);
    }
    let mine: Option<i64> = me.and_then(|me| {
        of_team
            .iter()
            .find(|(_, people)| people.contains(&me))
            .map(|(team, _)| *team)
    });
    let entrants = teams
        .into_iter()
        .map(|(id, (name, score))| (id, name, score))
        .collect();
    Ok((rank(entrants, c.minimum, mine), of_team))
}

pub async fn list(db: &Db, me: &Me, now: i64) -> AppResult<Challenges> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} ORDER BY CASE WHEN c.paid_at IS NULL THEN 0 ELSE 1 END, c.ends_at, c.id"
    ))
    .fetch_all(db)
    .await?;
    let may_organise = ORGANISERS.iter().any(|r| me.has(*r));
    let mut conn = db.acquire().await?;
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let input = row.input();
        let phase = Phase::of(input.starts_at, input.ends_at, now);
        let standings = if phase == Phase::Upcoming {
            Vec::new()
        } else {
            standings(&mut conn, &input, now, Some(me.id)).await?.0
        };
        list.push(Challenge {
            id: row.id,
            phase,
            prize_reward: row.reward_name.clone(),
            standings,
            paid: row.paid_at.is_some(),
            editable: may_organise && row.paid_at.is_none(),
            input,
        });
    }
    Ok(Challenges {
        list,
        may_organise,
        rewards: if may_organise {
            crate::rewards::ssr::prize_choices(db).await?
        } else {
            Vec::new()
        },
    })
}

/// The running challenge that ends soonest, for the TV (names off the
/// boards are left out there).
pub async fn on_tv(db: &Db, now: i64) -> AppResult<Option<Challenge>> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.starts_at <= $1 AND c.ends_at > $1 ORDER BY c.ends_at, c.id LIMIT 1"
    ))
    .bind(now)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let input = row.input();
    let mut conn = db.acquire().await?;
    let (mut standings, _) = standings(&mut conn, &input, now, None).await?;
    standings.retain(|p| !p.name.is_empty());
    standings.truncate(8);
    Ok(Some(Challenge {
        id: row.id,
        phase: Phase::Running,
        prize_reward: row.reward_name,
        standings,
        paid: false,
        editable: false,
        input,
    }))
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// A challenge's columns, `$1` to `$11`, in the order the INSERT and the
/// UPDATE name them.
fn bind<'q>(q: AnyQuery<'q>, c: &ChallengeInput) -> AnyQuery<'q> {
    q.bind(c.title.clone())
        .bind(c.description.clone())
        .bind(i64::from(c.team))
        .bind(c.metric.code())
        .bind(c.tag.clone())
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(c.minimum)
        .bind(c.winners)
        .bind(c.prize_points)
        .bind(c.prize_reward)
}

pub async fn save(
    db: &Db,
    id: Option<i64>,
    c: &ChallengeInput,
    by: i64,
    now: i64,
) -> AppResult<Changed<i64>> {
    if let Some(reward) = c.prize_reward {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM rewards WHERE id = $1")
            .bind(reward)
            .fetch_optional(db)
            .await?;
        exists.ok_or(AppError::Invalid(crate::base::i18n::T::ErrChallengeReward))?;
    }
    let id = match id {
        Some(id) => {
            let changed = bind(sqlx::query(
                "UPDATE challenges SET title = $1, description = $2, team = $3, metric = $4, tag = $5, \
                 starts_at = $6, ends_at = $7, minimum = $8, winners = $9, prize_points = $10, \
                 prize_reward_id = $11 WHERE id = $12 AND paid_at IS NULL",
            ), c)
            .bind(id)
            .execute(db)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(AppError::NotFound);
            }
            id
        }
        None => {
            let row = bind(sqlx::query(
                "INSERT INTO challenges (title, description, team, metric, tag, starts_at, ends_at, \
                 minimum, winners, prize_points, prize_reward_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            ), c)
            .bind(by)
            .bind(now)
            .fetch_one(db)
            .await?;
            sqlx::Row::try_get::<i64, _>(&row, 0)?
        }
    };
    Ok(Changed::new(id, Fact::ChallengesChanged))
}

pub async fn delete(db: &Db, id: i64) -> AppResult<Changed<()>> {
    let gone = sqlx::query("DELETE FROM challenges WHERE id = $1 AND paid_at IS NULL")
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    Ok(Changed::new((), Fact::ChallengesChanged))
}

/// Pays every challenge that has ended and is not yet paid; the number paid.
pub async fn settle_due(db: &Db, now: i64) -> AppResult<Changed<usize>> {
    let due: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM challenges WHERE paid_at IS NULL AND ends_at <= $1")
            .bind(now)
            .fetch_all(db)
            .await?;
    let mut out = Changed::quiet(0usize);
    for id in due {
        let settled = settle(db, id, now).await?;
        let paid = !settled.facts().is_empty();
        out = out.absorb(settled).map(|n| n + usize::from(paid));
    }
    Ok(out)
}

/// One challenge's payout: marked paid first (a second payer finds it
/// done), its winners recorded, points paid and prize rewards granted
/// through their owners, in one transaction.
async fn settle(db: &Db, id: i64, now: i64) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    let mine = sqlx::query("UPDATE challenges SET paid_at = $1 WHERE id = $2 AND paid_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if mine == 0 {
        return Ok(Changed::quiet(()));
    }
    let row: Row = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let input = row.input();
    let (placings, of_team) = standings(&mut tx, &input, input.ends_at, None).await?;
    let mut changed = Changed::new((), Fact::ChallengesChanged);
    for placed in winners(&placings, input.winners) {
        let (people, team) = if input.team {
            let members = of_team.get(&placed.id).cloned().unwrap_or_default();
            (members, placed.name.clone())
        } else {
            (vec![placed.id], String::new())
        };
        for person in people {
            sqlx::query(
                "INSERT INTO challenge_winners (challenge_id, person_id, place, score, team) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (challenge_id, person_id) DO NOTHING",
            )
            .bind(id)
            .bind(person)
            .bind(i64::from(placed.rank))
            .bind(placed.score)
            .bind(&team)
            .execute(&mut *tx)
            .await?;
            changed = changed.and(Fact::ChallengeWon {
                challenge: id,
                person,
            });
            if input.prize_points > 0 {
                let prize = Entry::prize(person, id, input.prize_points, now);
                if let Some(paid) = points::pay_one(&mut tx, prize).await? {
                    changed = changed.and(Fact::paid(&paid));
                }
            }
            if let Some(reward) = input.prize_reward {
                let key = format!("prize:{id}:{person}");
                if let Some(granted) =
                    crate::rewards::ssr::grant_prize(&mut tx, reward, person, &key, now).await?
                {
                    changed = changed.absorb(granted);
                }
            }
        }
    }
    tracing::info!(target: "sprida::challenges", id, winners = placings.len().min(input.winners as usize), "challenge paid");
    changed.commit(tx).await
}

/// The start page: where the person stands in each running challenge they
/// are in.
pub async fn home_notes(
    db: &Db,
    me: &Me,
    now: i64,
) -> AppResult<Vec<crate::base::home_note::HomeNote>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.starts_at <= $1 AND c.ends_at > $1 ORDER BY c.ends_at, c.id"
    ))
    .bind(now)
    .fetch_all(db)
    .await?;
    let mut notes = Vec::new();
    let mut conn = db.acquire().await?;
    for row in rows {
        let input = row.input();
        let (placings, _) = standings(&mut conn, &input, now, Some(me.id)).await?;
        if let Some(mine) = placings.iter().find(|p| p.mine) {
            notes.push(
                crate::base::home_note::HomeNote::new(
                    "challenge",
                    crate::base::i18n::T::HomeChallenge,
                    &format!("/challenges#c{}", row.id),
                )
                .number("rank", i64::from(mine.rank))
                .word("name", &input.title),
            );
        }
    }
    Ok(notes)
}
