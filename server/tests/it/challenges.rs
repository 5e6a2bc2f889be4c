//! Challenges (issue 19) on SQLite and PostgreSQL: standings that move with
//! what people do, ties that win together, a payout made once however
//! often it is asked for (points through the ledger, a reward as a prize on
//! the fulfilment board), team standings, and who may organise.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE, MANAGER};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

on_both_databases!(
    a_challenge_pays_its_winners_once_ties_as_ties,
    team_challenges_and_who_may_organise,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn items(server: &TestServer) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT id FROM content_items WHERE status = 'published' ORDER BY id LIMIT 3",
    )
    .fetch_all(&server.state.db)
    .await
    .unwrap()
}

async fn share(server: &TestServer, who: &Client, item: i64, channel: &str) {
    let (status, body) = server
        .calls(who)
        .record_share(&item.to_string(), channel, "In my own words")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

fn challenge(metric: &str, team: bool, ends_in_ms: i64) -> Value {
    let now = app::base::db::now_ms();
    json!({ "title": "Share week", "description": "", "team": team, "metric": metric, "tag": "",
        "starts_at": now - 60_000, "ends_at": now + ends_in_ms, "minimum": 2, "winners": 1,
        "prize_points": 100, "prize_reward": null })
}

async fn list(server: &TestServer, who: &Client) -> Value {
    let (status, body) = server.calls(who).list_challenges().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn prize_entries(server: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM points_ledger WHERE reason = 'prize'")
        .fetch_one(&server.state.db)
        .await
        .unwrap()
}

async fn a_challenge_pays_its_winners_once_ties_as_ties(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let manager = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let (_, rewards) = server.calls(&admin).list_rewards().await;
    let cinema = rewards[0]["id"].as_i64().unwrap();
    let mut input = challenge("Shares", false, 4_000);
    input["prize_reward"] = json!(cinema);
    let (status, id) = server
        .calls(&manager)
        .save_challenge(None::<i64>, &input)
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();

    // Two shares each for two people (a tie), one for a third (below the minimum).
    let items = items(&server).await;
    for who in [&employee, &manager] {
        share(&server, who, items[0], "LinkedIn").await;
        share(&server, who, items[1], "LinkedIn").await;
    }
    share(&server, &reviewer, items[0], "X").await;
    let now = list(&server, &employee).await;
    let c = &now["list"][0];
    assert_eq!(c["phase"], "Running");
    let standings: Vec<(String, i64, i64, bool, bool)> = c["standings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["rank"].as_i64().unwrap(),
                p["score"].as_i64().unwrap(),
                p["qualified"].as_bool().unwrap(),
                p["mine"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        standings,
        [
            ("Elias Employee".to_string(), 1, 2, true, true),
            ("Maja Manager".to_string(), 1, 2, true, false),
            ("Rasmus Reviewer".to_string(), 3, 1, false, false),
        ]
    );
    assert_eq!(c["editable"], false, "employees do not organise");

    // Before the end nothing is paid; after it, both tied winners are, once.
    let settle = |at: i64| app::challenges::ssr::settle_due(&server.state.db, at);
    assert_eq!(
        settle(app::base::db::now_ms())
            .await
            .unwrap()
            .publish(&server.state),
        0
    );
    let lifetime_before = lifetime(&server, &employee).await;
    let end = input["ends_at"].as_i64().unwrap();
    let (first, second) = tokio::join!(settle(end + 1), settle(end + 2));
    let paid = first.unwrap().publish(&server.state) + second.unwrap().publish(&server.state);
    assert_eq!(paid, 1, "two payers at once pay once");
    assert_eq!(settle(end + 10).await.unwrap().publish(&server.state), 0);
    assert_eq!(prize_entries(&server).await, 2);
    assert_eq!(lifetime(&server, &employee).await, lifetime_before + 100);
    let (_, notices) = server.calls(&manager).my_notifications().await;
    assert!(
        notices
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "ChallengeWon" && n["title"] == "Share week"),
        "{notices}"
    );
    let after = list(&server, &admin).await;
    let c = after["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    assert_eq!(c["paid"], true);
    assert_eq!(c["editable"], false, "a paid challenge cannot change");
    let (status, _) = server.calls(&admin).delete_challenge(id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The prize reward waits on the fulfilment board, costing nothing, and
    // can be approved like any request.
    let (_, board) = server.calls(&admin).fulfilment_board().await;
    let prizes: Vec<&Value> = board
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["points"] == 0 && r["reward_id"] == cinema)
        .collect();
    assert_eq!(prizes.len(), 2, "{board}");
    let ids: Vec<i64> = prizes.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    let (status, body) = server
        .calls(&admin)
        .move_reward_requests(&ids, "Approved", "")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server
        .calls(&admin)
        .move_reward_requests(&ids[..1], "Declined", "Out of tickets")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(lifetime(&server, &employee).await, lifetime_before + 100);
}

async fn lifetime(server: &TestServer, who: &Client) -> i64 {
    let (_, c) = server.calls(who).rewards_catalogue().await;
    c["lifetime"].as_i64().unwrap()
}

async fn team_challenges_and_who_may_organise(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let calls = server.calls(&admin);

    // Only organisers; bad input is refused with what is wrong.
    let (status, _) = server
        .calls(&employee)
        .save_challenge(None::<i64>, challenge("Shares", false, 60_000))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut bad = challenge("Kudos", true, 60_000);
    bad["tag"] = json!("recruiting");
    let (status, body) = calls.save_challenge(None::<i64>, &bad).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrChallengeTag" })
        )
    );
    let mut over = challenge("Shares", false, -1_000);
    over["title"] = json!("Late");
    let (status, body) = calls.save_challenge(None::<i64>, &over).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrChallengeOver" })
        )
    );
    let mut unknown = challenge("Shares", false, 60_000);
    unknown["prize_reward"] = json!(987_654);
    let (status, body) = calls.save_challenge(None::<i64>, &unknown).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrChallengeReward" })
        )
    );
    assert_eq!(list(&server, &admin).await["list"], json!([]));

    // Teams: thanks received by a member count for the team.
    let (status, id) = calls
        .save_challenge(None::<i64>, challenge("Kudos", true, 60_000))
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let value: i64 = {
        let input = json!({ "name_en": "Care", "name_sv": "Omtanke", "about_en": "", "about_sv": "", "active": true });
        calls
            .save_kudos_value(None::<i64>, &input)
            .await
            .1
            .as_i64()
            .unwrap()
    };
    let to = common::person_id(&server, EMPLOYEE).await;
    for n in 0..2 {
        let thanks = json!({ "to": to, "message": "Thanks", "values": [value], "points": 0,
            "private": false, "award": "" });
        let (status, _) = calls.give_kudos(&thanks, &format!("team-{n:04}")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let mine = list(&server, &employee).await;
    let top = &mine["list"][0]["standings"][0];
    assert_eq!(
        (
            top["name"].as_str(),
            top["score"].as_i64(),
            top["mine"].as_bool()
        ),
        (Some("Platform"), Some(2), Some(true)),
        "{mine}"
    );
    // Editable until paid; removable.
    let (status, _) = calls.delete_challenge(id.as_i64().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list(&server, &admin).await["list"], json!([]));
}
