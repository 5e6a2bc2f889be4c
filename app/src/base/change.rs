//! Side effects in one place. A mutation returns what it changed together
//! with its result; `publish` is the one function that turns the changes
//! into live events (and is where notifications will go), so a feature
//! cannot forget to tell the pages that are open. The type is `must_use`
//! and its value is reached only through `publish`, so dropping the changes
//! fails the build (`clippy -D warnings`), and a test checks that nothing
//! outside this file sends live events itself.

use super::live::LiveEvent;
use super::state::AppState;

/// A mutation's result and the live events it causes, in order, each once.
#[must_use = "call publish(): it sends the live events of what changed"]
#[derive(Debug)]
pub struct Changed<T> {
    value: T,
    events: Vec<LiveEvent>,
}

impl<T> Changed<T> {
    /// A result that changed nothing others are looking at.
    pub fn quiet(value: T) -> Self {
        Changed {
            value,
            events: Vec::new(),
        }
    }

    /// A result that changed what `event`'s listeners show.
    pub fn new(value: T, event: LiveEvent) -> Self {
        Changed::quiet(value).and(event)
    }

    pub fn and(mut self, event: LiveEvent) -> Self {
        if !self.events.contains(&event) {
            self.events.push(event);
        }
        self
    }

    pub fn and_if(self, condition: bool, event: LiveEvent) -> Self {
        if condition {
            self.and(event)
        } else {
            self
        }
    }

    /// The result, with something else for the caller to return.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Changed<U> {
        Changed {
            value: f(self.value),
            events: self.events,
        }
    }

    /// What will be announced (for callers that combine two mutations).
    pub fn events(&self) -> &[LiveEvent] {
        &self.events
    }

    /// Sends the live events and hands over the result.
    pub fn publish(self, state: &AppState) -> T {
        for event in self.events {
            state.live.send(event);
        }
        self.value
    }
}
