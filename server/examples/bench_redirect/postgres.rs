//! The redirect on PostgreSQL, where a click is committed (by a group
//! commit) before its 302 is sent: one instance, two instances sharing the
//! database, and one visitor repeating.

use std::path::Path;

use sqlx::{Connection, Executor};

use crate::load::{closed_loop, median_and_worst, open_loop, pct, Closed, Visitor};
use crate::servers::{start_bare, start_sprida, Database};
use crate::ROUNDS;

/// "req/s | p50 ms | p99 ms" of a table row.
fn row(c: &Closed) -> String {
    format!(
        "{:.0} | {:.2} | {:.2}",
        c.per_second,
        pct(&c.latencies, 0.5),
        pct(&c.latencies, 0.99)
    )
}

/// Alternating rounds of the bare handler and Sprida at `urls`; prints
/// them and returns the median ratio and Sprida's median rate.
async fn alternate(
    bare: &[String],
    urls: &[String],
    conc: usize,
    secs: u64,
    db: &Database,
    code: &str,
) -> Result<(f64, f64, f64), String> {
    let mut before = db.stored_clicks(code).await.0;
    let (mut ratios, mut rates, mut bare_rates) = (Vec::new(), Vec::new(), Vec::new());
    let (mut sent, mut stored) = (0, 0);
    println!("| round | bare req/s | p50 ms | p99 ms | Sprida req/s | p50 ms | p99 ms | ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for i in 1..=ROUNDS {
        let b = closed_loop(bare, conc, secs, Visitor::New).await?;
        let s = closed_loop(urls, conc, secs, Visitor::New).await?;
        let after = db.stored_clicks(code).await.0;
        stored += after - before;
        before = after;
        sent += s.latencies.len();
        let ratio = s.per_second / b.per_second;
        println!("| {i} | {} | {} | {ratio:.2} |", row(&b), row(&s));
        ratios.push(ratio);
        rates.push(s.per_second);
        bare_rates.push(b.per_second);
    }
    println!("\nClicks committed: {stored} of {sent} redirects.\n");
    Ok((
        median_and_worst(ratios).0,
        median_and_worst(rates).0,
        median_and_worst(bare_rates).0,
    ))
}

pub async fn section(binary: &Path, admin: &str, conc: usize, secs: u64) -> Result<(), String> {
    let db = Database::new_postgres(admin).await;
    // One data directory for both instances: they must share the secret
    // key, or the same visitor would hash differently on each.
    let dir = tempfile::tempdir().unwrap();
    let bare = start_bare().await;
    let one = start_sprida(binary, dir.path(), Some(&db.0)).await;
    let code = db.make_link().await;
    let bare_link = vec![format!("{}/s/{code}", bare.url)];
    let one_link = vec![format!("{}/s/{code}", one.url)];
    closed_loop(&bare_link, conc, 1, Visitor::New).await?;
    closed_loop(&one_link, conc, 1, Visitor::New).await?;

    println!(
        "## PostgreSQL: one instance ({conc} clients, closed loop, {ROUNDS} alternating rounds)\n"
    );
    let (ratio, pg_rate, bare_rate) =
        alternate(&bare_link, &one_link, conc, secs, &db, &code).await?;
    println!(
        "**Median ratio on PostgreSQL: {ratio:.2}** of the bare handler (target: at least 0.5).\n"
    );

    // p99 at half the bare rate, if Sprida can carry it at all; otherwise
    // at most 80 % of what it carried, said as such.
    let half = (bare_rate / 2.0).floor();
    let rate = half.min((pg_rate * 0.8).floor());
    let mut p99s = Vec::new();
    for _ in 0..ROUNDS {
        p99s.push(pct(&open_loop(&one_link, rate, secs, conc).await?, 0.99));
    }
    let shown: Vec<String> = p99s.iter().map(|p| format!("{p:.2}")).collect();
    let (p99, _) = median_and_worst(p99s);
    if rate < half {
        println!("Half the bare rate ({half:.0}/s) is more than Sprida on PostgreSQL carries ({pg_rate:.0}/s), so latency was measured at {rate:.0}/s (80 % of that): **p99 {p99:.2} ms** (rounds {}; target at half the bare rate: at most 10 ms).\n", shown.join(", "));
    } else {
        println!("At half the bare rate ({rate:.0}/s, open loop): **p99 {p99:.2} ms** (rounds {}; target: at most 10 ms).\n", shown.join(", "));
    }

    let two = start_sprida(binary, dir.path(), Some(&db.0)).await;
    let both = vec![one_link[0].clone(), format!("{}/s/{code}", two.url)];
    println!("## PostgreSQL: two instances sharing the database (half the clients on each)\n");
    let (ratio2, _, _) = alternate(&bare_link, &both, conc, secs, &db, &code).await?;
    println!("**Median ratio with two instances: {ratio2:.2}.**\n");
    drop(two);

    // A refreshing bot on a link of its own: each round is one more round
    // of its clicks piled up.
    let bot = db.make_link().await;
    let bot_link = vec![format!("{}/s/{bot}", one.url)];
    println!("## PostgreSQL: one visitor repeating, against new visitors (one instance)\n");
    println!("| round | one visitor again and again req/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    let mut same = Vec::new();
    for i in 1..=ROUNDS {
        let s = closed_loop(&bot_link, conc, secs, Visitor::Same).await?;
        println!("| {i} | {} |", row(&s));
        same.push(s.per_second);
    }
    let new = closed_loop(&one_link, conc, secs, Visitor::New).await?;
    println!("| new visitors, after them | {} |", row(&new));
    let (raw, qualified) = db.stored_clicks(&bot).await;
    println!(
        "\nThe repeating visitor's last round ran at {:.2} of its first and at {:.2} of new visitors' rate (target: a repeat costs no more than a new visitor). Its clicks: {raw} stored, {qualified} qualified.\n",
        same[ROUNDS - 1] / same[0],
        same[ROUNDS - 1] / new.per_second
    );
    drop((one, bare));
    drop_database(admin, &db.0).await;
    Ok(())
}

async fn drop_database(admin: &str, url: &str) {
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    sqlx::any::install_default_drivers();
    if let Ok(mut conn) = sqlx::AnyConnection::connect(admin).await {
        let _ = conn
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}
