//! Safe by default (issue 30): no known password on a real instance, the
//! first administrator made from the command line, the demo removable, the
//! data directory private, a damaged key never silently replaced.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common;
use crate::common::{Backend, ADMIN, DEMO_PASSWORD, EMPLOYEE, MANAGER};
use reqwest::StatusCode;
use serde_json::{json, Value};

const REVIEWER: &str = "reviewer@demo.sprida.local";

fn post(title: &str, url: &str) -> Value {
    json!({ "title": title, "body": "What we built", "destination_url": url,
            "image_id": null, "texts": [{ "channel": "X", "text": "Look" }], "tags": "" })
}

fn curated(title: &str) -> Value {
    json!({ "title": title, "summary": "Taken over", "destination_url": "https://example.com/x",
            "image_id": null, "texts": [], "tags": "", "target_groups": [],
            "publish_at": null, "expires_at": null })
}

async fn post_row(server: &common::TestServer, id: i64) -> (String, String, String) {
    sqlx::query_as("SELECT status, stage, title FROM content_items WHERE id = $1")
        .bind(id)
        .fetch_one(&server.state.db)
        .await
        .unwrap()
}

/// Finding 2 and 3: the content functions reached employees' posts (read a
/// private draft, published past review, the reviewer's own post too,
/// overwrote a draft), and a `javascript:` link saved in Changes requested
/// reached the hub through moves that never checked it.
async fn review_cannot_be_skipped_and_no_unsafe_link_reaches_the_hub(backend: Backend) {
    let server = common::start(backend).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let manager = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    let (status, saved) = server
        .calls(&manager)
        .save_post(
            None::<i64>,
            None::<i64>,
            post("Private draft", "https://example.com/d"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let draft = saved["id"].as_i64().unwrap();
    let c = server.calls(&reviewer);
    assert_eq!(c.get_content(draft).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        c.set_content_status(draft, "Published").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.save_content(draft, curated("Overwritten")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.delete_content(draft).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        post_row(&server, draft).await,
        ("draft".into(), "draft".into(), "Private draft".into()),
        "the draft is as its author left it"
    );

    // The reviewer's own post cannot be published by them, by any path.
    let (_, own) = server
        .calls(&reviewer)
        .save_post(
            None::<i64>,
            None::<i64>,
            post("My own", "https://example.com/o"),
        )
        .await;
    let own = own["id"].as_i64().unwrap();
    let (status, body) = c.submit_post(own, 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        c.set_content_status(own, "Published").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, body) = c.move_post(own, "InReview", 2, None).await;
    assert!(body["version"].is_i64(), "{body}");
    let (_, body) = c.move_post(own, "Published", 3, None).await;
    assert_eq!(body, json!({ "Conflict": "ErrOwnPost" }));
    assert_eq!(post_row(&server, own).await.0, "draft", "not in the hub");

    // No save stores a link that is not a web page, not even a draft's.
    let (status, body) = server
        .calls(&manager)
        .save_post(None::<i64>, None::<i64>, post("Bad", "javascript:alert(1)"))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrDestination" })
        )
    );
    // One stored before this check (or by hand) is refused on the way to the hub.
    let (status, body) = c
        .move_post(own, "ChangesRequested", 3, Some("please"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    sqlx::query("UPDATE content_items SET destination_url = $1, stage = 'in_review' WHERE id = $2")
        .bind("data:text/html,<script>alert(1)</script>")
        .bind(own)
        .execute(&server.state.db)
        .await
        .unwrap();
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (status, body) = server
        .calls(&admin)
        .move_post(own, "Published", 4, None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "ErrDestination" })
        )
    );
    let (_, hub) = server.calls(&employee).load_hub().await;
    assert!(
        !hub.to_string().contains("data:text/html"),
        "nothing unsafe in the hub: {hub}"
    );
}

on_both_databases!(
    sign_in_limits_count_before_checking_and_let_the_owner_in,
    old_unqualified_clicks_become_daily_counts,
    clicks_count_only_when_people_navigate_and_one_address_cannot_farm,
    review_cannot_be_skipped_and_no_unsafe_link_reaches_the_hub,
    an_admin_made_on_the_command_line_gets_in_through_the_invitation,
    removing_the_demo_removes_what_it_did_and_keeps_what_others_did,
);

