//! Rewards (issue 19) on SQLite and PostgreSQL: a catalogue, redemptions
//! that hold points at once, approval that spends them, declines and
//! cancellations that give them back, idempotency, stock raced by
//! concurrent requests, voucher codes seen only by their owner, limits.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

on_both_databases!(
    a_reward_is_held_then_spent_or_given_back,
    the_last_one_goes_to_one_person_only,
    voucher_codes_are_handed_out_once_and_seen_by_their_owner,
    bad_rewards_and_bad_requests_change_nothing,
    the_monthly_budget_counts_approved_and_waiting_costs,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn give(server: &TestServer, email: &str, points: i64) {
    let person = common::person_id(server, email).await;
    let key = format!("gift:{email}:{points}");
    assert!(common::ledger_pay(server, person, &key, points, app::base::db::now_ms()).await);
}

fn reward(name: &str, price: i64) -> Value {
    json!({
        "name": name, "description": "Two tickets", "image_id": null, "category": "Experiences",
        "price": price, "stock": null, "per_person": null, "limit_period": "Month",
        "available_from": null, "available_until": null, "needs_approval": true,
        "fulfilment": "Manual", "fields": [], "groups": [], "active": true
    })
}

async fn create(server: &TestServer, admin: &Client, input: Value) -> i64 {
    let (status, id) = server.calls(admin).save_reward(None::<i64>, &input).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().unwrap()
}

async fn catalogue(server: &TestServer, who: &Client) -> Value {
    let (status, body) = server.calls(who).rewards_catalogue().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn balances(c: &Value) -> (i64, i64, i64) {
    (
        c["spendable"].as_i64().unwrap(),
        c["lifetime"].as_i64().unwrap(),
        c["held"].as_i64().unwrap(),
    )
}

async fn a_reward_is_held_then_spent_or_given_back(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    give(&server, EMPLOYEE, 200).await;
    let cinema = create(&server, &admin, reward("Cinema tickets", 120)).await;
    let mut course = reward("A course", 150);
    course["category"] = json!("Training");
    let course = create(&server, &admin, course).await;

    // What motivates the person comes first.
    let calls = server.calls(&employee);
    calls
        .save_motivations(&json!({ "list": ["Training"], "on_boards": true }))
        .await;
    // (The demo's catalogue is there too: its course is dearer.)
    let c = catalogue(&server, &employee).await;
    let offers = c["offers"].as_array().unwrap();
    assert_eq!(offers[0]["id"], course);
    let place = |id: i64| offers.iter().position(|o| o["id"] == id).unwrap();
    let last_match = offers.iter().rposition(|o| o["matches"] == true).unwrap();
    assert!(place(cinema) > last_match, "{c}");
    assert_eq!(offers[place(cinema)]["matches"], false);

    // Redeemed: held at once, lifetime untouched; a double click is one request.
    let (status, first) = calls.redeem_reward(cinema, "key-00000001", json!([])).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["status"], "Requested");
    let (_, again) = calls.redeem_reward(cinema, "key-00000001", json!([])).await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(
        balances(&catalogue(&server, &employee).await),
        (80, 200, 120)
    );
    // Not enough left for the course: refused, nothing changes.
    let (status, body) = calls.redeem_reward(course, "key-00000002", json!([])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body, json!({ "Conflict": "ErrNotEnoughPoints" }));
    assert_eq!(
        balances(&catalogue(&server, &employee).await),
        (80, 200, 120)
    );

    // Administrators were told; the person may not approve their own.
    let admin_calls = server.calls(&admin);
    let (_, notices) = admin_calls.my_notifications().await;
    assert_eq!(notices[0]["kind"], "RewardRequested", "{notices}");
    assert_eq!(notices[0]["who"], "Elias Employee");
    let id = first["id"].as_i64().unwrap();
    let (status, _) = calls.move_reward_requests(&[id], "Approved", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Approved: spent. Rank and lifetime points stay.
    let (status, body) = admin_calls
        .move_reward_requests(&[id], "Approved", "")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(balances(&catalogue(&server, &employee).await), (80, 200, 0));
    let (_, board) = calls
        .leaderboard(json!("People"), json!("Week"), None::<i64>)
        .await;
    assert_eq!(board["top"][0]["points"], 200, "{board}");
    // Declined after approval (it could not be delivered): refunded, with a reason.
    let (status, body) = admin_calls
        .move_reward_requests(&[id], "Declined", " ")
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a reason is required: {body}"
    );
    let (status, _) = admin_calls
        .move_reward_requests(&[id], "Declined", "Sold out at the cinema")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        balances(&catalogue(&server, &employee).await),
        (200, 200, 0)
    );
    let (_, mine) = calls.my_reward_requests().await;
    assert_eq!(mine[0]["status"], "Declined");
    assert_eq!(mine[0]["note"], "Sold out at the cinema");
    let steps: Vec<&str> = mine[0]["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["Requested", "Approved", "Declined"]);
    let (_, notices) = calls.my_notifications().await;
    let kinds: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["RewardDeclined", "RewardApproved"]);
    // A closed request moves no more.
    let (status, _) = admin_calls
        .move_reward_requests(&[id], "Approved", "")
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The person cancels a waiting request; someone else cannot.
    let (_, second) = calls.redeem_reward(cinema, "key-00000003", json!([])).await;
    let second = second["id"].as_i64().unwrap();
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let (status, _) = server.calls(&reviewer).cancel_reward_request(second).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = calls.cancel_reward_request(second).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        balances(&catalogue(&server, &employee).await),
        (200, 200, 0)
    );
}

