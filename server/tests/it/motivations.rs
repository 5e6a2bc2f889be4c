//! What motivates a person, and leaving the public boards (issue 19), on
//! SQLite and PostgreSQL.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    motivations_are_ordered_and_each_named_once,
    leaving_the_boards_hides_a_person_but_not_their_points,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn motivations_are_ordered_and_each_named_once(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let calls = server.calls(&employee);
    let (status, fresh) = calls.my_motivations().await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    assert_eq!(fresh, json!({ "list": [], "on_boards": true }));

    let chosen = json!({ "list": ["TimeOff", "Training", "Charity"], "on_boards": true });
    let (status, saved) = calls.save_motivations(&chosen).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(calls.my_motivations().await.1, chosen);

    // Bad input changes nothing and says why.
    let twice = json!({ "list": ["Things", "Things"], "on_boards": false });
    let (status, body) = calls.save_motivations(&twice).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, json!({ "Invalid": "ErrMotivationTwice" }));
    let unknown = json!({ "list": ["GoldBars"], "on_boards": true });
    let (status, _) = calls.save_motivations(&unknown).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(calls.my_motivations().await.1, chosen);

    // Each person's own: another person reads theirs, not the employee's.
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    assert_eq!(
        server.calls(&reviewer).my_motivations().await.1["list"],
        json!([])
    );
    let anonymous = server.client();
    let (status, _) = server.calls(&anonymous).save_motivations(&chosen).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

fn names(rows: &Value) -> Vec<&str> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect()
}

async fn leaving_the_boards_hides_a_person_but_not_their_points(backend: Backend) {
    let server = common::start(backend).await;
    let now = app::base::db::now_ms();
    for (email, key, points) in [
        (ADMIN, "t:1", 30),
        (REVIEWER, "t:2", 20),
        (EMPLOYEE, "t:3", 25),
    ] {
        let person = common::person_id(&server, email).await;
        assert!(common::ledger_pay(&server, person, key, points, now).await);
    }
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let week = |who| {
        let server = &server;
        async move {
            let (status, body) = server
                .calls(who)
                .leaderboard(json!("People"), json!("Week"), None::<i64>)
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let teams = |who| {
        let server = &server;
        async move {
            let (_, body) = server
                .calls(who)
                .leaderboard(json!({ "Groups": "Team" }), json!("Week"), None::<i64>)
                .await;
            body["top"].clone()
        }
    };
    assert_eq!(
        names(&week(&reviewer).await["top"]),
        ["Alva Admin", "Elias Employee", "Rasmus Reviewer"]
    );
    let teams_before = teams(&reviewer).await;

    let off = json!({ "list": ["QuietRecognition"], "on_boards": false });
    let (status, body) = server.calls(&employee).save_motivations(&off).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Others no longer see the employee; the ranks close up.
    let board = week(&reviewer).await;
    assert_eq!(names(&board["top"]), ["Alva Admin", "Rasmus Reviewer"]);
    assert_eq!(board["top"][1]["rank"], 2);
    // The employee still sees where they would stand, privately.
    let mine = week(&employee).await;
    assert_eq!(names(&mine["top"]), ["Alva Admin", "Rasmus Reviewer"]);
    assert_eq!(mine["me"]["rank"], 2);
    assert_eq!(mine["me"]["tied"], false);
    assert_eq!(mine["me"]["points"], 25);
    // Their points still count for their teams.
    assert_eq!(teams(&reviewer).await, teams_before);
    // A paired TV's ticker leaves their shares out; a colleague's show.
    let tv = paired_tv(&server).await;
    let item: i64 = sqlx::query_scalar("SELECT id FROM content_items ORDER BY id LIMIT 1")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    for who in [&employee, &reviewer] {
        let (status, body) = server
            .calls(who)
            .record_share(&item.to_string(), "LinkedIn", "")
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, state) = server.calls(&tv).tv_board().await;
    let ticker: Vec<&str> = state["Live"]["ticker"]
        .as_array()
        .unwrap_or_else(|| panic!("{state}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(ticker, ["Rasmus Reviewer"]);

    // Back on the boards.
    let on = json!({ "list": [], "on_boards": true });
    server.calls(&employee).save_motivations(&on).await;
    assert!(names(&week(&reviewer).await["top"]).contains(&"Elias Employee"));
}

/// A screen made by the administrator and paired as a TV pairs: the link's
/// form posted back from the same origin.
async fn paired_tv(server: &TestServer) -> reqwest::Client {
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let input =
        json!({ "input": { "name": "Entré", "panels": ["TopPeople"], "rotate_seconds": 10 } });
    let (status, link) = server.call_json(&admin, "create_screen", input).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let tv = common::no_redirects();
    let res = tv
        .post(link["url"].as_str().unwrap())
        .header("origin", &server.url)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    tv
}
