//! Office TV screens (issue #5): admins create screens and pair them with a
//! one-time link; a paired screen shows rotating panels (top people, top
//! teams, a ticker of shares, company reach against employee reach) and
//! looks after itself (offline notice, reconnects, resumes after restarts).

#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
use crate::leaderboard::Standing;
use crate::networks::Network;
use crate::share::intent::Channel;

pub use ui::{ScreensAdminPage, TvPage};

pub const MAX_NAME: usize = 80;
pub const MIN_ROTATE: i64 = 5;
pub const MAX_ROTATE: i64 = 600;
/// A pairing link not used within this time stops working.
pub const PAIR_VALID_MS: i64 = 7 * 24 * 3600 * 1000;
/// Largest company channel audience accepted.
pub const MAX_AUDIENCE: i64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Panel {
    TopPeople,
    TopTeams,
    Ticker,
    Reach,
    /// The latest public thanks.
    Kudos,
    /// The running challenge that ends soonest, with its standings.
    Challenge,
}

impl Panel {
    pub const ALL: [Panel; 6] = [
        Panel::TopPeople,
        Panel::TopTeams,
        Panel::Ticker,
        Panel::Reach,
        Panel::Kudos,
        Panel::Challenge,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Panel::TopPeople => "people",
            Panel::TopTeams => "teams",
            Panel::Ticker => "ticker",
            Panel::Reach => "reach",
            Panel::Kudos => "kudos",
            Panel::Challenge => "challenge",
        }
    }

    pub fn parse(code: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Panel::TopPeople => T::PanelPeople,
            Panel::TopTeams => T::PanelTeams,
            Panel::Ticker => T::PanelTicker,
            Panel::Reach => T::PanelReach,
            Panel::Kudos => T::PanelKudos,
            Panel::Challenge => T::PanelChallenge,
        }
    }
}

