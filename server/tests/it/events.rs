//! Every server function, called as a person would, and the live events it
//! sends: a mutation must tell the pages that show what it changed (and
//! nothing else), and a read must send nothing. The test fails when a
//! registered server function is missing here, so a new one gets its line.
//!
//! SQLite only: which events a mutation sends does not depend on the
//! database, and on SQLite the bus delivers them before the response, so the
//! test needs no waiting. The PostgreSQL path of the bus is tested across
//! two instances in `leaderboard`.

use std::collections::BTreeSet;

use app::base::live::LiveEvent::{
    self, Board, Challenges, Kudos, Links, People, Points, Rewards, Screens,
};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tokio::sync::broadcast;

use crate::common::{self, Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE};

const REVIEWER: &str = "reviewer@demo.sprida.local";

struct Checker<'a> {
    server: &'a TestServer,
    events: broadcast::Receiver<LiveEvent>,
    covered: BTreeSet<String>,
}

enum Args<'a> {
    Form(&'a [(&'a str, &'a str)]),
    Json(Value),
}

impl Checker<'_> {
    /// Calls `endpoint` (it must succeed) and checks the events it sent.
    async fn call(
        &mut self,
        who: &Client,
        endpoint: &str,
        args: Args<'_>,
        expected: &[LiveEvent],
    ) -> Value {
        while self.events.try_recv().is_ok() {}
        let (status, body) = match args {
            Args::Form(form) => self.server.call(who, endpoint, form).await,
            Args::Json(body) => self.server.call_json(who, endpoint, body).await,
        };
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
        let mut sent = Vec::new();
        while let Ok(event) = self.events.try_recv() {
            sent.push(event);
        }
        let mut sent_kinds = sent.clone();
        sent_kinds.sort_by_key(|e| e.name());
        sent_kinds.dedup();
        let mut want = expected.to_vec();
        want.sort_by_key(|e| e.name());
        assert_eq!(sent_kinds, want, "{endpoint} sent {sent:?}");
        assert_eq!(
            sent.len(),
            want.len(),
            "{endpoint} sent {sent:?}: each once"
        );
        self.covered.insert(format!("/api/{endpoint}"));
        body
    }

    async fn form(
        &mut self,
        who: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
        expected: &[LiveEvent],
    ) -> Value {
        self.call(who, endpoint, Args::Form(form), expected).await
    }

    async fn json(
        &mut self,
        who: &Client,
        endpoint: &str,
        body: Value,
        expected: &[LiveEvent],
    ) -> Value {
        self.call(who, endpoint, Args::Json(body), expected).await
    }
}

fn post(title: &str) -> Value {
    json!({ "title": title, "body": "Text", "destination_url": "https://example.com/post",
            "image_id": null, "texts": [{ "channel": "X", "text": "Look" }], "tags": "lab" })
}

fn item(title: &str) -> Value {
    json!({ "title": title, "summary": "S", "destination_url": "https://example.com/item",
            "image_id": null, "texts": [{ "channel": "X", "text": "News" }], "tags": "news",
            "target_groups": [], "publish_at": null, "expires_at": null })
}

fn id_of(value: &Value) -> String {
    value.as_i64().expect("an id").to_string()
}

