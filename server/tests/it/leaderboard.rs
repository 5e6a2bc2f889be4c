//! Leaderboards from the maintained totals, TV screen pairing and
//! revocation, and live events across two instances, on SQLite and
//! PostgreSQL (two instances only on PostgreSQL: SQLite is one process).

use std::time::Duration;

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE, MANAGER};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

on_both_databases!(
    leaderboards_rank_people_and_groups_with_ties,
    qualified_clicks_reach_the_totals_in_batches,
    screens_pair_once_and_can_be_revoked,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

/// Pays through the ledger, as shares and clicks do, and publishes the
/// facts as every mutation does.
async fn pay(server: &TestServer, email: &str, key: &str, points: i64, at: i64) {
    let person = common::person_id(server, email).await;
    assert!(common::ledger_pay(server, person, key, points, at).await);
    let paid = app::base::change::Fact::PointsPaid {
        person,
        points,
        reason: app::base::ledger::Reason::Share,
        source: key.into(),
    };
    app::base::change::Changed::new((), paid).publish(&server.state);
}

async fn board(
    server: &TestServer,
    who: &Client,
    ranked: Value,
    period: &str,
    group: Option<i64>,
) -> Value {
    let (status, body) = server.calls(who).leaderboard(ranked, period, group).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn names_and_ranks(rows: &Value) -> Vec<(String, String, i64)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let rank = r["rank"].as_i64().unwrap();
            let rank = if r["tied"].as_bool().unwrap() {
                format!("={rank}")
            } else {
                rank.to_string()
            };
            (
                r["name"].as_str().unwrap().to_string(),
                rank,
                r["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn leaderboards_rank_people_and_groups_with_ties(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let now = app::base::db::now_ms();
    let long_ago = now - 400 * 24 * 3600 * 1000;
    pay(&server, ADMIN, "t:1", 30, now).await;
    pay(&server, REVIEWER, "t:2", 20, now).await;
    pay(&server, MANAGER, "t:3", 20, now).await;
    pay(&server, EMPLOYEE, "t:4", 5, now).await;
    pay(&server, EMPLOYEE, "t:5", 100, long_ago).await;
    // Spending does not lower a rank.
    pay(&server, ADMIN, "t:6", -25, now).await;

    let week = board(&server, &employee, json!("People"), "Week", None).await;
    assert_eq!(
        names_and_ranks(&week["top"]),
        [
            ("Alva Admin".to_string(), "1".to_string(), 30),
            ("Maja Manager".to_string(), "=2".to_string(), 20),
            ("Rasmus Reviewer".to_string(), "=2".to_string(), 20),
            ("Elias Employee".to_string(), "4".to_string(), 5),
        ]
    );
    assert_eq!(week["top"][3]["mine"], true);
    assert_eq!(week["me"], Value::Null, "already in the top");
    let all = board(&server, &employee, json!("People"), "AllTime", None).await;
    assert_eq!(all["top"][0]["name"], "Elias Employee");
    assert_eq!(all["top"][0]["points"], 105);

    // Twelve more people ahead push the employee out of the top ten; their
    // own rank stays visible, tied with whoever has as many.
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM people WHERE email NOT IN ($1, $2, $3, $4) ORDER BY id LIMIT 12",
    )
    .bind(ADMIN)
    .bind(REVIEWER)
    .bind(MANAGER)
    .bind(EMPLOYEE)
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    assert_eq!(others.len(), 12);
    for (i, email) in others.iter().enumerate() {
        pay(
            &server,
            email,
            &format!("o:{i}"),
            if i == 0 { 5 } else { 50 + i as i64 },
            now,
        )
        .await;
    }
    let week = board(&server, &employee, json!("People"), "Week", None).await;
    assert_eq!(week["top"].as_array().unwrap().len(), 10);
    assert_eq!(week["me"]["rank"], 15);
    assert_eq!(week["me"]["tied"], true);
    assert_eq!(week["me"]["points"], 5);

    // Deactivated people leave the board at once: one above and the one tied.
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    for email in [&others[0], &others[1]] {
        let id = common::person_id(&server, email).await.to_string();
        let (status, body) = server.calls(&admin).set_person_active(&id, "false").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let week = board(&server, &employee, json!("People"), "Week", None).await;
    assert_eq!(week["me"]["rank"], 14);
    assert_eq!(week["me"]["tied"], false);
    let gone: Vec<String> = sqlx::query_scalar("SELECT name FROM people WHERE active = 0")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    for row in week["top"].as_array().unwrap() {
        assert!(
            !gone.contains(&row["name"].as_str().unwrap().to_string()),
            "{row}"
        );
    }

    // Narrowed to one of my groups: only its members.
    let groups = week["my_groups"].as_array().unwrap();
    assert!(!groups.is_empty());
    let group = groups[0]["id"].as_i64().unwrap();
    let mine = board(&server, &employee, json!("People"), "Week", Some(group)).await;
    let members: Vec<String> = sqlx::query_scalar(
        "SELECT p.name FROM group_members m JOIN people p ON p.id = m.person_id WHERE m.group_id = $1",
    )
    .bind(group)
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    for row in mine["top"].as_array().unwrap() {
        assert!(
            members.contains(&row["name"].as_str().unwrap().to_string()),
            "{row}"
        );
    }
    // Someone else's group cannot be asked for.
    let foreign: i64 = sqlx::query_scalar(
        "SELECT id FROM org_groups WHERE id NOT IN (SELECT group_id FROM group_members WHERE person_id = $1) LIMIT 1",
    )
    .bind(common::person_id(&server, EMPLOYEE).await)
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    let (_, body) = server
        .calls(&employee)
        .leaderboard(json!("People"), json!("Week"), foreign)
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrGroupUnknown" }));

    // Teams: the sum of their members' points.
    let teams = board(
        &server,
        &employee,
        json!({ "Groups": "Team" }),
        "Month",
        None,
    )
    .await;
    let expected: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(l.points), 0) AS BIGINT) FROM points_ledger l \
         JOIN group_members m ON m.person_id = l.person_id WHERE m.group_id = $1 AND l.points > 0 AND l.created_at >= $2",
    )
    .bind(teams["top"][0]["id"].as_i64().unwrap())
    .bind(app::leaderboard::Period::Month.start(now))
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    assert_eq!(teams["top"][0]["points"], expected);
    let anonymous = server.client();
    let (status, _) = server
        .calls(&anonymous)
        .leaderboard(json!("People"), json!("Week"), None::<i64>)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Click points reach the totals through the ledger, which the click writer
/// calls with a whole batch at once.
async fn qualified_clicks_reach_the_totals_in_batches(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let person = common::person_id(&server, EMPLOYEE).await;
    let item: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM content_items WHERE status = 'published'")
            .fetch_one(&server.state.db)
            .await
            .unwrap();
    let code = app::hub::ssr::tracked_link(
        &server.state.db,
        person,
        item,
        app::share::intent::Channel::LinkedIn,
    )
    .await
    .unwrap();
    // Concurrent clicks by different visitors, so batches hold several.
    let clicks = (0..12).map(|i| {
        common::visitor_client(i)
            .get(format!("{}/s/{code}", server.url))
            .header(
                "user-agent",
                format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/{i}"),
            )
            .send()
    });
    for res in futures::future::join_all(clicks).await {
        assert_eq!(res.unwrap().status(), StatusCode::FOUND);
    }
    server.sprida.clicks().flushed().await;
    let paid: i64 = sqlx::query_scalar(
        "SELECT CAST(SUM(points) AS BIGINT) FROM points_ledger WHERE person_id = $1 AND reason = 'click'",
    )
    .bind(person)
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    assert!(paid > 0);
    for period in ["Week", "Month", "Quarter", "AllTime"] {
        let b = board(&server, &employee, json!("People"), period, None).await;
        let mine = b["top"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["mine"] == true)
            .unwrap_or_else(|| panic!("{period}: {b}"));
        assert_eq!(mine["points"], paid, "{period}");
    }
}

async fn screens_pair_once_and_can_be_revoked(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let input = json!({ "input": { "name": "Lobby", "panels": ["TopPeople", "Reach"], "rotate_seconds": 10 } });
    let (_, body) = server
        .call_json(&employee, "create_screen", input.clone())
        .await;
    assert_eq!(body, json!("Forbidden"));
    let (status, link) = server.call_json(&admin, "create_screen", input).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let url = link["url"].as_str().unwrap().to_string();
    let token = url.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 32, "128 bits in hex");

    // Unpaired, a screen shows nothing.
    let tv = common::no_redirects();
    let (_, state) = server.calls(&tv).tv_board().await;
    assert_eq!(state, json!("Unpaired"));
    // Opening the link (a chat app's preview, a prefetch, or the TV itself)
    // only asks; a link preview pairs nothing.
    let res = tv.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("set-cookie").is_none());
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Pair this screen") && page.contains("Lobby"),
        "{page}"
    );
    assert!(
        page.contains(&format!("action=\"/tv/pair/{token}\"")),
        "{page}"
    );
    for _ in 0..2 {
        assert_eq!(
            server.client().get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    let (_, state) = server.calls(&tv).tv_board().await;
    assert_eq!(state, json!("Unpaired"), "opening the link paired nothing");
    // The button posts the form back, from the same origin.
    let res = tv
        .post(&url)
        .header("origin", &server.url)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        "/tv",
        "the token leaves the address"
    );
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age="),
        "{cookie}"
    );
    // The link works once, and not from another site.
    let other = server.client();
    let res = other
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        other.post(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    pay(&server, EMPLOYEE, "t:tv", 12, app::base::db::now_ms()).await;
    let (status, state) = server.calls(&tv).tv_board().await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let live = &state["Live"];
    assert_eq!(live["name"], "Lobby");
    assert_eq!(live["panels"], json!(["TopPeople", "Reach"]));
    assert_eq!(live["people"][0]["name"], "Elias Employee");
    assert_eq!(live["people"][0]["points"], 12);
    // Names and points only: no e-mail addresses or ids of sessions.
    assert!(!state.to_string().contains("@demo"), "{state}");
    let events = format!("{}/events/tv", server.url);
    assert_eq!(
        tv.get(&events).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        other.get(&events).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // Revoked: the screen is told, and its stream is refused.
    let (_, screens) = server.calls(&admin).list_screens().await;
    assert_eq!(screens[0]["paired"], 1);
    // Pairing counts as being seen; the admin can tell a live TV from a dead one.
    let seen = screens[0]["last_seen"]
        .as_i64()
        .expect("a paired screen has been seen");
    assert!(app::base::db::now_ms() - seen < 60_000, "{seen}");
    let id = screens[0]["id"].as_i64().unwrap().to_string();
    let (status, _) = server.calls(&admin).revoke_screen(&id).await;
    assert_eq!(status, StatusCode::OK);
    let (_, state) = server.calls(&tv).tv_board().await;
    assert_eq!(state, json!("Revoked"));
    assert_eq!(
        tv.get(&events).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let (_, body) = server.calls(&admin).new_pairing_link(&id).await;
    assert_eq!(body, json!("NotFound"), "a revoked screen stays revoked");
}

/// An event on one instance reaches a stream held open on the other.
#[tokio::test]
async fn two_instances_share_live_events_through_postgres() {
    let first = common::start(Backend::Postgres).await;
    let second = first.another_instance().await;
    let watcher = second.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let mut stream = watcher
        .get(format!("{}/events/live", second.url))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    first.state.live.send(app::base::live::LiveEvent::Points);
    assert!(common::next_event(&mut stream)
        .await
        .contains("event: points"));

    // A destination edited through one instance is where the other one's
    // redirect sends visitors next, though it had the old one cached.
    let db = &first.state.db;
    let now = app::base::db::now_ms();
    let item: i64 = sqlx::query_scalar(
        "INSERT INTO content_items (slug, title, summary, destination_url, status, created_at, updated_at) \
         VALUES ('moving', 'Moving', 'We move.', 'https://example.com/old', 'published', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(db)
    .await
    .unwrap();
    let code = app::share::link::new_code();
    sqlx::query(
        "INSERT INTO tracked_links (code, item_id, person_id, channel, created_at) VALUES ($1, $2, $3, 'linkedin', $4)",
    )
    .bind(&code)
    .bind(item)
    .bind(common::person_id(&first, EMPLOYEE).await)
    .bind(now)
    .execute(db)
    .await
    .unwrap();
    let visitor = common::no_redirects();
    let landing = || async {
        let res = visitor
            .get(format!("{}/s/{code}", second.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
        res.headers()["location"].to_str().unwrap().to_string()
    };
    assert!(landing().await.starts_with("https://example.com/old?"));
    let admin = first.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (status, body) = first
        .call_json(
            &admin,
            "save_content",
            json!({ "id": item, "input": {
                "title": "Moving", "summary": "We move.", "destination_url": "https://example.com/new",
                "image_id": null, "texts": [], "tags": "", "target_groups": [],
                "publish_at": null, "expires_at": null
            } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let moved = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let location = landing().await;
            if location.starts_with("https://example.com/new?") {
                return location;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the other instance follows within 10 s (its cache alone keeps links 60 s)");
    assert!(moved.contains("utm_content="), "{moved}");
}