/// Panels as stored: codes separated by commas, unknown ones dropped.
pub fn parse_panels(stored: &str) -> Vec<Panel> {
    stored.split(',').filter_map(Panel::parse).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenInput {
    pub name: String,
    pub panels: Vec<Panel>,
    pub rotate_seconds: i64,
}

/// Checks and normalises: a name, at least one panel (each once, in the
/// order of `Panel::ALL`), a rotation within bounds.
pub fn validate_screen(input: &ScreenInput) -> Result<ScreenInput, AppError> {
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::Invalid(T::ErrNameRequired));
    }
    if name.chars().count() > MAX_NAME {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    let panels: Vec<Panel> = Panel::ALL
        .into_iter()
        .filter(|p| input.panels.contains(p))
        .collect();
    if panels.is_empty() {
        return Err(AppError::Invalid(T::ErrNoPanels));
    }
    if !(MIN_ROTATE..=MAX_ROTATE).contains(&input.rotate_seconds) {
        return Err(AppError::Invalid(T::ErrRotate));
    }
    Ok(ScreenInput {
        name,
        panels,
        rotate_seconds: input.rotate_seconds,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenRow {
    pub id: i64,
    pub name: String,
    pub panels: Vec<Panel>,
    pub rotate_seconds: i64,
    /// Displays that have traded a pairing link for a cookie.
    pub paired: i64,
    /// When a display last fetched the board (to the minute).
    pub last_seen: Option<i64>,
    pub revoked: bool,
    pub pairing_open: bool,
}

/// A fresh pairing link: shown once, as only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingLink {
    pub screen_id: i64,
    pub url: String,
}

/// A line of the ticker: a share, or a public thank-you.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerItem {
    pub name: String,
    pub what: Happened,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Happened {
    Shared { title: String, channel: Channel },
    Thanked { recipient: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    /// The audiences of the company's own channels, as an admin set them.
    pub company: i64,
    /// The declared audiences of the networks employees shared to this month.
    pub employees: i64,
    pub sharers: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TvData {
    pub name: String,
    pub panels: Vec<Panel>,
    pub rotate_seconds: i64,
    pub people: Vec<Standing>,
    pub teams: Vec<Standing>,
    pub ticker: Vec<TickerItem>,
    pub reach: Reach,
    /// The latest public thanks (the recognition panel).
    pub kudos: Vec<crate::kudos::Kudos>,
    pub challenge: Option<crate::challenges::Challenge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TvState {
    /// No display cookie (or an unknown one): the screen needs pairing.
    Unpaired,
    Revoked,
    Live(Box<TvData>),
}

/// The company's own channel audiences (for the reach panel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CompanyChannels {
    pub audiences: Vec<(Network, i64)>,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::base::session::Me, AppError> {
    crate::base::session::ssr::require_any(&[crate::base::session::Role::Admin])
}

#[server(prefix = "/api", endpoint = "list_screens")]
pub async fn list_screens() -> Result<Vec<ScreenRow>, AppError> {
    admin()?;
    ssr::list(&crate::base::state::app_state()?.db).await
}

#[server(prefix = "/api", endpoint = "create_screen", input = server_fn::codec::Json)]
pub async fn create_screen(input: ScreenInput) -> Result<PairingLink, AppError> {
    admin()?;
    let input = validate_screen(&input)?;
    let state = crate::base::state::app_state()?;
    ssr::create(&state.db, &state.config.base_url, &input).await
}

/// A new pairing link for the screen (the previous unused one stops working).
#[server(prefix = "/api", endpoint = "new_pairing_link")]
pub async fn new_pairing_link(id: i64) -> Result<PairingLink, AppError> {
    admin()?;
    let state = crate::base::state::app_state()?;
    ssr::new_link(&state.db, &state.config.base_url, id).await
}

#[server(prefix = "/api", endpoint = "revoke_screen")]
pub async fn revoke_screen(id: i64) -> Result<(), AppError> {
    admin()?;
    let state = crate::base::state::app_state()?;
    // Its open stream ends and the screen learns it was disconnected.
    ssr::revoke(&state.db, id).await?.publish(&state);
    Ok(())
}

#[server(prefix = "/api", endpoint = "get_company_channels")]
pub async fn get_company_channels() -> Result<CompanyChannels, AppError> {
    admin()?;
    ssr::company_channels(&crate::base::state::app_state()?.db).await
}

#[server(prefix = "/api", endpoint = "save_company_channels", input = server_fn::codec::Json)]
pub async fn save_company_channels(channels: CompanyChannels) -> Result<(), AppError> {
    admin()?;
    if channels
        .audiences
        .iter()
        .any(|(_, a)| !(0..=MAX_AUDIENCE).contains(a))
    {
        return Err(AppError::Invalid(T::ErrAudience));
    }
    let state = crate::base::state::app_state()?;
    ssr::save_company_channels(&state.db, &channels)
        .await?
        .publish(&state);
    Ok(())
}

/// What a screen shows; answered from its display cookie, not a session.
#[server(prefix = "/api", endpoint = "tv_board")]
pub async fn tv_board() -> Result<TvState, AppError> {
    let state = crate::base::state::app_state()?;
    let parts = crate::base::session::ssr::request_parts()?;
    let Some(token) =
        crate::base::session::ssr::cookie_value(&parts.headers, state.config.display_cookie_name())
    else {
        return Ok(TvState::Unpaired);
    };
    ssr::tv(&state, token, crate::base::db::now_ms()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_need_a_name_a_panel_and_a_sane_rotation() {
        let ok = ScreenInput {
            name: " Lobby ".into(),
            panels: vec![Panel::Ticker, Panel::TopPeople, Panel::Ticker],
            rotate_seconds: 20,
        };
        let v = validate_screen(&ok).unwrap();
        assert_eq!(v.name, "Lobby");
        assert_eq!(v.panels, [Panel::TopPeople, Panel::Ticker]);
        let bad = |f: &dyn Fn(&mut ScreenInput)| {
            let mut i = ok.clone();
            f(&mut i);
            validate_screen(&i).unwrap_err()
        };
        assert_eq!(
            bad(&|i| i.name = " ".into()),
            AppError::Invalid(T::ErrNameRequired)
        );
        assert_eq!(
            bad(&|i| i.panels.clear()),
            AppError::Invalid(T::ErrNoPanels)
        );
        assert_eq!(
            bad(&|i| i.rotate_seconds = 4),
            AppError::Invalid(T::ErrRotate)
        );
        assert_eq!(
            bad(&|i| i.rotate_seconds = 601),
            AppError::Invalid(T::ErrRotate)
        );
        assert_eq!(
            parse_panels("people,bogus,reach"),
            [Panel::TopPeople, Panel::Reach]
        );
    }
}
