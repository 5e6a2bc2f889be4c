//! Employee-written posts (issue #4): the pieces the editor, the author's
//! list and the review board share. This first part is the pure logic: the
//! review stages and their allowed moves, blocked-word flags, and the safe
//! Markdown renderer used by both the preview and the server.

pub mod markdown;
pub mod stage;