async fn the_last_one_goes_to_one_person_only(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let mut input = reward("The last day off", 50);
    input["stock"] = json!(1);
    input["needs_approval"] = json!(false);
    let id = create(&server, &admin, input).await;
    let mut people = Vec::new();
    for email in [EMPLOYEE, REVIEWER, ADMIN] {
        give(&server, email, 100).await;
        people.push(server.sign_in(email, DEMO_PASSWORD).await);
    }
    let tries = people.iter().enumerate().map(|(i, who)| {
        let server = &server;
        async move {
            server
                .calls(who)
                .redeem_reward(id, &format!("race-key-{i:04}"), json!([]))
                .await
        }
    });
    let results = futures::future::join_all(tries).await;
    let won: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert_eq!(
        won[0]["status"], "Approved",
        "no approval needed: spent at once"
    );
    for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT);
        assert_eq!(*body, json!({ "Conflict": "ErrRewardSoldOut" }));
    }
    // Nobody who lost has points held.
    let held: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger WHERE reason IN ('hold', 'release')",
    )
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    assert_eq!(held, 0);
}

async fn voucher_codes_are_handed_out_once_and_seen_by_their_owner(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    give(&server, EMPLOYEE, 100).await;
    give(&server, REVIEWER, 100).await;
    let mut input = reward("Cinema voucher", 40);
    input["fulfilment"] = json!("Voucher");
    input["per_person"] = json!(1);
    let id = create(&server, &admin, input).await;
    let admin_calls = server.calls(&admin);
    let (status, report) = admin_calls
        .add_vouchers(
            id,
            "code,valid until\nCINE-1,2027\nCINE-2,2027\nCINE-1,again\n",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report, json!({ "added": 2, "duplicates": 1, "left": 2 }));

    let (_, mine) = server
        .calls(&employee)
        .redeem_reward(id, "voucher-key-1", json!([]))
        .await;
    assert_eq!(mine["voucher"], Value::Null, "not before approval");
    let request = mine["id"].as_i64().unwrap();
    // The limit: one per person per month.
    let (status, body) = server
        .calls(&employee)
        .redeem_reward(id, "voucher-key-2", json!([]))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::CONFLICT,
            json!({ "Conflict": "ErrRewardLimit" })
        )
    );
    admin_calls
        .move_reward_requests(&[request], "Approved", "")
        .await;
    let (_, list) = server.calls(&employee).my_reward_requests().await;
    assert_eq!(list[0]["voucher"], "CINE-1");
    // Someone else's requests do not show it.
    let (_, theirs) = server.calls(&reviewer).my_reward_requests().await;
    assert_eq!(theirs, json!([]));
    let (_, other) = server
        .calls(&reviewer)
        .redeem_reward(id, "voucher-key-3", json!([]))
        .await;
    assert_eq!(other["voucher"], Value::Null);
    let c = catalogue(&server, &reviewer).await;
    assert_eq!(c["offers"][0]["left"], 0);
    let (status, body) = server.calls(&admin).add_vouchers(id, "\n\n").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

