//! Which user agents are crawlers, link unfurlers, feed fetchers and
//! scripts rather than people: the maintained list of
//! `monperrus/crawler-user-agents` (`server/data/crawler-user-agents.json`,
//! MIT, version 1.67.0, the file as published), embedded in the binary and
//! replaceable without a code change (`--crawler-list FILE`: a newer copy
//! of the same file), plus the few fetchers that list lacks (`EXTRA`, each
//! seen fetching shared links). A browser inside an app (LinkedIn,
//! Facebook, Instagram) is a person: no pattern of either matches it (a
//! test proves it with the list's own instances and hundreds of browsers').

use std::sync::OnceLock;

use regex::RegexSet;
use serde::Deserialize;

const EMBEDDED: &str = include_str!("../../data/crawler-user-agents.json");

/// Fetchers the maintained list does not have yet: federated servers that
/// fetch a shared link's preview each from its own address (so one share
/// would become dozens of "visitors"), Bluesky's card fetcher, Pinterest's,
/// Teams' previews, and scripting clients.
const EXTRA: &[&str] = &[
    "Pleroma",
    "Misskey",
    "Akkoma",
    "Friendica",
    "Cardyb",
    "Pinterestbot",
    "MSTeams",
    "python-urllib",
    "^Java/",
    "PostmanRuntime",
    "(?i)crawler|spider|scraper",
];

#[derive(Deserialize)]
struct Listed {
    pattern: String,
}

pub struct Crawlers {
    set: RegexSet,
    patterns: Vec<String>,
}

impl Crawlers {
    /// From the list's JSON (an array of objects with a `pattern`), with
    /// `EXTRA` added; an unreadable file or pattern is an error that says
    /// which.
    pub fn parse(json: &str) -> Result<Crawlers, String> {
        let listed: Vec<Listed> = serde_json::from_str(json)
            .map_err(|e| format!("the crawler list is not valid: {e}"))?;
        if listed.is_empty() {
            return Err("the crawler list has no patterns".into());
        }
        let patterns: Vec<String> = listed
            .into_iter()
            .map(|l| l.pattern)
            .chain(EXTRA.iter().map(|p| p.to_string()))
            .collect();
        let set = RegexSet::new(&patterns)
            .map_err(|e| format!("a crawler pattern does not compile: {e}"))?;
        Ok(Crawlers { set, patterns })
    }

    pub fn embedded() -> Crawlers {
        Crawlers::parse(EMBEDDED).expect("the embedded crawler list is tested")
    }

    /// The first pattern that matches `user_agent`, if any.
    pub fn matched(&self, user_agent: &str) -> Option<&str> {
        self.set
            .matches(user_agent)
            .iter()
            .next()
            .map(|i| self.patterns[i].as_str())
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

static ACTIVE: OnceLock<Crawlers> = OnceLock::new();

/// Uses `crawlers` from now on (at start, from `--crawler-list`); false if
/// a list was already in use.
pub fn install(crawlers: Crawlers) -> bool {
    ACTIVE.set(crawlers).is_ok()
}

/// The list in use: the one installed, or the embedded one.
pub fn active() -> &'static Crawlers {
    ACTIVE.get_or_init(Crawlers::embedded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct WithInstances {
        #[serde(default)]
        instances: Vec<String>,
    }

    /// Every example user agent the list itself gives is a crawler.
    #[test]
    fn the_lists_own_crawlers_are_crawlers() {
        let crawlers = Crawlers::embedded();
        let listed: Vec<WithInstances> = serde_json::from_str(EMBEDDED).unwrap();
        let instances: Vec<&String> = listed.iter().flat_map(|l| &l.instances).collect();
        assert!(instances.len() > 2_000, "{}", instances.len());
        let missed: Vec<&&String> = instances
            .iter()
            .filter(|ua| crawlers.matched(ua).is_none())
            .collect();
        assert!(missed.is_empty(), "{missed:?}");
        assert!(listed.len() > 1_000 && crawlers.len() > listed.len());
    }

    /// Hundreds of real browsers' user agents (tests/data, from the
    /// `fake-useragent` package's list, Apache-2.0), and apps' built-in
    /// browsers, are people.
    #[test]
    fn browsers_and_in_app_browsers_are_people() {
        let crawlers = Crawlers::embedded();
        let browsers = include_str!("../../tests/data/browser-user-agents.txt");
        let in_apps = [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6868",
            "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36 LinkedInApp/4.1.920",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/sv_SE;FBOP/5]",
            "Mozilla/5.0 (Linux; Android 14; SM-S911B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.105 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/455.0.0.44.88;]",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.119 Mobile Safari/537.36 Instagram 321.0.0.32.118 Android (34/14; 420dpi; 1080x2205; Google/google; Pixel 8; shiba; shiba; sv_SE; 577210397)",
        ];
        let people: Vec<&str> = browsers
            .lines()
            .filter(|l| !l.trim().is_empty())
            .chain(in_apps)
            .collect();
        assert!(people.len() > 300, "{}", people.len());
        let taken: Vec<(&str, &str)> = people
            .iter()
            .filter_map(|ua| crawlers.matched(ua).map(|p| (*ua, p)))
            .collect();
        assert!(taken.is_empty(), "{taken:?}");
    }

    #[test]
    fn the_fetchers_the_list_lacks_are_added_and_a_bad_list_is_refused() {
        let crawlers = Crawlers::embedded();
        for ua in [
            "Pleroma 2.5.0; https://pleroma.example <admin@pleroma.example>",
            "Misskey/2023.11.0 (https://misskey.io)",
            "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
            "Mastodon/4.2.1 (http.rb/5.1.1; +https://mastodon.social/)",
            "python-urllib3/2.0.7",
        ] {
            assert!(crawlers.matched(ua).is_some(), "{ua}");
        }
        assert_eq!(
            crawlers.matched("Googlebot/2.1 (+http://www.google.com/bot.html)"),
            Some("Googlebot\\/")
        );
        assert!(Crawlers::parse("[]").is_err());
        assert!(Crawlers::parse("{").is_err());
        assert!(Crawlers::parse(r#"[{"pattern": "(unclosed"}]"#).is_err());
        let own = Crawlers::parse(r#"[{"pattern": "ExampleFetcher"}]"#).unwrap();
        assert_eq!(own.matched("ExampleFetcher/1.0"), Some("ExampleFetcher"));
    }
}
