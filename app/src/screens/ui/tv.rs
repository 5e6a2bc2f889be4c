//! The office TV: full screen, rotating panels, live, and resilient to a
//! server restart or a lost network.

use leptos::prelude::*;

use super::super::{Happened, Panel, TvData, TvState};
use crate::base::i18n::{use_i18n, T};
use crate::leaderboard::Standing;
use crate::share::channel_name;
use crate::ui::format_thousands;

fn clock(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// The office screen. It renders only in the browser: it holds no session,
/// just its display cookie, and keeps itself up to date.
#[component]
pub fn TvPage() -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    view! {
        <div class="tv" data-testid="tv">
            <Show when=move || mounted.get()>
                <Tv/>
            </Show>
        </div>
    }
}

#[component]
fn Tv() -> impl IntoView {
    let i18n = use_i18n();
    let state: RwSignal<Option<TvState>> = RwSignal::new(None);
    let offline_since: RwSignal<Option<i64>> = RwSignal::new(None);
    let panel = RwSignal::new(0usize);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match super::super::tv_board().await {
                Ok(s) => {
                    state.set(Some(s));
                    offline_since.set(None);
                }
                Err(_) => {
                    if offline_since.get_untracked().is_none() {
                        offline_since.set(Some(js_sys::Date::now() as i64));
                    }
                }
            }
        });
    };
    refresh();
    stream::start(refresh, offline_since, state);
    // The panels turn on the screen's own rhythm. A memo, so that the timer
    // restarts only when the rhythm changes: restarted on every new figure, a
    // busy screen (a share every few seconds) never turned at all.
    let rotate = Memo::new(move |_| match state.get() {
        Some(TvState::Live(d)) => d.rotate_seconds.max(1) as u64,
        _ => 15,
    });
    Effect::new(move |_| {
        let every = rotate.get();
        let handle = set_interval_with_handle(
            move || panel.update(|p| *p = p.wrapping_add(1)),
            std::time::Duration::from_secs(every),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    // A safety net for anything a stream could miss.
    if let Ok(handle) = set_interval_with_handle(refresh, std::time::Duration::from_secs(60)) {
        on_cleanup(move || handle.clear());
    }

    view! {
        {move || offline_since.get().map(|at| view! {
            <p class="tv-offline" role="status" data-testid="tv-offline">
                {move || i18n.t(T::TvOffline).replace("{time}", &clock(at))}
            </p>
        })}
        {move || match state.get() {
            None => view! { <p class="tv-message">{move || i18n.t(T::Loading)}</p> }.into_any(),
            Some(TvState::Unpaired) => view! {
                <p class="tv-message" data-testid="tv-unpaired">{move || i18n.t(T::TvUnpaired)}</p>
            }.into_any(),
            Some(TvState::Revoked) => view! {
                <p class="tv-message" data-testid="tv-revoked">{move || i18n.t(T::TvRevoked)}</p>
            }.into_any(),
            Some(TvState::Live(data)) => {
                let n = data.panels.len().max(1);
                let shown = data.panels.get(panel.get() % n).copied().unwrap_or(Panel::TopPeople);
                view! {
                    <header class="tv-head">
                        <span class="tv-name">{data.name.clone()}</span>
                        <span class="tv-dots" aria-hidden="true">
                            {data.panels.iter().map(|p| view! { <span class:on=*p == shown>"●"</span> }).collect_view()}
                        </span>
                    </header>
                    <TvPanel panel=shown data=*data/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn TvPanel(panel: Panel, data: TvData) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let standings = |rows: Vec<Standing>| {
        view! {
            <ol class="tv-ranking">
                {rows.into_iter().map(|s| view! {
                    <li data-testid="tv-row">
                        <span class="rank">{if s.tied { format!("={}", s.rank) } else { s.rank.to_string() }}</span>
                        <span class="name">{s.name}</span>
                        <span class="points" data-testid="tv-points">{format_thousands(s.points)}</span>
                    </li>
                }).collect_view()}
            </ol>
        }
    };
    let body = match panel {
        Panel::TopPeople if data.people.is_empty() => view! { <p class="tv-message">{i18n.t(T::TvNoPoints)}</p> }.into_any(),
        Panel::TopPeople => standings(data.people).into_any(),
        Panel::TopTeams if data.teams.is_empty() => view! { <p class="tv-message">{i18n.t(T::TvNoPoints)}</p> }.into_any(),
        Panel::TopTeams => standings(data.teams).into_any(),
        Panel::Ticker => view! {
            <ul class="tv-ticker">
                {data.ticker.into_iter().map(|t| match t.what {
                    Happened::Shared { title, channel } => view! {
                        <li>{i18n.t(T::TvShared).replace("{name}", &t.name).replace("{title}", &title).replace("{network}", channel_name(channel, lang))}</li>
                    }.into_any(),
                    Happened::Thanked { recipient } => view! {
                        <li data-testid="tv-thanks">{i18n.t(T::KudosThanked).replace("{giver}", &t.name).replace("{recipient}", &recipient)}</li>
                    }.into_any(),
                }).collect_view()}
            </ul>
        }.into_any(),
        Panel::Kudos if data.kudos.is_empty() => view! { <p class="tv-message">{i18n.t(T::KudosWallEmpty)}</p> }.into_any(),
        Panel::Kudos => view! {
            <ul class="tv-kudos">
                {data.kudos.into_iter().map(|k| view! {
                    <li data-testid="tv-kudos">
                        <p class="who">{i18n.t(T::KudosThanked).replace("{giver}", &k.giver).replace("{recipient}", &k.recipient)}
                            {k.award.map(|a| view! { " · " <span class="award">{a}</span> })}</p>
                        <p class="values">{k.values.iter().map(|v| v.name(lang).to_string()).collect::<Vec<_>>().join(" · ")}</p>
                        <p class="message">{k.message}</p>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any(),
        Panel::Challenge => match data.challenge {
            None => view! { <p class="tv-message">{i18n.t(T::ChallengesNone)}</p> }.into_any(),
            Some(c) => {
                let title = c.input.title.clone();
                let metric = i18n.t(c.input.metric.label());
                let rows: Vec<Standing> = c.standings.into_iter().map(|p| Standing {
                    rank: p.rank, tied: p.tied, id: p.id, name: p.name, points: p.score, mine: false,
                }).collect();
                view! {
                    <p class="tv-challenge" data-testid="tv-challenge">{title}" · "{metric}" · "{crate::ui::format_date(c.input.ends_at)}</p>
                    {if rows.is_empty() { view! { <p class="tv-message">{i18n.t(T::ChallengeNoScores)}</p> }.into_any() } else { standings(rows).into_any() }}
                }.into_any()
            }
        },
        Panel::Reach => {
            let ratio = if data.reach.company > 0 {
                format!("×{:.1}", data.reach.employees as f64 / data.reach.company as f64)
            } else {
                String::new()
            };
            view! {
                <div class="tv-reach">
                    <div><span class="big">{format_thousands(data.reach.company)}</span><span>{i18n.t(T::TvCompanyReach)}</span></div>
                    <div><span class="big" data-testid="tv-employee-reach">{format_thousands(data.reach.employees)}</span>
                        <span>{i18n.n(T::TvEmployeeReach, &[("count", data.reach.sharers)])}</span></div>
                    <p class="tv-ratio">{ratio}</p>
                </div>
            }.into_any()
        }
    };
    view! {
        <section class="tv-panel" data-panel=panel.code()>
            <h1>{i18n.t(panel.label())}</h1>
            {body}
        </section>
    }
}

/// The screen's event stream, reopened with growing pauses (1 s to 30 s)
/// whenever it drops, e.g. while the server restarts.
mod stream {
    use super::*;

    #[cfg(feature = "hydrate")]
    pub fn start(
        refresh: impl Fn() + Copy + 'static,
        offline_since: RwSignal<Option<i64>>,
        state: RwSignal<Option<TvState>>,
    ) {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        type Handlers = Vec<Closure<dyn FnMut(web_sys::Event)>>;
        struct Conn {
            source: Option<web_sys::EventSource>,
            handlers: Handlers,
            attempt: u32,
            stopped: bool,
        }
        let conn = Rc::new(RefCell::new(Conn {
            source: None,
            handlers: Vec::new(),
            attempt: 0,
            stopped: false,
        }));

        fn open(
            conn: Rc<RefCell<Conn>>,
            refresh: impl Fn() + Copy + 'static,
            offline_since: RwSignal<Option<i64>>,
            state: RwSignal<Option<TvState>>,
        ) {
            if conn.borrow().stopped {
                return;
            }
            let Ok(source) = web_sys::EventSource::new("/events/tv") else {
                return;
            };
            let mut handlers: Handlers = Vec::new();
            let on_open = Closure::<dyn FnMut(web_sys::Event)>::new({
                let conn = conn.clone();
                move |_| {
                    conn.borrow_mut().attempt = 0;
                    offline_since.set(None);
                    // Whatever happened while away.
                    refresh();
                }
            });
            let _ =
                source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
            handlers.push(on_open);
            for name in ["points", "people", "screens", "kudos", "challenges"] {
                let on_event = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| refresh());
                let _ = source
                    .add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref());
                handlers.push(on_event);
            }
            let on_error = Closure::<dyn FnMut(web_sys::Event)>::new({
                let conn = conn.clone();
                move |_| {
                    let wait = {
                        let mut c = conn.borrow_mut();
                        if let Some(s) = c.source.take() {
                            s.close();
                        }
                        c.attempt += 1;
                        1u64 << c.attempt.min(5).saturating_sub(1)
                    };
                    // Asks the server what is going on: down (offline), or
                    // this screen revoked (nothing more to stream).
                    refresh();
                    if matches!(
                        state.get_untracked(),
                        Some(TvState::Revoked) | Some(TvState::Unpaired)
                    ) {
                        conn.borrow_mut().stopped = true;
                        return;
                    }
                    let conn = conn.clone();
                    set_timeout(
                        move || open(conn, refresh, offline_since, state),
                        std::time::Duration::from_secs(wait.min(30)),
                    );
                }
            });
            let _ =
                source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
            handlers.push(on_error);
            let mut c = conn.borrow_mut();
            c.source = Some(source);
            // The old handlers belong to a closed source that fires no more
            // (this runs from a timer, never inside one of them).
            c.handlers = handlers;
        }

        open(conn.clone(), refresh, offline_since, state);
        let conn = send_wrapper::SendWrapper::new(conn);
        on_cleanup(move || {
            let mut c = conn.borrow_mut();
            c.stopped = true;
            if let Some(s) = c.source.take() {
                s.close();
            }
        });
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn start(
        refresh: impl Fn() + Copy + 'static,
        offline_since: RwSignal<Option<i64>>,
        state: RwSignal<Option<TvState>>,
    ) {
        let _ = (refresh, offline_since, state);
    }
}
