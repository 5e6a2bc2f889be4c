//! The rules of a challenge, without I/O: what it counts, when it runs,
//! what a valid one is, how entrants are ranked (ties share a place) and
//! who wins.

use serde::{Deserialize, Serialize};

use crate::base::i18n::T;

pub const MAX_TITLE: usize = 120;
pub const MAX_DESCRIPTION: usize = 1_000;
pub const MAX_TAG: usize = 40;
pub const MAX_MINIMUM: i64 = 1_000_000;
pub const MAX_WINNERS: i64 = 10;
pub const MAX_PRIZE: i64 = 100_000;

/// What a challenge counts, in its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Metric {
    /// Qualified clicks on the entrant's tracked links.
    Clicks,
    Shares,
    /// The entrant's own posts approved and published.
    Posts,
    /// Thanks received (not removed).
    Kudos,
}

impl Metric {
    pub const ALL: [Metric; 4] = [Metric::Clicks, Metric::Shares, Metric::Posts, Metric::Kudos];

    pub fn code(self) -> &'static str {
        match self {
            Metric::Clicks => "clicks",
            Metric::Shares => "shares",
            Metric::Posts => "posts",
            Metric::Kudos => "kudos",
        }
    }

    pub fn parse(code: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Metric::Clicks => T::MetricClicks,
            Metric::Shares => T::MetricShares,
            Metric::Posts => T::MetricPosts,
            Metric::Kudos => T::MetricKudos,
        }
    }

    /// Thanks are not about content: a tag cannot narrow them.
    pub fn takes_tag(self) -> bool {
        self != Metric::Kudos
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Upcoming,
    Running,
    Ended,
}

impl Phase {
    pub fn of(starts_at: i64, ends_at: i64, now: i64) -> Phase {
        if now < starts_at {
            Phase::Upcoming
        } else if now < ends_at {
            Phase::Running
        } else {
            Phase::Ended
        }
    }

    pub fn label(self) -> T {
        match self {
            Phase::Upcoming => T::ChallengeUpcoming,
            Phase::Running => T::ChallengeRunning,
            Phase::Ended => T::ChallengeEnded,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeInput {
    pub title: String,
    pub description: String,
    /// Teams compete (each team's members' sum); otherwise people.
    pub team: bool,
    pub metric: Metric,
    /// Only content with this tag counts (empty: all).
    pub tag: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// The least score that can win.
    pub minimum: i64,
    /// How many places win (ties at the last place all win).
    pub winners: i64,
    pub prize_points: i64,
    pub prize_reward: Option<i64>,
}

/// Checks and trims. `now` refuses a challenge that has already ended.
pub fn validate(input: &ChallengeInput, now: i64) -> Result<ChallengeInput, T> {
    let title = input.title.trim().to_string();
    let description = input.description.trim().to_string();
    let tag = input.tag.trim().trim_start_matches('#').to_lowercase();
    if title.is_empty() {
        return Err(T::ErrNameRequired);
    }
    if title.chars().count() > MAX_TITLE
        || description.chars().count() > MAX_DESCRIPTION
        || tag.chars().count() > MAX_TAG
    {
        return Err(T::ErrTooLong);
    }
    if !tag.is_empty() && !input.metric.takes_tag() {
        return Err(T::ErrChallengeTag);
    }
    if input.ends_at <= input.starts_at {
        return Err(T::ErrRewardDates);
    }
    if input.ends_at <= now {
        return Err(T::ErrChallengeOver);
    }
    if !(1..=MAX_MINIMUM).contains(&input.minimum) {
        return Err(T::ErrChallengeMinimum);
    }
    if !(1..=MAX_WINNERS).contains(&input.winners) {
        return Err(T::ErrChallengeWinners);
    }
    if !(0..=MAX_PRIZE).contains(&input.prize_points) {
        return Err(T::ErrChallengePrize);
    }
    Ok(ChallengeInput {
        title,
        description,
        tag,
        ..input.clone()
    })
}

/// One entrant's place: competition ranking ("1, 2, 2, 4") by score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placing {
    pub id: i64,
    pub name: String,
    pub score: i64,
    pub rank: u32,
    pub tied: bool,
    /// At least the minimum.
    pub qualified: bool,
    pub mine: bool,
}

/// Ranks entrants by score, highest first (names break the order, not the
/// rank). Entrants with nothing are left out.
pub fn rank(mut scores: Vec<(i64, String, i64)>, minimum: i64, me: Option<i64>) -> Vec<Placing> {
    scores.retain(|(_, _, s)| *s > 0);
    scores.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.0.cmp(&b.0))
    });
    let points: Vec<i64> = scores.iter().map(|s| s.2).collect();
    let ranks = crate::leaderboard::ranks(&points);
    scores
        .into_iter()
        .zip(ranks)
        .map(|((id, name, score), (rank, tied))| Placing {
            mine: me == Some(id),
            qualified: score >= minimum,
            id,
            name,
            score,
            rank,
            tied,
        })
        .collect()
}

