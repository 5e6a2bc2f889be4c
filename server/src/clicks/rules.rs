//! Which clicks on a tracked link count. Every visitor is redirected; only a
//! human's first click in 24 hours, not the sharer's own, is "qualified".

/// Substrings (lower case) of the user agents of crawlers, link unfurlers and
/// scripts. A missing user agent counts as a bot too.
const BOT_MARKERS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "linkedinbot",
    "twitterbot",
    "slackbot",
    "slack-imgproxy",
    "whatsapp",
    "discordbot",
    "telegrambot",
    "skypeuripreview",
    "embedly",
    "quora link preview",
    "pinterest",
    "redditbot",
    "vkshare",
    "bitlybot",
    "outbrain",
    "preview",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "httpclient",
    "headless",
    "lighthouse",
];

pub fn is_bot(user_agent: Option<&str>) -> bool {
    let Some(ua) = user_agent.map(str::trim).filter(|ua| !ua.is_empty()) else {
        return true;
    };
    // One pass over the user agent for all markers, with no lower-cased
    // copy: this runs on every click.
    static MARKERS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(BOT_MARKERS)
                .expect("the markers are plain strings")
        });
    MARKERS.is_match(ua)
}

/// Browsers announce speculative loads (`Sec-Purpose: prefetch`, older
/// `Purpose: prefetch`, Firefox's `X-Moz: prefetch`, Safari's
/// `X-Purpose: preview`); those are nobody's click.
pub fn is_prefetch(header: impl Fn(&str) -> Option<String>) -> bool {
    ["sec-purpose", "purpose", "x-purpose", "x-moz"]
        .iter()
        .any(|name| {
            header(name).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("prefetch") || v.contains("preview") || v.contains("prerender")
            })
        })
}

/// A person navigating to a link loads it as the page itself: a browser
/// that says what it loads (`Sec-Fetch-Dest`, `Sec-Fetch-Mode`; all current
/// ones do) and says anything else (an `<img src>`, a script's fetch, a
/// frame) is no click. Without the headers (older browsers) nothing is
/// assumed.
pub fn is_embedded(header: impl Fn(&str) -> Option<String>) -> bool {
    let not =
        |name: &str, wanted: &str| header(name).is_some_and(|v| !v.eq_ignore_ascii_case(wanted));
    not("sec-fetch-dest", "document") || not("sec-fetch-mode", "navigate")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Qualified,
    Head,
    Prefetch,
    /// Not a top-level navigation (an image, a fetch, a frame).
    Embedded,
    Bot,
    Sharer,
    Repeat,
    /// One address already gave the link its few visitors today.
    Crowd,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Qualified => "qualified",
            Verdict::Head => "head",
            Verdict::Prefetch => "prefetch",
            Verdict::Bot => "bot",
            Verdict::Embedded => "embedded",
            Verdict::Sharer => "sharer",
            Verdict::Repeat => "repeat",
            Verdict::Crowd => "crowd",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Verdict::Qualified,
            Verdict::Head,
            Verdict::Prefetch,
            Verdict::Embedded,
            Verdict::Bot,
            Verdict::Sharer,
            Verdict::Repeat,
            Verdict::Crowd,
        ]
        .into_iter()
        .find(|v| v.code() == code)
    }
}

/// What the redirect knows about one request.
#[derive(Debug, Clone, Copy)]
pub struct Click<'a> {
    pub is_head: bool,
    pub is_prefetch: bool,
    pub is_embedded: bool,
    pub user_agent: Option<&'a str>,
    /// The signed-in person opening the link is the one who shared it.
    pub by_sharer: bool,
    /// The same visitor already has a qualified click on this link within 24 h.
    pub seen_within_window: bool,
}

