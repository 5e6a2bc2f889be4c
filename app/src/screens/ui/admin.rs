//! The admin's screens page: create, pair, revoke, last seen, and the
//! company channels for the reach panel.

use leptos::prelude::*;

use super::super::{CompanyChannels, PairingLink, Panel, ScreenInput, MAX_ROTATE, MIN_ROTATE};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::networks::Network;
use crate::ui::RequireRole;
use crate::ui::{age, confirm, format_date, now_ms, ErrorNote};

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
    let screens = Resource::new(move || reload.get(), |_| super::super::list_screens());
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
            let result = super::super::create_screen(input).await;
            if result.is_ok() {
                name.set(String::new());
            }
            done(result.map(Some));
        });
    };
    let new_link = move |id: i64| {
        leptos::task::spawn_local(async move {
            done(super::super::new_pairing_link(id).await.map(Some))
        });
    };
    let revoke = move |id: i64| {
        if confirm(i18n.t(T::ScreensRevokeConfirm)) {
            leptos::task::spawn_local(async move {
                done(super::super::revoke_screen(id).await.map(|()| None))
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
                <input id="screen-name" type="text" placeholder=move || i18n.t(T::ScreenNameExample) prop:value=name
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
    let current = Resource::new(|| (), |_| super::super::get_company_channels());
    let save =
        Action::new_local(|c: &CompanyChannels| super::super::save_company_channels(c.clone()));
    let save_value = save.value();
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
                                    <ErrorNote error=Signal::derive(move || save_value.try_get().flatten().and_then(|r| r.err()))/>
                                    <Show when=move || matches!(save_value.try_get().flatten(), Some(Ok(())))>
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
