//! Publishing, the hub, sharing and the points ledger, on SQLite and PostgreSQL.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

on_both_databases!(
    curators_publish_and_employees_share_from_their_hub,
    shares_pay_once_per_link_and_the_ledger_never_pays_a_source_twice,
    admins_set_the_point_rules_and_impact_adds_up,
    images_are_checked_by_their_bytes_and_follow_their_contents_visibility,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

fn item(title: &str) -> Value {
    json!({
        "title": title,
        "summary": "We are opening an office in Luleå.",
        "destination_url": "https://example.com/news/lulea",
        "image_id": null,
        "texts": [
            { "channel": "LinkedIn", "text": "We are opening a new office in Luleå this winter." },
            { "channel": "X", "text": "New office in Luleå!" }
        ],
        "tags": "#News, offices",
        "target_groups": [],
        "publish_at": null,
        "expires_at": null
    })
}

async fn create(server: &TestServer, curator: &Client, body: Value) -> i64 {
    let (status, id) = server.calls(curator).save_content(None::<i64>, body).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().unwrap()
}

async fn publish(server: &TestServer, curator: &Client, id: i64) {
    let (status, body) = server
        .calls(curator)
        .set_content_status(&id.to_string(), "Published")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn hub_titles(server: &TestServer, client: &Client) -> Vec<String> {
    let (status, hub) = server.calls(client).load_hub().await;
    assert_eq!(status, StatusCode::OK, "{hub}");
    hub["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

async fn share(
    server: &TestServer,
    client: &Client,
    id: i64,
    channel: &str,
    text: &str,
) -> (StatusCode, Value) {
    server
        .calls(client)
        .record_share(&id.to_string(), channel, text)
        .await
}

async fn ledger(server: &TestServer, email: &str) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT l.source_key, l.points FROM points_ledger l JOIN people p ON p.id = l.person_id \
         WHERE p.email = $1 ORDER BY l.id",
    )
    .bind(email)
    .fetch_all(&server.state.db)
    .await
    .unwrap()
}

async fn status_of(client: &Client, url: &str) -> StatusCode {
    client.get(url).send().await.unwrap().status()
}

async fn curators_publish_and_employees_share_from_their_hub(backend: Backend) {
    let server = common::start(backend).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;

    // Employees may not publish; bad input is refused with its reason.
    let (status, body) = server
        .calls(&employee)
        .save_content(None::<i64>, json!(item("x")))
        .await;
    assert_eq!(body, json!("Forbidden"));
    assert_ne!(status, StatusCode::OK);
    let mut bad = item("Bad link");
    bad["destination_url"] = json!("javascript:alert(1)");
    let (_, body) = server.calls(&reviewer).save_content(None::<i64>, bad).await;
    assert_eq!(body, json!({ "Invalid": "ErrDestination" }));

    let id = create(&server, &reviewer, item("Luleå office")).await;
    assert!(
        !hub_titles(&server, &employee)
            .await
            .contains(&"Luleå office".to_string()),
        "a draft is not in the hub"
    );
    let (_, body) = server
        .calls(&employee)
        .share_link(&id.to_string(), "X")
        .await;
    assert_eq!(body, json!("NotFound"), "no link for a draft");
    publish(&server, &reviewer, id).await;
    let (_, hub) = server.calls(&employee).load_hub().await;
    let card = hub["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(id))
        .expect("published item in the hub")
        .clone();
    assert_eq!(hub["cards"][0]["id"], json!(id), "newest first");
    assert_eq!(card["tags"], json!(["news", "offices"]));
    assert_eq!(card["is_new"], json!(true));
    assert!(hub["tags"].as_array().unwrap().contains(&json!("offices")));

    // One link per (item, person, channel), on the public base URL.
    let link = |channel: &'static str| {
        let (server, employee) = (&server, &employee);
        async move {
            let (status, body) = server
                .calls(employee)
                .share_link(&id.to_string(), channel)
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["url"].as_str().unwrap().to_string()
        }
    };
    let x = link("X").await;
    assert!(
        x.starts_with(&format!("{}/s/", server.state.config.base_url)),
        "{x}"
    );
    assert_eq!(link("X").await, x);
    assert_ne!(link("LinkedIn").await, x);

    // Targeted at a group the employee is not in: gone from their hub.
    let (_, groups) = server.calls(&reviewer).list_groups().await;
    let (_, me) = server.calls(&employee).my_profile().await;
    let mine: Vec<&Value> = me["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["id"])
        .collect();
    let other = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| !mine.contains(&&g["id"]))
        .unwrap()["id"]
        .clone();
    let mut targeted = item("Only for others");
    targeted["target_groups"] = json!([other]);
    let hidden = create(&server, &reviewer, targeted.clone()).await;
    publish(&server, &reviewer, hidden).await;
    assert!(!hub_titles(&server, &employee)
        .await
        .contains(&"Only for others".to_string()));
    let (_, body) = share(&server, &employee, hidden, "X", "hi").await;
    assert_eq!(body, json!("NotFound"));
    targeted["target_groups"] = json!([mine[0]]);
    let (status, _) = server.calls(&reviewer).save_content(hidden, targeted).await;
    assert_eq!(status, StatusCode::OK);
    assert!(hub_titles(&server, &employee)
        .await
        .contains(&"Only for others".to_string()));

    // Scheduled for later: not yet in the hub.
    let mut later = item("Next week");
    later["publish_at"] = json!(app::base::db::now_ms() + 7 * 24 * 3_600_000);
    let later = create(&server, &reviewer, later).await;
    publish(&server, &reviewer, later).await;
    assert!(!hub_titles(&server, &employee)
        .await
        .contains(&"Next week".to_string()));

    // Shared items are never deleted, only archived; unshared ones may go.
    let (status, _) = share(&server, &employee, id, "X", "New office in Luleå!").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server
        .calls(&reviewer)
        .delete_content(&id.to_string())
        .await;
    assert_ne!(status, StatusCode::OK);
    assert_eq!(body, json!({ "Conflict": "ErrHasShares" }));
    let (status, _) = server
        .calls(&reviewer)
        .set_content_status(&id.to_string(), "Archived")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!hub_titles(&server, &employee)
        .await
        .contains(&"Luleå office".to_string()));
    let (_, list) = server.calls(&reviewer).list_content().await;
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(id))
        .unwrap();
    assert_eq!(
        (row["status"].clone(), row["shares"].clone()),
        (json!("Archived"), json!(1))
    );
    let (status, _) = server
        .calls(&reviewer)
        .delete_content(&later.to_string())
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = server
        .calls(&reviewer)
        .get_content(&later.to_string())
        .await;
    assert_eq!(body, json!("NotFound"));
}

