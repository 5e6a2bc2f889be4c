//! Twelve weeks of plausible history for the demo organisation, made by the
//! app's own functions (shares through `hub::ssr::record_share_at`, clicks
//! through the click pipeline's plan and the ledger, posts through the
//! review board's moves), so it cannot drift from what the app does. The
//! same seed gives the same history every time (a fixed random seed).

use app::base::change::Changed;
use app::base::db::now_ms;
use app::base::error::{AppError, AppResult};
use app::base::state::AppState;
use app::content::stage::Stage;
use app::content::SuggestedText;
use app::posts::{check_draft, PostInput};
use app::share::intent::Channel;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clicks::rules::Verdict;
use crate::clicks::NewClick;

const DAY_MS: i64 = 86_400_000;
pub const WEEKS: i64 = 12;

/// How many shares a week each demo person makes, by their place in the
/// list: a few keen sharers, most now and then, some never (as in any
/// program).
const SHARES_PER_WEEK: [u32; 20] = [2, 1, 2, 3, 2, 1, 1, 0, 2, 1, 0, 1, 1, 0, 2, 1, 0, 1, 0, 1];

/// Own words, for the shares that are personalised.
const OWN_WORDS: [&str; 4] = [
    "Proud to work with this team. Have a look, and tell me what you think!",
    "This is what we have been busy with lately: worth a read if you work in tech.",
    "I see this every day from the inside, and it is even better than it sounds.",
    "A colleague of mine wrote this one. Sharing because it deserves more readers.",
];

/// Seeds the history. Runs once, right after the organisation was seeded.
pub async fn seed(state: &AppState) -> AppResult<()> {
    let db = &state.db;
    let now = now_ms();
    let mut rng = StdRng::seed_from_u64(0x5b71da);
    let people: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM people WHERE is_demo = 1 ORDER BY id")
            .fetch_all(db)
            .await?;
    let items: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, published_at FROM content_items WHERE status = 'published' AND origin = 'curated'",
    )
    .fetch_all(db)
    .await?;
    let mut clicks = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let per_week = SHARES_PER_WEEK[i % SHARES_PER_WEEK.len()];
        for week in 0..WEEKS {
            for _ in 0..rng.gen_range(0..=per_week) {
                let day = now - (week * 7 + rng.gen_range(0..7)) * DAY_MS;
                let at = working_hour(&mut rng, day);
                // Only items out by then.
                let open: Vec<i64> = items
                    .iter()
                    .filter(|(_, p)| *p < at)
                    .map(|(id, _)| *id)
                    .collect();
                if open.is_empty() || at > now - 3_600_000 {
                    continue;
                }
                let item = open[rng.gen_range(0..open.len())];
                let channel = [
                    Channel::LinkedIn,
                    Channel::LinkedIn,
                    Channel::X,
                    Channel::Facebook,
                ][rng.gen_range(0..4)];
                let text = if rng.gen_bool(0.4) {
                    OWN_WORDS[rng.gen_range(0..OWN_WORDS.len())]
                } else {
                    ""
                };
                app::hub::ssr::record_share_at(db, *person, item, channel, text, at)
                    .await?
                    .publish(state);
                let code = app::hub::ssr::tracked_link(db, *person, item, channel).await?;
                visits(&mut rng, &mut clicks, &code, *person, at, now);
            }
        }
    }
    clicks.sort_by_key(|c: &NewClick| c.at);
    for batch in clicks.chunks(400) {
        let stored = crate::clicks::postgres::store_past(db, batch)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "demo history: storing clicks failed");
                AppError::Internal
            })?;
        Changed::quiet(()).and_all(stored.facts()).publish(state);
    }
    posts(state, &people).await?;
    let admin: i64 = sqlx::query_scalar(
        "SELECT MIN(p.id) FROM people p JOIN person_roles r ON r.person_id = p.id \
         WHERE p.is_demo = 1 AND r.role = 'admin'",
    )
    .fetch_one(db)
    .await?;
    super::rewards::requests(state, &people, admin).await?;
    super::kudos::history(state, &people, now).await?;
    challenge(state, admin, now).await?;
    tracing::info!(
        clicks = clicks.len(),
        weeks = WEEKS,
        "seeded the demo's history"
    );
    Ok(())
}

/// A weekday between 7:00 and 19:00 UTC, on or just before `day`.
fn working_hour(rng: &mut StdRng, day: i64) -> i64 {
    let mut start = day - day.rem_euclid(DAY_MS);
    // Day 0 was a Thursday: (days + 3) % 7 is 5 or 6 on a weekend.
    while (start / DAY_MS + 3).rem_euclid(7) >= 5 {
        start -= DAY_MS;
    }
    start + rng.gen_range(7 * 3_600_000..19 * 3_600_000)
}

