//! Integration tests: the real router over real HTTP, on SQLite and on
//! PostgreSQL. Each scenario runs once per backend.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE, MANAGER};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_databases!(
    anonymous_calls_are_refused_for_every_non_public_server_function,
    sign_in_starts_a_fresh_session_and_sign_out_ends_it,
    bad_sign_in_input_gets_clear_errors_and_is_rate_limited,
    roles_are_checked_on_the_server,
    an_admin_invites_a_person_who_then_signs_in,
    deactivating_ends_sessions_and_blocks_sign_in,
    csv_import_reports_bad_rows_and_imports_the_rest,
    sessions_expire_when_idle_or_too_old,
    language_follows_the_person_then_the_browser,
    profile_updates_are_validated_and_kept,
    groups_can_be_managed_and_teams_are_derived,
    an_admin_edits_roles_and_groups,
);

async fn anonymous_calls_are_refused_for_every_non_public_server_function(backend: Backend) {
    let server = common::start(backend).await;
    let client = server.client();
    let paths: Vec<(String, String)> = server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_string(), method.to_string()))
        .collect();
    // The registry must really hold the app's functions, or this test proves nothing.
    for expected in [
        "/api/sign_in",
        "/api/list_people",
        "/api/import_people",
        "/api/my_profile",
    ] {
        assert!(
            paths.iter().any(|(p, _)| p == expected),
            "{expected} not registered"
        );
    }
    for public in app::base::session::PUBLIC_ENDPOINTS {
        assert!(
            paths.iter().any(|(p, _)| p == public),
            "public endpoint {public} does not exist"
        );
    }
    assert!(
        paths.len() >= 15,
        "only {} server functions found",
        paths.len()
    );
    for (path, method) in &paths {
        assert_eq!(
            method, "POST",
            "{path} must not be a GET (GETs must never change state)"
        );
        let res = client
            .post(format!("{}{path}", server.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        let status = res.status();
        if app::base::session::PUBLIC_ENDPOINTS.contains(&path.as_str()) {
            assert_ne!(
                status,
                StatusCode::UNAUTHORIZED,
                "{path} is public but refused"
            );
        } else {
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{path} answered {status} to an anonymous call"
            );
            let body: Value = res.json().await.unwrap();
            assert_eq!(body, json!("Unauthenticated"));
        }
    }
}

async fn sign_in_starts_a_fresh_session_and_sign_out_ends_it(backend: Backend) {
    let server = common::start(backend).await;
    let client = server.client();
    let (_, anon) = server.calls(&client).get_session().await;
    assert_eq!(anon["me"], Value::Null);

    let res = client
        .post(format!("{}/api/sign_in", server.url))
        .header("accept", "application/json")
        .form(&[
            ("email", " Admin@Demo.Sprida.Local "),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sprida_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("sprida_session=")
        .to_string();
    assert_eq!(token.len(), 64);
    // Only a hash of the token is stored.
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    assert!(!stored.contains(&token));
    assert!(stored.contains(&app::base::session::ssr::sha256_hex(&token)));

    let (_, info) = server.calls(&client).get_session().await;
    assert_eq!(info["me"]["email"], "admin@demo.sprida.local");
    assert_eq!(info["me"]["roles"], json!(["Employee", "Admin"]));

    // Signing in again replaces the session id.
    let (status, _) = server.calls(&client).sign_in(ADMIN, DEMO_PASSWORD).await;
    assert!(status.is_success());
    let old = reqwest::Client::new();
    let (status, _) = server_call_with_cookie(&server, &old, &token, "my_profile").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the pre-sign-in session id must not stay valid"
    );

    let (status, out) = server.calls(&client).sign_out().await;
    assert!(status.is_success(), "{out}");
    let (status, _) = server.calls(&client).my_profile().await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0, "sign-out must end the session on the server");
}

