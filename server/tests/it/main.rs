//! The integration tests: one binary (it links the app once, not once per
//! file). Each module is one area; `common` starts real servers on SQLite
//! and PostgreSQL and holds the typed call helpers.

#[macro_use]
mod common;

mod api;
mod binary;
mod calls;
mod challenges;
mod demo;
mod events;
mod group_totals;
mod home;
mod http;
mod hub;
mod kudos;
mod leaderboard;
mod ledger;
mod motivations;
mod operate;
mod plans;
mod posts;
mod redirect;
mod rewards;
mod safe;
mod schema;
mod statuses;
