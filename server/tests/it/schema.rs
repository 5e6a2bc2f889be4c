//! The two migration trees describe one schema, and the database triggers
//! that keep the leaderboard totals start their periods where the Rust rule
//! (`Period::start`) does. Both are written by hand twice (SQLite and
//! PostgreSQL dialects), so these tests are what keeps them in step.

use std::collections::{BTreeMap, BTreeSet};

use app::leaderboard::Period;
use chrono::{TimeZone, Utc};
use sqlx::AnyPool;

use crate::common::{self, Backend, TestServer, EMPLOYEE};

/// Tables, each with its columns (name → type family), and the indexes.
#[derive(Debug, PartialEq)]
struct Schema {
    tables: BTreeMap<String, BTreeMap<String, &'static str>>,
    indexes: BTreeSet<(String, String)>,
}

/// Only SQLite has them: the click journal's bookkeeping (PostgreSQL
/// instances write clicks without a journal).
const SQLITE_ONLY: &[&str] = &["click_journals"];

/// Indexes each database has on purpose: the click writers look repeats up
/// differently (SQLite's applier in memory, PostgreSQL's by link and
/// visitor), so each indexes `clicks` for its own queries.
const OWN_INDEXES: &[(&str, &str)] = &[
    ("sqlite", "clicks_code_at"),
    ("postgres", "clicks_qualified_visitor"),
];

/// What a declared type stores, across the two dialects' names for it.
fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t == "bigserial" || t == "serial" {
        "integer"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else {
        "other"
    }
}

async fn rows(db: &AnyPool, sql: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(sql).fetch_all(db).await.unwrap()
}

async fn schema(server: &TestServer, backend: Backend) -> Schema {
    let db = &server.state.db;
    let (columns, indexes) = match backend {
        Backend::Sqlite => (
            rows(
                db,
                "SELECT m.name, c.name, c.type FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .await,
            rows(
                db,
                "SELECT tbl_name, name, '' FROM sqlite_master WHERE type = 'index' \
                 AND name NOT LIKE 'sqlite_autoindex%' AND tbl_name NOT LIKE '_sqlx%'",
            )
            .await,
        ),
        Backend::Postgres => (
            rows(
                db,
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), CAST(data_type AS TEXT) \
                 FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
            )
            .await,
            // Indexes made by CREATE INDEX; those behind a primary key or
            // UNIQUE constraint are SQLite's automatic ones, left out above.
            rows(
                db,
                "SELECT CAST(i.tablename AS TEXT), CAST(i.indexname AS TEXT), '' FROM pg_indexes i \
                 WHERE i.schemaname = 'public' AND i.tablename NOT LIKE '_sqlx%' AND NOT EXISTS ( \
                   SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            )
            .await,
        ),
    };
    let mut tables: BTreeMap<String, BTreeMap<String, &'static str>> = BTreeMap::new();
    for (table, column, declared) in columns {
        if SQLITE_ONLY.contains(&table.as_str()) {
            continue;
        }
        tables
            .entry(table)
            .or_default()
            .insert(column, family(&declared));
    }
    let own = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert!(
        OWN_INDEXES
            .iter()
            .filter(|(db, _)| *db == own)
            .all(|(_, name)| indexes.iter().any(|(_, n, _)| n == name)),
        "an index listed in OWN_INDEXES is gone from {own}: update the list"
    );
    let indexes = indexes
        .into_iter()
        .filter(|(table, _, _)| !SQLITE_ONLY.contains(&table.as_str()))
        .filter(|(_, name, _)| !OWN_INDEXES.iter().any(|(_, n)| n == name))
        .map(|(table, name, _)| (table, name))
        .collect();
    Schema { tables, indexes }
}

#[tokio::test]
async fn both_databases_have_the_same_tables_columns_and_indexes() {
    let sqlite = common::start(Backend::Sqlite).await;
    let postgres = common::start(Backend::Postgres).await;
    let (a, b) = (
        schema(&sqlite, Backend::Sqlite).await,
        schema(&postgres, Backend::Postgres).await,
    );
    assert!(a.tables.len() >= 20, "the query found the tables: {a:?}");
    assert!(a.indexes.len() >= 5, "the query found the indexes: {a:?}");
    let names = |s: &Schema| s.tables.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(names(&a), names(&b), "tables (SQLite, PostgreSQL)");
    for (table, columns) in &a.tables {
        assert_eq!(
            Some(columns),
            b.tables.get(table),
            "columns of {table} (SQLite, PostgreSQL)"
        );
    }
    assert_eq!(a.indexes, b.indexes, "indexes (SQLite, PostgreSQL)");
}

on_both_databases!(the_totals_trigger_starts_periods_where_the_rust_rule_does);

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, ms: i64) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, h, min, s)
        .unwrap()
        .timestamp_millis()
        + ms
}

