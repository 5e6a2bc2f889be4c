//! The one owner of points. Every payment, hold, debit, release and
//! reversal is an `Entry` written by `ssr` (sqlx, inside the caller's
//! transaction) or `sqlite` (the click applier's own connection); nothing
//! else writes `points_ledger` or `points_totals` (a test in `layers.rs`
//! fails if it does). This file is the pure part: why points move
//! (`Reason`), the idempotency keys, the periods of the leaderboards and
//! what a batch of entries adds to their totals.
//!
//! Balances: **lifetime** points are everything earned (minus reversals of
//! earnings) and never drop by spending; points to **spend** are the sum of
//! every entry: earned, minus held (a reward requested), minus debited (a
//! reward delivered), plus released (a request declined).

#[cfg(feature = "ssr")]
pub mod sqlite;
#[cfg(feature = "ssr")]
pub mod ssr;

use std::collections::BTreeMap;

use chrono::{Datelike, TimeZone};
use serde::{Deserialize, Serialize};

use crate::base::i18n::T;

const DAY_MS: i64 = 86_400_000;

/// Why points moved; `name` is what `points_ledger.reason` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// A share recorded, once per tracked link.
    Share,
    /// The share's text was the person's own.
    Bonus,
    /// A qualified click on a tracked link, within the daily cap.
    Click,
    /// An employee's own post approved for the hub.
    Creator,
    /// Points set aside for a reward requested (negative).
    Hold,
    /// A hold given back: declined, cancelled, or turned into a debit.
    Release,
    /// Points spent on a reward delivered (negative).
    Debit,
    /// An earning taken back (fraud, a conversion refunded): negative, and
    /// it lowers lifetime points and the totals of the earning's periods.
    Reversal,
    /// A debit given back (a reward declined after its approval): points
    /// to spend again; lifetime points never moved, so they do not now.
    Refund,
    /// Points a colleague gave with a thank-you, from their monthly
    /// allowance (the allowance is not points of theirs: it is only given).
    Kudos,
    /// A challenge's prize, paid to each winner once when it ends.
    Prize,
}

impl Reason {
    pub const ALL: [Reason; 11] = [
        Reason::Share,
        Reason::Bonus,
        Reason::Click,
        Reason::Creator,
        Reason::Hold,
        Reason::Release,
        Reason::Debit,
        Reason::Reversal,
        Reason::Refund,
        Reason::Kudos,
        Reason::Prize,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reason::Share => "share",
            Reason::Bonus => "bonus",
            Reason::Click => "click",
            Reason::Creator => "creator",
            Reason::Hold => "hold",
            Reason::Release => "release",
            Reason::Debit => "debit",
            Reason::Reversal => "reversal",
            Reason::Refund => "refund",
            Reason::Kudos => "kudos",
            Reason::Prize => "prize",
        }
    }

    pub fn parse(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Earned points: they count for lifetime points and the leaderboards.
    pub fn earns(self) -> bool {
        matches!(
            self,
            Reason::Share
                | Reason::Bonus
                | Reason::Click
                | Reason::Creator
                | Reason::Kudos
                | Reason::Prize
        )
    }

    /// Counted in lifetime points: earnings, and their reversals.
    pub fn lifetime(self) -> bool {
        self.earns() || self == Reason::Reversal
    }
}

/// The idempotency keys (`points_ledger.source_key`, unique): one entry per
/// source, ever, so a replay, a retry or a double submit pays nothing more.
pub mod key {
    /// A share pays once per tracked link (item, person and channel).
    pub fn share(code: &str) -> String {
        format!("share:{code}")
    }

    pub fn bonus(code: &str) -> String {
        format!("bonus:{code}")
    }

    pub fn click(click_id: i64) -> String {
        format!("click:{click_id}")
    }

    pub fn creator(item_id: i64) -> String {
        format!("creator:{item_id}")
    }

    /// A hold and what ends it share the request's own key.
    pub fn hold(request: &str) -> String {
        format!("hold:{request}")
    }

    pub fn release(request: &str) -> String {
        format!("release:{request}")
    }

    pub fn debit(request: &str) -> String {
        format!("debit:{request}")
    }

    pub fn reversal(original: &str) -> String {
        format!("reversal:{original}")
    }

    pub fn refund(request: &str) -> String {
        format!("refund:{request}")
    }

    /// A thank-you pays its recipient once.
    pub fn kudos(kudos_id: i64) -> String {
        format!("kudos:{kudos_id}")
    }

    /// A challenge pays each winner once, whoever ends it and however often.
    pub fn prize(challenge_id: i64, person_id: i64) -> String {
        format!("prize:{challenge_id}:{person_id}")
    }
}

/// One ledger row to write. The constructors build the key, so a source is
/// named the same way by every path that pays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub person_id: i64,
    pub reason: Reason,
    pub key: String,
    pub points: i64,
    /// The tracked link the points came through (shares, bonuses, clicks):
    /// the daily click cap and the per-channel figures read it.
    pub code: Option<String>,
    /// The item the points are for, when no link says it (an own post).
    pub item_id: Option<i64>,
    /// When it happened (UTC ms): the periods it counts in.
    pub at: i64,
}

