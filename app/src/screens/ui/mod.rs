//! The screens' pages: the admin's (`admin`) and the TV's own (`tv`).

mod admin;
mod tv;

pub use admin::ScreensAdminPage;
pub use tv::TvPage;