async fn shares_pay_once_per_link_and_the_ledger_never_pays_a_source_twice(backend: Backend) {
    let server = common::start(backend).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let id = create(&server, &reviewer, item("Luleå office")).await;
    publish(&server, &reviewer, id).await;

    // The suggested text as is: the share points, no bonus.
    let (_, first) = share(&server, &employee, id, "X", "New office in Luleå!").await;
    assert_eq!(first["points"], json!(10));
    assert_eq!(first["personalised"], json!(false));
    // Sharing the same link again (a double submit, a replay) pays nothing.
    let (_, again) = share(&server, &employee, id, "X", "New office in Luleå!").await;
    assert_eq!(again["points"], json!(0));
    // In one's own words on another network: share points and the bonus.
    let (_, own) = share(
        &server,
        &employee,
        id,
        "LinkedIn",
        "I will be moving up north to help build our Luleå team. Ask me anything!",
    )
    .await;
    assert_eq!(
        (own["points"].clone(), own["personalised"].clone()),
        (json!(15), json!(true))
    );
    assert_eq!(own["spendable"], json!(25));

    // Ten simultaneous submits of one more share: paid exactly once.
    let calls = (0..10).map(|_| share(&server, &employee, id, "WhatsApp", "Luleå!"));
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(|(s, _)| *s == StatusCode::OK));
    let paid: i64 = results
        .iter()
        .map(|(_, b)| b["points"].as_i64().unwrap())
        .sum();
    assert_eq!(paid, 10);

    let entries = ledger(&server, EMPLOYEE).await;
    let keys: Vec<&str> = entries
        .iter()
        .map(|(k, _)| k.split(':').next().unwrap())
        .collect();
    assert_eq!(keys, vec!["share", "share", "bonus", "share"]);
    let shares: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM shares")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(shares, 13, "every share is recorded, paid or not");

    // The ledger itself refuses a second entry for a source key.
    assert!(common::ledger_pay(&server, 1, "click:999999", 2, 0).await);
    assert!(!common::ledger_pay(&server, 1, "click:999999", 2, 0).await);
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM points_ledger WHERE source_key = 'click:999999'",
    )
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    assert_eq!(n, 1);
}