impl Entry {
    fn new(person_id: i64, reason: Reason, key: String, points: i64, at: i64) -> Entry {
        Entry {
            person_id,
            reason,
            key,
            points,
            code: None,
            item_id: None,
            at,
        }
    }

    pub fn share(person_id: i64, code: &str, points: i64, at: i64) -> Entry {
        Entry {
            code: Some(code.into()),
            ..Entry::new(person_id, Reason::Share, key::share(code), points, at)
        }
    }

    pub fn bonus(person_id: i64, code: &str, points: i64, at: i64) -> Entry {
        Entry {
            code: Some(code.into()),
            ..Entry::new(person_id, Reason::Bonus, key::bonus(code), points, at)
        }
    }

    pub fn click(person_id: i64, click_id: i64, code: &str, points: i64, at: i64) -> Entry {
        Entry {
            code: Some(code.into()),
            ..Entry::new(person_id, Reason::Click, key::click(click_id), points, at)
        }
    }

    pub fn creator(person_id: i64, item_id: i64, points: i64, at: i64) -> Entry {
        Entry {
            item_id: Some(item_id),
            ..Entry::new(
                person_id,
                Reason::Creator,
                key::creator(item_id),
                points,
                at,
            )
        }
    }

    pub fn kudos(person_id: i64, kudos_id: i64, points: i64, at: i64) -> Entry {
        Entry::new(person_id, Reason::Kudos, key::kudos(kudos_id), points, at)
    }

    pub fn prize(person_id: i64, challenge_id: i64, points: i64, at: i64) -> Entry {
        let key = key::prize(challenge_id, person_id);
        Entry::new(person_id, Reason::Prize, key, points, at)
    }

    /// The source this entry pays for, as the facts name it.
    pub fn source(&self) -> &str {
        &self.key
    }
}

/// A person's points as the ledger defines them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balances {
    /// Earned minus reversed; never lowered by spending.
    pub lifetime: i64,
    /// Earned minus spent minus held: what a reward can cost.
    pub spendable: i64,
    /// On hold for rewards requested and not yet approved or declined.
    pub held: i64,
}

/// The leaderboards' periods. Their boundaries are defined here alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Week,
    Month,
    Quarter,
    AllTime,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Week,
        Period::Month,
        Period::Quarter,
        Period::AllTime,
    ];

    /// As stored in `points_totals.period`.
    pub fn code(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::AllTime => "all",
        }
    }

    pub fn parse(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Period::Week => T::PeriodWeek,
            Period::Month => T::PeriodMonth,
            Period::Quarter => T::PeriodQuarter,
            Period::AllTime => T::PeriodAll,
        }
    }

    /// When the period holding `ms` began (UTC ms; weeks start on Monday).
    pub fn start(self, ms: i64) -> i64 {
        let month_start = |quarter: bool| {
            let Some(d) = chrono::Utc.timestamp_millis_opt(ms).single() else {
                return 0;
            };
            let m0 = d.month0() - if quarter { d.month0() % 3 } else { 0 };
            chrono::Utc
                .with_ymd_and_hms(d.year(), m0 + 1, 1, 0, 0, 0)
                .single()
                .map_or(0, |s| s.timestamp_millis())
        };
        match self {
            Period::AllTime => 0,
            Period::Week => {
                let day = ms.div_euclid(DAY_MS);
                // Day 0 (1 January 1970) was a Thursday.
                (day - (day + 3).rem_euclid(7)) * DAY_MS
            }
            Period::Month => month_start(false),
            Period::Quarter => month_start(true),
        }
    }
}

/// What a (period, period start, person) total gains, summed over a batch
/// and kept in key order (so concurrent writers lock rows in one order).
pub type TotalsDelta = BTreeMap<(&'static str, i64, i64), i64>;

/// The totals that entries written add to: earnings count in every period
/// holding their time; holds, debits and releases count in none. (A
/// reversal counts in its earning's periods: see `ssr::reverse`.)
pub fn totals_delta<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> TotalsDelta {
    let mut out = TotalsDelta::new();
    for e in entries {
        if !e.reason.earns() || e.points == 0 {
            continue;
        }
        add_to_periods(&mut out, e.person_id, e.points, e.at);
    }
    out
}

fn add_to_periods(out: &mut TotalsDelta, person: i64, points: i64, at: i64) {
    for period in Period::ALL {
        *out.entry((period.code(), period.start(at), person))
            .or_insert(0) += points;
    }
}

/// What a person may still spend, from their entries (the same sum the
/// database makes in `ssr::balances`; kept here as the definition).
pub fn balances_of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Balances {
    let mut b = Balances::default();
    for e in entries {
        b.spendable += e.points;
        if e.reason.lifetime() {
            b.lifetime += e.points;
        }
        match e.reason {
            Reason::Hold => b.held -= e.points,
            Reason::Release => b.held -= e.points,
            _ => {}
        }
    }
    b
}

#[cfg(test)]
mod tests;