async fn an_admin_made_on_the_command_line_gets_in_through_the_invitation(backend: Backend) {
    let server = common::start(backend).await;
    let made = server::admin::create_admin(
        &server.state.db,
        &server.url,
        " Boss@Example.com ",
        Some("Bo Boss"),
    )
    .await
    .unwrap();
    assert!(made.new_person);
    let token = made.invite_url.rsplit('/').next().unwrap().to_string();
    assert!(made
        .invite_url
        .starts_with(&format!("{}/invite/", server.url)));
    // A second run (the link was lost) replaces the first link.
    let again =
        server::admin::create_admin(&server.state.db, &server.url, "boss@example.com", None)
            .await
            .unwrap();
    assert!(!again.new_person);
    assert_eq!(again.person_id, made.person_id);
    let (status, _) = server.calls(&server.client()).get_invite(&token).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the earlier link no longer works"
    );
    let token = again.invite_url.rsplit('/').next().unwrap().to_string();
    let boss = server.client();
    // A common password, or one made of the person's name, is refused.
    for weak in ["password1234", "boss@example.com"] {
        let (status, body) = server.calls(&boss).accept_invite(&token, weak).await;
        assert_eq!(
            (status, body),
            (
                StatusCode::BAD_REQUEST,
                json!({ "Invalid": "ErrPasswordCommon" })
            ),
            "{weak}"
        );
    }
    let (status, body) = server
        .calls(&boss)
        .accept_invite(&token, "a long and private passphrase")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, people) = server.calls(&boss).list_people().await;
    assert_eq!(status, StatusCode::OK, "an administrator: {people}");
    // A session left open is no way to guess the password: five wrong
    // tries, then even the right one waits.
    for _ in 0..5 {
        let (_, body) = server
            .calls(&boss)
            .change_password("wrong guess here", "another long passphrase")
            .await;
        assert_eq!(body, json!({ "Invalid": "ErrWrongPassword" }));
    }
    let (status, _) = server
        .calls(&boss)
        .change_password("a long and private passphrase", "another long passphrase")
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let bad =
        server::admin::create_admin(&server.state.db, &server.url, "not an address", None).await;
    assert!(bad.is_err());
}

async fn count(server: &common::TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&server.state.db)
        .await
        .unwrap()
}

async fn removing_the_demo_removes_what_it_did_and_keeps_what_others_did(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let items: Vec<i64> = sqlx::query_scalar("SELECT id FROM content_items ORDER BY id")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    assert!(items.len() >= 2, "the demo has items");
    // A demo person shares one item; a real person another.
    let (status, body) = server
        .calls(&employee)
        .record_share(&items[0].to_string(), "X", "My words")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let made = server::admin::create_admin(&server.state.db, &server.url, "real@example.com", None)
        .await
        .unwrap();
    let real = server.client();
    let token = made.invite_url.rsplit('/').next().unwrap().to_string();
    let (status, body) = server
        .calls(&real)
        .accept_invite(&token, "a long and private passphrase")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = server
        .calls(&real)
        .record_share(&items[1].to_string(), "X", "Mine")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!server::admin::demo_accounts(&server.state.db)
        .await
        .unwrap()
        .is_empty());

    let removed = server::admin::remove_demo(&server.state.db).await.unwrap();
    assert!(removed.people >= 20, "{removed:?}");
    assert_eq!(
        removed.items as usize,
        items.len() - 1,
        "all but the one a real person shared"
    );
    assert_eq!(
        removed.rewards, 5,
        "the demo's catalogue, nobody else asked"
    );
    assert_eq!(
        count(&server, "SELECT CAST(COUNT(*) AS BIGINT) FROM rewards").await,
        0
    );
    assert_eq!(
        removed.values, 4,
        "the demo's values, unused by anyone left"
    );
    assert_eq!(
        count(&server, "SELECT CAST(COUNT(*) AS BIGINT) FROM kudos_values").await,
        0
    );
    assert!(server::admin::demo_accounts(&server.state.db)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        count(&server, "SELECT CAST(COUNT(*) AS BIGINT) FROM people").await,
        1
    );
    assert_eq!(
        count(
            &server,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM content_items"
        )
        .await,
        1
    );
    assert_eq!(
        count(&server, "SELECT CAST(COUNT(*) AS BIGINT) FROM shares").await,
        1,
        "the real person's share stays"
    );
    let (status, _) = server
        .calls(&server.client())
        .sign_in(ADMIN, DEMO_PASSWORD)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the demo password opens nothing"
    );
    // The leaderboard holds only the real person now.
    let (status, board) = server
        .calls(&real)
        .leaderboard("People", "AllTime", None::<i64>)
        .await;
    assert_eq!(status, StatusCode::OK, "{board}");
    let rows = board["top"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{board}");
    // Removing again finds nothing.
    let again = server::admin::remove_demo(&server.state.db).await.unwrap();
    assert_eq!(again, server::admin::DemoRemoved::default());
}