async fn admins_set_the_point_rules_and_impact_adds_up(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let rules = |share: i64, click: i64| {
        json!({ "rules": {
            "per_share": share, "per_qualified_click": click,
            "personalised_bonus": 5, "daily_click_cap_per_share": 40
        }})
    };
    let (_, body) = server
        .call_json(&employee, "save_point_rules", rules(100, 100))
        .await;
    assert_eq!(body, json!("Forbidden"));
    let (_, body) = server
        .call_json(&admin, "save_point_rules", rules(-1, 3))
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrPointRule" }));
    let (status, _) = server
        .call_json(&admin, "save_point_rules", rules(20, 3))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, read) = server.calls(&employee).get_point_rules().await;
    assert_eq!(read["per_share"], json!(20));

    let id = create(&server, &admin, item("Luleå office")).await;
    publish(&server, &admin, id).await;
    let (_, out) = share(&server, &employee, id, "X", "New office in Luleå!").await;
    assert_eq!(out["points"], json!(20));
    let (_, link) = server
        .calls(&employee)
        .share_link(&id.to_string(), "X")
        .await;
    // A visitor clicks: the new click rule applies.
    let visitor = common::no_redirects();
    let res = visitor
        .get(link["url"].as_str().unwrap())
        .header(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    // Stored; on SQLite it shows in the tables within moments.
    server.sprida.clicks().flushed().await;

    let (status, impact) = server.calls(&employee).my_impact().await;
    assert_eq!(status, StatusCode::OK, "{impact}");
    assert_eq!(impact["shares"], json!(1));
    assert_eq!(impact["qualified_clicks"], json!(1));
    assert_eq!(impact["lifetime_points"], json!(23));
    assert_eq!(impact["spendable_points"], json!(23));
    let (_, profile) = server.calls(&employee).my_profile().await;
    let x_audience = profile["networks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["network"] == json!("X"))
        .map_or(0, |n| n["audience"].as_i64().unwrap());
    assert_eq!(impact["potential_reach"], json!(x_audience));
    let x = &impact["by_channel"][0];
    assert_eq!(
        (x["channel"].clone(), x["points"].clone()),
        (json!("X"), json!(23))
    );
    let this_week = impact["weeks"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (
            this_week["shares"].clone(),
            this_week["clicks"].clone(),
            this_week["points"].clone()
        ),
        (json!(1), json!(1), json!(23))
    );
    let kinds: Vec<&str> = impact["latest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["Click", "Share"]);
}

async fn images_are_checked_by_their_bytes_and_follow_their_contents_visibility(backend: Backend) {
    use base64::Engine;
    let server = common::start(backend).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    // A 1×1 PNG header is enough for the check; the bytes are served as stored.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    png.extend(b"rest of the file");

    let (status, mine) = server.calls(&employee).upload_image(b64(&png)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "employees illustrate their own posts: {mine}"
    );
    for (bad, reason) in [
        (b"<svg onload=alert(1)>".to_vec(), "ErrImageType"),
        (b"GIF89a\x01\0\x01\0".to_vec(), "ErrImageType"),
    ] {
        let (_, body) = server.calls(&reviewer).upload_image(b64(&bad)).await;
        assert_eq!(body, json!({ "Invalid": reason }));
    }
    let (status, id) = server.calls(&reviewer).upload_image(b64(&png)).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let url = format!("{}/media/{}", server.url, id.as_i64().unwrap());
    // An image follows the content it belongs to: used by nothing yet, only
    // its uploader sees it (ids are sequential: guessing one shows nothing).
    assert_eq!(status_of(&employee, &url).await, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&reviewer, &url).await, StatusCode::OK);
    let mut pictured = item("Pictured");
    pictured["image_id"] = id.clone();
    let pictured = create(&server, &reviewer, pictured).await;
    assert_eq!(
        status_of(&employee, &url).await,
        StatusCode::NOT_FOUND,
        "a draft's"
    );
    publish(&server, &reviewer, pictured).await;
    // The employee's own, in their private draft: not the reviewer's to see.
    let (code, saved) = server
        .calls(&employee)
        .save_post(
            None::<i64>,
            None::<i64>,
            json!({ "title": "Mine", "body": "", "destination_url": "",
            "image_id": mine, "texts": [], "tags": "" }),
        )
        .await;
    assert_eq!(code, StatusCode::OK, "{saved}");
    let my_url = format!("{}/media/{}", server.url, mine.as_i64().unwrap());
    assert_eq!(status_of(&reviewer, &my_url).await, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&employee, &my_url).await, StatusCode::OK);

    let res = employee.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), png.as_slice());
    let anonymous = server.client().get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let missing = employee
        .get(format!("{}/media/999999", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // An item may only use an image that exists.
    let mut with_image = item("With image");
    with_image["image_id"] = json!(999_999);
    let (_, body) = server
        .calls(&reviewer)
        .save_content(None::<i64>, with_image)
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrImageType" }));
}
