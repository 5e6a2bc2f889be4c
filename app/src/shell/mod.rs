//! The shell: the top of the app. The menu by role, the start page, 404 and
//! the routes; the only UI that may import every feature.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::components::{FlatRoutes, Route, Router, A};
use leptos_router::{path, Lazy};

mod nav;
mod pages;

use crate::auth::SignOut;
use crate::base::i18n::{self, use_i18n, T};
use crate::base::session::{use_session, Role};

/// The whole page, as the server sends it before hydration.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // In the hashed folder the server gives the app's files (its
                // `site_pkg_dir`), so browsers may keep it for good.
                <link rel="stylesheet" id="leptos" href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)/>
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
    crate::base::session::provide_session();
    let i18n = i18n::use_i18n();

    view! {
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icons/icon.svg"/>
        <Meta name="theme-color" content="#0b5cad"/>
        <leptos_meta::Html {..} lang=move || i18n.lang().code()/>
        <Router>
            <AppShell>
                // Flat: with lazy pages, leptos_router 0.8.17's nested
                // <Routes> renders no marker on the server where hydration
                // looks for one (the page never hydrated); none are nested.
                <FlatRoutes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view={Lazy::<pages::HomeRoute>::new()}/>
                    <Route path=path!("/sign-in") view={Lazy::<pages::SignIn>::new()}/>
                    <Route path=path!("/invite/:token") view={Lazy::<pages::Invite>::new()}/>
                    <Route path=path!("/profile") view={Lazy::<pages::Profile>::new()}/>
                    <Route path=path!("/hub") view={Lazy::<pages::Hub>::new()}/>
                    <Route path=path!("/impact") view={Lazy::<pages::Impact>::new()}/>
                    <Route path=path!("/leaderboard") view={Lazy::<pages::Leaderboard>::new()}/>
                    <Route path=path!("/tv") view={Lazy::<pages::Tv>::new()}/>
                    <Route path=path!("/manage") view={Lazy::<pages::Manage>::new()}/>
                    <Route path=path!("/admin/screens") view={Lazy::<pages::ScreensAdmin>::new()}/>
                    <Route path=path!("/admin/rewards") view={Lazy::<pages::RewardsAdmin>::new()}/>
                    <Route path=path!("/admin/fulfilment") view={Lazy::<pages::Fulfilment>::new()}/>
                    <Route path=path!("/rewards") view={Lazy::<pages::Rewards>::new()}/>
                    <Route path=path!("/recognition") view={Lazy::<pages::Recognition>::new()}/>
                    <Route path=path!("/challenges") view={Lazy::<pages::Challenges>::new()}/>
                    <Route path=path!("/admin/recognition") view={Lazy::<pages::KudosAdmin>::new()}/>
                    <Route path=path!("/content") view={Lazy::<pages::ContentList>::new()}/>
                    <Route path=path!("/content/new") view={Lazy::<pages::ContentEdit>::new()}/>
                    <Route path=path!("/content/:id") view={Lazy::<pages::ContentEdit>::new()}/>
                    <Route path=path!("/admin/points") view={Lazy::<pages::PointRules>::new()}/>
                    <Route path=path!("/admin/blocked-words") view={Lazy::<pages::BlockedWords>::new()}/>
                    <Route path=path!("/posts") view={Lazy::<pages::MyPosts>::new()}/>
                    <Route path=path!("/posts/new") view={Lazy::<pages::PostEditor>::new()}/>
                    <Route path=path!("/posts/:id") view={Lazy::<pages::PostEditor>::new()}/>
                    <Route path=path!("/review") view={Lazy::<pages::Board>::new()}/>
                    <Route path=path!("/review/:id") view={Lazy::<pages::Review>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<pages::Notifications>::new()}/>
                    <Route path=path!("/team") view={Lazy::<pages::Team>::new()}/>
                    <Route path=path!("/admin/people") view={Lazy::<pages::PeopleAdmin>::new()}/>
                    <Route path=path!("/admin/groups") view={Lazy::<pages::GroupsAdmin>::new()}/>
                </FlatRoutes>
            </AppShell>
        </Router>
    }
}

