//! The living demo (issue 32), on SQLite and PostgreSQL: twelve weeks of
//! history made through the app's own functions, so the boards, the review
//! board and *My impact* are populated and agree with the ledger; and the
//! binary's `--demo-live` visitors, counted through the real redirect.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use app::base::ledger::Period;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{self, Backend, DEMO_PASSWORD, EMPLOYEE};

on_both_databases!(the_demo_history_populates_every_place_and_agrees_with_the_ledger);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn ok(reply: (StatusCode, Value)) -> Value {
    assert_eq!(reply.0, StatusCode::OK, "{}", reply.1);
    reply.1
}

async fn the_demo_history_populates_every_place_and_agrees_with_the_ledger(backend: Backend) {
    let server = common::start(backend).await;
    server::seed::history::seed(&server.state).await.unwrap();
    server.sprida.clicks().flushed().await;
    let db = &server.state.db;

    // Shares spread over the weeks, on weekdays, never before their item.
    let shares: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.at, i.published_at FROM shares s JOIN content_items i ON i.id = s.item_id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert!(shares.len() > 100, "{} shares", shares.len());
    let weeks: BTreeSet<i64> = shares
        .iter()
        .map(|(at, _)| Period::Week.start(*at))
        .collect();
    assert!(weeks.len() >= 11, "{} weeks", weeks.len());
    for (at, published) in &shares {
        assert!(at > published, "a share before its item");
        assert!((at / 86_400_000 + 3).rem_euclid(7) < 5, "a weekend share");
    }
    // Clicks that counted and clicks that did not.
    let verdicts: Vec<String> = sqlx::query_scalar("SELECT DISTINCT verdict FROM clicks")
        .fetch_all(db)
        .await
        .unwrap();
    for v in ["qualified", "bot", "prefetch"] {
        assert!(verdicts.iter().any(|x| x == v), "{v} in {verdicts:?}");
    }

    // The stored totals are the ledger's, for everyone and every period.
    // (Earnings of every kind: the demo has thanks with points too.)
    let earning: Vec<String> = app::base::ledger::Reason::ALL
        .into_iter()
        .filter(|r| r.earns())
        .map(|r| format!("'{}'", r.name()))
        .collect();
    let mismatched: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM points_totals t WHERE t.period = 'all' \
         AND t.points <> (SELECT COALESCE(SUM(l.points), 0) FROM points_ledger l \
                          WHERE l.person_id = t.person_id AND l.reason IN ({}))",
        earning.join(", ")
    ))
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(mismatched, 0);

    // The employee's board, impact and home are populated.
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let board = ok(server
        .calls(&employee)
        .leaderboard(json!("People"), json!("AllTime"), None::<i64>)
        .await)
    .await;
    assert!(board["top"].as_array().unwrap().len() >= 8, "{board}");
    let impact = ok(server.calls(&employee).my_impact().await).await;
    assert!(impact["shares"].as_i64().unwrap() > 0, "{impact}");
    assert!(impact["qualified_clicks"].as_i64().unwrap() > 0, "{impact}");

    // Posts in every column of the review board, with comments.
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let cards = ok(server.calls(&reviewer).review_board().await).await;
    let stages: BTreeSet<String> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["stage"].as_str().unwrap().to_string())
        .collect();
    for stage in [
        "Submitted",
        "InReview",
        "ChangesRequested",
        "Published",
        "Rejected",
    ] {
        assert!(stages.contains(stage), "{stage} in {stages:?}");
    }
    let comments: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM post_comments")
        .fetch_one(db)
        .await
        .unwrap();
    assert!(comments >= 3);

    // Thanks on the wall (public ones; a private one only for its two) and
    // a challenge running with standings.
    let wall = ok(server.calls(&employee).recognition_wall().await).await;
    assert!(wall["kudos"].as_array().unwrap().len() >= 8, "{wall}");
    let challenges = ok(server.calls(&employee).list_challenges().await).await;
    assert_eq!(challenges["list"][0]["phase"], "Running");
    assert!(!challenges["list"][0]["standings"]
        .as_array()
        .unwrap()
        .is_empty());
}

/// `--demo-live`: the binary's simulated visitors reach the redirect and
/// their clicks count as people's.
#[tokio::test]
async fn demo_live_visitors_click_through_the_real_redirect() {
    let dir = tempfile::tempdir().unwrap();
    let (port, child) = crate::binary::spawn_with_args(
        &dir.path().join("data"),
        &[
            "--demo=true",
            "--demo-history=false",
            "--demo-live=true",
            "--demo-live-every-secs=1",
        ],
    );
    crate::binary::wait_until_healthy(port).await;
    // The demo has no links without its history: one employee opens one.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let signed = client
        .post(format!("{base}/api/sign_in"))
        .header("origin", &base)
        .form(&[("email", EMPLOYEE), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(signed.status().is_success(), "{}", signed.status());
    let item = client
        .post(format!("{base}/api/load_hub"))
        .header("origin", &base)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["cards"][0]["id"]
        .as_i64()
        .unwrap();
    let link = client
        .post(format!("{base}/api/share_link"))
        .header("origin", &base)
        .form(&[
            ("item_id", item.to_string()),
            ("channel", "LinkedIn".into()),
        ])
        .send()
        .await
        .unwrap();
    assert!(link.status().is_success());

    let url = format!(
        "sqlite://{}?mode=ro",
        dir.path().join("data/sprida.db").display()
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let qualified = loop {
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clicks WHERE verdict = 'qualified'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        if n >= 2 || Instant::now() > deadline {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let output = crate::binary::stop(child).await;
    assert!(
        qualified >= 2,
        "{qualified} qualified clicks from the demo visitors\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
