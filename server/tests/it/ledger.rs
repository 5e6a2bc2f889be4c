//! One owner for points (issue 31), on SQLite and PostgreSQL: a share, its
//! bonus, qualified clicks and an approved post all pay through
//! `base::ledger`; the totals of every period, the balances and the live
//! events follow from it; replaying any payment pays nothing more; holds,
//! debits, releases and reversals keep lifetime points and ranks apart
//! from what can be spent.

use std::collections::BTreeMap;

use app::base::ledger::{self, Balances, Period};
use app::base::live::LiveEvent;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{self, Backend, TestServer, DEMO_PASSWORD, EMPLOYEE};

on_both_databases!(
    every_payment_goes_through_the_one_ledger,
    spending_holds_and_reversals_keep_lifetime_points_apart,
    two_holds_at_once_cannot_spend_the_same_points,
);

const REVIEWER: &str = "reviewer@demo.sprida.local";

async fn person(server: &TestServer, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(email)
        .fetch_one(&server.state.db)
        .await
        .unwrap()
}

/// (reason, points) of the person's entries, in order.
async fn entries(server: &TestServer, person: i64) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT reason, points FROM points_ledger WHERE person_id = $1 ORDER BY id")
        .bind(person)
        .fetch_all(&server.state.db)
        .await
        .unwrap()
}

/// The totals as stored, and as summed afresh from the ledger by the
/// ledger's own definition of a period: they must agree.
async fn totals_agree(server: &TestServer, person: i64) -> BTreeMap<String, i64> {
    let stored: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT period, start, points FROM points_totals WHERE person_id = $1 AND points <> 0",
    )
    .bind(person)
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    let rows: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT reason, points, created_at FROM points_ledger WHERE person_id = $1")
            .bind(person)
            .fetch_all(&server.state.db)
            .await
            .unwrap();
    let mut summed: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for (reason, points, at) in rows {
        if !ledger::Reason::parse(&reason).unwrap().lifetime() {
            continue;
        }
        for p in Period::ALL {
            *summed.entry((p.code().into(), p.start(at))).or_default() += points;
        }
    }
    summed.retain(|_, v| *v != 0);
    let stored_map: BTreeMap<(String, i64), i64> =
        stored.into_iter().map(|(p, s, v)| ((p, s), v)).collect();
    assert_eq!(stored_map, summed, "stored totals against the ledger");
    let now = app::base::db::now_ms();
    Period::ALL
        .into_iter()
        .map(|p| {
            let key = (p.code().to_string(), p.start(now));
            (
                p.code().to_string(),
                stored_map.get(&key).copied().unwrap_or(0),
            )
        })
        .collect()
}

async fn balances(server: &TestServer, person: i64) -> Balances {
    ledger::ssr::balances(&server.state.db, person)
        .await
        .unwrap()
}

/// The events heard since the last look. On PostgreSQL they come back
/// through NOTIFY, so this waits for them a moment.
async fn drain(rx: &mut tokio::sync::broadcast::Receiver<LiveEvent>) -> Vec<LiveEvent> {
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e);
    }
    out
}

async fn ok(reply: (StatusCode, Value)) -> Value {
    assert_eq!(reply.0, StatusCode::OK, "{}", reply.1);
    reply.1
}

