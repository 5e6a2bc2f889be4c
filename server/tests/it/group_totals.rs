//! The per-group totals that team boards read (migration 0015) stay equal
//! to the sum over the members' totals through everything that changes
//! either: points paid, click points applied in batches, people joining and
//! leaving groups, deactivation and reactivation, a group deleted.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::common::{self, Backend, TestServer};
use sqlx::Executor;

on_both_databases!(group_totals_follow_points_members_and_deactivation);

type Row = (String, i64, i64, i64, i64);

/// The maintained rows of groups with active members' totals.
async fn maintained(server: &TestServer) -> Vec<Row> {
    sqlx::query_as(
        "SELECT period, start, group_id, points, entries FROM group_totals \
         WHERE entries > 0 ORDER BY period, start, group_id",
    )
    .fetch_all(&server.state.db)
    .await
    .unwrap()
}

/// The same, summed from scratch.
async fn summed(server: &TestServer) -> Vec<Row> {
    sqlx::query_as(
        "SELECT t.period, t.start, m.group_id, CAST(SUM(t.points) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM points_totals t JOIN group_members m ON m.person_id = t.person_id \
         JOIN people p ON p.id = t.person_id WHERE p.active = 1 \
         GROUP BY t.period, t.start, m.group_id ORDER BY 1, 2, 3",
    )
    .fetch_all(&server.state.db)
    .await
    .unwrap()
}

async fn agree(server: &TestServer, after: &str) {
    let (ours, sums) = (maintained(server).await, summed(server).await);
    assert!(!sums.is_empty(), "nothing to compare after {after}");
    assert_eq!(ours, sums, "group totals after {after}");
}

async fn exec(server: &TestServer, sql: &str) {
    server.state.db.execute(sql).await.unwrap();
}

async fn group_totals_follow_points_members_and_deactivation(backend: Backend) {
    let server = common::start(backend).await;
    let now = app::base::db::now_ms();
    for (i, email) in ["employee", "manager", "reviewer"].iter().enumerate() {
        let person: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(format!("{email}@demo.sprida.local"))
            .fetch_one(&server.state.db)
            .await
            .unwrap();
        let points = 10 * (i as i64 + 1);
        assert!(common::ledger_pay(&server, person, &format!("gt-{i}"), points, now).await);
    }
    agree(&server, "points paid").await;

    // Click points, applied in a batch by the click writer (an upsert).
    let code = crate::redirect::link_for_employee(&server).await;
    let stop = Arc::new(AtomicBool::new(false));
    let load = common::redirect_load(&format!("{}/s/{code}", server.url), 4, stop.clone());
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in load {
        assert!(task.await.unwrap() > 0);
    }
    server.sprida.clicks().flushed().await;
    agree(&server, "click points").await;

    exec(
        &server,
        "INSERT INTO org_groups (kind, name, created_at) VALUES ('team', 'Group totals test', 0)",
    )
    .await;
    exec(
        &server,
        "INSERT INTO group_members (group_id, person_id) SELECT \
         (SELECT id FROM org_groups WHERE name = 'Group totals test'), id FROM people \
         WHERE email IN ('employee@demo.sprida.local', 'manager@demo.sprida.local')",
    )
    .await;
    agree(&server, "two people joined a group").await;
    exec(
        &server,
        "DELETE FROM group_members WHERE person_id = \
         (SELECT id FROM people WHERE email = 'manager@demo.sprida.local')",
    )
    .await;
    agree(&server, "someone left every group").await;
    exec(
        &server,
        "UPDATE people SET active = 0 WHERE email = 'employee@demo.sprida.local'",
    )
    .await;
    agree(&server, "deactivation").await;
    exec(
        &server,
        "UPDATE people SET active = 1 WHERE email = 'employee@demo.sprida.local'",
    )
    .await;
    agree(&server, "reactivation").await;
    exec(
        &server,
        "DELETE FROM org_groups WHERE name = 'Group totals test'",
    )
    .await;
    agree(&server, "a group deleted with its members").await;
}