#[tokio::test]
async fn each_server_function_sends_the_events_of_what_it_changed() {
    let server = common::start(Backend::Sqlite).await;
    let mut c = Checker {
        server: &server,
        events: server.state.live.subscribe(),
        covered: BTreeSet::new(),
    };
    let anonymous = server.client();
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;

    // The session.
    c.form(&anonymous, "get_session", &[], &[]).await;
    c.form(&anonymous, "set_language", &[("lang", "sv")], &[])
        .await;
    let visitor = server.client();
    c.form(
        &visitor,
        "sign_in",
        &[("email", EMPLOYEE), ("password", DEMO_PASSWORD)],
        &[],
    )
    .await;
    c.form(&visitor, "sign_out", &[], &[]).await;

    // People and groups: names and teams show on the leaderboards.
    c.form(&admin, "list_people", &[], &[]).await;
    c.form(&admin, "my_team", &[], &[]).await;
    c.form(
        &admin,
        "create_group",
        &[("kind", "team"), ("name", "Events")],
        &[],
    )
    .await;
    c.form(
        &admin,
        "create_group",
        &[("kind", "team"), ("name", "Doomed")],
        &[],
    )
    .await;
    let groups = c.form(&admin, "list_groups", &[], &[]).await;
    let group = |name: &str| {
        groups
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap_or_else(|| panic!("group {name}: {groups}"))["id"]
            .to_string()
    };
    let (events, doomed) = (group("Events"), group("Doomed"));
    c.form(
        &admin,
        "rename_group",
        &[("id", &events), ("name", "Events team")],
        &[People],
    )
    .await;
    c.form(&admin, "delete_group", &[("id", &doomed)], &[People])
        .await;
    let person = |email: &str| {
        json!({ "email": email, "name": "Ebba Events", "title": "",
        "roles": ["Employee"], "group_ids": [] })
    };
    let invited = c
        .json(
            &admin,
            "create_person",
            json!({ "person": person("ebba@example.com") }),
            &[],
        )
        .await;
    let people = c.form(&admin, "list_people", &[], &[]).await;
    let ebba = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == "ebba@example.com")
        .unwrap()["id"]
        .to_string();
    c.json(
        &admin,
        "update_person",
        json!({ "id": ebba.parse::<i64>().unwrap(), "person": person("ebba@example.com") }),
        &[People],
    )
    .await;
    let link = c
        .form(&admin, "new_invitation", &[("id", &ebba)], &[])
        .await;
    let token = link["url"].as_str().or(invited["url"].as_str()).unwrap();
    let token = token.rsplit('/').next().unwrap().to_string();
    let newcomer = server.client();
    c.form(&newcomer, "get_invite", &[("token", &token)], &[])
        .await;
    c.form(
        &newcomer,
        "accept_invite",
        &[("token", &token), ("password", "a long enough password")],
        &[],
    )
    .await;
    c.form(
        &admin,
        "set_person_active",
        &[("id", &ebba), ("active", "false")],
        &[People],
    )
    .await;
    c.form(
        &admin,
        "import_people",
        &[(
            "csv",
            "email,name,title,department,team,office,roles\nvi@example.com,Vi,,,,,\n",
        )],
        &[],
    )
    .await;

    // Settings.
    let rules = c.form(&admin, "get_point_rules", &[], &[]).await;
    c.json(&admin, "save_point_rules", json!({ "rules": rules }), &[])
        .await;
    c.form(&admin, "get_blocked_words", &[], &[]).await;
    c.form(
        &admin,
        "save_blocked_words",
        &[("list", "confidential")],
        &[Board],
    )
    .await;

    // Screens.
    let screen =
        json!({ "input": { "name": "Lobby", "panels": ["TopPeople"], "rotate_seconds": 10 } });
    c.json(&admin, "create_screen", screen, &[]).await;
    let screens = c.form(&admin, "list_screens", &[], &[]).await;
    let screen_id = screens[0]["id"].to_string();
    c.form(&admin, "new_pairing_link", &[("id", &screen_id)], &[])
        .await;
    c.form(&admin, "revoke_screen", &[("id", &screen_id)], &[Screens])
        .await;
    let channels = c.form(&admin, "get_company_channels", &[], &[]).await;
    c.json(
        &admin,
        "save_company_channels",
        json!({ "channels": channels }),
        &[People],
    )
    .await;
    c.form(&anonymous, "tv_board", &[], &[]).await;

    // Content: the redirect caches destinations; posts may be on the board.
    c.form(&reviewer, "list_content", &[], &[]).await;
    let id = c
        .json(
            &reviewer,
            "save_content",
            json!({ "id": null, "input": item("Events") }),
            &[Links, Board],
        )
        .await;
    let id = id_of(&id);
    c.form(&reviewer, "get_content", &[("id", &id)], &[]).await;
    c.form(
        &reviewer,
        "set_content_status",
        &[("id", &id), ("status", "Published")],
        &[Links, Board],
    )
    .await;
    let spare = c
        .json(
            &reviewer,
            "save_content",
            json!({ "id": null, "input": item("Spare") }),
            &[Links, Board],
        )
        .await;
    c.form(&reviewer, "delete_content", &[("id", &id_of(&spare))], &[])
        .await;
    use base64::Engine;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0 rest";
    let data = base64::engine::general_purpose::STANDARD.encode(png);
    c.json(&employee, "upload_image", json!({ "data": data }), &[])
        .await;

    // Sharing and what it shows.
    c.form(&employee, "load_hub", &[], &[]).await;
    c.form(
        &employee,
        "share_link",
        &[("item_id", &id), ("channel", "X")],
        &[],
    )
    .await;
    c.form(
        &employee,
        "record_share",
        &[("item_id", &id), ("channel", "X"), ("text", "Events!")],
        &[Points],
    )
    .await;
    c.form(&employee, "my_impact", &[], &[]).await;
    c.form(&employee, "my_day", &[], &[]).await;
    c.json(
        &employee,
        "leaderboard",
        json!({ "ranked": "People", "period": "Week", "group": null }),
        &[],
    )
    .await;

    // The profile: a new name shows on the leaderboards and screens.
    c.form(&employee, "my_profile", &[], &[]).await;
    let update = json!({ "update": { "name": "Elias Renamed", "title": "", "language": "",
        "networks": [] } });
    c.json(&employee, "update_profile", update, &[People]).await;
    c.form(&employee, "my_motivations", &[], &[]).await;
    let motivations =
        json!({ "motivations": { "list": ["TimeOff", "Training"], "on_boards": false } });
    c.json(&employee, "save_motivations", motivations, &[People])
        .await;

    // Rewards: the catalogue, a request held and approved, one cancelled.
    let input = json!({ "id": null, "input": { "name": "Cinema", "description": "", "image_id": null,
        "category": "Experiences", "price": 1, "stock": null, "per_person": null,
        "limit_period": "Month", "available_from": null, "available_until": null,
        "needs_approval": true, "fulfilment": "Voucher", "fields": [], "groups": [], "active": true } });
    let reward = c.json(&admin, "save_reward", input, &[Rewards]).await;
    c.form(&admin, "list_rewards", &[], &[]).await;
    let codes = json!({ "reward_id": reward, "csv": "A-1\nA-2\n" });
    c.json(&admin, "add_vouchers", codes, &[Rewards]).await;
    c.form(&employee, "rewards_catalogue", &[], &[]).await;
    let redeem = |key: &str| json!({ "reward_id": reward, "key": key, "answers": [] });
    let first = c
        .json(
            &employee,
            "redeem_reward",
            redeem("events-key-1"),
            &[Rewards, Points],
        )
        .await;
    c.form(&employee, "my_reward_requests", &[], &[]).await;
    c.form(&admin, "fulfilment_board", &[], &[]).await;
    c.form(&admin, "reward_budget", &[], &[]).await;
    let budget = json!({ "budget": { "monthly": 5000, "currency": "SEK" } });
    c.json(&admin, "save_reward_budget", budget, &[Rewards])
        .await;
    let approve = json!({ "ids": [first["id"]], "to": "Approved", "note": "" });
    c.json(&admin, "move_reward_requests", approve, &[Rewards, Points])
        .await;
    let second = c
        .json(
            &employee,
            "redeem_reward",
            redeem("events-key-2"),
            &[Rewards, Points],
        )
        .await;
    let id = second["id"].to_string();
    c.form(
        &employee,
        "cancel_reward_request",
        &[("id", &id)],
        &[Rewards, Points],
    )
    .await;
    // Recognition: values, rules, a thank-you with points, its removal.
    let value = json!({ "id": null, "input": { "name_en": "Courage", "name_sv": "Mod",
        "about_en": "", "about_sv": "", "active": true } });
    let value = c.json(&admin, "save_kudos_value", value, &[Kudos]).await;
    let rules = json!({ "rules": { "allowance": 50, "manager_allowance": 200, "cap": 150 } });
    c.json(&admin, "save_kudos_rules", rules, &[]).await;
    c.form(&admin, "kudos_admin", &[], &[]).await;
    c.form(&employee, "recognition_wall", &[], &[]).await;
    c.form(&employee, "find_colleagues", &[("query", "adm")], &[])
        .await;
    let admin_id = common::person_id(&server, ADMIN).await;
    let thanks = json!({ "input": { "to": admin_id, "message": "Thanks!", "values": [value],
        "points": 5, "private": false, "award": "" }, "key": "events-kudos-1" });
    let kudos = c
        .json(&employee, "give_kudos", thanks, &[Kudos, Points])
        .await;
    let kudos = kudos.to_string();
    c.form(
        &admin,
        "remove_kudos",
        &[("id", &kudos), ("reason", "A test")],
        &[Kudos, Points],
    )
    .await;
    // Challenges: made, listed, removed.
    let now = app::base::db::now_ms();
    let challenge = json!({ "id": null, "input": { "title": "Week", "description": "", "team": false,
        "metric": "Shares", "tag": "", "starts_at": now, "ends_at": now + 86_400_000, "minimum": 1,
        "winners": 1, "prize_points": 10, "prize_reward": null } });
    let challenge = c
        .json(&admin, "save_challenge", challenge, &[Challenges])
        .await;
    c.form(&employee, "list_challenges", &[], &[]).await;
    let challenge = challenge.to_string();
    c.form(
        &admin,
        "delete_challenge",
        &[("id", &challenge)],
        &[Challenges],
    )
    .await;
    c.form(
        &employee,
        "change_password",
        &[("current", DEMO_PASSWORD), ("new", "another long password")],
        &[],
    )
    .await;

    // Posts through review.
    let saved = c
        .json(
            &employee,
            "save_post",
            json!({ "id": null, "version": null, "input": post("Events") }),
            &[],
        )
        .await;
    let post_id = saved["id"].to_string();
    let mut version = saved["version"].as_i64().unwrap();
    let v = |n: i64| n.to_string();
    let moved = c
        .form(
            &employee,
            "submit_post",
            &[("id", &post_id), ("version", &v(version))],
            &[Board],
        )
        .await;
    version = moved["version"].as_i64().unwrap();
    let moved = c
        .form(
            &employee,
            "withdraw_post",
            &[("id", &post_id), ("version", &v(version))],
            &[Board],
        )
        .await;
    version = moved["version"].as_i64().unwrap();
    let moved = c
        .form(
            &employee,
            "submit_post",
            &[("id", &post_id), ("version", &v(version))],
            &[Board],
        )
        .await;
    version = moved["version"].as_i64().unwrap();
    c.form(&employee, "my_posts", &[], &[]).await;
    c.form(&employee, "get_post", &[("id", &post_id)], &[])
        .await;
    c.form(&reviewer, "review_board", &[], &[]).await;
    c.form(
        &reviewer,
        "move_post",
        &[
            ("id", &post_id),
            ("to", "InReview"),
            ("version", &v(version)),
        ],
        &[Links, Board],
    )
    .await;
    c.form(
        &reviewer,
        "comment_post",
        &[("id", &post_id), ("body", "Nice")],
        &[Board],
    )
    .await;
    // What the reviewer's open card holds now.
    let current = c
        .form(&reviewer, "get_post", &[("id", &post_id)], &[])
        .await;
    version = current["version"].as_i64().unwrap();
    let edited = json!({ "id": post_id.parse::<i64>().unwrap(), "version": version, "input": post("Events, edited"),
        "schedule": { "target_groups": [], "publish_at": null, "expires_at": null } });
    let moved = c
        .json(&reviewer, "review_save", edited, &[Links, Board])
        .await;
    version = moved["version"].as_i64().unwrap();
    c.form(
        &reviewer,
        "move_post",
        &[
            ("id", &post_id),
            ("to", "Approved"),
            ("version", &v(version)),
        ],
        &[Links, Board, Points],
    )
    .await;

    // Notifications are the author's own: nothing others look at changes.
    c.form(&employee, "my_notifications", &[], &[]).await;
    c.form(&employee, "unseen_notifications", &[], &[]).await;
    c.form(&employee, "mark_notifications_seen", &[], &[]).await;

    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let missing: Vec<&String> = registered.difference(&c.covered).collect();
    assert!(
        missing.is_empty(),
        "server functions without an events check: {missing:?}"
    );
}
