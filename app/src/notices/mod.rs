//! A person's notifications: what happened to their posts and their reward
//! requests, and, for administrators, new reward requests. They are written
//! by `base::change` from the facts a mutation returns; they are read here,
//! above every feature that leaves them, so each can be named and linked.

#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;

pub use ui::NotificationsPage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    Commented,
    ChangesRequested,
    Approved,
    Rejected,
    Published,
    /// To administrators: someone asked for a reward.
    RewardRequested,
    RewardApproved,
    RewardOrdered,
    RewardDelivered,
    RewardDeclined,
    /// A colleague thanked the person.
    Kudos,
    /// The person won a challenge.
    ChallengeWon,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 12] = [
        NoticeKind::Commented,
        NoticeKind::ChangesRequested,
        NoticeKind::Approved,
        NoticeKind::Rejected,
        NoticeKind::Published,
        NoticeKind::RewardRequested,
        NoticeKind::RewardApproved,
        NoticeKind::RewardOrdered,
        NoticeKind::RewardDelivered,
        NoticeKind::RewardDeclined,
        NoticeKind::Kudos,
        NoticeKind::ChallengeWon,
    ];

    /// The stored name, as `base::change` writes it.
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Commented => "commented",
            NoticeKind::ChangesRequested => "changes_requested",
            NoticeKind::Approved => "approved",
            NoticeKind::Rejected => "rejected",
            NoticeKind::Published => "published",
            NoticeKind::RewardRequested => "reward_requested",
            NoticeKind::RewardApproved => "reward_approved",
            NoticeKind::RewardOrdered => "reward_ordered",
            NoticeKind::RewardDelivered => "reward_delivered",
            NoticeKind::RewardDeclined => "reward_declined",
            NoticeKind::Kudos => "kudos",
            NoticeKind::ChallengeWon => "challenge_won",
        }
    }

    pub fn parse(code: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            NoticeKind::Commented => T::NoticeCommented,
            NoticeKind::ChangesRequested => T::NoticeChanges,
            NoticeKind::Approved => T::NoticeApproved,
            NoticeKind::Rejected => T::NoticeRejected,
            NoticeKind::Published => T::NoticePublished,
            NoticeKind::RewardRequested => T::NoticeRewardRequested,
            NoticeKind::RewardApproved => T::NoticeRewardApproved,
            NoticeKind::RewardOrdered => T::NoticeRewardOrdered,
            NoticeKind::RewardDelivered => T::NoticeRewardDelivered,
            NoticeKind::RewardDeclined => T::NoticeRewardDeclined,
            NoticeKind::Kudos => T::NoticeKudos,
            NoticeKind::ChallengeWon => T::NoticeChallengeWon,
        }
    }

    /// Where the notice leads: the post, the person's rewards, or the
    /// fulfilment board for an administrator.
    pub fn link(self, item: Option<i64>, other: Option<i64>) -> Option<String> {
        match self {
            NoticeKind::Kudos => other.map(|id| format!("/recognition#k{id}")),
            NoticeKind::ChallengeWon => other.map(|id| format!("/challenges#c{id}")),
            NoticeKind::RewardRequested => Some("/admin/fulfilment".into()),
            NoticeKind::RewardApproved
            | NoticeKind::RewardOrdered
            | NoticeKind::RewardDelivered
            | NoticeKind::RewardDeclined => Some("/rewards#my-requests".into()),
            _ => item.map(|id| format!("/posts/{id}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub kind: NoticeKind,
    /// The post's or the reward's name.
    pub title: String,
    /// Who asked (a reward request, for administrators).
    pub who: String,
    pub link: Option<String>,
    pub at: i64,
    pub seen: bool,
}

#[server(prefix = "/api", endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notice>, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    ssr::notifications(&crate::base::state::app_state()?.db, me.id).await
}

#[server(prefix = "/api", endpoint = "unseen_notifications")]
pub async fn unseen_notifications() -> Result<i64, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    ssr::unseen(&crate::base::state::app_state()?.db, me.id).await
}

#[server(prefix = "/api", endpoint = "mark_notifications_seen")]
pub async fn mark_notifications_seen() -> Result<(), AppError> {
    let me = crate::base::session::ssr::require_user()?;
    ssr::mark_seen(&crate::base::state::app_state()?.db, me.id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::stage::Stage;

    #[test]
    fn kinds_round_trip_and_lead_somewhere() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.code()), Some(k));
        }
        assert_eq!(
            NoticeKind::Commented.link(Some(3), None).as_deref(),
            Some("/posts/3")
        );
        assert_eq!(
            NoticeKind::RewardRequested.link(None, None).as_deref(),
            Some("/admin/fulfilment")
        );
    }

    /// The notices `base::change::effects` writes are ones this page can
    /// show: every kind it writes parses, for posts and for rewards.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_notice_written_can_be_shown() {
        use crate::base::change::{effects, Fact};
        let mut facts = vec![
            Fact::PostApproved { post: 1, author: 2 },
            Fact::PostCommented { post: 1, author: 2 },
            Fact::RewardRequested {
                request: 1,
                person: 2,
            },
        ];
        for stage in Stage::ALL {
            facts.push(Fact::PostMoved {
                post: 1,
                author: 2,
                to: stage.code(),
            });
        }
        facts.push(Fact::ChallengeWon {
            challenge: 1,
            person: 2,
        });
        facts.push(Fact::KudosGiven {
            kudos: 1,
            recipient: 2,
            public: true,
        });
        for status in crate::rewards::Status::ALL {
            facts.push(Fact::RewardMoved {
                request: 1,
                person: 2,
                to: status.code(),
            });
        }
        let notices = effects(&facts).notices;
        assert!(notices.len() >= 10);
        for n in notices {
            assert!(NoticeKind::parse(n.kind).is_some(), "{}", n.kind);
        }
    }
}
