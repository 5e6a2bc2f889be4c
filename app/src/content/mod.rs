//! Curated content: what reviewers and admins publish to the hub, with a
//! suggested share text per network, tags, target groups and a schedule.

pub mod image;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod stage;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
use crate::base::session::Role;
use crate::people::GroupRef;
use crate::share::intent::{x_length, Channel, X_LIMIT};

pub(crate) use ui::{local_to_ms, ms_to_local, ImageField, TargetFields, TextFields};
pub use ui::{ContentEditPage, ContentListPage};

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 1_000;
pub const MAX_TEXT: usize = 3_000;
pub const MAX_URL: usize = 2_000;
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG: usize = 32;
/// More groups than any organisation targets at once; bounds the checks.
pub const MAX_TARGETS: usize = 200;

/// Who curates content.
pub const CURATORS: &[Role] = &[Role::Reviewer, Role::Admin];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContentStatus {
    Draft,
    Published,
    Unpublished,
    Archived,
}

impl ContentStatus {
    pub const ALL: [ContentStatus; 4] = [
        ContentStatus::Draft,
        ContentStatus::Published,
        ContentStatus::Unpublished,
        ContentStatus::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContentStatus::Draft => "draft",
            ContentStatus::Published => "published",
            ContentStatus::Unpublished => "unpublished",
            ContentStatus::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<ContentStatus> {
        ContentStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            ContentStatus::Draft => T::StatusDraft,
            ContentStatus::Published => T::StatusPublished,
            ContentStatus::Unpublished => T::StatusUnpublished,
            ContentStatus::Archived => T::StatusArchived,
        }
    }
}

