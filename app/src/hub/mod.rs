//! The employees' hub: live content targeted at them, and sharing it with a
//! tracked link of their own.

#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::content::SuggestedText;
use crate::points::PointRules;
use crate::share::intent::Channel;

pub use ui::{colleagues_did, HubPage, ShareDialog};

/// Longest share text the server accepts (it keeps only whether it was
/// personalised, but must read it to know).
pub const MAX_SHARE_TEXT: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubCard {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// An employee-written post's text, as safe HTML (empty for curated items).
    pub body_html: String,
    /// Who wrote it, for employee-written posts.
    pub author: Option<String>,
    pub destination_url: String,
    pub image_id: Option<i64>,
    pub tags: Vec<String>,
    pub texts: Vec<SuggestedText>,
    /// When it went live (its publish time, else when it was created).
    pub live_since: i64,
    pub is_new: bool,
    /// How colleagues have done with it.
    pub shares: i64,
    pub sharers: i64,
    pub clicks: i64,
    /// The channels this person has already shared it to.
    pub my_channels: Vec<Channel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hub {
    pub cards: Vec<HubCard>,
    /// Every tag of the live items, for the filter.
    pub tags: Vec<String>,
    pub new_count: usize,
    pub rules: PointRules,
}

/// The hub's filter: a tag (exact) and words that must all appear in the
/// title, summary or tags, ignoring case.
pub fn matches(card: &HubCard, tag: &str, query: &str) -> bool {
    if !tag.is_empty() && !card.tags.iter().any(|t| t == tag) {
        return false;
    }
    let haystack =
        format!("{} {} {}", card.title, card.summary, card.tags.join(" ")).to_lowercase();
    query
        .split_whitespace()
        .all(|word| haystack.contains(&word.to_lowercase()))
}

/// Newest first; among items that went live together, the latest made first.
pub fn order_cards(cards: &mut [HubCard]) {
    cards.sort_by(|a, b| b.live_since.cmp(&a.live_since).then(b.id.cmp(&a.id)));
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedUrl {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareOutcome {
    /// Points this share earned (0 when this link was shared before).
    pub points: i64,
    pub personalised: bool,
    pub spendable: i64,
}

#[server(prefix = "/api", endpoint = "load_hub")]
pub async fn load_hub() -> Result<Hub, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::hub(&state.db, me.id).await
}

/// The person's tracked link for the item on a channel, made on first use.
#[server(prefix = "/api", endpoint = "share_link")]
pub async fn share_link(item_id: i64, channel: Channel) -> Result<TrackedUrl, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    let code = ssr::tracked_link(&state.db, me.id, item_id, channel).await?;
    Ok(TrackedUrl {
        url: format!("{}/s/{code}", state.config.base_url.trim_end_matches('/')),
    })
}

#[server(prefix = "/api", endpoint = "record_share")]
pub async fn record_share(
    item_id: i64,
    channel: Channel,
    text: String,
) -> Result<ShareOutcome, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    if text.chars().count() > MAX_SHARE_TEXT {
        return Err(AppError::Invalid(crate::base::i18n::T::ErrTooLong));
    }
    let state = crate::base::state::app_state()?;
    Ok(ssr::record_share(&state.db, me.id, item_id, channel, &text)
        .await?
        .publish(&state))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: i64, live_since: i64, title: &str, tags: &[&str]) -> HubCard {
        HubCard {
            id,
            title: title.into(),
            summary: "A summary about Göteborg".into(),
            body_html: String::new(),
            author: None,
            destination_url: "https://example.com".into(),
            image_id: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            texts: vec![],
            live_since,
            is_new: false,
            shares: 0,
            sharers: 0,
            clicks: 0,
            my_channels: vec![],
        }
    }

    #[test]
    fn filter_by_tag_and_words() {
        let c = card(1, 0, "We are hiring engineers", &["hiring", "tech"]);
        assert!(matches(&c, "", ""));
        assert!(matches(&c, "tech", ""));
        assert!(!matches(&c, "tec", ""));
        assert!(matches(&c, "", "HIRING göteborg"));
        assert!(matches(&c, "hiring", "engineer"));
        assert!(!matches(&c, "", "hiring designers"));
    }

    #[test]
    fn newest_first() {
        let mut cards = vec![
            card(1, 10, "a", &[]),
            card(2, 30, "b", &[]),
            card(3, 10, "c", &[]),
        ];
        order_cards(&mut cards);
        let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![2, 3, 1]);
    }
}
