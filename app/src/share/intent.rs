//! Where a share goes: the networks' public share intents (no API keys), and
//! the character count X applies to a post.

use serde::{Deserialize, Serialize};

use crate::networks::Network;

/// A way to share: a network's share intent, e-mail, or the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    LinkedIn,
    X,
    Facebook,
    WhatsApp,
    Email,
    Copy,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::LinkedIn,
        Channel::X,
        Channel::Facebook,
        Channel::WhatsApp,
        Channel::Email,
        Channel::Copy,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::LinkedIn => "linkedin",
            Channel::X => "x",
            Channel::Facebook => "facebook",
            Channel::WhatsApp => "whatsapp",
            Channel::Email => "email",
            Channel::Copy => "copy",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The network whose declared audience a share here reaches, if any.
    pub fn network(self) -> Option<Network> {
        match self {
            Channel::LinkedIn => Some(Network::LinkedIn),
            Channel::X => Some(Network::X),
            Channel::Facebook => Some(Network::Facebook),
            Channel::WhatsApp => Some(Network::WhatsApp),
            Channel::Email | Channel::Copy => None,
        }
    }

    /// The most characters a post may have here, if the network has a limit.
    pub fn limit(self) -> Option<usize> {
        match self {
            Channel::X => Some(X_LIMIT),
            _ => None,
        }
    }
}

pub const X_LIMIT: usize = 280;
/// X shortens every link to t.co and counts it as this many characters.
pub const X_LINK_WEIGHT: usize = 23;

/// Percent-encodes for a query value or a `mailto:` field (spaces as `%20`,
/// which both accept, unlike `+`).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// What a share opens: a URL for a new window, or the text for the clipboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Open(String),
    Clipboard(String),
}

/// The share intent for `channel` with the person's text and tracked link.
/// LinkedIn and Facebook take only the link (their dialogs let the person
/// write the text there), so the text goes to the clipboard alongside.
pub fn intent(channel: Channel, title: &str, text: &str, link: &str) -> Intent {
    let text = text.trim();
    match channel {
        Channel::LinkedIn => Intent::Open(format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encode(link)
        )),
        Channel::X => Intent::Open(format!(
            "https://x.com/intent/tweet?text={}&url={}",
            encode(text),
            encode(link)
        )),
        Channel::Facebook => Intent::Open(format!(
            "https://www.facebook.com/sharer/sharer.php?u={}",
            encode(link)
        )),
        Channel::WhatsApp => {
            Intent::Open(format!("https://wa.me/?text={}", encode(&join(text, link))))
        }
        Channel::Email => Intent::Open(format!(
            "mailto:?subject={}&body={}",
            encode(title.trim()),
            encode(format!("{text}\n\n{link}").trim_start())
        )),
        Channel::Copy => Intent::Clipboard(join(text, link)),
    }
}

fn join(text: &str, link: &str) -> String {
    if text.is_empty() {
        link.to_string()
    } else {
        format!("{text} {link}")
    }
}

/// X's weight of one character: most Latin, Greek, Cyrillic and common
/// punctuation count once, everything else (CJK, emoji, …) twice. This is
/// the published twitter-text v3 table; emoji sequences joined with ZWJ are
/// counted per code point, so the count errs towards too long, never too short.
fn x_weight(c: char) -> usize {
    match c as u32 {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
        0xFE00..=0xFE0F => 0,
        _ => 2,
    }
}

/// The length X counts for `text` followed by the tracked link: words that
/// are links count as 23 each, like the link appended at the end.
pub fn x_length(text: &str) -> usize {
    let text = text.trim();
    let mut count = 0;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            count += 1;
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            count += X_LINK_WEIGHT;
        } else {
            count += word.chars().map(x_weight).sum::<usize>();
        }
    }
    let separator = usize::from(!text.is_empty());
    count + separator + X_LINK_WEIGHT
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://sprida.example/s/Ab3dE6gH9jKm";

    #[test]
    fn intents_carry_the_tracked_link_and_text() {
        assert_eq!(
            intent(Channel::LinkedIn, "T", "Hi", LINK),
            Intent::Open("https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fsprida.example%2Fs%2FAb3dE6gH9jKm".into())
        );
        let Intent::Open(x) = intent(Channel::X, "T", "Proud of this & more #team", LINK) else {
            panic!("X opens a window")
        };
        assert_eq!(
            x,
            "https://x.com/intent/tweet?text=Proud%20of%20this%20%26%20more%20%23team&url=https%3A%2F%2Fsprida.example%2Fs%2FAb3dE6gH9jKm"
        );
        let Intent::Open(wa) = intent(Channel::WhatsApp, "T", "Läs!", LINK) else {
            panic!()
        };
        assert!(wa.starts_with("https://wa.me/?text=L%C3%A4s%21%20https%3A%2F%2F"));
        let Intent::Open(mail) = intent(Channel::Email, "New office", "Look", LINK) else {
            panic!()
        };
        assert!(mail.starts_with("mailto:?subject=New%20office&body=Look%0A%0Ahttps%3A"));
        assert_eq!(
            intent(Channel::Copy, "T", "  ", LINK),
            Intent::Clipboard(LINK.into())
        );
        assert_eq!(
            intent(Channel::Copy, "T", "Look", LINK),
            Intent::Clipboard(format!("Look {LINK}"))
        );
    }

    #[test]
    fn hostile_text_cannot_break_out_of_the_intent_url() {
        let Intent::Open(x) = intent(Channel::X, "T", "a&url=https://evil.example#x\"'<>", LINK)
        else {
            panic!()
        };
        assert_eq!(x.matches("&url=").count(), 1);
        assert!(!x.contains('<') && !x.contains('"') && !x.contains('#'));
    }

    #[test]
    fn x_counts_links_as_23_and_wide_characters_twice() {
        assert_eq!(x_length(""), 23);
        assert_eq!(x_length("Hello"), 5 + 1 + 23);
        assert_eq!(
            x_length("See https://example.com/a/very/long/path/that/is/long"),
            4 + 23 + 1 + 23
        );
        assert_eq!(x_length("日本"), 4 + 1 + 23);
        assert_eq!(x_length("åäö"), 3 + 1 + 23);
        assert_eq!(x_length(&"a".repeat(256)), 280);
        assert!(x_length(&"a".repeat(257)) > X_LIMIT);
    }

    #[test]
    fn channels_round_trip_and_map_to_audiences() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Channel::X.network(), Some(Network::X));
        assert_eq!(Channel::Email.network(), None);
        assert_eq!(Channel::X.limit(), Some(280));
        assert_eq!(Channel::LinkedIn.limit(), None);
    }
}
