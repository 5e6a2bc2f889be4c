//! Employee-written posts through review, on SQLite and PostgreSQL: drafts
//! and versions, the allowed moves, comments and notifications, creator
//! points paid once, scheduled publishing, safe rendering, live board events.

use crate::common;
use crate::common::{Backend, TestServer, ADMIN, DEMO_PASSWORD, EMPLOYEE, MANAGER};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

on_both_databases!(
    a_post_goes_from_draft_through_review_to_the_hub,
    moves_are_checked_and_stale_copies_refused,
    approval_pays_the_author_once_and_schedules_publication,
    hostile_markdown_reaches_the_hub_inert,
    review_boards_hear_of_changes_live,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

fn post(title: &str, body: &str, url: &str) -> Value {
    json!({
        "title": title,
        "body": body,
        "destination_url": url,
        "image_id": null,
        "texts": [{ "channel": "X", "text": "Look what we built" }],
        "tags": "lab"
    })
}

async fn save(
    server: &TestServer,
    who: &Client,
    id: Option<i64>,
    version: Option<i64>,
    input: Value,
) -> (StatusCode, Value) {
    server.calls(who).save_post(id, version, input).await
}

async fn saved(
    server: &TestServer,
    who: &Client,
    id: Option<i64>,
    version: Option<i64>,
    input: Value,
) -> (i64, i64) {
    let (status, body) = save(server, who, id, version, input).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        body["id"].as_i64().unwrap(),
        body["version"].as_i64().unwrap(),
    )
}

async fn submit(server: &TestServer, who: &Client, id: i64, version: i64) -> (StatusCode, Value) {
    server
        .calls(who)
        .submit_post(&id.to_string(), &version.to_string())
        .await
}

async fn move_to(
    server: &TestServer,
    who: &Client,
    id: i64,
    to: &str,
    version: i64,
    comment: Option<&str>,
) -> (StatusCode, Value) {
    let (id, version) = (id.to_string(), version.to_string());
    let mut form = vec![
        ("id", id.as_str()),
        ("to", to),
        ("version", version.as_str()),
    ];
    if let Some(c) = comment {
        form.push(("comment", c));
    }
    server.call(who, "move_post", &form).await
}

async fn moved(
    server: &TestServer,
    who: &Client,
    id: i64,
    to: &str,
    version: i64,
    comment: Option<&str>,
) -> i64 {
    let (status, body) = move_to(server, who, id, to, version, comment).await;
    assert_eq!(status, StatusCode::OK, "{to}: {body}");
    body["version"].as_i64().unwrap()
}