async fn bad_rewards_and_bad_requests_change_nothing(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let calls = server.calls(&admin);
    for (field, value, error) in [
        ("name", json!("  "), "ErrNameRequired"),
        ("price", json!(0), "ErrRewardPrice"),
        ("stock", json!(-1), "ErrRewardCount"),
        ("category", json!("QuietRecognition"), "ErrRewardCategory"),
    ] {
        let mut input = reward("Bad", 10);
        input[field] = value;
        let (status, body) = calls.save_reward(None::<i64>, &input).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(body, json!({ "Invalid": error }), "{field}");
    }
    let (status, _) = server
        .calls(&employee)
        .save_reward(None::<i64>, &reward("Mine", 1))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let names: Vec<String> = calls
        .list_rewards()
        .await
        .1
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["input"]["name"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !names.iter().any(|n| n == "Bad" || n == "Mine"),
        "{names:?}"
    );

    // A delivery form: answers are checked against it.
    give(&server, EMPLOYEE, 100).await;
    let mut input = reward("Hoodie", 30);
    input["fulfilment"] = json!("Delivery");
    input["fields"] = json!([
        { "label": "Size", "kind": "Choice", "required": true, "choices": ["S", "M", "L"] },
        { "label": "Address", "kind": "Address", "required": true, "choices": [] }
    ]);
    let id = create(&server, &admin, input).await;
    let me = server.calls(&employee);
    let (status, body) = me
        .redeem_reward(id, "hoodie-key-1", json!(["XL", "Storgatan 1"]))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrAnswerInvalid" })
        )
    );
    let (status, _) = me
        .redeem_reward(id, "bad key!", json!(["M", "Storgatan 1"]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(balances(&catalogue(&server, &employee).await).2, 0);
    let (status, ok) = me
        .redeem_reward(id, "hoodie-key-2", json!(["M", "Storgatan 1"]))
        .await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    assert_eq!(
        ok["answers"],
        json!([["Size", "M"], ["Address", "Storgatan 1"]])
    );
    let anonymous = server.client();
    let (status, _) = server.calls(&anonymous).rewards_catalogue().await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn the_monthly_budget_counts_approved_and_waiting_costs(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    give(&server, EMPLOYEE, 500).await;
    let mut input = reward("Concert tickets", 100);
    input["cost"] = json!(600);
    let concert = create(&server, &admin, input).await;
    let calls = server.calls(&admin);

    // No budget yet: nothing to warn about; bad settings are refused.
    let (status, view) = calls.reward_budget().await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["budget"]["monthly"], Value::Null);
    let (status, body) = calls
        .save_reward_budget(json!({ "monthly": 1000, "currency": "kronor" }))
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({ "Invalid": "ErrCurrency" }))
    );
    let (status, _) = server
        .calls(&employee)
        .save_reward_budget(json!({ "monthly": 1000, "currency": "SEK" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = calls
        .save_reward_budget(json!({ "monthly": 1000, "currency": "sek" }))
        .await;
    assert_eq!(status, StatusCode::OK);

    // Two requests wait (1 200); one approved (600 spent); a decline takes
    // its cost out again.
    let mine = server.calls(&employee);
    let (_, first) = mine
        .redeem_reward(concert, "budget-00000001", json!([]))
        .await;
    let (_, second) = mine
        .redeem_reward(concert, "budget-00000002", json!([]))
        .await;
    let (_, view) = calls.reward_budget().await;
    assert_eq!(
        (view["spent"].as_i64(), view["waiting"].as_i64()),
        (Some(0), Some(1200))
    );
    assert_eq!(view["budget"]["currency"], "SEK");
    let first = first["id"].as_i64().unwrap();
    calls.move_reward_requests(&[first], "Approved", "").await;
    let (_, view) = calls.reward_budget().await;
    assert_eq!(
        (view["spent"].as_i64(), view["waiting"].as_i64()),
        (Some(600), Some(600))
    );
    let (_, board) = calls.fulfilment_board().await;
    assert_eq!(board[0]["cost"], 600, "the board knows each request's cost");
    calls
        .move_reward_requests(&[first], "Declined", "The concert was cancelled")
        .await;
    let second = second["id"].as_i64().unwrap();
    calls
        .move_reward_requests(&[second], "Declined", "Sold out")
        .await;
    let (_, view) = calls.reward_budget().await;
    assert_eq!(
        (view["spent"].as_i64(), view["waiting"].as_i64()),
        (Some(0), Some(0))
    );
}
