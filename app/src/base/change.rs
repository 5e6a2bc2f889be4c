//! What happened, and what follows from it, in one place. A mutation
//! returns its result with the facts it made true (`PointsPaid`,
//! `PostMoved`, `PersonChanged`, …); `effects` is the one function that
//! turns facts into what follows: the notifications people get (written by
//! `commit`, inside the mutation's transaction) and the live events open
//! pages hear (sent by `publish`, after the commit). A new feature reacts
//! to a fact here instead of being called from every writer.
//!
//! `Changed` is `must_use` and its value is reached only through
//! `publish`, so dropping the facts fails the build (`clippy -D
//! warnings`); a test (`layers.rs`) checks that nothing outside `base`
//! sends live events itself, in the app and in the server.

use sqlx::{Any, Transaction};

use super::error::AppResult;
use super::ledger::{Entry, Reason};
use super::live::{Bus, LiveEvent};

/// Something that happened, as the mutation that made it happen saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// Points were written to the ledger (paid, or taken back when
    /// negative); `source` is the entry's idempotency key.
    PointsPaid {
        person: i64,
        points: i64,
        reason: Reason,
        source: String,
    },
    /// Someone shared an item (the TV's ticker shows it, paid or not).
    Shared { person: i64, item: i64 },
    /// Clicks were counted as people's (they move the figures on boards
    /// and screens even when the daily cap pays nothing for them).
    ClicksCounted { qualified: usize },
    /// An employee's post moved to the stage named `to` (a
    /// `content::Stage` code); its author hears of the stages that concern
    /// them.
    PostMoved {
        post: i64,
        author: i64,
        to: &'static str,
    },
    /// A reviewer approved a post (it may go live at once or later).
    PostApproved { post: i64, author: i64 },
    /// A post's text, links or schedule were edited.
    PostEdited { post: i64 },
    /// A reviewer commented on someone else's post.
    PostCommented { post: i64, author: i64 },
    /// An author commented on their own post (reviewers see it).
    AuthorCommented { post: i64 },
    /// A curated item was saved or changed status.
    ItemChanged { item: i64 },
    /// A person's name, team or activity changed: who is on the boards.
    PersonChanged { person: i64 },
    /// A group was renamed or removed.
    GroupsChanged,
    /// The company's own channels (the reach comparison) changed.
    CompanyChannelsChanged,
    /// The blocked-word list changed: the board's flags change.
    BlockedWordsChanged,
    /// A screen was revoked or changed.
    ScreenChanged { screen: i64 },
    /// Someone asked for a reward (its points are held): administrators hear.
    RewardRequested { request: i64, person: i64 },
    /// A reward request moved to the status named `to` (a
    /// `rewards::Status` code); its requester hears, unless they moved it.
    RewardMoved {
        request: i64,
        person: i64,
        to: &'static str,
    },
    /// The rewards catalogue changed.
    RewardsChanged,
    /// Someone thanked a colleague (`public`: on the wall and the TV for
    /// everyone); the recipient hears.
    KudosGiven {
        kudos: i64,
        recipient: i64,
        public: bool,
    },
    /// An administrator removed a thank-you, or changed the values.
    KudosChanged,
    /// A challenge was created, changed or ended (its winners paid).
    ChallengesChanged,
    /// Someone won a challenge (they hear).
    ChallengeWon { challenge: i64, person: i64 },
}

impl Fact {
    pub fn paid(entry: &Entry) -> Fact {
        Fact::PointsPaid {
            person: entry.person_id,
            points: entry.points,
            reason: entry.reason,
            source: entry.source().to_string(),
        }
    }
}

/// A notification to write: to whom, about what, of which kind (a
/// `notices::NoticeKind` code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub to: Recipient,
    pub about: About,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Person(i64),
    /// Every active administrator.
    Admins,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// A post (a content item).
    Item(i64),
    /// A reward request.
    Request(i64),
    /// A thank-you.
    Kudos(i64),
    /// A challenge.
    Challenge(i64),
}

/// What follows from facts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Effects {
    pub notices: Vec<Notice>,
    /// In order, each once.
    pub live: Vec<LiveEvent>,
}

/// The stages whose reaching the author is told of, by the stage's code
/// (which is the notice kind's code too). Approval has its own fact: an
/// approved post may be published in the same move.
const NOTIFIED_STAGES: [&str; 3] = ["changes_requested", "rejected", "published"];

/// The reward statuses whose reaching the requester is told of, with the
/// notice kind (a cancellation is their own doing).
const NOTIFIED_REWARDS: [(&str, &str); 4] = [
    ("approved", "reward_approved"),
    ("ordered", "reward_ordered"),
    ("delivered", "reward_delivered"),
    ("declined", "reward_declined"),
];

