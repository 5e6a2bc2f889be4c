//! Where an employee's post is in review, and who may move it where. The
//! server checks every move with `may_move`; the board only offers the moves
//! it allows, and snaps an illegal drop back.

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

/// Blocked words found in a post, each once, in the list's order. Matching
/// is by whole word (or phrase), ignoring case, so "ass" does not flag
/// "class".
pub fn blocked_words_in(text: &str, blocked: &[String]) -> Vec<String> {
    let words = crate::points::words(text);
    blocked
        .iter()
        .filter(|entry| {
            let phrase = crate::points::words(entry);
            !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
        })
        .cloned()
        .collect()
}

/// Cleans an admin's blocked-word list: one entry per line, trimmed, no
/// blanks or duplicates (ignoring case), at most `MAX_BLOCKED`.
pub fn parse_blocked(list: &str) -> Result<Vec<String>, crate::base::error::AppError> {
    let mut out: Vec<String> = Vec::new();
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > MAX_BLOCKED_LEN {
            return Err(crate::base::error::AppError::Invalid(
                crate::base::i18n::T::ErrBlockedWord,
            ));
        }
        if !out.iter().any(|w| w.eq_ignore_ascii_case(line)) {
            out.push(line.to_string());
        }
    }
    if out.len() > MAX_BLOCKED {
        return Err(crate::base::error::AppError::Invalid(
            crate::base::i18n::T::ErrBlockedWord,
        ));
    }
    Ok(out)
}

pub const MAX_BLOCKED: usize = 500;
pub const MAX_BLOCKED_LEN: usize = 60;

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
    fn blocked_words_match_whole_words_and_phrases() {
        let list = vec![
            "guaranteed".to_string(),
            "ass".to_string(),
            "insider tip".to_string(),
        ];
        assert_eq!(
            blocked_words_in("A GUARANTEED return, our class act.", &list),
            ["guaranteed"]
        );
        assert_eq!(
            blocked_words_in("Here is an Insider  tip: buy.", &list),
            ["insider tip"]
        );
        assert!(blocked_words_in("insider; no tip", &list).is_empty());
        assert!(blocked_words_in("nothing here", &list).is_empty());
    }

    #[test]
    fn blocked_list_is_cleaned() {
        assert_eq!(
            parse_blocked("  spam \n\nSpam\nfree money\n").unwrap(),
            ["spam", "free money"]
        );
        assert!(parse_blocked(&"x".repeat(61)).is_err());
    }
}
