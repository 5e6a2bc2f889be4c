//! The widget kit every page uses: error and outcome notes, the access
//! gate, the language switch, the live-event listener, and formatting. It
//! imports only the base layer, never a feature.

pub mod drag;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, Lang, T};
use crate::base::session::{use_session, Role, SetLanguage};

/// Renders `children` only for a signed-in person holding one of `roles`
/// (any signed-in person when `roles` is empty). The server functions the
/// page calls check the same again: this only spares people a useless page.
#[component]
pub fn RequireRole(#[prop(optional)] roles: Vec<Role>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // A memo, so that a session change that keeps access (a new name, another
    // language) does not rebuild the page and lose what is on it.
    let access = Memo::new(move |_| {
        session.0.with(|s| {
            s.me.as_ref()
                .map(|me| roles.is_empty() || roles.iter().any(|r| me.has(*r)))
        })
    });
    move || match access.get() {
        None => view! { <Redirect path="/sign-in"/> }.into_any(),
        // Untracked: only a change of access may rebuild the page.
        Some(true) => untrack(|| children()).into_any(),
        Some(false) => view! {
            <section class="card">
                <h1>{move || i18n.t(T::ForbiddenTitle)}</h1>
                <p>{move || i18n.t(T::ErrForbidden)}</p>
            </section>
        }
        .into_any(),
    }
}

/// The file chosen in a file input, from its change event.
pub fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()?
        .get(0)
}

/// Asks the browser's yes/no question; a blocked dialog counts as no.
pub fn confirm(message: &str) -> bool {
    window().confirm_with_message(message).unwrap_or(false)
}

/// A fresh idempotency key for one request a form sends (a redemption, a
/// thank-you): the same form retried sends it again.
pub fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        (0..4)
            .map(|_| format!("{:06x}", (js_sys::Math::random() * 16_777_215.0) as u32))
            .collect()
    }
    // A form rendered on the server makes its own key again when it
    // hydrates; this one is never sent.
    #[cfg(not(feature = "hydrate"))]
    {
        format!("server{:018x}", now_ms())
    }
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

pub use crate::base::i18n::plural::grouped as format_thousands;

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
    let action_value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(info)) = action_value.try_get().flatten() {
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
pub fn listen(path: &'static str, events: &'static [&'static str], on_event: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new(path) else {
            return;
        };
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |_| on_event());
        for name in events.iter().copied().chain(["open"]) {
            let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        }
        let source = send_wrapper::SendWrapper::new((source, handler));
        on_cleanup(move || source.0.close());
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (path, events, on_event);
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
