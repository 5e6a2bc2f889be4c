//! Sharing to social networks with tracked links: share-intent URLs and X's
//! character count, link codes and UTM tagging, the rules that decide whether
//! a click counts, and the channels' names. The click pipeline that stores
//! clicks is the server's (`server/src/clicks`).

pub mod intent;
pub mod link;

use crate::base::i18n::{Lang, T};
use intent::Channel;

pub fn channel_name(channel: Channel, lang: Lang) -> &'static str {
    match channel {
        Channel::Email => T::ChannelEmail.in_lang(lang),
        Channel::Copy => T::ChannelCopy.in_lang(lang),
        other => other.network().map(|n| n.name()).unwrap_or(""),
    }
}