async fn get_post(server: &TestServer, who: &Client, id: i64) -> Value {
    let (status, body) = server.calls(who).get_post(&id.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn hub_card(server: &TestServer, who: &Client, title: &str) -> Option<Value> {
    let (status, hub) = server.calls(who).load_hub().await;
    assert_eq!(status, StatusCode::OK, "{hub}");
    hub["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == title)
        .cloned()
}

async fn notice_kinds(server: &TestServer, who: &Client) -> Vec<String> {
    let (status, list) = server.calls(who).my_notifications().await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn creator_points(server: &TestServer, id: i64) -> Vec<i64> {
    sqlx::query_scalar("SELECT points FROM points_ledger WHERE source_key = $1")
        .bind(format!("creator:{id}"))
        .fetch_all(&server.state.db)
        .await
        .unwrap()
}

async fn a_post_goes_from_draft_through_review_to_the_hub(backend: Backend) {
    let server = common::start(backend).await;
    let author = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;

    // Half a post is kept; it cannot go to review until it is complete.
    let (id, v) = saved(
        &server,
        &author,
        None,
        None,
        post("Our lab", "We opened", ""),
    )
    .await;
    assert_eq!(v, 1);
    let (status, body) = submit(&server, &author, id, v).await;
    assert_eq!(body, json!({ "Invalid": "ErrDestination" }), "{status}");
    let (id, v) = saved(
        &server,
        &author,
        Some(id),
        Some(v),
        post("Our lab", "We **opened** a lab.", "https://example.com/lab"),
    )
    .await;
    assert_eq!(v, 2);
    let (status, body) = submit(&server, &author, id, v).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = body["version"].as_i64().unwrap();

    // With the reviewers it is locked for the author, and not in the hub.
    let (_, body) = save(&server, &author, Some(id), Some(v), post("x", "y", "")).await;
    assert_eq!(body, json!({ "Conflict": "ErrPostLocked" }));
    assert!(hub_card(&server, &author, "Our lab").await.is_none());
    // Other employees cannot read it; reviewers can.
    let other = server.sign_in(MANAGER, DEMO_PASSWORD).await;
    let (_, body) = server.calls(&other).get_post(&id.to_string()).await;
    assert_eq!(body, json!("NotFound"));
    assert_eq!(get_post(&server, &reviewer, id).await["stage"], "Submitted");

    let v = moved(&server, &reviewer, id, "InReview", v, None).await;
    let (_, body) = move_to(&server, &reviewer, id, "ChangesRequested", v, None).await;
    assert_eq!(body, json!({ "Invalid": "ErrCommentRequired" }));
    let v = moved(
        &server,
        &reviewer,
        id,
        "ChangesRequested",
        v,
        Some("Add a link text"),
    )
    .await;

    // The author hears of it, sees the comment, edits and resubmits.
    assert_eq!(notice_kinds(&server, &author).await, ["ChangesRequested"]);
    let (_, unseen) = server.calls(&author).unseen_notifications().await;
    assert_eq!(unseen, json!(1));
    let (_, mine) = server.calls(&author).my_posts().await;
    assert_eq!(mine[0]["stage"], "ChangesRequested");
    assert_eq!(mine[0]["comments"][0]["body"], "Add a link text");
    assert_eq!(mine[0]["comments"][0]["by_author"], false);
    let (_, v) = saved(
        &server,
        &author,
        Some(id),
        Some(v),
        post(
            "Our lab",
            "We **opened** a [lab](https://example.com/lab).",
            "https://example.com/lab",
        ),
    )
    .await;
    let (status, body) = submit(&server, &author, id, v).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = body["version"].as_i64().unwrap();

    // A comment from the reviewer also reaches the author.
    let (status, body) = server
        .calls(&reviewer)
        .comment_post(&id.to_string(), "Looks good")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = v + 1;
    let v = moved(&server, &reviewer, id, "InReview", v, None).await;
    moved(&server, &reviewer, id, "Approved", v, None).await;

    // No publish time: approval publishes at once.
    let post = get_post(&server, &reviewer, id).await;
    assert_eq!(post["stage"], "Published");
    let card = hub_card(&server, &other, "Our lab")
        .await
        .expect("in the hub");
    assert_eq!(
        card["body_html"],
        "<p>We <strong>opened</strong> a <a href=\"https://example.com/lab\">lab</a>.</p>\n"
    );
    assert_eq!(card["author"], "Elias Employee");
    assert_eq!(creator_points(&server, id).await, [50]);
    // My impact says what the points were for, with the post's title.
    let (_, impact) = server.calls(&author).my_impact().await;
    let latest = &impact["latest"][0];
    assert_eq!(
        (&latest["kind"], &latest["title"], &latest["points"]),
        (&json!("Creator"), &json!("Our lab"), &json!(50))
    );
    let (_, body) = server.calls(&author).mark_notifications_seen().await;
    assert_eq!(body, Value::Null);
    assert_eq!(
        notice_kinds(&server, &author).await,
        ["Published", "Approved", "Commented", "ChangesRequested"]
    );
    let (_, unseen) = server.calls(&author).unseen_notifications().await;
    assert_eq!(unseen, json!(0));

    // The content functions do not touch posts: they change only on the
    // board. Taken back to In review there, the post leaves the hub; a copy
    // from before that is stale.
    let published_version = post["version"].as_i64().unwrap();
    let (status, _) = server
        .calls(&reviewer)
        .set_content_status(&id.to_string(), "Unpublished")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    moved(&server, &reviewer, id, "InReview", published_version, None).await;
    let post = get_post(&server, &reviewer, id).await;
    assert_eq!(post["stage"], "InReview");
    assert!(hub_card(&server, &other, "Our lab").await.is_none());
    let (_, body) = move_to(&server, &reviewer, id, "Approved", published_version, None).await;
    assert_eq!(body, json!({ "Conflict": "ErrStale" }));
    // Approved again from the board: back in the hub, the author paid once.
    let v = post["version"].as_i64().unwrap();
    moved(&server, &reviewer, id, "Approved", v, None).await;
    assert_eq!(get_post(&server, &reviewer, id).await["stage"], "Published");
    assert!(hub_card(&server, &other, "Our lab").await.is_some());
    assert_eq!(creator_points(&server, id).await, [50]);
}

async fn moves_are_checked_and_stale_copies_refused(backend: Backend) {
    let server = common::start(backend).await;
    let author = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (id, v) = saved(
        &server,
        &author,
        None,
        None,
        post("Moves", "Text", "https://example.com"),
    )
    .await;

    // A second tab of the author with an old version does not overwrite.
    let (_, body) = save(&server, &author, Some(id), Some(v + 7), post("Old", "", "")).await;
    assert_eq!(body, json!({ "Conflict": "ErrStale" }));
    // Reviewers do not see drafts.
    let (_, board) = server.calls(&reviewer).review_board().await;
    assert!(board.as_array().unwrap().iter().all(|c| c["id"] != id));
    let (_, body) = move_to(&server, &reviewer, id, "InReview", v, None).await;
    assert_eq!(body, json!({ "Conflict": "ErrIllegalMove" }));

    let (_, body) = submit(&server, &author, id, v).await;
    let v = body["version"].as_i64().unwrap();
    // Employees do not review.
    let (_, body) = server.calls(&author).review_board().await;
    assert_eq!(body, json!("Forbidden"));
    let (_, body) = move_to(&server, &author, id, "InReview", v, None).await;
    assert_eq!(body, json!("Forbidden"));
    // Skipping review is not a move.
    let (_, body) = move_to(&server, &reviewer, id, "Approved", v, None).await;
    assert_eq!(body, json!({ "Conflict": "ErrIllegalMove" }));
    // Two reviewers at once: the second, on the old version, is refused.
    moved(&server, &reviewer, id, "InReview", v, None).await;
    let (_, body) = move_to(&server, &admin, id, "Rejected", v, None).await;
    assert_eq!(body, json!({ "Conflict": "ErrStale" }));
    let (_, body) = server
        .calls(&admin)
        .review_save(
            id,
            v,
            json!(post("Edited", "x", "https://example.com")),
            json!({ "target_groups": [], "publish_at": null, "expires_at": null }),
        )
        .await;
    assert_eq!(body, json!({ "Conflict": "ErrStale" }));

    // A reviewer's own post needs someone else's approval.
    let (own, ov) = saved(
        &server,
        &reviewer,
        None,
        None,
        post("Mine", "x", "https://example.com"),
    )
    .await;
    let (_, body) = submit(&server, &reviewer, own, ov).await;
    let ov = moved(
        &server,
        &reviewer,
        own,
        "InReview",
        body["version"].as_i64().unwrap(),
        None,
    )
    .await;
    let (_, body) = move_to(&server, &reviewer, own, "Approved", ov, None).await;
    assert_eq!(body, json!({ "Conflict": "ErrOwnPost" }));
    moved(&server, &admin, own, "Approved", ov, None).await;

    // Admins' blocked words flag cards wherever they appear, as whole words.
    let (status, words) = server
        .calls(&admin)
        .save_blocked_words("guaranteed returns\nclass")
        .await;
    assert_eq!(status, StatusCode::OK, "{words}");
    let (_, body) = server.calls(&reviewer).save_blocked_words("x").await;
    assert_eq!(body, json!("Forbidden"));
    let (fid, fv) = saved(
        &server,
        &author,
        None,
        None,
        post(
            "Fund",
            "Classy and guaranteed\n\nreturns!",
            "https://example.com",
        ),
    )
    .await;
    submit(&server, &author, fid, fv).await;
    let (_, board) = server.calls(&reviewer).review_board().await;
    let card = board
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == fid)
        .unwrap()
        .clone();
    assert_eq!(card["flags"], json!(["guaranteed returns"]));
    assert_eq!(card["channels"], json!(["X"]));
    assert_eq!(card["author"], "Elias Employee");
}

async fn approval_pays_the_author_once_and_schedules_publication(backend: Backend) {
    let server = common::start(backend).await;
    let author = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let (id, v) = saved(
        &server,
        &author,
        None,
        None,
        post("Later", "Soon", "https://example.com"),
    )
    .await;
    let (_, body) = submit(&server, &author, id, v).await;
    let v = moved(
        &server,
        &reviewer,
        id,
        "InReview",
        body["version"].as_i64().unwrap(),
        None,
    )
    .await;

    let future = app::base::db::now_ms() + 3_600_000;
    let schedule = |at: i64| json!({ "target_groups": [], "publish_at": at, "expires_at": null });
    let (status, body) = server
        .calls(&reviewer)
        .review_save(
            id,
            v,
            json!(post("Later", "Soon, edited", "https://example.com")),
            schedule(future),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = moved(
        &server,
        &reviewer,
        id,
        "Approved",
        body["version"].as_i64().unwrap(),
        None,
    )
    .await;
    assert_eq!(get_post(&server, &reviewer, id).await["stage"], "Approved");
    assert!(
        hub_card(&server, &author, "Later").await.is_none(),
        "not before its time"
    );
    assert_eq!(creator_points(&server, id).await, [50]);

    // Back into review and approved again: still paid once.
    let v = moved(&server, &reviewer, id, "InReview", v, None).await;
    let v = moved(&server, &reviewer, id, "Approved", v, None).await;
    assert_eq!(creator_points(&server, id).await, [50]);

    // Its time comes: the publisher moves it and tells the author.
    let (status, body) = server
        .calls(&reviewer)
        .review_save(
            id,
            v,
            json!(post("Later", "Soon, edited", "https://example.com")),
            json!(schedule(app::base::db::now_ms() - 1_000)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app::posts::ssr::publish_due(&server.state.db)
            .await
            .unwrap()
            .publish(&server.state),
        1
    );
    assert_eq!(
        app::posts::ssr::publish_due(&server.state.db)
            .await
            .unwrap()
            .publish(&server.state),
        0
    );
    assert_eq!(get_post(&server, &author, id).await["stage"], "Published");
    assert!(hub_card(&server, &author, "Later").await.is_some());
    assert_eq!(notice_kinds(&server, &author).await[0], "Published");
}

async fn hostile_markdown_reaches_the_hub_inert(backend: Backend) {
    let server = common::start(backend).await;
    let author = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let hostile = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> \
                   [click](javascript:alert(3)) <a href=\"javascript:alert(4)\" style=\"position:fixed\">x</a>";
    let (id, v) = saved(
        &server,
        &author,
        None,
        None,
        post("Hostile", hostile, "https://example.com"),
    )
    .await;
    let (_, body) = submit(&server, &author, id, v).await;
    let v = moved(
        &server,
        &admin,
        id,
        "InReview",
        body["version"].as_i64().unwrap(),
        None,
    )
    .await;
    moved(&server, &admin, id, "Published", v, None).await;
    let card = hub_card(&server, &author, "Hostile").await.unwrap();
    let html = card["body_html"].as_str().unwrap();
    // Every tag in the output is one Markdown made; the rest is text.
    let tags: Vec<&str> = html
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap())
        .collect();
    assert_eq!(tags, ["p", "a href=\"#\"", "/a", "/p"], "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("<a href=\"#\">click</a>"), "{html}");
}

async fn review_boards_hear_of_changes_live(backend: Backend) {
    let server = common::start(backend).await;
    let author = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let url = format!("{}/events/board", server.url);
    assert_eq!(
        server.client().get(&url).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        author.get(&url).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let mut stream = reviewer.get(&url).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");

    let (id, v) = saved(
        &server,
        &author,
        None,
        None,
        post("Live", "x", "https://example.com"),
    )
    .await;
    submit(&server, &author, id, v).await;
    let text = common::next_event(&mut stream).await;
    assert!(text.contains("event: board"), "{text}");
}
