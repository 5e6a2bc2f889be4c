//! The rules of thanking, without I/O: who may give what, how much of the
//! month's allowance is left, the cap per recipient, and which pairs keep
//! thanking each other (flagged for an administrator, never blocked).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::base::i18n::T;

pub const MAX_MESSAGE: usize = 500;
pub const MAX_AWARD: usize = 80;
pub const MAX_VALUE_NAME: usize = 60;
pub const MAX_VALUE_ABOUT: usize = 300;
/// Largest allowance or cap an administrator may set.
pub const MAX_POINTS: i64 = 100_000;
/// A pair is flagged when each has thanked the other at least this often
/// within `FLAG_WINDOW_MS`.
pub const FLAG_MIN: i64 = 3;
pub const FLAG_WINDOW_MS: i64 = 90 * 86_400_000;

/// What administrators set (kept in `settings` as JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KudosRules {
    /// Points everyone may give each calendar month (no rollover).
    pub allowance: i64,
    /// Points a manager may give each month.
    pub manager_allowance: i64,
    /// The most points one person may receive through thanks in a month.
    pub cap: i64,
}

impl Default for KudosRules {
    fn default() -> Self {
        KudosRules {
            allowance: 50,
            manager_allowance: 200,
            cap: 150,
        }
    }
}

impl KudosRules {
    pub fn allowance_for(&self, manager: bool) -> i64 {
        if manager {
            self.manager_allowance
        } else {
            self.allowance
        }
    }

    pub fn validate(&self) -> Result<KudosRules, T> {
        let ok = |n: i64| (0..=MAX_POINTS).contains(&n);
        if !ok(self.allowance) || !ok(self.manager_allowance) || !ok(self.cap) {
            return Err(T::ErrKudosRules);
        }
        Ok(*self)
    }
}

/// A thank-you as asked for, before the database is asked anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiveInput {
    pub to: i64,
    pub message: String,
    pub values: Vec<i64>,
    pub points: i64,
    pub private: bool,
    /// An award's title (managers only); empty for a thank-you.
    pub award: String,
}

/// Checks what can be checked without the database; returns the input
/// trimmed, values each once.
pub fn validate_give(me: i64, may_award: bool, input: &GiveInput) -> Result<GiveInput, T> {
    if input.to == me {
        return Err(T::ErrKudosSelf);
    }
    let message = input.message.trim().to_string();
    if message.is_empty() {
        return Err(T::ErrKudosMessage);
    }
    if message.chars().count() > MAX_MESSAGE {
        return Err(T::ErrTooLong);
    }
    let mut values = input.values.clone();
    values.sort_unstable();
    values.dedup();
    if values.is_empty() {
        return Err(T::ErrKudosValue);
    }
    if !(0..=MAX_POINTS).contains(&input.points) {
        return Err(T::ErrKudosPoints);
    }
    let award = input.award.trim().to_string();
    if !award.is_empty() && !may_award {
        return Err(T::ErrKudosAward);
    }
    if award.chars().count() > MAX_AWARD {
        return Err(T::ErrTooLong);
    }
    Ok(GiveInput {
        message,
        values,
        award,
        ..input.clone()
    })
}

/// Whether `points` can be given now: from what is left of the giver's
/// month, and within what the recipient may still receive this month.
pub fn check_points(points: i64, left_to_give: i64, received: i64, cap: i64) -> Result<(), T> {
    if points > left_to_give {
        return Err(T::ErrKudosAllowance);
    }
    if points > 0 && received + points > cap {
        return Err(T::ErrKudosCap);
    }
    Ok(())
}

/// Pairs (lower id first) where each thanked the other at least `min`
/// times, from (giver, recipient, count) rows; with both counts.
pub fn flagged_pairs(counts: &[(i64, i64, i64)], min: i64) -> Vec<(i64, i64, i64, i64)> {
    let by: HashMap<(i64, i64), i64> = counts.iter().map(|(g, r, n)| ((*g, *r), *n)).collect();
    let mut out: Vec<(i64, i64, i64, i64)> = by
        .iter()
        .filter(|((g, r), _)| g < r)
        .filter_map(|((g, r), n)| {
            let back = *by.get(&(*r, *g))?;
            (*n >= min && back >= min).then_some((*g, *r, *n, back))
        })
        .collect();
    // The busiest pairs first.
    out.sort_by_key(|(a, b, n, back)| (-(n + back), *a, *b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> GiveInput {
        GiveInput {
            to: 2,
            message: "  Thanks for the demo! ".into(),
            values: vec![3, 1, 3],
            points: 10,
            private: false,
            award: String::new(),
        }
    }

    #[test]
    fn a_thank_you_names_someone_else_a_message_and_a_value() {
        let ok = validate_give(1, false, &input()).unwrap();
        assert_eq!(ok.message, "Thanks for the demo!");
        assert_eq!(ok.values, [1, 3]);
        assert_eq!(validate_give(2, false, &input()), Err(T::ErrKudosSelf));
        let blank = GiveInput {
            message: "   ".into(),
            ..input()
        };
        assert_eq!(validate_give(1, false, &blank), Err(T::ErrKudosMessage));
        let long = GiveInput {
            message: "x".repeat(MAX_MESSAGE + 1),
            ..input()
        };
        assert_eq!(validate_give(1, false, &long), Err(T::ErrTooLong));
        let valueless = GiveInput {
            values: vec![],
            ..input()
        };
        assert_eq!(validate_give(1, false, &valueless), Err(T::ErrKudosValue));
        let negative = GiveInput {
            points: -5,
            ..input()
        };
        assert_eq!(validate_give(1, false, &negative), Err(T::ErrKudosPoints));
    }

    #[test]
    fn only_managers_make_awards() {
        let award = GiveInput {
            award: " Ambassador of the month ".into(),
            ..input()
        };
        assert_eq!(validate_give(1, false, &award), Err(T::ErrKudosAward));
        assert_eq!(
            validate_give(1, true, &award).unwrap().award,
            "Ambassador of the month"
        );
    }

    #[test]
    fn points_come_from_what_is_left_and_stop_at_the_cap() {
        assert_eq!(check_points(10, 10, 0, 100), Ok(()));
        assert_eq!(check_points(11, 10, 0, 100), Err(T::ErrKudosAllowance));
        assert_eq!(check_points(10, 50, 95, 100), Err(T::ErrKudosCap));
        assert_eq!(check_points(5, 50, 95, 100), Ok(()));
        // Thanks without points are never capped.
        assert_eq!(check_points(0, 0, 500, 100), Ok(()));
    }

    #[test]
    fn managers_have_their_own_allowance_and_rules_stay_in_bounds() {
        let rules = KudosRules::default();
        assert!(rules.allowance_for(true) > rules.allowance_for(false));
        let bad = KudosRules { cap: -1, ..rules };
        assert_eq!(bad.validate(), Err(T::ErrKudosRules));
        assert_eq!(rules.validate(), Ok(rules));
    }

    #[test]
    fn pairs_that_keep_thanking_each_other_are_flagged() {
        let counts = [
            (1, 2, 3),
            (2, 1, 4),
            (3, 4, 9),
            (4, 3, 1),
            (5, 6, 5),
            (6, 5, 5),
        ];
        assert_eq!(
            flagged_pairs(&counts, 3),
            [(5, 6, 5, 5), (1, 2, 3, 4)],
            "one-way thanks are not a pair"
        );
        assert!(flagged_pairs(&counts, 6).is_empty());
    }
}
