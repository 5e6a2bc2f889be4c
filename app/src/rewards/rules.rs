//! The rewards' rules, without I/O: what a request may move to and who may
//! move it, whether a person may redeem a reward now, and the order the
//! catalogue shows rewards in.

use serde::{Deserialize, Serialize};

use crate::base::i18n::T;
use crate::base::ledger::Period;
use crate::people::motivation::{rank, Motivation};

/// Where a reward request is. Requested holds the points; Approved spends
/// them (and hands out a voucher code); Declined and Cancelled give them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Requested,
    Approved,
    Ordered,
    Delivered,
    Declined,
    Cancelled,
}

impl Status {
    /// The fulfilment board's columns, in order (Cancelled is the person's
    /// own and shows only in their list).
    pub const BOARD: [Status; 5] = [
        Status::Requested,
        Status::Approved,
        Status::Ordered,
        Status::Delivered,
        Status::Declined,
    ];

    pub const ALL: [Status; 6] = [
        Status::Requested,
        Status::Approved,
        Status::Ordered,
        Status::Delivered,
        Status::Declined,
        Status::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Approved => "approved",
            Status::Ordered => "ordered",
            Status::Delivered => "delivered",
            Status::Declined => "declined",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Status::Requested => T::RewardStatusRequested,
            Status::Approved => T::RewardStatusApproved,
            Status::Ordered => T::RewardStatusOrdered,
            Status::Delivered => T::RewardStatusDelivered,
            Status::Declined => T::RewardStatusDeclined,
            Status::Cancelled => T::RewardStatusCancelled,
        }
    }

    /// The points are spent (a debit) in these; a decline then refunds them.
    pub fn spent(self) -> bool {
        matches!(self, Status::Approved | Status::Ordered | Status::Delivered)
    }

    /// Finished: nothing moves it any more.
    pub fn closed(self) -> bool {
        matches!(
            self,
            Status::Delivered | Status::Declined | Status::Cancelled
        )
    }
}

/// Who asks for a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// The person who made the request.
    Requester,
    /// An administrator, on the fulfilment board.
    Admin,
}

/// Whether `by` may move a request from `from` to `to`. Forward one step or
/// straight to Delivered, Declined until delivered; the person may only
/// cancel while it waits for approval.
pub fn may_move(from: Status, to: Status, by: Mover) -> bool {
    use Status::*;
    match by {
        Mover::Requester => from == Requested && to == Cancelled,
        Mover::Admin => matches!(
            (from, to),
            (Requested, Approved)
                | (Requested, Declined)
                | (Approved, Ordered)
                | (Approved, Delivered)
                | (Approved, Declined)
                | (Ordered, Delivered)
                | (Ordered, Declined)
        ),
    }
}

/// How often the per-person limit starts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimitPeriod {
    Month,
    Quarter,
    /// Once counted, never again (a certificate course, say).
    Ever,
}

impl LimitPeriod {
    pub const ALL: [LimitPeriod; 3] = [LimitPeriod::Month, LimitPeriod::Quarter, LimitPeriod::Ever];

    pub fn code(self) -> &'static str {
        match self {
            LimitPeriod::Month => "month",
            LimitPeriod::Quarter => "quarter",
            LimitPeriod::Ever => "ever",
        }
    }

    pub fn parse(code: &str) -> Option<LimitPeriod> {
        LimitPeriod::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            LimitPeriod::Month => T::RewardLimitMonth,
            LimitPeriod::Quarter => T::RewardLimitQuarter,
            LimitPeriod::Ever => T::RewardLimitEver,
        }
    }

    /// When the period holding `now` began (Stockholm time, as the boards).
    pub fn start(self, now: i64) -> i64 {
        match self {
            LimitPeriod::Month => Period::Month.start(now),
            LimitPeriod::Quarter => Period::Quarter.start(now),
            LimitPeriod::Ever => i64::MIN,
        }
    }
}

/// What the catalogue knows about one reward for one person, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub active: bool,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// Whether the person is in the reward's audience (no groups: everyone).
    pub in_audience: bool,
    /// What is left: None for no limit.
    pub left: Option<i64>,
    /// The per-person limit and how many the person has in its period
    /// (requests not declined or cancelled).
    pub per_person: Option<i64>,
    pub taken_in_period: i64,
}