/// The first reason a click does not count, in the order that is cheapest to
/// establish; `Qualified` when there is none.
pub fn qualify(click: &Click) -> Verdict {
    if click.is_head {
        Verdict::Head
    } else if click.is_prefetch {
        Verdict::Prefetch
    } else if click.is_embedded {
        Verdict::Embedded
    } else if is_bot(click.user_agent) {
        Verdict::Bot
    } else if click.by_sharer {
        Verdict::Sharer
    } else if click.seen_within_window {
        Verdict::Repeat
    } else {
        Verdict::Qualified
    }
}

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// The visitor fingerprint: a keyed hash of address and user agent, with a key
/// that changes every UTC day, so stored values cannot be linked across days
/// or reversed to an address.
///
/// The daily keys are derived from the secret once per day and kept, ready to
/// hash with: deriving them for every click doubled the hashing on the
/// redirect's hot path.
pub struct VisitorKeys {
    secret: Vec<u8>,
    /// (day number, that day's keyed hasher, the day before's).
    days: std::sync::Mutex<Option<(i64, [DailyMac; 2])>>,
}

type DailyMac = hmac::Hmac<sha2::Sha256>;

impl VisitorKeys {
    pub fn new(secret: Vec<u8>) -> Self {
        Self {
            secret,
            days: std::sync::Mutex::new(None),
        }
    }

    fn daily(&self, day: i64) -> DailyMac {
        use hmac::Mac;
        let mut key = DailyMac::new_from_slice(&self.secret).expect("HMAC takes any key length");
        key.update(format!("visitor-key:{day}").as_bytes());
        let daily = key.finalize().into_bytes();
        DailyMac::new_from_slice(&daily).expect("HMAC takes any key length")
    }

    fn macs(&self, day: i64) -> [DailyMac; 2] {
        // A poisoned lock only means another thread panicked mid-update; the
        // value is rebuilt below whenever it is not for `day`.
        let mut days = self.days.lock().unwrap_or_else(|e| e.into_inner());
        match &*days {
            Some((cached, macs)) if *cached == day => macs.clone(),
            _ => {
                let macs = [self.daily(day), self.daily(day - 1)];
                *days = Some((day, macs.clone()));
                macs
            }
        }
    }

