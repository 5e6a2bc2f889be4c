//! The click writer's repeat check on PostgreSQL reaches `clicks` only by
//! its index on (code, visitor), whatever the planner believes about the
//! table: its generic plan, made while `clicks` was empty, read the clicks
//! by time alone and matched them to the batch afterwards (2.9 s a batch at
//! 200,000 clicks).

use sqlx::Connection;

#[tokio::test]
async fn the_repeat_check_looks_each_visitor_up_by_the_index() {
    let url = crate::common::fresh_pg_database().await;
    app::base::db::connect(&url).await.unwrap(); // the schema
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    // As the prepared statement is kept: planned once for any parameters,
    // here on the empty table of a new database.
    sqlx::raw_sql(&format!(
        "SET plan_cache_mode = force_generic_plan; \
         PREPARE repeat_check(bigint, text, text) AS {}",
        server::clicks::postgres::REPEAT_CHECK
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let plan: Vec<String> =
        sqlx::query_scalar("EXPLAIN EXECUTE repeat_check(0, 'abcdefghijkl', 'visitor')")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let plan = plan.join("\n");
    assert!(
        plan.contains("Index Cond: ((code = k.code) AND (visitor = k.visitor)"),
        "{plan}"
    );
    assert!(!plan.contains("Join Filter"), "{plan}");
}
