use chrono::TimeZone;

use super::*;

const T0: i64 = 1_800_000_000_000; // a moment in 2027

fn at(y: i32, m: u32, d: u32) -> i64 {
    chrono::Utc
        .with_ymd_and_hms(y, m, d, 0, 0, 0)
        .unwrap()
        .timestamp_millis()
}

#[test]
fn reasons_keep_their_stored_names() {
    let names: Vec<&str> = Reason::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "share", "bonus", "click", "creator", "hold", "release", "debit", "reversal", "refund",
            "kudos", "prize"
        ]
    );
    for r in Reason::ALL {
        assert_eq!(Reason::parse(r.name()), Some(r));
    }
    assert_eq!(Reason::parse("adjustment"), None);
    let earning: Vec<Reason> = Reason::ALL.into_iter().filter(|r| r.earns()).collect();
    assert_eq!(
        earning,
        [
            Reason::Share,
            Reason::Bonus,
            Reason::Click,
            Reason::Creator,
            Reason::Kudos,
            Reason::Prize
        ]
    );
}

#[test]
fn every_source_has_its_own_key() {
    let keys = [
        key::share("7"),
        key::bonus("7"),
        key::click(7),
        key::creator(7),
        key::hold("7"),
        key::release("7"),
        key::kudos(7),
        key::prize(7, 7),
        key::debit("7"),
        key::reversal("7"),
    ];
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len());
    assert_eq!(key::share("abc"), "share:abc");
    assert_eq!(key::click(42), "click:42");
    assert_eq!(Entry::creator(1, 9, 50, T0).key, "creator:9");
    assert_eq!(
        Entry::click(1, 5, "abc", 2, T0).code.as_deref(),
        Some("abc")
    );
}

#[test]
fn periods_start_on_monday_and_on_the_first_of_month_and_quarter() {
    // Wednesday 2026-11-25 15:30 UTC.
    let ms = at(2026, 11, 25) + (15 * 60 + 30) * 60_000;
    assert_eq!(Period::Week.start(ms), at(2026, 11, 23));
    assert_eq!(Period::Month.start(ms), at(2026, 11, 1));
    assert_eq!(Period::Quarter.start(ms), at(2026, 10, 1));
    assert_eq!(Period::AllTime.start(ms), 0);
    // A Monday starts its own week; a Sunday belongs to the one before.
    assert_eq!(Period::Week.start(at(2026, 11, 23)), at(2026, 11, 23));
    assert_eq!(Period::Week.start(at(2026, 11, 22) + 1), at(2026, 11, 16));
    assert_eq!(Period::Quarter.start(at(2026, 3, 31)), at(2026, 1, 1));
    for p in Period::ALL {
        assert_eq!(Period::parse(p.code()), Some(p));
    }
}

fn spend(reason: Reason, request: &str, points: i64) -> Entry {
    let key = match reason {
        Reason::Hold => key::hold(request),
        Reason::Release => key::release(request),
        _ => key::debit(request),
    };
    Entry {
        person_id: 1,
        reason,
        key,
        points,
        code: None,
        item_id: None,
        at: T0,
    }
}

#[test]
fn earnings_count_in_every_period_and_spending_in_none() {
    let entries = [
        Entry::share(1, "a", 10, T0),
        Entry::click(1, 1, "a", 2, T0 + 1),
        Entry::creator(2, 9, 50, T0),
        Entry::click(3, 2, "b", 0, T0), // capped: worth nothing
        spend(Reason::Hold, "r1", -30),
        spend(Reason::Release, "r1", 30),
    ];
    let delta = totals_delta(&entries);
    for p in Period::ALL {
        assert_eq!(delta[&(p.code(), p.start(T0), 1)], 12);
        assert_eq!(delta[&(p.code(), p.start(T0), 2)], 50);
    }
    assert_eq!(delta.len(), 8, "nothing for the capped click or the hold");
}

#[test]
fn spending_lowers_what_can_be_spent_never_lifetime_points() {
    let earned = [Entry::share(1, "a", 100, T0), Entry::bonus(1, "a", 20, T0)];
    let b = balances_of(&earned);
    assert_eq!((b.lifetime, b.spendable, b.held), (120, 120, 0));
    // A reward of 80 requested: held.
    let mut all = earned.to_vec();
    all.push(spend(Reason::Hold, "r1", -80));
    assert_eq!(
        balances_of(&all),
        Balances {
            lifetime: 120,
            spendable: 40,
            held: 80
        }
    );
    // Approved: the hold becomes a debit.
    let mut approved = all.clone();
    approved.push(spend(Reason::Release, "r1", 80));
    approved.push(spend(Reason::Debit, "r1", -80));
    assert_eq!(
        balances_of(&approved),
        Balances {
            lifetime: 120,
            spendable: 40,
            held: 0
        }
    );
    // Declined instead: the points come back.
    all.push(spend(Reason::Release, "r1", 80));
    assert_eq!(
        balances_of(&all),
        Balances {
            lifetime: 120,
            spendable: 120,
            held: 0
        }
    );
    // An earning reversed lowers both.
    all.push(Entry {
        reason: Reason::Reversal,
        key: key::reversal(&key::bonus("a")),
        points: -20,
        ..Entry::bonus(1, "a", 20, T0)
    });
    assert_eq!(
        balances_of(&all),
        Balances {
            lifetime: 100,
            spendable: 100,
            held: 0
        }
    );
}