/// The visits a share brings over the next two days: most from people,
/// some from crawlers and link previews, which do not count.
fn visits(
    rng: &mut StdRng,
    out: &mut Vec<NewClick>,
    code: &str,
    person: i64,
    shared: i64,
    now: i64,
) {
    for _ in 0..rng.gen_range(0..14) {
        let at = shared + rng.gen_range(60_000..2 * DAY_MS);
        if at >= now {
            continue;
        }
        let verdict = match rng.gen_range(0..10) {
            0 | 1 => Verdict::Bot,
            2 => Verdict::Prefetch,
            _ => Verdict::Qualified,
        };
        let visitor = format!("demo{:028x}", rng.gen::<u128>() >> 16);
        out.push(NewClick {
            code: code.to_string(),
            person_id: person,
            at,
            visitors: [visitor.clone(), format!("{visitor}-y")],
            verdict,
        });
    }
}

fn post(title: &str, body: &str) -> PostInput {
    PostInput {
        title: title.into(),
        body: body.into(),
        destination_url: "https://example.com/blog/demo".into(),
        image_id: None,
        texts: vec![SuggestedText {
            channel: Channel::LinkedIn,
            text: format!("{title}: {body}"),
        }],
        tags: "demo,team".into(),
    }
}

/// (author's place, title, body, the stages it is moved through, a comment)
type DemoPost = (
    usize,
    &'static str,
    &'static str,
    &'static [Stage],
    Option<&'static str>,
);

/// Employees' posts in every column of the review board, with comments.
async fn posts(state: &AppState, people: &[i64]) -> AppResult<()> {
    let db = &state.db;
    let reviewer = people[1];
    let plan: [DemoPost; 7] = [
        (
            3,
            "What I learned at RustConf",
            "Three talks that changed how our team writes services.",
            &[Stage::Submitted, Stage::InReview, Stage::Published],
            None,
        ),
        (
            4,
            "A day in our Malmö office",
            "Coffee, code reviews and the best view of the bridge.",
            &[Stage::Submitted, Stage::InReview, Stage::Published],
            Some("Lovely, publishing it."),
        ),
        (
            5,
            "Why we moved our builds to ARM",
            "Faster builds and a smaller bill: here is how.",
            &[Stage::Submitted, Stage::InReview, Stage::ChangesRequested],
            Some("Could you add the figures from the build report?"),
        ),
        (
            6,
            "Our summer interns built a dashboard",
            "Four weeks, one dashboard, zero meetings.",
            &[Stage::Submitted, Stage::InReview],
            Some("Checking the names with the interns first."),
        ),
        (
            8,
            "Hiring: come work with me",
            "We are looking for a frontend engineer in Göteborg.",
            &[Stage::Submitted],
            None,
        ),
        (
            9,
            "My hot take on microservices",
            "Everything should be one binary.",
            &[Stage::Submitted, Stage::InReview, Stage::Rejected],
            Some("Not for the company channels, sorry."),
        ),
        (
            10,
            "Notes from the customer day",
            "Half written, more to come.",
            &[],
            None,
        ),
    ];
    for (who, title, body, moves, comment) in plan {
        let author = people[who % people.len()];
        let input = check_draft(&post(title, body))?;
        let saved = app::posts::ssr::save_draft(db, author, None, None, &input).await?;
        let mut version = saved.version;
        for (n, to) in moves.iter().enumerate() {
            let last = n + 1 == moves.len();
            let said = if last { comment } else { None };
            let moved = if *to == Stage::Submitted {
                app::posts::ssr::author_move(db, author, saved.id, version, *to).await?
            } else {
                // A comment goes with a request for changes; on other moves
                // it is left as a comment on the card.
                let with = said.filter(|_| *to == Stage::ChangesRequested);
                app::posts::ssr::review_move(db, reviewer, saved.id, *to, version, with).await?
            };
            version = moved.publish(state).version;
            if let Some(text) = said.filter(|_| *to != Stage::ChangesRequested) {
                app::posts::ssr::comment(db, reviewer, true, saved.id, text)
                    .await?
                    .publish(state);
                version += 1;
            }
        }
    }
    Ok(())
}

/// A challenge running now, so its page and the TV's panel have standings.
async fn challenge(state: &AppState, admin: i64, now: i64) -> AppResult<()> {
    let input = app::challenges::rules::validate(
        &app::challenges::ChallengeInput {
            title: "Share sprint".into(),
            description: "Who shares the most in these four weeks? 200 points to the winner."
                .into(),
            team: false,
            metric: app::challenges::Metric::Shares,
            tag: String::new(),
            starts_at: now - 10 * DAY_MS,
            ends_at: now + 18 * DAY_MS,
            minimum: 3,
            winners: 1,
            prize_points: 200,
            prize_reward: None,
        },
        now,
    )
    .map_err(AppError::Invalid)?;
    app::challenges::ssr::save(&state.db, None, &input, admin, now)
        .await?
        .publish(state);
    Ok(())
}
