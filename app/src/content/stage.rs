//! The lifecycle of an employee's post: where it is in review, and who may
//! move it where. The server checks every move with `may_move` (and
//! `ssr::set_stage` is the one writer of a post's stage); the board only
//! offers the moves it allows, and snaps an illegal drop back. A curated
//! item has the simpler lifecycle of `ContentStatus`; a post's status
//! follows from its stage (`Stage::status`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// The author is still writing; reviewers do not see it.
    Draft,
    Submitted,
    InReview,
    ChangesRequested,
    /// Approved with a publish time still ahead.
    Approved,
    Published,
    Rejected,
}

/// Who is moving the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Author,
    Reviewer,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Draft,
        Stage::Submitted,
        Stage::InReview,
        Stage::ChangesRequested,
        Stage::Approved,
        Stage::Published,
        Stage::Rejected,
    ];

    /// The review board's columns, left to right.
    pub const BOARD: [Stage; 6] = [
        Stage::Submitted,
        Stage::InReview,
        Stage::ChangesRequested,
        Stage::Approved,
        Stage::Published,
        Stage::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Submitted => "submitted",
            Stage::InReview => "in_review",
            Stage::ChangesRequested => "changes_requested",
            Stage::Approved => "approved",
            Stage::Published => "published",
            Stage::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status the hub and the content list go by: out once approved.
    pub fn status(self) -> super::ContentStatus {
        if matches!(self, Stage::Approved | Stage::Published) {
            super::ContentStatus::Published
        } else {
            super::ContentStatus::Draft
        }
    }

    /// Whether the author may still change the text.
    pub fn author_may_edit(self) -> bool {
        matches!(self, Stage::Draft | Stage::ChangesRequested)
    }
}

/// The moves the review process allows. Reviewers take a post through
/// review; only the author submits, resubmits or withdraws it. Approval needs
/// a reviewer to have taken the post into review first; a live post is taken
/// out of the hub by moving it back to In review.
pub fn may_move(from: Stage, to: Stage, by: Mover) -> bool {
    use Stage::*;
    match by {
        Mover::Author => matches!(
            (from, to),
            (Draft, Submitted) | (ChangesRequested, Submitted) | (Submitted, Draft)
        ),
        Mover::Reviewer => matches!(
            (from, to),
            (Submitted, InReview)
                | (Submitted, Rejected)
                | (InReview, Submitted)
                | (InReview, ChangesRequested)
                | (InReview, Approved)
                | (InReview, Published)
                | (InReview, Rejected)
                | (ChangesRequested, InReview)
                | (Approved, InReview)
                | (Approved, Published)
                | (Published, InReview)
                | (Rejected, InReview)
        ),
    }
}

/// The reviewer moves offered from a column (the keyboard alternative to
/// dragging), in board order.
pub fn reviewer_moves(from: Stage) -> Vec<Stage> {
    Stage::BOARD
        .into_iter()
        .filter(|to| may_move(from, *to, Mover::Reviewer))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage::*;

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.code()), Some(s));
        }
        assert_eq!(Stage::parse("approved "), None);
    }

    #[test]
    fn the_review_path_and_its_shortcuts() {
        let r = Mover::Reviewer;
        assert!(may_move(Submitted, InReview, r));
        assert!(may_move(InReview, ChangesRequested, r));
        assert!(may_move(InReview, Approved, r));
        assert!(may_move(Approved, Published, r));
        assert!(may_move(Rejected, InReview, r));
        // Taken out of the hub only back into review.
        assert!(may_move(Published, InReview, r));
        assert!(!may_move(Published, Rejected, r));
        // Not without a review, not for drafts.
        assert!(!may_move(Submitted, Approved, r));
        assert!(!may_move(Submitted, Published, r));
        assert!(!may_move(Draft, InReview, r));
        assert!(!may_move(ChangesRequested, Submitted, r));
        assert!(!may_move(InReview, InReview, r));
        assert_eq!(reviewer_moves(Submitted), [InReview, Rejected]);
        assert_eq!(reviewer_moves(Published), [InReview]);
    }

    #[test]
    fn authors_submit_resubmit_and_withdraw_only() {
        let a = Mover::Author;
        assert!(may_move(Draft, Submitted, a));
        assert!(may_move(ChangesRequested, Submitted, a));
        assert!(may_move(Submitted, Draft, a));
        assert!(!may_move(Submitted, InReview, a));
        assert!(!may_move(InReview, Approved, a));
        assert!(!may_move(Rejected, Submitted, a));
        assert!(Draft.author_may_edit() && ChangesRequested.author_may_edit());
        assert!(!Submitted.author_may_edit() && !Approved.author_may_edit());
    }

    #[test]
    fn a_post_is_out_once_approved() {
        assert_eq!(Published.status(), super::super::ContentStatus::Published);
        assert_eq!(Approved.status(), super::super::ContentStatus::Published);
        assert_eq!(InReview.status(), super::super::ContentStatus::Draft);
    }
}
