//! The demo organisation seeded into an empty database, so a newcomer has
//! something to click through. Every seeded person is marked `is_demo`.
//! `history` gives it twelve weeks of activity, `live` visitors on demand.

pub mod history;
pub mod kudos;
pub mod live;
pub mod rewards;

use app::auth::ssr::hash_password;
use app::base::db::now_ms;
use app::base::error::AppError;
use app::base::session::Role;
use app::base::state::AppState;
use app::people::ssr::{ensure_group, insert_person};
use app::people::GroupKind;

pub const DEMO_PASSWORD: &str = "sprida-demo";
const SEEDED_KEY: &str = "demo_seeded";

/// (e-mail, name, title, roles, department, team, office)
type DemoPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static [Role],
    &'static str,
    &'static str,
    &'static str,
);

const E: &[Role] = &[Role::Employee];
const PEOPLE: &[DemoPerson] = &[
    (
        "admin@demo.sprida.local",
        "Alva Admin",
        "Communications lead",
        &[Role::Employee, Role::Admin],
        "Communications",
        "Brand",
        "Stockholm",
    ),
    (
        "reviewer@demo.sprida.local",
        "Rasmus Reviewer",
        "Content editor",
        &[Role::Employee, Role::Reviewer],
        "Communications",
        "Brand",
        "Stockholm",
    ),
    (
        "manager@demo.sprida.local",
        "Maja Manager",
        "Head of Engineering",
        &[Role::Employee, Role::Manager],
        "Engineering",
        "Platform",
        "Göteborg",
    ),
    (
        "employee@demo.sprida.local",
        "Elias Employee",
        "Software engineer",
        E,
        "Engineering",
        "Platform",
        "Göteborg",
    ),
    (
        "linnea.berg@demo.sprida.local",
        "Linnea Berg",
        "Backend engineer",
        E,
        "Engineering",
        "Platform",
        "Göteborg",
    ),
    (
        "omar.haddad@demo.sprida.local",
        "Omar Haddad",
        "Mobile engineer",
        E,
        "Engineering",
        "Mobile",
        "Stockholm",
    ),
    (
        "sara.nilsson@demo.sprida.local",
        "Sara Nilsson",
        "Designer",
        E,
        "Engineering",
        "Mobile",
        "Stockholm",
    ),
    (
        "jonas.ek@demo.sprida.local",
        "Jonas Ek",
        "Site reliability engineer",
        E,
        "Engineering",
        "Platform",
        "Malmö",
    ),
    (
        "fatima.ali@demo.sprida.local",
        "Fatima Ali",
        "Account executive",
        E,
        "Sales",
        "Nordic sales",
        "Stockholm",
    ),
    (
        "erik.lund@demo.sprida.local",
        "Erik Lund",
        "Sales manager",
        &[Role::Employee, Role::Manager],
        "Sales",
        "Nordic sales",
        "Stockholm",
    ),
    (
        "ida.holm@demo.sprida.local",
        "Ida Holm",
        "Account executive",
        E,
        "Sales",
        "Nordic sales",
        "Malmö",
    ),
    (
        "noah.svensson@demo.sprida.local",
        "Noah Svensson",
        "Solutions engineer",
        E,
        "Sales",
        "Nordic sales",
        "Göteborg",
    ),
    (
        "klara.wik@demo.sprida.local",
        "Klara Wik",
        "Marketing manager",
        E,
        "Marketing",
        "Brand",
        "Stockholm",
    ),
    (
        "adam.strom@demo.sprida.local",
        "Adam Ström",
        "Content marketer",
        E,
        "Marketing",
        "Brand",
        "Stockholm",
    ),
    (
        "elin.dahl@demo.sprida.local",
        "Elin Dahl",
        "Event coordinator",
        E,
        "Marketing",
        "Brand",
        "Malmö",
    ),
    (
        "viktor.sand@demo.sprida.local",
        "Viktor Sand",
        "Recruiter",
        E,
        "People",
        "Talent",
        "Stockholm",
    ),
    (
        "hanna.falk@demo.sprida.local",
        "Hanna Falk",
        "People partner",
        E,
        "People",
        "Talent",
        "Göteborg",
    ),
    (
        "leo.bjork@demo.sprida.local",
        "Leo Björk",
        "Data analyst",
        E,
        "Engineering",
        "Platform",
        "Stockholm",
    ),
    (
        "alice.roos@demo.sprida.local",
        "Alice Roos",
        "Customer success",
        E,
        "Sales",
        "Nordic sales",
        "Göteborg",
    ),
    (
        "william.hed@demo.sprida.local",
        "William Hed",
        "Support engineer",
        E,
        "Engineering",
        "Mobile",
        "Malmö",
    ),
];
/// The first four are the per-role demo accounts the console names.
const NAMED_ACCOUNTS: usize = 4;
const NETWORKS: &[(&str, i64)] = &[
    ("linkedin", 480),
    ("x", 150),
    ("facebook", 320),
    ("instagram", 210),
];

/// (title, summary, destination, tags, LinkedIn text, X text)
type DemoItem = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The items' pictures (small PNGs made for the demo, in this folder).
const PICTURES: [&[u8]; 3] = [
    include_bytes!("hiring.png"),
    include_bytes!("office.png"),
    include_bytes!("story.png"),
];