    /// Today's and yesterday's hash of this visitor: a repeat within 24
    /// hours may straddle midnight.
    pub fn hashes(&self, now_ms: i64, address: &str, user_agent: &str) -> [String; 2] {
        use hmac::Mac;
        self.macs(now_ms.div_euclid(DAY_MS)).map(|mut mac| {
            mac.update(address.as_bytes());
            mac.update(&[0]);
            mac.update(user_agent.as_bytes());
            hex::encode(&mac.finalize().into_bytes()[..16])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    #[test]
    fn crawlers_and_unfurlers_are_bots_browsers_are_not() {
        for ua in [
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Twitterbot/1.0",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "WhatsApp/2.23.20.0",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.31",
            "",
            "   ",
        ] {
            assert!(is_bot(Some(ua)), "{ua}");
        }
        assert!(is_bot(None));
        assert!(!is_bot(Some(CHROME)));
        assert!(!is_bot(Some(IPHONE)));
    }

    #[test]
    fn prefetch_headers_are_recognised() {
        let headers = |name: &'static str, value: &'static str| {
            move |n: &str| (n == name).then(|| value.to_string())
        };
        assert!(is_prefetch(headers("sec-purpose", "prefetch;prerender")));
        assert!(is_prefetch(headers("purpose", "prefetch")));
        assert!(is_prefetch(headers("x-moz", "prefetch")));
        assert!(is_prefetch(headers("x-purpose", "preview")));
        assert!(!is_prefetch(headers("accept", "text/html")));
    }

    #[test]
    fn only_a_top_level_navigation_is_a_click() {
        let headers = |pairs: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(!is_embedded(headers(&[])), "older browsers say nothing");
        assert!(!is_embedded(headers(&[
            ("sec-fetch-dest", "document"),
            ("sec-fetch-mode", "navigate")
        ])));
        assert!(is_embedded(headers(&[
            ("sec-fetch-dest", "image"),
            ("sec-fetch-mode", "no-cors")
        ])));
        assert!(is_embedded(headers(&[
            ("sec-fetch-dest", "empty"),
            ("sec-fetch-mode", "cors")
        ])));
        assert!(is_embedded(headers(&[
            ("sec-fetch-dest", "iframe"),
            ("sec-fetch-mode", "navigate")
        ])));
        assert!(is_embedded(headers(&[("sec-fetch-mode", "no-cors")])));
    }

    #[test]
    fn only_a_humans_first_click_by_someone_else_qualifies() {
        let human = Click {
            is_head: false,
            is_prefetch: false,
            is_embedded: false,
            user_agent: Some(CHROME),
            by_sharer: false,
            seen_within_window: false,
        };
        assert_eq!(qualify(&human), Verdict::Qualified);
        assert_eq!(
            qualify(&Click {
                is_head: true,
                ..human
            }),
            Verdict::Head
        );
        assert_eq!(
            qualify(&Click {
                is_prefetch: true,
                ..human
            }),
            Verdict::Prefetch
        );
        assert_eq!(
            qualify(&Click {
                is_embedded: true,
                ..human
            }),
            Verdict::Embedded
        );
        assert_eq!(
            qualify(&Click {
                user_agent: Some("Twitterbot/1.0"),
                ..human
            }),
            Verdict::Bot
        );
        assert_eq!(
            qualify(&Click {
                by_sharer: true,
                ..human
            }),
            Verdict::Sharer
        );
        assert_eq!(
            qualify(&Click {
                seen_within_window: true,
                ..human
            }),
            Verdict::Repeat
        );
    }

    #[test]
    fn visitor_hashes_rotate_daily_and_hide_the_address() {
        let keys = VisitorKeys::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let noon = 20_000 * DAY_MS + DAY_MS / 2;
        let [today, yesterday] = keys.hashes(noon, "203.0.113.9", CHROME);
        assert_eq!(today.len(), 32);
        assert!(!today.contains("203"));
        // Same visitor, same day: same hash. Next day: today's becomes "yesterday".
        assert_eq!(
            keys.hashes(noon + 3_600_000, "203.0.113.9", CHROME)[0],
            today
        );
        let next = keys.hashes(noon + DAY_MS, "203.0.113.9", CHROME);
        assert_ne!(next[0], today);
        assert_eq!(next[1], today);
        assert_ne!(yesterday, today);
        // The kept keys follow the clock both ways (a clock set back).
        assert_eq!(keys.hashes(noon, "203.0.113.9", CHROME)[0], today);
        // Another address, user agent or key: another visitor.
        assert_ne!(keys.hashes(noon, "203.0.113.10", CHROME)[0], today);
        assert_ne!(keys.hashes(noon, "203.0.113.9", IPHONE)[0], today);
        let other = VisitorKeys::new(b"another secret key of some length".to_vec());
        assert_ne!(other.hashes(noon, "203.0.113.9", CHROME)[0], today);
    }

    /// Stored hashes must stay comparable across upgrades: a day's key is
    /// HMAC(secret, "visitor-key:{day}"), the hash the first 16 bytes of
    /// HMAC(that key, address NUL user agent), in hex.
    #[test]
    fn visitor_hash_format_is_stable() {
        use hmac::{Hmac, Mac};
        let secret = b"0123456789abcdef0123456789abcdef";
        let day = 20_000;
        let mut key = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
        key.update(format!("visitor-key:{day}").as_bytes());
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key.finalize().into_bytes()).unwrap();
        mac.update(b"203.0.113.9\0");
        mac.update(CHROME.as_bytes());
        let expected = hex::encode(&mac.finalize().into_bytes()[..16]);
        let keys = VisitorKeys::new(secret.to_vec());
        assert_eq!(
            keys.hashes(day * DAY_MS + 5, "203.0.113.9", CHROME)[0],
            expected
        );
    }
}
