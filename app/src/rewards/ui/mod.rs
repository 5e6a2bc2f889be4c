//! The rewards pages: the catalogue and my requests, the administrator's
//! catalogue editor, and the fulfilment board.

mod admin;
mod board;
mod catalogue;

pub use admin::RewardsAdminPage;
pub use board::FulfilmentPage;
pub use catalogue::RewardsPage;
