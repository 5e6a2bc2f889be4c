//! The start page's extension point: a feature tells the person one thing
//! (the next reward, later a goal or a badge) as a line with a link. The
//! start page shows the notes it is given, in order, without knowing which
//! feature wrote them; a new feature adds its notes, not a home-page edit.

use serde::{Deserialize, Serialize};

use super::i18n::{I18n, T};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeNote {
    /// Which note, for tests and styling ("next-reward").
    pub id: String,
    /// The text, with its numbers (plural forms) and its words ("{name}").
    pub text: T,
    pub numbers: Vec<(String, i64)>,
    pub words: Vec<(String, String)>,
    pub href: String,
    /// Work waiting for the reader (shown with what needs them), rather
    /// than their own progress.
    pub work: bool,
}

impl HomeNote {
    pub fn new(id: &str, text: T, href: &str) -> Self {
        HomeNote {
            id: id.into(),
            text,
            numbers: Vec::new(),
            words: Vec::new(),
            href: href.into(),
            work: false,
        }
    }

    pub fn number(mut self, name: &str, n: i64) -> Self {
        self.numbers.push((name.into(), n));
        self
    }

    pub fn word(mut self, name: &str, value: &str) -> Self {
        self.words.push((name.into(), value.into()));
        self
    }

    pub fn for_work(mut self) -> Self {
        self.work = true;
        self
    }

    pub fn render(&self, i18n: I18n) -> String {
        let numbers: Vec<(&str, i64)> =
            self.numbers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let mut text = i18n.n(self.text, &numbers);
        for (k, v) in &self.words {
            text = text.replace(&format!("{{{k}}}"), v);
        }
        text
    }
}
