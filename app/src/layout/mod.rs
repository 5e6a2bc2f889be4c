//! The app shell: navigation by role, the start page, 404, shared widgets.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{use_session, RequireRole, Role, SetLanguage, SignOut};
use crate::error::AppError;
use crate::i18n::{use_i18n, Lang, T};

#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(result) = sign_out.value().get() {
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
                Some(_) => crate::posts::unseen_notifications().await.unwrap_or(0),
                None => 0,
            }
        },
    );

    view! {
        <a class="skip" href="#main">{move || i18n.t(T::SkipToContent)}</a>
        <header class="topbar">
            <A href="/" attr:class="brand">
                <img src="/icons/icon.svg" alt="" width="28" height="28"/>
                <span>{move || i18n.t(T::AppName)}</span>
            </A>
            <nav aria-label=move || i18n.t(T::NavMenu) id="main-nav">
                <Show when=move || session.me().is_some() fallback=move || view! {
                    <A href="/sign-in">{move || i18n.t(T::NavSignIn)}</A>
                }>
                    <A href="/" exact=true>{move || i18n.t(T::NavHome)}</A>
                    <A href="/hub">{move || i18n.t(T::NavHub)}</A>
                    <A href="/impact">{move || i18n.t(T::NavImpact)}</A>
                    <A href="/leaderboard">{move || i18n.t(T::NavLeaderboard)}</A>
                    <A href="/posts">{move || i18n.t(T::NavPosts)}</A>
                    <A href="/notifications">
                        {move || i18n.t(T::NavNotices)}
                        <Transition>
                            {move || unseen.get().filter(|n| *n > 0).map(|n| view! {
                                " " <span class="badge new" data-testid="unseen-count">{n}</span>
                            })}
                        </Transition>
                    </A>
                    <A href="/profile">{move || i18n.t(T::NavProfile)}</A>
                    <Show when=move || has(Role::Manager) || has(Role::Admin)>
                        <A href="/team">{move || i18n.t(T::NavTeam)}</A>
                    </Show>
                    <Show when=move || has(Role::Reviewer) || has(Role::Admin)>
                        <A href="/content">{move || i18n.t(T::NavContent)}</A>
                        <A href="/review">{move || i18n.t(T::NavReview)}</A>
                    </Show>
                    <Show when=move || has(Role::Admin)>
                        <A href="/admin/people">{move || i18n.t(T::NavPeople)}</A>
                        <A href="/admin/groups">{move || i18n.t(T::NavGroups)}</A>
                        <A href="/admin/points">{move || i18n.t(T::NavPoints)}</A>
                        <A href="/admin/blocked-words">{move || i18n.t(T::NavBlocked)}</A>
                        <A href="/admin/screens">{move || i18n.t(T::NavScreens)}</A>
                    </Show>
                    <span class="who" data-testid="who">{move || session.me().map(|m| m.name).unwrap_or_default()}</span>
                    <button type="button" class="link" id="sign-out" on:click=move |_| { sign_out.dispatch(SignOut {}); }>
                        {move || i18n.t(T::NavSignOut)}
                    </button>
                </Show>
            </nav>
        </header>
        <main id="main">{children()}</main>
    }
}

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <RequireRole>
            <HomeContent/>
        </RequireRole>
    }
}

