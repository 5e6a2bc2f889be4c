#![recursion_limit = "256"]
//! Sprida: the Leptos application, compiled twice: `ssr` (into the server)
//! and `hydrate` (to WASM for the browser).
//!
//! Layers, bottom to top; a module imports only from layers below it and,
//! among the features, only from features listed before it (the test in
//! `layers.rs` fails the build's tests on an upward import):
//!
//! 1. `base`: errors, i18n, the session and roles, and (server only) the
//!    database, the live-event bus and the server state.
//! 2. `ui`: the widget kit.
//! 3. the features, in `FEATURES` order below.
//! 4. `shell`: routes, menu, start page.

pub mod base;
pub mod ui;

pub mod networks;

pub mod auth;
pub mod challenges;
pub mod content;
pub mod home;
pub mod hub;
pub mod impact;
pub mod kudos;
pub mod leaderboard;
pub mod notices;
pub mod people;
pub mod points;
pub mod posts;
pub mod profile;
pub mod rewards;
pub mod screens;
pub mod share;

pub mod shell;

#[cfg(test)]
mod layers;

pub use shell::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazily loaded pieces of the WASM (shell/pages.rs), so
    // hydration waits for the piece of the page the server rendered. On
    // the browser's executor: leptos's own is set up by hydrate_from_async.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("a body");
        leptos::mount::hydrate_from_async(body.clone(), App)
            .await
            .forget();
        // Lets tests (and CSS) tell a live page from server-rendered HTML.
        let _ = body.set_attribute("data-hydrated", "true");
    });
    // Installable PWA; failure (an insecure origin, or the server down for
    // a moment while the page loads) only loses offline support. Awaited, so
    // a refusal is handled here, not reported as an uncaught page error.
    let registering = leptos::prelude::window()
        .navigator()
        .service_worker()
        .register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(registering).await;
    });
}