async fn server_call_with_cookie(
    server: &TestServer,
    client: &reqwest::Client,
    token: &str,
    endpoint: &str,
) -> (StatusCode, String) {
    let res = client
        .post(format!("{}/api/{endpoint}", server.url))
        .header("cookie", format!("sprida_session={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn bad_sign_in_input_gets_clear_errors_and_is_rate_limited(backend: Backend) {
    let server = common::start(backend).await;
    let client = server.client();
    let (status, body) = server.calls(&client).sign_in("", "").await;
    assert!(!status.is_success());
    assert_eq!(body, json!({ "Invalid": "SignInEmptyFields" }));
    let (_, body) = server
        .calls(&client)
        .sign_in("nobody@x.se", "whatever")
        .await;
    assert_eq!(body, json!("BadCredentials"));
    let long = "x".repeat(100_000);
    let (_, body) = server.calls(&client).sign_in(&long, &long).await;
    assert_eq!(body, json!("BadCredentials"));

    // Five failures for one account, then even the right password must wait.
    for _ in 0..5 {
        let (_, body) = server
            .calls(&client)
            .sign_in(EMPLOYEE, "wrong-password")
            .await;
        assert_eq!(body, json!("BadCredentials"));
    }
    let (_, body) = server.calls(&client).sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let wait = body["RateLimited"].as_u64().expect("rate limited");
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    // Another account from the same address is not locked with it.
    let (status, _) = server.calls(&client).sign_in(MANAGER, DEMO_PASSWORD).await;
    assert!(status.is_success());
}

async fn roles_are_checked_on_the_server(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    for endpoint in ["list_people", "list_groups", "my_team"] {
        let (status, body) = server.call(&employee, endpoint, &[]).await;
        assert!(!status.is_success());
        assert_eq!(body, json!("Forbidden"), "{endpoint}");
    }
    let (_, body) = server
        .calls(&employee)
        .set_person_active("1", "false")
        .await;
    assert_eq!(body, json!("Forbidden"));
    let (status, _) = server.calls(&employee).my_profile().await;
    assert!(status.is_success());

    let manager = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    let (status, team) = server.calls(&manager).my_team().await;
    assert!(status.is_success());
    let names: Vec<&str> = team
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Elias Employee"), "{names:?}");
    assert!(
        !names.contains(&"Maja Manager"),
        "a manager is not in their own team list"
    );
    let (_, body) = server.calls(&manager).list_people().await;
    assert_eq!(body, json!("Forbidden"));

    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (status, people) = server.calls(&admin).list_people().await;
    assert!(status.is_success());
    assert_eq!(people.as_array().unwrap().len(), 20);
    // No password hash, or anything like it, is ever sent.
    assert!(!people.to_string().contains("argon2"));
}

async fn an_admin_invites_a_person_who_then_signs_in(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let person = |email: &str| json!({ "person": { "email": email, "name": "Nora New", "title": "Analyst", "roles": ["Employee", "Reviewer"], "group_ids": [1] } });
    let (status, body) = server
        .call_json(&admin, "create_person", person("not an email"))
        .await;
    assert!(!status.is_success());
    assert_eq!(body, json!({ "Invalid": "ErrEmailInvalid" }));
    let (_, body) = server
        .call_json(&admin, "create_person", person(EMPLOYEE))
        .await;
    assert_eq!(body, json!({ "Conflict": "ErrEmailTaken" }));
    let (_, body) = server
        .calls(&admin)
        .create_person(
            json!({ "email": "x@y.se", "name": "X", "title": "", "roles": [], "group_ids": [] }),
        )
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrNoRoles" }));
    let (_, body) = server.calls(&admin).create_person(json!({ "email": "x@y.se", "name": "X", "title": "", "roles": ["Employee"], "group_ids": [99999] }))
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrGroupUnknown" }));

    let (status, invitation) = server
        .call_json(&admin, "create_person", person("Nora.New@Example.com"))
        .await;
    assert!(status.is_success(), "{invitation}");
    let url = invitation["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/invite/", server.url)));
    let token = url.rsplit('/').next().unwrap();

    // A person without a password cannot sign in yet.
    let visitor = server.client();
    let (_, body) = server
        .calls(&visitor)
        .sign_in("nora.new@example.com", "")
        .await;
    assert_eq!(body, json!({ "Invalid": "SignInEmptyFields" }));

    let (status, info) = server.calls(&visitor).get_invite(token).await;
    assert!(status.is_success());
    assert_eq!(info["email"], "nora.new@example.com");
    let (_, body) = server.calls(&visitor).accept_invite(token, "short").await;
    assert_eq!(body, json!({ "Invalid": "ErrPasswordShort" }));
    let (status, session) = server
        .calls(&visitor)
        .accept_invite(token, "a long enough password")
        .await;
    assert!(status.is_success(), "{session}");
    assert_eq!(session["me"]["roles"], json!(["Employee", "Reviewer"]));
    // The link works once.
    let (_, body) = server
        .call(
            &server.client(),
            "accept_invite",
            &[("token", token), ("password", "another password!")],
        )
        .await;
    assert_eq!(body, json!("NotFound"));
    let (_, body) = server
        .call(&server.client(), "get_invite", &[("token", "not-a-token")])
        .await;
    assert_eq!(body, json!("NotFound"));

    let later = server
        .sign_in("nora.new@example.com", "a long enough password")
        .await;
    let (_, profile) = server.calls(&later).my_profile().await;
    assert_eq!(profile["name"], "Nora New");
    assert_eq!(profile["groups"][0]["id"], 1);
}

