//! A typed call per server function: `server.calls(&client).sign_in(…)`.
//! Each returns the status and the JSON body, so a test can assert either.
//! Form-encoded functions take their arguments as text (`Display`), as the
//! browser sends them, so a test can also send what a browser would not;
//! JSON-encoded ones take any `Serialize` value for each argument.
//! `ENDPOINTS` lists them all; a test checks it against the registry.

// One call per server function, whether or not a test uses it yet.
#![allow(dead_code)]

use std::fmt::Display;

use reqwest::{Client, StatusCode};
use serde::Serialize;
use serde_json::{json, Value};

use crate::common::TestServer;

pub type Reply = (StatusCode, Value);

pub struct Calls<'a> {
    server: &'a TestServer,
    client: &'a Client,
}

impl TestServer {
    pub fn calls<'a>(&'a self, client: &'a Client) -> Calls<'a> {
        Calls {
            server: self,
            client,
        }
    }
}

impl Calls<'_> {
    async fn form(&self, endpoint: &str, args: &[(&str, Option<String>)]) -> Reply {
        let form: Vec<(&str, &str)> = args
            .iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v)))
            .collect();
        self.server.call(self.client, endpoint, &form).await
    }

    async fn json(&self, endpoint: &str, body: Value) -> Reply {
        self.server.call_json(self.client, endpoint, body).await
    }

    pub async fn accept_invite(&self, token: impl Display, password: impl Display) -> Reply {
        self.form(
            "accept_invite",
            &[
                ("token", Some(token.to_string())),
                ("password", Some(password.to_string())),
            ],
        )
        .await
    }

    pub async fn change_password(&self, current: impl Display, new: impl Display) -> Reply {
        self.form(
            "change_password",
            &[
                ("current", Some(current.to_string())),
                ("new", Some(new.to_string())),
            ],
        )
        .await
    }

    pub async fn comment_post(&self, id: impl Display, body: impl Display) -> Reply {
        self.form(
            "comment_post",
            &[
                ("id", Some(id.to_string())),
                ("body", Some(body.to_string())),
            ],
        )
        .await
    }

    pub async fn create_group(&self, kind: impl Display, name: impl Display) -> Reply {
        self.form(
            "create_group",
            &[
                ("kind", Some(kind.to_string())),
                ("name", Some(name.to_string())),
            ],
        )
        .await
    }

    pub async fn create_person(&self, person: impl Serialize) -> Reply {
        self.json("create_person", json!({ "person": person }))
            .await
    }

    pub async fn create_screen(&self, input: impl Serialize) -> Reply {
        self.json("create_screen", json!({ "input": input })).await
    }

    pub async fn delete_content(&self, id: impl Display) -> Reply {
        self.form("delete_content", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn delete_group(&self, id: impl Display) -> Reply {
        self.form("delete_group", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn get_blocked_words(&self) -> Reply {
        self.form("get_blocked_words", &[]).await
    }

    pub async fn get_company_channels(&self) -> Reply {
        self.form("get_company_channels", &[]).await
    }

    pub async fn get_content(&self, id: impl Display) -> Reply {
        self.form("get_content", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn get_invite(&self, token: impl Display) -> Reply {
        self.form("get_invite", &[("token", Some(token.to_string()))])
            .await
    }

    pub async fn get_point_rules(&self) -> Reply {
        self.form("get_point_rules", &[]).await
    }

    pub async fn get_post(&self, id: impl Display) -> Reply {
        self.form("get_post", &[("id", Some(id.to_string()))]).await
    }

    pub async fn get_session(&self) -> Reply {
        self.form("get_session", &[]).await
    }

    pub async fn import_people(&self, csv: impl Display) -> Reply {
        self.form("import_people", &[("csv", Some(csv.to_string()))])
            .await
    }

    pub async fn leaderboard(
        &self,
        ranked: impl Serialize,
        period: impl Serialize,
        group: impl Serialize,
    ) -> Reply {
        self.json(
            "leaderboard",
            json!({ "ranked": ranked, "period": period, "group": group }),
        )
        .await
    }

    pub async fn list_content(&self) -> Reply {
        self.form("list_content", &[]).await
    }

    pub async fn list_groups(&self) -> Reply {
        self.form("list_groups", &[]).await
    }

    pub async fn list_people(&self) -> Reply {
        self.form("list_people", &[]).await
    }

    pub async fn list_screens(&self) -> Reply {
        self.form("list_screens", &[]).await
    }

    pub async fn load_hub(&self) -> Reply {
        self.form("load_hub", &[]).await
    }

    pub async fn mark_notifications_seen(&self) -> Reply {
        self.form("mark_notifications_seen", &[]).await
    }

    pub async fn move_post(
        &self,
        id: impl Display,
        to: impl Display,
        version: impl Display,
        comment: Option<&str>,
    ) -> Reply {
        self.form(
            "move_post",
            &[
                ("id", Some(id.to_string())),
                ("to", Some(to.to_string())),
                ("version", Some(version.to_string())),
                ("comment", comment.map(str::to_string)),
            ],
        )
        .await
    }

    pub async fn my_day(&self) -> Reply {
        self.form("my_day", &[]).await
    }

    pub async fn my_impact(&self) -> Reply {
        self.form("my_impact", &[]).await
    }

    pub async fn my_notifications(&self) -> Reply {
        self.form("my_notifications", &[]).await
    }

    pub async fn my_posts(&self) -> Reply {
        self.form("my_posts", &[]).await
    }

    pub async fn rewards_catalogue(&self) -> Reply {
        self.form("rewards_catalogue", &[]).await
    }

    pub async fn redeem_reward(&self, reward_id: i64, key: &str, answers: Value) -> Reply {
        self.json(
            "redeem_reward",
            json!({ "reward_id": reward_id, "key": key, "answers": answers }),
        )
        .await
    }

    pub async fn my_reward_requests(&self) -> Reply {
        self.form("my_reward_requests", &[]).await
    }

    pub async fn cancel_reward_request(&self, id: i64) -> Reply {
        self.form("cancel_reward_request", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn list_rewards(&self) -> Reply {
        self.form("list_rewards", &[]).await
    }

    pub async fn save_reward(&self, id: impl Serialize, input: impl Serialize) -> Reply {
        self.json("save_reward", json!({ "id": id, "input": input }))
            .await
    }

    pub async fn add_vouchers(&self, reward_id: i64, csv: &str) -> Reply {
        self.json(
            "add_vouchers",
            json!({ "reward_id": reward_id, "csv": csv }),
        )
        .await
    }

    pub async fn fulfilment_board(&self) -> Reply {
        self.form("fulfilment_board", &[]).await
    }

    pub async fn move_reward_requests(&self, ids: &[i64], to: &str, note: &str) -> Reply {
        self.json(
            "move_reward_requests",
            json!({ "ids": ids, "to": to, "note": note }),
        )
        .await
    }

    pub async fn reward_budget(&self) -> Reply {
        self.form("reward_budget", &[]).await
    }

    pub async fn save_reward_budget(&self, budget: impl Serialize) -> Reply {
        self.json("save_reward_budget", json!({ "budget": budget }))
            .await
    }

    pub async fn list_challenges(&self) -> Reply {
        self.form("list_challenges", &[]).await
    }

    pub async fn save_challenge(&self, id: impl Serialize, input: impl Serialize) -> Reply {
        self.json("save_challenge", json!({ "id": id, "input": input }))
            .await
    }

    pub async fn delete_challenge(&self, id: i64) -> Reply {
        self.form("delete_challenge", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn recognition_wall(&self) -> Reply {
        self.form("recognition_wall", &[]).await
    }

    pub async fn find_colleagues(&self, query: &str) -> Reply {
        self.form("find_colleagues", &[("query", Some(query.to_string()))])
            .await
    }

    pub async fn give_kudos(&self, input: impl Serialize, key: &str) -> Reply {
        self.json("give_kudos", json!({ "input": input, "key": key }))
            .await
    }

    pub async fn kudos_admin(&self) -> Reply {
        self.form("kudos_admin", &[]).await
    }

    pub async fn save_kudos_value(&self, id: impl Serialize, input: impl Serialize) -> Reply {
        self.json("save_kudos_value", json!({ "id": id, "input": input }))
            .await
    }

    pub async fn save_kudos_rules(&self, rules: impl Serialize) -> Reply {
        self.json("save_kudos_rules", json!({ "rules": rules }))
            .await
    }

    pub async fn remove_kudos(&self, id: i64, reason: &str) -> Reply {
        self.form(
            "remove_kudos",
            &[
                ("id", Some(id.to_string())),
                ("reason", Some(reason.to_string())),
            ],
        )
        .await
    }

    pub async fn my_motivations(&self) -> Reply {
        self.form("my_motivations", &[]).await
    }

    pub async fn my_profile(&self) -> Reply {
        self.form("my_profile", &[]).await
    }

    pub async fn my_team(&self) -> Reply {
        self.form("my_team", &[]).await
    }

    pub async fn new_invitation(&self, id: impl Display) -> Reply {
        self.form("new_invitation", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn new_pairing_link(&self, id: impl Display) -> Reply {
        self.form("new_pairing_link", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn record_share(
        &self,
        item_id: impl Display,
        channel: impl Display,
        text: impl Display,
    ) -> Reply {
        self.form(
            "record_share",
            &[
                ("item_id", Some(item_id.to_string())),
                ("channel", Some(channel.to_string())),
                ("text", Some(text.to_string())),
            ],
        )
        .await
    }

    pub async fn rename_group(&self, id: impl Display, name: impl Display) -> Reply {
        self.form(
            "rename_group",
            &[
                ("id", Some(id.to_string())),
                ("name", Some(name.to_string())),
            ],
        )
        .await
    }

    pub async fn review_board(&self) -> Reply {
        self.form("review_board", &[]).await
    }

    pub async fn review_save(
        &self,
        id: impl Serialize,
        version: impl Serialize,
        input: impl Serialize,
        schedule: impl Serialize,
    ) -> Reply {
        self.json(
            "review_save",
            json!({ "id": id, "version": version, "input": input, "schedule": schedule }),
        )
        .await
    }

    pub async fn revoke_screen(&self, id: impl Display) -> Reply {
        self.form("revoke_screen", &[("id", Some(id.to_string()))])
            .await
    }

    pub async fn save_blocked_words(&self, list: impl Display) -> Reply {
        self.form("save_blocked_words", &[("list", Some(list.to_string()))])
            .await
    }

    pub async fn save_company_channels(&self, channels: impl Serialize) -> Reply {
        self.json("save_company_channels", json!({ "channels": channels }))
            .await
    }

    pub async fn save_content(&self, id: impl Serialize, input: impl Serialize) -> Reply {
        self.json("save_content", json!({ "id": id, "input": input }))
            .await
    }

    pub async fn save_motivations(&self, motivations: impl Serialize) -> Reply {
        self.json("save_motivations", json!({ "motivations": motivations }))
            .await
    }

    pub async fn save_point_rules(&self, rules: impl Serialize) -> Reply {
        self.json("save_point_rules", json!({ "rules": rules }))
            .await
    }

    pub async fn save_post(
        &self,
        id: impl Serialize,
        version: impl Serialize,
        input: impl Serialize,
    ) -> Reply {
        self.json(
            "save_post",
            json!({ "id": id, "version": version, "input": input }),
        )
        .await
    }

    pub async fn set_content_status(&self, id: impl Display, status: impl Display) -> Reply {
        self.form(
            "set_content_status",
            &[
                ("id", Some(id.to_string())),
                ("status", Some(status.to_string())),
            ],
        )
        .await
    }

    pub async fn set_language(&self, lang: impl Display) -> Reply {
        self.form("set_language", &[("lang", Some(lang.to_string()))])
            .await
    }

    pub async fn set_person_active(&self, id: impl Display, active: impl Display) -> Reply {
        self.form(
            "set_person_active",
            &[
                ("id", Some(id.to_string())),
                ("active", Some(active.to_string())),
            ],
        )
        .await
    }

    pub async fn share_link(&self, item_id: impl Display, channel: impl Display) -> Reply {
        self.form(
            "share_link",
            &[
                ("item_id", Some(item_id.to_string())),
                ("channel", Some(channel.to_string())),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, email: impl Display, password: impl Display) -> Reply {
        self.form(
            "sign_in",
            &[
                ("email", Some(email.to_string())),
                ("password", Some(password.to_string())),
            ],
        )
        .await
    }

    pub async fn sign_out(&self) -> Reply {
        self.form("sign_out", &[]).await
    }

    pub async fn submit_post(&self, id: impl Display, version: impl Display) -> Reply {
        self.form(
            "submit_post",
            &[
                ("id", Some(id.to_string())),
                ("version", Some(version.to_string())),
            ],
        )
        .await
    }

    pub async fn tv_board(&self) -> Reply {
        self.form("tv_board", &[]).await
    }

    pub async fn unseen_notifications(&self) -> Reply {
        self.form("unseen_notifications", &[]).await
    }

    pub async fn update_person(&self, id: impl Serialize, person: impl Serialize) -> Reply {
        self.json("update_person", json!({ "id": id, "person": person }))
            .await
    }

    pub async fn update_profile(&self, update: impl Serialize) -> Reply {
        self.json("update_profile", json!({ "update": update }))
            .await
    }

    pub async fn upload_image(&self, data: impl Serialize) -> Reply {
        self.json("upload_image", json!({ "data": data })).await
    }

    pub async fn withdraw_post(&self, id: impl Display, version: impl Display) -> Reply {
        self.form(
            "withdraw_post",
            &[
                ("id", Some(id.to_string())),
                ("version", Some(version.to_string())),
            ],
        )
        .await
    }
}

/// Every server function, by path.
pub const ENDPOINTS: &[&str] = &[
    "/api/reward_budget",
    "/api/save_reward_budget",
    "/api/list_challenges",
    "/api/save_challenge",
    "/api/delete_challenge",
    "/api/recognition_wall",
    "/api/find_colleagues",
    "/api/give_kudos",
    "/api/kudos_admin",
    "/api/save_kudos_value",
    "/api/save_kudos_rules",
    "/api/remove_kudos",
    "/api/save_reward",
    "/api/rewards_catalogue",
    "/api/redeem_reward",
    "/api/my_reward_requests",
    "/api/move_reward_requests",
    "/api/list_rewards",
    "/api/fulfilment_board",
    "/api/cancel_reward_request",
    "/api/add_vouchers",
    "/api/accept_invite",
    "/api/change_password",
    "/api/comment_post",
    "/api/create_group",
    "/api/create_person",
    "/api/create_screen",
    "/api/delete_content",
    "/api/delete_group",
    "/api/get_blocked_words",
    "/api/get_company_channels",
    "/api/get_content",
    "/api/get_invite",
    "/api/get_point_rules",
    "/api/get_post",
    "/api/get_session",
    "/api/import_people",
    "/api/leaderboard",
    "/api/list_content",
    "/api/list_groups",
    "/api/list_people",
    "/api/list_screens",
    "/api/load_hub",
    "/api/mark_notifications_seen",
    "/api/move_post",
    "/api/my_day",
    "/api/my_impact",
    "/api/my_motivations",
    "/api/my_notifications",
    "/api/my_posts",
    "/api/my_profile",
    "/api/my_team",
    "/api/new_invitation",
    "/api/new_pairing_link",
    "/api/record_share",
    "/api/rename_group",
    "/api/review_board",
    "/api/review_save",
    "/api/revoke_screen",
    "/api/save_blocked_words",
    "/api/save_company_channels",
    "/api/save_content",
    "/api/save_motivations",
    "/api/save_point_rules",
    "/api/save_post",
    "/api/set_content_status",
    "/api/set_language",
    "/api/set_person_active",
    "/api/share_link",
    "/api/sign_in",
    "/api/sign_out",
    "/api/submit_post",
    "/api/tv_board",
    "/api/unseen_notifications",
    "/api/update_person",
    "/api/update_profile",
    "/api/upload_image",
    "/api/withdraw_post",
];

#[test]
fn every_server_function_has_a_call() {
    use std::collections::BTreeSet;
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let here: BTreeSet<String> = ENDPOINTS.iter().map(|p| p.to_string()).collect();
    assert_eq!(registered, here, "add a call for each new server function");
}
