use leptos::prelude::*;

use super::{
    CompanyChannels, PairingLink, Panel, ScreenInput, TvData, TvState, MAX_ROTATE, MIN_ROTATE,
};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::leaderboard::Standing;
use crate::networks::Network;
use crate::share::channel_name;
use crate::ui::RequireRole;
use crate::ui::{age, confirm, format_date, format_thousands, now_ms, ErrorNote};

#[component]
pub fn ScreensAdminPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <ScreensAdmin/>
            <CompanyChannelsForm/>
        </RequireRole>
    }
}

#[component]
fn ScreensAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let screens = Resource::new(move || reload.get(), |_| super::list_screens());
    let name = RwSignal::new(String::new());
    let panels = RwSignal::new(Panel::ALL.to_vec());
    let rotate = RwSignal::new("15".to_string());
    let link: RwSignal<Option<PairingLink>> = RwSignal::new(None);
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let done = move |result: Result<Option<PairingLink>, AppError>| {
        match result {
            Ok(new) => {
                error.set(None);
                if new.is_some() {
                    link.set(new);
                }
            }
            Err(e) => error.set(Some(e)),
        }
        reload.update(|v| *v += 1);
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(rotate_seconds) = rotate.get_untracked().trim().parse::<i64>() else {
            error.set(Some(AppError::Invalid(T::ErrRotate)));
            return;
        };
        let input = ScreenInput {
            name: name.get_untracked(),
            panels: panels.get_untracked(),
            rotate_seconds,
        };
        leptos::task::spawn_local(async move {
            let result = super::create_screen(input).await;
            if result.is_ok() {
                name.set(String::new());
            }
            done(result.map(Some));
        });
    };
    let new_link = move |id: i64| {
        leptos::task::spawn_local(async move { done(super::new_pairing_link(id).await.map(Some)) });
    };
    let revoke = move |id: i64| {
        if confirm(i18n.t(T::ScreensRevokeConfirm)) {
            leptos::task::spawn_local(async move {
                done(super::revoke_screen(id).await.map(|()| None))
            });
        }
    };
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::ScreensTitle)}</h1>
            <p class="muted">{move || i18n.t(T::ScreensIntro)}</p>
            {move || link.get().map(|l| view! {
                <div class="notice" role="status">
                    <p>{move || i18n.t(T::ScreensLinkHelp)}</p>
                    <input class="copy" readonly data-testid="pairing-link" prop:value=l.url.clone()
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }/>
                </div>
            })}
            <ErrorNote error=error/>
            <form novalidate on:submit=create>
                <h2>{move || i18n.t(T::ScreensNew)}</h2>
                <label for="screen-name">{move || i18n.t(T::ScreensName)}</label>
                <input id="screen-name" type="text" placeholder="Lobby TV" prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))/>
                <fieldset>
                    <legend>{move || i18n.t(T::ScreensPanels)}</legend>
                    <div class="checks">
                        {Panel::ALL.into_iter().map(|p| view! {
                            <label class="check">
                                <input type="checkbox" data-panel=p.code()
                                    prop:checked=move || panels.with(|ps| ps.contains(&p))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        panels.update(|ps| {
                                            ps.retain(|x| *x != p);
                                            if on { ps.push(p); }
                                        });
                                    }/>
                                {move || i18n.t(p.label())}
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <label for="screen-rotate">{move || i18n.t(T::ScreensRotate)}</label>
                <input id="screen-rotate" type="number" min=MIN_ROTATE.to_string() max=MAX_ROTATE.to_string()
                    prop:value=rotate on:input=move |ev| rotate.set(event_target_value(&ev))/>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="create-screen">{move || i18n.t(T::ScreensCreate)}</button>
                </div>
            </form>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screens.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>{move || i18n.t(T::ScreensNone)}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="table" data-testid="screens">
                                    <thead><tr>
                                        <th>{move || i18n.t(T::ScreensName)}</th>
                                        <th>{move || i18n.t(T::ScreensPanels)}</th>
                                        <th>{move || i18n.t(T::PeopleStatus)}</th>
                                        <th>{move || i18n.t(T::ScreensLastSeen)}</th>
                                        <th></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|s| {
                                            let id = s.id;
                                            let panels = s.panels.clone();
                                            let status = if s.revoked {
                                                T::ScreensRevoked
                                            } else if s.paired > 0 {
                                                T::ScreensPaired
                                            } else {
                                                T::ScreensWaiting
                                            };
                                            view! {
                                                <tr data-testid="screen-row" data-id=id.to_string()>
                                                    <td>{s.name.clone()}</td>
                                                    <td>{move || panels.iter().map(|p| i18n.t(p.label())).collect::<Vec<_>>().join(", ")}
                                                        " · " {s.rotate_seconds} " s"</td>
                                                    <td data-testid="screen-status">{move || i18n.t(status)}</td>
                                                    <td data-testid="screen-seen">{s.last_seen.filter(|_| !s.revoked).map(|at| {
                                                        let ago = age(at, now_ms());
                                                        view! { <span title=format_date(at)>{move || i18n.t(T::ScreensSeen).replace("{age}", &ago)}</span> }
                                                    })}</td>
                                                    <td class="actions">
                                                        {(!s.revoked).then(|| view! {
                                                            <button type="button" on:click=move |_| new_link(id)>{move || i18n.t(T::ScreensNewLink)}</button>
                                                            <button type="button" class="danger" data-testid="revoke-screen" on:click=move |_| revoke(id)>{move || i18n.t(T::ScreensRevoke)}</button>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CompanyChannelsForm() -> impl IntoView {
    let i18n = use_i18n();
    let current = Resource::new(|| (), |_| super::get_company_channels());
    let save = Action::new_local(|c: &CompanyChannels| super::save_company_channels(c.clone()));
    view! {
        <section class="card">
            <h2>{move || i18n.t(T::CompanyTitle)}</h2>
            <p class="muted">{move || i18n.t(T::CompanyHelp)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match current.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(c) => {
                            let values = Network::ALL.map(|n| {
                                let v = c.audiences.iter().find(|(m, _)| *m == n).map(|(_, a)| *a).unwrap_or(0);
                                RwSignal::new(v.to_string())
                            });
                            let bad = RwSignal::new(false);
                            let submit = move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                let parsed: Option<Vec<(Network, i64)>> = Network::ALL
                                    .iter()
                                    .zip(values)
                                    .map(|(n, v)| {
                                        let text = v.get_untracked();
                                        let text = text.trim();
                                        if text.is_empty() { Some((*n, 0)) } else { text.parse::<i64>().ok().map(|a| (*n, a)) }
                                    })
                                    .collect();
                                match parsed {
                                    Some(audiences) => {
                                        bad.set(false);
                                        save.dispatch_local(CompanyChannels { audiences });
                                    }
                                    None => bad.set(true),
                                }
                            };
                            view! {
                                <form novalidate on:submit=submit>
                                    {Network::ALL.into_iter().zip(values).map(|(n, v)| {
                                        let id = format!("company-{}", n.code());
                                        view! {
                                            <label for=id.clone()>{n.name()}</label>
                                            <input id=id type="number" min="0" prop:value=v on:input=move |ev| v.set(event_target_value(&ev))/>
                                        }
                                    }).collect_view()}
                                    <Show when=move || bad.get()>
                                        <p class="error" role="alert">{move || i18n.t(T::ErrAudience)}</p>
                                    </Show>
                                    <ErrorNote error=Signal::derive(move || save.value().get().and_then(|r| r.err()))/>
                                    <Show when=move || matches!(save.value().get(), Some(Ok(())))>
                                        <p class="success" role="status">{move || i18n.t(T::Saved)}</p>
                                    </Show>
                                    <button type="submit" class="primary" data-testid="save-company">{move || i18n.t(T::Save)}</button>
                                </form>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

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
            match super::tv_board().await {
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
    // The panels turn on the screen's own rhythm.
    let rotate = move || match state.get() {
        Some(TvState::Live(d)) => d.rotate_seconds.max(1) as u64,
        _ => 15,
    };
    Effect::new(move |_| {
        let every = rotate();
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
                {data.ticker.into_iter().map(|t| view! {
                    <li>{i18n.t(T::TvShared).replace("{name}", &t.name).replace("{title}", &t.title).replace("{network}", channel_name(t.channel, lang))}</li>
                }).collect_view()}
            </ul>
        }.into_any(),
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
                        <span>{i18n.t(T::TvEmployeeReach).replace("{count}", &data.reach.sharers.to_string())}</span></div>
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
            for name in ["points", "screens"] {
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