async fn the_totals_trigger_starts_periods_where_the_rust_rule_does(backend: Backend) {
    let server = common::start(backend).await;
    let person: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(EMPLOYEE)
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    // (moment, its week's Monday, its month's first, its quarter's first),
    // written out by hand so the Rust rule is checked too.
    let cases = [
        // The last moment of a year, a Thursday, and the first of the next:
        // the week runs across New Year, month and quarter do not.
        (
            at(2026, 12, 31, 23, 59, 59, 999),
            at(2026, 12, 28, 0, 0, 0, 0),
            at(2026, 12, 1, 0, 0, 0, 0),
            at(2026, 10, 1, 0, 0, 0, 0),
        ),
        (
            at(2027, 1, 1, 0, 0, 0, 0),
            at(2026, 12, 28, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
        ),
        // Sunday night still belongs to the week that began on Monday;
        // Monday at midnight starts the next.
        (
            at(2027, 1, 3, 23, 59, 59, 999),
            at(2026, 12, 28, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
        ),
        (
            at(2027, 1, 4, 0, 0, 0, 0),
            at(2027, 1, 4, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
        ),
        // A leap day, and the day after it.
        (
            at(2028, 2, 29, 12, 0, 0, 0),
            at(2028, 2, 28, 0, 0, 0, 0),
            at(2028, 2, 1, 0, 0, 0, 0),
            at(2028, 1, 1, 0, 0, 0, 0),
        ),
        (
            at(2028, 3, 1, 0, 0, 0, 0),
            at(2028, 2, 28, 0, 0, 0, 0),
            at(2028, 3, 1, 0, 0, 0, 0),
            at(2028, 1, 1, 0, 0, 0, 0),
        ),
        // The end of a quarter and the start of the next.
        (
            at(2027, 3, 31, 23, 59, 59, 999),
            at(2027, 3, 29, 0, 0, 0, 0),
            at(2027, 3, 1, 0, 0, 0, 0),
            at(2027, 1, 1, 0, 0, 0, 0),
        ),
        (
            at(2027, 4, 1, 0, 0, 0, 0),
            at(2027, 3, 29, 0, 0, 0, 0),
            at(2027, 4, 1, 0, 0, 0, 0),
            at(2027, 4, 1, 0, 0, 0, 0),
        ),
    ];
    for (n, (moment, week, month, quarter)) in cases.into_iter().enumerate() {
        assert_eq!(
            [Period::Week, Period::Month, Period::Quarter].map(|p| p.start(moment)),
            [week, month, quarter],
            "the Rust rule, case {n}"
        );
        sqlx::query("DELETE FROM points_totals")
            .execute(&server.state.db)
            .await
            .unwrap();
        let key = format!("period-test:{n}");
        assert!(common::ledger_pay(&server, person, &key, 3, moment).await);
        let stored: BTreeMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
            "SELECT period, start FROM points_totals WHERE person_id = $1",
        )
        .bind(person)
        .fetch_all(&server.state.db)
        .await
        .unwrap()
        .into_iter()
        .collect();
        let expected: BTreeMap<String, i64> = Period::ALL
            .into_iter()
            .map(|p| (p.code().to_string(), p.start(moment)))
            .collect();
        assert_eq!(stored, expected, "the trigger, case {n} ({moment})");
    }
}