#[component]
fn HomeContent() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let profile = Resource::new(|| (), |_| crate::profile::my_profile());
    let name = move || session.me().map(|m| m.name).unwrap_or_default();
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::HomeWelcome).replace("{name}", &name())}</h1>
            <p>{move || i18n.t(T::HomeIntro)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => {
                            let roles = p.roles.clone();
                            let groups = p.groups.clone();
                            let reach: i64 = p.networks.iter().map(|n| n.audience).sum();
                            let has_networks = !p.networks.is_empty();
                            view! {
                                <dl class="facts">
                                    <dt>{move || i18n.t(T::HomeYourRoles)}</dt>
                                    <dd>{move || roles.iter().map(|r| i18n.t(r.label())).collect::<Vec<_>>().join(", ")}</dd>
                                    <dt>{move || i18n.t(T::HomeYourGroups)}</dt>
                                    <dd>{move || groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>().join(", ")}</dd>
                                    <dt>{move || i18n.t(T::HomeReach)}</dt>
                                    <dd data-testid="reach">{move || if has_networks {
                                        format!("{} {}", format_thousands(reach), i18n.t(T::PeopleCount))
                                    } else {
                                        i18n.t(T::HomeReachNone).to_string()
                                    }}</dd>
                                </dl>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
            <ul class="links">
                <li><A href="/hub">{move || i18n.t(T::HomeGoHub)}</A></li>
                <li><A href="/impact">{move || i18n.t(T::HomeGoImpact)}</A></li>
                <li><A href="/posts/new">{move || i18n.t(T::PostWrite)}</A></li>
                <li><A href="/profile">{move || i18n.t(T::HomeCompleteProfile)}</A></li>
                <Show when=move || session.has(Role::Manager) || session.has(Role::Admin)>
                    <li><A href="/team">{move || i18n.t(T::HomeManagerTeam)}</A></li>
                </Show>
                <Show when=move || session.has(Role::Admin)>
                    <li><A href="/admin/people">{move || i18n.t(T::HomeAdminPeople)}</A></li>
                </Show>
            </ul>
        </section>
    }
}

/// Asks the browser's yes/no question; a blocked dialog counts as no.
pub fn confirm(message: &str) -> bool {
    window().confirm_with_message(message).unwrap_or(false)
}

/// A date as people read it everywhere (UTC, so server and browser agree).
pub fn format_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Age as a reviewer scans it: minutes, hours or days.
pub fn age(since: i64, now: i64) -> String {
    let minutes = ((now - since).max(0) / 60_000) as u64;
    match minutes {
        0..=59 => format!("{minutes} min"),
        60..=2879 => format!("{} h", minutes / 60),
        _ => format!("{} d", minutes / 1440),
    }
}

pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }
}

pub fn format_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
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

/// Shows an error in the reader's language. A "not signed in" error also ends
/// the session in this tab, which sends protected pages to the sign-in page.
#[component]
pub fn ErrorNote(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| {
        if error.get() == Some(AppError::Unauthenticated) && session.me().is_some() {
            session.forget();
        }
    });
    move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{e.message(i18n.lang())}</p> })
    }
}

/// What became of the last action: a confirmation or the error, or nothing yet.
#[component]
pub fn Outcome(#[prop(into)] note: Signal<Option<Result<T, AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    move || match note.get() {
        Some(Ok(t)) => {
            Some(view! { <p class="success" role="status">{move || i18n.t(t)}</p> }.into_any())
        }
        Some(Err(e)) => Some(view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any()),
        None => None,
    }
}

/// The language choice for people who are not signed in (signed-in people
/// choose in their profile, which is remembered across devices).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let session = use_session();
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(info)) = action.value().get() {
            session.set(info);
        }
    });
    let current = move || session.0.with(|s| s.lang);
    view! {
        <div class="lang-switch" role="group">
            {Lang::ALL
                .into_iter()
                .map(|lang| view! {
                    <button
                        type="button"
                        class="link"
                        lang=lang.code()
                        aria-pressed=move || (current() == lang).to_string()
                        on:click=move |_| { action.dispatch(SetLanguage { lang: lang.code().to_string() }); }
                    >
                        {lang.native_name()}
                    </button>
                })
                .collect_view()}
        </div>
    }
}

/// Listens to a server-sent event stream while the calling component lives;
/// the browser reconnects by itself when the connection drops. `on_event`
/// also runs whenever the stream (re)connects: whatever changed before that,
/// since the page loaded or while the stream was down, was not announced.
pub fn listen(path: &'static str, event: &'static str, on_event: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new(path) else {
            return;
        };
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |_| on_event());
        for name in [event, "open"] {
            let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        }
        let source = send_wrapper::SendWrapper::new((source, handler));
        on_cleanup(move || source.0.close());
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (path, event, on_event);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::format_thousands(0), "0");
        assert_eq!(super::format_thousands(999), "999");
        assert_eq!(super::format_thousands(1000), "1\u{a0}000");
        assert_eq!(super::format_thousands(-1234567), "-1\u{a0}234\u{a0}567");
    }

    #[test]
    fn ages_read_in_minutes_hours_then_days() {
        let min = 60_000;
        assert_eq!(super::age(0, 59_999), "0 min");
        assert_eq!(super::age(0, 59 * min), "59 min");
        assert_eq!(super::age(0, 60 * min), "1 h");
        assert_eq!(super::age(0, 47 * 60 * min + 59 * min), "47 h");
        assert_eq!(super::age(0, 48 * 60 * min), "2 d");
        // A clock a little behind the server's never shows a negative age.
        assert_eq!(super::age(5 * min, 0), "0 min");
    }
}
