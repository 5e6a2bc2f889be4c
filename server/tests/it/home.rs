//! The start page's figures, on SQLite and PostgreSQL: points, rank and
//! streak after a share, the suggestion moving on to an item not yet shared,
//! and what waits for reviewers and admins.

use crate::common;
use crate::common::{Backend, ADMIN, DEMO_PASSWORD, EMPLOYEE};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_databases!(the_home_page_says_where_i_stand_and_what_to_do_next);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn day(server: &common::TestServer, client: &reqwest::Client) -> Value {
    let (status, day) = server.calls(client).my_day().await;
    assert_eq!(status, StatusCode::OK, "{day}");
    day
}

async fn the_home_page_says_where_i_stand_and_what_to_do_next(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;

    let before = day(&server, &employee).await;
    assert_eq!(before["spendable_points"], json!(0));
    assert_eq!(before["rank"], Value::Null, "no points, no rank");
    assert_eq!(before["streak_weeks"], json!(0));
    assert_eq!(before["to_review"], Value::Null, "not a reviewer");
    assert_eq!(before["attention"], Value::Null, "not an admin");
    let first = before["suggestion"]["id"].as_i64().expect("a suggestion");

    let (status, body) = server
        .calls(&employee)
        .record_share(&first.to_string(), "X", "In my own words: worth a read")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = day(&server, &employee).await;
    assert!(after["spendable_points"].as_i64().unwrap() >= 10, "{after}");
    assert_eq!(after["week_points"], after["spendable_points"]);
    assert_eq!(after["rank"], json!(1), "the only one with points");
    assert_eq!(after["streak_weeks"], json!(1));
    assert_eq!(after["shared_this_week"], json!(true));
    let next = after["suggestion"]["id"].as_i64().expect("a suggestion");
    assert_ne!(
        next, first,
        "the suggestion moves on to an item not shared yet"
    );

    // Reviewers see the board's waiting count; admins what needs attention.
    let waiting = day(&server, &reviewer).await["to_review"].as_i64();
    assert_eq!(waiting, Some(0));
    let (status, saved) = server
        .calls(&employee)
        .save_post(
            None::<i64>,
            None::<i64>,
            json!({ "title": "Our lab", "body": "What we built", "destination_url": "https://example.com/lab",
                    "image_id": null, "texts": [], "tags": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (id, version) = (
        saved["id"].as_i64().unwrap(),
        saved["version"].as_i64().unwrap(),
    );
    let (status, body) = server
        .calls(&employee)
        .submit_post(&id.to_string(), &version.to_string())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(day(&server, &reviewer).await["to_review"], json!(1));
    let attention = day(&server, &admin).await["attention"].clone();
    assert_eq!(attention["waiting_long"], json!(0), "submitted just now");
    let (status, body) = server
        .calls(&admin)
        .create_person(
            json!({ "email": "new@example.com", "name": "New Person", "title": "",
                               "roles": ["Employee"], "group_ids": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let invited = day(&server, &admin).await["attention"]["invited"].clone();
    assert_eq!(invited, json!(attention["invited"].as_i64().unwrap() + 1));

    // Signed out, there is no day to show.
    let (status, _) = server.calls(&server.client()).my_day().await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
