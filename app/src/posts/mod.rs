//! Employee-written posts (issue #4): the editor with autosave, the author's
//! list, the reviewers' kanban board and its comments, notifications to the
//! author, and the admins' blocked-word list. A post is a content item with
//! a review stage; approval publishes it to the hub on its schedule.

mod board;
mod editor;
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;
pub mod words;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
pub use crate::content::stage::{self, Stage};
#[cfg(feature = "ssr")]
use crate::content::CURATORS;
use crate::content::{validate_content, ContentInput, SuggestedText, ValidContent};
use crate::share::intent::Channel;

pub use board::{BoardPage, ReviewPage};
pub use editor::PostEditorPage;
pub use ui::{BlockedWordsPage, MyPostsPage};

pub const MAX_BODY: usize = 20_000;
pub const MAX_COMMENT: usize = 2_000;
/// The hub's summary (and search text) of a post: the start of its body.
pub const SUMMARY_CHARS: usize = 280;

/// What the author (or a reviewer) typed. Drafts may be incomplete; a post
/// must be complete (title, link, texts within limits) to be submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PostInput {
    pub title: String,
    pub body: String,
    pub destination_url: String,
    pub image_id: Option<i64>,
    pub texts: Vec<SuggestedText>,
    pub tags: String,
}

/// Who sees the post and when: set by the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Schedule {
    pub target_groups: Vec<i64>,
    pub publish_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// The checks a draft must pass to be stored: only limits, so that half a
/// post can be kept. Returns the trimmed input.
pub fn check_draft(input: &PostInput) -> Result<PostInput, AppError> {
    use crate::content::{MAX_TEXT, MAX_TITLE, MAX_URL};
    let title = input.title.trim().to_string();
    let url = input.destination_url.trim().to_string();
    if title.chars().count() > MAX_TITLE
        || input.body.chars().count() > MAX_BODY
        || url.chars().count() > MAX_URL
        || input
            .texts
            .iter()
            .any(|t| t.text.chars().count() > MAX_TEXT)
    {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    // Half a post may be kept, but never a link that is not a web page:
    // whatever is stored may reach the hub later.
    if !url.is_empty() && !crate::content::is_web_url(&url) {
        return Err(AppError::Invalid(T::ErrDestination));
    }
    crate::content::parse_tags(&input.tags)?;
    Ok(PostInput {
        title,
        destination_url: url,
        ..input.clone()
    })
}

/// The checks a post must pass to go to review or to the hub: those of any
/// content item, with the summary taken from the body.
pub fn check_complete(input: &PostInput, schedule: &Schedule) -> Result<ValidContent, AppError> {
    check_draft(input)?;
    validate_content(&ContentInput {
        title: input.title.clone(),
        summary: markdown::plain_text(&input.body, SUMMARY_CHARS),
        destination_url: input.destination_url.clone(),
        image_id: input.image_id,
        texts: input.texts.clone(),
        tags: input.tags.clone(),
        target_groups: schedule.target_groups.clone(),
        publish_at: schedule.publish_at,
        expires_at: schedule.expires_at,
    })
}

/// Blocked words anywhere a reader would see them.
pub fn flags_of(input: &PostInput, blocked: &[String]) -> Vec<String> {
    let mut all = format!("{}\n{}", input.title, input.body);
    for t in &input.texts {
        all.push('\n');
        all.push_str(&t.text);
    }
    words::blocked_words_in(&all, blocked)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    pub by_author: bool,
    pub body: String,
    pub at: i64,
}

/// A post with everything its author or a reviewer sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub id: i64,
    pub version: i64,
    pub stage: Stage,
    pub input: PostInput,
    pub schedule: Schedule,
    pub author_id: i64,
    pub author: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub stage_at: i64,
    pub comments: Vec<Comment>,
    pub flags: Vec<String>,
}

/// What an autosave or a save returns: the version to send next time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub id: i64,
    pub version: i64,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPost {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub stage: Stage,
    pub updated_at: i64,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub author: String,
    pub stage: Stage,
    /// When it was first submitted (its age on the board).
    pub created_at: i64,
    pub stage_at: i64,
    pub publish_at: Option<i64>,
    pub channels: Vec<Channel>,
    pub flags: Vec<String>,
    pub comments: i64,
}

pub fn stage_label(stage: Stage) -> T {
    match stage {
        Stage::Draft => T::StageDraft,
        Stage::Submitted => T::StageSubmitted,
        Stage::InReview => T::StageInReview,
        Stage::ChangesRequested => T::StageChanges,
        Stage::Approved => T::StageApproved,
        Stage::Published => T::StagePublished,
        Stage::Rejected => T::StageRejected,
    }
}

#[cfg(feature = "ssr")]
fn state() -> Result<crate::base::state::AppState, AppError> {
    crate::base::state::app_state()
}

/// Creates (no `id`) or updates the caller's own draft. `version` is the one
/// the editor last saw; an edit from another tab in between is refused.
#[server(prefix = "/api", endpoint = "save_post", input = server_fn::codec::Json)]
pub async fn save_post(
    id: Option<i64>,
    version: Option<i64>,
    input: PostInput,
) -> Result<Saved, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let input = check_draft(&input)?;
    let state = state()?;
    ssr::save_draft(&state.db, me.id, id, version, &input).await
}

#[server(prefix = "/api", endpoint = "submit_post")]
pub async fn submit_post(id: i64, version: i64) -> Result<Saved, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = state()?;
    Ok(
        ssr::author_move(&state.db, me.id, id, version, Stage::Submitted)
            .await?
            .publish(&state),
    )
}