/// Finding 4 and 7: 30 requests from one address with 30 browser versions
/// were 30 qualified clicks, 30 image fetches 30 more, and 2,000 HEADs
/// 2,000 rows.
async fn clicks_count_only_when_people_navigate_and_one_address_cannot_farm(backend: Backend) {
    let server = common::start(backend).await;
    let code = crate::redirect::link_for_employee(&server).await;
    let url = format!("{}/s/{code}", server.url);
    let one = common::visitor_client(7);
    let browser = |n: u32| format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/{n}.0");
    for n in 0..30 {
        let res = one
            .get(&url)
            .header("user-agent", browser(n))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
    }
    // An <img src> on any page, from other addresses: sent as an image fetch.
    for n in 0..30 {
        let res = common::visitor_client(100 + n)
            .get(&url)
            .header("user-agent", browser(n as u32))
            .header("sec-fetch-dest", "image")
            .header("sec-fetch-mode", "no-cors")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND, "still redirected");
    }
    // A person following the link in a browser that says so does count.
    let res = common::visitor_client(200)
        .get(&url)
        .header("user-agent", browser(1))
        .header("sec-fetch-dest", "document")
        .header("sec-fetch-mode", "navigate")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let stored = crate::redirect::verdicts(&server, &code).await;
    let of = |v: &str| stored.iter().filter(|(verdict, _)| verdict == v).count();
    assert_eq!(stored.len(), 61, "every request is recorded, raw");
    assert_eq!(
        of("qualified"),
        4,
        "three visitors from the one address, one navigation"
    );
    assert_eq!(of("crowd"), 27);
    assert_eq!(of("embedded"), 30);
    let counted: i64 =
        sqlx::query_scalar("SELECT qualified_clicks FROM tracked_links WHERE code = $1")
            .bind(&code)
            .fetch_one(&server.state.db)
            .await
            .unwrap();
    assert_eq!(counted, 4);

    // A HEAD loop from one address: past its rate it leaves no rows.
    let looping = common::visitor_client(300);
    for _ in 0..200 {
        let res = looping
            .head(&url)
            .header("user-agent", browser(1))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
    }
    let heads = crate::redirect::verdicts(&server, &code)
        .await
        .iter()
        .filter(|(v, _)| v == "head")
        .count();
    // 60 a minute; the loop may straddle the turn of a minute.
    assert!(
        (60..=120).contains(&heads),
        "rows until the rate, then none: {heads}"
    );
}