#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = ServerAction::<SignOut>::new();
    let sign_out_value = sign_out.value();
    Effect::new(move |_| {
        if let Some(result) = sign_out_value.try_get().flatten() {
            // Even if the server call failed, this tab must stop acting signed in.
            match result {
                Ok(info) => session.set(info),
                Err(_) => session.forget(),
            }
        }
    });
    let has = move |role: Role| session.has(role);
    // Looked up again on every page change, so the count follows what the
    // person has read.
    let location = leptos_router::hooks::use_location();
    let unseen = Resource::new(
        move || (location.pathname.get(), session.me().map(|m| m.id)),
        |(_, me)| async move {
            match me {
                Some(_) => crate::notices::unseen_notifications().await.unwrap_or(0),
                None => 0,
            }
        },
    );

    let manage = move || {
        [Role::Reviewer, Role::Manager, Role::Admin]
            .into_iter()
            .any(has)
    };
    let in_manage = move || nav::in_manage_area(&location.pathname.get());
    // Every page its own title: tabs, history and screen readers tell them apart.
    let title = move || {
        let page = nav::page_name(&location.pathname.get()).unwrap_or(T::NotFoundTitle);
        format!("{} · {}", i18n.t(page), i18n.t(T::AppName))
    };

    view! {
        <Title text=title/>
        <a class="skip" href="#main">{move || i18n.t(T::SkipToContent)}</a>
        <header class="topbar">
            // Named for screen readers: on a phone only the picture shows.
            <A href="/" attr:class="brand" attr:aria-label=move || i18n.t(T::NavHomeOf)>
                <img src="/icons/icon.svg" alt="" width="28" height="28"/>
                <span>{move || i18n.t(T::AppName)}</span>
            </A>
            <nav aria-label=move || i18n.t(T::NavMenu) id="main-nav">
                <Show when=move || session.me().is_some() fallback=move || view! {
                    <A href="/sign-in">{move || i18n.t(T::NavSignIn)}</A>
                }>
                    // The daily places: a tab bar at the bottom of a phone.
                    <ul class="daily">
                        <li><A href="/" exact=true>{move || i18n.t(T::NavHome)}</A></li>
                        <li><A href="/hub">{move || i18n.t(T::NavHub)}</A></li>
                        <li><A href="/posts">{move || i18n.t(T::NavPosts)}</A></li>
                        <li><A href="/leaderboard">{move || i18n.t(T::NavLeaderboard)}</A></li>
                        <li><A href="/rewards">{move || i18n.t(T::NavRewards)}</A></li>
                        <li><A href="/recognition">{move || i18n.t(T::NavRecognition)}</A></li>
                        <li><A href="/impact">{move || i18n.t(T::NavImpact)}</A></li>
                    </ul>
                    <div class="account">
                        <Show when=manage>
                            // The current place shows here too while in the area.
                            <A href="/manage"
                                attr:class=move || if in_manage() { "manage-link current" } else { "manage-link" }>
                                {move || i18n.t(T::NavManage)}
                            </A>
                        </Show>
                        <A href="/notifications">
                            {move || i18n.t(T::NavNotices)}
                            <Transition>
                                {move || unseen.get().filter(|n| *n > 0).map(|n| view! {
                                    " " <span class="badge new" data-testid="unseen-count">{n}</span>
                                })}
                            </Transition>
                        </A>
                        <A href="/profile">{move || i18n.t(T::NavProfile)}</A>
                        <span class="who" data-testid="who">{move || session.me().map(|m| m.name).unwrap_or_default()}</span>
                        <button type="button" class="link" id="sign-out" on:click=move |_| { sign_out.dispatch(SignOut {}); }>
                            {move || i18n.t(T::NavSignOut)}
                        </button>
                    </div>
                </Show>
            </nav>
        </header>
        <div class="frame" class:managing=move || in_manage() && session.me().is_some()>
            <Show when=move || in_manage() && manage()>
                <nav::ManageMenu/>
            </Show>
            <main id="main">{children()}</main>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="card narrow" data-testid="not-found">
            <h1>{move || i18n.t(T::NotFoundTitle)}</h1>
            <p>{move || i18n.t(T::NotFoundText)}</p>
            <A href="/">{move || i18n.t(T::BackHome)}</A>
        </section>
    }
}
