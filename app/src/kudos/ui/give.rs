//! The thank-you form: whom (a search of colleagues), for which values,
//! a message, points from the month's allowance, private or not, and for a
//! manager an award's title.

use leptos::prelude::*;

use super::super::{Colleague, GiveInput, GiveKudos, Wall};
use crate::base::i18n::{use_i18n, T};
use crate::ui::{new_key, ErrorNote};

#[component]
pub fn GiveForm(
    wall: Wall,
    /// Someone chosen elsewhere on the page (the manager's team list).
    chosen: RwSignal<Option<Colleague>>,
    on_given: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let found = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                super::super::find_colleagues(q).await
            }
        },
    );
    let values = RwSignal::new(Vec::<i64>::new());
    let message = RwSignal::new(String::new());
    let points = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let award = RwSignal::new(String::new());
    let key = RwSignal::new(new_key());
    let give = ServerAction::<GiveKudos>::new();
    let (value, pending) = (give.value(), give.pending());
    let (left, total) = (wall.allowance.left, wall.allowance.total);
    // A local check first: a person is needed before anything is sent.
    let missing = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(to) = chosen.get_untracked() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        let points = points.get_untracked().trim().parse::<i64>().unwrap_or(
            // Empty is none; anything else unreadable is refused by the server.
            if points.get_untracked().trim().is_empty() {
                0
            } else {
                -1
            },
        );
        give.dispatch(GiveKudos {
            input: GiveInput {
                to: to.id,
                message: message.get_untracked(),
                values: values.get_untracked(),
                points,
                private: private.get_untracked(),
                award: award.get_untracked(),
            },
            key: key.get_untracked(),
        });
    };
    let given = on_given.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.try_get().flatten() {
            chosen.set(None);
            query.set(String::new());
            values.set(Vec::new());
            message.set(String::new());
            points.set(String::new());
            private.set(false);
            award.set(String::new());
            key.set(new_key());
            given();
        }
    });
    let may_award = wall.may_award;
    view! {
        <form class="stack give" on:submit=submit novalidate data-testid="give-form">
            <p data-testid="allowance">{move || i18n.n(T::KudosAllowance, &[("left", left), ("total", total)])}</p>
            {move || match chosen.get() {
                Some(c) => view! {
                    <p data-testid="thanking">{move || i18n.t(T::KudosThanking)}" " <strong>{c.name.clone()}</strong>" "
                        <button type="button" class="link" on:click=move |_| chosen.set(None)>{move || i18n.t(T::KudosChange)}</button>
                    </p>
                }.into_any(),
                None => view! {
                    <label for="kudos-who">{move || i18n.t(T::KudosWho)}</label>
                    <input id="kudos-who" type="search" autocomplete="off" maxlength="80" data-testid="kudos-who"
                        prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                    <Transition>
                        {move || Suspend::new(async move {
                            match found.await {
                                Ok(list) if list.is_empty() => ().into_any(),
                                Ok(list) => view! {
                                    <ul class="found" aria-label=move || i18n.t(T::KudosFound)>
                                        {list.into_iter().map(|c| {
                                            let label = if c.title.is_empty() { c.name.clone() } else { format!("{} · {}", c.name, c.title) };
                                            let pick = StoredValue::new(c);
                                            view! { <li><button type="button" data-testid="colleague"
                                                on:click=move |_| { missing.set(false); chosen.set(Some(pick.get_value())); }>{label}</button></li> }
                                        }).collect_view()}
                                    </ul>
                                }.into_any(),
                                Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                            }
                        })}
                    </Transition>
                }.into_any(),
            }}
            <Show when=move || missing.get()>
                <p class="error" role="alert">{move || i18n.t(T::ErrKudosRecipient)}</p>
            </Show>
            <fieldset>
                <legend>{move || i18n.t(T::KudosValues)}</legend>
                {wall.values.into_iter().map(|v| {
                    let id = v.id;
                    let input_id = format!("value-{id}");
                    let label_for = input_id.clone();
                    let (name, about) = (StoredValue::new(v.clone()), StoredValue::new(v));
                    view! {
                        <label class="check" for=label_for>
                            <input type="checkbox" id=input_id data-testid="kudos-value"
                                prop:checked=move || values.with(|vs| vs.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    values.update(|vs| { vs.retain(|x| *x != id); if on { vs.push(id); } });
                                }/>
                            {move || name.with_value(|v| v.name(i18n.lang()).to_string())}
                            {move || about.with_value(|v| {
                                let about = v.about(i18n.lang());
                                (!about.is_empty()).then(|| view! { <span class="muted">" — "{about.to_string()}</span> })
                            })}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for="kudos-message">{move || i18n.t(T::KudosMessage)}</label>
            <textarea id="kudos-message" rows="3" maxlength="500" data-testid="kudos-message"
                prop:value=message on:input=move |ev| message.set(event_target_value(&ev))></textarea>
            <label for="kudos-points">{move || i18n.t(T::KudosPoints)}</label>
            <input id="kudos-points" type="number" min="0" max=left.to_string() inputmode="numeric" data-testid="kudos-points"
                prop:value=points on:input=move |ev| points.set(event_target_value(&ev))/>
            <label class="check" for="kudos-private">
                <input id="kudos-private" type="checkbox" data-testid="kudos-private"
                    prop:checked=private on:change=move |ev| private.set(event_target_checked(&ev))/>
                {move || i18n.t(T::KudosPrivate)}
            </label>
            {may_award.then(|| view! {
                <label for="kudos-award">{move || i18n.t(T::KudosAward)}</label>
                <input id="kudos-award" maxlength="80" data-testid="kudos-award"
                    prop:value=award on:input=move |ev| award.set(event_target_value(&ev))/>
            })}
            <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
            {move || value.try_get().flatten().and_then(|r| r.ok()).map(|_| view! {
                <p class="success" role="status" data-testid="kudos-sent">{move || i18n.t(T::KudosSent)}</p>
            })}
            <button type="submit" class="primary" data-testid="kudos-send"
                disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::KudosSend)}</button>
        </form>
    }
}