const ITEMS: &[DemoItem] = &[
    (
        "We are hiring backend engineers in Göteborg",
        "Demo: five new roles in the platform team, Rust and PostgreSQL.",
        "https://example.com/careers/backend-goteborg",
        "hiring,tech",
        "My team is growing! We are looking for backend engineers in Göteborg who like Rust and PostgreSQL. Come and work with us.",
        "We are hiring backend engineers in Göteborg (Rust, PostgreSQL). Come work with us!",
    ),
    (
        "Our new office opens in Malmö",
        "Demo: the Malmö office opens its doors on the first of next month.",
        "https://example.com/news/malmo-office",
        "news,offices",
        "Exciting news: we are opening a new office in Malmö next month. Drop by and say hello!",
        "We are opening a new office in Malmö next month. Drop by and say hello!",
    ),
    (
        "Customer story: how Nordbank cut onboarding time in half",
        "Demo: a customer case about onboarding, told by the customer.",
        "https://example.com/customers/nordbank",
        "customers,product",
        "Proud of what we built with Nordbank: their onboarding now takes half the time. Read the story.",
        "Nordbank cut onboarding time in half with us. Read the story:",
    ),
];

/// The demo items, made and published by `author` through the same
/// functions as the content list (validation, save, status).
async fn seed_content(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    author: i64,
    now: i64,
) -> Result<(), AppError> {
    use app::content::image;
    use app::content::SuggestedText;
    use app::content::{lifecycle, ssr::save_in, validate_content, ContentInput, ContentStatus};
    use app::share::intent::Channel;
    for (n, (title, summary, url, tags, linkedin, x)) in ITEMS.iter().enumerate() {
        // Out since the start of the history, six weeks ago and ten days
        // ago: the hub has a stable newest-first order, and the history's
        // shares come after each item's publication.
        let at = now - [85, 42, 10][n % 3] * 86_400_000;
        let picture = PICTURES[n % PICTURES.len()].to_vec();
        let info = image::check(&picture)?;
        let image_id = app::content::ssr::store_image(&mut **tx, author, info, picture, at).await?;
        let input = ContentInput {
            title: title.to_string(),
            summary: summary.to_string(),
            destination_url: url.to_string(),
            image_id: Some(image_id),
            texts: vec![
                SuggestedText {
                    channel: Channel::LinkedIn,
                    text: linkedin.to_string(),
                },
                SuggestedText {
                    channel: Channel::X,
                    text: x.to_string(),
                },
            ],
            tags: tags.to_string(),
            target_groups: Vec::new(),
            publish_at: None,
            expires_at: None,
        };
        let valid = validate_content(&input)?;
        let id = save_in(tx, author, None, &valid, at).await?;
        lifecycle::set_status(tx, id, ContentStatus::Published, at).await?;
    }
    Ok(())
}

/// Seeds once: a database that has ever been seeded, or that has real people
/// in it, is left alone. Whether it seeded now.
pub async fn seed_demo(state: &AppState) -> Result<bool, AppError> {
    let db = &state.db;
    let seeded: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(SEEDED_KEY)
        .fetch_optional(db)
        .await?;
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(db)
        .await?;
    if seeded.is_some() || people > 0 {
        return Ok(false);
    }
    let hash = hash_password(DEMO_PASSWORD).await?;
    let mut tx = db.begin().await?;
    let mut groups = std::collections::HashMap::new();
    let mut admin = None;
    for (i, (email, name, title, roles, department, team, office)) in PEOPLE.iter().enumerate() {
        let mut group_ids = Vec::new();
        for (kind, group) in [
            (GroupKind::Department, department),
            (GroupKind::Team, team),
            (GroupKind::Office, office),
        ] {
            group_ids.push(ensure_group(&mut tx, &mut groups, kind, group).await?);
        }
        let id = insert_person(&mut tx, email, name, title, roles, &group_ids).await?;
        if admin.is_none() && roles.contains(&Role::Admin) {
            admin = Some(id);
        }
        // Everyone has accepted their invitation (the same password).
        let password = Some(hash.as_str());
        sqlx::query("UPDATE people SET is_demo = 1, password_hash = $1 WHERE id = $2")
            .bind(password)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Varied, made-up audiences so reach figures are not all alike.
        for (n, (network, base)) in NETWORKS.iter().enumerate() {
            if (i + n) % 3 == 2 {
                continue;
            }
            sqlx::query(
                "INSERT INTO social_accounts (person_id, network, audience) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(*network)
            .bind(base + (i as i64 * 37 + n as i64 * 11) % 400)
            .execute(&mut *tx)
            .await?;
        }
    }
    let author = admin.ok_or(AppError::Internal)?;
    seed_content(&mut tx, author, now_ms()).await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
        .bind(SEEDED_KEY)
        .bind(now_ms().to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    rewards::catalogue(state, author).await?;
    kudos::values(state).await?;
    tracing::info!(
        people = PEOPLE.len(),
        groups = groups.len(),
        "seeded the demo organisation"
    );
    Ok(true)
}

/// Tells the console how to sign in while the demo accounts still exist.
pub fn print_demo_accounts(base_url: &str, emails: &[String]) {
    let mut text = format!(
        "\n  DEMO ORGANISATION (made-up people whose password is published; remove it with \
         `sprida demo remove`)\n  Sign in at {base_url}/sign-in with password \"{DEMO_PASSWORD}\" as:\n"
    );
    for email in emails.iter().take(NAMED_ACCOUNTS) {
        text.push_str(&format!("    {email}\n"));
    }
    if emails.len() > NAMED_ACCOUNTS {
        text.push_str(&format!(
            "    and {} more demo colleagues (see People), with the same password\n",
            emails.len() - NAMED_ACCOUNTS
        ));
    }
    println!("{text}");
}
