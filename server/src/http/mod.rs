//! The routes that are not pages: the tracked-link redirect, the live event
//! streams, TV pairing, uploaded images, and the guard in front of them all.

pub mod guard;
pub mod live;
pub mod media;
pub mod redirect;
pub mod rewards;
pub mod serve;
pub mod tv;