async fn every_payment_goes_through_the_one_ledger(backend: Backend) {
    let server = common::start(backend).await;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let reviewer = server.sign_in(REVIEWER, DEMO_PASSWORD).await;
    let me = person(&server, EMPLOYEE).await;
    let mut live = server.state.live.subscribe();
    let item: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM content_items WHERE status = 'published'")
            .fetch_one(&server.state.db)
            .await
            .unwrap();

    // A share in the person's own words: the share and its bonus.
    let text = "My own words about this, written by me for my network today";
    let share = ok(server
        .calls(&employee)
        .record_share(&item.to_string(), "LinkedIn", text)
        .await)
    .await;
    assert_eq!(share["points"], 15, "{share}");
    assert_eq!(drain(&mut live).await, [LiveEvent::Points]);
    assert_eq!(
        entries(&server, me).await,
        [("share".into(), 10), ("bonus".into(), 5)]
    );

    // Replayed: recorded as a share (the ticker's news), paid nothing.
    let again = ok(server
        .calls(&employee)
        .record_share(&item.to_string(), "LinkedIn", text)
        .await)
    .await;
    assert_eq!(again["points"], 0, "{again}");
    assert_eq!(drain(&mut live).await, [LiveEvent::Points]);

    // Three qualified clicks through the person's link.
    let code: String =
        sqlx::query_scalar("SELECT code FROM tracked_links WHERE person_id = $1 AND item_id = $2")
            .bind(me)
            .bind(item)
            .fetch_one(&server.state.db)
            .await
            .unwrap();
    for i in 0..3 {
        let res = common::visitor_client(100 + i)
            .get(format!("{}/s/{code}", server.url))
            .header(
                "user-agent",
                format!("Mozilla/5.0 (X11; Linux x86_64) Firefox/{i}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
    }
    server.sprida.clicks().flushed().await;
    let clicks: Vec<i64> = entries(&server, me)
        .await
        .into_iter()
        .filter(|(r, _)| r == "click")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(clicks, [2, 2, 2]);
    assert!(
        drain(&mut live).await.contains(&LiveEvent::Points),
        "the click path publishes"
    );

    // An own post approved: creator points, once, however often approved.
    let input = json!({
        "title": "What our lab did this week",
        "body": "We measured, we learned.",
        "destination_url": "https://example.com/lab",
        "image_id": null,
        "texts": [{ "channel": "X", "text": "Look what we built" }],
        "tags": "lab"
    });
    let saved = ok(server
        .calls(&employee)
        .save_post(None::<i64>, None::<i64>, input)
        .await)
    .await;
    let id = saved["id"].as_i64().unwrap();
    let v = saved["version"].as_i64().unwrap();
    let v = ok(server
        .calls(&employee)
        .submit_post(&id.to_string(), &v.to_string())
        .await)
    .await["version"]
        .as_i64()
        .unwrap();
    let mut version = v;
    for to in ["InReview", "Published", "InReview", "Published"] {
        let moved = ok(server
            .calls(&reviewer)
            .move_post(id, to, version, None)
            .await)
        .await;
        version = moved["version"].as_i64().unwrap();
    }
    let creator: Vec<(String, i64)> = entries(&server, me)
        .await
        .into_iter()
        .filter(|(r, _)| r == "creator")
        .collect();
    assert_eq!(creator, [("creator".into(), 50)], "paid once");
    let events = drain(&mut live).await;
    assert!(
        events.contains(&LiveEvent::Points) && events.contains(&LiveEvent::Board),
        "{events:?}"
    );

    // Every period's total is what the ledger says, and so are the balances.
    let now_totals = totals_agree(&server, me).await;
    for p in Period::ALL {
        assert_eq!(now_totals[p.code()], 10 + 5 + 6 + 50, "{}", p.code());
    }
    assert_eq!(
        balances(&server, me).await,
        Balances {
            lifetime: 71,
            spendable: 71,
            held: 0
        }
    );

    // A renamed person changes the boards without paying anyone.
    let admin = server.sign_in(common::ADMIN, DEMO_PASSWORD).await;
    let (status, _) = server.calls(&admin).set_person_active(me, false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(drain(&mut live).await, [LiveEvent::People]);
}

async fn spending_holds_and_reversals_keep_lifetime_points_apart(backend: Backend) {
    let server = common::start(backend).await;
    let me = person(&server, EMPLOYEE).await;
    let now = app::base::db::now_ms();
    assert!(common::ledger_pay(&server, me, "share:spend-test", 100, now).await);
    let mut conn = server.state.db.acquire().await.unwrap();
    let rank = |t: BTreeMap<String, i64>| t["week"];

    // A reward of 30 requested: held at once; a retry holds nothing more.
    assert!(ledger::ssr::hold(&mut conn, me, "reward-1", 30, now)
        .await
        .unwrap());
    assert!(!ledger::ssr::hold(&mut conn, me, "reward-1", 30, now)
        .await
        .unwrap());
    let b = balances(&server, me).await;
    assert_eq!((b.lifetime, b.spendable, b.held), (100, 70, 30));
    // More than is left cannot be held.
    let err = ledger::ssr::hold(&mut conn, me, "reward-2", 71, now)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        app::base::error::AppError::Conflict(app::base::i18n::T::ErrNotEnoughPoints)
    );
    // Approved: the hold becomes a debit, once.
    assert!(ledger::ssr::debit(&mut conn, "reward-1", now)
        .await
        .unwrap());
    assert!(!ledger::ssr::debit(&mut conn, "reward-1", now)
        .await
        .unwrap());
    let b = balances(&server, me).await;
    assert_eq!((b.lifetime, b.spendable, b.held), (100, 70, 0));

    // Declined: the points come back, and it can no longer be debited.
    assert!(ledger::ssr::hold(&mut conn, me, "reward-3", 20, now)
        .await
        .unwrap());
    assert!(ledger::ssr::release(&mut conn, "reward-3", now)
        .await
        .unwrap());
    assert!(!ledger::ssr::release(&mut conn, "reward-3", now)
        .await
        .unwrap());
    assert!(ledger::ssr::debit(&mut conn, "reward-3", now)
        .await
        .is_err());
    let b = balances(&server, me).await;
    assert_eq!((b.lifetime, b.spendable, b.held), (100, 70, 0));
    // A spent reward given back (declined after approval): refunded once;
    // lifetime points never moved. Without a debit there is nothing to refund.
    assert!(ledger::ssr::hold(&mut conn, me, "reward-4", 10, now)
        .await
        .unwrap());
    assert!(ledger::ssr::refund(&mut conn, "reward-4", now)
        .await
        .is_err());
    assert!(ledger::ssr::debit(&mut conn, "reward-4", now)
        .await
        .unwrap());
    assert!(ledger::ssr::refund(&mut conn, "reward-4", now)
        .await
        .unwrap());
    assert!(!ledger::ssr::refund(&mut conn, "reward-4", now)
        .await
        .unwrap());
    let b = balances(&server, me).await;
    assert_eq!((b.lifetime, b.spendable, b.held), (100, 70, 0));
    // Spending never lowers a rank.
    assert_eq!(rank(totals_agree(&server, me).await), 100);

    // An earning taken back lowers lifetime points and the totals, once.
    assert!(ledger::ssr::reverse(&mut conn, "share:spend-test", now)
        .await
        .unwrap());
    assert!(!ledger::ssr::reverse(&mut conn, "share:spend-test", now)
        .await
        .unwrap());
    let b = balances(&server, me).await;
    assert_eq!((b.lifetime, b.spendable), (0, -30));
    assert_eq!(rank(totals_agree(&server, me).await), 0);
    // Only earnings can be reversed.
    assert!(ledger::ssr::reverse(&mut conn, "hold:reward-1", now)
        .await
        .is_err());
}

async fn two_holds_at_once_cannot_spend_the_same_points(backend: Backend) {
    let server = common::start(backend).await;
    let me = person(&server, EMPLOYEE).await;
    let now = app::base::db::now_ms();
    assert!(common::ledger_pay(&server, me, "share:race-test", 50, now).await);
    // Two requests of 40 from two tabs, each in its own transaction.
    let attempt = |request: &'static str| {
        let db = server.state.db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let held = ledger::ssr::hold(&mut tx, me, request, 40, now).await;
            if held.is_ok() {
                tx.commit().await.unwrap();
            }
            held
        })
    };
    let (a, b) = (attempt("tab-1"), attempt("tab-2"));
    let results = [a.await.unwrap(), b.await.unwrap()];
    let won = results.iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(won, 1, "{results:?}");
    assert_eq!(balances(&server, me).await.spendable, 10);
}
