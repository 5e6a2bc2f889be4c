//! PostgreSQL plans every statement afresh on Sprida's connections: a
//! generic plan made while a table was empty scanned all of `clicks` for
//! each repeat check once it had grown (479 ms at 200,000 clicks, against
//! 0.1 ms planned afresh), until autovacuum's next ANALYZE.

use sqlx::Acquire;

#[tokio::test]
async fn postgres_connections_never_switch_to_a_generic_plan() {
    let url = crate::common::fresh_pg_database().await;
    let (pool, _) = app::base::db::connect(&url).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let conn = conn.acquire().await.unwrap();
    // PostgreSQL's default switches to a generic plan from the sixth run
    // when it looks no dearer: this one costs the same either way.
    let probe = "SELECT COUNT(*) FROM clicks WHERE code = $1 AND visitor = $2";
    for _ in 0..10 {
        let n: i64 = sqlx::query_scalar(probe)
            .bind("abcdefghijkl")
            .bind("visitor")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(n, 0);
    }
    let (generic, custom): (i64, i64) = sqlx::query_as(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
    )
    .bind(probe)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!((generic, custom), (0, 10));
}
