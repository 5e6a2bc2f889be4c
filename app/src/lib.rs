#![recursion_limit = "256"]
//! Sprida: the Leptos application, compiled twice: `ssr` (into the server)
//! and `hydrate` (to WASM for the browser).

pub mod auth;
pub mod content;
pub mod error;
pub mod hub;
pub mod i18n;
pub mod impact;
pub mod layout;
pub mod leaderboard;
pub mod networks;
pub mod people;
pub mod points;
pub mod posts;
pub mod profile;
pub mod screens;
pub mod share;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::layout::{AppShell, NotFound};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The CSP needs the per-response nonce that leptos_axum generates for the
/// inline hydration script, so it is set here rather than in a static layer.
#[cfg(feature = "ssr")]
fn set_security_policy() {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        res.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::provide_session();
    let i18n = i18n::use_i18n();

    view! {
        <Stylesheet id="leptos" href="/pkg/sprida.css"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icons/icon.svg"/>
        <Meta name="theme-color" content="#0b5cad"/>
        <Title text=move || i18n.t(i18n::T::AppName)/>
        <leptos_meta::Html {..} lang=move || i18n.lang().code()/>
        <Router>
            <AppShell>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=layout::Home/>
                    <Route path=path!("/sign-in") view=auth::SignInPage/>
                    <Route path=path!("/invite/:token") view=auth::InvitePage/>
                    <Route path=path!("/profile") view=profile::ProfilePage/>
                    <Route path=path!("/hub") view=hub::HubPage/>
                    <Route path=path!("/impact") view=impact::ImpactPage/>
                    <Route path=path!("/leaderboard") view=leaderboard::LeaderboardPage/>
                    <Route path=path!("/tv") view=screens::TvPage/>
                    <Route path=path!("/admin/screens") view=screens::ScreensAdminPage/>
                    <Route path=path!("/content") view=content::ContentListPage/>
                    <Route path=path!("/content/new") view=content::ContentEditPage/>
                    <Route path=path!("/content/:id") view=content::ContentEditPage/>
                    <Route path=path!("/admin/points") view=points::PointRulesPage/>
                    <Route path=path!("/admin/blocked-words") view=posts::BlockedWordsPage/>
                    <Route path=path!("/posts") view=posts::MyPostsPage/>
                    <Route path=path!("/posts/new") view=posts::PostEditorPage/>
                    <Route path=path!("/posts/:id") view=posts::PostEditorPage/>
                    <Route path=path!("/review") view=posts::BoardPage/>
                    <Route path=path!("/review/:id") view=posts::ReviewPage/>
                    <Route path=path!("/notifications") view=posts::NotificationsPage/>
                    <Route path=path!("/team") view=people::TeamPage/>
                    <Route path=path!("/admin/people") view=people::PeopleAdminPage/>
                    <Route path=path!("/admin/groups") view=people::GroupsAdminPage/>
                </Routes>
            </AppShell>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Lets tests (and CSS) tell a live page from server-rendered HTML.
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
    // Installable PWA; failure (e.g. an insecure origin) only loses offline support.
    let _ = window().navigator().service_worker().register("/sw.js");
}
