//! The social networks people share to and declare their audience on.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Network {
    LinkedIn,
    X,
    Facebook,
    Instagram,
    WhatsApp,
}

impl Network {
    pub const ALL: [Network; 5] = [
        Network::LinkedIn,
        Network::X,
        Network::Facebook,
        Network::Instagram,
        Network::WhatsApp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Network::LinkedIn => "linkedin",
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::Instagram => "instagram",
            Network::WhatsApp => "whatsapp",
        }
    }

    pub fn parse(code: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| n.code() == code)
    }

    /// Brand names are the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            Network::LinkedIn => "LinkedIn",
            Network::X => "X",
            Network::Facebook => "Facebook",
            Network::Instagram => "Instagram",
            Network::WhatsApp => "WhatsApp",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for n in Network::ALL {
            assert_eq!(Network::parse(n.code()), Some(n));
        }
        assert_eq!(Network::parse("myspace"), None);
    }
}
