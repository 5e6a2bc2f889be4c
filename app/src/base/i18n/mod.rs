//! Every UI string in English and Swedish. The table is one exhaustive
//! `match`, so a key without a translation does not compile.

pub mod plural;
mod texts;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use texts::T;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Sv,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Sv];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "sv" => Some(Lang::Sv),
            _ => None,
        }
    }

    /// The language's own name, so a reader of the other language can find it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Sv => "Svenska",
        }
    }
}

/// Picks the supported language the browser prefers most from an
/// `Accept-Language` header (RFC 9110 weights; `q=0` means "not this one").
pub fn negotiate(accept_language: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (pos, item) in accept_language.split(',').enumerate() {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .map(|v| v.parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        let Some(lang) = Lang::parse(tag) else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        // Equal weights keep the order the browser listed them in.
        let better = match best {
            None => true,
            Some((bq, bpos, _)) => q > bq || (q == bq && pos < bpos),
        };
        if better {
            best = Some((q, pos, lang));
        }
    }
    best.map(|(_, _, lang)| lang)
}

/// A cheap handle for components: the current language and lookups.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: Signal<Lang>,
}

impl I18n {
    pub fn new(lang: Signal<Lang>) -> Self {
        Self { lang }
    }

    /// The language: followed where something reactive reads it (a view
    /// then changes with it), read once where nothing can follow it (an
    /// event handler, a message made on a click), which the reactive graph
    /// would otherwise report as a signal read outside a tracking context.
    pub fn lang(&self) -> Lang {
        if leptos::reactive::graph::Observer::get().is_some() {
            self.lang.get()
        } else {
            self.lang.get_untracked()
        }
    }

    pub fn t(&self, key: T) -> &'static str {
        key.in_lang(self.lang())
    }

    /// A text with numbers in it, plural forms chosen by the language
    /// (`plural::format`): `i18n.n(T::BoardComments, &[("count", 2)])`.
    pub fn n(&self, key: T, args: &[(&str, i64)]) -> String {
        let lang = self.lang();
        plural::format(key.in_lang(lang), lang, args)
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_weight_and_order() {
        assert_eq!(negotiate("sv-SE,sv;q=0.9,en;q=0.8"), Some(Lang::Sv));
        assert_eq!(negotiate("de-DE,en;q=0.5,sv;q=0.7"), Some(Lang::Sv));
        assert_eq!(negotiate("en-GB, sv"), Some(Lang::En));
        assert_eq!(negotiate("sv;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(negotiate("de, fr"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(negotiate("sv;q=garbage"), None);
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Lang::parse("SV"), Some(Lang::Sv));
        assert_eq!(Lang::parse("en_US"), Some(Lang::En));
        assert_eq!(Lang::parse("no"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn every_text_exists_in_both_languages_with_the_same_placeholders() {
        fn placeholders(s: &str) -> Vec<&str> {
            let mut out = plural::arguments(s);
            out.sort_unstable();
            out
        }
        for key in T::ALL {
            let en = key.in_lang(Lang::En);
            let sv = key.in_lang(Lang::Sv);
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
            assert!(!sv.trim().is_empty(), "{key:?} has no Swedish text");
            assert_eq!(
                placeholders(en),
                placeholders(sv),
                "{key:?} placeholders differ"
            );
        }
    }
}