/// Finding 7, the other half: what is stored is not kept row by row forever.
async fn old_unqualified_clicks_become_daily_counts(backend: Backend) {
    let server = common::start(backend).await;
    let code = crate::redirect::link_for_employee(&server).await;
    let day = 86_400_000;
    let now = app::base::db::now_ms();
    let old = now - now % day - 100 * day;
    for (at, verdict, qualified) in [
        (old + 1, "bot", 0),
        (old + 2, "bot", 0),
        (old + 3, "head", 0),
        (old + day + 5, "bot", 0),
        (old + 4, "qualified", 1),
        (now - 1_000, "bot", 0),
    ] {
        sqlx::query("INSERT INTO clicks (code, at, visitor, verdict, qualified) VALUES ($1, $2, 'v', $3, $4)")
            .bind(&code)
            .bind(at)
            .bind(verdict)
            .bind(qualified)
            .execute(&server.state.db)
            .await
            .unwrap();
    }
    let rolled = server::clicks::retention::roll_up(&server.state.db, now - 90 * day)
        .await
        .unwrap();
    assert_eq!(rolled, 4);
    let left: Vec<String> =
        sqlx::query_scalar("SELECT verdict FROM clicks WHERE code = $1 ORDER BY at")
            .bind(&code)
            .fetch_all(&server.state.db)
            .await
            .unwrap();
    assert_eq!(left, ["qualified", "bot"], "qualified and recent rows stay");
    let days: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT day, verdict, clicks FROM click_days WHERE code = $1 ORDER BY day, verdict",
    )
    .bind(&code)
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    assert_eq!(
        days,
        [
            (old, "bot".to_string(), 2),
            (old, "head".to_string(), 1),
            (old + day, "bot".to_string(), 1)
        ]
    );
    assert_eq!(
        server::clicks::retention::roll_up(&server.state.db, now - 90 * day)
            .await
            .unwrap(),
        0
    );
}

/// Finding 6: 40 parallel guesses all reached the password check; five
/// wrong tries by anyone locked the owner out; a forged X-Forwarded-For
/// gave each guess a fresh limit.
async fn sign_in_limits_count_before_checking_and_let_the_owner_in(backend: Backend) {
    let server = common::start_with(backend, &["--trust-proxy=true"]).await;
    // The owner has signed in from this browser before.
    let owner = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (status, _) = server.calls(&owner).sign_out().await;
    assert_eq!(status, StatusCode::OK);

    let guesser = server.client();
    let guesses = (0..40).map(|_| {
        let (server, guesser) = (&server, guesser.clone());
        async move {
            server
                .calls(&guesser)
                .sign_in(EMPLOYEE, "wrong-password")
                .await
                .0
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 40, "{statuses:?}");
    assert!(
        checked <= 5,
        "at most five guesses reach the password check: {checked}"
    );

    // Behind the (one, trusted) proxy the client is the rightmost entry:
    // what the client wrote to its left changes nothing.
    let mut forged_refused = 0;
    for n in 0..40 {
        let res = server
            .client()
            .post(format!("{}/api/sign_in", server.url))
            .header("accept", "application/json")
            .header("x-forwarded-for", format!("9.9.9.{n}, 127.0.0.1"))
            .form(&[("email", MANAGER), ("password", "wrong-password")])
            .send()
            .await
            .unwrap();
        forged_refused += usize::from(res.status() == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(
        forged_refused >= 35,
        "made-up addresses give no fresh limit: {forged_refused}"
    );

    // The owner's known browser still gets in, however locked the account
    // is for everyone else.
    let (status, _) = server
        .calls(&guesser)
        .sign_in(EMPLOYEE, DEMO_PASSWORD)
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "not from the guesser's browser"
    );
    let (status, body) = server.calls(&owner).sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "the owner's own browser: {body}");
}

fn sprida(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sprida"))
        .env_clear()
        .env("SPRIDA_DATA_DIR", data)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Started as the README's systemd unit starts it (an https base URL, no
/// other flag), an empty instance has no account anyone knows the password
/// of; `sprida admin create` makes the first administrator. A data directory
/// that still holds the demo refuses to serve it on https unless the demo is
/// asked for, until `sprida demo remove`.
#[tokio::test]
async fn a_production_start_has_no_known_password_and_refuses_the_demo_on_https() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let https = "--base-url=https://sprida.example.com";
    let (port, child) = crate::binary::spawn_with_args(&data, &[https]);
    crate::binary::wait_until_healthy(port).await;
    let client = reqwest::Client::new();
    let res = client
        .post(format!("http://127.0.0.1:{port}/api/sign_in"))
        .header("accept", "application/json")
        .form(&[("email", ADMIN), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "no demo admin");
    let health = client
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        health.headers()["strict-transport-security"],
        "max-age=31536000",
        "an https instance tells browsers to stay on https"
    );
    let out = crate::binary::stop(child).await;
    assert!(
        said(&out).contains("NO ADMINISTRATOR YET"),
        "{}",
        said(&out)
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&data), 0o700, "the data directory is private");
        assert_eq!(mode(&data.join("sprida.db")), 0o600);
        assert_eq!(mode(&data.join("secret.key")), 0o600);
    }

    let made = sprida(&data, &[https, "admin", "create", "first@example.com"]);
    assert!(made.status.success(), "{}", said(&made));
    assert!(
        said(&made).contains("https://sprida.example.com/invite/"),
        "{}",
        said(&made)
    );
    let bad = sprida(&data, &["admin", "create", "no-address"]);
    assert!(!bad.status.success());
    assert!(
        said(&bad).contains("not an e-mail address"),
        "{}",
        said(&bad)
    );

    // Another data directory with the demo in it.
    let demo = dir.path().join("demo");
    let (port, child) = crate::binary::spawn_with_args(&demo, &["--demo=true"]);
    crate::binary::wait_until_healthy(port).await;
    let out = crate::binary::stop(child).await;
    assert!(
        said(&out).contains(DEMO_PASSWORD),
        "the demo says how to sign in"
    );
    let refused = sprida(&demo, &[https]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("sprida demo remove"),
        "{}",
        said(&refused)
    );
    let removed = sprida(&demo, &["demo", "remove"]);
    assert!(removed.status.success(), "{}", said(&removed));
    assert!(said(&removed).contains("20 people"), "{}", said(&removed));
    let (port, child) = crate::binary::spawn_with_args(&demo, &[https]);
    crate::binary::wait_until_healthy(port).await;
    crate::binary::stop(child).await;
}