/// The winners: qualified entrants placed within the paid places; a tie
/// at the last paid place wins together.
pub fn winners(placings: &[Placing], places: i64) -> Vec<&Placing> {
    placings
        .iter()
        .filter(|p| p.qualified && i64::from(p.rank) <= places)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ChallengeInput {
        ChallengeInput {
            title: " Spring clicks ".into(),
            description: String::new(),
            team: false,
            metric: Metric::Clicks,
            tag: " #Recruiting ".into(),
            starts_at: 1_000,
            ends_at: 2_000,
            minimum: 3,
            winners: 1,
            prize_points: 100,
            prize_reward: None,
        }
    }

    #[test]
    fn a_challenge_is_checked_and_trimmed() {
        let ok = validate(&input(), 500).unwrap();
        assert_eq!(
            (ok.title.as_str(), ok.tag.as_str()),
            ("Spring clicks", "recruiting")
        );
        let bad = |f: fn(&mut ChallengeInput), err| {
            let mut i = input();
            f(&mut i);
            assert_eq!(validate(&i, 500), Err(err));
        };
        bad(|i| i.title = " ".into(), T::ErrNameRequired);
        bad(|i| i.ends_at = 1_000, T::ErrRewardDates);
        bad(|i| i.minimum = 0, T::ErrChallengeMinimum);
        bad(|i| i.winners = 11, T::ErrChallengeWinners);
        bad(|i| i.prize_points = -1, T::ErrChallengePrize);
        bad(|i| i.metric = Metric::Kudos, T::ErrChallengeTag);
        assert_eq!(validate(&input(), 2_000), Err(T::ErrChallengeOver));
    }

    #[test]
    fn ties_share_a_place_and_win_together() {
        let scores = vec![
            (1, "Ann".into(), 9),
            (2, "Bo".into(), 12),
            (3, "Cy".into(), 12),
            (4, "Di".into(), 2),
            (5, "Ed".into(), 0),
        ];
        let placed = rank(scores, 3, Some(4));
        let view: Vec<(i64, u32, bool, bool)> = placed
            .iter()
            .map(|p| (p.id, p.rank, p.tied, p.qualified))
            .collect();
        assert_eq!(
            view,
            [
                (2, 1, true, true),
                (3, 1, true, true),
                (1, 3, false, true),
                (4, 4, false, false)
            ],
            "nothing scored is no entry"
        );
        assert!(placed[3].mine);
        let ids = |w: Vec<&Placing>| w.into_iter().map(|p| p.id).collect::<Vec<_>>();
        assert_eq!(ids(winners(&placed, 1)), [2, 3]);
        assert_eq!(
            ids(winners(&placed, 2)),
            [2, 3],
            "place 2 is taken by the tie"
        );
        assert_eq!(ids(winners(&placed, 3)), [2, 3, 1]);
        // Below the minimum nobody wins, whatever the place.
        assert_eq!(ids(winners(&placed, 4)), [2, 3, 1]);
    }

    #[test]
    fn phases_follow_the_clock() {
        assert_eq!(Phase::of(10, 20, 9), Phase::Upcoming);
        assert_eq!(Phase::of(10, 20, 10), Phase::Running);
        assert_eq!(Phase::of(10, 20, 20), Phase::Ended);
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.code()), Some(m));
        }
    }
}
