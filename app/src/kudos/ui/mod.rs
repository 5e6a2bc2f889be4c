//! `/recognition`: thank a colleague, the wall of thanks, and for a manager
//! the team members thanked longest ago; `/admin/recognition` (admin.rs).

mod admin;
mod give;

use leptos::prelude::*;

use super::{Colleague, Kudos, Quiet, RemoveKudos, Wall};
use crate::base::i18n::{use_i18n, T};
use crate::people::motivation::Motivation;
use crate::ui::{format_date, ErrorNote, RequireRole};
pub use admin::KudosAdminPage;

#[component]
pub fn RecognitionPage() -> impl IntoView {
    view! {
        <RequireRole>
            <Recognition/>
        </RequireRole>
    }
}

#[component]
fn Recognition() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let wall = Resource::new(move || version.get(), |_| super::recognition_wall());
    crate::ui::listen("/events/live", &["kudos"], move || {
        version.update(|v| *v += 1)
    });
    let chosen: RwSignal<Option<Colleague>> = RwSignal::new(None);
    let refresh = move || version.update(|v| *v += 1);
    view! {
        <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match wall.await {
                    Ok(w) => view! { <WallView wall=w chosen=chosen on_change=refresh/> }.into_any(),
                    Err(e) => view! { <section class="card"><ErrorNote error=Signal::stored(Some(e))/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WallView(
    wall: Wall,
    chosen: RwSignal<Option<Colleague>>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let no_values = wall.values.is_empty();
    let (kudos, team, may_remove) = (wall.kudos.clone(), wall.team.clone(), wall.may_remove);
    view! {
        <section class="card" aria-labelledby="thank-title">
            <h1 id="thank-title">{move || i18n.t(T::KudosTitle)}</h1>
            {if no_values {
                view! { <p class="muted" data-testid="no-values">{move || i18n.t(T::KudosNoValues)}</p> }.into_any()
            } else {
                view! { <give::GiveForm wall=wall chosen=chosen on_given=on_change.clone()/> }.into_any()
            }}
        </section>
        {(!team.is_empty()).then(|| view! { <TeamList team=team chosen=chosen/> })}
        <section class="card" aria-labelledby="wall-title">
            <h2 id="wall-title">{move || i18n.t(T::KudosWall)}</h2>
            {if kudos.is_empty() {
                view! { <p class="muted">{move || i18n.t(T::KudosWallEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="wall" data-testid="wall">
                        {kudos.into_iter().map(|k| view! { <KudosCard kudos=k may_remove=may_remove on_change=on_change.clone()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn KudosCard(
    kudos: Kudos,
    may_remove: bool,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let values = StoredValue::new(kudos.values.clone());
    let points = kudos.points;
    let (giver, recipient) = (kudos.giver.clone(), kudos.recipient.clone());
    let removing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let remove = ServerAction::<RemoveKudos>::new();
    let (value, pending) = (remove.value(), remove.pending());
    Effect::new(move |_| {
        if let Some(Ok(())) = value.try_get().flatten() {
            on_change();
        }
    });
    let id = kudos.id;
    view! {
        <li class="kudos" id=format!("k{id}") data-testid="kudos" class:private=kudos.private>
            <p>
                <strong>{move || i18n.t(T::KudosThanked).replace("{giver}", &giver).replace("{recipient}", &recipient)}</strong>
                {kudos.award.clone().map(|a| view! { " " <span class="badge award" data-testid="kudos-award-title">{a}</span> })}
                {kudos.private.then(|| view! { " " <span class="badge">{move || i18n.t(T::KudosPrivateMark)}</span> })}
            </p>
            <p class="values">
                {move || values.with_value(|vs| vs.iter().map(|v| view! { <span class="tag">{v.name(i18n.lang()).to_string()}</span> " " }).collect_view())}
            </p>
            <p data-testid="kudos-text">{kudos.message.clone()}</p>
            <p class="muted">
                <time>{format_date(kudos.at)}</time>
                {(points > 0).then(|| view! { " · " <span data-testid="kudos-points-given">{move || i18n.n(T::KudosPointsGiven, &[("points", points)])}</span> })}
            </p>
            {may_remove.then(|| view! {
                <Show when=move || removing.get() fallback=move || view! {
                    <button type="button" class="link" data-testid="kudos-remove" on:click=move |_| removing.set(true)>{move || i18n.t(T::KudosRemove)}</button>
                }>
                    <form class="stack" on:submit=move |ev| { ev.prevent_default(); remove.dispatch(RemoveKudos { id, reason: reason.get_untracked() }); }>
                        <label for=format!("reason-{id}")>{move || i18n.t(T::KudosRemoveReason)}</label>
                        <input id=format!("reason-{id}") maxlength="500" data-testid="kudos-remove-reason"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
                        <div class="row">
                            <button type="submit" class="danger" data-testid="kudos-remove-confirm"
                                disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::KudosRemove)}</button>
                            <button type="button" on:click=move |_| removing.set(false)>{move || i18n.t(T::Cancel)}</button>
                        </div>
                    </form>
                </Show>
            })}
        </li>
    }
}

/// A manager's team, those thanked longest ago first, with what moves
/// them (public or quiet recognition, above all).
#[component]
fn TeamList(team: Vec<Quiet>, chosen: RwSignal<Option<Colleague>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="quiet-title">
            <h2 id="quiet-title">{move || i18n.t(T::KudosTeamTitle)}</h2>
            <p class="muted">{move || i18n.t(T::KudosTeamHelp)}</p>
            <ul class="quiet" data-testid="quiet">
                {team.into_iter().map(|q| {
                    let pick = StoredValue::new(Colleague { id: q.id, name: q.name.clone(), title: q.title.clone() });
                    let last = q.last;
                    let ways: Vec<Motivation> = q.motivations.iter().copied()
                        .filter(|m| matches!(m, Motivation::PublicRecognition | Motivation::QuietRecognition))
                        .collect();
                    view! {
                        <li data-testid="quiet-member">
                            <strong>{q.name.clone()}</strong>
                            {(!q.title.is_empty()).then(|| format!(" · {}", q.title))}
                            " · " <span data-testid="last-thanked">{move || match last {
                                Some(at) => i18n.t(T::KudosLastThanked).replace("{date}", &format_date(at)),
                                None => i18n.t(T::KudosNeverThanked).to_string(),
                            }}</span>
                            {ways.into_iter().map(|m| view! { " · " <span class="tag">{move || i18n.t(m.label())}</span> }).collect_view()}
                            " " <button type="button" class="link" on:click=move |_| {
                                chosen.set(Some(pick.get_value()));
                                focus_form();
                            }>{move || i18n.t(T::KudosThank)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Brings the form into view after a name is picked from the team list.
fn focus_form() {
    #[cfg(feature = "hydrate")]
    if let Some(el) = document().get_element_by_id("kudos-message") {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}