/// Takes a submitted post back to draft before anyone has picked it up.
#[server(prefix = "/api", endpoint = "withdraw_post")]
pub async fn withdraw_post(id: i64, version: i64) -> Result<Saved, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = state()?;
    Ok(
        ssr::author_move(&state.db, me.id, id, version, Stage::Draft)
            .await?
            .publish(&state),
    )
}

#[server(prefix = "/api", endpoint = "my_posts")]
pub async fn my_posts() -> Result<Vec<MyPost>, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    ssr::my_posts(&state()?.db, me.id).await
}

/// A post, for its author or a reviewer.
#[server(prefix = "/api", endpoint = "get_post")]
pub async fn get_post(id: i64) -> Result<Post, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = state()?;
    let post = ssr::load(&state.db, id).await?;
    let curator = CURATORS.iter().any(|r| me.roles.contains(r));
    if post.author_id != me.id && !(curator && post.stage != Stage::Draft) {
        // Someone else's draft, or an employee guessing ids.
        return Err(AppError::NotFound);
    }
    Ok(post)
}

#[server(prefix = "/api", endpoint = "review_board")]
pub async fn review_board() -> Result<Vec<BoardCard>, AppError> {
    crate::base::session::ssr::require_any(CURATORS)?;
    ssr::board(&state()?.db).await
}

/// A reviewer's move on the board. `comment` goes to the author with it
/// (required when asking for changes).
#[server(prefix = "/api", endpoint = "move_post")]
pub async fn move_post(
    id: i64,
    to: Stage,
    version: i64,
    comment: Option<String>,
) -> Result<Saved, AppError> {
    let me = crate::base::session::ssr::require_any(CURATORS)?;
    let comment = comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT)
    {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    let state = state()?;
    Ok(
        ssr::review_move(&state.db, me.id, id, to, version, comment.as_deref())
            .await?
            .publish(&state),
    )
}

/// A reviewer's edit: the text as the author wrote it, plus targeting and
/// schedule.
#[server(prefix = "/api", endpoint = "review_save", input = server_fn::codec::Json)]
pub async fn review_save(
    id: i64,
    version: i64,
    input: PostInput,
    schedule: Schedule,
) -> Result<Saved, AppError> {
    crate::base::session::ssr::require_any(CURATORS)?;
    let valid = check_complete(&input, &schedule)?;
    let state = state()?;
    Ok(ssr::review_save(&state.db, id, version, &input, &valid)
        .await?
        .publish(&state))
}

#[server(prefix = "/api", endpoint = "comment_post")]
pub async fn comment_post(id: i64, body: String) -> Result<(), AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let body = body.trim().to_string();
    if body.is_empty() {
        return Err(AppError::Invalid(T::ErrCommentRequired));
    }
    if body.chars().count() > MAX_COMMENT {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    let state = state()?;
    let curator = CURATORS.iter().any(|r| me.roles.contains(r));
    ssr::comment(&state.db, me.id, curator, id, &body)
        .await?
        .publish(&state);
    Ok(())
}

#[server(prefix = "/api", endpoint = "get_blocked_words")]
pub async fn get_blocked_words() -> Result<Vec<String>, AppError> {
    crate::base::session::ssr::require_any(&[crate::base::session::Role::Admin])?;
    ssr::blocked_words(&state()?.db).await
}

/// One word or phrase per line (or separated by commas).
#[server(prefix = "/api", endpoint = "save_blocked_words")]
pub async fn save_blocked_words(list: String) -> Result<Vec<String>, AppError> {
    crate::base::session::ssr::require_any(&[crate::base::session::Role::Admin])?;
    let words = words::parse_blocked(&list)?;
    let state = state()?;
    ssr::save_blocked_words(&state.db, &words)
        .await?
        .publish(&state);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post() -> PostInput {
        PostInput {
            title: " Our new lab ".into(),
            body: "We **opened** a lab.".into(),
            destination_url: "https://example.com/lab".into(),
            ..Default::default()
        }
    }

    #[test]
    fn drafts_may_be_incomplete_but_not_too_long() {
        let empty = PostInput::default();
        assert!(check_draft(&empty).is_ok());
        assert_eq!(check_draft(&post()).unwrap().title, "Our new lab");
        let long = PostInput {
            body: "a".repeat(MAX_BODY + 1),
            ..post()
        };
        assert_eq!(check_draft(&long), Err(AppError::Invalid(T::ErrTooLong)));
    }

    #[test]
    fn complete_posts_need_a_title_and_a_web_link() {
        let s = Schedule::default();
        let v = check_complete(&post(), &s).unwrap();
        assert_eq!(v.summary, "We opened a lab.");
        let no_link = PostInput {
            destination_url: "javascript:alert(1)".into(),
            ..post()
        };
        assert_eq!(
            check_complete(&no_link, &s).unwrap_err(),
            AppError::Invalid(T::ErrDestination)
        );
        let untitled = PostInput {
            title: " ".into(),
            ..post()
        };
        assert_eq!(
            check_complete(&untitled, &s).unwrap_err(),
            AppError::Invalid(T::ErrTitleRequired)
        );
    }

    #[test]
    fn flags_look_at_title_body_and_texts() {
        let blocked = vec!["guaranteed returns".to_string(), "secret".to_string()];
        let mut p = post();
        assert!(flags_of(&p, &blocked).is_empty());
        p.texts.push(SuggestedText {
            channel: Channel::X,
            text: "Guaranteed   returns!".into(),
        });
        p.title = "Top secret lab".into();
        assert_eq!(flags_of(&p, &blocked), blocked);
    }
}