/// The channels an item has its own suggested text for (the clipboard uses
/// the LinkedIn text).
pub const TEXT_CHANNELS: [Channel; 5] = [
    Channel::LinkedIn,
    Channel::X,
    Channel::Facebook,
    Channel::WhatsApp,
    Channel::Email,
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedText {
    pub channel: Channel,
    pub text: String,
}

/// The suggested text for `channel`: its own, else the LinkedIn text, else
/// the summary.
pub fn suggested_text(texts: &[SuggestedText], channel: Channel, summary: &str) -> String {
    let find = |c: Channel| {
        texts
            .iter()
            .find(|t| t.channel == c && !t.text.trim().is_empty())
    };
    find(channel)
        .or_else(|| find(Channel::LinkedIn))
        .map(|t| t.text.clone())
        .unwrap_or_else(|| summary.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContentInput {
    pub title: String,
    pub summary: String,
    pub destination_url: String,
    pub image_id: Option<i64>,
    pub texts: Vec<SuggestedText>,
    /// As typed: separated by commas or spaces, `#` optional.
    pub tags: String,
    pub target_groups: Vec<i64>,
    pub publish_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// A checked input: trimmed, tags parsed, empty texts dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContent {
    pub title: String,
    pub summary: String,
    pub destination_url: String,
    pub image_id: Option<i64>,
    pub texts: Vec<SuggestedText>,
    pub tags: Vec<String>,
    pub target_groups: Vec<i64>,
    pub publish_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// Tags as people type them: "#Hiring, göteborg events" → hiring, göteborg,
/// events. Letters, digits, `-` and `_` only.
pub fn parse_tags(input: &str) -> Result<Vec<String>, AppError> {
    let mut tags: Vec<String> = Vec::new();
    for raw in input.split(|c: char| c == ',' || c.is_whitespace()) {
        let tag = raw.trim().trim_start_matches('#').to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG
            || !tag
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(AppError::Invalid(T::ErrTag));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(AppError::Invalid(T::ErrTooManyTags));
    }
    Ok(tags)
}

/// Only web pages may be shared: the redirect sends visitors there.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && !host.contains('@')
                && url.len() <= MAX_URL
                && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

pub fn validate_content(input: &ContentInput) -> Result<ValidContent, AppError> {
    let title = input.title.trim().to_string();
    let summary = input.summary.trim().to_string();
    let destination_url = input.destination_url.trim().to_string();
    if title.is_empty() {
        return Err(AppError::Invalid(T::ErrTitleRequired));
    }
    if title.chars().count() > MAX_TITLE || summary.chars().count() > MAX_SUMMARY {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    if !is_web_url(&destination_url) {
        return Err(AppError::Invalid(T::ErrDestination));
    }
    let mut texts: Vec<SuggestedText> = Vec::new();
    for t in &input.texts {
        let text = t.text.trim().to_string();
        if text.is_empty() || !TEXT_CHANNELS.contains(&t.channel) {
            continue;
        }
        if text.chars().count() > MAX_TEXT {
            return Err(AppError::Invalid(T::ErrTooLong));
        }
        if t.channel == Channel::X && x_length(&text) > X_LIMIT {
            return Err(AppError::Invalid(T::ErrXTooLong));
        }
        texts.retain(|s| s.channel != t.channel);
        texts.push(SuggestedText {
            channel: t.channel,
            text,
        });
    }
    texts.sort_by_key(|t| t.channel);
    if let (Some(publish), Some(expires)) = (input.publish_at, input.expires_at) {
        if expires <= publish {
            return Err(AppError::Invalid(T::ErrExpiryBeforePublish));
        }
    }
    let mut target_groups = input.target_groups.clone();
    target_groups.sort_unstable();
    target_groups.dedup();
    if target_groups.len() > MAX_TARGETS {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    Ok(ValidContent {
        title,
        summary,
        destination_url,
        image_id: input.image_id,
        texts,
        tags: parse_tags(&input.tags)?,
        target_groups,
        publish_at: input.publish_at,
        expires_at: input.expires_at,
    })
}

/// Whether an item is in the hub at `now`.
pub fn is_live(
    status: ContentStatus,
    publish_at: Option<i64>,
    expires_at: Option<i64>,
    now: i64,
) -> bool {
    status == ContentStatus::Published
        && publish_at.is_none_or(|p| p <= now)
        && expires_at.is_none_or(|e| e > now)
}

/// A row of the curators' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentRow {
    pub id: i64,
    pub title: String,
    pub status: ContentStatus,
    pub live: bool,
    pub publish_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub updated_at: i64,
    pub shares: i64,
    pub clicks: i64,
    /// An employee's post: it changes only on the review board.
    pub post: bool,
}

/// An item as its editor sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentItem {
    pub id: i64,
    pub slug: String,
    pub status: ContentStatus,
    pub live: bool,
    pub title: String,
    pub summary: String,
    pub destination_url: String,
    pub image_id: Option<i64>,
    pub texts: Vec<SuggestedText>,
    pub tags: Vec<String>,
    pub target_groups: Vec<GroupRef>,
    pub publish_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub shares: i64,
}

#[server(prefix = "/api", endpoint = "list_content")]
pub async fn list_content() -> Result<Vec<ContentRow>, AppError> {
    crate::base::session::ssr::require_any(CURATORS)?;
    let state = crate::base::state::app_state()?;
    ssr::list(&state.db).await
}

#[server(prefix = "/api", endpoint = "get_content")]
pub async fn get_content(id: i64) -> Result<ContentItem, AppError> {
    crate::base::session::ssr::require_any(CURATORS)?;
    let state = crate::base::state::app_state()?;
    ssr::load(&state.db, id).await
}

/// Creates (no `id`) or updates an item; returns its id.
#[server(prefix = "/api", endpoint = "save_content", input = server_fn::codec::Json)]
pub async fn save_content(id: Option<i64>, input: ContentInput) -> Result<i64, AppError> {
    let me = crate::base::session::ssr::require_any(CURATORS)?;
    let valid = validate_content(&input)?;
    let state = crate::base::state::app_state()?;
    // The redirect caches links with their destination; a post may be on the board.
    Ok(ssr::save(&state.db, me.id, id, &valid)
        .await?
        .publish(&state))
}

#[server(prefix = "/api", endpoint = "set_content_status")]
pub async fn set_content_status(id: i64, status: ContentStatus) -> Result<(), AppError> {
    crate::base::session::ssr::require_any(CURATORS)?;
    let state = crate::base::state::app_state()?;
    // An employee's post may have left the board's Published column.
    ssr::set_status(&state.db, id, status)
        .await?
        .publish(&state);
    Ok(())
}

/// Only an item nobody has shared can be deleted; others are archived.
#[server(prefix = "/api", endpoint = "delete_content")]
pub async fn delete_content(id: i64) -> Result<(), AppError> {
    crate::base::session::ssr::require_any(CURATORS)?;
    let state = crate::base::state::app_state()?;
    ssr::delete(&state.db, id).await
}

/// Stores an uploaded image (base64 of the file) after checking what it is
/// by its bytes; returns its id (served at `/media/{id}`). Anyone signed in
/// may upload: employees illustrate their own posts.
#[server(prefix = "/api", endpoint = "upload_image", input = server_fn::codec::Json)]
pub async fn upload_image(data: String) -> Result<i64, AppError> {
    use base64::Engine;
    let me = crate::base::session::ssr::require_user()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| AppError::Invalid(T::ErrImageType))?;
    let info = image::check(&bytes)?;
    let state = crate::base::state::app_state()?;
    let now = crate::base::db::now_ms();
    ssr::store_image(&state.db, me.id, info, bytes, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContentInput {
        ContentInput {
            title: "  New office in Göteborg ".into(),
            summary: "We are moving.".into(),
            destination_url: "https://example.com/news/goteborg".into(),
            texts: vec![
                SuggestedText {
                    channel: Channel::X,
                    text: " Big news ".into(),
                },
                SuggestedText {
                    channel: Channel::Facebook,
                    text: "   ".into(),
                },
            ],
            tags: "#Office, göteborg news,office".into(),
            target_groups: vec![3, 1, 3],
            ..Default::default()
        }
    }

    #[test]
    fn valid_input_is_trimmed_and_normalised() {
        let v = validate_content(&input()).unwrap();
        assert_eq!(v.title, "New office in Göteborg");
        assert_eq!(v.tags, vec!["office", "göteborg", "news"]);
        assert_eq!(v.target_groups, vec![1, 3]);
        assert_eq!(
            v.texts,
            vec![SuggestedText {
                channel: Channel::X,
                text: "Big news".into()
            }]
        );
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let err = |f: &dyn Fn(&mut ContentInput)| {
            let mut i = input();
            f(&mut i);
            validate_content(&i).unwrap_err()
        };
        assert_eq!(
            err(&|i| i.title = "  ".into()),
            AppError::Invalid(T::ErrTitleRequired)
        );
        for url in [
            "javascript:alert(1)",
            "ftp://example.com",
            "https://",
            "https://user@evil.example",
            "example.com",
            "https://exa mple.com",
        ] {
            assert_eq!(
                err(&|i| i.destination_url = url.into()),
                AppError::Invalid(T::ErrDestination),
                "{url}"
            );
        }
        assert_eq!(
            err(&|i| i.texts = vec![SuggestedText {
                channel: Channel::X,
                text: "a".repeat(257)
            }]),
            AppError::Invalid(T::ErrXTooLong)
        );
        assert_eq!(
            err(&|i| i.tags = "ok, <script>".into()),
            AppError::Invalid(T::ErrTag)
        );
        assert_eq!(
            err(&|i| i.tags = "a b c d e f g h i j k".into()),
            AppError::Invalid(T::ErrTooManyTags)
        );
        assert_eq!(
            err(&|i| i.target_groups = (0..=MAX_TARGETS as i64).collect()),
            AppError::Invalid(T::ErrTooLong)
        );
        assert_eq!(
            err(&|i| {
                i.publish_at = Some(2_000);
                i.expires_at = Some(1_000);
            }),
            AppError::Invalid(T::ErrExpiryBeforePublish)
        );
    }

    #[test]
    fn x_text_fits_with_its_link() {
        let mut i = input();
        // 256 characters + a space + the 23 of the link = 280.
        i.texts = vec![SuggestedText {
            channel: Channel::X,
            text: "a".repeat(256),
        }];
        assert!(validate_content(&i).is_ok());
    }

    #[test]
    fn live_means_published_and_within_the_schedule() {
        use ContentStatus::*;
        assert!(is_live(Published, None, None, 100));
        assert!(is_live(Published, Some(100), Some(101), 100));
        assert!(!is_live(Published, Some(101), None, 100));
        assert!(!is_live(Published, None, Some(100), 100));
        for s in [Draft, Unpublished, Archived] {
            assert!(!is_live(s, None, None, 100));
        }
    }

    #[test]
    fn suggested_text_falls_back_to_linkedin_then_summary() {
        let texts = vec![
            SuggestedText {
                channel: Channel::LinkedIn,
                text: "In".into(),
            },
            SuggestedText {
                channel: Channel::X,
                text: "Ex".into(),
            },
        ];
        assert_eq!(suggested_text(&texts, Channel::X, "sum"), "Ex");
        assert_eq!(suggested_text(&texts, Channel::Facebook, "sum"), "In");
        assert_eq!(suggested_text(&texts, Channel::Copy, "sum"), "In");
        assert_eq!(suggested_text(&[], Channel::X, "sum"), "sum");
    }
}
