//! What a batch of clicks means, decided once for both databases: which
//! clicks are repeats, which click points are paid within the daily cap,
//! what the per-link counters gain. `store` runs it against a `Store`, the
//! few statements each database answers its own way; the SQLite applier and
//! the PostgreSQL group commit are thin `Store`s, and both pay through
//! `base::ledger`, which keeps the totals.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;

use app::base::change::Fact;
use app::base::ledger::Entry;
use app::points::{click_points, PointRules};

use super::rules::{Verdict, DAY_MS};
use super::NewClick;

/// Whatever a database answers when a statement fails.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// Raw and qualified clicks per link, in code order (so concurrent writers
/// lock rows in the same order).
pub type Counters = BTreeMap<String, (i64, i64)>;

/// The statements of one batch, inside one transaction the caller commits.
/// On SQLite these run on the applier's own thread and never wait; on
/// PostgreSQL they are real round trips.
pub trait Store {
    /// The admin's point rules as they are now.
    fn rules(&mut self) -> impl Future<Output = Result<PointRules, StoreError>>;
    /// Inserts the clicks with their final verdicts; their ids, in order.
    fn insert_clicks(
        &mut self,
        clicks: &[NewClick],
        verdicts: &[Verdict],
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>>;
    /// The click points paid so far through `code` on the UTC day from `day`.
    fn paid_on(&mut self, code: &str, day: i64) -> impl Future<Output = Result<i64, StoreError>>;
    /// Pays through the ledger (a replayed key pays nothing); the entries
    /// written.
    fn pay(&mut self, entries: Vec<Entry>) -> impl Future<Output = Result<Vec<Entry>, StoreError>>;
    fn add_counters(&mut self, counters: &Counters)
        -> impl Future<Output = Result<(), StoreError>>;
}

/// What a stored batch came to.
#[derive(Debug, Default)]
pub struct Stored {
    /// The final verdicts, in the clicks' order.
    pub verdicts: Vec<Verdict>,
    /// The ledger entries written.
    pub paid: Vec<Entry>,
}

impl Stored {
    /// The facts of the batch, for `Changed::publish`.
    pub fn facts(&self) -> Vec<Fact> {
        let qualified = self
            .verdicts
            .iter()
            .filter(|v| **v == Verdict::Qualified)
            .count();
        let counted = (qualified > 0).then_some(Fact::ClicksCounted { qualified });
        counted
            .into_iter()
            .chain(self.paid.iter().map(Fact::paid))
            .collect()
    }
}

/// Stores a batch through `store`; `stored(code, visitor)` gives the latest
/// qualified click of that visitor on that link already stored.
pub async fn store<S: Store>(
    store: &mut S,
    clicks: &[NewClick],
    stored: impl Fn(&str, &str) -> Option<i64>,
) -> Result<Stored, StoreError> {
    let rules = store.rules().await?;
    let verdicts = final_verdicts(clicks, stored);
    let ids = store.insert_clicks(clicks, &verdicts).await?;
    let mut paid = Paid::new();
    for (code, day) in cap_keys(clicks, &verdicts) {
        let so_far = store.paid_on(&code, day).await?;
        paid.insert((code, day), so_far);
    }
    let entries: Vec<Entry> = plan_points(clicks, &verdicts, &rules, paid)
        .into_iter()
        .map(|(i, points)| {
            let c = &clicks[i];
            Entry::click(c.person_id, ids[i], &c.code, points, c.at)
        })
        .collect();
    let paid = if entries.is_empty() {
        Vec::new()
    } else {
        store.pay(entries).await?
    };
    store.add_counters(&counters(clicks, &verdicts)).await?;
    Ok(Stored { verdicts, paid })
}

/// (code, UTC day start) → click points already paid through that link.
type Paid = HashMap<(String, i64), i64>;

pub fn day_of(at: i64) -> i64 {
    at - at.rem_euclid(DAY_MS)
}

/// The final verdicts: a qualified click is a repeat when the same visitor
/// (today's or yesterday's hash) had a qualified click on the same link
/// within 24 hours, stored (`stored(code, visitor)` gives the latest) or
/// earlier in this batch.
pub fn final_verdicts(
    clicks: &[NewClick],
    stored: impl Fn(&str, &str) -> Option<i64>,
) -> Vec<Verdict> {
    let mut in_batch: HashMap<(&str, &str), i64> = HashMap::new();
    let mut out = Vec::with_capacity(clicks.len());
    for click in clicks {
        if click.verdict != Verdict::Qualified {
            out.push(click.verdict);
            continue;
        }
        let repeat = click.visitors.iter().any(|v| {
            in_batch
                .get(&(click.code.as_str(), v.as_str()))
                .copied()
                .or_else(|| stored(&click.code, v))
                .is_some_and(|at| at > click.at - DAY_MS)
        });
        if repeat {
            out.push(Verdict::Repeat);
        } else {
            in_batch.insert((&click.code, &click.visitors[0]), click.at);
            out.push(Verdict::Qualified);
        }
    }
    out
}

/// The (link, day) pairs whose click points so far the writer must read.
fn cap_keys(clicks: &[NewClick], verdicts: &[Verdict]) -> BTreeSet<(String, i64)> {
    clicks
        .iter()
        .zip(verdicts)
        .filter(|(_, v)| **v == Verdict::Qualified)
        .map(|(c, _)| (c.code.clone(), day_of(c.at)))
        .collect()
}

/// Click points to pay, as (index in the batch, points): each qualified click
/// earns the per-click points, within what its link may still earn that day.
fn plan_points(
    clicks: &[NewClick],
    verdicts: &[Verdict],
    rules: &PointRules,
    mut paid: Paid,
) -> Vec<(usize, i64)> {
    let mut out = Vec::new();
    for (i, (click, verdict)) in clicks.iter().zip(verdicts).enumerate() {
        if *verdict != Verdict::Qualified {
            continue;
        }
        let so_far = paid
            .entry((click.code.clone(), day_of(click.at)))
            .or_default();
        let points = click_points(rules, *so_far);
        if points > 0 {
            *so_far += points;
            out.push((i, points));
        }
    }
    out
}

fn counters(clicks: &[NewClick], verdicts: &[Verdict]) -> Counters {
    let mut out = Counters::new();
    for (click, verdict) in clicks.iter().zip(verdicts) {
        let counts = out.entry(click.code.clone()).or_default();
        counts.0 += 1;
        counts.1 += i64::from(*verdict == Verdict::Qualified);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const T: i64 = 1_800_000_000_000; // a moment in 2027

    type Seen = HashMap<(String, String), i64>;

    fn lookup(seen: &Seen) -> impl Fn(&str, &str) -> Option<i64> + '_ {
        |c, v| seen.get(&(c.to_string(), v.to_string())).copied()
    }

    pub(crate) fn click(code: &str, visitor: &str, at: i64, verdict: Verdict) -> NewClick {
        NewClick {
            code: code.into(),
            person_id: 7,
            at,
            visitors: [visitor.into(), format!("{visitor}-yesterday")],
            verdict,
        }
    }

    #[test]
    fn repeats_within_the_batch_and_against_stored_clicks() {
        let clicks = [
            click("a", "v1", T, Verdict::Qualified),
            click("a", "v1", T + 5, Verdict::Qualified),
            click("b", "v1", T + 6, Verdict::Qualified),
            click("a", "v2", T + 7, Verdict::Qualified),
            click("a", "v3", T + 8, Verdict::Bot),
            click("a", "v4", T + 9, Verdict::Qualified),
        ];
        let mut seen = Seen::new();
        // v2 clicked "a" an hour ago; v4 clicked it two days ago.
        seen.insert(("a".into(), "v2".into()), T - 3_600_000);
        seen.insert(("a".into(), "v4".into()), T - 2 * DAY_MS);
        assert_eq!(
            final_verdicts(&clicks, lookup(&seen)),
            [
                Verdict::Qualified,
                Verdict::Repeat,
                Verdict::Qualified, // another link
                Verdict::Repeat,
                Verdict::Bot,       // not qualified, stays as the redirect said
                Verdict::Qualified, // outside the 24 hours
            ]
        );
    }

    #[test]
    fn yesterdays_hash_still_finds_the_visitor() {
        // After midnight the visitor's hash changes; their previous click was
        // stored under what is now their "yesterday" hash.
        let clicks = [click("a", "today", T, Verdict::Qualified)];
        let mut seen = Seen::new();
        seen.insert(("a".into(), "today-yesterday".into()), T - 60_000);
        assert_eq!(final_verdicts(&clicks, lookup(&seen)), [Verdict::Repeat]);
    }

    #[test]
    fn click_points_stop_at_the_daily_cap_per_link() {
        let rules = PointRules {
            per_qualified_click: 3,
            daily_click_cap_per_share: 10,
            ..PointRules::default()
        };
        let next_day = day_of(T) + DAY_MS;
        let clicks = [
            click("a", "v1", T, Verdict::Qualified),
            click("a", "v2", T, Verdict::Qualified),
            click("a", "v3", T, Verdict::Repeat),
            click("a", "v4", T, Verdict::Qualified),
            click("b", "v5", T, Verdict::Qualified),
            click("a", "v6", next_day, Verdict::Qualified),
        ];
        let verdicts: Vec<Verdict> = clicks.iter().map(|c| c.verdict).collect();
        assert_eq!(
            cap_keys(&clicks, &verdicts).into_iter().collect::<Vec<_>>(),
            [
                ("a".to_string(), day_of(T)),
                ("a".to_string(), next_day),
                ("b".to_string(), day_of(T))
            ]
        );
        let mut paid = Paid::new();
        paid.insert(("a".into(), day_of(T)), 2);
        // "a" had 2 of its 10 today: 3 + 3 + the last 2; "b" and tomorrow start afresh.
        assert_eq!(
            plan_points(&clicks, &verdicts, &rules, paid),
            [(0, 3), (1, 3), (3, 2), (4, 3), (5, 3)]
        );
    }

    #[test]
    fn counters_count_every_click_and_the_qualified_ones() {
        let clicks = [
            click("b", "v1", T, Verdict::Qualified),
            click("a", "v1", T, Verdict::Bot),
            click("b", "v2", T, Verdict::Repeat),
        ];
        let verdicts: Vec<Verdict> = clicks.iter().map(|c| c.verdict).collect();
        let got: Vec<_> = counters(&clicks, &verdicts).into_iter().collect();
        assert_eq!(got, [("a".to_string(), (1, 0)), ("b".to_string(), (2, 1))]);
    }

    /// A store in memory: what the flow asks of a database, and in which order.
    #[derive(Default)]
    struct Memory {
        rules: PointRules,
        paid_before: i64,
        next_id: i64,
        clicks: Vec<(String, Verdict)>,
        ledger: Vec<Entry>,
        counters: Counters,
    }

    impl Store for Memory {
        async fn rules(&mut self) -> Result<PointRules, StoreError> {
            Ok(self.rules)
        }
        async fn insert_clicks(
            &mut self,
            clicks: &[NewClick],
            verdicts: &[Verdict],
        ) -> Result<Vec<i64>, StoreError> {
            let mut ids = Vec::new();
            for (c, v) in clicks.iter().zip(verdicts) {
                self.next_id += 1;
                ids.push(self.next_id);
                self.clicks.push((c.code.clone(), *v));
            }
            Ok(ids)
        }
        async fn paid_on(&mut self, _: &str, _: i64) -> Result<i64, StoreError> {
            Ok(self.paid_before)
        }
        async fn pay(&mut self, entries: Vec<Entry>) -> Result<Vec<Entry>, StoreError> {
            self.ledger.extend_from_slice(&entries);
            Ok(entries)
        }
        async fn add_counters(&mut self, counters: &Counters) -> Result<(), StoreError> {
            self.counters = counters.clone();
            Ok(())
        }
    }

    #[test]
    fn a_batch_pays_each_qualified_click_once_under_its_own_key() {
        let mut memory = Memory {
            rules: PointRules {
                per_qualified_click: 4,
                daily_click_cap_per_share: 10,
                ..PointRules::default()
            },
            paid_before: 4,
            next_id: 100,
            ..Memory::default()
        };
        let clicks = [
            click("a", "v1", T, Verdict::Qualified),
            click("a", "v1", T + 1, Verdict::Qualified),
            click("a", "v2", T + 2, Verdict::Qualified),
            click("a", "v3", T + 3, Verdict::Qualified),
        ];
        let stored = futures::executor::block_on(store(&mut memory, &clicks, |_, _| None)).unwrap();
        assert_eq!(
            stored.verdicts,
            [
                Verdict::Qualified,
                Verdict::Repeat,
                Verdict::Qualified,
                Verdict::Qualified
            ]
        );
        // 4 already paid today, cap 10: 4, then the last 2, then nothing.
        let paid: Vec<(String, i64)> = memory
            .ledger
            .iter()
            .map(|p| (p.key.clone(), p.points))
            .collect();
        assert_eq!(paid, [("click:101".into(), 4), ("click:103".into(), 2)]);
        assert_eq!(memory.counters[&"a".to_string()], (4, 3));
        assert_eq!(stored.paid.len(), 2);
        assert_eq!(
            stored.facts()[0],
            Fact::ClicksCounted { qualified: 3 },
            "then one PointsPaid per entry"
        );
        assert_eq!(stored.facts().len(), 3);
    }
}