/// Why a person cannot redeem a reward now; None when they can (points
/// aside: those are the ledger's to check, under the person's lock).
pub fn refusal(offer: &Offer, now: i64) -> Option<T> {
    if !offer.active || !offer.in_audience {
        Some(T::ErrRewardUnavailable)
    } else if offer.from.is_some_and(|f| now < f) {
        Some(T::ErrRewardNotYet)
    } else if offer.until.is_some_and(|u| now >= u) {
        Some(T::ErrRewardEnded)
    } else if offer.left.is_some_and(|l| l <= 0) {
        Some(T::ErrRewardSoldOut)
    } else if offer
        .per_person
        .is_some_and(|limit| offer.taken_in_period >= limit)
    {
        Some(T::ErrRewardLimit)
    } else {
        None
    }
}

/// Points still to earn before `price` can be spent (0 when it can be).
pub fn points_to_go(spendable: i64, price: i64) -> i64 {
    (price - spendable).max(0)
}

/// The catalogue's order for a person: rewards in what motivates them most
/// first, then the cheaper first, then by id (stable).
pub fn sort_for(motivations: &[Motivation], rewards: &mut [(Motivation, i64, i64)]) {
    rewards.sort_by_key(|(category, price, id)| (rank(motivations, *category), *price, *id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn only_an_admin_moves_forward_and_the_person_only_cancels_a_waiting_request() {
        assert!(may_move(Requested, Approved, Mover::Admin));
        assert!(may_move(Approved, Ordered, Mover::Admin));
        assert!(may_move(Ordered, Delivered, Mover::Admin));
        assert!(may_move(Ordered, Declined, Mover::Admin));
        assert!(!may_move(Delivered, Declined, Mover::Admin));
        assert!(!may_move(Declined, Approved, Mover::Admin));
        assert!(!may_move(Requested, Delivered, Mover::Admin));
        assert!(!may_move(Requested, Approved, Mover::Requester));
        assert!(may_move(Requested, Cancelled, Mover::Requester));
        assert!(!may_move(Approved, Cancelled, Mover::Requester));
        assert!(!may_move(Requested, Cancelled, Mover::Admin));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            if s.closed() {
                for to in Status::ALL {
                    assert!(!may_move(s, to, Mover::Admin) && !may_move(s, to, Mover::Requester));
                }
            }
        }
    }

    fn offer() -> Offer {
        Offer {
            active: true,
            from: None,
            until: None,
            in_audience: true,
            left: None,
            per_person: None,
            taken_in_period: 0,
        }
    }

    #[test]
    fn a_reward_is_refused_with_the_first_reason_that_applies() {
        let now = 1_000;
        assert_eq!(refusal(&offer(), now), None);
        assert_eq!(
            refusal(
                &Offer {
                    active: false,
                    ..offer()
                },
                now
            ),
            Some(T::ErrRewardUnavailable)
        );
        assert_eq!(
            refusal(
                &Offer {
                    in_audience: false,
                    ..offer()
                },
                now
            ),
            Some(T::ErrRewardUnavailable)
        );
        assert_eq!(
            refusal(
                &Offer {
                    from: Some(1_001),
                    ..offer()
                },
                now
            ),
            Some(T::ErrRewardNotYet)
        );
        assert_eq!(
            refusal(
                &Offer {
                    until: Some(1_000),
                    ..offer()
                },
                now
            ),
            Some(T::ErrRewardEnded)
        );
        assert_eq!(
            refusal(
                &Offer {
                    until: Some(1_001),
                    ..offer()
                },
                now
            ),
            None
        );
        assert_eq!(
            refusal(
                &Offer {
                    left: Some(0),
                    ..offer()
                },
                now
            ),
            Some(T::ErrRewardSoldOut)
        );
        assert_eq!(
            refusal(
                &Offer {
                    left: Some(1),
                    ..offer()
                },
                now
            ),
            None
        );
        let limited = Offer {
            per_person: Some(2),
            taken_in_period: 2,
            ..offer()
        };
        assert_eq!(refusal(&limited, now), Some(T::ErrRewardLimit));
        assert_eq!(
            refusal(
                &Offer {
                    taken_in_period: 1,
                    ..limited
                },
                now
            ),
            None
        );
    }

    #[test]
    fn what_moves_the_person_comes_first_then_the_cheaper() {
        use Motivation::*;
        let mut list = vec![
            (Things, 100, 1),
            (TimeOff, 500, 2),
            (Training, 300, 3),
            (TimeOff, 200, 4),
        ];
        sort_for(&[TimeOff, Training], &mut list);
        let ids: Vec<i64> = list.iter().map(|r| r.2).collect();
        assert_eq!(ids, [4, 2, 3, 1]);
        assert_eq!(points_to_go(60, 100), 40);
        assert_eq!(points_to_go(160, 100), 0);
        assert_eq!(LimitPeriod::Ever.start(5), i64::MIN);
    }
}