async fn deactivating_ends_sessions_and_blocks_sign_in(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (_, me) = server.calls(&employee).my_profile().await;
    let id = me["id"].as_i64().unwrap().to_string();

    let (_, admin_me) = server.calls(&admin).my_profile().await;
    let admin_id = admin_me["id"].as_i64().unwrap().to_string();
    let (_, body) = server
        .calls(&admin)
        .set_person_active(&admin_id, "false")
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrSelfDeactivate" }));

    let (status, _) = server.calls(&admin).set_person_active(&id, "false").await;
    assert!(status.is_success());
    let (status, _) = server.calls(&employee).my_profile().await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the deactivated person's session must end at once"
    );
    let (_, body) = server
        .call(
            &server.client(),
            "sign_in",
            &[("email", EMPLOYEE), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrDeactivated" }));

    let (status, _) = server.calls(&admin).set_person_active(&id, "true").await;
    assert!(status.is_success());
    server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
}

async fn csv_import_reports_bad_rows_and_imports_the_rest(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let csv = "email,name,title,department,team,office,roles\n\
               ada@example.com,Ada Lovelace,Engineer,Research,Analytical,London,employee;reviewer\n\
               employee@demo.sprida.local,Taken Already,,,,,\n\
               broken,Bad Email,,,,,\n\
               bob@example.com,Bob,,Research,,,chief\n\
               cy@example.com,Cy Young,,Sales,,Stockholm,\n";
    let (status, report) = server.calls(&admin).import_people(csv).await;
    assert!(status.is_success(), "{report}");
    let created: Vec<&str> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap())
        .collect();
    assert_eq!(created, vec!["ada@example.com", "cy@example.com"]);
    let errors: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["error"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        vec![
            (3, "ErrEmailTaken"),
            (4, "ErrEmailInvalid"),
            (5, "ErrRoleUnknown")
        ]
    );

    let (_, people) = server.calls(&admin).list_people().await;
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 22);
    assert!(
        !people.iter().any(|p| p["email"] == "bob@example.com"),
        "a bad row must not be imported at all"
    );
    let ada = people
        .iter()
        .find(|p| p["email"] == "ada@example.com")
        .unwrap();
    assert_eq!(ada["roles"], json!(["Employee", "Reviewer"]));
    assert_eq!(ada["group_ids"].as_array().unwrap().len(), 3);
    assert_eq!(ada["invited"], true);
    let (_, groups) = server.calls(&admin).list_groups().await;
    let research = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Research")
        .unwrap();
    assert_eq!(research["kind"], "Department");
    assert_eq!(research["members"], 1);
    // Groups that exist are reused, not duplicated.
    let stockholm = groups
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["name"] == "Stockholm")
        .count();
    assert_eq!(stockholm, 1);

    let (_, body) = server
        .calls(&admin)
        .import_people("name,email\nA,a@b.se\n")
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrCsvHeader" }));
}

