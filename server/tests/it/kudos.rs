//! Recognition (issue 19) on SQLite and PostgreSQL: thanks with values and
//! points from a monthly allowance, the cap per recipient, no self-thanks,
//! awards for managers only, private thanks, removal with its audit trail,
//! pairs flagged, and concurrent thanks that cannot overspend.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE, MANAGER};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

on_both_databases!(
    thanks_pay_within_the_allowance_and_the_cap,
    private_thanks_removal_and_flagged_pairs,
    concurrent_thanks_cannot_overspend,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn value(server: &TestServer, admin: &Client, en: &str, sv: &str) -> i64 {
    let input =
        json!({ "name_en": en, "name_sv": sv, "about_en": "", "about_sv": "", "active": true });
    let (status, id) = server
        .calls(admin)
        .save_kudos_value(None::<i64>, &input)
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().unwrap()
}

async fn rules(server: &TestServer, admin: &Client, allowance: i64, manager: i64, cap: i64) {
    let (status, body) = server
        .calls(admin)
        .save_kudos_rules(
            json!({ "allowance": allowance, "manager_allowance": manager, "cap": cap }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

fn thanks(to: i64, value: i64, points: i64) -> Value {
    json!({ "to": to, "message": "Thank you for the help!", "values": [value],
        "points": points, "private": false, "award": "" })
}

/// Lifetime and spendable points, as the rewards page shows them.
async fn points(server: &TestServer, who: &Client) -> (i64, i64) {
    let (status, c) = server.calls(who).rewards_catalogue().await;
    assert_eq!(status, StatusCode::OK, "{c}");
    (
        c["lifetime"].as_i64().unwrap(),
        c["spendable"].as_i64().unwrap(),
    )
}

async fn thanks_pay_within_the_allowance_and_the_cap(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let manager = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    let courage = value(&server, &admin, "Courage", "Mod").await;
    rules(&server, &admin, 30, 100, 40).await;
    let manager_id = common::person_id(&server, MANAGER).await;
    let employee_id = common::person_id(&server, EMPLOYEE).await;
    let admin_id = common::person_id(&server, ADMIN).await;
    let calls = server.calls(&employee);
    let before = points(&server, &manager).await;

    // Refused, and nothing changes: oneself, no value, no message, negative
    // points, an unknown value, an award from someone who is not a manager.
    let refusals = [
        (thanks(employee_id, courage, 5), "ErrKudosSelf"),
        (
            json!({ "to": manager_id, "message": "Hi", "values": [], "points": 0, "private": false, "award": "" }),
            "ErrKudosValue",
        ),
        (
            json!({ "to": manager_id, "message": "  ", "values": [courage], "points": 0, "private": false, "award": "" }),
            "ErrKudosMessage",
        ),
        (thanks(manager_id, courage, -5), "ErrKudosPoints"),
        (thanks(manager_id, 987_654, 5), "ErrKudosValue"),
        (
            json!({ "to": manager_id, "message": "Hi", "values": [courage], "points": 0, "private": false, "award": "Star" }),
            "ErrKudosAward",
        ),
        (thanks(manager_id, courage, 31), "ErrKudosAllowance"),
    ];
    for (n, (input, error)) in refusals.into_iter().enumerate() {
        let (status, body) = calls.give_kudos(&input, &format!("refused-{n:04}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{input}: {body}");
        assert_eq!(body, json!({ "Invalid": error }), "{input}");
    }
    assert_eq!(points(&server, &manager).await, before);

    // Thanked with 20 points: paid once, however often the form is sent.
    let (status, id) = calls
        .give_kudos(&thanks(manager_id, courage, 20), "thanks-0001")
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let (_, again) = calls
        .give_kudos(&thanks(manager_id, courage, 20), "thanks-0001")
        .await;
    assert_eq!(again, id);
    assert_eq!(
        points(&server, &manager).await,
        (before.0 + 20, before.1 + 20)
    );
    // The giver's own points did not move: the allowance is not theirs to spend.
    let (_, wall) = calls.recognition_wall().await;
    assert_eq!(
        wall["allowance"],
        json!({ "total": 30, "given": 20, "left": 10 })
    );
    assert_eq!(wall["kudos"][0]["id"], id);
    assert_eq!(wall["kudos"][0]["values"][0]["name_sv"], "Mod");
    // 10 left: 11 is too many.
    let (status, body) = calls
        .give_kudos(&thanks(manager_id, courage, 11), "thanks-0002")
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrKudosAllowance" })
        )
    );

    // The recipient hears.
    let (_, notices) = server.calls(&manager).my_notifications().await;
    assert_eq!(notices[0]["kind"], "Kudos", "{notices}");
    assert_eq!(notices[0]["who"], "Elias Employee");
    assert_eq!(notices[0]["title"], "Thank you for the help!");

    // The cap: the manager has 20 of 40 this month; the admin's 25 would
    // pass it, 20 does not; thanks without points always go.
    let admin_calls = server.calls(&admin);
    let (status, body) = admin_calls
        .give_kudos(&thanks(manager_id, courage, 25), "thanks-0003")
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::BAD_REQUEST, json!({ "Invalid": "ErrKudosCap" }))
    );
    let (status, _) = admin_calls
        .give_kudos(&thanks(manager_id, courage, 20), "thanks-0004")
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = admin_calls
        .give_kudos(&thanks(manager_id, courage, 0), "thanks-0005")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(points(&server, &manager).await.0, before.0 + 40);

    // Managers give from the larger allowance and make awards.
    let award = json!({ "to": admin_id, "message": "For the launch", "values": [courage],
        "points": 35, "private": false, "award": "Launch hero" });
    let (status, body) = server
        .calls(&manager)
        .give_kudos(&award, "award-0001")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, wall) = server.calls(&manager).recognition_wall().await;
    assert_eq!(wall["kudos"][0]["award"], "Launch hero");
    assert_eq!(wall["allowance"]["total"], 100);
    assert_eq!(wall["may_award"], true);
    // The manager's team, the never-thanked first.
    let elias = wall["team"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == employee_id)
        .unwrap_or_else(|| panic!("{wall}"));
    assert_eq!(elias["last"], Value::Null);
    assert_eq!(wall["team"][0]["last"], Value::Null);

    // Bad rules are refused.
    let (status, _) = admin_calls
        .save_kudos_rules(json!({ "allowance": -1, "manager_allowance": 1, "cap": 1 }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = calls
        .save_kudos_rules(json!({ "allowance": 1, "manager_allowance": 1, "cap": 1 }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A value needs both names.
    let (status, body) = admin_calls
        .save_kudos_value(
            None::<i64>,
            json!({ "name_en": "Care", "name_sv": " ",
            "about_en": "", "about_sv": "", "active": true }),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrValueNames" })
        )
    );
}

async fn private_thanks_removal_and_flagged_pairs(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let help = value(&server, &admin, "Helpfulness", "Hjälpsamhet").await;
    let reviewer_id = common::person_id(&server, REVIEWER).await;
    let employee_id = common::person_id(&server, EMPLOYEE).await;

    // A private thank-you: the two see it, a third colleague does not.
    let mut private = thanks(reviewer_id, help, 10);
    private["private"] = json!(true);
    let (status, id) = server
        .calls(&employee)
        .give_kudos(&private, "private-01")
        .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let seen = |wall: &Value| {
        wall["kudos"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["id"] == id)
    };
    assert!(seen(&server.calls(&employee).recognition_wall().await.1));
    assert!(seen(&server.calls(&reviewer).recognition_wall().await.1));
    assert!(!seen(&server.calls(&admin).recognition_wall().await.1));

    // Removal: administrators only, with a reason; the points go back and
    // the trail stays.
    let before = points(&server, &reviewer).await;
    let id = id.as_i64().unwrap();
    let (status, _) = server.calls(&employee).remove_kudos(id, "mine").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = server.calls(&admin).remove_kudos(id, "  ").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrReasonRequired" })
        )
    );
    let (status, body) = server
        .calls(&admin)
        .remove_kudos(id, "Sent by mistake")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        points(&server, &reviewer).await,
        (before.0 - 10, before.1 - 10)
    );
    let (status, _) = server.calls(&admin).remove_kudos(id, "Twice").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(!seen(&server.calls(&reviewer).recognition_wall().await.1));
    let (_, overview) = server.calls(&admin).kudos_admin().await;
    assert_eq!(overview["removed"][0]["reason"], "Sent by mistake");
    assert_eq!(overview["removed"][0]["by"], "Alva Admin");
    // The removed thank-you is no longer news to its recipient.
    let (_, notices) = server.calls(&reviewer).my_notifications().await;
    assert!(
        !notices
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "Kudos"),
        "{notices}"
    );

    // Three thanks each way: the pair is flagged, nothing is blocked.
    assert_eq!(overview["flagged"], json!([]));
    for n in 0..3 {
        let (status, _) = server
            .calls(&employee)
            .give_kudos(&thanks(reviewer_id, help, 0), &format!("pair-e-{n:04}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = server
            .calls(&reviewer)
            .give_kudos(&thanks(employee_id, help, 0), &format!("pair-r-{n:04}"))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, overview) = server.calls(&admin).kudos_admin().await;
    let flagged = overview["flagged"].as_array().unwrap();
    assert_eq!(flagged.len(), 1, "{overview}");
    assert_eq!(
        flagged[0]["a_to_b"].as_i64().unwrap() + flagged[0]["b_to_a"].as_i64().unwrap(),
        6
    );
    let (_, day) = server.calls(&admin).my_day().await;
    assert!(
        day["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == "kudos-flagged"),
        "{day}"
    );

    // The colleague search: by part of a name, never oneself.
    let (status, found) = server.calls(&employee).find_colleagues("REVIEW").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == reviewer_id),
        "{found}"
    );
    let (_, found) = server.calls(&employee).find_colleagues("Elias").await;
    assert_eq!(found, json!([]));
    let (_, found) = server.calls(&employee).find_colleagues("%").await;
    assert_eq!(found, json!([]), "a % is a character, not a wildcard");
}

async fn concurrent_thanks_cannot_overspend(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let courage = value(&server, &admin, "Courage", "Mod").await;
    rules(&server, &admin, 30, 100, 1000).await;
    let to = common::person_id(&server, MANAGER).await;
    let calls = server.calls(&employee);
    let sends = (0..6).map(|n| {
        let input = thanks(to, courage, 10);
        let calls = &calls;
        async move { calls.give_kudos(&input, &format!("race-{n:04}")).await }
    });
    let replies = futures::future::join_all(sends).await;
    let ok = replies.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 3, "{replies:?}");
    for (status, body) in &replies {
        assert!(
            *status == StatusCode::OK || *body == json!({ "Invalid": "ErrKudosAllowance" }),
            "{status} {body}"
        );
    }
    let (_, wall) = calls.recognition_wall().await;
    assert_eq!(wall["allowance"]["left"], 0);
}