/// A key that exists but is damaged stops the start and is left as it was:
/// replacing it would sign everyone out and change every visitor hash.
#[tokio::test]
async fn a_damaged_secret_key_stops_the_start_instead_of_being_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("secret.key"), "too short").unwrap();
    let out = sprida(&data, &["--addr=127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(
        said(&out).contains("shorter than 32 characters"),
        "{}",
        said(&out)
    );
    assert_eq!(
        std::fs::read_to_string(data.join("secret.key")).unwrap(),
        "too short"
    );
    // Unreadable (here: a folder where the file should be).
    std::fs::remove_file(data.join("secret.key")).unwrap();
    std::fs::create_dir(data.join("secret.key")).unwrap();
    let out = sprida(&data, &["--addr=127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(said(&out).contains("cannot read"), "{}", said(&out));
    assert!(data.join("secret.key").is_dir());
}

/// Finding 5: a client sending one header byte every few seconds, or
/// nothing at all, kept its connection for ever; 500 live streams on one
/// session were all accepted.
#[tokio::test]
async fn slow_and_idle_clients_are_cut_off_and_streams_per_session_are_capped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = common::start_with(
        Backend::Sqlite,
        &["--header-timeout-secs=1", "--streams-per-session=2"],
    )
    .await;
    let addr = server.url.trim_start_matches("http://").to_string();
    let closed_within = |secs: u64, mut socket: tokio::net::TcpStream| async move {
        let mut buf = [0u8; 1024];
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match tokio::time::timeout(left, socket.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => continue,
                Err(_) => return false,
            }
        }
    };
    // Idle: connected, never a byte.
    let idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    assert!(closed_within(5, idle).await, "an idle connection is closed");
    // Slow: a header byte every 300 ms never finishes in time.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let writer = tokio::spawn(async move {
        for b in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaa" {
            if slow.write_all(&[*b]).await.is_err() {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        false
    });
    let cut = tokio::time::timeout(std::time::Duration::from_secs(10), writer)
        .await
        .expect("the slow client is cut off within 10 s")
        .unwrap();
    assert!(cut, "writing failed: the server closed the connection");
    // A client that is quick enough is served as before.
    let res = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Two live streams per session; a third waits for one to close.
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let open = || employee.get(format!("{}/events/live", server.url)).send();
    let first = open().await.unwrap();
    let second = open().await.unwrap();
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let third = open().await.unwrap();
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    drop(first);
    let mut again = None;
    for _ in 0..50 {
        let res = open().await.unwrap();
        if res.status() == StatusCode::OK {
            again = Some(res);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(again.is_some(), "a closed stream gives its place back");
    // Another session has its own.
    let manager = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    let res = manager
        .get(format!("{}/events/live", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    drop(second);
}