/// The one function from facts to what follows from them.
pub fn effects(facts: &[Fact]) -> Effects {
    let mut out = Effects::default();
    for fact in facts {
        for event in live_of(fact) {
            if !out.live.contains(event) {
                out.live.push(*event);
            }
        }
        out.notices.extend(notice_of(fact));
    }
    out
}

/// The live events a fact causes: which open pages must reload.
fn live_of(fact: &Fact) -> &'static [LiveEvent] {
    use LiveEvent::{Board, Challenges, Kudos, Links, People, Points, Rewards, Screens};
    match fact {
        Fact::PointsPaid { .. } | Fact::ClicksCounted { .. } | Fact::Shared { .. } => &[Points],
        // Out of or into the hub, the redirect's cached link may be out of
        // date; a move to Draft or Submitted never is one (only a reviewer
        // takes a live post out, to In review).
        Fact::PostMoved { to, .. } if matches!(*to, "draft" | "submitted") => &[Board],
        Fact::PostMoved { .. } | Fact::PostEdited { .. } | Fact::ItemChanged { .. } => {
            &[Board, Links]
        }
        Fact::PostApproved { .. }
        | Fact::PostCommented { .. }
        | Fact::AuthorCommented { .. }
        | Fact::BlockedWordsChanged => &[Board],
        Fact::PersonChanged { .. } | Fact::GroupsChanged | Fact::CompanyChannelsChanged => {
            &[People]
        }
        Fact::ScreenChanged { .. } => &[Screens],
        // Held, spent or given back: what there is to spend changed.
        Fact::RewardRequested { .. } | Fact::RewardMoved { .. } => &[Rewards, Points],
        Fact::RewardsChanged => &[Rewards],
        Fact::KudosGiven { .. } | Fact::KudosChanged => &[Kudos],
        Fact::ChallengesChanged | Fact::ChallengeWon { .. } => &[Challenges],
    }
}

/// The notification a fact leaves, if any.
fn notice_of(fact: &Fact) -> Option<Notice> {
    let post = |post: &i64, author: &i64, kind| Notice {
        to: Recipient::Person(*author),
        about: About::Item(*post),
        kind,
    };
    Some(match fact {
        Fact::PostMoved {
            post: p,
            author,
            to,
        } => post(p, author, NOTIFIED_STAGES.iter().find(|s| *s == to)?),
        Fact::PostApproved { post: p, author } => post(p, author, "approved"),
        Fact::PostCommented { post: p, author } => post(p, author, "commented"),
        Fact::RewardRequested { request, .. } => Notice {
            to: Recipient::Admins,
            about: About::Request(*request),
            kind: "reward_requested",
        },
        Fact::RewardMoved {
            request,
            person,
            to,
        } => Notice {
            to: Recipient::Person(*person),
            about: About::Request(*request),
            kind: NOTIFIED_REWARDS.iter().find(|(s, _)| s == to)?.1,
        },
        Fact::KudosGiven {
            kudos, recipient, ..
        } => Notice {
            to: Recipient::Person(*recipient),
            about: About::Kudos(*kudos),
            kind: "kudos",
        },
        Fact::ChallengeWon { challenge, person } => Notice {
            to: Recipient::Person(*person),
            about: About::Challenge(*challenge),
            kind: "challenge_won",
        },
        _ => return None,
    })
}

/// A mutation's result and the facts it made true.
#[must_use = "call publish(): it sends the live events of what happened"]
#[derive(Debug)]
pub struct Changed<T> {
    value: T,
    facts: Vec<Fact>,
    /// Whether the notifications of every fact here were written: true
    /// until a fact that has some is added, and again after `commit`
    /// (checked in `publish`).
    recorded: bool,
}

impl<T> Changed<T> {
    /// A result that changed nothing anyone else is looking at.
    pub fn quiet(value: T) -> Self {
        Changed {
            value,
            facts: Vec::new(),
            recorded: true,
        }
    }

    pub fn new(value: T, fact: Fact) -> Self {
        Changed::quiet(value).and(fact)
    }

    pub fn and(mut self, fact: Fact) -> Self {
        if notice_of(&fact).is_some() {
            self.recorded = false;
        }
        self.facts.push(fact);
        self
    }

    pub fn and_all(self, facts: impl IntoIterator<Item = Fact>) -> Self {
        facts.into_iter().fold(self, Changed::and)
    }

    /// Takes on the facts of another mutation (committed on its own).
    pub fn absorb<U>(mut self, other: Changed<U>) -> Self {
        self.recorded &= other.recorded;
        self.facts.extend(other.facts);
        self
    }