async fn sessions_expire_when_idle_or_too_old(backend: Backend) {
    let server = common::start(backend).await;
    let db = &server.state.db;
    let idle_ms = server.state.config.session_idle.as_millis() as i64;

    let client = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
        .bind(idle_ms + 1000)
        .execute(db)
        .await
        .unwrap();
    let (status, _) = server.calls(&client).my_profile().await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an idle session must expire"
    );

    let client = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (status, _) = server.calls(&client).my_profile().await;
    assert!(status.is_success());
    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(app::base::db::now_ms() - 1)
        .execute(db)
        .await
        .unwrap();
    let (status, _) = server.calls(&client).my_profile().await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an active session must still end at its absolute expiry"
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(left, 0, "expired sessions are deleted");

    // Sessions nobody presents again are purged by the background clean-up.
    let keep = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let _abandoned = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1 WHERE person_id <> (SELECT id FROM people WHERE email = $2)")
        .bind(idle_ms + 1000)
        .bind(EMPLOYEE)
        .execute(db)
        .await
        .unwrap();
    let purged = app::auth::ssr::purge_expired(db, server.state.config.session_idle)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    let (status, _) = server.calls(&keep).my_profile().await;
    assert!(status.is_success(), "live sessions survive the purge");
}

async fn language_follows_the_person_then_the_browser(backend: Backend) {
    let server = common::start(backend).await;
    let client = server.client();
    let swedish = |c: &reqwest::Client, endpoint: &str| {
        c.post(format!("{}/api/{endpoint}", server.url))
            .header("accept-language", "sv-SE,sv;q=0.9,en;q=0.5")
            .header("content-type", "application/x-www-form-urlencoded")
    };
    let info: Value = swedish(&client, "get_session")
        .body("")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["lang"], "Sv");
    // The page itself is rendered in Swedish for such a browser.
    let html = client
        .get(format!("{}/sign-in", server.url))
        .header("accept-language", "sv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Logga in i Sprida"),
        "sign-in page not in Swedish"
    );
    assert!(html.contains("lang=\"sv\""));

    // An explicit choice (cookie) beats the browser.
    let info: Value = swedish(&client, "set_language")
        .body("lang=en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["lang"], "En");
    let info: Value = swedish(&client, "get_session")
        .body("")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["lang"], "En");
    let (_, body) = server.calls(&client).set_language("xx").await;
    assert_eq!(body, json!({ "Invalid": "ErrLanguageUnknown" }));

    // A signed-in person's own setting beats both, on any device.
    let person = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (_, info) = server.calls(&person).set_language("sv").await;
    assert_eq!(info["lang"], "Sv");
    assert_eq!(info["me"]["language"], "Sv");
    let other_device = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let info: Value = other_device
        .post(format!("{}/api/get_session", server.url))
        .header("accept-language", "en")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["lang"], "Sv");
}

async fn profile_updates_are_validated_and_kept(backend: Backend) {
    let server = common::start(backend).await;
    let client = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let update = |audience: i64| {
        json!({ "update": { "name": "  Elias E.  ", "title": "Staff engineer", "language": "",
            "networks": [{ "network": "LinkedIn", "audience": audience }, { "network": "X", "audience": 12 }] } })
    };
    let (_, body) = server
        .call_json(&client, "update_profile", update(-5))
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrAudience" }));
    let (status, saved) = server
        .call_json(&client, "update_profile", update(1234))
        .await;
    assert!(status.is_success(), "{saved}");
    assert_eq!(saved["session"]["me"]["name"], "Elias E.");
    let (_, profile) = server.calls(&client).my_profile().await;
    assert_eq!(profile["name"], "Elias E.");
    assert_eq!(
        profile["networks"],
        json!([{ "network": "LinkedIn", "audience": 1234 }, { "network": "X", "audience": 12 }])
    );

    let (_, body) = server
        .calls(&client)
        .change_password("wrong", "a brand new password")
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrWrongPassword" }));
    let other = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (status, _) = server
        .calls(&client)
        .change_password(DEMO_PASSWORD, "a brand new password")
        .await;
    assert!(status.is_success());
    let (status, _) = server.calls(&other).my_profile().await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "other sessions end when the password changes"
    );
    let (status, _) = server.calls(&client).my_profile().await;
    assert!(status.is_success(), "the session that changed it stays");
    server.sign_in(EMPLOYEE, "a brand new password").await;
}

