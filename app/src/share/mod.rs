//! Sharing content to social networks with tracked links (issue #3).
//!
//! This first part is the pure logic the share dialog and the tracked-link
//! redirect stand on: share-intent URLs and X's character count, link codes
//! and UTM tagging, and the rules that decide whether a click counts.

pub mod clicks;
pub mod intent;
#[cfg(feature = "ssr")]
pub mod journal;
pub mod link;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod writer;