    /// The result, with something else for the caller to return.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Changed<U> {
        Changed {
            value: f(self.value),
            facts: self.facts,
            recorded: self.recorded,
        }
    }

    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// Writes what the facts leave behind (notifications) inside the
    /// mutation's transaction, and commits it: they stand or fall together.
    pub async fn commit(mut self, mut tx: Transaction<'_, Any>) -> AppResult<Self> {
        let at = super::db::now_ms();
        for n in effects(&self.facts).notices {
            let (mut item, mut request, mut kudos, mut challenge) = (None, None, None, None);
            match n.about {
                About::Item(id) => item = Some(id),
                About::Request(id) => request = Some(id),
                About::Kudos(id) => kudos = Some(id),
                About::Challenge(id) => challenge = Some(id),
            }
            let (person, sql) = match n.to {
                Recipient::Person(p) => (
                    p,
                    "INSERT INTO notifications (person_id, item_id, request_id, kudos_id, challenge_id, kind, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                ),
                // Bound as 0 and checked so both statements take the same
                // seven arguments in the same order.
                Recipient::Admins => (
                    0,
                    "INSERT INTO notifications (person_id, item_id, request_id, kudos_id, challenge_id, kind, at) \
                     SELECT r.person_id, $2, $3, $4, $5, $6, $7 FROM person_roles r \
                     JOIN people p ON p.id = r.person_id \
                     WHERE r.role = 'admin' AND p.active = 1 AND $1 = 0",
                ),
            };
            sqlx::query(sql)
                .bind(person)
                .bind(item)
                .bind(request)
                .bind(kudos)
                .bind(challenge)
                .bind(n.kind)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.recorded = true;
        Ok(self)
    }

    /// Sends the live events of what happened and hands over the result.
    pub fn publish(self, to: &impl AsRef<Bus>) -> T {
        let effects = effects(&self.facts);
        if !self.recorded {
            // A mutation with notifications must end with `commit`.
            debug_assert!(false, "facts with notifications were not committed");
            tracing::error!(facts = ?self.facts, "notifications of these facts were not written");
        }
        for event in effects.live {
            to.as_ref().send(event);
        }
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_become_live_events_once_each_and_notices_for_authors() {
        let facts = [
            Fact::PointsPaid {
                person: 1,
                points: 10,
                reason: Reason::Share,
                source: "share:a".into(),
            },
            Fact::PointsPaid {
                person: 2,
                points: 2,
                reason: Reason::Click,
                source: "click:1".into(),
            },
            Fact::PostApproved { post: 9, author: 3 },
            Fact::PostMoved {
                post: 9,
                author: 3,
                to: "published",
            },
            Fact::PostMoved {
                post: 8,
                author: 3,
                to: "in_review",
            },
            Fact::PostCommented { post: 9, author: 3 },
            Fact::PersonChanged { person: 4 },
        ];
        let e = effects(&facts);
        assert_eq!(
            e.live,
            [
                LiveEvent::Points,
                LiveEvent::Board,
                LiveEvent::Links,
                LiveEvent::People
            ]
        );
        assert_eq!(
            e.notices,
            [
                Notice {
                    to: Recipient::Person(3),
                    about: About::Item(9),
                    kind: "approved"
                },
                Notice {
                    to: Recipient::Person(3),
                    about: About::Item(9),
                    kind: "published"
                },
                Notice {
                    to: Recipient::Person(3),
                    about: About::Item(9),
                    kind: "commented"
                }
            ],
            "nothing for a move into review"
        );
        assert_eq!(effects(&[]), Effects::default());
        assert_eq!(
            effects(&[Fact::PersonChanged { person: 1 }]).live,
            [LiveEvent::People],
            "a renamed person is not points paid"
        );
        // Rewards: administrators hear of a request, the requester of each
        // step but their own cancellation.
        let asked = effects(&[Fact::RewardRequested {
            request: 5,
            person: 2,
        }]);
        assert_eq!(asked.notices[0].to, Recipient::Admins);
        assert_eq!(asked.live, [LiveEvent::Rewards, LiveEvent::Points]);
        let moved = |to| Fact::RewardMoved {
            request: 5,
            person: 2,
            to,
        };
        let told = effects(&[moved("approved"), moved("cancelled"), moved("declined")]).notices;
        assert_eq!(
            told.iter().map(|n| (n.to, n.kind)).collect::<Vec<_>>(),
            [
                (Recipient::Person(2), "reward_approved"),
                (Recipient::Person(2), "reward_declined")
            ]
        );
    }
}