async fn groups_can_be_managed_and_teams_are_derived(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (status, _) = server.calls(&admin).create_group("team", "Growth").await;
    assert!(status.is_success());
    let (_, body) = server.calls(&admin).create_group("team", "Growth").await;
    assert_eq!(body, json!({ "Conflict": "ErrGroupExists" }));
    let (_, body) = server.calls(&admin).create_group("planet", "Mars").await;
    assert_eq!(body, json!({ "Invalid": "ErrGroupUnknown" }));
    let (_, body) = server.calls(&admin).create_group("team", "   ").await;
    assert_eq!(body, json!({ "Invalid": "ErrNameRequired" }));
    let (_, groups) = server.calls(&admin).list_groups().await;
    let growth = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Growth")
        .unwrap();
    let id = growth["id"].as_i64().unwrap().to_string();
    let (status, _) = server
        .calls(&admin)
        .rename_group(&id, "Growth & Retention")
        .await;
    assert!(status.is_success());
    let (status, _) = server.calls(&admin).delete_group(&id).await;
    assert!(status.is_success());
    let (_, body) = server.calls(&admin).delete_group(&id).await;
    assert_eq!(body, json!("NotFound"));
}

async fn an_admin_edits_roles_and_groups(backend: Backend) {
    let server = common::start(backend).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (_, people) = server.calls(&admin).list_people().await;
    let find = |people: &Value, email: &str| {
        people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["email"] == email)
            .unwrap()
            .clone()
    };
    let employee = find(&people, EMPLOYEE);
    let id = employee["id"].as_i64().unwrap();
    let edit = |roles: Value, groups: Value, email: &str| json!({ "id": id, "person": { "email": email, "name": "Elias Edited", "title": "Lead", "roles": roles, "group_ids": groups } });
    let (status, body) = server
        .call_json(
            &admin,
            "update_person",
            edit(json!(["Employee", "Reviewer"]), json!([2]), EMPLOYEE),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (_, people) = server.calls(&admin).list_people().await;
    let edited = find(&people, EMPLOYEE);
    assert_eq!(edited["roles"], json!(["Employee", "Reviewer"]));
    assert_eq!(edited["group_ids"], json!([2]));
    assert_eq!(edited["name"], "Elias Edited");
    // The person's next request already carries the new role.
    let employee_client = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (_, info) = server.calls(&employee_client).get_session().await;
    assert_eq!(info["me"]["roles"], json!(["Employee", "Reviewer"]));

    let (_, body) = server
        .call_json(
            &admin,
            "update_person",
            edit(json!(["Employee"]), json!([]), MANAGER),
        )
        .await;
    assert_eq!(body, json!({ "Conflict": "ErrEmailTaken" }));
    let (_, admin_me) = server.calls(&admin).my_profile().await;
    let admin_id = admin_me["id"].as_i64().unwrap();
    let (_, body) = server.calls(&admin).update_person(admin_id, json!({ "email": ADMIN, "name": "Alva", "title": "", "roles": ["Employee"], "group_ids": [] }))
        .await;
    assert_eq!(body, json!({ "Invalid": "ErrSelfDemote" }));
    let (_, body) = server.calls(&admin).update_person(999999, json!({ "email": "ghost@x.se", "name": "Ghost", "title": "", "roles": ["Employee"], "group_ids": [] }))
        .await;
    assert_eq!(body, json!("NotFound"));
}
