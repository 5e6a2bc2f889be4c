//! The bottom layer: what every feature needs and none owns. It imports no
//! feature, no widget and not the shell.

pub mod error;
pub mod home_note;
pub mod i18n;
pub mod ledger;
pub mod session;

#[cfg(feature = "ssr")]
pub mod change;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod pieces;
#[cfg(feature = "ssr")]
pub mod state;
