//! Live updates inside one server process: whatever changes a page others
//! have open (a card moving on the review board) is announced here, and the
//! event streams pass it on to the browsers.

use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// A post changed stage, text or comments: review boards reload.
    Board,
}

impl LiveEvent {
    pub fn name(self) -> &'static str {
        match self {
            LiveEvent::Board => "board",
        }
    }
}

#[derive(Clone)]
pub struct Bus(broadcast::Sender<LiveEvent>);

impl Default for Bus {
    fn default() -> Self {
        // Receivers that fall this far behind are told they lagged and
        // simply reload, so the buffer only has to absorb bursts.
        Bus(broadcast::channel(256).0)
    }
}

impl Bus {
    /// Nobody listening is normal (no board open), not an error.
    pub fn send(&self, event: LiveEvent) {
        let _ = self.0.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.0.subscribe()
    }
}
